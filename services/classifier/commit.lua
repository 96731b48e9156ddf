-- commit.lua — the classifier's one atomic step for a batch of dispatched
-- events (services/classifier/commit.c runs it; commit.h says what it does
-- to an item, common/mot_scripts.h gives the layout: COMMIT, then EVIDENCE
-- and OVERRIDE records, each starting with its tag; the names of the
-- item's fields come from common/mot_schema.h).
-- KEYS     the pending set, the unclassified items; per evidence record its
--          event hash, index key, item hash, item audit list and
--          items-by-kind set; per override its event hash, item hash and
--          item audit list
-- ARGV     now (unix s, service clock), window (months), the frequency
--          lookup, the quadrant lookup (both computed in C, see
--          mot_scripts.h), then the records
-- Returns  {outcome, item_id} per record: COMMIT_OUTCOME_APPLIED,
--          _ALREADY (the event hash has item_id: a re-driven or duplicated
--          dispatch), _REJECTED (an override for an unknown item; the
--          event gets rejected = "unknown item") or _STALE (the index key no
--          longer holds what reserve.lua saw: nothing is written for it,
--          the caller looks again).
-- Writes happen at the end, items first, then the event marks, then ZREM
-- from the pending set.
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
-- to write), entries (audit lines to append), put (setter)}.
local states, touched, held = {}, {}, {}
local function state_of(key, audit, fresh)
  local st = states[key]
  if st then return st end
  local h = {}
  if not fresh then
    local flat = redis.call('HGETALL', key)
    for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  end
  local dirty = {}
  st = {key = key, audit = audit, h = h, dirty = dirty, entries = {}}
  st.put = function(field, value)
    value = tostring(value)
    if h[field] ~= value then h[field] = value dirty[field] = true end
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
-- the month fields of the `window` months ending with month `last` (cached)
local windows = {}
local function window_fields(last)
  local fields = windows[last]
  if fields then return fields end
  fields = {}
  local y, m = tonumber(string.sub(last, 1, 4)), tonumber(string.sub(last, 6, 7))
  for i = 1, window do
    fields[i] = string.format('%s%04d-%02d', ITEM_MONTH_PREFIX, y, m)
    m = m - 1
    if m == 0 then m = 12 y = y - 1 end
  end
  windows[last] = fields
  return fields
end
local function in_window(h, last)
  local total = 0
  for _, field in ipairs(window_fields(string.sub(last, 1, 7))) do
    total = total + tonumber(h[field] or 0)
  end
  return total
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
-- Effective = override else proposal; keeps the unclassified index. Returns
-- whether an effective value changed.
local function settle(h, id, number, put)
  local impact = h[ITEM_IMPACT_OVERRIDE] or h[ITEM_PROPOSED_IMPACT]
  local vertical = h[ITEM_VERTICAL_OVERRIDE] or h[ITEM_PROPOSED_VERTICAL]
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
  return changed
end
-- a new item's fields (also when an index names an item whose hash is gone)
local function init_item(st, id, e)
  local put = st.put
  put(ITEM_ID, id) put(ITEM_KIND, e.kind) put(ITEM_SOURCE, e.source) put(ITEM_TERRITORY, e.territory)
  put(ITEM_TOPIC, e.topic) put(ITEM_TOPIC_KEY, e.topic_key) put(ITEM_STAGE, STAGE_IDENTIFICACION)
  put(ITEM_FIRST_SEEN, e.day) put(ITEM_LAST_SEEN, e.day) put(ITEM_CREATED_AT, now)
  put(ITEM_PROPOSED_IMPACT, 0) put(ITEM_PROPOSED_VERTICAL, 1)
  put(ITEM_PROPOSED_CATEGORY, e.category) put(ITEM_PROPOSED_ON, e.on)
  table.insert(st.entries, cjson.encode({what = 'created', who = 'classifier', event_id = e.event_id, at = now,
    stage = STAGE_IDENTIFICACION, category = e.category, on = e.on, rule = e.rule}))
end
-- An evidence record, as a table (k: its first key, a: its first argument).
local function evidence_at(k, a)
  return {event_key = KEYS[k + EVIDENCE_KEY_EVENT], index_key = KEYS[k + EVIDENCE_KEY_INDEX],
    item_key = KEYS[k + EVIDENCE_KEY_ITEM], audit_key = KEYS[k + EVIDENCE_KEY_AUDIT],
    items_key = KEYS[k + EVIDENCE_KEY_ITEMS],
    event_id = ARGV[a + EVIDENCE_ARG_EVENT_ID], item_id = ARGV[a + EVIDENCE_ARG_ITEM_ID],
    number = tonumber(ARGV[a + EVIDENCE_ARG_ITEM_NUMBER]), is_new = ARGV[a + EVIDENCE_ARG_IS_NEW] == '1',
    kind = ARGV[a + EVIDENCE_ARG_KIND], source = ARGV[a + EVIDENCE_ARG_SOURCE],
    territory = ARGV[a + EVIDENCE_ARG_TERRITORY], topic = ARGV[a + EVIDENCE_ARG_TOPIC],
    topic_key = ARGV[a + EVIDENCE_ARG_TOPIC_KEY], day = ARGV[a + EVIDENCE_ARG_DAY],
    category = ARGV[a + EVIDENCE_ARG_CATEGORY], on = ARGV[a + EVIDENCE_ARG_ON],
    impact = tonumber(ARGV[a + EVIDENCE_ARG_IMPACT]), given = tonumber(ARGV[a + EVIDENCE_ARG_GIVEN_VERTICAL]),
    rule = ARGV[a + EVIDENCE_ARG_RULE], basis = ARGV[a + EVIDENCE_ARG_BASIS]}
end
local function evidence(e)
  local done = redis.call('HGET', e.event_key, EVENT_ITEM_ID)
  if done then return COMMIT_OUTCOME_ALREADY, done end
  local id, st = held_by(e.index_key), nil
  -- as reserve.lua saw it: the item named, or none yet for a new one (or
  -- the new one, opened by an earlier record of this batch)
  if id ~= e.item_id and not (e.is_new and id == false) then return COMMIT_OUTCOME_STALE, e.item_id end
  if id then
    st = state_of(e.item_key, e.audit_key, false)
    if st.h[ITEM_ID] then adopt(st.h, st.put) else init_item(st, id, e) end
  else
    id = e.item_id
    redis.call('SET', e.index_key, id)
    redis.call('ZADD', e.items_key, e.number, id)
    held[e.index_key] = id
    st = state_of(e.item_key, e.audit_key, true)
    init_item(st, id, e)
  end
  local h, put = st.h, st.put
  local day, impact, given = e.day, e.impact, e.given
  local events = tonumber(h[ITEM_EVENTS] or 0) + 1
  local month = ITEM_MONTH_PREFIX .. string.sub(day, 1, 7)
  put(ITEM_EVENTS, events)
  put(month, tonumber(h[month] or 0) + 1)
  if day < h[ITEM_FIRST_SEEN] then put(ITEM_FIRST_SEEN, day) end
  if day > h[ITEM_LAST_SEEN] then put(ITEM_LAST_SEEN, day) end
  if h[ITEM_PROPOSED_CATEGORY] == UNCLASSIFIED and e.category ~= UNCLASSIFIED then
    put(ITEM_PROPOSED_CATEGORY, e.category) put(ITEM_PROPOSED_ON, e.on)
    table.insert(st.entries, cjson.encode({what = 'categorised', who = 'classifier', event_id = e.event_id, at = now,
      category = e.category, on = e.on, rule = e.rule}))
  end
  -- the unit's own value: the one of the latest event date (tie: the higher)
  local given_now, given_day = tonumber(h[ITEM_VERTICAL_GIVEN] or '0'), h[ITEM_VERTICAL_GIVEN_DAY]
  if given > 0 and (not given_day or day > given_day or (day == given_day and given > given_now)) then
    given_now = given
    put(ITEM_VERTICAL_GIVEN, given) put(ITEM_VERTICAL_GIVEN_DAY, day)
  end
  local counted = in_window(h, h[ITEM_LAST_SEEN])
  local vertical = given_now > 0 and given_now or frequency(counted)
  local proposed = math.max(tonumber(h[ITEM_PROPOSED_IMPACT]), impact)
  local reproposed = tostring(proposed) ~= h[ITEM_PROPOSED_IMPACT] or tostring(vertical) ~= h[ITEM_PROPOSED_VERTICAL]
  put(ITEM_PROPOSED_IMPACT, proposed) put(ITEM_PROPOSED_VERTICAL, vertical) put(ITEM_WINDOW_EVENTS, counted)
  local changed = settle(h, id, e.number, put)
  -- The most frequent entry, written by hand: every value is an id, a date,
  -- a number or a unit code of our own, except the basis (encoded).
  table.insert(st.entries, '{"what":"evidence","who":"classifier","event_id":"' .. e.event_id .. '","at":' .. now ..
    ',"events":' .. events .. ',"source":"' .. e.source .. '","day":"' .. day .. '","impact":' .. impact ..
    ',"basis":' .. cjson.encode(e.basis) .. '}')
  if reproposed or changed then
    table.insert(st.entries, cjson.encode({what = 'scored', who = 'classifier', event_id = e.event_id, at = now,
      proposed_impact = proposed, proposed_vertical = vertical, window_events = counted, events = events,
      vertical_from = given_now > 0 and 'unit' or 'frequency', impact = tonumber(h[ITEM_IMPACT]),
      vertical = tonumber(h[ITEM_VERTICAL]), quadrant = tonumber(h[ITEM_QUADRANT])}))
  end
  return COMMIT_OUTCOME_APPLIED, id
end
local function override(k, a)
  local event_key, event_id, id = KEYS[k + OVERRIDE_KEY_EVENT], ARGV[a + OVERRIDE_ARG_EVENT_ID],
    ARGV[a + OVERRIDE_ARG_ITEM_ID]
  local done = redis.call('HMGET', event_key, EVENT_ITEM_ID, EVENT_REJECTED)
  if done[1] then return COMMIT_OUTCOME_ALREADY, done[1] end
  if done[2] then return COMMIT_OUTCOME_REJECTED, id end
  local st = state_of(KEYS[k + OVERRIDE_KEY_ITEM], KEYS[k + OVERRIDE_KEY_AUDIT], false)
  local h, put = st.h, st.put
  if not h[ITEM_ID] then return COMMIT_OUTCOME_REJECTED, id end
  adopt(h, put)
  local impact, vertical = ARGV[a + OVERRIDE_ARG_IMPACT], ARGV[a + OVERRIDE_ARG_VERTICAL]
  local category, on = ARGV[a + OVERRIDE_ARG_CATEGORY], ARGV[a + OVERRIDE_ARG_ON]
  local analyst = ARGV[a + OVERRIDE_ARG_ANALYST]
  local entry = {what = 'override', who = analyst, analyst = analyst, reason = ARGV[a + OVERRIDE_ARG_REASON],
    event_id = event_id, at = now}
  if tonumber(impact) > 0 then put(ITEM_IMPACT_OVERRIDE, impact) entry.impact = tonumber(impact) end
  if tonumber(vertical) > 0 then put(ITEM_VERTICAL_OVERRIDE, vertical) entry.vertical = tonumber(vertical) end
  if category ~= '' then put(ITEM_CATEGORY_OVERRIDE, category) entry.category = category end
  if on ~= '' then put(ITEM_ON_OVERRIDE, on) entry.on = on end
  put(ITEM_OVERRIDE_BY, analyst) put(ITEM_OVERRIDE_AT, now)
  entry.old = effective_of(h)
  settle(h, id, tonumber(ARGV[a + OVERRIDE_ARG_ITEM_NUMBER]), put)
  entry.new = effective_of(h)
  entry.proposal = {impact = tonumber(h[ITEM_PROPOSED_IMPACT]), vertical = tonumber(h[ITEM_PROPOSED_VERTICAL]),
    category = h[ITEM_PROPOSED_CATEGORY], on = h[ITEM_PROPOSED_ON]}
  table.insert(st.entries, cjson.encode(entry))
  return COMMIT_OUTCOME_APPLIED, id
end
local out, done_ids, marks = {}, {}, {}
local k, a = COMMIT_KEYS + 1, COMMIT_ARGS + 1
while a <= #ARGV do
  local outcome, id, event_id, event_key
  if tonumber(ARGV[a + EVIDENCE_ARG_TAG]) == EVIDENCE_TAG_VALUE then
    local e = evidence_at(k, a)
    event_id, event_key = e.event_id, e.event_key
    outcome, id = evidence(e)
    k, a = k + EVIDENCE_KEYS, a + EVIDENCE_ARGS
  else
    event_id, event_key = ARGV[a + OVERRIDE_ARG_EVENT_ID], KEYS[k + OVERRIDE_KEY_EVENT]
    outcome, id = override(k, a)
    k, a = k + OVERRIDE_KEYS, a + OVERRIDE_ARGS
  end
  table.insert(out, outcome) table.insert(out, id)
  if outcome ~= COMMIT_OUTCOME_STALE then table.insert(done_ids, event_id) end
  if outcome == COMMIT_OUTCOME_APPLIED then table.insert(marks, {event_key, EVENT_ITEM_ID, id})
  elseif outcome == COMMIT_OUTCOME_REJECTED then table.insert(marks, {event_key, EVENT_REJECTED, 'unknown item'}) end
end
-- the items first, then the events are marked done, then they leave the pending set
for _, st in ipairs(touched) do
  local args = {}
  for field in pairs(st.dirty) do
    table.insert(args, field)
    table.insert(args, st.h[field])
  end
  if #args > 0 then redis.call('HSET', st.key, unpack(args)) end
  if #st.entries > 0 then redis.call('RPUSH', st.audit, unpack(st.entries)) end
end
for _, mark in ipairs(marks) do redis.call('HSET', mark[1], mark[2], mark[3]) end
if #done_ids > 0 then redis.call('ZREM', KEYS[COMMIT_KEY_PENDING], unpack(done_ids)) end
return out
