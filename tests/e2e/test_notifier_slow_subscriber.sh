#!/usr/bin/env bash
# A slow or dead subscriber never blocks the notifier or the others:
# one subscriber connects and reads nothing while 20,000 notices of about
# 1 KB are logged and go out, 1,000 at a time (notifier --sndhwm 1000; the
# stalled subscriber's queues and the kernel's buffers — up to 4 MB on the
# notifier's side once the kernel has grown them — hold a fraction of those
# 20 MB, however slowly the notifier runs, valgrind included). The notifier
# publishes every one, a live subscriber keeping up gets every one, and the
# stalled one lost what did not fit (dropped for it alone) — and gets all of
# it back from the replay log.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
CHUNK=1000 CHUNKS=20
N=$((CHUNK * CHUNKS))

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" notifier --sndhwm 1000 --log-size 30000
notifier_ready() { grep -q ' ready ' "$RUN/log/notifier.log"; }
check "the notifier comes up" mot_wait 60 notifier_ready
e2e_subscribe_all
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
notices() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" "$@"; }

PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" stall "$MOT_NOTIFIER_PUBLISH" >"$RUN/stalled.out" &
stalled=$!
trap 'kill "$stalled" 2>/dev/null || true; e2e_cleanup; trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT
check "the stalled subscriber is connected" mot_wait 30 grep -q connected "$RUN/stalled.out"
sleep 1   # its subscription reaches the notifier

live_count() { grep -c '"notice_id":"SL-' "$RUN/notices.jsonl" || true; }
live_has() { [ "$(live_count)" = "$1" ]; }
for c in $(seq $CHUNKS); do
  # Logged as a watcher's script does, then the notifier is woken.
  NOTICE_TEXT_BYTES=1000 notices log $(((c - 1) * CHUNK + 1)) "@$CHUNK:SL-$c-" | rcli --pipe >/dev/null \
    || fail "log chunk $c"
  notices wake "$MOT_NOTIFIER_COLLECT" || fail "wake after chunk $c"
  mot_wait 120 live_has $((c * CHUNK)) || fail "the live subscriber has $(live_count) after chunk $c"
done
equals "the live subscriber got all $N notices" $N "$(live_count)"
equals "the notifier published all $N" $N "$(grep -c 'notice_published notice_id=SL-' "$RUN/log/notifier.log")"

kill -USR1 "$stalled"
wait "$stalled" || fail "the stalled subscriber failed"
got=$(tail -1 "$RUN/stalled.out")
echo "# the stalled subscriber got $got of $N"
check "notices were dropped for the stalled subscriber alone ($got < $N)" test "$got" -lt $N
"$MOTCTL" subscribe --since 0 --count $N --timeout 60 >"$RUN/replay.jsonl" || fail "replay"
equals "it catches up from the log: all $N, seq 1..$N" "$N 1 $N" \
  "$(jq -r .seq "$RUN/replay.jsonl" | sort -n | awk 'NR == 1 { f = $1 } { n++; l = $1 } END { print n, f, l }')"

echo "$E2E_CHECKS passed, 0 failed"
