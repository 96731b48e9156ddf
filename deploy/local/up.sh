#!/usr/bin/env bash
# up.sh — the first README command: installs what is missing, builds, starts
# the whole MOT pipeline on its embedded default (a private redis-server on a
# unix socket under run/, unless MOT_REDIS names one), feeds the demo events
# and shows the MUPOI, the MURO and a notice. Idempotent: running it again
# reuses what is running and the demo's retries are recognised as duplicates.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$MOT_SOURCE"

RUN=${MOT_RUN_DIR:-$MOT_SOURCE/run}
BUILD=${MOT_BUILD_DIR:-$MOT_SOURCE/build}

step() { printf '\n== %s\n' "$*"; }

step "Installing Debian packages (deploy/install-deps.sh)"
bash deploy/install-deps.sh

step "Building into $BUILD"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
echo "built: $(cd "$BUILD" && ls mot-* motctl | tr '\n' ' ')"

step "Starting Redis and the five services (run folder: $RUN)"
mkdir -p "$RUN"
if [ -z "${MOT_REDIS:-}" ]; then
  mot_start_redis "$RUN"
  echo "private redis-server: $MOT_REDIS (AOF in $RUN/redis)"
else
  echo "using the configured Redis: $MOT_REDIS"
fi
[ -s "$RUN/pii.key" ] || head -c 32 /dev/urandom >"$RUN/pii.key"
# Security on, as in production, with throwaway certificates of this run
# folder (unless MOT_CERTS names the ops team's).
if [ -z "${MOT_CERTS:-}" ]; then
  mot_make_certs "$RUN" "$BUILD"
  echo "CURVE certificates: $MOT_CERTS (motctl's keypair: $MOT_CERT)"
fi
export MOT_PII_KEY_FILE=${MOT_PII_KEY_FILE:-$RUN/pii.key}
# The demo's deliveries are for August and September 2026: watch from there.
export MOT_WATCH_FROM=${MOT_WATCH_FROM:-2026-08}
export MOT_ENV=${MOT_ENV:-development}
# The dashboard's one account, made here with a throwaway password (kept in
# the run folder; only its crypt(3) hash goes into the accounts file).
export MOT_REPORTER_HTTP=${MOT_REPORTER_HTTP:-127.0.0.1:5556}
if [ -z "${MOT_REPORTER_ACCOUNTS:-}" ]; then
  export MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv
  [ -s "$RUN/dashboard.password" ] || head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$RUN/dashboard.password"
  printf 'demo\t%s\tanalista\n' "$(openssl passwd -6 -stdin <"$RUN/dashboard.password")" >"$MOT_REPORTER_ACCOUNTS"
  chmod 600 "$RUN/dashboard.password" "$MOT_REPORTER_ACCOUNTS"
fi
for name in "${MOT_SERVICES[@]}"; do
  mot_start_service "$RUN" "$BUILD" "$name"
done
motctl="$BUILD/motctl"
services_alive() {
  local name
  for name in "${MOT_SERVICES[@]}"; do mot_pid_alive "$RUN/pids/$name.pid" || return 1; done
}
if ! mot_wait 30 "$motctl" obligations --timeout 1 || ! services_alive; then
  echo "the services did not come up (a port in use by another system?); see $RUN/log/:" >&2
  grep -h -E 'ERROR' "$RUN"/log/*.log | tail -5 >&2
  exit 1
fi
echo "running: ${MOT_SERVICES[*]} (logs in $RUN/log/)"
# Each service's /metrics (and /healthz, /readyz), as its log says it listens.
metrics_url() { grep -o 'metrics_listening address=[^ ]* url=[^ ]*' "$RUN/log/$1.log" | tail -1 | sed 's/.*url=//'; }
service_ready() { grep -q 'ready service=' "$RUN/log/$1.log"; }
for name in "${MOT_SERVICES[@]}"; do
  mot_wait 10 service_ready "$name" || true
  printf '  %-17s metrics: %s\n' "$name" "$(metrics_url "$name" | grep . || echo off)"
done

step "Feeding the demo events (deploy/demo/*.jsonl) through intake"
"$motctl" submit <deploy/demo/events.jsonl >"$RUN/demo-acks.jsonl" || true
"$motctl" submit <deploy/demo/deliveries.jsonl >>"$RUN/demo-acks.jsonl" || true
accepted=$(grep -c '"status":"accepted"' "$RUN/demo-acks.jsonl" || true)
duplicates=$(grep -c '"duplicate":true' "$RUN/demo-acks.jsonl" || true)
echo "$accepted acknowledged ($duplicates of them retries recognised as duplicates); acks in $RUN/demo-acks.jsonl"
mot_wait 30 bash -c "[ \"\$('$motctl' items --csv | wc -l)\" -gt 60 ]" || true

show_register() {   # the most urgent rows: quadrants I, II, IV, III, then by events
  "$motctl" "$1" --csv >"$RUN/$1.csv"
  echo "$(($(wc -l <"$RUN/$1.csv") - 1)) items; full register in $RUN/$1.csv (JSON: motctl $1)"
  awk -v cols="cuadrante,color,eventos,id,territorio,$2,impacto,$3,tema,categoria" -f deploy/local/csv.awk \
    "$RUN/$1.csv" | awk -F'\t' '{ r = NR == 1 ? 0 : $1 == "I" ? 1 : $1 == "II" ? 2 : $1 == "IV" ? 3 : 4; print r "\t" $0 }' \
    | sort -t$'\t' -k1,1n -k4,4nr | cut -f2- | awk 'NR <= 11' \
    | awk -F'\t' '{ printf "%-4s %-9s %4s %-6s %-8s %-26.26s %4s %4s  %-38.38s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
}
step "MUPOI — Matriz Unificada de Problemas Operativos Institucionales"
show_register mupoi nombre_territorio frecuencia
step "MURO — Matriz Unificada de Riesgos Operativos"
show_register muro nombre_territorio probabilidad

step "The item lifecycle (deploy/demo/lifecycle.jsonl) on a UAD problemática: action, progress, verification, valoración — and a closure the state machine refuses"
item=$(awk -v cols=id,unidades -f deploy/local/csv.awk "$RUN/mupoi.csv" | awk -F'\t' '$2 ~ /UAD/ { print $1; exit }')
if [ -n "$item" ]; then
  sed "s/ITEM/$item/g" deploy/demo/lifecycle.jsonl | "$motctl" submit --wait >"$RUN/lifecycle-acks.jsonl" || true
  grep -o '"external_id":"[^"]*"\|"outcome":"[a-z]*"\|"refusal":"[A-Z_]*"' "$RUN/lifecycle-acks.jsonl" | cut -d'"' -f4 \
    | paste -sd' ' | sed 's/ DEMO/\nDEMO/g'
  echo "$item is now in stage $("$motctl" items --all --csv | awk -v cols=id,etapa -f deploy/local/csv.awk | awk -F'\t' -v i="$item" '$1 == i { print $2 }'); its trail: motctl audit $item"
else
  echo "no UAD problemática yet"
fi

step "Notices (reminders and overdue reports), from the notifier's log"
if "$motctl" subscribe --since 0 --count 3 --timeout 20 >"$RUN/notices.jsonl"; then
  cat "$RUN/notices.jsonl"
else
  echo "no notice yet; see $RUN/log/deadline-watcher.log"
fi

redis_by_hand=""   # the private Redis has ACL users: how to reach it as its admin
[ -z "${MOT_REDIS_SECRETS:-}" ] ||
  redis_by_hand=" (by hand: REDISCLI_AUTH=\$(cat $MOT_REDIS_SECRETS/admin.password) redis-cli --user admin -s $RUN/redis.sock)"
cat <<MSG

== The MOT pipeline is running.
  motctl (at $motctl):
    motctl mupoi | muro | items | obligations [--csv]   the registers and the report obligations
    motctl subscribe [--topic overdue/UAD]               follow notices live (one JSON line each)
    motctl submit [--wait] < events.jsonl                publish events and commands; motctl deliver UNIT REPORT PERIOD [DATE]
    motctl status EVENT_ID ; motctl audit ITEM_ID        what became of a command; an item's whole story
    motctl due 2026-03-31 10 ; motctl holidays 2026      the business-day calendar
    motctl map mupoi > mapa.svg ; motctl report monthly 2026-11   a map; a month's report figures
  dashboard: http://$MOT_REPORTER_HTTP/ (usuario demo / contraseña $(cat "$RUN/dashboard.password" 2>/dev/null || echo "de $MOT_REPORTER_ACCOUNTS"))
  logs: $RUN/log/   Redis: $MOT_REDIS$redis_by_hand
  CURVE: every socket; motctl needs MOT_CERTS=$MOT_CERTS MOT_CERT=$MOT_CERT
  metrics: each service's URL above (also /healthz, /readyz); Prometheus with its alert rules:
    prometheus --config.file=deploy/prometheus/prometheus.yml --storage.tsdb.path=$RUN/prometheus
  stop everything: bash deploy/local/down.sh
MSG
