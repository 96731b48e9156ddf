-- archive.lua — stores a month's generated report and logs the notice of
-- its availability, in one step, once (services/reporter/report_archive.c;
-- layout ARCHIVE in common/mot_scripts.h).
-- uses: common/lua/lib/notice_log.lua
-- KEYS     mot:report:monthly:{M}, mot:reports:monthly, the notice seq,
--          the notice log
-- ARGV     the month, the standalone HTML, the figures as JSON, when it was
--          generated (unix s), the obligation it answers, the packed
--          NoticeBatch holding its one REPORT_AVAILABLE notice
-- Returns  the notice's seq; 0 when the month's report was stored already
--          (by another reporter): nothing is written.
if redis.call('EXISTS', KEYS[ARCHIVE_KEY_REPORT]) == 1 then return 0 end
local seq = log_batch(KEYS[ARCHIVE_KEY_SEQ], KEYS[ARCHIVE_KEY_LOG], ARGV[ARCHIVE_ARG_NOTICES], 1, {0})
redis.call('HSET', KEYS[ARCHIVE_KEY_REPORT], REPORT_HTML, ARGV[ARCHIVE_ARG_HTML], REPORT_JSON, ARGV[ARCHIVE_ARG_JSON],
  REPORT_GENERATED_AT, ARGV[ARCHIVE_ARG_GENERATED_AT], REPORT_OBLIGATION, ARGV[ARCHIVE_ARG_OBLIGATION],
  REPORT_NOTICE_SEQ, seq)
redis.call('HSET', KEYS[ARCHIVE_KEY_INDEX], ARGV[ARCHIVE_ARG_MONTH], ARGV[ARCHIVE_ARG_GENERATED_AT])
return seq
