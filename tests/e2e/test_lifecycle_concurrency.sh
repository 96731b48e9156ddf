#!/usr/bin/env bash
# The item lifecycle under concurrency and crashes, through real processes:
# two intakes behind mot-proxy and two classifiers. Every item is closed by
# two analysts at once (two publishers, each through whichever intake and
# classifier it lands on): each item is closed exactly once, the other
# closure is refused ALREADY_CLOSED, and the trail holds one closure. Then
# a stream of commands on every item runs while a classifier holds its share
# unprocessed (SIGSTOP), is killed (SIGKILL) and restarted: every acknowledged command is applied exactly
# once (one trail entry per command event, every event marked applied),
# nothing is lost and every item ends where the state machine says.
source "$(dirname "$0")/lib.sh"

N=60
export MOT_PROXY_INGRESS=$MOT_INTAKE_INGRESS
export MOT_PROXY_CLASSIFY_OUT=$MOT_CLASSIFIER_INTAKE MOT_PROXY_WATCH_OUT=$MOT_WATCHER_INTAKE
export MOT_PROXY_INGRESS_WORKERS=tcp://127.0.0.1:$((base + 6))
export MOT_PROXY_CLASSIFY_IN=tcp://127.0.0.1:$((base + 7)) MOT_PROXY_WATCH_IN=tcp://127.0.0.1:$((base + 8))
# the classifiers take small batches, so that both get work and a kill lands mid-stream
export MOT_CLASSIFIER_BATCH=5 MOT_INTAKE_REDRIVE_MS=1000

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-20T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" proxy
for i in 1 2; do
  MOT_INTAKE_INGRESS=">$MOT_PROXY_INGRESS_WORKERS" MOT_INTAKE_CLASSIFY=">$MOT_PROXY_CLASSIFY_IN" \
    MOT_INTAKE_WATCH=">$MOT_PROXY_WATCH_IN" mot_start_service "$RUN" "$MOT_BIN" "intake:$i"
  mot_start_service "$RUN" "$MOT_BIN" "classifier:$i"
done
for name in deadline-watcher notifier reporter; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done
check "the proxy's ingress answers" mot_wait 60 intake_ready
mot_wait 60 "$MOTCTL" items --timeout 1 || fail "reporter did not come up"

settled() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ] && [ "$(rcli ZCARD mot:pending:watch)" = 0 ]; }
# load NAME COUNT TEMPLATE [RATE]: COUNT commands through the proxy
# (mot-load), acks in $RUN/NAME.acks ("external_id event_id")
load() {
  "$MOT_BIN/mot-load" --template "$3" --items "$RUN/items.txt" --count "$2" --window 50 --prefix "$1-" --rate "${4:-0}" \
    --acks "$RUN/$1.acks" >"$RUN/$1.out" || fail "mot-load $1"
  grep -q '^errors=0$' "$RUN/$1.out" || fail "$1: intake refused some: $(cat "$RUN/$1.out")"
}
outcome() { rcli HGET "mot:event:$1" outcome; }
stage_of() { rcli HGET "mot:item:{$1}" stage; }
U='"source":"UEOD","external_id":"x"'

: >"$RUN/items.txt"
load findings "$N" '{"type":"finding","source":"UEOD","external_id":"x","territory":"OOAD-15","topic":"Tema {i}","found_on":"2026-11-02","impact":4,"frequency":4}'
check "the findings are classified" mot_wait 60 settled
rcli ZRANGE mot:items:problematica 0 -1 >"$RUN/items.txt"
equals "$N items" "$N" "$(wc -l <"$RUN/items.txt")"
load valued "$N" "{\"type\":\"valuation\",$U,\"item_id\":\"{item}\",\"impact\":2,\"vertical\":2,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-19\",\"analyst\":\"a\",\"reason\":\"Visita\"}"
check "every item is valued resolved" mot_wait 60 settled

# --- Two analysts close every item at once.
load closeA "$N" "{\"type\":\"closure\",$U,\"item_id\":\"{item}\",\"analyst\":\"a\",\"reason\":\"Resuelta\"}" &
closer=$!
load closeB "$N" "{\"type\":\"closure\",$U,\"item_id\":\"{item}\",\"analyst\":\"b\",\"reason\":\"Resuelta\"}"
wait "$closer" || fail "the first closer failed"
check "both closures of every item are committed" mot_wait 60 settled
applied=0 refused_closed=0 once=0
while read -r item; do
  a=$(awk -v x="closeA-$(($(grep -n "^$item\$" "$RUN/items.txt" | cut -d: -f1) - 1))" '$1 == x { print $2 }' "$RUN/closeA.acks")
  b=$(awk -v x="closeB-$(($(grep -n "^$item\$" "$RUN/items.txt" | cut -d: -f1) - 1))" '$1 == x { print $2 }' "$RUN/closeB.acks")
  pair="$(outcome "$a") $(outcome "$b")"
  case "$pair" in
    "applied refused" | "refused applied") applied=$((applied + 1)) ;;
  esac
  for e in "$a" "$b"; do [ "$(outcome "$e")" = refused ] && [ "$(rcli HGET "mot:event:$e" refusal)" = ALREADY_CLOSED ] && refused_closed=$((refused_closed + 1)); done
  [ "$(rcli LRANGE "mot:item:{$item}:audit" 0 -1 | grep -c '"to":"cerrado"')" = 1 ] && once=$((once + 1))
done <"$RUN/items.txt"
equals "each item: one closure applied, the other refused" "$N" "$applied"
equals "the refused ones say ALREADY_CLOSED" "$N" "$refused_closed"
equals "each trail holds one closure" "$N" "$once"
for i in 1 2; do
  check "intake $i served closures" grep -q 'accepted event_id=.* type=closure' "$RUN/log/intake-$i.log"
  check "classifier $i applied commands" grep -Eq 'committed events=[0-9]+ applied=[1-9]' "$RUN/log/classifier-$i.log"
done

# --- A classifier killed mid-stream: reopen, start monitoring, value, close.
load reopen "$N" "{\"type\":\"reopen\",$U,\"item_id\":\"{item}\",\"analyst\":\"a\",\"reason\":\"Reincidencia\"}"
check "reopened" mot_wait 60 settled
# classifier 1 stops (SIGSTOP) and takes its share of the stream into its
# queue, then dies (SIGKILL) with it: what it had is re-driven to the others
kill -STOP "$(cat "$RUN/pids/classifier-1.pid")"
load monitor "$N" "{\"type\":\"start_monitoring\",$U,\"item_id\":\"{item}\",\"analyst\":\"a\",\"reason\":\"Visita\"}"
sleep 0.5
mot_kill_service "$RUN" classifier-1 KILL
mot_start_service "$RUN" "$MOT_BIN" classifier:1
check "every start of monitoring is committed after the restart (re-driven)" mot_wait 60 settled
load value2 "$N" "{\"type\":\"valuation\",$U,\"item_id\":\"{item}\",\"impact\":2,\"vertical\":1,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-20\",\"analyst\":\"a\"}"
check "valued" mot_wait 60 settled
all_applied=0 trail_once=0 final=0
for step in reopen monitor value2; do
  while read -r _ event; do
    [ "$(outcome "$event")" = applied ] && all_applied=$((all_applied + 1))
    item=$(rcli HGET "mot:event:$event" item_id)
    n=$(rcli LRANGE "mot:item:{$item}:audit" 0 -1 | grep -c "\"event_id\":\"$event\"" || true)
    [ "$n" -ge 1 ] && [ "$(rcli LRANGE "mot:item:{$item}:audit" 0 -1 | grep "\"event_id\":\"$event\"" | sort | uniq -d | wc -l)" = 0 ] \
      && trail_once=$((trail_once + 1))
  done <"$RUN/$step.acks"
done
equals "every acknowledged command applied" $((3 * N)) "$all_applied"
equals "each applied once: no trail entry twice" $((3 * N)) "$trail_once"
while read -r item; do [ "$(stage_of "$item")" = monitoreo ] && [ "$(rcli HGET "mot:item:{$item}" resolution)" = resolved ] && final=$((final + 1)); done <"$RUN/items.txt"
equals "every item in monitoreo, valued resolved" "$N" "$final"
check "what the killed classifier held was re-driven" grep -q 'redriven classify=' "$RUN"/log/intake-1.log "$RUN"/log/intake-2.log

echo "$E2E_CHECKS passed, 0 failed"
