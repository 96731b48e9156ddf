#!/usr/bin/env bash
# bench/window.sh — the DOE's window at scale (issue #11's speed targets):
# ITEMS open items (default 100,000: 90 % problemáticas, 10 % riesgos, spread
# over 10 score pairs) and MONTHS months of frozen positions (default 24),
# with MOVERS items (default 2,000) moved by an analyst's override each
# month, so that the maps have movement. Everything runs on this machine,
# with the test clock (the watcher freezes each month as the clock passes
# its close).
#
#   bash bench/window.sh [ITEMS] [MONTHS] [MOVERS]
#
# Measures, each RUNS times (default 5), median and max, in seconds:
#   mupoi_csv          motctl mupoi --csv (the whole register)
#   map_movement       motctl map mupoi --period LAST --compare FIRST
#   map_now            motctl map mupoi (the open items now)
#   report_monthly     motctl report monthly LAST (its figures, JSON)
# and the freeze itself (seconds per month, at --freeze-per-tick 2000), and
# Redis memory per item-period (MEMORY USAGE of 200 items' positions hashes).
# Prints key=value lines. With MOT_BENCH_SAVE=FILE it also saves the data set
# (an RDB snapshot, taken before the timings) to FILE, so a profile can be run
# against the same items without building them again.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
ITEMS=${1:-100000}
MONTHS=${2:-24}
MOVERS=${3:-2000}
RUNS=${RUNS:-5}
source "$top/bench/lib.sh"
bench_setup 18580
export MOT_REPORTER_QUERY=tcp://127.0.0.1:18585
export MOT_ENV=test MOT_TEST_CLOCK=1 MOT_WATCH_FROM=2025-01
mot_start_redis "$RUN"
redis() { mot_redis_cli "$RUN" "$@"; }
now_us() { date +%s%6N; }
MOTCTL="$BUILD/motctl"
"$MOTCTL" clock set 2025-01-10T09:00 >/dev/null
for name in intake classifier deadline-watcher notifier reporter; do mot_start_service "$RUN" "$BUILD" "$name"; done
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready
echo "machine=$(nproc) cores; redis=$(redis-server --version | grep -o 'v=[0-9.]*'); items=$ITEMS months=$MONTHS"
settled() { [ "$(redis ZCARD mot:pending:classify)" = 0 ]; }
load() {   # load PREFIX COUNT TEMPLATE [ITEMS_FILE]
  "$BUILD/mot-load" --template "$3" ${4:+--items "$4"} --count "$2" --window 2000 --prefix "$1-" >"$RUN/load.txt"
  grep -q '^errors=0$' "$RUN/load.txt" || { echo "load $1 refused: $(cat "$RUN/load.txt")" >&2; exit 1; }
  while ! settled; do sleep 0.05; done
}

# The items: ten score pairs, one tenth of them riesgos.
pairs=(8:7 3:2 4:8 8:3 6:6 2:9 9:9 5:5 7:2 1:1)
per=$((ITEMS / 10))
start=$(now_us)
for k in $(seq 0 9); do
  impact=${pairs[$k]%%:*} vertical=${pairs[$k]##*:}
  if [ "$k" = 9 ]; then
    load "r$k" "$per" "{\"type\":\"risk\",\"source\":\"CAPSOI\",\"external_id\":\"x\",\"territory\":\"OOAD-$(printf %02d $((k + 1)))\",\"topic\":\"Riesgo {i}\",\"found_on\":\"2025-01-09\",\"impact\":$impact,\"probability\":$vertical}"
  else
    load "p$k" "$per" "{\"type\":\"finding\",\"source\":\"UEOD\",\"external_id\":\"x\",\"territory\":\"OOAD-$(printf %02d $((k + 1)))\",\"topic\":\"Tema $k {i}\",\"found_on\":\"2025-01-09\",\"impact\":$impact,\"frequency\":$vertical}"
  fi
done
echo "items_created_per_s=$(awk -v n="$ITEMS" -v s="$start" -v e="$(now_us)" 'BEGIN { printf "%.0f", n / ((e - s) / 1e6) }')"
redis ZRANGE mot:items:problematica 0 -1 >"$RUN/problematicas.txt"

# MONTHS month closes; before each, MOVERS problemáticas get new scores.
month_text() { date -u -d "2025-01-01 +$1 month" +%Y-%m; }
frozen_is() { [ "$(redis GET mot:periods:frozen)" = "$1" ]; }
freeze_us=0
for m in $(seq 0 $((MONTHS - 1))); do
  shuf -n "$MOVERS" "$RUN/problematicas.txt" >"$RUN/movers.txt"
  load "o$m" "$MOVERS" "{\"type\":\"override\",\"source\":\"UEOD\",\"external_id\":\"x\",\"item_id\":\"{item}\",\"impact\":$((m % 10 + 1)),\"vertical\":$(((m * 3) % 10 + 1)),\"analyst\":\"bench\",\"reason\":\"bench\"}" "$RUN/movers.txt"
  month=$(month_text "$m")
  t0=$(now_us)
  "$MOTCTL" clock set "$(month_text $((m + 1)))-01T00:00:30" >/dev/null
  while ! frozen_is "$month"; do sleep 0.05; done
  freeze_us=$((freeze_us + $(now_us) - t0))
done
first=$(month_text 0) last=$(month_text $((MONTHS - 1)))
echo "freeze_s_per_month=$(awk -v u="$freeze_us" -v m="$MONTHS" 'BEGIN { printf "%.2f", u / m / 1e6 }')"
samples=$(shuf -n 200 "$RUN/problematicas.txt")
bytes=0
for id in $samples; do bytes=$((bytes + $(redis MEMORY USAGE "mot:item:{$id}:positions" SAMPLES 0))); done
if [ -n "${MOT_BENCH_SAVE:-}" ]; then
  redis SAVE >/dev/null
  cp "$RUN/redis/$(redis CONFIG GET dbfilename | tail -1)" "$MOT_BENCH_SAVE"
fi
echo "memory_per_item_period_bytes=$(awk -v b="$bytes" -v m="$MONTHS" 'BEGIN { printf "%.0f", b / 200 / m }')"

# timed NAME CMD...: RUNS runs of CMD (output to a file), median and max.
timed() {
  local name=$1 r t0
  shift
  : >"$RUN/times.txt"
  for r in $(seq "$RUNS"); do
    t0=$(now_us)
    "$@" >"$RUN/out.$name" || { echo "$name failed" >&2; exit 1; }
    echo $(($(now_us) - t0)) >>"$RUN/times.txt"
  done
  sort -n "$RUN/times.txt" | awk -v n="$name" '{ t[NR] = $1 } END {
    printf "%s_s_median=%.3f\n%s_s_max=%.3f\n", n, t[int((NR + 1) / 2)] / 1e6, n, t[NR] / 1e6 }'
}
timed mupoi_csv "$MOTCTL" mupoi --csv --timeout 60
echo "mupoi_rows=$(($(wc -l <"$RUN/out.mupoi_csv") - 1))"
timed map_movement "$MOTCTL" map mupoi --period "$last" --compare "$first" --timeout 60
echo "map_movement_bytes=$(wc -c <"$RUN/out.map_movement")"
timed map_now "$MOTCTL" map mupoi --timeout 60
timed report_monthly "$MOTCTL" report monthly "$last" --timeout 60
echo "report_items=$(jq '.problematicas.total + .riesgos.total' "$RUN/out.report_monthly")"
