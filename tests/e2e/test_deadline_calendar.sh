#!/usr/bin/env bash
# The holiday file changes while the watcher runs: it is
# reloaded when its modification time changes (checked every tick) and on
# SIGHUP; the deadlines of pending obligations are recomputed with their
# timers, each move is recorded in the obligation's audit list and the
# reload in mot:calendar:audit; a file that no longer loads is refused and
# the previous calendar stays. A holiday added on Thu 2026-11-05 moves a
# 5-business-day deadline from Fri 6 to Mon 9: the reminder and the overdue
# notice fire at the new times, not the old ones. Dates counted by hand.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_REMIND_BD=1 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0
export MOT_OBLIGATIONS=$RUN/obligations.tsv MOT_CALENDAR=$RUN/calendar.tsv
printf 'CV\tidentificacion-problematicas\tidentificacion\tmonth_close\t5\tInforme de identificación de problemáticas operativas\n' >"$MOT_OBLIGATIONS"
printf 'UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme de quejas y gestiones (OOAD, UMAE)\n' >>"$MOT_OBLIGATIONS"
# A 3-business-day monthly row of the test's own (it was the IAT's, which the
# norm makes quarterly: deploy/obligations.tsv has it as quarter_close now).
printf 'UEOD\tinforme-prueba\tplan\tmonth_close\t3\tInforme de prueba a 3 días hábiles\n' >>"$MOT_OBLIGATIONS"
printf '# extra days\n2026-04-02\tJueves Santo\n' >"$MOT_CALENDAR"
deadline_of() { rcli HGET "mot:obl:{$1}" deadline; }
epoch_utc() { date -u -d "$1" +%s; }
CV='CV:identificacion-problematicas:2026-10'
UAD='UAD:quejas-gestiones:2026-10'
SHORT='UEOD:informe-prueba:2026-10'

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all
e2e_subscribe_all
check_generated 2026-10
# Oct 31 is a Saturday: Nov 2, 3, 4, 5, 6 → Fri 6; ten: ... 9-13 → Fri 13; three: Wed 4.
equals "CV due Fri 2026-11-06" 2026-11-06 "$(deadline_of "$CV")"
equals "UAD due Fri 2026-11-13" 2026-11-13 "$(deadline_of "$UAD")"
equals "the 3-bd report due Wed 2026-11-04" 2026-11-04 "$(deadline_of "$SHORT")"
# The overdue timer fires at the end of the deadline day: 2026-11-07 00:00 local = 06:00 UTC.
equals "CV overdue timer at the end of Nov 6" "$(epoch_utc '2026-11-07 06:00:00')" "$(rcli ZSCORE mot:timers "$CV|overdue")"

# A holiday is published for Thu 2026-11-05.
printf '2026-11-05\tDía inhábil publicado\n' >>"$MOT_CALENDAR"
moved() { [ "$(deadline_of "$CV")" = 2026-11-09 ]; }
check "the file change is noticed and CV's deadline moves to Mon 2026-11-09" mot_wait 60 moved
# UAD: Nov 2, 3, 4, 6, 9, 10, 11, 12, 13, then Mon 16 is the third Monday of November → Tue 17.
equals "UAD's deadline moves to Tue 2026-11-17" 2026-11-17 "$(deadline_of "$UAD")"
equals "the 3-business-day deadline before the holiday stays" 2026-11-04 "$(deadline_of "$SHORT")"
equals "CV's overdue timer moved to the end of Nov 9" "$(epoch_utc '2026-11-10 06:00:00')" "$(rcli ZSCORE mot:timers "$CV|overdue")"
# The reminder, 1 business day before: Fri 6 (was Thu 5), at 00:00 local = 06:00 UTC.
equals "CV's reminder moved to Fri 6" "$(epoch_utc '2026-11-06 06:00:00')" "$(rcli ZSCORE mot:timers "$CV|reminder")"
check "CV's audit trail has the old and the new deadline" bash -c \
  "rcli LRANGE 'mot:obl:{$CV}:audit' 0 -1 | grep '\"reason\":\"calendar_changed\"' | grep '\"old_deadline\":\"2026-11-06\"' | grep -q '\"new_deadline\":\"2026-11-09\"'"
check "the reload is in mot:calendar:audit with the number of deadlines moved" bash -c \
  "rcli LRANGE mot:calendar:audit 0 -1 | grep -q '\"deadlines_moved\":2'"
equals "the obligation list shows the new deadline" 2026-11-09 \
  "$("$MOTCTL" obligations --csv >"$RUN/obl.csv" && csv_field "$RUN/obl.csv" id "$CV" fecha_limite)"

# The notices follow the new deadline.
set_clock 2026-11-05T00:00:30
check "no reminder on Thu 5 (the old reminder day)" bash -c "! grep -q '$CV|reminder' '$RUN/notices.jsonl'"
set_clock 2026-11-06T00:00:30
check "the reminder on Fri 6" mot_wait 60 has_notice "$CV|reminder"
check "the reminder names the new deadline" bash -c "grep '$CV|reminder' '$RUN/notices.jsonl' | grep -q 'vence el 2026-11-09'"
set_clock 2026-11-07T00:00:30
check "no overdue notice at the old time" bash -c "! grep -q '$CV|overdue' '$RUN/notices.jsonl'"
set_clock 2026-11-10T00:00:30
check "the overdue notice at the new time" mot_wait 60 has_notice "$CV|overdue"
check "it names the new deadline" bash -c "grep '$CV|overdue' '$RUN/notices.jsonl' | grep -q '\"deadline\":\"2026-11-09\"'"

# A broken file is refused: the previous calendar stays, the watcher serves on.
printf 'not a date\n' >>"$MOT_CALENDAR"
refused() { grep -q 'calendar_invalid' "$RUN/log/deadline-watcher.log"; }
check "a file that does not load is refused (logged)" mot_wait 60 refused
equals "deadlines unchanged" 2026-11-17 "$(deadline_of "$UAD")"
check "the watcher still runs" mot_pid_alive "$RUN/pids/deadline-watcher.pid"

# SIGHUP reloads on demand (the file fixed meanwhile: holiday kept). The
# count is taken before the file changes: a tick may reload it at once.
reloads() { rcli LLEN mot:calendar:audit; }
before=$(reloads)
printf '# extra days\n2026-04-02\tJueves Santo\n2026-11-05\tDía inhábil publicado\n' >"$MOT_CALENDAR"
mot_wait 60 bash -c "[ \$(rcli LLEN mot:calendar:audit) -gt $before ]" || fail "fixed file not reloaded"
before=$(reloads)
kill -HUP "$(cat "$RUN/pids/deadline-watcher.pid")"
check "SIGHUP reloads the calendar" mot_wait 60 bash -c "[ \$(rcli LLEN mot:calendar:audit) -gt $before ]"
check "a reload with no change moves nothing" bash -c \
  "rcli LINDEX mot:calendar:audit -1 | grep -q '\"deadlines_moved\":0'"
equals "UAD still due Tue 17" 2026-11-17 "$(deadline_of "$UAD")"
equals "each notice reached the subscriber once" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | sort | uniq -d)"

echo "$E2E_CHECKS passed, 0 failed"
