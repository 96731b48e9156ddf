-- lifecycle.lua — the item lifecycle (MOT-SPEC §8), joined after items.lua
-- and in front of commit.lua, which calls lifecycle(k, a) for each
-- LIFECYCLE record (layout in common/mot_scripts.h; what each command may
-- do in services/classifier/lifecycle.h).
-- A command is checked whole before anything is written: a refusal writes
-- only the event's outcome (refused, the Refusal's name, a reason). Items
-- go through items.lua's state (read once, written at the end of the
-- call); actions, sessions, reports and valuations are written here.
-- Every applied command appends to the trail of each item it concerns.

local DEDUP_TTL = 90 * 86400        -- a closed item's events stay deduplicated 90 days

-- The REF records of a command: items by id (their keys by role, their
-- dedup keys), and the work, reports and session keys.
local function refs_at(k, a, count)
  local r = {items = {}, order = {}}
  for i = 0, count - 1 do
    local key = KEYS[k + i * REF_KEYS + REF_KEY_KEY]
    local ai = a + i * REF_ARGS
    local role, id = ARGV[ai + REF_ARG_ROLE], ARGV[ai + REF_ARG_ID]
    if role == ROLE_WORK or role == ROLE_REPORTS or role == ROLE_SESSION then
      r[role] = key
      if role == ROLE_WORK then r.work_id = id end
    else
      local it = r.items[id]
      if not it then
        it = {id = id, number = tonumber(ARGV[ai + REF_ARG_NUMBER]), dedups = {}}
        r.items[id] = it
        table.insert(r.order, it)
      end
      if role == ROLE_DEDUP then table.insert(it.dedups, key) else it[role] = key end
    end
  end
  return r
end

-- The hash at `key` as a table, nil when there is none.
local function hash_of(key)
  local h = {}
  return read_hash(key, h) > 0 and h or nil
end

local function list_of(text)
  local out = {}
  for part in string.gmatch(text or '', '[^,]+') do table.insert(out, part) end
  return out
end

local function contains(text, id)
  for _, part in ipairs(list_of(text)) do if part == id then return true end end
  return false
end

-- The events handed on to the deadline-watcher (intake sends them): added
-- to its pending set with one ZADD at the end of the call (commit.lua).
local to_watch = {}
local function hand_to_watcher(c)
  table.insert(to_watch, 0) table.insert(to_watch, c.event_id)
end

-- A refusal: {code, reason}, raised with error() and caught by lifecycle().
local function refuse(code, reason) error({refusal = code, reason = reason}, 0) end

-- The fields of an item each command reads (items.lua's state loads the
-- rest of the hash the first time any other field is read: a list too short
-- costs a read, never a value). A valuation reads the item whole.
local function fields_of(...)
  local out = {ITEM_ID, ITEM_STAGE, ITEM_STAGE_AT}
  for _, list in ipairs({...}) do
    for _, field in ipairs(list) do table.insert(out, field) end
  end
  return out
end
local FACT_READS = {ITEM_KIND, ITEM_TOPIC, ITEM_TERRITORY, ITEM_ON, ITEM_QUADRANT, ITEM_IMPACT, ITEM_VERTICAL}
local STAGE_ONLY = fields_of()
local WORK_COUNTS = fields_of({ITEM_OPEN_WORK, ITEM_ACTIONS, ITEM_OPEN_AGREEMENTS, ITEM_OPEN_RECOMMENDATIONS})
local WORK_COUNTS_FACT = fields_of(WORK_COUNTS, FACT_READS)
local VERIFIED_COUNTS = fields_of({ITEM_OPEN_WORK, ITEM_ACTIONS_DONE, ITEM_PROGRESS_SUM, ITEM_OPEN_AGREEMENTS,
  ITEM_OPEN_RECOMMENDATIONS})
local SESSION_READS = fields_of({ITEM_RESOLUTION, ITEM_VALUED_AT, ITEM_SESSIONS})
local CLOSURE_READS = fields_of({ITEM_RESOLUTION, ITEM_VALUED_AT, ITEM_CLOSED_AT, ITEM_CLOSED_BY}, FACT_READS)
local REOPEN_READS = fields_of({ITEM_RESOLUTION, ITEM_CLOSED_AT, ITEM_CLOSED_BY, ITEM_CATEGORY, ITEM_ON})

-- The items a command names, loaded (`fields`: those it reads, see above;
-- nil: whole); each must exist and not be closed (unless `closed_ok`).
local function load_items(refs, closed_ok, fields)
  local loaded = {}
  for _, it in ipairs(refs.order) do
    local st = state_of(it.item, it.audit, false, fields)
    if not st.h[ITEM_ID] then refuse(REFUSAL_UNKNOWN_ITEM, 'no item ' .. it.id) end
    if st.h[ITEM_STAGE] == STAGE_CERRADO and not closed_ok then
      refuse(REFUSAL_ILLEGAL_TRANSITION, it.id .. ' is closed')
    end
    it.st = st
    table.insert(loaded, it)
  end
  if #loaded == 0 then refuse(REFUSAL_UNKNOWN_ITEM, 'no item named') end
  return loaded
end

-- Appends an audit entry (a table) to an item's trail.
local function trail(it, c, what, entry)
  entry.what, entry.event_id, entry.at, entry.unit = what, c.event_id, now, c.source
  entry.who = entry.who or c.body.analyst or c.source
  table.insert(it.st.entries, cjson.encode(entry))
end

-- Moves an item to `stage`, with a trail entry saying why.
local function enter(it, c, stage, why)
  local from = it.st.h[ITEM_STAGE]
  if from == stage then return end
  it.st.put(ITEM_STAGE, stage) it.st.put(ITEM_STAGE_AT, now)
  trail(it, c, 'stage', {from = from, to = stage, why = why})
end

local function count(it, field, delta)
  it.st.put(field, math.max(0, tonumber(it.st.h[field] or 0) + delta))
end

-- Whether the item's last valuation was made in its current stay in
-- monitoreo, with this resolution.
local function valued_now(h, resolution)
  return h[ITEM_STAGE] == STAGE_MONITOREO and h[ITEM_RESOLUTION] == resolution
    and tonumber(h[ITEM_VALUED_AT] or -1) >= tonumber(h[ITEM_STAGE_AT] or 0)
end

-- The fields of its work a progress report, verification or reschedule
-- reads (a work is never without its id).
local function the_work(refs)
  local values = redis.call('HMGET', refs.work, WORK_ID, WORK_STATUS, WORK_KIND, WORK_PERCENT, WORK_DUE_ON)
  if not values[1] then refuse(REFUSAL_UNKNOWN_ACTION, 'no such action of this unit') end
  return {[WORK_STATUS] = values[2], [WORK_KIND] = values[3], [WORK_PERCENT] = values[4], [WORK_DUE_ON] = values[5]}
end

local function work_field_of(kind)
  if kind == WORK_AGREEMENT then return ITEM_OPEN_AGREEMENTS
  elseif kind == WORK_RECOMMENDATION then return ITEM_OPEN_RECOMMENDATIONS end
  return nil
end

-- ---- the commands ------------------------------------------------------

local commands = {}

-- An action, agreement or recommendation on one or more items.
commands[COMMAND_ACTION] = function(c, refs)
  local b = c.body
  if redis.call('EXISTS', refs.work) == 1 then
    refuse(REFUSAL_ALREADY_RECORDED, b.kind .. ' ' .. b.action_id .. ' exists (a new date is a reschedule)')
  end
  local items = load_items(refs, false, b.kind == WORK_RECOMMENDATION and WORK_COUNTS_FACT or WORK_COUNTS)
  local session
  if b.kind == WORK_AGREEMENT then
    session = hash_of(refs.session or '')
    if not session then refuse(REFUSAL_UNKNOWN_SESSION, 'no session ' .. tostring(b.session_id)) end
  end
  for _, it in ipairs(items) do
    local stage = it.st.h[ITEM_STAGE]
    if b.kind == WORK_AGREEMENT then
      if not contains(session[SESSION_ITEMS], it.id) then
        refuse(REFUSAL_NOT_COVERED, 'session ' .. b.session_id .. ' does not cover ' .. it.id)
      end
      if stage ~= STAGE_MEJORA_CONTINUA then refuse(REFUSAL_ILLEGAL_TRANSITION, it.id .. ' is in ' .. stage) end
    elseif b.kind == WORK_RECOMMENDATION and stage ~= STAGE_MONITOREO and stage ~= STAGE_MEJORA_CONTINUA then
      refuse(REFUSAL_ILLEGAL_TRANSITION, it.id .. ' is in ' .. stage)
    end
  end
  local ids = {}
  for _, it in ipairs(items) do table.insert(ids, it.id) end
  redis.call('HSET', refs.work, WORK_ID, c.work_id, WORK_KIND, b.kind, WORK_ACTION_ID, b.action_id,
    WORK_SOURCE, c.source, WORK_ITEMS, table.concat(ids, ','), WORK_SESSION, b.session_id or '',
    WORK_RESPONSIBLE, b.responsible or '', WORK_OPERATING_UNIT, b.operating_unit or '',
    WORK_DESCRIPTION, b.description or '', WORK_PAT_LINE, b.pat_line or '',
    WORK_TYPE, b.recommendation_type or '', WORK_DUE_ON, b.due_on, WORK_STATUS, WORK_OPEN, WORK_PERCENT, 0,
    WORK_REPORTED, 0, WORK_EVENT_ID, c.event_id, WORK_ANALYST, b.analyst or '', WORK_CREATED_AT, now)
  local what = b.kind == WORK_AGREEMENT and 'agreement' or b.kind == WORK_RECOMMENDATION and 'recommendation'
    or 'action'
  for _, it in ipairs(items) do
    redis.call('ZADD', it.item_work, now, c.work_id)
    count(it, ITEM_OPEN_WORK, 1)
    -- the work first, then the stage change it causes (as sessions and verifications do)
    trail(it, c, what, {work_id = c.work_id, kind = b.kind, action_id = b.action_id, due_on = b.due_on,
      responsible = b.responsible, operating_unit = b.operating_unit, description = b.description,
      pat_line = b.pat_line, session_id = b.session_id, recommendation_type = b.recommendation_type,
      items = ids})
    if b.kind == WORK_ACTION then
      count(it, ITEM_ACTIONS, 1)
      local stage = it.st.h[ITEM_STAGE]
      if stage == STAGE_IDENTIFICACION or stage == STAGE_MONITOREO then
        enter(it, c, STAGE_SEGUIMIENTO, stage == STAGE_IDENTIFICACION and 'first corrective action' or 'new corrective action')
      end
    else
      count(it, work_field_of(b.kind), 1)
    end
  end
  if b.kind == WORK_RECOMMENDATION then
    -- one notice, to its addressee, about the first item (the others are in the trail)
    local h = items[1].st.h
    fact(FACT_RECOMMENDATION, h, c.event_id, c.source, {[FACT_ID] = c.work_id .. '|' .. FACT_RECOMMENDATION,
      [FACT_ON] = b.responsible or h[ITEM_ON], [FACT_ACTION] = b.action_id, [FACT_TYPE] = b.recommendation_type,
      [FACT_DAY] = b.due_on})
  end
  -- its due date goes on to the deadline-watcher (intake sends it)
  hand_to_watcher(c)
  return ids[1]
end

-- A progress report at a cut-off date.
commands[COMMAND_PROGRESS] = function(c, refs)
  local b = c.body
  local w = the_work(refs)
  if w[WORK_STATUS] == WORK_COMPLETE then refuse(REFUSAL_ACTION_COMPLETE, c.work_id .. ' is complete') end
  local old = redis.call('HGET', refs.reports, b.cut_off)
  if old and cjson.decode(old).state ~= 'rejected' then
    refuse(REFUSAL_ALREADY_RECORDED, 'a report at ' .. b.cut_off .. ' exists')
  end
  local items = load_items(refs, false, STAGE_ONLY)
  redis.call('HSET', refs.reports, b.cut_off, cjson.encode({percent = b.percent, evidence = b.evidence,
    state = 'reported', event_id = c.event_id, at = now, analyst = b.analyst}))
  redis.call('HSET', refs.work, WORK_REPORTED, b.percent)
  for _, it in ipairs(items) do
    trail(it, c, 'progress', {work_id = c.work_id, percent = b.percent, cut_off = b.cut_off, evidence = b.evidence})
  end
  return items[1].id
end

-- When an item's work is all complete it goes (back) to valoración.
local function settle_work(it, c)
  if tonumber(it.st.h[ITEM_OPEN_WORK] or 0) > 0 then return end
  local stage = it.st.h[ITEM_STAGE]
  if stage == STAGE_SEGUIMIENTO then enter(it, c, STAGE_MONITOREO, 'actions complete')
  elseif stage == STAGE_MEJORA_CONTINUA then enter(it, c, STAGE_MONITOREO, 'agreements and recommendations complete') end
end

-- The verification (or rejection) of the report of a cut-off date.
commands[COMMAND_VERIFICATION] = function(c, refs)
  local b = c.body
  local w = the_work(refs)
  local text = redis.call('HGET', refs.reports, b.cut_off)
  if not text then refuse(REFUSAL_UNKNOWN_REPORT, 'no report at ' .. b.cut_off) end
  local report = cjson.decode(text)
  if report.state ~= 'reported' then refuse(REFUSAL_ALREADY_VERIFIED, 'the report at ' .. b.cut_off .. ' was ' .. report.state) end
  if w[WORK_STATUS] == WORK_COMPLETE then refuse(REFUSAL_ACTION_COMPLETE, c.work_id .. ' is complete') end
  local items = load_items(refs, false, VERIFIED_COUNTS)
  report.state = b.verified and 'verified' or 'rejected'
  report.verified_by, report.verified_at, report.reason = b.analyst, now, b.reason
  redis.call('HSET', refs.reports, b.cut_off, cjson.encode(report))
  local complete = b.verified and report.percent == 100
  local old_percent = tonumber(w[WORK_PERCENT] or 0)
  if complete then redis.call('HSET', refs.work, WORK_PERCENT, report.percent, WORK_STATUS, WORK_COMPLETE, WORK_COMPLETED_AT, now)
  elseif b.verified then redis.call('HSET', refs.work, WORK_PERCENT, report.percent) end
  -- a completed work's obligation is delivered (intake sends it to the watcher)
  if complete then hand_to_watcher(c) end
  for _, it in ipairs(items) do
    trail(it, c, 'verification', {work_id = c.work_id, cut_off = b.cut_off, percent = report.percent,
      verified = b.verified, reason = b.reason, complete = complete})
    if b.verified and w[WORK_KIND] == WORK_ACTION then count(it, ITEM_PROGRESS_SUM, report.percent - old_percent) end
    if complete then
      count(it, ITEM_OPEN_WORK, -1)
      if w[WORK_KIND] == WORK_ACTION then count(it, ITEM_ACTIONS_DONE, 1)
      else count(it, work_field_of(w[WORK_KIND]), -1) end
      settle_work(it, c)
    end
  end
  return items[1].id
end

-- A new due date (the watcher moves the obligation's deadline).
commands[COMMAND_RESCHEDULE] = function(c, refs)
  local b = c.body
  local w = the_work(refs)
  if w[WORK_STATUS] == WORK_COMPLETE then refuse(REFUSAL_ACTION_COMPLETE, c.work_id .. ' is complete') end
  local items = load_items(refs, false, STAGE_ONLY)
  redis.call('HSET', refs.work, WORK_DUE_ON, b.due_on)
  hand_to_watcher(c)   -- the watcher moves the deadline
  for _, it in ipairs(items) do
    trail(it, c, 'rescheduled', {work_id = c.work_id, old_due_on = w[WORK_DUE_ON], due_on = b.due_on, reason = b.reason})
  end
  return items[1].id
end

-- Monitoreo before the actions are complete (an analyst, with a reason).
commands[COMMAND_START_MONITORING] = function(c, refs)
  local it = load_items(refs, false, STAGE_ONLY)[1]
  local stage = it.st.h[ITEM_STAGE]
  if stage == STAGE_MONITOREO then refuse(REFUSAL_ILLEGAL_TRANSITION, it.id .. ' is in monitoreo') end
  enter(it, c, STAGE_MONITOREO, c.body.reason)
  return it.id
end

-- Valoración: residual scores and the outcome; kept in the item's history.
commands[COMMAND_VALUATION] = function(c, refs)
  local b = c.body
  local it = load_items(refs, false, nil)[1]
  local st = it.st
  local h, put = st.h, st.put
  if h[ITEM_STAGE] ~= STAGE_MONITOREO then
    if not b.reason or b.reason == '' then
      refuse(REFUSAL_REASON_REQUIRED, it.id .. ' is in ' .. h[ITEM_STAGE] .. ': valuing it now needs a reason')
    end
    enter(it, c, STAGE_MONITOREO, b.reason)
  end
  adopt(h, put)
  local old = effective_of(h)
  if not h[ITEM_BASELINE_IMPACT] then
    put(ITEM_BASELINE_IMPACT, old.impact) put(ITEM_BASELINE_VERTICAL, old.vertical)
    put(ITEM_BASELINE_QUADRANT, old.quadrant)
  end
  local resolution = b.outcome == 'RESOLVED' and RESOLUTION_RESOLVED or RESOLUTION_RESIDUAL
  put(ITEM_VALUED_IMPACT, b.impact) put(ITEM_VALUED_VERTICAL, b.vertical)
  st.drop(ITEM_IMPACT_OVERRIDE) st.drop(ITEM_VERTICAL_OVERRIDE)
  put(ITEM_RESOLUTION, resolution) put(ITEM_VALUED_ON, b.valued_on) put(ITEM_VALUED_AT, now)
  put(ITEM_VALUATIONS, tonumber(h[ITEM_VALUATIONS] or 0) + 1)
  settle(h, it.id, it.number, put, c.event_id, c.source)
  local new = effective_of(h)
  if resolution == RESOLUTION_RESIDUAL then
    fact(FACT_RESIDUAL, h, c.event_id, c.source, {[FACT_DAY] = b.valued_on})
  end
  redis.call('RPUSH', it.valuations, cjson.encode({valued_on = b.valued_on, month = string.sub(b.valued_on, 1, 7),
    impact = b.impact, vertical = b.vertical, quadrant = new.quadrant, resolution = resolution,
    analyst = b.analyst, event_id = c.event_id, at = now}))
  trail(it, c, 'valuation', {valued_on = b.valued_on, resolution = resolution, reason = b.reason,
    old = {impact = old.impact, vertical = old.vertical, quadrant = old.quadrant},
    new = {impact = new.impact, vertical = new.vertical, quadrant = new.quadrant}})
  return it.id
end

-- A sesión de consenso covering residual items: they enter Mejora Continua.
commands[COMMAND_SESSION] = function(c, refs)
  local b = c.body
  if redis.call('EXISTS', refs.session) == 1 then refuse(REFUSAL_ALREADY_RECORDED, 'session ' .. b.session_id .. ' exists') end
  local items = load_items(refs, false, SESSION_READS)
  for _, it in ipairs(items) do
    if not valued_now(it.st.h, RESOLUTION_RESIDUAL) and it.st.h[ITEM_STAGE] ~= STAGE_MEJORA_CONTINUA then
      refuse(REFUSAL_NOT_RESIDUAL, it.id .. ' is not a residual item')
    end
  end
  local ids = {}
  for _, it in ipairs(items) do table.insert(ids, it.id) end
  redis.call('HSET', refs.session, SESSION_ID, b.session_id, SESSION_HELD_ON, b.held_on, SESSION_MEDIUM, b.medium,
    SESSION_OFFICES, table.concat(b.offices or {}, ','), SESSION_ITEMS, table.concat(ids, ','),
    SESSION_SOURCE, c.source, SESSION_ANALYST, b.analyst or '', SESSION_EVENT_ID, c.event_id, SESSION_CREATED_AT, now)
  for _, it in ipairs(items) do
    local sessions = it.st.h[ITEM_SESSIONS]
    it.st.put(ITEM_SESSIONS, (sessions and sessions ~= '') and (sessions .. ',' .. b.session_id) or b.session_id)
    trail(it, c, 'session', {session_id = b.session_id, held_on = b.held_on, medium = b.medium, offices = b.offices})
    enter(it, c, STAGE_MEJORA_CONTINUA, 'sesión de consenso ' .. b.session_id)
  end
  return ids[1]
end

-- Closure of a resolved item: it leaves the open index, its events' dedup
-- records expire in 90 days.
commands[COMMAND_CLOSURE] = function(c, refs)
  local it = load_items(refs, true, CLOSURE_READS)[1]
  local h = it.st.h
  if h[ITEM_STAGE] == STAGE_CERRADO then refuse(REFUSAL_ALREADY_CLOSED, it.id .. ' was closed before') end
  if not valued_now(h, RESOLUTION_RESOLVED) then
    refuse(REFUSAL_NOT_RESOLVED, it.id .. ' has no valuation "resolved" in monitoreo')
  end
  enter(it, c, STAGE_CERRADO, c.body.reason)
  it.st.put(ITEM_CLOSED_AT, now) it.st.put(ITEM_CLOSED_BY, c.body.analyst)
  if it.index and redis.call('GET', it.index) == it.id then redis.call('DEL', it.index) held[it.index] = false end
  for _, key in ipairs(it.dedups) do redis.call('EXPIRE', key, DEDUP_TTL) end
  fact(FACT_CLOSED, h, c.event_id, c.source)
  redis.call('ZREM', KEYS[COMMIT_KEY_UNCLASSIFIED], it.id)
  return it.id
end

-- Reopening a closed item: back to identificación.
commands[COMMAND_REOPEN] = function(c, refs)
  local it = load_items(refs, true, REOPEN_READS)[1]
  local h = it.st.h
  if h[ITEM_STAGE] ~= STAGE_CERRADO then refuse(REFUSAL_NOT_CLOSED, it.id .. ' is not closed') end
  enter(it, c, STAGE_IDENTIFICACION, c.body.reason)
  it.st.drop(ITEM_CLOSED_AT) it.st.drop(ITEM_CLOSED_BY) it.st.drop(ITEM_RESOLUTION)
  -- it takes its topic's index back unless another item opened it meanwhile
  if it.index then
    if redis.call('SET', it.index, it.id, 'NX') then held[it.index] = it.id
    else trail(it, c, 'index_taken', {by = redis.call('GET', it.index)}) end
  end
  for _, key in ipairs(it.dedups) do redis.call('PERSIST', key) end
  if h[ITEM_CATEGORY] == UNCLASSIFIED or h[ITEM_ON] == UNCLASSIFIED then
    redis.call('ZADD', KEYS[COMMIT_KEY_UNCLASSIFIED], it.number, it.id)
  end
  return it.id
end

-- Applies the LIFECYCLE record at key k, argument a (its REF records follow).
-- Returns the outcome, the item id (applied) or the Refusal (refused), and
-- how many keys and arguments the record and its refs took.
local function lifecycle(k, a)
  local refs_count = tonumber(ARGV[a + LIFECYCLE_ARG_REFS])
  local used_keys, used_args = LIFECYCLE_KEYS + refs_count * REF_KEYS, LIFECYCLE_ARGS + refs_count * REF_ARGS
  local event_key = KEYS[k + LIFECYCLE_KEY_EVENT]
  local done = redis.call('HMGET', event_key, EVENT_OUTCOME, EVENT_REFUSAL, EVENT_ITEM_ID)
  if done[1] then return COMMIT_OUTCOME_ALREADY, done[2] or done[3] or '', used_keys, used_args end
  local body = cjson.decode(ARGV[a + LIFECYCLE_ARG_BODY])
  local c = {event_id = ARGV[a + LIFECYCLE_ARG_EVENT_ID], source = ARGV[a + LIFECYCLE_ARG_SOURCE], body = body}
  local refs = refs_at(k + LIFECYCLE_KEYS, a + LIFECYCLE_ARGS, refs_count)
  c.work_id = refs.work_id
  local handler = commands[ARGV[a + LIFECYCLE_ARG_COMMAND]]
  local ok, result = pcall(function()
    if not handler then refuse(REFUSAL_ILLEGAL_TRANSITION, 'unknown command') end
    return handler(c, refs)
  end)
  if ok then
    redis.call('HSET', event_key, EVENT_OUTCOME, OUTCOME_APPLIED, EVENT_ITEM_ID, result, EVENT_DONE_AT, now)
    return COMMIT_OUTCOME_APPLIED, result, used_keys, used_args
  end
  if type(result) ~= 'table' or not result.refusal then error(result, 0) end
  redis.call('HSET', event_key, EVENT_OUTCOME, OUTCOME_REFUSED, EVENT_REFUSAL, result.refusal,
    EVENT_REASON, result.reason, EVENT_DONE_AT, now)
  return COMMIT_OUTCOME_REJECTED, result.refusal, used_keys, used_args
end
