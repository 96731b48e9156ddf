-- notice_log.lua — the part of every deadline-watcher script that records
-- notices: it is joined in front of fire.lua and of the delivery script at
-- compile time (notice_log.h), so it defines functions and runs nothing.
--
-- log_notices(seq_key, log_key, packed) gives the packed Notices of the
-- list `packed`, in order, the next sequence numbers (one INCRBY) and
-- appends them to the notice log (LPUSH, so the log stays newest first),
-- each with its seq added as protobuf field 11 (tag 88, a varint): a
-- concatenation of encodings is a valid encoding, so the bytes in the log
-- are exactly what the notifier publishes. Returns the first seq given (0
-- when `packed` is empty). The notifier trims the log once it has
-- published; nothing here does.
local SEQ_TAG = string.char(88)
local LOG_CHUNK = 1000             -- Lua's unpack() refuses ~8000 values

local function varint(n)
  local bytes = ''
  while n >= 128 do
    bytes = bytes .. string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  return bytes .. string.char(n)
end

local function log_notices(seq_key, log_key, packed)
  local count = #packed
  if count == 0 then return 0 end
  local first = redis.call('INCRBY', seq_key, count) - count + 1
  local entries = {}
  for i = 1, count do entries[i] = packed[i] .. SEQ_TAG .. varint(first + i - 1) end
  for from = 1, count, LOG_CHUNK do
    redis.call('LPUSH', log_key, unpack(entries, from, math.min(from + LOG_CHUNK - 1, count)))
  end
  return first
end
