-- progress.lua — records how far an open fortnightly follow-up got, only
-- while it is still open (layout: PROGRESS in common/mot_scripts.h), so a
-- closing that came first is never undone.
-- KEYS     mot:watch:followups
-- ARGV     the follow-up's field, its new value
local followups, field = KEYS[PROGRESS_KEY_FOLLOWUPS], ARGV[PROGRESS_ARG_FIELD]
if redis.call('HEXISTS', followups, field) == 1 then redis.call('HSET', followups, field, ARGV[PROGRESS_ARG_VALUE]) end
return 0
