-- await.lua — an after: obligation of a month that has closed, against the
-- reports it waits for, in one atomic step (layout: AWAIT, then one
-- AWAIT_INPUT record per report, in common/mot_scripts.h).
-- KEYS     the obligation hash, mot:obls, then per input its obligation hash
-- ARGV     id, unit, report, report_name, period, n, the day number of the
--          month's close (its score in mot:obls while it waits), now (unix
--          s), then per input its name "UNIT/code"
-- Returns  {AWAIT_SETTLED}: the obligation is pending or delivered already;
--          nothing changes.
--          {AWAIT_WAITING, "UNIT/code,…"}: these inputs are not delivered;
--          the obligation exists with status waiting (no deadline, no
--          timers) and lists them in waiting_for (created when absent).
--          {AWAIT_READY, "YYYY-MM-DD"}: every input is delivered, the last
--          on that day; nothing changes here: the caller computes the
--          deadline and creates the obligation pending (create.lua turns a
--          waiting one into a pending one).
-- An input counts once its obligation's status is delivered or
-- delivered_late. Reading them all in one step means two deliveries
-- applied at once by two watchers cannot both see the other one missing.
local key = KEYS[AWAIT_KEY_OBLIGATION]
local status = redis.call('HGET', key, OBL_STATUS)
if status and status ~= STATUS_WAITING then return {AWAIT_SETTLED} end
local count = (#ARGV - AWAIT_ARGS) / AWAIT_INPUT_ARGS
local missing, last = {}, ''
for i = 0, count - 1 do
  local input = redis.call('HMGET', KEYS[AWAIT_KEYS + 1 + i * AWAIT_INPUT_KEYS + AWAIT_INPUT_KEY_OBLIGATION],
    OBL_STATUS, OBL_DELIVERED_ON)
  if (input[1] == STATUS_DELIVERED or input[1] == STATUS_DELIVERED_LATE) and input[2] then
    if input[2] > last then last = input[2] end
  else
    missing[#missing + 1] = ARGV[AWAIT_ARGS + 1 + i * AWAIT_INPUT_ARGS + AWAIT_INPUT_ARG_NAME]
  end
end
if #missing == 0 then return {AWAIT_READY, last} end
local list = table.concat(missing, ',')
if status then
  redis.call('HSET', key, OBL_WAITING_FOR, list)
else
  redis.call('HSET', key, OBL_ID, ARGV[AWAIT_ARG_ID], OBL_UNIT, ARGV[AWAIT_ARG_UNIT], OBL_REPORT, ARGV[AWAIT_ARG_REPORT],
    OBL_REPORT_NAME, ARGV[AWAIT_ARG_REPORT_NAME], OBL_PERIOD, ARGV[AWAIT_ARG_PERIOD], OBL_STATUS, STATUS_WAITING,
    OBL_CREATED_AT, ARGV[AWAIT_ARG_NOW], OBL_N, ARGV[AWAIT_ARG_DAYS], OBL_WAITING_FOR, list)
  redis.call('ZADD', KEYS[AWAIT_KEY_OBLS], ARGV[AWAIT_ARG_CLOSE_DAY], ARGV[AWAIT_ARG_ID])
end
return {AWAIT_WAITING, list}
