-- accept.lua — intake's one atomic step for a batch of envelopes.
-- KEYS[1]  the event id counter (mot:seq:event)
-- ARGV     count, event key prefix, received_at (unix s), sent_ms, then per
--          envelope: dedup key, pending set, packed envelope, source, type
-- Returns  {event_id_1, duplicate_1, event_id_2, duplicate_2, ...}
-- A (source, external id) already seen, also earlier in the same batch,
-- gets its original event id back, flagged as a duplicate.
local count, prefix, received, sent = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local out = {}
for i = 0, count - 1 do
  local b = 5 + i * 5
  local id = redis.call('GET', ARGV[b])
  if id then
    out[#out + 1] = id
    out[#out + 1] = 1
  else
    id = 'ev-' .. redis.call('INCR', KEYS[1])
    redis.call('HSET', prefix .. id, 'envelope', ARGV[b + 2], 'source', ARGV[b + 3], 'type', ARGV[b + 4],
               'received_at', received)
    redis.call('SET', ARGV[b], id)
    redis.call('ZADD', ARGV[b + 1], sent, id)
    out[#out + 1] = id
    out[#out + 1] = 0
  end
end
return out
