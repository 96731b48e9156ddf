-- reserve.lua — the first step of a batch that may create things whose keys
-- hold an id Redis hands out: intake's events (mot:event:ev-N) and the
-- classifier's items (mot:item:{it-N}). It looks each lookup key up and
-- reserves a number for each one that holds nothing, so that the caller can
-- build every key of the second step (layout: RESERVE in
-- common/mot_scripts.h; no key name is made here).
-- KEYS     the counter, then per record its lookup key (intake: the dedup
--          key; the classifier: the item index key)
-- Returns  per record, in order: what the lookup key holds (the stored
--          event id of a duplicate, the open item's id), or the number
--          reserved for it (the caller makes its id, common/mot_schema.c); a
--          lookup key repeated in the batch gets the number of its first
--          occurrence.
-- The numbers come from one INCRBY. Nothing else is written: the second
-- step checks that each lookup key still holds what this one saw; a
-- number whose record turns out taken meanwhile stays unused.
local count = (#KEYS - RESERVE_KEYS) / RESERVE_LOOKUP_KEYS
local out, first_of, fresh = {}, {}, 0
for i = 1, count do
  local key = KEYS[RESERVE_KEYS + (i - 1) * RESERVE_LOOKUP_KEYS + 1 + RESERVE_LOOKUP_KEY_LOOKUP]
  local held = redis.call('GET', key)
  if held then
    out[i] = held
  elseif first_of[key] then
    out[i] = out[first_of[key]]
  else
    fresh = fresh + 1
    first_of[key] = i
    out[i] = fresh
  end
end
if fresh > 0 then
  local base = redis.call('INCRBY', KEYS[RESERVE_KEY_SEQ], fresh) - fresh
  for i = 1, count do
    if type(out[i]) == 'number' then out[i] = base + out[i] end
  end
end
return out
