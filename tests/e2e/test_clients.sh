#!/usr/bin/env bash
# The README's minimal publishers (tools/examples/lazy_pirate.c and .py)
# against the real intake: accepted, a retry recognised as a duplicate with
# the original event id, and the Lazy Pirate retry carrying an event over an
# intake restart.
source "$(dirname "$0")/lib.sh"
e2e_start_all
C="$MOT_BIN/lazy_pirate"
PY=/usr/bin/python3

first=$("$C" "$MOT_INTAKE_INGRESS" C-1)
check "C client: accepted" grep -q '^accepted C-1 event_id=ev-[0-9]* duplicate=0$' <<<"$first"
again=$("$C" "$MOT_INTAKE_INGRESS" C-1)
equals "C client: the retry gets the original id, flagged duplicate" \
  "$(sed 's/duplicate=0/duplicate=1/' <<<"$first")" "$again"

protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
py() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tools/examples/lazy_pirate.py" "$@"; }
first=$(py "$MOT_INTAKE_INGRESS" PY-1)
check "Python client: accepted" grep -q '^accepted PY-1 event_id=ev-[0-9]* duplicate=0$' <<<"$first"
again=$(py "$MOT_INTAKE_INGRESS" PY-1)
equals "Python client: the retry gets the original id, flagged duplicate" \
  "$(sed 's/duplicate=0/duplicate=1/' <<<"$first")" "$again"

# Intake away when the client sends: the first try times out, a later one lands.
mot_kill_service "$RUN" intake KILL
"$C" "$MOT_INTAKE_INGRESS" C-2 >"$RUN/c2.out" 2>"$RUN/c2.err" &
client=$!
sleep 3
mot_start_service "$RUN" "$MOT_BIN" intake
wait $client || fail "the client gave up: $(cat "$RUN/c2.err")"
check "Lazy Pirate: the first try got no answer" grep -q 'no answer' "$RUN/c2.err"
check "Lazy Pirate: a retry was accepted" grep -q '^accepted C-2 ' "$RUN/c2.out"

echo "$E2E_CHECKS passed, 0 failed"
