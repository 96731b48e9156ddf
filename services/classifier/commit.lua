-- commit.lua — the classifier's one atomic step for a batch of dispatched
-- events (services/classifier/commit.c runs it with EVALSHA; see commit.h for
-- the item's fields).
--
-- KEYS[1] pending set (mot:pending:classify), KEYS[2] item counter
-- (mot:seq:item), KEYS[3] unclassified items (mot:items:sin_clasificar).
-- ARGV[1] now (unix seconds, service clock), [2] item key prefix, [3]
-- items-by-kind prefix, [4] frequency table "min:score,…", [5] window in
-- months, [6] event key prefix, [7] item index prefix; then the records, each
-- a tag and a fixed number of fields (commit.c's EVIDENCE_FIELDS and
-- OVERRIDE_FIELDS):
--   e event_id kind source territory topic topic_key day category on impact
--     given_vertical rule basis
--   o event_id item_id impact vertical category on analyst reason
--     (impact/vertical "0" and category/on "" when not overridden)
-- Returns {outcome, item_id} per record: 1 applied, 0 already done (the
-- event hash has item_id: a re-driven or duplicated dispatch), 2 rejected (an
-- override for an unknown item; the event gets rejected = "unknown item").
-- Writes happen at the end, items first, then the event marks, then ZREM from
-- the pending set. The quadrant rule mirrors mot_score_quadrant
-- (common/mot_score.c): high means > 5 on an axis.
local now, item_prefix, items_prefix = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local window, event_prefix, index_prefix = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local UNC = 'sin clasificar'
local steps = {}
for min, score in string.gmatch(ARGV[4], '(%d+):(%d+)') do
  table.insert(steps, {tonumber(min), tonumber(score)})
end
local function frequency(count)
  local score = 1
  for _, step in ipairs(steps) do
    if count >= step[1] then score = step[2] end
  end
  return score
end
local function quadrant(impact, vertical)
  if impact > 5 and vertical > 5 then return 1 elseif vertical > 5 then return 2
  elseif impact > 5 then return 4 end
  return 3
end
-- The items this batch touches, loaded once and written once at the end:
-- state = {key, h (the hash as a table, kept current), dirty (fields to
-- write), entries (audit lines to append), put (setter)}.
local states, touched, ids = {}, {}, {}
local function state_of(key, fresh)
  local st = states[key]
  if st then return st end
  local h = {}
  if not fresh then
    local flat = redis.call('HGETALL', key)
    for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  end
  local dirty = {}
  st = {key = key, h = h, dirty = dirty, entries = {}}
  st.put = function(field, value)
    value = tostring(value)
    if h[field] ~= value then h[field] = value dirty[field] = true end
  end
  states[key] = st
  table.insert(touched, st)
  return st
end
-- the open item of an index key (cached for the batch)
local function item_of(index_key)
  local id = ids[index_key]
  if id == nil then
    id = redis.call('GET', index_key)
    ids[index_key] = id
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
    fields[i] = string.format('month:%04d-%02d', y, m)
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
  if not h.proposed_impact then
    put('proposed_impact', h.impact or 0) put('proposed_vertical', h.vertical or 1)
    put('proposed_category', h.category or UNC) put('proposed_on', h.on or UNC)
  end
end
local function effective_of(h)
  return {impact = tonumber(h.impact), vertical = tonumber(h.vertical), quadrant = tonumber(h.quadrant),
    category = h.category, on = h.on}
end
-- Effective = override else proposal; keeps the unclassified index. Returns
-- whether an effective value changed.
local function settle(h, id, put)
  local impact = h.impact_override or h.proposed_impact
  local vertical = h.vertical_override or h.proposed_vertical
  local category = h.category_override or h.proposed_category
  local on = h.on_override or h.proposed_on
  local q = tostring(quadrant(tonumber(impact), tonumber(vertical)))
  local was = h.category == UNC or h.on == UNC
  local is = category == UNC or on == UNC
  local changed = impact ~= h.impact or vertical ~= h.vertical or q ~= h.quadrant
    or category ~= h.category or on ~= h.on
  if changed then
    put('impact', impact) put('vertical', vertical) put('quadrant', q) put('category', category) put('on', on)
  end
  put('updated_at', now) put('version', tonumber(h.version or 0) + 1)
  if is and not was then redis.call('ZADD', KEYS[3], tonumber(string.sub(id, 4)) or 0, id)
  elseif was and not is then redis.call('ZREM', KEYS[3], id) end
  return changed
end
-- a new item's fields (also when an index names an item whose hash is gone)
local function init_item(st, id, e)
  local put = st.put
  put('id', id) put('kind', e[2]) put('source', e[3]) put('territory', e[4]) put('topic', e[5])
  put('topic_key', e[6]) put('stage', 'identificacion') put('first_seen', e[7]) put('last_seen', e[7])
  put('created_at', now) put('proposed_impact', 0) put('proposed_vertical', 1)
  put('proposed_category', e[8]) put('proposed_on', e[9])
  table.insert(st.entries, cjson.encode({what = 'created', who = 'classifier', event_id = e[1], at = now,
    stage = 'identificacion', category = e[8], on = e[9], rule = e[12]}))
end
local function open_item(e, index_key)
  local n = redis.call('INCR', KEYS[2])
  local id = 'it-' .. n
  redis.call('SET', index_key, id)
  redis.call('ZADD', items_prefix .. e[2], n, id)
  ids[index_key] = id
  local st = state_of(item_prefix .. '{' .. id .. '}', true)
  init_item(st, id, e)
  return id, st
end
local function evidence(e)
  local done = redis.call('HGET', event_prefix .. e[1], 'item_id')
  if done then return 0, done end
  local index_key = index_prefix .. e[2] .. ':' .. e[4] .. ':' .. e[6]
  local id, st = item_of(index_key), nil
  if id then
    st = state_of(item_prefix .. '{' .. id .. '}', false)
    if st.h.id then adopt(st.h, st.put) else init_item(st, id, e) end
  else
    id, st = open_item(e, index_key)
  end
  local h, put = st.h, st.put
  local day, impact, given = e[7], tonumber(e[10]), tonumber(e[11])
  local events = tonumber(h.events or 0) + 1
  local month = 'month:' .. string.sub(day, 1, 7)
  put('events', events)
  put(month, tonumber(h[month] or 0) + 1)
  if day < h.first_seen then put('first_seen', day) end
  if day > h.last_seen then put('last_seen', day) end
  if h.proposed_category == UNC and e[8] ~= UNC then
    put('proposed_category', e[8]) put('proposed_on', e[9])
    table.insert(st.entries, cjson.encode({what = 'categorised', who = 'classifier', event_id = e[1], at = now,
      category = e[8], on = e[9], rule = e[12]}))
  end
  -- the unit's own value: the one of the latest event date (tie: the higher)
  local given_now, given_day = tonumber(h.vertical_given or '0'), h.vertical_given_day
  if given > 0 and (not given_day or day > given_day or (day == given_day and given > given_now)) then
    given_now = given
    put('vertical_given', given) put('vertical_given_day', day)
  end
  local counted = in_window(h, h.last_seen)
  local vertical = given_now > 0 and given_now or frequency(counted)
  local proposed = math.max(tonumber(h.proposed_impact), impact)
  local reproposed = tostring(proposed) ~= h.proposed_impact or tostring(vertical) ~= h.proposed_vertical
  put('proposed_impact', proposed) put('proposed_vertical', vertical) put('window_events', counted)
  local changed = settle(h, id, put)
  -- The most frequent entry, written by hand: every value is an id, a date,
  -- a number or a unit code of our own, except the basis (encoded).
  table.insert(st.entries, '{"what":"evidence","who":"classifier","event_id":"' .. e[1] .. '","at":' .. now ..
    ',"events":' .. events .. ',"source":"' .. e[3] .. '","day":"' .. day .. '","impact":' .. impact ..
    ',"basis":' .. cjson.encode(e[13]) .. '}')
  if reproposed or changed then
    table.insert(st.entries, cjson.encode({what = 'scored', who = 'classifier', event_id = e[1], at = now,
      proposed_impact = proposed, proposed_vertical = vertical, window_events = counted, events = events,
      vertical_from = given_now > 0 and 'unit' or 'frequency', impact = tonumber(h.impact),
      vertical = tonumber(h.vertical), quadrant = tonumber(h.quadrant)}))
  end
  return 1, id
end
local function override(o)
  local done = redis.call('HMGET', event_prefix .. o[1], 'item_id', 'rejected')
  if done[1] then return 0, done[1] end
  if done[2] then return 2, o[2] end
  local st = state_of(item_prefix .. '{' .. o[2] .. '}', false)
  local h, put = st.h, st.put
  if not h.id then return 2, o[2] end
  adopt(h, put)
  local entry = {what = 'override', who = o[7], analyst = o[7], reason = o[8], event_id = o[1], at = now}
  if tonumber(o[3]) > 0 then put('impact_override', o[3]) entry.impact = tonumber(o[3]) end
  if tonumber(o[4]) > 0 then put('vertical_override', o[4]) entry.vertical = tonumber(o[4]) end
  if o[5] ~= '' then put('category_override', o[5]) entry.category = o[5] end
  if o[6] ~= '' then put('on_override', o[6]) entry.on = o[6] end
  put('override_by', o[7]) put('override_at', now)
  entry.old = effective_of(h)
  settle(h, o[2], put)
  entry.new = effective_of(h)
  entry.proposal = {impact = tonumber(h.proposed_impact), vertical = tonumber(h.proposed_vertical),
    category = h.proposed_category, on = h.proposed_on}
  table.insert(st.entries, cjson.encode(entry))
  return 1, o[2]
end
local out, done_ids, marks, i = {}, {}, {}, 8
while i <= #ARGV do
  local size, fn = 13, evidence
  if ARGV[i] == 'o' then size, fn = 8, override end
  local record = {}
  for j = 1, size do record[j] = ARGV[i + j] end
  local outcome, id = fn(record)
  table.insert(out, outcome) table.insert(out, id)
  table.insert(done_ids, record[1])
  if outcome == 1 then table.insert(marks, {record[1], 'item_id', id})
  elseif outcome == 2 then table.insert(marks, {record[1], 'rejected', 'unknown item'}) end
  i = i + size + 1
end
-- the items first, then the events are marked done, then they leave the pending set
for _, st in ipairs(touched) do
  local args = {}
  for field in pairs(st.dirty) do
    table.insert(args, field)
    table.insert(args, st.h[field])
  end
  if #args > 0 then redis.call('HSET', st.key, unpack(args)) end
  if #st.entries > 0 then redis.call('RPUSH', st.key .. ':audit', unpack(st.entries)) end
end
for _, mark in ipairs(marks) do redis.call('HSET', event_prefix .. mark[1], mark[2], mark[3]) end
if #done_ids > 0 then redis.call('ZREM', KEYS[1], unpack(done_ids)) end
return out

