#!/usr/bin/env bash
# The same envelopes from two publishers at once: intake accepts each
# (source, external id) once, however the copies fall into its batches —
# repeated within one batch, or racing between batches — and every copy is
# answered with the same event id (the first accepted, the others flagged
# duplicates); one event is stored per external id, and each is classified
# once.
source "$(dirname "$0")/lib.sh"
N=3000

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-20T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" intake --batch 64
mot_start_service "$RUN" "$MOT_BIN" classifier
check "intake answers" mot_wait 60 intake_ready

publishers=()
for copy in 1 2; do
  "$MOT_BIN/mot-load" --count $N --window 400 --retry-ms 60000 --prefix DUP- --date 2026-11-19 \
    --acks "$RUN/acks$copy.txt" >"$RUN/load$copy.txt" &
  publishers+=($!)
done
wait "${publishers[@]}" || fail "a publisher failed"
for copy in 1 2; do
  equals "publisher $copy: every copy answered as accepted" $N "$(grep -o '^accepted=.*' "$RUN/load$copy.txt" | cut -d= -f2)"
  equals "publisher $copy: no errors" 0 "$(grep -o '^errors=.*' "$RUN/load$copy.txt" | cut -d= -f2)"
  equals "publisher $copy: no copy had to be sent again (none answered UNAVAILABLE)" 0 \
    "$(grep -o '^retries=.*' "$RUN/load$copy.txt" | cut -d= -f2)"
done
dups=$(($(grep -o '^duplicates=.*' "$RUN/load1.txt" | cut -d= -f2) + $(grep -o '^duplicates=.*' "$RUN/load2.txt" | cut -d= -f2)))
equals "of the two copies of each, exactly one was new" $N "$dups"
equals "both copies got the same event id" "" \
  "$(join <(sort "$RUN/acks1.txt") <(sort "$RUN/acks2.txt") | awk '$2 != $3')"
equals "one event id per external id" $N "$(cat "$RUN/acks1.txt" "$RUN/acks2.txt" | sort -u | wc -l)"
equals "one event stored per external id" $N "$(rcli --scan --pattern 'mot:event:*' | wc -l)"
classified() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
check "everything is classified" mot_wait 120 classified
equals "each event counted once in its item" $N \
  "$(for id in $(rcli ZRANGE mot:items:problematica 0 -1); do rcli HGET "mot:item:{$id}" events; done | awk '{ s += $1 } END { print s }')"

# Copies inside one batch: one DEALER sends 50 copies of each of 5 envelopes
# back to back (intake reads up to --batch 64 at once), then reads the 250
# answers.
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
PYTHONPATH="$RUN:$MOT_SOURCE/tests/tools" /usr/bin/python3 - "$MOT_INTAKE_INGRESS" >"$RUN/burst.txt" <<'PY'
import sys, zmq, mot_pb2
from curve import secure
socket = secure(zmq.Context.instance().socket(zmq.DEALER), "intake")
socket.connect(sys.argv[1])
def envelope(n):
    e = mot_pb2.Envelope(external_id=f"BURST-{n}", source=mot_pb2.UCS)
    e.media.territory = "OOAD-21"
    e.media.theme = "Desabasto de medicamentos"
    e.media.published_on = "2026-11-19"
    return e.SerializeToString()
requests = [envelope(n) for n in range(5)]
socket.send_multipart([b"", requests[0]])  # one copy first, then the burst
for copy in range(50):
    for request in requests:
        socket.send_multipart([b"", request])
for _ in range(251):
    if not socket.poll(10000):
        sys.exit("no answer")
    ack = mot_pb2.Ack.FromString(socket.recv_multipart()[-1])
    kind = ack.WhichOneof("result")
    print(ack.external_id, kind, ack.accepted.event_id if kind == "accepted" else ack.error.code,
          int(ack.accepted.duplicate) if kind == "accepted" else "-")
PY
equals "all 251 copies answered accepted" 251 "$(grep -c ' accepted ' "$RUN/burst.txt")"
equals "one event id for each of the 5 envelopes" 5 "$(awk '{ print $1, $3 }' "$RUN/burst.txt" | sort -u | wc -l)"
equals "one copy of each was new, the 246 others duplicates" "5 246" \
  "$(awk '$4 == 0 { n++ } $4 == 1 { d++ } END { print n, d }' "$RUN/burst.txt")"

echo "$E2E_CHECKS passed, 0 failed"
