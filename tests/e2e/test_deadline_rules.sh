#!/usr/bin/env bash
# The three catalogue rules beyond month_close and event, with the SHIPPED catalogue:
#  - CAPSOI informe-operativo (last_update:informe_operativo_update): 5 bd
#    after the later of the month's close and the last recorded update;
#  - CAPSOI avance-acuerdos-rtm (fortnight:rtm_followup): 5 bd after each
#    cut-off (15th, last day) strictly after rtm_followup_opened and up to
#    rtm_followup_closed, period "<RTM>@<cut-off>";
#  - CAPSOI comportamiento-mensual (after:...): from the month's close it
#    waits (status waiting, naming the reports still missing, no timers);
#    5 bd after the last of the month's ten identification and follow-up
#    reports is delivered it is due. (Before the report waited, it did not
#    exist until the last one came: the checks below were "not owed yet";
#    they now read its waiting state.)
# Dates counted by hand; Mon 2026-11-16 is the third Monday of November.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_REMIND_BD=0 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0
deadline_of() { rcli HGET "mot:obl:{$1}" deadline; }
exists() { [ "$(rcli EXISTS "mot:obl:{$1}")" = 1 ]; }
submit() { echo "$1" | "$MOTCTL" submit >/dev/null || fail "submit $1"; }
trigger() {   # trigger EXTERNAL_ID NAME REF OCCURRED_ON
  submit "{\"type\":\"trigger\",\"source\":\"CAPSOI\",\"external_id\":\"$1\",\"trigger\":\"$2\",\"ref\":\"$3\",\"occurred_on\":\"$4\"}"
}
OP='CAPSOI:informe-operativo:2026-10'

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all
e2e_subscribe_all
check_generated 2026-10
BEHAVIOUR='CAPSOI:comportamiento-mensual:2026-10'
status_of() { rcli HGET "mot:obl:{$1}" status; }
waiting_for() { rcli HGET "mot:obl:{$1}" waiting_for; }
timers_of() { rcli ZRANGE mot:timers 0 -1 | grep -c "^$1|" || true; }
ALL_TEN='UAD/quejas-gestiones,UCS/temas-mediaticos,CV/identificacion-problematicas,CAPSOI/informe-operativo,CAPSOI/riesgos-rtr,UAD/quejas-gestiones-seguimiento,UCS/mitigacion-mediaticos,CV/seguimiento-acciones,CAPSOI/informe-operativo-seguimiento,CAPSOI/seguimiento-riesgos-rtr'
equals "the monthly behaviour report exists from October's close, waiting" waiting "$(status_of "$BEHAVIOUR")"
equals "waiting for the ten reports, in the catalogue's order" "$ALL_TEN" "$(waiting_for "$BEHAVIOUR")"
equals "no deadline while it waits" "" "$(deadline_of "$BEHAVIOUR")"
equals "no timer while it waits" 0 "$(timers_of "$BEHAVIOUR")"

# --- last_update ------------------------------------------------------------
equals "no update recorded: due 5 bd after the close (Fri 2026-11-06)" 2026-11-06 "$(deadline_of "$OP")"
trigger U-1 informe_operativo_update 2026-10 2026-10-20
set_clock 2026-11-03T09:00
equals "an update during the month does not bring it before the close" 2026-11-06 "$(deadline_of "$OP")"
trigger U-2 informe_operativo_update 2026-10 2026-11-03
set_clock 2026-11-03T09:00
# Nov 4, 5, 6, 9, 10.
equals "an update on Nov 3 moves it to Tue 2026-11-10" 2026-11-10 "$(deadline_of "$OP")"
check "the move is in its audit trail" bash -c \
  "rcli LRANGE 'mot:obl:{$OP}:audit' 0 -1 | grep '\"reason\":\"last_update\"' | grep -q '\"new_deadline\":\"2026-11-10\"'"
trigger U-3 informe_operativo_update 2026-11 2026-11-03
set_clock 2026-11-03T09:00
# November closes Mon 30: Dec 1, 2, 3, 4, 7.
equals "an update for a month not yet closed: 5 bd after its close" 2026-12-07 "$(deadline_of CAPSOI:informe-operativo:2026-11)"

# --- fortnight ----------------------------------------------------------------
trigger F-1 rtm_followup_opened RTM-9 2026-10-10
trigger F-2 rtm_followup_opened RTM-10 2026-10-31
set_clock 2026-11-03T09:00
# Cut-offs after Sat Oct 10: Thu 15 (Oct 16, 19, 20, 21, 22) and Sat 31 (Nov 2..6).
equals "RTM-9, cut-off Oct 15: due Thu 2026-10-22" 2026-10-22 "$(deadline_of CAPSOI:avance-acuerdos-rtm:RTM-9@2026-10-15)"
equals "RTM-9, cut-off Oct 31: due Fri 2026-11-06" 2026-11-06 "$(deadline_of CAPSOI:avance-acuerdos-rtm:RTM-9@2026-10-31)"
check "a follow-up opened on a cut-off day does not owe that cut-off" bash -c \
  "[ \$(rcli EXISTS 'mot:obl:{CAPSOI:avance-acuerdos-rtm:RTM-10@2026-10-31}') = 0 ]"
check "the cut-off already past is overdue at once" mot_wait 60 has_notice 'CAPSOI:avance-acuerdos-rtm:RTM-9@2026-10-15|overdue'
"$MOTCTL" deliver CAPSOI avance-acuerdos-rtm RTM-9@2026-10-31 2026-11-03 >/dev/null || fail "deliver RTM-9@2026-10-31"

# --- after: the month's ten reports --------------------------------------------
for report in UAD/quejas-gestiones UCS/temas-mediaticos CV/identificacion-problematicas CAPSOI/riesgos-rtr \
              UCS/mitigacion-mediaticos CV/seguimiento-acciones CAPSOI/informe-operativo-seguimiento \
              CAPSOI/seguimiento-riesgos-rtr; do
  "$MOTCTL" deliver "${report%/*}" "${report#*/}" 2026-10 2026-11-03 >/dev/null || fail "deliver $report"
done
set_clock 2026-11-03T09:00
equals "eight of ten delivered: still waiting" waiting "$(status_of "$BEHAVIOUR")"
equals "for the two missing" "CAPSOI/informe-operativo,UAD/quejas-gestiones-seguimiento" "$(waiting_for "$BEHAVIOUR")"
"$MOTCTL" obligations --csv >"$RUN/obligations.csv"
equals "the reporter shows it waiting, naming them" \
  "waiting|CAPSOI/informe-operativo,UAD/quejas-gestiones-seguimiento|" \
  "$(csv_field "$RUN/obligations.csv" id "$BEHAVIOUR" estado)|$(csv_field "$RUN/obligations.csv" id "$BEHAVIOUR" faltan)|$(csv_field "$RUN/obligations.csv" id "$BEHAVIOUR" fecha_limite)"

set_clock 2026-11-07T00:00:30
check "informe operativo: nothing at the old deadline" bash -c "! grep -q '$OP|overdue' '$RUN/notices.jsonl'"
set_clock 2026-11-11T00:00:30
check "informe operativo: overdue once Tue 10 ended" mot_wait 60 has_notice "$OP|overdue"
check "with the moved deadline" bash -c "grep '$OP|overdue' '$RUN/notices.jsonl' | grep -q '\"deadline\":\"2026-11-10\"'"

"$MOTCTL" clock set 2026-11-12T10:00 >/dev/null
"$MOTCTL" deliver CAPSOI informe-operativo 2026-10 2026-11-11 >/dev/null || fail "deliver informe-operativo"
set_clock 2026-11-12T10:00
equals "nine of ten: waiting for the last one" "waiting UAD/quejas-gestiones-seguimiento" \
  "$(status_of "$BEHAVIOUR") $(waiting_for "$BEHAVIOUR")"
equals "still no timer" 0 "$(timers_of "$BEHAVIOUR")"
"$MOTCTL" deliver UAD quejas-gestiones-seguimiento 2026-10 2026-11-12 >/dev/null || fail "deliver the last one"
owed() { [ "$(status_of "$BEHAVIOUR")" = pending ]; }
check "the last delivery makes the monthly behaviour report owed" mot_wait 60 owed
equals "it no longer lists missing reports" "" "$(waiting_for "$BEHAVIOUR")"
equals "its overdue timer is set" 1 "$(timers_of "$BEHAVIOUR")"
# 5 bd after Thu Nov 12: Fri 13, (Mon 16 rest day) Tue 17, 18, 19, Fri 20.
equals "due Fri 2026-11-20" 2026-11-20 "$(deadline_of CAPSOI:comportamiento-mensual:2026-10)"

# --- fortnight, continued: a cut-off arrives, then the follow-up closes --------
set_clock 2026-11-17T09:00
# 5 bd after Sun Nov 15: Mon 16 is a rest day → 17, 18, 19, 20, 23.
equals "RTM-9, cut-off Nov 15: due Mon 2026-11-23" 2026-11-23 "$(deadline_of CAPSOI:avance-acuerdos-rtm:RTM-9@2026-11-15)"
check "RTM-10 owes the Nov 15 cut-off too" exists CAPSOI:avance-acuerdos-rtm:RTM-10@2026-11-15
trigger F-3 rtm_followup_closed RTM-9 2026-11-17
set_clock 2026-12-01T09:00
check "closed RTM-9 owes no Nov 30 cut-off" bash -c \
  "[ \$(rcli EXISTS 'mot:obl:{CAPSOI:avance-acuerdos-rtm:RTM-9@2026-11-30}') = 0 ]"
check "open RTM-10 owes the Nov 30 cut-off" exists CAPSOI:avance-acuerdos-rtm:RTM-10@2026-11-30
equals "only RTM-10 is still open" "CAPSOI:avance-acuerdos-rtm:RTM-10" "$(rcli HKEYS mot:watch:followups)"
check "the obligation list shows the fortnightly instances" bash -c \
  "'$MOTCTL' obligations --csv | grep -q 'CAPSOI:avance-acuerdos-rtm:RTM-9@2026-10-31,.*,delivered,'"
equals "each notice reached the subscriber once" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | sort | uniq -d)"

echo "$E2E_CHECKS passed, 0 failed"
