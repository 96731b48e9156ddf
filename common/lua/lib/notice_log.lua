-- notice_log.lua — the notice log's writer, for every script that records
-- notices (fire.lua, deliver.lua name it on a "-- uses:" line and the build
-- puts it in front of them), so it defines a function and runs nothing.
-- The format (one stream entry per step, see NoticeBatch in
-- proto/mot.proto) is described, and read, by common/mot_notice_log.[ch].
--
-- log_batch(seq_key, log_key, blob, total, held) appends one entry to the
-- notice log (keys from the calling script's KEYS): `blob` is a packed
-- NoticeBatch of `total` notices, `held` the list of the 0-based indexes of
-- those that are logged now, in order. They get the next sequence numbers
-- (one INCRBY); the entry's id is the first of them, so the k-th held
-- notice has seq first + k. The notices' bytes go into Redis as one value
-- and are never taken apart here. Returns the first seq (0 when nothing is
-- held: no entry). The notifier trims the log once it has published;
-- nothing here does.
local function log_batch(seq_key, log_key, blob, total, held)
  local n = #held
  if n == 0 then return 0 end
  local first = redis.call('INCRBY', seq_key, n) - n + 1
  local which = n == total and LOG_WHICH_ALL or table.concat(held, ',')
  redis.call('XADD', log_key, first .. '-0', LOG_N, n, LOG_WHICH, which, LOG_NOTICES, blob)
  return first
end
