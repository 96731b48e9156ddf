#!/usr/bin/env bash
# Metrics and health (issue #13): a real Prometheus (Debian's) scrapes the
# five services every second with the shipped configuration
# (deploy/prometheus/prometheus.yml, its ports moved to this run's) and its
# HTTP API says what the test did: requests accepted, duplicate and refused
# by code, events classified, timers created, fired and dropped, notices
# published (= what a subscriber got), the gauges read from Redis, queries.
# Then each service's own exposition, read with curl, against lines written
# by hand (Prometheus text 0.0.4, promtool's lint), and /healthz and /readyz
# while Redis stops and comes back.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-11     # no monthly obligation before December: only the test's
mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-02T09:00 >/dev/null
for name in "${MOT_SERVICES[@]}"; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done

metrics_of() {   # metrics_of SERVICE: its HOST:PORT in this run
  local var=MOT_${1//-/_}_METRICS
  var=${var^^}
  echo "${!var}"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "http://$(metrics_of "$1")$2"; }
answers() { [ "$(status_of "$1" "$2")" = "$3" ]; }
# Ready through /readyz, not through a request to intake: the harness's
# probe (an empty envelope) would count as a refusal.
for name in "${MOT_SERVICES[@]}"; do
  check "$name: /readyz answers 200 once it serves" mot_wait 60 answers "$name" /readyz 200
  equals "$name: /healthz says ok" ok "$(curl -s "http://$(metrics_of "$name")/healthz")"
done
e2e_subscribe_all

# --- Prometheus, with the shipped files --------------------------------------
PROM=127.0.0.1:$((base + 16))
mkdir -p "$RUN/prometheus"
cp "$MOT_SOURCE/deploy/prometheus/alerts.yml" "$RUN/prometheus/"
sed -e 's/^  scrape_interval: .*/  scrape_interval: 1s/' -e 's/^  evaluation_interval: .*/  evaluation_interval: 1s/' \
  -e "s/127.0.0.1:5570/$(metrics_of intake)/" -e "s/127.0.0.1:5571/$(metrics_of classifier)/" \
  -e "s/127.0.0.1:5572/$(metrics_of deadline-watcher)/" -e "s/127.0.0.1:5573/$(metrics_of notifier)/" \
  -e "s/127.0.0.1:5574/$(metrics_of reporter)/" \
  "$MOT_SOURCE/deploy/prometheus/prometheus.yml" >"$RUN/prometheus/prometheus.yml"
setsid prometheus --config.file="$RUN/prometheus/prometheus.yml" --storage.tsdb.path="$RUN/prometheus/data" \
  --web.listen-address="$PROM" </dev/null >"$RUN/log/prometheus.log" 2>&1 &
echo $! >"$RUN/pids/prometheus.pid"

prom() {   # prom QUERY: the value of the first series of an instant query ("none": no series)
  curl -s "http://$PROM/api/v1/query" --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // "none"'
}
prom_is() { [ "$(prom "$1")" = "$2" ]; }
prom_equals() {   # prom_equals DESCRIPTION QUERY EXPECTED: within 30 s of scrapes
  mot_wait 30 prom_is "$2" "$3" || true
  equals "$1 (Prometheus: $2)" "$3" "$(prom "$2")"
}
prom_equals "Prometheus scrapes all five services" 'count(up{job=~"mot-.*"} == 1)' 5
prom_equals "nothing requested yet" 'sum(mot_intake_requests_total)' 0

# --- what the test does -----------------------------------------------------
# Six new complaints, two sent again, two for a territory that does not
# exist, one without its reason; two corrective actions due 2026-11-10
# (then a closure: 9 accepted in all).
{
  for n in 1 2 3 4 5 6; do
    printf '{"type":"queja","source":"UAD","external_id":"MET-%s","territory":"OOAD-%02d","reason":"Trato","received_on":"2026-10-2%s"}\n' \
      "$n" "$n" "$n"
  done
  for n in 1 2; do
    printf '{"type":"queja","source":"UAD","external_id":"MET-%s","territory":"OOAD-%02d","reason":"Trato","received_on":"2026-10-2%s"}\n' \
      "$n" "$n" "$n"
  done
  for n in 7 8; do
    printf '{"type":"queja","source":"UAD","external_id":"MET-%s","territory":"OOAD-99","reason":"Trato","received_on":"2026-10-20"}\n' "$n"
  done
  printf '{"type":"queja","source":"UAD","external_id":"MET-9","territory":"OOAD-09","received_on":"2026-10-20"}\n'
  printf '{"type":"action","source":"UEOD","external_id":"MET-A%s","action_id":"MA%s","kind":"accion-correctiva","due_on":"2026-11-10"}\n' 1 1 2 2
} >"$RUN/requests.jsonl"
"$MOTCTL" submit <"$RUN/requests.jsonl" >"$RUN/acks.jsonl" || true
equals "motctl: 10 answered accepted" 10 "$(grep -c '"status":"accepted"' "$RUN/acks.jsonl")"
equals "motctl: 2 of them flagged duplicate" 2 "$(grep -c '"duplicate":true' "$RUN/acks.jsonl")"
classified() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ] && [ "$(rcli ZCARD mot:pending:watch)" = 0 ]; }
check "every hand-off is committed" mot_wait 60 classified
# A closure of an item still in identificación: the state machine refuses it.
item=$(rcli ZRANGE mot:items:problematica 0 0)
printf '{"type":"closure","source":"UAD","external_id":"MET-C1","item_id":"%s","analyst":"tdoe","reason":"prueba"}\n' \
  "$item" | "$MOTCTL" submit >"$RUN/closure.jsonl"
check "the closure is committed (not with --wait: its status queries would count)" mot_wait 60 classified
# Past the deadline: each action's overdue notice fires; its reminder (due
# 2026-11-06) is past the deadline, so it is dropped unfired.
"$MOTCTL" clock set 2026-11-11T09:00 >/dev/null
fired() { [ "$(grep -c '"kind":"overdue"' "$RUN/notices.jsonl")" = 2 ]; }
check "the subscriber gets the two overdue notices" mot_wait 60 fired
check "every logged notice is published" mot_wait 30 all_published
sleep 1   # the subscriber's last lines
for n in 1 2 3; do "$MOTCTL" items >/dev/null; done
"$MOTCTL" items --territory OOAD-99 >/dev/null 2>&1 || true
published=$(wc -l <"$RUN/notices.jsonl")

prom_equals "accepted = the new requests sent" 'sum(mot_intake_requests_total{outcome="accepted"})' 9
prom_equals "duplicate = the copies sent" 'sum(mot_intake_requests_total{outcome="duplicate"})' 2
prom_equals "refused UNKNOWN_TERRITORY = the two for OOAD-99" \
  'sum(mot_intake_requests_total{outcome="refused",code="UNKNOWN_TERRITORY"})' 2
prom_equals "refused MISSING_FIELD = the one without its reason" \
  'sum(mot_intake_requests_total{outcome="refused",code="MISSING_FIELD"})' 1
prom_equals "refused in all = 3" 'sum(mot_intake_requests_total{outcome="refused"})' 3
prom_equals "an ack latency per stored request" 'sum(mot_intake_ack_seconds_count)' 11
prom_equals "classified = the six new complaints" 'sum(mot_classifier_events_total{outcome="classified"})' 6
prom_equals "no event classified twice" 'sum(mot_classifier_events_total{outcome="duplicate"})' 0
prom_equals "transitions refused: the closure" 'sum(mot_classifier_transitions_total{outcome="refused"})' 1
prom_equals "no transition applied" 'sum(mot_classifier_transitions_total{outcome="applied"})' 0
prom_equals "timers created: a reminder and an overdue per action" 'sum(mot_watcher_timers_total{outcome="created"})' 4
prom_equals "timers fired: the two overdue" 'sum(mot_watcher_timers_total{outcome="fired"})' 2
prom_equals "timers dropped: the two reminders past their deadline" 'sum(mot_watcher_timers_total{outcome="dropped"})' 2
prom_equals "a firing lag per fired timer" 'sum(mot_watcher_firing_lag_seconds_count)' 2
# Each overdue timer was due at 00:00 local on Nov 11 and fired when the
# test clock jumped to 09:00: 9 h = 32,400 s late each, above the 1 h bucket.
prom_equals "firing lag: 9 h each" 'sum(mot_watcher_firing_lag_seconds_sum)' 64800
prom_equals "none within the 1 h bucket" 'sum(mot_watcher_firing_lag_seconds_bucket{le="3600"})' 0
prom_equals "pending timers: each action's next escalation" 'max(mot_timers_pending)' 2
prom_equals "overdue obligations: the two actions" 'max(mot_obligations_overdue)' 2
prom_equals "notices published = notices the subscriber got" \
  'sum(mot_notifier_notices_total{outcome="published"})' "$published"
prom_equals "none unpublished" 'max(mot_notices_unpublished)' 0
prom_equals "the log's entries as Redis counts them" 'max(mot_notice_log_entries)' "$(rcli XLEN mot:notices)"
prom_equals "no hand-off pending" 'sum(mot_handoffs_pending)' 0
prom_equals "queries answered = the three motctl items" \
  'sum(mot_reporter_queries_total{outcome="answered"})' 3
prom_equals "a query refused UNKNOWN_TERRITORY" \
  'sum(mot_reporter_queries_total{outcome="refused",code="UNKNOWN_TERRITORY"})' 1
prom_equals "no Redis error anywhere" 'sum(mot_redis_errors_total)' 0
prom_equals "every service ready" 'sum(mot_ready)' 5
prom_equals "no alert firing" 'count(ALERTS{alertstate="firing"})' none

# --- the exposition itself, as a scraper reads it ---------------------------
intake=$(metrics_of intake)
curl -s -D "$RUN/headers.txt" "http://$intake/metrics" >"$RUN/intake.prom"
check "Content-Type is Prometheus text 0.0.4" grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' \
  "$RUN/headers.txt"
has_line() { grep -qxF -- "$1" "$RUN/intake.prom"; }
for line in \
  '# TYPE mot_intake_requests_total counter' \
  'mot_intake_requests_total{outcome="accepted",code="OK"} 9' \
  'mot_intake_requests_total{outcome="duplicate",code="OK"} 2' \
  'mot_intake_requests_total{outcome="refused",code="UNKNOWN_TERRITORY"} 2' \
  'mot_intake_requests_total{outcome="refused",code="MISSING_FIELD"} 1' \
  '# TYPE mot_intake_ack_seconds histogram' \
  'mot_intake_ack_seconds_bucket{le="10"} 11' \
  'mot_intake_ack_seconds_bucket{le="+Inf"} 11' \
  'mot_intake_ack_seconds_count 11' \
  '# TYPE mot_handoffs_pending gauge' \
  'mot_handoffs_pending{stage="classify"} 0' \
  'mot_redis_errors_total{kind="connection"} 0' \
  'mot_redis_up 1' 'mot_ready 1'; do
  check "intake's /metrics has: $line" has_line "$line"
done
for name in "${MOT_SERVICES[@]}"; do
  curl -s "http://$(metrics_of "$name")/metrics" >"$RUN/$name.prom"
  check "$name's exposition passes promtool check metrics" promtool check metrics <"$RUN/$name.prom"
done
equals "an unknown path is 404" 404 "$(status_of intake /nothing)"
equals "POST is 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://$intake/metrics")"

# --- health while Redis stops and comes back --------------------------------
mot_kill_service "$RUN" redis
for name in "${MOT_SERVICES[@]}"; do
  check "$name: /healthz 503 within 10 s of Redis stopping" mot_wait 10 answers "$name" /healthz 503
  equals "$name: /healthz says why" "Redis does not answer" "$(curl -s "http://$(metrics_of "$name")/healthz")"
  equals "$name: /readyz 503 too" "not ready: Redis does not answer" \
    "$(curl -s "http://$(metrics_of "$name")/readyz")"
done
prom_equals "Prometheus sees Redis down from every service" 'sum(mot_redis_up)' 0
mot_start_redis "$RUN"
for name in "${MOT_SERVICES[@]}"; do
  check "$name: /healthz 200 again within 10 s of Redis coming back" mot_wait 10 answers "$name" /healthz 200
  check "$name: /readyz 200 again" answers "$name" /readyz 200
  reconnected() { curl -s "http://$(metrics_of "$1")/metrics" | grep -q '^mot_redis_reconnects_total [1-9]'; }
  check "$name: its reconnection counted" reconnected "$name"
done
prom_equals "Prometheus counts connection errors while Redis was down" \
  'count(mot_redis_errors_total{kind="connection"} > 0)' 5

# --- two instances on one host ----------------------------------------------
# Another intake asking for the first one's metrics port stops (exit 1,
# metrics_failed) rather than leave its health to the other process.
set +e
MOT_METRICS=$intake timeout 60 "$MOT_BIN/mot-intake" --ingress "tcp://127.0.0.1:$((base + 17))" \
  --classify "tcp://127.0.0.1:$((base + 18))" --watch "tcp://127.0.0.1:$((base + 19))" >"$RUN/clash.log" 2>&1
status=$?
set -e
equals "a second intake on the first one's metrics port exits 1" 1 "$status"
check "it says the port is taken" grep -q "metrics_failed address=$intake reason=\"cannot listen there" "$RUN/clash.log"
check "the first intake still answers /healthz" answers intake /healthz 200
# A second classifier started as an instance takes a free port of its own.
mot_start_service "$RUN" "$MOT_BIN" classifier:2
second_url() { grep -o 'metrics_listening address=[^ ]*' "$RUN/log/classifier-2.log" | cut -d= -f2; }
check "the second classifier logs the port it took" mot_wait 60 second_url
second=$(second_url)
check "it is not the first classifier's" test "$second" != "$(metrics_of classifier)"
second_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$second/readyz")" = 200 ]; }
check "its /readyz answers 200" mot_wait 60 second_ready

# --- mot-proxy: health without Redis ----------------------------------------
any='tcp://127.0.0.1:*'
mot_start_service "$RUN" "$MOT_BIN" proxy --ingress "$any" --ingress-workers "$any" --classify-in "$any" \
  --classify-out "$any" --watch-in "$any" --watch-out "$any"
proxy_url() { grep -o 'metrics_listening address=[^ ]*' "$RUN/log/proxy.log" | cut -d= -f2; }
check "mot-proxy logs its metrics address (a free port: it is not a first service)" mot_wait 60 proxy_url
proxy=$(proxy_url)
proxy_ready() { [ "$(curl -s "http://$proxy/readyz")" = ok ]; }
check "mot-proxy: /readyz ok once its devices run" mot_wait 30 proxy_ready
equals "mot-proxy: /healthz ok" ok "$(curl -s "http://$proxy/healthz")"
equals "mot-proxy: /metrics holds mot_ready only (no Redis)" \
  "$(printf '# HELP mot_ready 1 while /readyz answers 200.\n# TYPE mot_ready gauge\nmot_ready 1')" \
  "$(curl -s "http://$proxy/metrics")"
