#!/usr/bin/env bash
# The notifier tails the notice log (services/notifier/publisher.h): entries
# are put into the stream mot:notices exactly as a watcher's script writes
# them (seq counter and XADD in one step), and the notifier must
# - publish a backlog logged while it was not running, on start, with no
#   wake-up;
# - publish each held notice once, in seq order, with its seq, as logged
#   (the watcher's text), and skip those an entry does not hold;
# - drop what is not publishable (a notice whose bytes are garbage, one
#   without text, an entry that is not a batch), logged with the seq and
#   the reason, without costing the notices around it;
# - find new entries by polling when no wake-up comes, take a malformed
#   wake-up as a wake-up (logged);
# - trim the log once published, never an unpublished entry;
# - go on after a restart from its mark: nothing published twice, and a
#   subscriber without a topic filter fills what it missed from the log;
# - report notices cut from the log before they were published;
# - go on from seq 1 when the log and its counter are reset under it;
# and stop with nothing leaked (under ASan/valgrind).
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
notices() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" "$@"; }
# log ENTRY...: appends entries after the current last seq, atomically.
log() {
  local last
  last=$(rcli GET mot:seq:notice)
  notices log $((${last:-0} + 1)) "$@" | rcli --pipe >/dev/null || fail "logging $* failed"
}
published() { grep -c "notice_published notice_id=$1 " "$RUN/log/notifier.log" || true; }
logged() { grep -q "$1" "$RUN/log/notifier.log"; }
start_notifier() {
  mot_start_service "$RUN" "$MOT_BIN" notifier --log-size 4 --poll-ms 100 --batch 2
  notifier_ready() { [ "$(grep -c ' ready ' "$RUN/log/notifier.log")" -ge "$1" ]; }
  check "the notifier comes up" mot_wait 60 notifier_ready "$1"
}

# A backlog logged before any notifier ran.
log NB-1 NB-2 NB-3
e2e_subscribe_all
start_notifier 1
check "the backlog is published on start" mot_wait 60 logged 'notice_published notice_id=NB-3 seq=3 '
equals "in seq order" "NB-1 NB-2 NB-3" \
  "$(grep -o 'notice_published notice_id=[^ ]*' "$RUN/log/notifier.log" | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//')"

# Bad notices between good ones, and an entry holding two of its three
# notices; no wake-up: the poll finds them.
log NB-4 garbage notext badbatch @3:NB-h-:0,2 NB-10
check "the notice after the bad ones is published" mot_wait 60 logged 'notice_published notice_id=NB-10 seq=10 '
check "NB-4 before them too" logged 'notice_published notice_id=NB-4 seq=4 '
check "garbage bytes dropped with their seq and reason" logged 'notice_dropped seq=5 reason=MALFORMED'
check "a notice without text dropped" logged 'notice_dropped seq=6 reason=no_text'
check "an entry that is not a batch dropped" logged 'notice_dropped seq=7 reason=bad_batch'
check "an entry's first held notice gets the next seq" logged 'notice_published notice_id=NB-h-1 seq=8 '
check "its second held one the one after" logged 'notice_published notice_id=NB-h-3 seq=9 '
equals "and not the one it does not hold" 0 "$(published NB-h-2)"

# A malformed wake-up is logged and still wakes it.
notices wake "$MOT_NOTIFIER_COLLECT" twoframes || fail "wake failed"
check "the malformed wake-up is logged" mot_wait 60 logged 'wakeup_unexpected reason=BAD_FRAMING frames=2'
log NB-11
notices wake "$MOT_NOTIFIER_COLLECT" || fail "wake failed"
check "NB-11 is published" mot_wait 60 logged 'notice_published notice_id=NB-11 seq=11 '
equals "the mark is at the last seq" 11 "$(rcli GET mot:notices:published)"
check "the subscriber got NB-11" mot_wait 60 has_notice NB-11
equals "the subscriber got each publishable notice once, in seq order" "NB-1 NB-2 NB-3 NB-4 NB-h-1 NB-h-3 NB-10 NB-11" \
  "$(jq -r .notice_id "$RUN/notices.jsonl" | tr '\n' ' ' | sed 's/ $//')"
equals "with its seq" "1 2 3 4 8 9 10 11" "$(jq -r .seq "$RUN/notices.jsonl" | tr '\n' ' ' | sed 's/ $//')"
equals "as logged (the watcher's text)" "texto NB-11" "$(jq -r 'select(.notice_id == "NB-11") | .text' "$RUN/notices.jsonl")"

# Down: the log grows with unpublished notices, and nothing trims them;
# back up, it publishes them once, and nothing old again (its log lines say
# so: a subscriber may miss what goes out the moment the notifier is back,
# before it has reconnected, and catches up from the log).
mot_kill_service "$RUN" notifier
entries_before=$(rcli XLEN mot:notices)
log NB-late-1 NB-late-2 @4:NB-late-b-
equals "unpublished notices are kept" $((entries_before + 3)) "$(rcli XLEN mot:notices)"
start_notifier 2
check "the notices logged while it was down are published" mot_wait 60 logged 'notice_published notice_id=NB-late-b-4 seq=17 '
equals "each once" "1 1 1 1 1 1" \
  "$(for id in NB-late-1 NB-late-2 NB-late-b-1 NB-late-b-2 NB-late-b-3 NB-late-b-4; do printf '%s ' "$(published $id)"; done | sed 's/ $//')"
equals "nothing before the mark again" "1 1 1 1 1" \
  "$(for id in NB-1 NB-2 NB-3 NB-4 NB-10; do printf '%s ' "$(published $id)"; done | sed 's/ $//')"
# The subscriber (motctl subscribe --since 0, no topic filter) may have
# missed those while it reconnected; the next live notice shows the gap in
# seq and it reads the missing ones from the log: everything, once, in order.
log NB-next
check "the subscriber got the next notice" mot_wait 60 has_notice NB-next
equals "and every notice before it, once, in seq order" \
  "1 2 3 4 8 9 10 11 12 13 14 15 16 17 18" "$(jq -r .seq "$RUN/notices.jsonl" | tr '\n' ' ' | sed 's/ $//')"
"$MOTCTL" subscribe --since 9 --count 8 --timeout 30 >"$RUN/replay.jsonl" || fail "replay failed"
equals "the log replays from a seq: 10..17" "10 NB-10 11 NB-11 12 NB-late-1 13 NB-late-2 14 NB-late-b-1 15 NB-late-b-2 16 NB-late-b-3 17 NB-late-b-4" \
  "$(jq -r '"\(.seq) \(.notice_id)"' "$RUN/replay.jsonl" | tr '\n' ' ' | sed 's/ $//')"

# The log is trimmed once published: 1000 more in one entry, published, and
# the old entries go (--log-size 4: at least the newest 4 published notices,
# plus up to one watcher batch, since whole entries go).
log @1000:NB-many-
check "a thousand in one entry are published" mot_wait 60 logged 'notice_published notice_id=NB-many-1000 seq=1018 '
trimmed() { [ "$(rcli XLEN mot:notices)" = 2 ]; }
check "the old entries are trimmed" mot_wait 60 trimmed
equals "what stays: the entries of the newest published notices (18, 19..1018)" "18-0 19-0" \
  "$(rcli XRANGE mot:notices - + | grep -aE '^[0-9]+-0$' | tr '\n' ' ' | sed 's/ $//')"

# Someone cuts the log below unpublished entries: reported, the rest goes out.
mot_kill_service "$RUN" notifier
log NB-c-1 NB-c-2 NB-c-3
rcli XTRIM mot:notices MINID 1021 >/dev/null
start_notifier 3
check "the cut is reported" mot_wait 60 logged 'notices_skipped count=2 before_seq=1021 reason=left_the_log_unpublished'
check "what is left is published" mot_wait 60 logged 'notice_published notice_id=NB-c-3 seq=1021 '

# Someone resets the log and its counter under the running notifier (the
# mark stays at 1021): it notices on its next poll and goes on from seq 1.
rcli DEL mot:notices mot:seq:notice >/dev/null
sleep 0.5
log NB-r-1
check "after a reset, the first new notice is published" mot_wait 60 logged 'notice_published notice_id=NB-r-1 seq=1 '
check "the reset is logged" logged 'notice_log_reset mark=1021 '

mot_kill_service "$RUN" notifier
check "the notifier stopped cleanly" grep -q ' stopping reason=signal' "$RUN/log/notifier.log"
check "nothing leaked or misused (sanitizers)" bash -c "! grep -q 'Sanitizer' '$RUN/log/notifier.log'"

echo "$E2E_CHECKS passed, 0 failed"
