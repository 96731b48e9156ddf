#!/usr/bin/env bash
# Crashes during a burst: 600 obligations fall due at the
# same moment, two watchers fire them; one watcher is SIGKILLed in the middle
# of firing, then the notifier is SIGKILLed in the middle of publishing; both
# are restarted. Every notice must reach a subscriber exactly once: the
# notifier's log, read from seq 0, holds each of the 600 overdue notices
# once, with sequence numbers 1..600 and no gap or duplicate.
source "$(dirname "$0")/lib.sh"

N=600
export MOT_WATCH_FROM=2027-01 MOT_REMIND_BD=0 MOT_ESCALATE_EVERY_BD=0
export MOT_WATCHER_TICK_MS=200 MOT_WATCHER_CATCHUP_PER_TICK=10
seq_at_least() { [ "$(rcli GET mot:seq:notice || echo 0)" -ge "$1" ] 2>/dev/null; }

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-02T09:00 >/dev/null
e2e_start_all
# A second watcher: the same binary under another name, so that the
# harness starts, kills and cleans it up like the others.
mkdir -p "$RUN/bin"
ln -s "$MOT_BIN/mot-deadline-watcher" "$RUN/bin/mot-watcher2"
MOT_SERVICES+=(watcher2)
mot_start_service "$RUN" "$RUN/bin" watcher2
setsid "$MOTCTL" subscribe >"$RUN/live.jsonl" 2>"$RUN/log/subscriber.log" &
echo $! >"$RUN/pids/subscriber.pid"

for i in $(seq $N); do
  echo "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"B-$i\",\"action_id\":\"B-$i\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-02\"}"
done >"$RUN/actions.jsonl"
"$MOTCTL" submit --timeout 30 <"$RUN/actions.jsonl" >"$RUN/acks.jsonl" || fail "submit: $(grep -m1 error "$RUN/acks.jsonl")"
all_created() { [ "$(rcli ZCARD mot:obls)" = $N ] && quiet; }
check "$N obligations due Mon 2026-11-02" mot_wait 60 all_created
equals "$N overdue timers pending" $N "$(rcli ZCARD mot:timers)"

# Every deadline ended at once, two hours ago (as after a short outage): the
# watchers catch up at most 10 timers a tick each, so the burst lasts a few
# seconds and the kills land in the middle of it.
"$MOTCTL" clock set 2026-11-03T02:00:00 >/dev/null
check "the burst starts" mot_wait 60 seq_at_least 60
mot_kill_service "$RUN" deadline-watcher KILL
echo "killed a watcher at seq $(rcli GET mot:seq:notice)"
check "the other watcher goes on" mot_wait 60 seq_at_least 250
mot_kill_service "$RUN" notifier KILL
echo "killed the notifier at seq $(rcli GET mot:seq:notice)"
sleep 1
mot_start_service "$RUN" "$MOT_BIN" notifier
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
done_all() { quiet && [ "$(rcli ZCARD mot:timers)" = 0 ] && seq_at_least $N; }
check "every timer fired and every notice was published" mot_wait 120 done_all
sleep 1
equals "exactly $N sequence numbers were given" $N "$(rcli GET mot:seq:notice)"

"$MOTCTL" subscribe --since 0 --count $N --timeout 30 >"$RUN/replay.jsonl" || fail "replay: $(tail -1 "$RUN/log/subscriber.log")"
equals "the replay holds $N notices" $N "$(wc -l <"$RUN/replay.jsonl")"
equals "all distinct" $N "$(grep -o '"notice_id":"[^"]*"' "$RUN/replay.jsonl" | sort -u | wc -l)"
equals "one overdue notice per obligation" \
  "$(seq $N | sed 's/^/UEOD:accion-correctiva:B-/; s/$/|overdue/' | sort)" \
  "$(grep -o '"notice_id":"[^"]*"' "$RUN/replay.jsonl" | cut -d'"' -f4 | sort)"
equals "sequence numbers 1..$N, no gap, no duplicate" "$(seq $N)" \
  "$(grep -o '"seq":[0-9]*' "$RUN/replay.jsonl" | cut -d: -f2)"
equals "the live subscriber never saw a notice twice" "" \
  "$(grep -o '"notice_id":"[^"]*"' "$RUN/live.jsonl" | sort | uniq -d)"
check "both watchers fired some of the burst" bash -c \
  "grep -q timer_fired '$RUN/log/deadline-watcher.log' && grep -q timer_fired '$RUN/log/watcher2.log'"

echo "$E2E_CHECKS passed, 0 failed"
