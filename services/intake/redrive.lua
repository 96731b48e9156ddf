-- redrive.lua — claims hand-offs of one pending set that the next stage has
-- not committed in time, marks them sent again, and returns them (layout:
-- REDRIVE in common/mot_scripts.h). The caller lists the candidates
-- (ZRANGEBYSCORE); this step claims those still pending and still last
-- sent before SENT_BEFORE, so two intakes never claim one twice.
-- KEYS     the pending set, then per candidate its event hash
-- ARGV     sent before (ms), now (ms), then per candidate its event id
-- Returns  {event_id_1, envelope_1, event_id_2, envelope_2, ...}
-- A pending id whose event is gone is dropped from the set.
local count = (#ARGV - REDRIVE_ARGS) / REDRIVE_EVENT_ARGS
local pending, before = KEYS[REDRIVE_KEY_PENDING], tonumber(ARGV[REDRIVE_ARG_SENT_BEFORE])
local out = {}
for i = 0, count - 1 do
  local id = ARGV[REDRIVE_ARGS + 1 + i * REDRIVE_EVENT_ARGS + REDRIVE_EVENT_ARG_EVENT_ID]
  local sent = redis.call('ZSCORE', pending, id)
  if sent and tonumber(sent) < before then
    local envelope = redis.call('HGET', KEYS[REDRIVE_KEYS + 1 + i * REDRIVE_EVENT_KEYS + REDRIVE_EVENT_KEY_EVENT],
                                EVENT_ENVELOPE)
    if envelope then
      redis.call('ZADD', pending, 'XX', ARGV[REDRIVE_ARG_NOW], id)
      out[#out + 1] = id
      out[#out + 1] = envelope
    else
      redis.call('ZREM', pending, id)
    end
  end
end
return out
