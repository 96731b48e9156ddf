#!/usr/bin/env bash
# Subscribers that never miss a notice, and need no Redis (issue #12): the
# notifier (--sndhwm 1000, heartbeat every second) publishes bursts five
# times its high-water mark, in entries of 500 as the watchers log them,
# while a stalled subscriber is connected. Then:
#  - a subscriber that reads all along (motctl subscribe --since 0) ends with
#    every seq exactly once, in order, and the last notice of each burst in
#    hand within two seconds of the notifier publishing it;
#  - a subscriber on the topic "overdue/" gets exactly the overdue notices
#    (a burst of reminders in between is not for it), each once;
#  - a subscriber frozen (SIGSTOP) through a burst loses its end live — no
#    other notice follows to show the gap — and has it once awake: the
#    heartbeat says what was published (the time it took is printed);
#  - the README's subscriber examples, in C (on "overdue/") and in Python,
#    read along and end with the same notices, each once, in order;
#  - none of them reads Redis (MOT_REDIS points nowhere);
#  - the catch-up socket answers by seq and topic, refuses bad requests with
#    a typed error, and keeps serving.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
BURST=5000 ENTRY=500

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" notifier --sndhwm 1000 --log-size 30000 --heartbeat-ms 1000
notifier_ready() { grep -q ' ready ' "$RUN/log/notifier.log"; }
check "the notifier comes up" mot_wait 60 notifier_ready
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
notices() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" "$@"; }

PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" stall "$MOT_NOTIFIER_PUBLISH" >"$RUN/stalled.out" &
stalled=$!
subscribers=()
trap 'kill "$stalled" "${subscribers[@]}" 2>/dev/null || true; e2e_cleanup; trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT
check "the stalled subscriber is connected" mot_wait 30 grep -q connected "$RUN/stalled.out"

TOTAL=$((3 * BURST))
OVERDUE=$((2 * BURST))
# subscriber NAME ARGS...: motctl subscribe in the background, with no Redis to read
subscriber() {
  local name=$1
  shift
  MOT_REDIS=unix:/nonexistent/redis.sock "$MOTCTL" subscribe "$@" --timeout 300 \
    >"$RUN/$name.jsonl" 2>"$RUN/$name.err" &
  subscribers+=($!)
  eval "${name}_pid=$!"
}
subscriber keep --since 0 --count $TOTAL
subscriber overdue --since 0 --topic overdue/ --count $OVERDUE
subscriber frozen --count $TOTAL
# The README's subscriber examples (tools/examples/subscriber.c and .py).
# (their notices on stdout; what they say about retries, on stderr, apart)
"$MOT_BIN/subscriber" "$MOT_NOTIFIER_PUBLISH" "$MOT_NOTIFIER_CATCHUP" 0 $OVERDUE overdue/ >"$RUN/example-c.txt" \
  2>"$RUN/log/example-c.err" &
example_c=$!
PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tools/examples/subscriber.py" "$MOT_NOTIFIER_PUBLISH" "$MOT_NOTIFIER_CATCHUP" \
  0 $TOTAL >"$RUN/example-py.txt" 2>"$RUN/log/example-py.err" &
example_py=$!
subscribers+=("$example_c" "$example_py")
sleep 1   # the subscriptions reach the notifier

seqs_of() { jq -r .seq "$RUN/$1.jsonl" 2>/dev/null; }
has_seq() { grep -q "\"seq\":$2," "$RUN/$1.jsonl"; }
published() { grep -q "notice_published notice_id=[^ ]* seq=$1 " "$RUN/log/notifier.log"; }
now_ms() { date +%s%3N; }
# burst NUMBER FIRST_SEQ: BURST notices in entries of ENTRY, then a wake-up
burst() {
  local specs=() e
  for e in $(seq 0 $((BURST / ENTRY - 1))); do specs+=("@$ENTRY:B$1-$e-"); done
  notices log "$2" "${specs[@]}" | rcli --pipe >/dev/null || fail "log burst $1"
  notices wake "$MOT_NOTIFIER_COLLECT" || fail "wake after burst $1"
}
# in_hand NAME SEQ: milliseconds from the notifier publishing SEQ to NAME having it
in_hand() {
  local t0 t1
  until published "$2"; do sleep 0.02; done
  t0=$(now_ms)
  until has_seq "$1" "$2"; do sleep 0.02; [ $(($(now_ms) - t0)) -gt 30000 ] && break; done
  t1=$(now_ms)
  echo $((t1 - t0))
}
# Two seconds, as the issue asks; under valgrind the notifier runs ~30 times slower.
BOUND=2000
[ -n "${MOT_WRAP:-}" ] && BOUND=15000

# --- burst 1: overdue notices 1..5000 ----------------------------------------------
burst 1 1
ms=$(in_hand keep $BURST)
echo "# burst 1: the last notice in hand ${ms} ms after it was published"
check "burst 1: the last notice in hand within $BOUND ms (${ms} ms)" test "$ms" -le $BOUND

# --- burst 2: reminders 5001..10000, with one subscriber frozen ------------------------
kill -STOP "$frozen_pid"
NOTICE_KIND=reminder NOTICE_TEXT_BYTES=4000 burst 2 $((BURST + 1))   # 20 MB: more than the buffers hold
until published $((2 * BURST)); do sleep 0.05; done
sleep 1   # what it would have got is dropped for it meanwhile
kill -CONT "$frozen_pid"
t0=$(now_ms)
until has_seq frozen $((2 * BURST)); do sleep 0.02; [ $(($(now_ms) - t0)) -gt 60000 ] && break; done
ms=$(($(now_ms) - t0))
# Waking, it first reads what its queues held (megabytes of 4 KB notices, printed as JSON), so
# the bound here is the test's patience; the heartbeat is what brings the end at all.
echo "# the frozen subscriber had the end of burst 2 ${ms} ms after waking"
check "the frozen subscriber gets the end of burst 2 after waking, with nothing published since (${ms} ms)" \
  has_seq frozen $((2 * BURST))
ms=$(in_hand keep $((2 * BURST)))
check "burst 2: the last notice in hand within $BOUND ms (${ms} ms)" test "$ms" -le $BOUND

# --- burst 3: overdue notices 10001..15000 ---------------------------------------------
burst 3 $((2 * BURST + 1))
ms=$(in_hand keep $TOTAL)
check "burst 3: the last notice in hand within $BOUND ms (${ms} ms)" test "$ms" -le $BOUND

for name in keep overdue frozen; do
  wait "$(eval echo "\$${name}_pid")" || fail "$name ended with an error: $(tail -2 "$RUN/$name.err")"
done
in_order() { seqs_of "$1" | sort -nc 2>/dev/null; }
equals "the subscriber reading all along: every seq once, 1..$TOTAL" "$TOTAL 1 $TOTAL 0" \
  "$(seqs_of keep | sort -n | awk '{ n++; if (NR == 1) f = $1; l = $1; if ($1 == p) d++; p = $1 } END { print n, f, l, d + 0 }')"
check "in seq order" in_order keep
equals "the overdue subscriber: the $OVERDUE overdue notices once, no reminder" \
  "$OVERDUE 1 $TOTAL 0 0" \
  "$(jq -r '"\(.seq) \(.kind)"' "$RUN/overdue.jsonl" | sort -n | awk '{ n++; if (NR == 1) f = $1; l = $1; if ($1 == p) d++; p = $1; if ($2 != "overdue") r++ } END { print n, f, l, d + 0, r + 0 }')"
check "in seq order" in_order overdue
equals "the frozen subscriber: every seq once" "$TOTAL 0" \
  "$(seqs_of frozen | sort -n | awk '{ n++; if ($1 == p) d++; p = $1 } END { print n, d + 0 }')"
check "in seq order" in_order frozen
wait "$example_c" || fail "the C example failed: $(tail -2 "$RUN/example-c.txt")"
wait "$example_py" || fail "the Python example failed: $(tail -2 "$RUN/example-py.txt")"
equals "the C example on overdue/: the $OVERDUE overdue notices once, in order" "$OVERDUE 1 $TOTAL 0 0" \
  "$(awk '{ n++; if (NR == 1) f = $1; l = $1; if ($1 <= p) d++; p = $1; if ($0 !~ /^[0-9]+ texto B[13]-/) r++ } END { print n, f, l, d + 0, r + 0 }' "$RUN/example-c.txt")"
equals "the Python example: every seq once, in order" "$TOTAL 1 $TOTAL 0" \
  "$(awk '{ n++; if (NR == 1) f = $1; l = $1; if ($1 <= p) d++; p = $1 } END { print n, f, l, d + 0 }' "$RUN/example-py.txt")"
check "the frozen one filled its gap through the catch-up socket" grep -q 'came through the notifier.s catch-up socket' "$RUN/frozen.err"
check "nobody touched Redis" bash -c "! grep -qi redis '$RUN/keep.err' '$RUN/overdue.err' '$RUN/frozen.err'"
kill -USR1 "$stalled"
wait "$stalled" || fail "the stalled subscriber failed"
got=$(tail -1 "$RUN/stalled.out")
echo "# the stalled subscriber got $got of $TOTAL live"
check "notices were dropped for the stalled subscriber ($got < $TOTAL)" test "$got" -lt $TOTAL

# --- the catch-up socket itself --------------------------------------------------------------
ask() { notices ask "$MOT_NOTIFIER_CATCHUP" "$@"; }
equals "after 10998: the 1000-notice limit, 10999..11998, more to come" '[1000,10999,11998,11998,15000,true]' \
  "$(ask 10998 | jq -c '[(.seqs | length), .seqs[0], .seqs[-1], .scanned_to, .last_seq, .more]')"
equals "after 4998: 4999 and 5000, then the reminders" '[4999,5000,5001]' "$(ask 4998 | jq -c '.seqs[0:3]')"
equals "on overdue/ only: 4999, 5000, then from 10001, scanned past the reminders" \
  '[4999,5000,10001,10998,10998,true]' \
  "$(ask 4998 overdue/ | jq -c '[.seqs[0], .seqs[1], .seqs[2], .seqs[-1], .scanned_to, .more]')"
equals "at the end: nothing, nothing more; the log keeps all from 1" '[0,15000,false,1]' \
  "$(ask 15000 | jq -c '[(.seqs | length), .scanned_to, .more, .first_kept]')"
equals "a topic nothing has: scanned to the end, empty" '[0,15000,false]' \
  "$(ask 0 escalation/ | jq -c '[(.seqs | length), .scanned_to, .more]')"
equals "garbage: MALFORMED" '{"error":"MALFORMED","field":""}' "$(notices askraw "$MOT_NOTIFIER_CATCHUP" garbage | jq -c .)"
equals "max 5000: INVALID_VALUE on max" '{"error":"INVALID_VALUE","field":"max"}' \
  "$(notices askraw "$MOT_NOTIFIER_CATCHUP" bigmax | jq -c .)"
equals "40 topics: INVALID_VALUE on topics" '{"error":"INVALID_VALUE","field":"topics"}' \
  "$(notices askraw "$MOT_NOTIFIER_CATCHUP" manytopics | jq -c .)"
equals "a 300-byte topic: INVALID_VALUE on topics" '{"error":"INVALID_VALUE","field":"topics"}' \
  "$(notices askraw "$MOT_NOTIFIER_CATCHUP" longtopic | jq -c .)"
equals "and it keeps serving" 1 "$(ask 14999 | jq '.seqs | length')"

echo "$E2E_CHECKS passed, 0 failed"
