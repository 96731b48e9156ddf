-- fire.lua — the deadline-watcher's one atomic step for a batch of due
-- timers (layout: FIRE, then one FIRE_TIMER record each, in
-- common/mot_scripts.h).
-- uses: common/lua/lib/notice_log.lua
-- KEYS     mot:timers, mot:seq:notice, mot:notices (the notice log), then
--          per timer its obligation hash
-- ARGV     now (service clock, unix s), the batch's notices (a packed
--          NoticeBatch, the i-th notice for the i-th timer), then per
--          timer: member (also the notice id), escalation level ("" for a
--          reminder or the overdue notice), next escalation member ("" none),
--          its time
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
local count = (#ARGV - FIRE_ARGS) / FIRE_TIMER_ARGS
local now = tonumber(ARGV[FIRE_ARG_NOW])
local members = {}
for i = 0, count - 1 do members[#members + 1] = ARGV[FIRE_ARGS + 1 + i * FIRE_TIMER_ARGS + FIRE_TIMER_ARG_MEMBER] end
local scores = redis.call('ZMSCORE', KEYS[FIRE_KEY_TIMERS], unpack(members))
local out, removed, next_timers, held = {}, {}, {}, {}

-- Records the escalation level sent on the obligation (a reminder or the
-- overdue notice changes nothing: "overdue" is not stored, it follows from
-- the time). The watcher checked the status it read just before; a delivery
-- since then took the timer out of mot:timers in its own step (it cancels
-- every pending timer), so a timer still there belongs to an obligation
-- still undelivered.
local function mark(key, level)
  if level ~= '' then redis.call('HSET', key, OBL_ESCALATION_LEVEL, level) end
end

for i = 1, count do
  local a = FIRE_ARGS + 1 + (i - 1) * FIRE_TIMER_ARGS
  if not scores[i] then
    out[i] = 0
  elseif tonumber(scores[i]) > now then
    out[i] = -1
  else
    removed[#removed + 1] = ARGV[a + FIRE_TIMER_ARG_MEMBER]
    mark(KEYS[FIRE_KEYS + 1 + (i - 1) * FIRE_TIMER_KEYS + FIRE_TIMER_KEY_OBLIGATION], ARGV[a + FIRE_TIMER_ARG_LEVEL])
    if ARGV[a + FIRE_TIMER_ARG_NEXT_MEMBER] ~= '' then
      next_timers[#next_timers + 1] = ARGV[a + FIRE_TIMER_ARG_NEXT_AT]
      next_timers[#next_timers + 1] = ARGV[a + FIRE_TIMER_ARG_NEXT_MEMBER]
    end
    held[#held + 1] = i - 1
  end
end
if #removed > 0 then redis.call('ZREM', KEYS[FIRE_KEY_TIMERS], unpack(removed)) end
if #next_timers > 0 then redis.call('ZADD', KEYS[FIRE_KEY_TIMERS], unpack(next_timers)) end
local seq = log_batch(KEYS[FIRE_KEY_SEQ], KEYS[FIRE_KEY_LOG], ARGV[FIRE_ARG_NOTICES], count, held)
for k, i in ipairs(held) do out[i + 1] = seq + k - 1 end
return out
