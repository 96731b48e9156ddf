#!/usr/bin/env bash
# Every endpoint option takes the same syntax (mot_socket: a comma-separated
# list, '@' binds, '>' connects). Here each link between services runs the
# other way round from its default, and the notifier and the reporter bind
# two endpoints each: the classifier and the watcher bind ('@'), intake
# connects to them ('>'); the watcher binds its wake-up socket and the
# notifier connects; the notifier publishes on two endpoints and the
# reporter answers on two. An event is classified, an action becomes an
# obligation and its overdue notice reaches a subscriber on the second
# publish endpoint; the notifier polls the log only once a minute, so the
# notice comes through the watcher's wake-up.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0
at() { echo "tcp://127.0.0.1:$((base + $1))"; }
classify=$(at 1) watch=$(at 2) collect=$(at 3) publish=$(at 4) publish2=$(at 6) query=$(at 5) query2=$(at 7)

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" classifier --intake "@$classify"
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher --intake "@$watch" --notifier "@$collect"
mot_start_service "$RUN" "$MOT_BIN" notifier --collect ">$collect" --publish "$publish,@$publish2" --poll-ms 60000
mot_start_service "$RUN" "$MOT_BIN" reporter --query "@$query,$query2"
mot_start_service "$RUN" "$MOT_BIN" intake --classify ">$classify" --watch ">$watch"
e2e_wait_ready

for port in 1 2 3 4 5 6 7; do
  check "port base+$port is bound as its option says" mot_wait 30 port_taken $((base + port))
done
answers_on() { MOT_REPORTER_QUERY=$1 "$MOTCTL" items --timeout 5 >/dev/null; }
check "the reporter answers on its first query endpoint" answers_on "$query"
check "the reporter answers on its second query endpoint" answers_on "$query2"

echo '{"type":"finding","source":"UEOD","external_id":"E-F1","territory":"OOAD-15","topic":"Falta de insumos","found_on":"2026-10-20"}' \
  | "$MOTCTL" submit >/dev/null || fail "submit finding"
item_listed() { "$MOTCTL" items --csv | grep -q OOAD-15; }
check "intake reaches a classifier that binds: the event is classified" mot_wait 60 item_listed

echo '{"type":"action","source":"UEOD","external_id":"E-A1","action_id":"AC-E-1","kind":"accion-correctiva","due_on":"2026-11-10","responsible":"DA"}' \
  | "$MOTCTL" submit >/dev/null || fail "submit action"
created() { "$MOTCTL" obligations --csv | grep -q 'AC-E-1'; }
check "intake reaches a watcher that binds: the action is an obligation" mot_wait 60 created
check "the watcher committed it" mot_wait 60 quiet

MOT_NOTIFIER_PUBLISH=$publish2 setsid "$MOTCTL" subscribe --topic overdue/ --count 1 --timeout 60 \
  >"$RUN/overdue.jsonl" 2>"$RUN/log/subscriber.log" &
echo $! >"$RUN/pids/subscriber.pid"
# The subscriber is there once the second publish port has an established
# peer (a notice published before that would pass it by).
subscribed() { grep -q "$(printf ':%04X' $((base + 6))) [0-9A-F]*:[0-9A-F]* 01" /proc/net/tcp; }
check "the subscriber is connected to the second publish endpoint" mot_wait 30 subscribed
"$MOTCTL" clock set 2026-11-11T09:00 >/dev/null
got_notice() { grep -q '"notice_id":"UEOD:accion-correctiva:AC-E-1|overdue' "$RUN/overdue.jsonl"; }
check "the overdue notice reaches it: the watcher woke the notifier that connected to it" mot_wait 30 got_notice

echo "$E2E_CHECKS passed, 0 failed"
