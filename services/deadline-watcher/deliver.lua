-- deliver.lua — a report delivery, in one atomic step (layout: DELIVER,
-- then one CANCEL record per timer member to cancel, in
-- common/mot_scripts.h).
-- uses: common/lua/lib/notice_log.lua
-- KEYS     the obligation hash, mot:obls, mot:timers, mot:pending:watch,
--          mot:seq:notice, mot:notices
-- ARGV     event_id, id, unit, report, report_name, period, deadline (""
--          unknown), deadline day number ("" unknown), due_at ("" unknown),
--          now, delivered_on, status, business days late, the
--          DELIVERED_LATE notice as a packed NoticeBatch ("" when on time),
--          keep_pending ("1": leave the event pending), then the members of
--          the obligation's timers (reminder, overdue, every escalation)
-- Records the delivery on the obligation (creating it when no deadline
-- made it yet; one still waiting for its inputs stops waiting), cancels its
-- pending timers, logs the late-delivery notice.
-- Returns 1 when applied, 0 when this event was applied before, -1 when an
-- earlier delivery already cleared the obligation.
local key, event_id, id = KEYS[DELIVER_KEY_OBLIGATION], ARGV[DELIVER_ARG_EVENT_ID], ARGV[DELIVER_ARG_ID]
local keep = ARGV[DELIVER_ARG_KEEP_PENDING] == '1'
local applied = redis.call('HGET', key, OBL_DELIVERY_EVENT)
if applied then
  if not keep then redis.call('ZREM', KEYS[DELIVER_KEY_PENDING], event_id) end
  if applied == event_id then return 0 end
  return -1
end
if redis.call('EXISTS', key) == 0 then
  redis.call('HSET', key, OBL_ID, id, OBL_UNIT, ARGV[DELIVER_ARG_UNIT], OBL_REPORT, ARGV[DELIVER_ARG_REPORT],
    OBL_REPORT_NAME, ARGV[DELIVER_ARG_REPORT_NAME], OBL_PERIOD, ARGV[DELIVER_ARG_PERIOD],
    OBL_DEADLINE, ARGV[DELIVER_ARG_DEADLINE], OBL_DUE_AT, ARGV[DELIVER_ARG_DUE_AT], OBL_CREATED_AT, ARGV[DELIVER_ARG_NOW])
  if ARGV[DELIVER_ARG_DEADLINE_DAY] ~= '' then
    redis.call('ZADD', KEYS[DELIVER_KEY_OBLS], ARGV[DELIVER_ARG_DEADLINE_DAY], id)
  end
end
redis.call('HSET', key, OBL_STATUS, ARGV[DELIVER_ARG_STATUS], OBL_DELIVERED_ON, ARGV[DELIVER_ARG_DELIVERED_ON],
  OBL_BUSINESS_DAYS_LATE, ARGV[DELIVER_ARG_BUSINESS_DAYS_LATE], OBL_DELIVERY_EVENT, event_id)
redis.call('HDEL', key, OBL_WAITING_FOR)
if #ARGV > DELIVER_ARGS then
  redis.call('ZREM', KEYS[DELIVER_KEY_TIMERS], unpack(ARGV, DELIVER_ARGS + 1))
end
if ARGV[DELIVER_ARG_NOTICES] ~= '' then
  log_batch(KEYS[DELIVER_KEY_SEQ], KEYS[DELIVER_KEY_LOG], ARGV[DELIVER_ARG_NOTICES], 1, {0})
end
if not keep then redis.call('ZREM', KEYS[DELIVER_KEY_PENDING], event_id) end
return 1
