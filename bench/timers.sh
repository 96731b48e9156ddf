#!/usr/bin/env bash
# bench/timers.sh — issue #4's benchmark: the deadline-watcher with many
# pending timers, everything (Redis, services, load generator) on this
# machine, through the product's own path (agreements with due dates enter
# through intake; the watcher schedules their timers; the notifier publishes).
#
#   bash bench/timers.sh [PENDING] [BURST] [DAYS]   (defaults 1000000, 100000, 9)
#
#   1. schedule: PENDING agreements due over 300 days → timers/s from submit
#      to scheduled; Redis memory per pending timer (the timer sorted set
#      alone) and per agreement (everything it stores);
#   2. burst:    BURST agreements due on one day; the clock moves past it;
#      lag p50/p99 from that moment to each overdue notice on a subscriber;
#   3. catch-up: the watcher is stopped, the clock moves DAYS days, the watcher
#      starts: notices/s while it fires what it missed.
# Prints key=value lines; run it three times and take the medians.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
PENDING=${1:-1000000}
BURST=${2:-100000}
DAYS=${3:-9}
BUILD=${MOT_BENCH_BUILD_DIR:-$top/build-bench}
RUN=$(mktemp -d /tmp/mot-bench.XXXXXX)
trap 'mot_stop_all "$RUN"; rm -rf "$RUN"' EXIT

cmake -S "$top" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMOT_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null

export MOT_LOG_LEVEL=warn MOT_PII_KEY_FILE=$RUN/pii.key MOT_ENV=test MOT_TEST_CLOCK=1 MOT_REMIND_BD=0
head -c 32 /dev/urandom >"$MOT_PII_KEY_FILE"
export MOT_INTAKE_INGRESS=tcp://127.0.0.1:18560
export MOT_INTAKE_CLASSIFY=tcp://127.0.0.1:18561 MOT_CLASSIFIER_INTAKE=tcp://127.0.0.1:18561
export MOT_INTAKE_WATCH=tcp://127.0.0.1:18562 MOT_WATCHER_INTAKE=tcp://127.0.0.1:18562
export MOT_NOTIFIER_COLLECT=tcp://127.0.0.1:18563 MOT_WATCHER_NOTIFIER=tcp://127.0.0.1:18563
export MOT_NOTIFIER_PUBLISH=tcp://127.0.0.1:18564
export MOT_WATCH_FROM=2027-01
mot_start_redis "$RUN"
redis() { redis-cli -s "$RUN/redis.sock" "$@"; }
now_us() { date +%s%6N; }
wait_watch_settled() { while [ "$(redis ZCARD mot:pending:watch)" != 0 ]; do sleep 0.05; done; }
"$BUILD/motctl" clock set 2027-01-04T09:00 >/dev/null
for name in intake deadline-watcher notifier; do mot_start_service "$RUN" "$BUILD" "$name"; done
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready
sleep 2   # the watcher's first tick creates January's monthly obligations

echo "machine=$(nproc) cores; redis=$(redis-server --version | grep -o 'v=[0-9.]*')"
used() { redis INFO memory | tr -d '\r' | awk -F: '/^used_memory:/ { print $2 }'; }
mem0=$(used)
timers0=$(redis ZCARD mot:timers)

# 1. Schedule.
start=$(now_us)
"$BUILD/mot-load" --kind action --count "$PENDING" --due 2027-03-01 --spread-days 300 --window 2000 \
  --prefix sched- >/dev/null
wait_watch_settled
end=$(now_us)
timers=$(($(redis ZCARD mot:timers) - timers0))
zset=$(redis MEMORY USAGE mot:timers SAMPLES 0)
mem1=$(used)
awk -v n="$PENDING" -v t="$timers" -v s="$start" -v e="$end" -v z="$zset" -v m0="$mem0" -v m1="$mem1" 'BEGIN {
  printf "schedule_pending=%d\nschedule_timers_per_s=%.0f\n", t, t / ((e - s) / 1e6)
  printf "memory_per_timer_bytes=%.0f\nmemory_per_agreement_bytes=%.0f\n", z / t, (m1 - m0) / n }'

# 2. Burst: BURST agreements due 2027-01-05, then the clock passes its end.
"$BUILD/mot-load" --kind action --count "$BURST" --due 2027-01-05 --window 2000 --prefix burst- >/dev/null
wait_watch_settled
"$BUILD/mot-lag" --publish "$MOT_NOTIFIER_PUBLISH" --topic overdue/CAPSOI/acuerdo --count "$BURST" \
  --t0-file "$RUN/t0" >"$RUN/burst.txt" &
lag=$!
sleep 1
now_us >"$RUN/t0"
"$BUILD/motctl" clock set 2027-01-06T00:00:01 >/dev/null
wait $lag || true
sed 's/^/burst_/' "$RUN/burst.txt"

# 3. Catch-up: DAYS days of due agreements (from 2027-03-01) missed while down.
mot_kill_service "$RUN" deadline-watcher
missed=$(awk -v n="$PENDING" -v d="$DAYS" 'BEGIN { print int(n / 300) * d }')
"$BUILD/motctl" clock set "$(date -d "2027-03-01 + $DAYS days" +%Y-%m-%d)T00:00:01" >/dev/null
"$BUILD/mot-lag" --publish "$MOT_NOTIFIER_PUBLISH" --topic overdue/CAPSOI/acuerdo --count "$missed" \
  --t0-file "$RUN/t0" >"$RUN/catchup.txt" &
lag=$!
sleep 1
now_us >"$RUN/t0"
mot_start_service "$RUN" "$BUILD" deadline-watcher
wait $lag || true
sed 's/^/catchup_/' "$RUN/catchup.txt"
