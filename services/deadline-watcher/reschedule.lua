-- reschedule.lua — moves an obligation's deadline and its pending timers in
-- one atomic step (layout: RESCHEDULE in common/mot_scripts.h).
-- KEYS     the obligation hash, mot:obls, mot:timers, its audit list
-- ARGV     id, old deadline, new deadline, new day number, new due_at, new
--          anchor, the overdue timer's member and new time, the reminder's
--          member and new time ("" none), the next escalation's member and
--          time ("" none), the audit entry (JSON), the required status (""
--          any)
-- Moves the deadline only if it is still the old one (compare and set), and
-- only the timers that are still pending (ZADD XX).
-- Returns 1 when moved, 0 when the deadline had changed meanwhile, -1 when
-- the status is not the required one.
local key, timers = KEYS[RESCHEDULE_KEY_OBLIGATION], KEYS[RESCHEDULE_KEY_TIMERS]
if redis.call('HGET', key, OBL_DEADLINE) ~= ARGV[RESCHEDULE_ARG_OLD_DEADLINE] then return 0 end
local required = ARGV[RESCHEDULE_ARG_REQUIRED_STATUS]
if required ~= '' and redis.call('HGET', key, OBL_STATUS) ~= required then return -1 end
redis.call('HSET', key, OBL_DEADLINE, ARGV[RESCHEDULE_ARG_DEADLINE], OBL_DUE_AT, ARGV[RESCHEDULE_ARG_DUE_AT],
  OBL_ANCHOR, ARGV[RESCHEDULE_ARG_ANCHOR])
redis.call('ZADD', KEYS[RESCHEDULE_KEY_OBLS], ARGV[RESCHEDULE_ARG_DEADLINE_DAY], ARGV[RESCHEDULE_ARG_ID])
redis.call('ZADD', timers, 'XX', ARGV[RESCHEDULE_ARG_OVERDUE_AT], ARGV[RESCHEDULE_ARG_OVERDUE_MEMBER])
if ARGV[RESCHEDULE_ARG_REMINDER_AT] ~= '' then
  redis.call('ZADD', timers, 'XX', ARGV[RESCHEDULE_ARG_REMINDER_AT], ARGV[RESCHEDULE_ARG_REMINDER_MEMBER])
end
if ARGV[RESCHEDULE_ARG_ESCALATION_MEMBER] ~= '' then
  redis.call('ZADD', timers, 'XX', ARGV[RESCHEDULE_ARG_ESCALATION_AT], ARGV[RESCHEDULE_ARG_ESCALATION_MEMBER])
end
redis.call('RPUSH', KEYS[RESCHEDULE_KEY_AUDIT], ARGV[RESCHEDULE_ARG_ENTRY])
return 1
