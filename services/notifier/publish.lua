-- publish.lua — the notifier's one atomic step for a batch of notices
-- (services/notifier/publisher.c runs it with EVALSHA; see publisher.h).
--
-- KEYS[1] the notice counter (mot:seq:notice), KEYS[2] the replay log
-- (mot:notices, newest first), KEYS[3] the outbox (mot:outbox), KEYS[4] the
-- outbox's notices (mot:outbox:notices).
-- ARGV[1] count, [2] log size, then per notice: notice_id, packed Notice
-- without seq.
-- Returns {seq_1, packed_1, seq_2, packed_2, ...} in the order given:
-- packed_i is the Notice with its seq appended when it is published now;
-- seq 0 and "" when it was not in the outbox: published before (a re-send,
-- or the same notice_id earlier in this batch), or never recorded by a
-- watcher. Taking a notice out of the outbox is what makes it published
-- once: every notice_id of the batch leaves the outbox here.
-- The seq is appended as protobuf field 11: tag 0x58 (88), then a varint.
-- Per batch, whatever its size: one ZMSCORE, INCRBY, LPUSH, LTRIM, ZREM and
-- HDEL (one per 1000 notices: Lua's unpack() refuses ~8000 values).
local count, log_size = tonumber(ARGV[1]), tonumber(ARGV[2])
local CHUNK = 1000
local char, floor = string.char, math.floor
local SEQ_TAG = char(88)   -- field 11, wire type 0 (varint)

local function varint(n)
  local text = ''
  while n >= 128 do
    text = text .. char(n % 128 + 128)
    n = floor(n / 128)
  end
  return text .. char(n)
end

-- Runs `command key values...` in chunks; returns the replies, concatenated
-- when they are arrays.
local function call_chunked(command, key, values)
  local replies = {}
  for from = 1, #values, CHUNK do
    local reply = redis.call(command, key, unpack(values, from, math.min(from + CHUNK - 1, #values)))
    if type(reply) == 'table' then
      for _, r in ipairs(reply) do replies[#replies + 1] = r end
    end
  end
  return replies
end

local ids = {}
for i = 1, count do ids[i] = ARGV[1 + 2 * i] end
local in_outbox = call_chunked('ZMSCORE', KEYS[3], ids)

-- The new ones, in order, once each.
local fresh, taken = {}, {}
for i = 1, count do
  if in_outbox[i] and not taken[ids[i]] then
    taken[ids[i]] = true
    fresh[#fresh + 1] = i
  end
end

local out, entries = {}, {}
for i = 1, count do
  out[2 * i - 1] = 0
  out[2 * i] = ''
end
if #fresh > 0 then
  local seq = redis.call('INCRBY', KEYS[1], #fresh) - #fresh + 1
  for _, i in ipairs(fresh) do
    local packed = ARGV[2 + 2 * i] .. SEQ_TAG .. varint(seq)
    entries[#entries + 1] = packed
    out[2 * i - 1] = seq
    out[2 * i] = packed
    seq = seq + 1
  end
  -- LPUSH puts its last argument at the head: the log stays newest first.
  call_chunked('LPUSH', KEYS[2], entries)
  redis.call('LTRIM', KEYS[2], 0, log_size - 1)
end
call_chunked('ZREM', KEYS[3], ids)
call_chunked('HDEL', KEYS[4], ids)
return out
