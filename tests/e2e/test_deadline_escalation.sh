#!/usr/bin/env bash
# Escalations: while an obligation stays overdue, an
# ESCALATION notice every --escalate-every-bd business days, level 1, 2, ...
# up to --escalate-max, with the recipients of its level from the escalation
# file; a delivery cancels the escalations still pending. Each level names
# other offices: a file naming one at two levels stops the watcher at start;
# an --escalate-max above the file's last level is lowered to it, with a log
# line. Dates counted by hand (2026-11-03 is a Tuesday; no holiday until
# Mon 2026-11-16).
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_REMIND_BD=0 MOT_WATCHER_TICK_MS=200
export MOT_ESCALATE_EVERY_BD=2 MOT_ESCALATE_MAX=2 MOT_ESCALATION=$RUN/escalation.tsv
# Three levels in the file: the cap (2) must win over the file.
printf '# test levels\n1\tNivel uno\n2\tNivel dos;Otra oficina\n3\tNivel tres\n' >"$RUN/escalation.tsv"

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-02T09:00 >/dev/null

# An office at two levels (compared ignoring case): refused at start, naming the line.
printf '1\tTitular de la unidad\n2\tTDOE\n3\ttdoe\n' >"$RUN/repeated.tsv"
set +e
MOT_ESCALATION=$RUN/repeated.tsv timeout 30 "$MOT_BIN/mot-deadline-watcher" >"$RUN/repeated.out" 2>&1
status=$?
set -e
check "a file naming an office at two levels stops the watcher (exit $status)" test "$status" -ne 0 -a "$status" -ne 124
check "its error names the file, the line and the level" grep -q 'repeated.tsv:3: .*tdoe.* is already named at level 2' "$RUN/repeated.out"
# --escalate-max 3 with a two-level file: lowered to 2, said at start.
printf '1\tNivel uno\n2\tNivel dos\n' >"$RUN/two.tsv"
MOT_ESCALATION=$RUN/two.tsv MOT_ESCALATE_MAX=3 "$MOT_BIN/mot-deadline-watcher" >"$RUN/two.out" 2>&1 &
two_pid=$!
capped() { grep -q 'escalate_max_capped requested=3 escalation_levels=2 escalate_max=2' "$RUN/two.out"; }
check "an --escalate-max above the file's last level is lowered to it, with a log line" mot_wait 30 capped
kill "$two_pid"
wait "$two_pid" || true

e2e_start_all
e2e_subscribe_all

X='UEOD:accion-correctiva:AX'
Y='CV:recomendacion:AY'
cat >"$RUN/actions.jsonl" <<'JSONL'
{"type":"action","source":"UEOD","external_id":"E-1","action_id":"AX","kind":"accion-correctiva","due_on":"2026-11-03"}
{"type":"action","source":"CV","external_id":"E-2","action_id":"AY","kind":"recomendacion","due_on":"2026-11-03"}
JSONL
"$MOTCTL" submit <"$RUN/actions.jsonl" >/dev/null || fail "submit actions"
check "actions recorded" mot_wait 60 quiet

# Tue 3 ends undelivered: overdue on Wed 4 (1 business day late).
set_clock 2026-11-04T00:00:30
check "overdue X" mot_wait 60 has_notice "$X|overdue"
check "overdue Y" mot_wait 60 has_notice "$Y|overdue"
equals "overdue X is 1 business day late" 1 "$(field "$X|overdue" business_days_late)"
check "no escalation yet" bash -c "! grep -q '|escalation|' '$RUN/notices.jsonl'"

# Level 1 when 2 business days late: the start of Thu 5 (Wed 4, Thu 5).
set_clock 2026-11-05T00:00:30
check "escalation 1 for X" mot_wait 60 has_notice "$X|escalation|1"
check "escalation 1 for Y" mot_wait 60 has_notice "$Y|escalation|1"
equals "its level" 1 "$(field "$X|escalation|1" escalation_level)"
equals "2 business days late" 2 "$(field "$X|escalation|1" business_days_late)"
equals "its kind" escalation "$(field "$X|escalation|1" kind)"
check "text: level and recipients of level 1" bash -c \
  "grep '\"notice_id\":\"$X|escalation|1\"' '$RUN/notices.jsonl' | grep 'Escalamiento nivel 1' | grep -q 'Destinatarios: Nivel uno.'"

# Y is delivered on Fri 6: 3 business days late; its level 2 is cancelled.
"$MOTCTL" clock set 2026-11-06T10:00 >/dev/null
"$MOTCTL" deliver CV recomendacion AY 2026-11-06 >/dev/null || fail "deliver AY"
check "late delivery of Y" mot_wait 60 has_notice "$Y|delivered_late"
equals "3 business days late" 3 "$(field "$Y|delivered_late" business_days_late)"
equals "no timer left for Y" 0 "$(rcli ZRANGE mot:timers 0 -1 | grep -c "^$Y|" || true)"

# Level 2 when 4 business days late: Wed 4, Thu 5, Fri 6, Mon 9 → the start of Mon 9.
set_clock 2026-11-08T23:59:00
check "no level 2 before Mon 9" bash -c "! grep -q '$X|escalation|2' '$RUN/notices.jsonl'"
set_clock 2026-11-09T00:00:30
check "escalation 2 for X" mot_wait 60 has_notice "$X|escalation|2"
equals "4 business days late" 4 "$(field "$X|escalation|2" business_days_late)"
check "text: recipients of level 2" bash -c \
  "grep '\"notice_id\":\"$X|escalation|2\"' '$RUN/notices.jsonl' | grep 'Escalamiento nivel 2' | grep -q 'Destinatarios: Nivel dos; Otra oficina.'"
equals "the obligation records level 2" 2 "$(rcli HGET "mot:obl:{$X}" escalation_level)"
equals "cap reached: no timer left for X" 0 "$(rcli ZRANGE mot:timers 0 -1 | grep -c "^$X|" || true)"

# Weeks later: nothing more (cap 2), and Y's cancelled level 2 never comes.
set_clock 2026-11-30T00:00:30
sleep 1
equals "exactly these notices, once each" \
  "$Y|delivered_late $Y|escalation|1 $Y|overdue $X|escalation|1 $X|escalation|2 $X|overdue" \
  "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | cut -d'"' -f4 | sort | tr '\n' ' ' | sed 's/ $//')"

# A delivery after the cap changes nothing but the status (and the late notice).
"$MOTCTL" deliver UEOD accion-correctiva AX 2026-11-30 >/dev/null || fail "deliver AX"
check "late delivery of X" mot_wait 60 has_notice "$X|delivered_late"
# Wed 4 .. Mon 30, skipping weekends and Mon 16 (third Monday of November): 18 business days.
equals "X delivered 18 business days late" 18 "$(field "$X|delivered_late" business_days_late)"

echo "$E2E_CHECKS passed, 0 failed"
