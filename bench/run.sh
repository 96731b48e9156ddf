#!/usr/bin/env bash
# bench/run.sh — the intake + classifier benchmark: throughput and
# intake's ack latency on this machine, everything (Redis, services, load
# generator) on it, and the Redis ceiling for the same work.
#
#   bash bench/run.sh [EVENTS]        (default 200000)
#
# Builds a release tree (build-bench/), starts a private redis-server with
# the shipped configuration and one intake + one classifier, then:
#   1. max:    EVENTS events as fast as acks allow (window 1000): ack rate,
#              and submit → classified rate (until mot:pending:classify is empty);
#   2. paced:  50000 events at 5000/s: ack latency p50/p99;
#   3. redis:  the Redis CPU time the same work cost over run 1 (INFO cpu) as
#              an events/s ceiling, and redis-benchmark running the scripts
#              one event per call, for calibration.
# Prints key=value lines; numbers vary with the machine's load: run it three
# times and take the medians (the README does).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
EVENTS=${1:-200000}
source "$top/bench/lib.sh"
bench_setup 18550
mot_start_redis "$RUN"
redis() { mot_redis_cli "$RUN" "$@"; }
# MOT_BENCH_FSYNC=always|everysec|no measures another AOF fsync policy.
[ -z "${MOT_BENCH_FSYNC:-}" ] || redis CONFIG SET appendfsync "$MOT_BENCH_FSYNC" >/dev/null
mot_start_service "$RUN" "$BUILD" intake
mot_start_service "$RUN" "$BUILD" classifier
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready

echo "machine=$(nproc) cores, $(uname -r); redis=$(redis-server --version | grep -o 'v=[0-9.]*'), appendfsync=$(redis CONFIG GET appendfsync | tail -1)"
redis_cpu() { redis INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ { c += $2 } END { printf "%.6f", c }'; }
cpu0=$(redis_cpu)

# 1. As fast as acks allow.
start=$(date +%s.%N)
"$BUILD/mot-load" --count "$EVENTS" --window 1000 --prefix max- >"$RUN/max.txt"
acked=$(date +%s.%N)
while [ "$(redis ZCARD mot:pending:classify)" != 0 ]; do sleep 0.05; done
done_at=$(date +%s.%N)
sed 's/^/max_/' "$RUN/max.txt"
awk -v n="$EVENTS" -v s="$start" -v a="$acked" -v d="$done_at" \
  'BEGIN { printf "max_submit_to_classified_per_s=%.0f\nmax_classify_tail_s=%.2f\n", n / (d - s), d - a }'

# 3a. The Redis CPU time that work cost (user + system, its own counters),
# as a ceiling: events/s if Redis had a core to itself for this work.
cpu1=$(redis_cpu)
awk -v n="$EVENTS" -v a="$cpu0" -v b="$cpu1" \
  'BEGIN { printf "redis_cpu_usec_per_event=%.1f\nredis_ceiling_events_per_s=%.0f\n", (b - a) * 1e6 / n, n / (b - a) }'

# 2. Paced at 5000/s.
"$BUILD/mot-load" --count 50000 --rate 5000 --window 5000 --prefix paced- | sed 's/^/paced5000_/'
while [ "$(redis ZCARD mot:pending:classify)" != 0 ]; do sleep 0.05; done

# 3b. redis-benchmark: the scripts as the services run them (assembled in
# $BUILD/lua, layouts in common/mot_scripts.h), one event per call (no
# batching, so a pessimistic ceiling): intake's accept, then the
# classifier's commit of a new event joining an item it knows (mot:bench:*
# keys, apart from the real ones); and, for information, the classifier's
# reserve of an item it does not know yet. The two lookups commit.lua takes only need
# the right length and digits for the timing.
bench_script() {  # NAME ARG… : "redis_benchmark_NAME_calls_per_s=N"
  local name=$1; shift
  local sha; sha=$(redis SCRIPT LOAD "$(cat "$BUILD/lua/$name.lua")")
  redis-benchmark -s "$RUN/redis.sock" -n 200000 -P 16 -r 100000000 -q EVALSHA "$sha" "$@" \
    | tr '\r' '\n' | grep 'requests per second' \
    | sed -E "s/.*: ([0-9.]+) requests per second.*/redis_benchmark_${name}_calls_per_s=\\1/"
}
frequencies=1$(printf '5%.0s' $(seq 100))
quadrants=$(printf '3%.0s' $(seq 121))
redis SET mot:bench:itemidx:x it-1 >/dev/null
# redis-benchmark takes a password only on its command line: it runs as
# Redis's default user instead, let in for the mot:bench:* keys while it runs.
redis ACL SETUSER default on nopass resetkeys '~mot:bench:*' +@all >/dev/null
{
  bench_script reserve 2 mot:bench:seq:item mot:bench:itemidx:__rand_int__
  bench_script accept 3 mot:bench:dedup:__rand_int__ mot:bench:event:__rand_int__ mot:bench:pending \
    1795340000 1795340000000 ev-__rand_int__ \
    envelope-bytes-of-a-typical-queja-0123456789012345678901234567890123456789 UAD queja
  # COMMIT's keys and arguments, then one EVIDENCE record (common/mot_scripts.h)
  bench_script commit 10 mot:bench:pending mot:bench:unclassified mot:bench:pending:watch mot:bench:outbox \
    mot:bench:event:ev-__rand_int__ mot:bench:itemidx:x "mot:bench:item:{it-1}" "mot:bench:item:{it-1}:audit" \
    "mot:bench:item:{it-1}:dedup" mot:bench:items:problematica \
    1795340000 3 "$frequencies" "$quadrants" 04312 \
    1 ev-__rand_int__ it-1 1 0 problematica UAD OOAD-15 "Oportunidad de la atención" "oportunidad de la atencion" \
    2026-11-20 Estratégico DPM 7 0 oportunidad "keyword oportunidad 7" mot:bench:dedup:UAD:__rand_int__
} >"$RUN/scripts.txt"
redis ACL SETUSER default reset off >/dev/null
cat "$RUN/scripts.txt"
awk -F= -v sustained="$(awk -v n="$EVENTS" -v s="$start" -v d="$done_at" 'BEGIN { print n / (d - s) }')" '
  /reserve/ { r = $2 } /accept/ { a = $2 } /commit/ { c = $2 }
  END { ceiling = 1 / (1 / a + 1 / c)
        printf "redis_benchmark_ceiling_events_per_s=%.0f\nsustained_to_ceiling_ratio=%.2f\n", ceiling, sustained / ceiling }' \
  "$RUN/scripts.txt"
