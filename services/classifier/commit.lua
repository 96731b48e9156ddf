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
-- Writes happen at the end, items first, then the event marks, the facts and
-- the hand-offs to the watcher, then ZREM from the pending set.
-- uses: services/classifier/lib/items.lua
-- uses: services/classifier/lib/lifecycle.lua
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
    items_key = KEYS[k + EVIDENCE_KEY_ITEMS], dedups_key = KEYS[k + EVIDENCE_KEY_DEDUPS],
    dedup = ARGV[a + EVIDENCE_ARG_DEDUP],
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
  if not h[ITEM_UNITS] then put(ITEM_UNITS, h[ITEM_SOURCE]) end
  if h[ITEM_UNITS] ~= e.source and not contains(h[ITEM_UNITS], e.source) then
    put(ITEM_UNITS, (h[ITEM_UNITS] and h[ITEM_UNITS] ~= '') and (h[ITEM_UNITS] .. ',' .. e.source) or e.source)
  end
  redis.call('RPUSH', e.dedups_key, e.dedup)
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
  local changed = settle(h, id, e.number, put, e.event_id, e.source)
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
  settle(h, id, tonumber(ARGV[a + OVERRIDE_ARG_ITEM_NUMBER]), put, event_id, ARGV[a + OVERRIDE_ARG_UNIT])
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
  local tag = tonumber(ARGV[a + EVIDENCE_ARG_TAG])
  if tag == EVIDENCE_TAG_VALUE then
    local e = evidence_at(k, a)
    event_id, event_key = e.event_id, e.event_key
    outcome, id = evidence(e)
    k, a = k + EVIDENCE_KEYS, a + EVIDENCE_ARGS
  elseif tag == LIFECYCLE_TAG_VALUE then
    event_id = ARGV[a + LIFECYCLE_ARG_EVENT_ID]
    local used_keys, used_args
    outcome, id, used_keys, used_args = lifecycle(k, a)
    k, a = k + used_keys, a + used_args
  else
    event_id, event_key = ARGV[a + OVERRIDE_ARG_EVENT_ID], KEYS[k + OVERRIDE_KEY_EVENT]
    outcome, id = override(k, a)
    k, a = k + OVERRIDE_KEYS, a + OVERRIDE_ARGS
  end
  table.insert(out, outcome) table.insert(out, id)
  if outcome ~= COMMIT_OUTCOME_STALE then table.insert(done_ids, event_id) end
  -- (a lifecycle command marks its event itself)
  if outcome == COMMIT_OUTCOME_APPLIED and tag ~= LIFECYCLE_TAG_VALUE then
    -- (an event with its item is applied: the outcome fields are for commands)
    table.insert(marks, {event_key, EVENT_ITEM_ID, id})
  elseif outcome == COMMIT_OUTCOME_REJECTED and tag == OVERRIDE_TAG_VALUE then
    table.insert(marks, {event_key, EVENT_REJECTED, 'unknown item', EVENT_OUTCOME, OUTCOME_REFUSED,
      EVENT_REFUSAL, REFUSAL_UNKNOWN_ITEM, EVENT_REASON, 'no item ' .. id, EVENT_DONE_AT, now})
  end
end
-- the items first, then the events are marked done, then they leave the pending set
for _, st in ipairs(touched) do
  local args, gone = {}, {}
  for field in pairs(st.dirty) do
    local value = rawget(st.h, field)    -- (a field written was read first: no load)
    if value == nil then table.insert(gone, field)
    else
      table.insert(args, field)
      table.insert(args, value)
    end
  end
  if #args > 0 then redis.call('HSET', st.key, unpack(args)) end
  if #gone > 0 then redis.call('HDEL', st.key, unpack(gone)) end
  if #st.entries > 0 then redis.call('RPUSH', st.audit, unpack(st.entries)) end
end
for _, mark in ipairs(marks) do redis.call('HSET', unpack(mark)) end
if #facts > 0 then redis.call('RPUSH', KEYS[COMMIT_KEY_OUTBOX], unpack(facts)) end
if #to_watch > 0 then redis.call('ZADD', KEYS[COMMIT_KEY_PENDING_WATCH], 'NX', unpack(to_watch)) end
if #done_ids > 0 then redis.call('ZREM', KEYS[COMMIT_KEY_PENDING], unpack(done_ids)) end
return out
