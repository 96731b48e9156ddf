-- notice_log.lua — the part of every deadline-watcher script that records
-- notices: it is joined in front of fire.lua and of the delivery script at
-- compile time (notice_log.h), so it defines a function and runs nothing.
--
-- log_batch(seq_key, log_key, blob, total, held) appends one entry to the
-- notice log (a stream, see NoticeBatch in proto/mot.proto): `blob` is a
-- packed NoticeBatch of `total` notices, `held` the list of the 0-based
-- indexes of those that are logged now, in order. They get the next
-- sequence numbers (one INCRBY); the entry's id is the first of them, so
-- the k-th held notice has seq first + k. The notices' bytes go into Redis
-- as one value and are never taken apart here. Returns the first seq (0
-- when nothing is held: no entry). The notifier trims the log once it has
-- published; nothing here does.
local function log_batch(seq_key, log_key, blob, total, held)
  local n = #held
  if n == 0 then return 0 end
  local first = redis.call('INCRBY', seq_key, n) - n + 1
  local which = n == total and 'all' or table.concat(held, ',')
  redis.call('XADD', log_key, first .. '-0', 'n', n, 'which', which, 'notices', blob)
  return first
end
