-- tail.lua — the notifier's one atomic step: takes the next notices of the
-- log to publish (services/notifier/publisher.c runs it with EVALSHA).
--
-- KEYS[1] the notice counter (mot:seq:notice: the last seq given),
-- KEYS[2] the log (mot:notices, newest first: seq s is at index head - s),
-- KEYS[3] the last seq taken to publish (mot:notices:published).
-- ARGV[1] the most notices to take, ARGV[2] the log size: how many notices
-- the log keeps once they are published (unpublished ones always stay).
-- Returns {first_seq, skipped, entry_1, entry_2, ...}: the entries taken,
-- oldest first, with seqs first_seq, first_seq + 1, ...; skipped counts
-- notices that left the log unpublished (the log was cut by hand, or the
-- counter reset), which the notifier reports.
-- Taking is marking: the mark moves past what is returned, so of two
-- notifiers each notice goes to one, and a notifier killed before its PUB
-- leaves those notices in the log for subscribers to catch up.
local head = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local length = redis.call('LLEN', KEYS[2])
local oldest = head - length + 1
local stored = tonumber(redis.call('GET', KEYS[3]) or '')
local published, skipped = stored, 0
if not published or published > head then
  published = oldest - 1            -- first start, or a reset: the whole log is new
elseif published < oldest - 1 then
  skipped = oldest - 1 - published
  published = oldest - 1
end
local take = math.min(head - published, tonumber(ARGV[1]))
local out = {published + 1, skipped}
if take > 0 then
  local entries = redis.call('LRANGE', KEYS[2], head - published - take, head - published - 1)
  for i = #entries, 1, -1 do out[#out + 1] = entries[i] end
  published = published + take
end
if published ~= stored then redis.call('SET', KEYS[3], published) end
local keep = math.max(tonumber(ARGV[2]), head - published)
if length > keep then redis.call('LTRIM', KEYS[2], 0, keep - 1) end
return out
