-- accept.lua — intake's atomic step for a batch of envelopes (layout:
-- ACCEPT in common/mot_scripts.h), each with an event id intake took from
-- its pool of reserved numbers (store.c).
-- KEYS     per request: its dedup key, its event hash, the pending set of
--          the stage it goes to
-- ARGV     received_at (unix s), sent_ms, then per request: event id, packed
--          envelope, source, type
-- Returns  per request {event id, duplicate}: its id and 0 when new, or the
--          id already stored for the same (source, external id) and 1 (a
--          retry, or another intake's copy: nothing is written for it).
-- The envelope, its dedup record and its hand-off are written together.
local count = (#ARGV - ACCEPT_ARGS) / ACCEPT_REQUEST_ARGS
local received, sent = ARGV[ACCEPT_ARG_RECEIVED_AT], ARGV[ACCEPT_ARG_SENT_MS]
local out = {}
for i = 0, count - 1 do
  local k = ACCEPT_KEYS + 1 + i * ACCEPT_REQUEST_KEYS
  local a = ACCEPT_ARGS + 1 + i * ACCEPT_REQUEST_ARGS
  local id = ARGV[a + ACCEPT_REQUEST_ARG_EVENT_ID]
  if redis.call('SET', KEYS[k + ACCEPT_REQUEST_KEY_DEDUP], id, 'NX') then
    redis.call('HSET', KEYS[k + ACCEPT_REQUEST_KEY_EVENT], EVENT_ENVELOPE, ARGV[a + ACCEPT_REQUEST_ARG_ENVELOPE],
               EVENT_SOURCE, ARGV[a + ACCEPT_REQUEST_ARG_SOURCE], EVENT_TYPE, ARGV[a + ACCEPT_REQUEST_ARG_TYPE],
               EVENT_RECEIVED_AT, received)
    redis.call('ZADD', KEYS[k + ACCEPT_REQUEST_KEY_PENDING], sent, id)
    out[#out + 1] = id
    out[#out + 1] = 0
  else
    out[#out + 1] = redis.call('GET', KEYS[k + ACCEPT_REQUEST_KEY_DEDUP])
    out[#out + 1] = 1
  end
end
return out
