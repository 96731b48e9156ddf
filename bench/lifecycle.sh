#!/usr/bin/env bash
# bench/lifecycle.sh — the item lifecycle benchmark: ITEMS items (default
# 100,000) taken from identification through two rounds of corrective
# actions, valuation, a consensus session with agreements and
# recommendations, to closure, every command through intake as an upstream
# sends it (mot-load --template, a window of requests in flight), with the
# whole system running on this machine (Redis, intake, classifier,
# deadline-watcher — the actions' due dates are obligations — notifier).
#
#   bash bench/lifecycle.sh [ITEMS] [GROUP]   (defaults 100000, 100)
#
# Per item, in this order (each step for all items before the next, as
# analysts work: a report follows its action's outcome): action 1, progress
# 100 %, verification (→ monitoreo), action 2, progress, verification (the
# second round), valuation residual, one sesión de consenso per GROUP items,
# an agreement, a CAPSOI recommendation, their progress and verifications
# (→ monitoreo), valuation resolved, closure: 15 commands per item and a
# session per GROUP. Before the actions, a floor step: ITEMS progress
# reports on actions that do not exist, each refused at its first check —
# the rate no lifecycle command can beat on this machine (see the step).
# Prints key=value lines: per step the commands/s from the first submit to
# the last one applied (the classifier's pending set empty and every
# hand-off to the watcher committed), the sustained rate over all steps,
# the ack latency of each step, and Redis memory per closed item with its
# history (everything the lifecycle stored: events, works, reports,
# trails, valuations, obligations). Run it three times and take the medians.
# MOT_BENCH_SLOWLOG=FILE: every Redis command of each step, with its
# duration, is appended to FILE (Redis's SLOWLOG as CSV, a "# step NAME"
# line before each step's); bench/slowlog.py sums it by command and script.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
ITEMS=${1:-100000}
GROUP=${2:-100}
source "$top/bench/lib.sh"
bench_setup 18570
export MOT_WATCH_FROM=$(date +%Y-%m)
mot_start_redis "$RUN"
redis() { mot_redis_cli "$RUN" "$@"; }
used() { redis INFO memory | tr -d '\r' | awk -F: '/^used_memory:/ { print $2 }'; }
now_us() { date +%s%6N; }
for name in intake classifier deadline-watcher notifier; do mot_start_service "$RUN" "$BUILD" "$name"; done
if [ -n "${MOT_BENCH_SLOWLOG:-}" ]; then    # the scripts by their SHA1, for bench/slowlog.py
  for f in "$BUILD"/lua/*.lua; do echo "# script $(sha1sum <"$f" | cut -d' ' -f1) $(basename "$f" .lua)"; done >"$MOT_BENCH_SLOWLOG"
fi
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready
echo "machine=$(nproc) cores; redis=$(redis-server --version | grep -o 'v=[0-9.]*'); items=$ITEMS"

settled() { [ "$(redis ZCARD mot:pending:classify)" = 0 ] && [ "$(redis ZCARD mot:pending:watch)" = 0 ]; }
total_commands=0 total_us=0
# step NAME COUNT TEMPLATE: COUNT requests of TEMPLATE, timed until settled.
step() {
  local name=$1 count=$2 template=$3 start end out
  if [ -n "${MOT_BENCH_SLOWLOG:-}" ]; then
    redis CONFIG SET slowlog-log-slower-than 0 >/dev/null
    redis CONFIG SET slowlog-max-len 10000000 >/dev/null
    redis SLOWLOG RESET >/dev/null
  fi
  start=$(now_us)
  out=$("$BUILD/mot-load" --template "$template" --items "$RUN/items.txt" --group "$GROUP" --count "$count" \
    --window 2000 --prefix "$name-")
  while ! settled; do sleep 0.05; done
  end=$(now_us)
  if [ -n "${MOT_BENCH_SLOWLOG:-}" ]; then
    { echo "# step $name $count"; redis --csv SLOWLOG GET -1; } >>"$MOT_BENCH_SLOWLOG"
    redis CONFIG SET slowlog-log-slower-than 10000 >/dev/null
  fi
  local errors
  errors=$(echo "$out" | awk -F= '/^errors=/ { print $2 }')
  [ "$errors" = 0 ] || { echo "step $name: $errors requests refused by intake" >&2; exit 1; }
  echo "$out" | awk -F= -v n="$name" '/^ack_p99_ms=/ { printf "%s_ack_p99_ms=%s\n", n, $2 }'
  awk -v n="$name" -v c="$count" -v s="$start" -v e="$end" 'BEGIN { printf "%s_per_s=%.0f\n", n, c / ((e - s) / 1e6) }'
  if [ "$name" != findings ] && [ "$name" != floor ]; then
    total_commands=$((total_commands + count))
    total_us=$((total_us + end - start))
  fi
}

: >"$RUN/items.txt"
mem0=$(used)
step findings "$ITEMS" '{"type":"finding","source":"UEOD","external_id":"x","territory":"OOAD-15","topic":"Tema {i}","found_on":"2026-11-02","impact":4,"frequency":4}'
redis ZRANGE mot:items:problematica 0 -1 >"$RUN/items.txt"
[ "$(wc -l <"$RUN/items.txt")" = "$ITEMS" ] || { echo "expected $ITEMS items" >&2; exit 1; }
mem1=$(used)
U='"source":"UEOD","external_id":"x"' C='"source":"CAPSOI","external_id":"x"'
# The floor: a progress report on an action that does not exist, refused at
# its first check (UNKNOWN_ACTION) without touching an item — what every
# lifecycle command costs before its own work (intake's validation, dedup
# and acknowledgement, the classifier's batch, the event's outcome). No
# lifecycle command can go faster than this step.
step floor "$ITEMS" "{\"type\":\"progress\",$U,\"kind\":\"accion-correctiva\",\"action_id\":\"NONE-{i}\",\"percent\":100,\"cut_off\":\"2026-11-11\",\"analyst\":\"enlace\"}"
memf=$(used)
for round in 1 2; do
  step "action$round" "$ITEMS" "{\"type\":\"action\",$U,\"action_id\":\"A$round-{i}\",\"kind\":\"accion-correctiva\",\"due_on\":\"2027-06-30\",\"item_id\":\"{item}\",\"responsible\":\"DPM\"}"
  step "progress$round" "$ITEMS" "{\"type\":\"progress\",$U,\"kind\":\"accion-correctiva\",\"action_id\":\"A$round-{i}\",\"percent\":100,\"cut_off\":\"2026-11-1$round\",\"analyst\":\"enlace\"}"
  step "verification$round" "$ITEMS" "{\"type\":\"verification\",$U,\"kind\":\"accion-correctiva\",\"action_id\":\"A$round-{i}\",\"cut_off\":\"2026-11-1$round\",\"verified\":true,\"analyst\":\"analista\"}"
done
step valuation_residual "$ITEMS" "{\"type\":\"valuation\",$U,\"item_id\":\"{item}\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-20\",\"analyst\":\"analista\"}"
step session $(( (ITEMS + GROUP - 1) / GROUP )) "{\"type\":\"session\",$C,\"session_id\":\"SC-{group}\",\"held_on\":\"2026-11-21\",\"medium\":\"videoconferencia\",\"offices\":[\"TDOE\",\"CAPSOI\"],\"item_ids\":{group_items},\"analyst\":\"tdoe\"}"
step agreement "$ITEMS" "{\"type\":\"action\",$C,\"action_id\":\"AG-{i}\",\"kind\":\"acuerdo\",\"due_on\":\"2027-06-30\",\"item_id\":\"{item}\",\"session_id\":\"SC-{item_group}\",\"responsible\":\"OOAD-15\"}"
step recommendation "$ITEMS" "{\"type\":\"action\",$C,\"action_id\":\"RC-{i}\",\"kind\":\"recomendacion\",\"recommendation_type\":\"preventiva\",\"due_on\":\"2027-06-30\",\"item_id\":\"{item}\",\"responsible\":\"DPM\"}"
for work in AG:acuerdo RC:recomendacion; do
  id=${work%%:*} kind=${work##*:}
  step "progress_$kind" "$ITEMS" "{\"type\":\"progress\",$C,\"kind\":\"$kind\",\"action_id\":\"$id-{i}\",\"percent\":100,\"cut_off\":\"2026-11-25\",\"analyst\":\"analista\"}"
  step "verification_$kind" "$ITEMS" "{\"type\":\"verification\",$C,\"kind\":\"$kind\",\"action_id\":\"$id-{i}\",\"cut_off\":\"2026-11-25\",\"verified\":true,\"analyst\":\"analista\"}"
done
step valuation_resolved "$ITEMS" "{\"type\":\"valuation\",$U,\"item_id\":\"{item}\",\"impact\":2,\"vertical\":1,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-26\",\"analyst\":\"analista\"}"
step closure "$ITEMS" "{\"type\":\"closure\",$U,\"item_id\":\"{item}\",\"analyst\":\"tdoe\",\"reason\":\"Resuelta\"}"

closed=$(redis ZCARD mot:items:problematica)
refused=$(redis EVAL "local n = 0 for _, k in ipairs(redis.call('KEYS', 'mot:event:*')) do if redis.call('HGET', k, 'outcome') == 'refused' then n = n + 1 end end return n" 0)
mem2=$(used)
# (the floor step's refusals and their memory are not the lifecycle's)
awk -v c="$total_commands" -v us="$total_us" -v n="$ITEMS" -v m0="$mem0" -v m1="$mem1" -v mf="$memf" -v m2="$mem2" \
  -v r="$refused" 'BEGIN {
  printf "lifecycle_commands=%d\nlifecycle_refused=%d\nlifecycle_commands_per_s=%.0f\n", c, r - n, c / (us / 1e6)
  printf "memory_per_identified_item_bytes=%.0f\nmemory_per_closed_item_bytes=%.0f\n", (m1 - m0) / n, (m2 - m0 - (mf - m1)) / n }'
echo "items_closed=$(redis EVAL "local n = 0 for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do if redis.call('HGET', 'mot:item:{' .. id .. '}', 'stage') == 'cerrado' then n = n + 1 end end return n" 1 mot:items:problematica) of $closed"
echo "notices_logged=$(redis GET mot:seq:notice)"
