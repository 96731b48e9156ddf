-- redrive.lua — claims the hand-offs of one pending set that the next stage
-- has not committed in time, marks them sent again, and returns them.
-- KEYS[1]  the pending set (mot:pending:classify or mot:pending:watch)
-- ARGV     sent before (ms), now (ms), most to claim, event key prefix
-- Returns  {event_id_1, envelope_1, event_id_2, envelope_2, ...}
-- A pending id whose event is gone is dropped from the set.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local envelope = redis.call('HGET', ARGV[4] .. id, 'envelope')
  if envelope then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = envelope
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
