-- reserve.lua — the classifier's first step for a batch of evidence whose
-- items it does not know yet: the open item of each index key, or a number
-- for a new item (mot:item:{it-N}), so that commit.lua receives every item
-- key in KEYS (layout: RESERVE in common/mot_scripts.h; no key name is made
-- here).
-- KEYS     the item counter, then per record its index key
--          (mot:itemidx:<kind>:<territory>:<topic>)
-- Returns  per record, in order: the id of the open item the index holds,
--          or the number reserved for a new one (the caller makes its id,
--          common/mot_schema.c); an index repeated in the batch gets the
--          number of its first occurrence.
-- The numbers come from one INCRBY. Nothing else is written: commit.lua
-- checks that each index still holds what this step saw; a number whose
-- item another classifier opened meanwhile stays unused.
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
