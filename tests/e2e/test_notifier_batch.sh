#!/usr/bin/env bash
# The notifier's batches (services/notifier/publisher.h): notices pushed
# straight to its collect socket while it is stopped (SIGSTOP), so that they
# land in one wake-up — the same notice twice with a garbage frame and a
# two-frame message between them, then another notice — are published once
# per notice_id: the duplicate is not published again, the bad messages are
# dropped without costing the valid ones, a re-send in a later batch is a
# duplicate too, and a later notice still goes out. Every id leaves the
# outbox, and only those. A notice no watcher recorded in the outbox is not
# published and does not hold back the rest of its batch. The text a notice
# arrives with is replaced by the notifier's, and the notifier stops with
# nothing leaked (under ASan/valgrind).
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" notifier --log-level debug
notifier_ready() { grep -q ' ready ' "$RUN/log/notifier.log"; }
check "the notifier comes up" mot_wait 60 notifier_ready
e2e_subscribe_all
# What a watcher would have recorded before pushing (outbox.h).
rcli ZADD mot:outbox 1 NB-1 1 NB-2 1 NB-3 1 NB-4 1 NB-other >/dev/null
rcli HSET mot:outbox:notices NB-1 x NB-2 x NB-3 x NB-4 x NB-other x >/dev/null

protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
push() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" push "$MOT_NOTIFIER_COLLECT" "$@"; }
published() { grep -c "notice_published notice_id=$1 " "$RUN/log/notifier.log" || true; }
logged() { grep -q "$1" "$RUN/log/notifier.log"; }

# push_stopped MESSAGE...: queued while the notifier is stopped, so that
# they arrive together when it goes on.
push_stopped() {
  local notifier pusher
  notifier=$(cat "$RUN/pids/notifier.pid")
  kill -STOP "$notifier"
  push "$@" >"$RUN/push.out" &
  pusher=$!
  mot_wait 30 grep -q queued "$RUN/push.out" || true
  kill -CONT "$notifier"
  wait "$pusher" || fail "push $* failed"
}

# The first burst.
push_stopped NB-1 garbage NB-1 twoframes NB-2
check "the valid notice after the bad ones is published" mot_wait 60 logged 'notice_published notice_id=NB-2 '
if grep -q 'batch_collected received=5 valid=3' "$RUN/log/notifier.log"; then
  echo "# the first burst came in one batch"
else
  echo "# note: the first burst was split over several wake-ups"
fi

# A re-send of NB-1 (a later batch), then a new notice.
push NB-1 NB-3 >/dev/null || fail "the second push failed"
check "a later notice is published" mot_wait 60 logged 'notice_published notice_id=NB-3 '
check "the re-send is logged a duplicate" mot_wait 60 logged 'notice_duplicate notice_id=NB-1$'

equals "NB-1 published once" 1 "$(published NB-1)"
equals "NB-1 logged a duplicate twice (same batch, later batch)" 2 \
  "$(grep -c 'notice_duplicate notice_id=NB-1$' "$RUN/log/notifier.log")"
equals "NB-2, NB-3 published once each" "1 1" "$(published NB-2) $(published NB-3)"
equals "the garbage and the two-frame message dropped" 2 "$(grep -c 'notice_dropped reason=' "$RUN/log/notifier.log")"
equals "three sequence numbers given" 3 "$(rcli GET mot:seq:notice)"
equals "NB-1 has seq 1" 1 "$(grep -o 'notice_published notice_id=NB-1 seq=[0-9]*' "$RUN/log/notifier.log" | cut -d= -f3)"
equals "the log holds three notices" 3 "$(rcli LLEN mot:notices)"
equals "the published ids left the outbox, nothing else" "NB-4 NB-other" "$(rcli ZRANGE mot:outbox 0 -1 | tr '\n' ' ' | sed 's/ $//')"
equals "and their recorded notices with them" "NB-4 NB-other" "$(rcli HKEYS mot:outbox:notices | sort | tr '\n' ' ' | sed 's/ $//')"

# A notice no watcher recorded (not in the outbox) is not published, and
# the notice beside it in the same batch still is.
push_stopped NB-stray NB-4
check "the notice beside the stray one is published" mot_wait 60 logged 'notice_published notice_id=NB-4 seq=4 '
check "the stray one is not" logged 'notice_duplicate notice_id=NB-stray$'
equals "no sequence number spent on it" 4 "$(rcli GET mot:seq:notice)"

"$MOTCTL" subscribe --since 0 --count 4 --timeout 30 >"$RUN/replay.jsonl" || fail "replay failed"
equals "the replay: NB-1 .. NB-4 with seq 1..4" "1 NB-1 2 NB-2 3 NB-3 4 NB-4" \
  "$(jq -r '"\(.seq) \(.notice_id)"' "$RUN/replay.jsonl" | tr '\n' ' ' | sed 's/ $//')"
check "the subscriber got NB-4" mot_wait 60 has_notice NB-4
equals "the subscriber got each notice once" "NB-1 NB-2 NB-3 NB-4" \
  "$(jq -r .notice_id "$RUN/notices.jsonl" | tr '\n' ' ' | sed 's/ $//')"
equals "the text is the notifier's" "Vencido: «Acción correctiva» de UEOD, periodo NB-1, venció el 2026-11-02; 1 día hábil de atraso." \
  "$(jq -r 'select(.notice_id == "NB-1") | .text' "$RUN/replay.jsonl")"

mot_kill_service "$RUN" notifier
check "the notifier stopped cleanly" grep -q ' stopping reason=signal' "$RUN/log/notifier.log"
check "nothing leaked or misused (sanitizers)" bash -c "! grep -q 'Sanitizer' '$RUN/log/notifier.log'"

echo "$E2E_CHECKS passed, 0 failed"
