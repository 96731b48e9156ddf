-- items.lua — the classifier's view of the items one commit.lua call
-- touches (joined in front of lifecycle.lua and commit.lua): each item is
-- read once, kept current in a table, and written once at the end; the
-- score rules come as lookups computed in C (mot_scripts.h, COMMIT).
local now, window = tonumber(ARGV[COMMIT_ARG_NOW]), tonumber(ARGV[COMMIT_ARG_WINDOW])
local frequencies, quadrants = ARGV[COMMIT_ARG_FREQUENCY], ARGV[COMMIT_ARG_QUADRANTS]
local function frequency(count)
  return string.byte(frequencies, math.min(count, #frequencies - 1) + 1) - 48
end
local function quadrant(impact, vertical)
  return string.byte(quadrants, impact * 11 + vertical + 1) - 48
end
-- The items this batch touches, loaded once and written once at the end:
-- state = {key, audit, h (the hash as a table, kept current), dirty (fields
-- to write; a field dropped is written as a deletion), entries (audit
-- lines to append), put (setter), drop (deleter)}.
-- A state may be loaded in part (state_of's `fields`, see LIFECYCLE_FIELDS):
-- h then holds those fields, and the first read of any other field (a month
-- field, say, when evidence for the item follows in the batch) loads the
-- rest of the hash, once. Every write goes through put and drop, which read
-- the field first, so nothing unread is ever overwritten by the load.
local states, touched, held = {}, {}, {}
-- Reads the hash at `key` into table h, leaving the fields `skip` names.
-- Returns how many fields the hash has.
local function read_hash(key, h, skip)
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    if not (skip and skip[flat[i]]) then rawset(h, flat[i], flat[i + 1]) end
  end
  return #flat / 2
end
local function loaded_in_part(h, key, fields)
  local values = redis.call('HMGET', key, unpack(fields))
  local listed = {}
  for i, field in ipairs(fields) do
    listed[field] = true
    if values[i] then h[field] = values[i] end
  end
  setmetatable(h, {__index = function(t, field)
    if listed[field] then return nil end
    setmetatable(t, nil)
    read_hash(key, t, listed)
    return rawget(t, field)
  end})
end
local function state_of(key, audit, fresh, fields)
  local st = states[key]
  if st then return st end
  local h = {}
  if fields and not fresh then loaded_in_part(h, key, fields)
  elseif not fresh then read_hash(key, h) end
  local dirty = {}
  st = {key = key, audit = audit, h = h, dirty = dirty, entries = {}}
  st.put = function(field, value)
    value = tostring(value)
    if h[field] ~= value then h[field] = value dirty[field] = true end
  end
  st.drop = function(field)
    if h[field] ~= nil then h[field] = nil dirty[field] = true end
  end
  states[key] = st
  table.insert(touched, st)
  return st
end
-- what an index key holds (cached for the batch: this step may set it)
local function held_by(index_key)
  local id = held[index_key]
  if id == nil then
    id = redis.call('GET', index_key) or false
    held[index_key] = id
  end
  return id
end
-- items stored before proposals were kept apart: their values are the proposal
local function adopt(h, put)
  if not h[ITEM_PROPOSED_IMPACT] then
    put(ITEM_PROPOSED_IMPACT, h[ITEM_IMPACT] or 0) put(ITEM_PROPOSED_VERTICAL, h[ITEM_VERTICAL] or 1)
    put(ITEM_PROPOSED_CATEGORY, h[ITEM_CATEGORY] or UNCLASSIFIED) put(ITEM_PROPOSED_ON, h[ITEM_ON] or UNCLASSIFIED)
  end
end
local function effective_of(h)
  return {impact = tonumber(h[ITEM_IMPACT]), vertical = tonumber(h[ITEM_VERTICAL]),
    quadrant = tonumber(h[ITEM_QUADRANT]), category = h[ITEM_CATEGORY], on = h[ITEM_ON]}
end
-- Effective = override else the last valuation else proposal (a valuation
-- clears the score overrides before it: the newest analysts' value wins);
-- keeps the unclassified index; records the facts of a quadrant change
-- (caused by event `cause` of unit `unit`). Returns whether an effective
-- value changed.
-- Facts about items for the notices (written to the outbox at the end of
-- the call; mot_schema.h MOT_FACT_FIELDS).
local facts = {}
local severities = ARGV[COMMIT_ARG_SEVERITY]
local function severity(q)
  return string.byte(severities, (tonumber(q) or 0) + 1) - 48
end
-- A fact of `kind` about the item whose hash is h, caused by event `cause`
-- of unit `unit`; `more` adds fields.
local function fact(kind, h, cause, unit, more)
  local f = {[FACT_KIND] = kind, [FACT_ID] = h[ITEM_ID] .. '|' .. kind .. '|' .. cause,
    [FACT_ITEM] = h[ITEM_ID], [FACT_ITEM_KIND] = h[ITEM_KIND], [FACT_TOPIC] = h[ITEM_TOPIC],
    [FACT_TERRITORY] = h[ITEM_TERRITORY], [FACT_ON] = h[ITEM_ON], [FACT_UNIT] = unit, [FACT_EVENT] = cause,
    [FACT_QUADRANT] = tonumber(h[ITEM_QUADRANT]), [FACT_IMPACT] = tonumber(h[ITEM_IMPACT]),
    [FACT_VERTICAL] = tonumber(h[ITEM_VERTICAL]), [FACT_AT] = now}
  for k, v in pairs(more or {}) do f[k] = v end
  table.insert(facts, cjson.encode(f))
end
-- The facts of a quadrant change: entering quadrant I, or a worse one.
local function quadrant_facts(h, old, cause, unit)
  local q = h[ITEM_QUADRANT]
  if q == old then return end
  if q == '1' then fact(FACT_QUADRANT_I, h, cause, unit, {[FACT_PREVIOUS] = tonumber(old)})
  elseif old and severity(q) > severity(old) then fact(FACT_WORSE, h, cause, unit, {[FACT_PREVIOUS] = tonumber(old)}) end
end
local function settle(h, id, number, put, cause, unit)
  local old_quadrant = h[ITEM_QUADRANT]
  local impact = h[ITEM_IMPACT_OVERRIDE] or h[ITEM_VALUED_IMPACT] or h[ITEM_PROPOSED_IMPACT]
  local vertical = h[ITEM_VERTICAL_OVERRIDE] or h[ITEM_VALUED_VERTICAL] or h[ITEM_PROPOSED_VERTICAL]
  local category = h[ITEM_CATEGORY_OVERRIDE] or h[ITEM_PROPOSED_CATEGORY]
  local on = h[ITEM_ON_OVERRIDE] or h[ITEM_PROPOSED_ON]
  local q = tostring(quadrant(tonumber(impact), tonumber(vertical)))
  local was = h[ITEM_CATEGORY] == UNCLASSIFIED or h[ITEM_ON] == UNCLASSIFIED
  local is = category == UNCLASSIFIED or on == UNCLASSIFIED
  local changed = impact ~= h[ITEM_IMPACT] or vertical ~= h[ITEM_VERTICAL] or q ~= h[ITEM_QUADRANT]
    or category ~= h[ITEM_CATEGORY] or on ~= h[ITEM_ON]
  if changed then
    put(ITEM_IMPACT, impact) put(ITEM_VERTICAL, vertical) put(ITEM_QUADRANT, q)
    put(ITEM_CATEGORY, category) put(ITEM_ON, on)
  end
  put(ITEM_UPDATED_AT, now) put(ITEM_VERSION, tonumber(h[ITEM_VERSION] or 0) + 1)
  if is and not was then redis.call('ZADD', KEYS[COMMIT_KEY_UNCLASSIFIED], number, id)
  elseif was and not is then redis.call('ZREM', KEYS[COMMIT_KEY_UNCLASSIFIED], id) end
  if changed then quadrant_facts(h, old_quadrant, cause, unit) end
  return changed
end
