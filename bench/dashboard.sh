#!/usr/bin/env bash
# bench/dashboard.sh — the dashboard's register pages under load (issue #11:
# "a dashboard register page (first 100 rows, filtered) p99 <= 100 ms under
# 20 concurrent clients", with 100,000 open items).
#
#   bash bench/dashboard.sh [ITEMS] [CLIENTS] [SECONDS]
#
# Loads ITEMS open items (default 100,000; a multiple of 20) through intake
# with mot-load, in eleven groups whose territory, scores (so quadrant) and
# topic (so category, by the keyword rules) are known:
#   group  territory  impact:frequency  quadrant  topic → category   items
#   p0     OOAD-01    8:7               I         Maltrato → Legal          ITEMS/10
#   p1     OOAD-02    3:2               III       Lista de espera → Estratégico
#   p2     OOAD-03    4:8               II        Falla del sistema → Administrativo
#   p3     OOAD-04    8:3               IV        Subcontratacion → Financiero
#   p4     OOAD-05    6:6               I         Maltrato → Legal
#   p5     OOAD-06    2:9               II        Lista de espera → Estratégico
#   p6     OOAD-07    9:9               I         Falla del sistema → Administrativo
#   p7     OOAD-08    5:5               III       Subcontratacion → Financiero
#   p8     OOAD-09    7:2               IV        Maltrato → Legal
#   r0     OOAD-10    7:6 (riesgo)      I         Falla del sistema → Administrativo  ITEMS/20
#   r1     OOAD-11    2:3 (riesgo)      III       Lista de espera → Estratégico       ITEMS/20
# then starts the reporter with its dashboard (an account made with openssl
# passwd -6), and bench/dashboard_client.py signs in once and runs CLIENTS
# (default 20) concurrent clients for SECONDS (default 20), each asking for
# first pages (100 rows) of /mupoi and /muro filtered by territory, quadrant,
# category or unit (some of them sorted), and checking each answer: 200, the
# total the table above gives, and min(total, 100) rows.
# Prints key=value lines: latency p50/p90/p99/max (client side, request sent
# to body read), requests/s, the cold first page, and each register's
# snapshot (rows, bytes, milliseconds to rebuild; the reporter's log) and how
# many rebuilds ran, and the reporter's peak resident memory.
# Ports 18600-18606. DASHBOARD_REFRESH_MS sets --http-refresh-ms;
# DASHBOARD_REPORTER=DIR runs DIR/mot-reporter instead (another build, to
# compare: e.g. one from before the registers were kept in memory, with
# CLIENTS 1).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/deploy/local/lib.sh"
ITEMS=${1:-100000}
CLIENTS=${2:-20}
SECONDS_RUN=${3:-20}
[ $((ITEMS % 20)) = 0 ] || { echo "ITEMS must be a multiple of 20" >&2; exit 2; }
source "$top/bench/lib.sh"
bench_setup 18600
export MOT_REPORTER_QUERY=tcp://127.0.0.1:18605 MOT_REPORTER_HTTP=127.0.0.1:18606
export MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv
[ -n "${DASHBOARD_REFRESH_MS:-}" ] && export MOT_REPORTER_HTTP_REFRESH_MS=$DASHBOARD_REFRESH_MS
password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
printf 'bench\t%s\tanalista\n' "$(openssl passwd -6 "$password")" >"$RUN/accounts.tsv"
mot_start_redis "$RUN"
redis() { mot_redis_cli "$RUN" "$@"; }
for name in intake classifier; do mot_start_service "$RUN" "$BUILD" "$name"; done
intake_ready() { [ "$("$BUILD/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
mot_wait 30 intake_ready
echo "machine=$(nproc) cores; redis=$(redis-server --version | grep -o 'v=[0-9.]*'); items=$ITEMS"
settled() { [ "$(redis ZCARD mot:pending:classify)" = 0 ]; }
load() {   # load PREFIX COUNT TEMPLATE
  "$BUILD/mot-load" --template "$3" --count "$2" --window 2000 --prefix "$1-" >"$RUN/load.txt"
  grep -q '^errors=0$' "$RUN/load.txt" || { echo "load $1 refused: $(cat "$RUN/load.txt")" >&2; exit 1; }
  while ! settled; do sleep 0.05; done
}
pairs=(8:7 3:2 4:8 8:3 6:6 2:9 9:9 5:5 7:2)
topics=("Maltrato" "Lista de espera" "Falla del sistema" "Subcontratacion")
per=$((ITEMS / 10)) half=$((ITEMS / 20))
for k in $(seq 0 8); do
  impact=${pairs[$k]%%:*} frequency=${pairs[$k]##*:}
  load "p$k" "$per" "{\"type\":\"finding\",\"source\":\"UEOD\",\"external_id\":\"x\",\"territory\":\"OOAD-$(printf %02d $((k + 1)))\",\"topic\":\"${topics[$((k % 4))]} {i}\",\"found_on\":\"2026-11-02\",\"impact\":$impact,\"frequency\":$frequency}"
done
load r0 "$half" "{\"type\":\"risk\",\"source\":\"CAPSOI\",\"external_id\":\"x\",\"territory\":\"OOAD-10\",\"topic\":\"Falla del sistema riesgo {i}\",\"found_on\":\"2026-11-02\",\"impact\":7,\"probability\":6}"
load r1 "$half" "{\"type\":\"risk\",\"source\":\"CAPSOI\",\"external_id\":\"x\",\"territory\":\"OOAD-11\",\"topic\":\"Lista de espera riesgo {i}\",\"found_on\":\"2026-11-02\",\"impact\":2,\"probability\":3}"
echo "problematicas=$(redis ZCARD mot:items:problematica) riesgos=$(redis ZCARD mot:items:riesgo)"

# The pages and their totals, from the table above (P = ITEMS/10, R = ITEMS/20).
P=$per R=$half
{
  echo "["
  for k in $(seq 1 9); do echo "{\"path\": \"/mupoi?territorio=OOAD-0$k\", \"total\": $P},"; done
  echo "{\"path\": \"/mupoi?cuadrante=1\", \"total\": $((3 * P))},"
  echo "{\"path\": \"/mupoi?cuadrante=2&orden=impacto&dir=desc\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?cuadrante=3\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?cuadrante=4&orden=tema&dir=asc\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?categoria=Legal\", \"total\": $((3 * P))},"
  echo "{\"path\": \"/mupoi?categoria=Estrat%C3%A9gico&orden=id&dir=desc\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?categoria=Administrativo\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?categoria=Financiero&orden=frecuencia&dir=asc\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?categoria=Legal&cuadrante=4\", \"total\": $P},"
  echo "{\"path\": \"/mupoi?territorio=OOAD-05&cuadrante=1&orden=ultima&dir=desc\", \"total\": $P},"
  echo "{\"path\": \"/mupoi?unidad=UEOD&categoria=Legal&cuadrante=1\", \"total\": $((2 * P))},"
  echo "{\"path\": \"/mupoi?territorio=OOAD-10\", \"total\": 0},"
  echo "{\"path\": \"/muro?territorio=OOAD-10\", \"total\": $R},"
  echo "{\"path\": \"/muro?territorio=OOAD-11&orden=tema&dir=desc\", \"total\": $R},"
  echo "{\"path\": \"/muro?cuadrante=1\", \"total\": $R},"
  echo "{\"path\": \"/muro?cuadrante=3\", \"total\": $R},"
  echo "{\"path\": \"/muro?categoria=Administrativo\", \"total\": $R},"
  echo "{\"path\": \"/muro?unidad=CAPSOI&categoria=Estrat%C3%A9gico\", \"total\": $R},"
  echo "{\"path\": \"/muro?unidad=CAPSOI&orden=impacto&dir=desc\", \"total\": $((2 * R))}"
  echo "]"
} >"$RUN/pages.json"

MOT_LOG_LEVEL=info mot_start_service "$RUN" "${DASHBOARD_REPORTER:-$BUILD}" reporter
http_up() { curl -s -o /dev/null "http://$MOT_REPORTER_HTTP/login"; }
mot_wait 30 http_up
/usr/bin/python3 "$top/bench/dashboard_client.py" "http://$MOT_REPORTER_HTTP" bench "$password" "$RUN/pages.json" \
  "$CLIENTS" "$SECONDS_RUN" | tee "$RUN/client.txt"
status=${PIPESTATUS[0]}
for register in MUPOI MURO; do
  { grep "dashboard_snapshot register=$register " "$RUN/log/reporter.log" || true; } | tail -1 \
    | sed -n "s/.* rows=\([0-9]*\) bytes=\([0-9]*\) ms=\([0-9]*\) query_ms=\([0-9]*\) csv_ms=\([0-9]*\) snapshot_ms=\([0-9]*\).*/snapshot_${register}_rows=\1\nsnapshot_${register}_bytes=\2\nsnapshot_${register}_rebuild_ms=\3\nsnapshot_${register}_rebuild_query_ms=\4\nsnapshot_${register}_rebuild_csv_ms=\5\nsnapshot_${register}_rebuild_parse_ms=\6/p"
  echo "snapshot_${register}_rebuilds=$(grep -c "dashboard_snapshot register=$register " "$RUN/log/reporter.log" || true)"
done
echo "reporter_peak_rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$(cat "$RUN/pids/reporter.pid")/status")"
exit "$status"
