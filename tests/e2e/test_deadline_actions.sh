#!/usr/bin/env bash
# Due dates of corrective actions and agreements: an
# ActionDue recorded through intake becomes the obligation
# "<source>:<kind>:<action_id>", due on its due_on (ending 23:59:59 local),
# with the same reminder and overdue notices as reports, the territory of the
# item it addresses and its responsible in the notice; a ReportDelivery
# {report: kind, period: action_id} clears it, also when submitted right
# behind the action; a retry changes nothing; the event leaves the watcher's
# pending set (it is not re-driven forever).
# Every expected date is counted by hand on a calendar (weekdays checked
# with `date -d`).
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_REMIND_BD=2 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all
e2e_subscribe_all
setsid "$MOTCTL" subscribe --topic overdue/UEOD/accion-correctiva/OOAD-15 >"$RUN/territory.jsonl" 2>/dev/null &
echo $! >"$RUN/pids/territory.pid"
trap 'kill "$(cat "$RUN/pids/territory.pid")" 2>/dev/null || true; e2e_cleanup; trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT

# An item in OOAD-15 for the action to address.
echo '{"type":"finding","source":"UEOD","external_id":"A-F1","territory":"OOAD-15","topic":"Falta de insumos","found_on":"2026-10-20"}' \
  | "$MOTCTL" submit >/dev/null || fail "submit finding"
item_listed() { "$MOTCTL" items --csv | grep -q OOAD-15; }
check "the finding is classified into an item" mot_wait 60 item_listed
"$MOTCTL" items --csv >"$RUN/items.csv"
item=$(csv_field "$RUN/items.csv" territorio OOAD-15 id)

cat >"$RUN/actions.jsonl" <<JSONL
{"type":"action","source":"UEOD","external_id":"A-1","action_id":"AC-2026-001","kind":"accion-correctiva","due_on":"2026-11-10","item_id":"$item","responsible":"DA"}
{"type":"action","source":"CAPSOI","external_id":"A-2","action_id":"AG-7","kind":"acuerdo","due_on":"2026-11-12","responsible":"OOAD-30"}
JSONL
"$MOTCTL" submit <"$RUN/actions.jsonl" >"$RUN/acks.jsonl" || fail "submit actions: $(cat "$RUN/acks.jsonl")"
created() { "$MOTCTL" obligations --csv >"$RUN/obl.csv" && grep -q 'AC-2026-001' "$RUN/obl.csv" && grep -q 'AG-7' "$RUN/obl.csv"; }
check "both actions are obligations" mot_wait 60 created
check "the watcher committed them: nothing left to re-drive" mot_wait 60 quiet
equals "the action's deadline is its due date" 2026-11-10 \
  "$(csv_field "$RUN/obl.csv" id UEOD:accion-correctiva:AC-2026-001 fecha_limite)"
equals "the agreement's deadline is its due date" 2026-11-12 "$(csv_field "$RUN/obl.csv" id CAPSOI:acuerdo:AG-7 fecha_limite)"
equals "the action is pending" pending "$(csv_field "$RUN/obl.csv" id UEOD:accion-correctiva:AC-2026-001 estado)"
equals "territory from the item, responsible from the action" "OOAD-15 DA" \
  "$(rcli HMGET 'mot:obl:{UEOD:accion-correctiva:AC-2026-001}' territory responsible | tr '\n' ' ' | sed 's/ $//')"

# A retry is a duplicate; a second recording of the same action id (another
# external id, another date) does not move the first due date.
"$MOTCTL" submit <"$RUN/actions.jsonl" >"$RUN/acks2.jsonl" || fail "resubmit"
equals "a retry is recognised" 2 "$(grep -c '"duplicate":true' "$RUN/acks2.jsonl")"
echo '{"type":"action","source":"UEOD","external_id":"A-1b","action_id":"AC-2026-001","kind":"accion-correctiva","due_on":"2026-12-01"}' \
  | "$MOTCTL" submit >/dev/null || fail "submit A-1b"
check "the second recording is committed" mot_wait 60 quiet
equals "the first due date stands" 2026-11-10 \
  "$(rcli HGET 'mot:obl:{UEOD:accion-correctiva:AC-2026-001}' deadline)"
echo '{"type":"action","source":"UAD","external_id":"A-3","action_id":"AC-9","kind":"accion-correctiva","due_on":"2026-11-30"}' \
  | "$MOTCTL" submit >/dev/null || fail "submit A-3"
echo '{"type":"action","source":"UAD","external_id":"A-4","action_id":"bad{id}","kind":"accion-correctiva","due_on":"2026-11-30"}' \
  | "$MOTCTL" submit >/dev/null || true
check "an action whose id cannot be used is skipped, not re-driven" mot_wait 60 quiet

# An agreement and its delivery submitted back to back reach the watcher
# in one batch (it creates agreements a batch at a time): the delivery still
# applies after the creation, in intake's order — the obligation keeps its
# due date, is delivered on time and has no timer left.
cat >"$RUN/pair.jsonl" <<JSONL
{"type":"action","source":"CAPSOI","external_id":"A-8","action_id":"AG-8","kind":"acuerdo","due_on":"2026-11-20"}
{"type":"delivery","source":"CAPSOI","external_id":"D-8","report":"acuerdo","period":"AG-8","delivered_on":"2026-11-04"}
JSONL
# The watcher is paused (SIGSTOP) meanwhile, so the two wait in its queue and
# are read in one batch.
watcher=$(cat "$RUN/pids/deadline-watcher.pid")
kill -STOP "$watcher"
"$MOTCTL" submit <"$RUN/pair.jsonl" >/dev/null || { kill -CONT "$watcher"; fail "submit the pair"; }
kill -CONT "$watcher"
pair_done() { [ "$(rcli HGET 'mot:obl:{CAPSOI:acuerdo:AG-8}' status)" = delivered ] && quiet; }
check "the agreement submitted with its delivery is delivered" mot_wait 60 pair_done
equals "with its due date as the deadline" 2026-11-20 "$(rcli HGET 'mot:obl:{CAPSOI:acuerdo:AG-8}' deadline)"
equals "and no timer left" 0 "$(rcli ZRANGE mot:timers 0 -1 | grep -c 'AG-8' || true)"

# Tue 2026-11-10: 2 business days before are Mon 9 and Fri 6 → reminder at the start of Fri 6.
set_clock 2026-11-05T23:59:00
check "no reminder before its day" bash -c "! grep -q 'AC-2026-001|reminder' '$RUN/notices.jsonl'"
set_clock 2026-11-06T00:00:30
check "reminder on Fri 2026-11-06" mot_wait 60 has_notice 'UEOD:accion-correctiva:AC-2026-001|reminder'
# Thu 2026-11-12: Wed 11 and Tue 10 → reminder at the start of Tue 10.
set_clock 2026-11-10T00:00:30
check "the agreement's reminder on Tue 2026-11-10" mot_wait 60 has_notice 'CAPSOI:acuerdo:AG-7|reminder'
check "the reminder names the deadline" bash -c "grep 'CAPSOI:acuerdo:AG-7|reminder' '$RUN/notices.jsonl' | grep -q 'vence el 2026-11-12'"

# The agreement is delivered on time on Wed 11.
"$MOTCTL" clock set 2026-11-11T10:00 >/dev/null
"$MOTCTL" deliver CAPSOI acuerdo AG-7 2026-11-11 >/dev/null || fail "deliver AG-7"
delivered() { [ "$(rcli HGET 'mot:obl:{CAPSOI:acuerdo:AG-7}' status)" = delivered ]; }
check "the agreement is delivered" mot_wait 60 delivered

# The action's day ended undelivered: overdue at 2026-11-11 00:00 local.
set_clock 2026-11-13T00:00:30
check "overdue notice for the action" mot_wait 60 has_notice 'UEOD:accion-correctiva:AC-2026-001|overdue'
equals "its deadline" 2026-11-10 "$(field 'UEOD:accion-correctiva:AC-2026-001|overdue' deadline)"
equals "its period is the action id" AC-2026-001 "$(field 'UEOD:accion-correctiva:AC-2026-001|overdue' period)"
check "its text names the kind, the territory and the responsible" bash -c \
  "grep 'AC-2026-001|overdue' '$RUN/notices.jsonl' | grep 'Acción correctiva' | grep 'Territorio: OOAD-15' | grep -q 'Responsable: DA'"
territory_topic() { grep -q '"topic":"overdue/UEOD/accion-correctiva/OOAD-15"' "$RUN/territory.jsonl"; }
check "a subscriber to overdue/UEOD/accion-correctiva/OOAD-15 gets it" mot_wait 60 territory_topic
check "no overdue for the agreement delivered on time" bash -c "! grep -q 'AG-7|overdue' '$RUN/notices.jsonl'"
# "Overdue" is not stored; the reporter derives it from the deadline.
"$MOTCTL" obligations --csv >"$RUN/obl-overdue.csv"
equals "the reporter shows the action overdue" overdue \
  "$(csv_field "$RUN/obl-overdue.csv" id UEOD:accion-correctiva:AC-2026-001 estado)"
equals "and the agreement delivered on time as delivered" delivered \
  "$(csv_field "$RUN/obl-overdue.csv" id CAPSOI:acuerdo:AG-7 estado)"
equals "the stored status stays pending (nothing written per overdue notice)" pending \
  "$(rcli HGET 'mot:obl:{UEOD:accion-correctiva:AC-2026-001}' status)"

# Delivered on Fri 13: Wed 11, Thu 12, Fri 13 → 3 business days late.
"$MOTCTL" deliver UEOD accion-correctiva AC-2026-001 2026-11-13 >/dev/null || fail "deliver AC-2026-001"
check "late delivery notice" mot_wait 60 has_notice 'UEOD:accion-correctiva:AC-2026-001|delivered_late'
equals "late by 3 business days" 3 "$(field 'UEOD:accion-correctiva:AC-2026-001|delivered_late' business_days_late)"
"$MOTCTL" obligations --csv >"$RUN/obl2.csv"
equals "recorded as delivered late" delivered_late "$(csv_field "$RUN/obl2.csv" id UEOD:accion-correctiva:AC-2026-001 estado)"
equals "with 3 business days" 3 "$(csv_field "$RUN/obl2.csv" id UEOD:accion-correctiva:AC-2026-001 dias_habiles_atraso)"
check "nothing pending in the watcher's hand-off set" quiet

# Timers nothing can fire (a member of no known kind, an obligation that is
# gone) are taken out and logged, and send nothing.
rcli ZADD mot:timers 1 'CV:acuerdo:X|bogus' 1 'CV:acuerdo:GONE|overdue' >/dev/null
check "unfireable timers are taken out" mot_wait 60 quiet
check "and logged" bash -c "grep -q 'timer_dropped reason=unknown_kind' '$RUN/log/deadline-watcher.log' &&
  grep -q 'timer_dropped obligation_id=CV:acuerdo:GONE reason=no_obligation' '$RUN/log/deadline-watcher.log'"
equals "each notice reached the subscriber once" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | sort | uniq -d)"
equals "exactly these notices" \
  "CAPSOI:acuerdo:AG-7|reminder UEOD:accion-correctiva:AC-2026-001|delivered_late UEOD:accion-correctiva:AC-2026-001|overdue UEOD:accion-correctiva:AC-2026-001|reminder" \
  "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | cut -d'"' -f4 | sort | tr '\n' ' ' | sed 's/ $//')"

echo "$E2E_CHECKS passed, 0 failed"
