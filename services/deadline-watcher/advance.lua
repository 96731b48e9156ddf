-- advance.lua — moves a month mark forward, never back: the last month
-- whose monthly obligations exist (monthly.c), or whose item positions are
-- frozen (periods.c). Layout: ADVANCE in common/mot_scripts.h.
-- KEYS     mot:watch:generated or mot:periods:frozen
-- ARGV     the month (YYYY-MM)
-- Returns  1 moved, 0 it was already there or later
local current = redis.call('GET', KEYS[ADVANCE_KEY_GENERATED])
if not current or current < ARGV[ADVANCE_ARG_PERIOD] then
  redis.call('SET', KEYS[ADVANCE_KEY_GENERATED], ARGV[ADVANCE_ARG_PERIOD])
  return 1
end
return 0
