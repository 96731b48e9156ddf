#!/usr/bin/env bash
# Catch-up after downtime: the watcher is down while 40
# deadlines pass; on start it fires everything missed, earliest deadline
# first, at most --catchup-per-tick timers per tick, and the notices are
# marked as late: catch_up=1 in the watcher's and the notifier's log lines,
# "(notificación tardía)" in the text. A missed reminder is marked late too;
# one sent on time is not.
source "$(dirname "$0")/lib.sh"

N=40
export MOT_WATCH_FROM=2027-06 MOT_REMIND_BD=0 MOT_ESCALATE_EVERY_BD=0
export MOT_WATCHER_TICK_MS=200 MOT_WATCHER_CATCHUP_PER_TICK=3

mot_start_redis "$RUN"
"$MOTCTL" clock set 2027-01-04T09:00 >/dev/null
e2e_start_all
# Due dates Jan 5 .. Feb 13 2027, one a day; submitted in reverse order.
for i in $(seq $N -1 1); do
  due=$(date -u -d "2027-01-04 +$i day" +%F)
  echo "{\"type\":\"action\",\"source\":\"CV\",\"external_id\":\"C-$i\",\"action_id\":\"C-$(printf %02d "$i")\",\"kind\":\"acuerdo\",\"due_on\":\"$due\"}"
done >"$RUN/actions.jsonl"
"$MOTCTL" submit <"$RUN/actions.jsonl" >/dev/null || fail "submit"
created() { [ "$(rcli ZCARD mot:obls)" = $N ] && quiet; }
check "$N obligations recorded" mot_wait 60 created

# Down over the whole period, then back on 2027-03-01.
mot_kill_service "$RUN" deadline-watcher
"$MOTCTL" clock set 2027-03-01T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
e2e_subscribe_all
all_fired() { [ "$(grep -c '|overdue' "$RUN/notices.jsonl")" = $N ]; }
check "every missed overdue notice is sent" mot_wait 120 all_fired
equals "in deadline order" "$(grep -o '"deadline":"[^"]*"' "$RUN/notices.jsonl" | sort)" \
  "$(grep -o '"deadline":"[^"]*"' "$RUN/notices.jsonl")"
equals "each marked late in its text" $N "$(grep -c '(notificación tardía)' "$RUN/notices.jsonl")"
equals "each logged catch_up=1 by the watcher" $N "$(grep -c 'timer_fired .*catch_up=1' "$RUN/log/deadline-watcher.log")"
equals "each logged catch_up=1 by the notifier" $N "$(grep -c 'notice_published .*catch_up=1' "$RUN/log/notifier.log")"
# At most 3 per tick, counted by the watcher itself for each tick (not by
# wall-clock seconds, which a late timer tick can make hold six ticks).
most=$(grep -o 'catch_up_tick fired=[0-9]*' "$RUN/log/deadline-watcher.log" | cut -d= -f2 | sort -n | tail -1)
check "the rate is bounded (at most 3 a tick, ${most:-none} seen)" test "${most:-99}" -le 3
check "the catch-up took several ticks" [ "$(grep -c 'catch_up_tick' "$RUN/log/deadline-watcher.log")" -ge 14 ]
# C-01 was due Tue 2027-01-05 and is sent on Mon 2027-03-01: the weekdays of
# Jan 6 .. Mar 1 (Jan: 18, Feb: 20, Mar 1: 1) minus Mon Feb 1 (first Monday of February) = 38.
equals "business days late counted at the catch-up" 38 \
  "$(grep 'CV:acuerdo:C-01|overdue' "$RUN/notices.jsonl" | grep -o '"business_days_late":[0-9]*' | cut -d: -f2)"

# Reminders (2 business days before): R-1 due Wed 2027-03-10 reminds at the
# start of Mon 03-08, missed while the watcher is down; R-2 due Fri 03-12
# reminds at the start of Wed 03-10, on time.
mot_kill_service "$RUN" deadline-watcher
export MOT_REMIND_BD=2
for r in "R-1 2027-03-10" "R-2 2027-03-12"; do
  set -- $r
  echo "{\"type\":\"action\",\"source\":\"CV\",\"external_id\":\"$1\",\"action_id\":\"$1\",\"kind\":\"acuerdo\",\"due_on\":\"$2\"}"
done | "$MOTCTL" submit >/dev/null || fail "submit reminders"
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
both() { [ "$(rcli ZCARD mot:obls)" = $((N + 2)) ] && quiet; }
check "the two obligations with reminders recorded" mot_wait 60 both
mot_kill_service "$RUN" deadline-watcher
"$MOTCTL" clock set 2027-03-09T12:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
missed() { grep -q 'CV:acuerdo:R-1|reminder' "$RUN/notices.jsonl"; }
check "the missed reminder is sent" mot_wait 60 missed
check "the missed reminder is marked late" grep -q 'CV:acuerdo:R-1|reminder.*(notificación tardía)' "$RUN/notices.jsonl"
check "and flagged catch_up in the notice" grep -q 'CV:acuerdo:R-1|reminder.*"catch_up":true' "$RUN/notices.jsonl"
"$MOTCTL" clock set 2027-03-10T00:00:05 >/dev/null
on_time() { grep -q 'CV:acuerdo:R-2|reminder' "$RUN/notices.jsonl"; }
check "the on-time reminder is sent" mot_wait 60 on_time
check "the on-time reminder is not marked late" bash -c "! grep 'CV:acuerdo:R-2|reminder' '$RUN/notices.jsonl' | grep -q 'tardía'"
check "nor flagged catch_up" grep -q 'CV:acuerdo:R-2|reminder.*"catch_up":false' "$RUN/notices.jsonl"

echo "$E2E_CHECKS passed, 0 failed"
