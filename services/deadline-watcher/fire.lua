-- fire.lua — the deadline-watcher's one atomic step for a batch of due timers
-- (joined after notice_log.lua, whose log_batch() it uses).
-- KEYS[1]  mot:timers
-- KEYS[2]  mot:seq:notice
-- KEYS[3]  mot:notices          (the notice log)
-- ARGV     count, now (service clock, unix s), the batch's notices (a packed
--          NoticeBatch, the i-th notice for the i-th timer), then per timer:
--          member (also the notice id), obligation key and escalation level
--          (both "" for a reminder or the overdue notice), next escalation
--          member ("" none), its time
-- Returns  one integer per timer, in order:
--          >0  fired: its notice is in the log with this seq
--           0  gone: another watcher fired it, or a delivery cancelled it
--          -1  not due: the timer was moved later meanwhile (a calendar change)
-- A timer leaves mot:timers here and only here, and its notice enters the
-- log in the same step, so of several watchers only the one whose call
-- removed it logs its notice, and a watcher killed at any point loses
-- nothing. Per timer only an escalation writes to its obligation;
-- everything else is one command for the whole batch, and the notices'
-- bytes are one value that Lua never takes apart.
local count, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local PER_TIMER = 5
local members = {}
for i = 0, count - 1 do members[#members + 1] = ARGV[4 + i * PER_TIMER] end
local scores = redis.call('ZMSCORE', KEYS[1], unpack(members))
local out, removed, next_timers, held = {}, {}, {}, {}

-- Records the escalation level sent on the obligation (a reminder or the
-- overdue notice changes nothing: "overdue" is not stored, it follows from
-- the time). The watcher checked the status it read just before; a delivery
-- since then took the timer out of mot:timers in its own step (it cancels
-- every pending timer), so a timer still there belongs to an obligation
-- still undelivered.
local function mark(key, level)
  if level ~= '' then redis.call('HSET', key, 'escalation_level', level) end
end

for i = 1, count do
  local b = 4 + (i - 1) * PER_TIMER
  if not scores[i] then
    out[i] = 0
  elseif tonumber(scores[i]) > now then
    out[i] = -1
  else
    removed[#removed + 1] = ARGV[b]
    mark(ARGV[b + 1], ARGV[b + 2])
    if ARGV[b + 3] ~= '' then
      next_timers[#next_timers + 1] = ARGV[b + 4]
      next_timers[#next_timers + 1] = ARGV[b + 3]
    end
    held[#held + 1] = i - 1
  end
end
if #removed > 0 then redis.call('ZREM', KEYS[1], unpack(removed)) end
if #next_timers > 0 then redis.call('ZADD', KEYS[1], unpack(next_timers)) end
local seq = log_batch(KEYS[2], KEYS[3], ARGV[3], count, held)
for k, i in ipairs(held) do out[i + 1] = seq + k - 1 end
return out
