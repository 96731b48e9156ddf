#!/usr/bin/env bash
# The deadline rules the catalogue had wrong against the norm, with the
# SHIPPED catalogue, over 2027 with the test clock:
#  - the IAT (Apéndice B 7.1.13) is quarterly and owed by six units, the
#    Coordinación Administrativa (CA) included: "<UNIT>:avance-iat:YYYY-Qn",
#    due 3 bd after the close of March, June, September and December, and
#    no instance for any other month;
#  - the monthly CAPSOI→TDOE report (7.2.4.14) exists from the month's close,
#    waiting (no deadline, no timers) and naming the reports still missing,
#    in Redis and in the reporter's obligations (estado, faltan); once the
#    last one is delivered it is due 5 bd later, with its reminder and its
#    overdue notice;
#  - a delivery made on a Saturday or Sunday counts as received on the next
#    business day: after the deadline it is late (a Saturday delivery for a
#    Friday deadline is 1 bd late, with its notice); before a Monday
#    deadline it is on time.
# Dates counted by hand (weekdays checked with `date -d`): Mon 2027-02-01 is
# the first Monday of February; no other rest day falls in the spans used.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_REMIND_BD=2 MOT_WATCHER_TICK_MS=100 MOT_ESCALATE_EVERY_BD=0
status_of() { rcli HGET "mot:obl:{$1}" status; }
deadline_of() { rcli HGET "mot:obl:{$1}" deadline; }
waiting_for() { rcli HGET "mot:obl:{$1}" waiting_for; }
timers_of() { rcli ZRANGE mot:timers 0 -1 | grep -c "^$1|" || true; }
deliver() { "$MOTCTL" deliver "$@" >/dev/null || fail "deliver $*"; }
obligations_csv() { "$MOTCTL" obligations --csv >"$RUN/obligations.csv" || fail "motctl obligations"; }
column() { csv_field "$RUN/obligations.csv" id "$1" "$2"; }
iat_ids() { rcli ZRANGE mot:obls 0 -1 | grep ':avance-iat:' | sort | tr '\n' ' ' | sed 's/ $//'; }
UNITS="UEOD UAD UCS CV CAPSOI CA"
BEHAVIOUR='CAPSOI:comportamiento-mensual:2027-01'
INPUTS='UAD/quejas-gestiones UCS/temas-mediaticos CV/identificacion-problematicas CAPSOI/informe-operativo CAPSOI/riesgos-rtr UAD/quejas-gestiones-seguimiento UCS/mitigacion-mediaticos CV/seguimiento-acciones CAPSOI/informe-operativo-seguimiento CAPSOI/seguimiento-riesgos-rtr'

mot_start_redis "$RUN"
"$MOTCTL" clock set 2027-01-15T12:00 >/dev/null
e2e_start_all
e2e_subscribe_all

# --- January closes: the monthly report waits for its ten inputs -------------
set_clock 2027-02-01T00:00:30
check_generated 2027-01
equals "the monthly behaviour report exists from January's close, waiting" waiting "$(status_of "$BEHAVIOUR")"
equals "naming the ten reports it summarises" "$(echo $INPUTS | tr ' ' ',')" "$(waiting_for "$BEHAVIOUR")"
equals "no deadline and no timer while it waits" "|0" "$(deadline_of "$BEHAVIOUR")|$(timers_of "$BEHAVIOUR")"
equals "January ends no quarter: no IAT yet" "" "$(iat_ids)"

# Nine inputs on Tue Feb 2: it still waits, for the tenth only.
"$MOTCTL" clock set 2027-02-02T10:00 >/dev/null
for input in $INPUTS; do
  [ "$input" = CV/seguimiento-acciones ] || deliver "${input%/*}" "${input#*/}" 2027-01 2027-02-02
done
set_clock 2027-02-02T10:00
obligations_csv
equals "nine in: the reporter shows it waiting for the tenth" "waiting|CV/seguimiento-acciones|" \
  "$(column "$BEHAVIOUR" estado)|$(column "$BEHAVIOUR" faltan)|$(column "$BEHAVIOUR" fecha_limite)"
equals "still no timer" 0 "$(timers_of "$BEHAVIOUR")"

# The tenth on Fri Feb 12: due 5 bd later, Mon 15 .. Fri 19.
"$MOTCTL" clock set 2027-02-12T10:00 >/dev/null
deliver CV seguimiento-acciones 2027-01 2027-02-12
set_clock 2027-02-12T10:00
equals "the last input makes it pending, due Fri 2027-02-19" "pending 2027-02-19" \
  "$(status_of "$BEHAVIOUR") $(deadline_of "$BEHAVIOUR")"
obligations_csv
equals "the reporter: pending, nothing missing" "pending||2027-02-19" \
  "$(column "$BEHAVIOUR" estado)|$(column "$BEHAVIOUR" faltan)|$(column "$BEHAVIOUR" fecha_limite)"

# Its reminder 2 bd before (the start of Wed 17), its overdue notice when Fri 19 ends.
set_clock 2027-02-17T00:00:30
check "its reminder" mot_wait 60 has_notice "$BEHAVIOUR|reminder"
equals "the reminder names the deadline" 2027-02-19 "$(field "$BEHAVIOUR|reminder" deadline)"
set_clock 2027-02-20T00:00:30
check "its overdue notice" mot_wait 60 has_notice "$BEHAVIOUR|overdue"
obligations_csv
equals "the reporter shows it overdue" overdue "$(column "$BEHAVIOUR" estado)"

# Delivered on Sat Feb 20: received Mon 22, 1 business day late, with its notice.
"$MOTCTL" clock set 2027-02-20T10:00 >/dev/null
deliver CAPSOI comportamiento-mensual 2027-01 2027-02-20
check "a late Saturday delivery is notified" mot_wait 60 has_notice "$BEHAVIOUR|delivered_late"
equals "1 business day late (received Monday)" 1 "$(field "$BEHAVIOUR|delivered_late" business_days_late)"
equals "recorded late" "delivered_late 1" \
  "$(status_of "$BEHAVIOUR") $(rcli HGET "mot:obl:{$BEHAVIOUR}" business_days_late)"

# --- quarters: six IAT instances as March, June, September, December close ---
expect_quarter() {   # expect_quarter PERIOD DEADLINE: the six units' instances, pending, due then
  local unit
  for unit in $UNITS; do
    equals "$unit:avance-iat:$1 due $2" "pending $2" \
      "$(status_of "$unit:avance-iat:$1") $(deadline_of "$unit:avance-iat:$1")"
  done
}
set_clock 2027-03-31T12:00
equals "March has not closed: no IAT yet" "" "$(iat_ids)"
set_clock 2027-04-01T00:00:30
check_generated 2027-03
# Q1 closes Wed Mar 31: Thu Apr 1, Fri 2, Mon 5.
expect_quarter 2027-Q1 2027-04-05
equals "exactly the six units' Q1 instances" \
  "CA:avance-iat:2027-Q1 CAPSOI:avance-iat:2027-Q1 CV:avance-iat:2027-Q1 UAD:avance-iat:2027-Q1 UCS:avance-iat:2027-Q1 UEOD:avance-iat:2027-Q1" \
  "$(iat_ids)"
# CA delivers on Sun Apr 4, before its Monday deadline: on time, no late notice.
"$MOTCTL" clock set 2027-04-04T11:00 >/dev/null
deliver CA avance-iat 2027-Q1 2027-04-04
set_clock 2027-04-04T11:00
equals "CA's Sunday delivery before a Monday deadline is on time" "delivered 0" \
  "$(status_of CA:avance-iat:2027-Q1) $(rcli HGET 'mot:obl:{CA:avance-iat:2027-Q1}' business_days_late)"
set_clock 2027-04-06T00:00:30
check "UEOD's Q1 IAT overdue once Mon 5 ended" mot_wait 60 has_notice 'UEOD:avance-iat:2027-Q1|overdue'
equals "with its deadline" 2027-04-05 "$(field 'UEOD:avance-iat:2027-Q1|overdue' deadline)"
check "none for CA, which delivered" bash -c "! grep -q 'CA:avance-iat:2027-Q1|overdue' '$RUN/notices.jsonl'"

set_clock 2027-07-01T00:00:30
check_generated 2027-06
# Q2 closes Wed Jun 30: Thu Jul 1, Fri 2, Mon 5.
expect_quarter 2027-Q2 2027-07-05

set_clock 2027-10-01T00:00:30
check_generated 2027-09
# Q3 closes Thu Sep 30: Fri Oct 1 (2027 changes no executive), Mon 4, Tue 5.
expect_quarter 2027-Q3 2027-10-05
# UCS delivers on Sat Oct 9: received Mon 11, so Wed 6, Thu 7, Fri 8, Mon 11: 4 bd late.
"$MOTCTL" clock set 2027-10-09T10:00 >/dev/null
deliver UCS avance-iat 2027-Q3 2027-10-09
check "UCS's late Saturday delivery is notified" mot_wait 60 has_notice 'UCS:avance-iat:2027-Q3|delivered_late'
equals "4 business days late, counted to Monday" 4 "$(field 'UCS:avance-iat:2027-Q3|delivered_late' business_days_late)"

set_clock 2028-01-01T00:00:30
check_generated 2027-12
# Q4 closes Fri Dec 31: Sat Jan 1 2028 (a rest day on a Saturday), Mon 3, Tue 4, Wed 5.
expect_quarter 2027-Q4 2028-01-05
equals "24 IAT instances in the year, all quarterly" 24 "$(iat_ids | wc -w)"
check "none for a month" bash -c "! rcli ZRANGE mot:obls 0 -1 | grep -q ':avance-iat:2027-[0-9]'"
check "the notices name the IAT's report" bash -c \
  "grep '\"notice_id\":\"UEOD:avance-iat:2027-Q1|overdue\"' '$RUN/notices.jsonl' | grep -q 'Informe de Avance Trimestral del PAT de la DOE'"
equals "each notice reached the subscriber once" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | sort | uniq -d)"

echo "$E2E_CHECKS passed, 0 failed"
