-- create.lua — the deadline-watcher's one atomic step for a batch of new
-- obligation instances with their timers.
-- KEYS[1]  mot:obls
-- KEYS[2]  mot:timers
-- KEYS[3]  mot:pending:watch
-- ARGV     count, now (service clock, unix s), then per instance: hash key,
--          id, unit, report, report_name, period, deadline, deadline day
--          number, due_at, reminder_at ("" none), anchor, n, territory (""
--          none), responsible ("" none), intake event id ("" none)
-- Returns  one integer per instance, in order: 1 created, 0 it existed
--          already (nothing changes: creating twice creates once).
-- Either way the intake event leaves mot:pending:watch in the same step.
local count, now = tonumber(ARGV[1]), ARGV[2]
local out, obls, timers, events = {}, {}, {}, {}

local function append(list, score, member)
  list[#list + 1] = score
  list[#list + 1] = member
end

local function create(b)
  local key, id = ARGV[b], ARGV[b + 1]
  if redis.call('EXISTS', key) == 1 then return 0 end
  local fields = {'id', id, 'unit', ARGV[b + 2], 'report', ARGV[b + 3], 'report_name', ARGV[b + 4],
                  'period', ARGV[b + 5], 'deadline', ARGV[b + 6], 'due_at', ARGV[b + 8], 'status', 'pending',
                  'created_at', now, 'anchor', ARGV[b + 10], 'n', ARGV[b + 11]}
  if ARGV[b + 12] ~= '' then
    fields[#fields + 1] = 'territory'
    fields[#fields + 1] = ARGV[b + 12]
  end
  if ARGV[b + 13] ~= '' then
    fields[#fields + 1] = 'responsible'
    fields[#fields + 1] = ARGV[b + 13]
  end
  redis.call('HSET', key, unpack(fields))
  append(obls, ARGV[b + 7], id)
  append(timers, tonumber(ARGV[b + 8]) + 1, id .. '|overdue')
  if ARGV[b + 9] ~= '' then append(timers, ARGV[b + 9], id .. '|reminder') end
  return 1
end

for i = 0, count - 1 do
  local b = 3 + i * 15
  out[#out + 1] = create(b)
  if ARGV[b + 14] ~= '' then events[#events + 1] = ARGV[b + 14] end
end
if #obls > 0 then redis.call('ZADD', KEYS[1], unpack(obls)) end
if #timers > 0 then redis.call('ZADD', KEYS[2], unpack(timers)) end
if #events > 0 then redis.call('ZREM', KEYS[3], unpack(events)) end
return out
