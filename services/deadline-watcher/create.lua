-- create.lua — the deadline-watcher's one atomic step for a batch of new
-- obligation instances with their timers (layout: CREATE, then one INSTANCE
-- record each, in common/mot_scripts.h; field names from mot_schema.h).
-- KEYS     mot:obls, mot:timers, mot:pending:watch, then per instance its
--          obligation hash
-- ARGV     now (service clock, unix s), then per instance: id, unit,
--          report, report_name, period, deadline, deadline day number,
--          due_at, anchor, n, territory ("" none), responsible ("" none),
--          intake event id ("" none), its overdue timer's member and time,
--          its reminder's member and time ("" none)
-- Returns  one integer per instance, in order: 1 created, 0 it existed
--          already (nothing changes: creating twice creates once).
--          An instance that exists with status waiting (an after: obligation
--          whose inputs were missing, await.lua) is made pending with its
--          deadline and timers (1); it keeps its created_at.
-- Either way the intake event leaves mot:pending:watch in the same step.
local count = (#ARGV - CREATE_ARGS) / INSTANCE_ARGS
local now = ARGV[CREATE_ARG_NOW]
local out, obls, timers, events = {}, {}, {}, {}

local function append(list, score, member)
  list[#list + 1] = score
  list[#list + 1] = member
end

local function create(key, a)
  local waiting = redis.call('HGET', key, OBL_STATUS) == STATUS_WAITING
  if not waiting and redis.call('EXISTS', key) == 1 then return 0 end
  local id = ARGV[a + INSTANCE_ARG_ID]
  local fields = {OBL_ID, id, OBL_UNIT, ARGV[a + INSTANCE_ARG_UNIT], OBL_REPORT, ARGV[a + INSTANCE_ARG_REPORT],
                  OBL_REPORT_NAME, ARGV[a + INSTANCE_ARG_REPORT_NAME], OBL_PERIOD, ARGV[a + INSTANCE_ARG_PERIOD],
                  OBL_DEADLINE, ARGV[a + INSTANCE_ARG_DEADLINE], OBL_DUE_AT, ARGV[a + INSTANCE_ARG_DUE_AT],
                  OBL_STATUS, STATUS_PENDING, OBL_ANCHOR, ARGV[a + INSTANCE_ARG_ANCHOR],
                  OBL_N, ARGV[a + INSTANCE_ARG_DAYS]}
  if waiting then
    redis.call('HDEL', key, OBL_WAITING_FOR)
  else
    fields[#fields + 1] = OBL_CREATED_AT
    fields[#fields + 1] = now
  end
  if ARGV[a + INSTANCE_ARG_TERRITORY] ~= '' then
    fields[#fields + 1] = OBL_TERRITORY
    fields[#fields + 1] = ARGV[a + INSTANCE_ARG_TERRITORY]
  end
  if ARGV[a + INSTANCE_ARG_RESPONSIBLE] ~= '' then
    fields[#fields + 1] = OBL_RESPONSIBLE
    fields[#fields + 1] = ARGV[a + INSTANCE_ARG_RESPONSIBLE]
  end
  redis.call('HSET', key, unpack(fields))
  append(obls, ARGV[a + INSTANCE_ARG_DEADLINE_DAY], id)
  append(timers, ARGV[a + INSTANCE_ARG_OVERDUE_AT], ARGV[a + INSTANCE_ARG_OVERDUE_MEMBER])
  if ARGV[a + INSTANCE_ARG_REMINDER_AT] ~= '' then
    append(timers, ARGV[a + INSTANCE_ARG_REMINDER_AT], ARGV[a + INSTANCE_ARG_REMINDER_MEMBER])
  end
  return 1
end

for i = 0, count - 1 do
  local a = CREATE_ARGS + 1 + i * INSTANCE_ARGS
  out[#out + 1] = create(KEYS[CREATE_KEYS + 1 + i * INSTANCE_KEYS + INSTANCE_KEY_OBLIGATION], a)
  if ARGV[a + INSTANCE_ARG_EVENT_ID] ~= '' then events[#events + 1] = ARGV[a + INSTANCE_ARG_EVENT_ID] end
end
if #obls > 0 then redis.call('ZADD', KEYS[CREATE_KEY_OBLS], unpack(obls)) end
if #timers > 0 then redis.call('ZADD', KEYS[CREATE_KEY_TIMERS], unpack(timers)) end
if #events > 0 then redis.call('ZREM', KEYS[CREATE_KEY_PENDING], unpack(events)) end
return out
