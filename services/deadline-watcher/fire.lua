-- fire.lua — the deadline-watcher's one atomic step for a batch of due timers.
-- KEYS[1]  mot:timers
-- KEYS[2]  mot:outbox           (notice id -> when it was last sent)
-- KEYS[3]  mot:outbox:notices   (notice id -> packed notice)
-- ARGV     count, now (service clock, unix s), then per timer: member (also
--          the notice id), kind (reminder | overdue | escalation), obligation
--          key, packed notice, next escalation member ("" none), its time,
--          escalation level
-- Returns  one integer per timer, in order:
--           1  fired: the notice is in the outbox; send it
--           0  gone: another watcher fired it, or a delivery cancelled it
--           3  not due: the timer was moved later meanwhile (a calendar change)
-- A timer leaves mot:timers here and only here, so of several watchers only
-- the one whose call removed it sends its notice. Per timer this costs at
-- most one write to its obligation; everything else is one command for the
-- whole batch. The outbox is scored by Redis's own clock
-- (TIME): re-sending is transport bookkeeping and must go on while a test
-- clock stands still.
local count, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local sent_at = redis.call('TIME')[1]
local members = {}
for i = 0, count - 1 do members[#members + 1] = ARGV[3 + i * 7] end
local scores = redis.call('ZMSCORE', KEYS[1], unpack(members))
local out, removed, next_timers, outbox, notices = {}, {}, {}, {}, {}

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
  local member, kind, key, packed = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local result
  if not scores[i] then
    result = 0
  elseif tonumber(scores[i]) > now then
    result = 3
  else
    removed[#removed + 1] = member
    mark(kind, key, ARGV[b + 6])
    result = 1
  end
  if result == 1 then
    if ARGV[b + 4] ~= '' then
      next_timers[#next_timers + 1] = ARGV[b + 5]
      next_timers[#next_timers + 1] = ARGV[b + 4]
    end
    outbox[#outbox + 1] = sent_at
    outbox[#outbox + 1] = member
    notices[#notices + 1] = member
    notices[#notices + 1] = packed
  end
  out[i] = result
end
if #removed > 0 then redis.call('ZREM', KEYS[1], unpack(removed)) end
if #next_timers > 0 then redis.call('ZADD', KEYS[1], unpack(next_timers)) end
if #outbox > 0 then
  redis.call('ZADD', KEYS[2], unpack(outbox))
  redis.call('HSET', KEYS[3], unpack(notices))
end
return out
