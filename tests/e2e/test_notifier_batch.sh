#!/usr/bin/env bash
# The notifier tails the notice log (services/notifier/publisher.h): notices
# are put into mot:notices exactly as a watcher's script does (seq counter
# and LPUSH in one step), and the notifier must
# - publish a backlog logged while it was not running, on start, with no
#   wake-up;
# - publish each entry once, in seq order, as logged (the watcher's text);
# - drop what is not a publishable notice (garbage bytes, a seq that is not
#   its place, no text), logged with the seq and the reason, without
#   costing the entries around it;
# - find new entries by polling when no wake-up comes, take a malformed
#   wake-up as a wake-up (logged);
# - trim the log to --log-size once published, never an unpublished entry;
# - go on after a restart from its mark: nothing published twice;
# - report entries cut from the log before they were published;
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
  mot_start_service "$RUN" "$MOT_BIN" notifier --log-size 4 --poll-ms 100 --batch 3
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

# Bad entries between good ones; no wake-up: the poll finds them.
log NB-4 garbage wrongseq notext NB-8
check "the entry after the bad ones is published" mot_wait 60 logged 'notice_published notice_id=NB-8 seq=8 '
check "NB-4 before them too" logged 'notice_published notice_id=NB-4 seq=4 '
check "garbage dropped with its seq and reason" logged 'notice_dropped seq=5 reason=MALFORMED'
check "a seq out of place dropped" logged 'notice_dropped seq=6 reason=wrong_seq'
check "a notice without text dropped" logged 'notice_dropped seq=7 reason=no_text'

# A malformed wake-up is logged and still wakes it.
notices wake "$MOT_NOTIFIER_COLLECT" twoframes || fail "wake failed"
check "the malformed wake-up is logged" mot_wait 60 logged 'wakeup_unexpected reason=BAD_FRAMING frames=2'
log NB-9
notices wake "$MOT_NOTIFIER_COLLECT" || fail "wake failed"
check "NB-9 is published" mot_wait 60 logged 'notice_published notice_id=NB-9 seq=9 '
equals "the mark is at the last seq" 9 "$(rcli GET mot:notices:published)"
equals "the log is trimmed to --log-size (4): seqs 6..9 stay" 4 "$(rcli LLEN mot:notices)"
check "the subscriber got NB-9" mot_wait 60 has_notice NB-9
equals "the subscriber got each publishable notice once, in seq order" "NB-1 NB-2 NB-3 NB-4 NB-8 NB-9" \
  "$(jq -r .notice_id "$RUN/notices.jsonl" | tr '\n' ' ' | sed 's/ $//')"
equals "as logged (the watcher's text)" "texto NB-9" "$(jq -r 'select(.notice_id == "NB-9") | .text' "$RUN/notices.jsonl")"

# Down: the log grows past --log-size with unpublished notices, and nothing
# trims them; back up, it publishes them once, and nothing old again (its
# log lines say so: a subscriber may miss what goes out the moment the
# notifier is back, before it has reconnected, and catches up from the log).
mot_kill_service "$RUN" notifier
log @6:NB-late-
equals "unpublished notices are kept" 10 "$(rcli LLEN mot:notices)"
start_notifier 2
check "the notices logged while it was down are published" mot_wait 60 logged 'notice_published notice_id=NB-late-6 seq=15 '
equals "each once" "1 1 1 1 1 1" "$(for i in 1 2 3 4 5 6; do printf '%s ' "$(published NB-late-$i)"; done | sed 's/ $//')"
equals "nothing before the mark again" "1 1 1 1 1" \
  "$(for id in NB-1 NB-2 NB-3 NB-4 NB-8; do printf '%s ' "$(published $id)"; done | sed 's/ $//')"

# Someone cuts the log below unpublished entries: reported, the rest goes out.
mot_kill_service "$RUN" notifier
log NB-16 NB-17 NB-18
rcli LTRIM mot:notices 0 0 >/dev/null
start_notifier 3
check "the cut is reported" mot_wait 60 logged 'notices_skipped count=2 before_seq=18 reason=left_the_log_unpublished'
check "what is left is published" mot_wait 60 logged 'notice_published notice_id=NB-18 seq=18 '


mot_kill_service "$RUN" notifier
check "the notifier stopped cleanly" grep -q ' stopping reason=signal' "$RUN/log/notifier.log"
check "nothing leaked or misused (sanitizers)" bash -c "! grep -q 'Sanitizer' '$RUN/log/notifier.log'"

echo "$E2E_CHECKS passed, 0 failed"
