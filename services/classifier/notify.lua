-- notify.lua — logs the facts at the head of the outbox as notices, once
-- (services/classifier/announce.c runs it; layout NOTIFY in
-- common/mot_scripts.h).
-- uses: common/lua/lib/notice_log.lua
-- KEYS     the outbox, the notice seq, the notice log
-- ARGV     the first fact as the caller read it, how many facts it read,
--          how many notices it rendered from them, the packed NoticeBatch
-- Returns  the first seq of the logged notices (0: none rendered), or -1
--          when the outbox's head is no longer the fact read (another
--          classifier logged it first): nothing is written.
if redis.call('LINDEX', KEYS[NOTIFY_KEY_OUTBOX], 0) ~= ARGV[NOTIFY_ARG_HEAD] then return -1 end
local count, rendered = tonumber(ARGV[NOTIFY_ARG_COUNT]), tonumber(ARGV[NOTIFY_ARG_RENDERED])
redis.call('LTRIM', KEYS[NOTIFY_KEY_OUTBOX], count, -1)
local held = {}
for i = 0, rendered - 1 do held[#held + 1] = i end
return log_batch(KEYS[NOTIFY_KEY_SEQ], KEYS[NOTIFY_KEY_LOG], ARGV[NOTIFY_ARG_NOTICES], rendered, held)
