-- fire.lua — the deadline-watcher's one atomic step for a batch of due timers
-- (joined after notice_log.lua, whose log_notices() it uses).
-- KEYS[1]  mot:timers
-- KEYS[2]  mot:seq:notice
-- KEYS[3]  mot:notices          (the notice log, newest first)
-- ARGV     count, now (service clock, unix s), then per timer: member (also
--          the notice id), kind (reminder | overdue | escalation), obligation
--          key, packed notice (with its text, without seq), next escalation
--          member ("" none), its time, escalation level
-- Returns  one integer per timer, in order:
--          >0  fired: its notice is in the log with this seq
--           0  gone: another watcher fired it, or a delivery cancelled it
--          -1  not due: the timer was moved later meanwhile (a calendar change)
-- A timer leaves mot:timers here and only here, and its notice enters the
-- log in the same step, so of several watchers only the one whose call
-- removed it logs its notice, and a watcher killed at any point loses
-- nothing. Per timer this costs at most one write to its obligation;
-- everything else is one command for the whole batch.
local count, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local members = {}
for i = 0, count - 1 do members[#members + 1] = ARGV[3 + i * 7] end
local scores = redis.call('ZMSCORE', KEYS[1], unpack(members))
local out, removed, next_timers, packed, fired = {}, {}, {}, {}, {}

-- Marks the obligation: overdue after the overdue notice, the level sent
-- after an escalation (a reminder changes nothing). The watcher checked the
-- status it read just before; a delivery since then took the timer out of
-- mot:timers in its own step (it cancels every pending timer), so a timer
-- still there belongs to an obligation still in the status it needs.
local function mark(kind, key, level)
  if kind == 'overdue' then
    redis.call('HSET', key, 'status', 'overdue')
  elseif kind == 'escalation' then
    redis.call('HSET', key, 'escalation_level', level)
  end
end

for i = 1, count do
  local b = 3 + (i - 1) * 7
  if not scores[i] then
    out[i] = 0
  elseif tonumber(scores[i]) > now then
    out[i] = -1
  else
    removed[#removed + 1] = ARGV[b]
    mark(ARGV[b + 1], ARGV[b + 2], ARGV[b + 6])
    if ARGV[b + 4] ~= '' then
      next_timers[#next_timers + 1] = ARGV[b + 5]
      next_timers[#next_timers + 1] = ARGV[b + 4]
    end
    packed[#packed + 1] = ARGV[b + 3]
    fired[#fired + 1] = i
  end
end
if #removed > 0 then redis.call('ZREM', KEYS[1], unpack(removed)) end
if #next_timers > 0 then redis.call('ZADD', KEYS[1], unpack(next_timers)) end
local seq = log_notices(KEYS[2], KEYS[3], packed)
for k, i in ipairs(fired) do out[i] = seq + k - 1 end
return out
