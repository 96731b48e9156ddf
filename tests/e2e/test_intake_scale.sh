#!/usr/bin/env bash
# Several intake instances behind one address: upstreams talk to
# the proxy's ingress only; two intakes connect behind it and share the
# load; one dies (SIGKILL) and clients' retries go to the survivor; every
# acknowledged event is classified exactly once.
source "$(dirname "$0")/lib.sh"

# The proxy takes the public ports; intakes connect to its worker side.
export MOT_PROXY_INGRESS=$MOT_INTAKE_INGRESS
export MOT_PROXY_CLASSIFY_OUT=$MOT_CLASSIFIER_INTAKE MOT_PROXY_WATCH_OUT=$MOT_WATCHER_INTAKE
export MOT_PROXY_INGRESS_WORKERS=tcp://127.0.0.1:$((base + 6))
export MOT_PROXY_CLASSIFY_IN=tcp://127.0.0.1:$((base + 7)) MOT_PROXY_WATCH_IN=tcp://127.0.0.1:$((base + 8))

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-20T09:00 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" proxy
for i in 1 2; do
  MOT_INTAKE_INGRESS=">$MOT_PROXY_INGRESS_WORKERS" MOT_INTAKE_CLASSIFY=">$MOT_PROXY_CLASSIFY_IN" \
    MOT_INTAKE_WATCH=">$MOT_PROXY_WATCH_IN" mot_start_service "$RUN" "$MOT_BIN" "intake:$i"
done
for name in classifier deadline-watcher notifier reporter; do
  mot_start_service "$RUN" "$MOT_BIN" "$name"
done
check "the proxy's ingress answers" mot_wait 60 intake_ready
mot_wait 60 "$MOTCTL" items --timeout 1 || fail "reporter did not come up"

events() {   # events FIRST LAST: quejas spread over the 35 OOAD, 5 reasons
  local i reasons=("Trato" "Abasto de medicamentos" "Citas" "Infraestructura" "Oportunidad de la atención")
  for i in $(seq "$1" "$2"); do
    printf '{"type":"queja","source":"UAD","external_id":"S-%d","territory":"OOAD-%02d","reason":"%s","received_on":"2026-11-%02d"}\n' \
      "$i" $((i % 35 + 1)) "${reasons[$((i / 35 % 5))]}" $((i % 19 + 1))
  done
}
events 1 300 | "$MOTCTL" submit >"$RUN/acks1.jsonl" || fail "submit: $(grep -v accepted "$RUN/acks1.jsonl" | head -3)"
equals "300 events accepted through one address" 300 "$(grep -c '"status":"accepted"' "$RUN/acks1.jsonl")"
served() { grep -c ' accepted event_id=' "$RUN/log/intake-$1.log" || true; }
check "both intakes served requests ($(served 1) + $(served 2))" test "$(served 1)" -gt 0 -a "$(served 2)" -gt 0

mot_kill_service "$RUN" intake-1 KILL
events 301 400 | "$MOTCTL" submit --timeout 2 >"$RUN/acks2.jsonl" || fail "submit after a kill: $(grep -v accepted "$RUN/acks2.jsonl" | head -3)"
equals "one intake killed: the next 100 are accepted by the other" 100 "$(grep -c '"status":"accepted"' "$RUN/acks2.jsonl")"

all_classified() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ] && "$MOTCTL" items --csv >"$RUN/items.csv"; }
check "nothing left pending" mot_wait 60 all_classified
total=$(awk -v cols=eventos -f "$MOT_SOURCE/deploy/local/csv.awk" "$RUN/items.csv" | tail -n +2 | awk '{ s += $1 } END { print s }')
equals "every accepted event counted once in the items" 400 "$total"
equals "35 territories × 5 reasons = 175 items" 175 "$(($(wc -l <"$RUN/items.csv") - 1))"

# Authorisation behind the proxy: the intakes see the proxy's connection, yet authorise the upstream,
# whose certificate the proxy forwards with each request (issue #12).
"$MOTCTL" cert create siq-uad --role upstream --units UAD --out "$RUN/siq" >/dev/null || fail "create siq-uad"
as_siq() { MOT_CERT="$RUN/siq" "$MOTCTL" deliver --timeout 5 "$1" quejas-gestiones 2026-10 2026-11-05 2>&1 || true; }
check "through the proxy, the upstream publishes as UAD" grep -q '"status":"accepted"' <<<"$(as_siq UAD)"
check "through the proxy, the upstream may not publish as UCS" grep -q '"code":"FORBIDDEN"' <<<"$(as_siq UCS)"
check "the intake behind the proxy named the upstream, not the proxy" \
  grep -q 'forbidden peer=siq-uad role=upstream source=UCS' "$RUN/log/intake-2.log"
# A client that forges forwarded credentials (role service) gets its request refused as badly framed.
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"
forged=$(MOT_CERT="$RUN/siq" PYTHONPATH="$RUN:$MOT_SOURCE/tests/tools" /usr/bin/python3 - "$MOT_INTAKE_INGRESS" <<'PY'
import sys, zmq, mot_pb2
from curve import secure
dealer = secure(zmq.Context.instance().socket(zmq.DEALER), "intake")
dealer.connect(sys.argv[1])
e = mot_pb2.Envelope(external_id="FORGED-1", source=mot_pb2.UCS)
e.delivery.report, e.delivery.period, e.delivery.delivered_on = "temas-mediaticos", "2026-10", "2026-11-05"
dealer.send_multipart([b"", e.SerializeToString(), b"mot.peer\0ops\0service\0*\0*\0*\0"])
if dealer.poll(5000):
    ack = mot_pb2.Ack.FromString(dealer.recv_multipart()[-1])
    print(mot_pb2.ErrorCode.Name(ack.error.code) if ack.HasField("error") else "accepted")
else:
    print("no answer")
PY
)
equals "forged credentials through the proxy: refused" BAD_FRAMING "$forged"
equals "nothing of it was stored" "" "$(rcli --scan --pattern '*FORGED*')"

echo "$E2E_CHECKS passed, 0 failed"
