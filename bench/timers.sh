#!/usr/bin/env bash
# bench/timers.sh — the deadline benchmark: the deadline-watcher with many
# pending timers, everything (Redis, services, load generator) on this
# machine.
#
#   bash bench/timers.sh [PENDING] [BURST] [DAYS]   (defaults 1000000, 100000, 3)
#
#   PENDING is the number of pending timers when the burst falls due, the
#   burst's included (the target: "with 1,000,000 pending timers … when
#   100,000 fall due at once").
#   1. schedule: (PENDING - BURST) / 2 agreements due over 300 days from
#      2027-03-01, each with its overdue timer and its reminder (the default,
#      2 business days before), fed to the watcher as fast as it takes them by mot-load
#      --dispatch standing in for intake → timers/s and agreements/s from the
#      first dispatch to the last timer stored; Redis memory per pending timer
#      (the timer sorted set alone) and per agreement (everything it stores);
#   2. burst: intake starts; BURST agreements due 2027-01-05 go through it
#      (→ agreements/s from submit to scheduled, the whole path); the clock
#      moves past that day's end. Firing lag: from that moment until 99% and
#      until all of the burst's timers have fired (left mot:timers, their
#      notices in the log), sampled every ~10 ms; delivery lag p50/p99:
#      from that moment to each overdue notice received by a subscriber
#      (firing + publishing + delivery), and notices/s. Before that moment
#      it waits for a background AOF rewrite, if one is running, to end
#      (reported as aof_rewrite_waited_ms);
#   3. catch-up: the watcher is stopped, the clock moves DAYS days past
#      2027-03-01, the watcher starts (catch-up bound: CATCHUP_PER_TICK
#      missed timers a tick, default the product's 50 per 100 ms tick):
#      notices/s and timers/s until everything missed has fired.
# Prints key=value lines; run it three times and take the medians.
# MOT_BENCH_TRACE=FILE keeps the burst's firing samples ("<unix µs> <timers left>").
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
PENDING=${1:-1000000}
BURST=${2:-100000}
AGREEMENTS=$(( (PENDING - BURST) / 2 ))
DAYS=${3:-3}
CATCHUP_PER_TICK=${CATCHUP_PER_TICK:-50}
source "$top/bench/lib.sh"
bench_setup 18560
export MOT_ENV=test MOT_TEST_CLOCK=1
export MOT_WATCH_FROM=2027-01
mot_start_redis "$RUN"
redis() { mot_redis_cli "$RUN" "$@"; }
now_us() { date +%s%6N; }
used() { redis INFO memory | tr -d '\r' | awk -F: '/^used_memory:/ { print $2 }'; }
seq_now() { redis GET mot:seq:notice | sed 's/^$/0/'; }
wait_for() { while ! "$@"; do sleep 0.05; done; }
"$BUILD/motctl" clock set 2027-01-04T09:00 >/dev/null
for name in deadline-watcher notifier; do mot_start_service "$RUN" "$BUILD" "$name"; done
sleep 2   # the watcher's first tick creates January's monthly obligations
echo "machine=$(nproc) cores; redis=$(redis-server --version | grep -o 'v=[0-9.]*')"

# 1. Schedule, the watcher alone.
mem0=$(used)
timers0=$(redis ZCARD mot:timers)
obls0=$(redis ZCARD mot:obls)
all_created() { [ "$(redis ZCARD mot:obls)" -ge $((obls0 + AGREEMENTS)) ]; }
start=$(now_us)
MOT_CERT=$MOT_CERTS/servers/intake.cert "$BUILD/mot-load" --dispatch 1 --endpoint "$MOT_WATCHER_INTAKE" --kind action --count "$AGREEMENTS" \
  --due 2027-03-01 --spread-days 300 --prefix sched- >/dev/null
wait_for all_created
end=$(now_us)
timers=$(($(redis ZCARD mot:timers) - timers0))
zset=$(redis MEMORY USAGE mot:timers SAMPLES 0)
mem1=$(used)
awk -v n="$AGREEMENTS" -v t="$timers" -v s="$start" -v e="$end" -v z="$zset" -v m0="$mem0" -v m1="$mem1" 'BEGIN {
  printf "schedule_agreements=%d\nschedule_timers=%d\n", n, t
  printf "schedule_timers_per_s=%.0f\nschedule_agreements_per_s=%.0f\n", t / ((e - s) / 1e6), n / ((e - s) / 1e6)
  printf "memory_per_timer_bytes=%.0f\nmemory_per_agreement_bytes=%.0f\n", z / t, (m1 - m0) / n }'

# 2. Burst: BURST agreements due 2027-01-05 through intake (reminders off:
# theirs would already be due; escalations off, so that phase 3 counts only
# what phase 1 scheduled), then the clock passes that day's end.
mot_kill_service "$RUN" deadline-watcher
MOT_REMIND_BD=0 MOT_ESCALATE_EVERY_BD=0 mot_start_service "$RUN" "$BUILD" deadline-watcher
mot_start_service "$RUN" "$BUILD" intake
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready
obls0=$(redis ZCARD mot:obls)
burst_created() { [ "$(redis ZCARD mot:obls)" -ge $((obls0 + BURST)) ]; }
start=$(now_us)
"$BUILD/mot-load" --kind action --count "$BURST" --due 2027-01-05 --window 2000 --prefix burst- >/dev/null
wait_for burst_created
end=$(now_us)
awk -v n="$BURST" -v s="$start" -v e="$end" 'BEGIN { printf "intake_schedule_agreements_per_s=%.0f\n", n / ((e - s) / 1e6) }'
"$BUILD/mot-lag" --publish "$MOT_NOTIFIER_PUBLISH" --topic overdue/CAPSOI/acuerdo --count "$BURST" \
  --t0-file "$RUN/t0" >"$RUN/burst.txt" &
lag=$!
sleep 1
rewriting() { redis INFO persistence | tr -d '\r' | grep -q '^aof_rewrite_in_progress:1'; }
waited=$(now_us)
while rewriting; do sleep 0.1; done
echo "aof_rewrite_waited_ms=$(( ($(now_us) - waited) / 1000 ))"
echo "pending_timers_at_burst=$(redis ZCARD mot:timers)"
t0=$(now_us)
echo "$t0" >"$RUN/t0"
"$BUILD/motctl" clock set 2027-01-06T00:00:01 >/dev/null
due_until=$(redis GET mot:clock)
p99_at=
# One redis-cli sampling every 10 ms (no process per sample: the sampler
# shares the two cores with what it measures).
coproc SAMPLER { redis -r -1 -i 0.01 ZCOUNT mot:timers -inf "$due_until"; }
while read -r left <&"${SAMPLER[0]}"; do
  at=${EPOCHREALTIME/./}
  echo "$at $left" >>"${MOT_BENCH_TRACE:-/dev/null}"
  [ -z "$p99_at" ] && [ "$left" -le $((BURST / 100)) ] && p99_at=$at
  [ "$left" = 0 ] && break
done
kill "$SAMPLER_PID" 2>/dev/null || true
awk -v t0="$t0" -v p="$p99_at" -v m="$at" 'BEGIN {
  printf "burst_firing_lag_p99_ms=%.0f\nburst_firing_lag_max_ms=%.0f\n", (p - t0) / 1000, (m - t0) / 1000 }'
wait $lag || true
sed 's/^/burst_delivery_/' "$RUN/burst.txt"

# 3. Catch-up: DAYS days of due agreements (from 2027-03-01) and their
# reminders missed while down (escalations off, so the count is fixed).
mot_kill_service "$RUN" deadline-watcher
back=$(date -d "2027-03-01 + $DAYS days" +%Y-%m-%d)
"$BUILD/motctl" clock set "${back}T00:00:01" >/dev/null
until_s=$(redis GET mot:clock)      # the test clock, unix seconds, as the watcher reads it
missed=$(redis ZCOUNT mot:timers -inf "$until_s")
seq0=$(seq_now)
start=$(now_us)
MOT_REMIND_BD=0 MOT_ESCALATE_EVERY_BD=0 MOT_WATCHER_CATCHUP_PER_TICK=$CATCHUP_PER_TICK \
  mot_start_service "$RUN" "$BUILD" deadline-watcher
published_all() { [ "$(redis GET mot:notices:published)" = "$(seq_now)" ]; }
settled() { [ "$(redis ZCOUNT mot:timers -inf "$until_s")" = 0 ] && published_all; }
wait_for settled
end=$(now_us)
awk -v n="$(( $(seq_now) - seq0 ))" -v t="$missed" -v s="$start" -v e="$end" -v b="$CATCHUP_PER_TICK" 'BEGIN {
  printf "catchup_bound_per_tick=%d\ncatchup_timers=%d\ncatchup_notices=%d\n", b, t, n
  printf "catchup_timers_per_s=%.0f\ncatchup_notices_per_s=%.0f\n", t / ((e - s) / 1e6), n / ((e - s) / 1e6) }'
