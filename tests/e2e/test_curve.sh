#!/usr/bin/env bash
# CURVE on every socket (issue #12), against the five real services with the
# run's throwaway certificates (lib.sh): a client without CURVE and a client
# whose key is not in clients/ are refused on every kind of socket and
# logged (peer_refused, with the key's fingerprint when there is a key); a
# certificate added or revoked while the services run takes effect at the
# next connection, without a restart; the internal sockets are CURVE too;
# a service without its keypair does not start.
source "$(dirname "$0")/lib.sh"
e2e_start_all
cert() { "$MOTCTL" cert "$@"; }
log_has() {   # log_has SERVICE PATTERN: the service logged a line matching PATTERN (within 5 s)
  mot_wait 5 grep -q -E "$2" "$RUN/log/$1.log"
}
query_works() { "$MOTCTL" items --timeout 2 >/dev/null 2>&1; }

check "the run's own keypair is served" query_works
check "every service said CURVE is on" bash -c "[ \$(grep -l ' curve_on ' '$RUN'/log/{intake,classifier,deadline-watcher,notifier,reporter}.log | wc -l) = 5 ]"

# --- a client without CURVE ---------------------------------------------------------------
check "a plain query is not answered" bash -c "! MOT_CURVE=off '$MOTCTL' items --timeout 2 2>/dev/null"
check "the reporter logged the plain client" log_has reporter 'WARN reporter peer_refused reason=(not_curve|handshake) socket=query '
check "a plain upstream gets no ack" bash -c "! MOT_CURVE=off '$MOTCTL' deliver --timeout 2 UAD quejas-gestiones 2026-10 2026-11-05 2>/dev/null"
check "intake logged the plain client" log_has intake 'peer_refused reason=(not_curve|handshake) socket=ingress '
# An internal socket: a plain PULL on intake's dispatch to the classifiers.
/usr/bin/python3 - "$MOT_INTAKE_CLASSIFY" <<'PY'
import sys, time, zmq
pull = zmq.Context.instance().socket(zmq.PULL)
pull.connect(sys.argv[1])
time.sleep(1)
PY
check "intake's dispatch socket refused a plain PULL" log_has intake 'peer_refused reason=(not_curve|handshake) socket=classify '
# A certificate in clients/ is not enough to take dispatches: intake's dispatch socket is the
# classifier's CURVE client, so only the holder of the classifier's secret key gets events.
"$MOTCTL" cert create intruso --role upstream --units UAD --out "$RUN/intruso" >/dev/null || fail "create intruso"
# It tries both ways: as a CURVE client expecting intake's key, and as a server with its own.
MOT_CERT="$RUN/intruso" /usr/bin/python3 - "$MOT_INTAKE_CLASSIFY" "$MOT_CERTS" >"$RUN/intruder.out" 2>&1 <<'PY' &
import os, sys, zmq, zmq.auth
public, secret = zmq.auth.load_certificate(os.environ["MOT_CERT"] + "_secret")
intake, _ = zmq.auth.load_certificate(f"{sys.argv[2]}/servers/intake.cert")
context = zmq.Context.instance()
as_client, as_server = context.socket(zmq.PULL), context.socket(zmq.PULL)
for pull in (as_client, as_server):
    pull.curve_publickey, pull.curve_secretkey = public, secret
as_client.curve_serverkey = intake
as_server.curve_server = True
for pull in (as_client, as_server):
    pull.connect(sys.argv[1])
got = 0
for _ in range(40):
    for pull in (as_client, as_server):
        while pull.poll(50):
            pull.recv_multipart()
            got += 1
print("got", got, flush=True)
PY
intruder=$!
sleep 1
# Ten events: PUSH deals them round-robin, so an intruder let in would get about half.
for i in $(seq 1 10); do
  printf '{"type":"queja","source":"UAD","external_id":"CV-Q%d","territory":"OOAD-09","reason":"Trato","received_on":"2026-10-20"}\n' "$i"
done | "$MOTCTL" submit --wait --timeout 10 >"$RUN/q.acks" || true
wait $intruder || true
equals "a certified intruder on the dispatch socket got no event" "got 0" "$(cat "$RUN/intruder.out")"
equals "the real classifier got all ten" 10 "$(grep -c '"outcome":"applied"' "$RUN/q.acks")"
check "intake logged the failed handshake" log_has intake 'peer_refused reason=[a-z_]+ socket=classify '

# --- a key the ops team never certified ------------------------------------------------------
cert create forastero --role analyst --units '*' --registers '*' --topics '*' --out "$RUN/forastero" \
  --dir "$RUN/elsewhere" >/dev/null || fail "create a keypair elsewhere"
stranger=$(cert list --dir "$RUN/elsewhere" | jq -r 'select(.name == "forastero") | .fingerprint')
check "the stranger's query is not answered" bash -c "! MOT_CERT='$RUN/forastero' '$MOTCTL' items --timeout 2 2>/dev/null"
check "the reporter logged the stranger's fingerprint" log_has reporter "peer_refused reason=unknown_key fingerprint=$stranger address=127.0.0.1"
check "the stranger's events get no ack" bash -c \
  "! MOT_CERT='$RUN/forastero' '$MOTCTL' deliver --timeout 2 UAD quejas-gestiones 2026-10 2026-11-05 2>/dev/null"
check "intake logged the stranger's fingerprint" log_has intake "peer_refused reason=unknown_key fingerprint=$stranger "
check "the stranger gets no notice" bash -c \
  "! MOT_CERT='$RUN/forastero' '$MOTCTL' subscribe --since 0 --count 1 --timeout 3 >/dev/null 2>&1"
check "the notifier logged the stranger's fingerprint" log_has notifier "peer_refused reason=unknown_key fingerprint=$stranger "
equals "nothing of the stranger's reached Redis" 0 "$(rcli --scan --pattern 'mot:ext:*' | grep -c motctl-UAD || true)"

# --- added and revoked while running ----------------------------------------------------------
cert create llegada --role analyst --units '*' --registers '*' --topics '*' --out "$RUN/llegada" >/dev/null ||
  fail "create a certificate while the services run"
check "a certificate added while running is served at once" bash -c "MOT_CERT='$RUN/llegada' '$MOTCTL' items --timeout 3 >/dev/null"
check "its holder's event is acknowledged" bash -c \
  "MOT_CERT='$RUN/llegada' '$MOTCTL' deliver --timeout 3 UAD quejas-gestiones 2026-10 2026-11-05 >/dev/null"
cert revoke llegada >/dev/null || fail "revoke"
check "once revoked, its next connection is refused" bash -c "! MOT_CERT='$RUN/llegada' '$MOTCTL' items --timeout 2 2>/dev/null"
revoked=$(cert list | jq -r 'select(.name == "llegada") | .fingerprint')
check "and logged with its fingerprint" log_has reporter "peer_refused reason=unknown_key fingerprint=$revoked "
check "the others are still served" query_works
# Twenty plain clients at once, each retrying: at most a line a second, each saying how many it
# stands for, so fewer lines than clients. (Counted by the lines' own seconds: how long the
# clients and the monitor's queue take depends on the machine's load.)
refusal_lines() { grep 'peer_refused reason=[a-z_]* socket=ingress' "$RUN/log/intake.log" || true; }
before=$(refusal_lines | wc -l)
clients=()
for i in $(seq 20); do
  MOT_CURVE=off "$MOTCTL" deliver --timeout 2 UAD quejas-gestiones 2026-10 2026-11-06 >/dev/null 2>&1 &
  clients+=($!)
done
wait "${clients[@]}" || true
sleep 1.2
refusal_lines | tail -n +$((before + 1)) >"$RUN/plain-refusals.log"
check "the plain clients were refused and logged" test -s "$RUN/plain-refusals.log"
equals "at most one line a second (no second with two)" "" "$(cut -c1-20 "$RUN/plain-refusals.log" | sort | uniq -d)"
check "fewer lines than clients: a line stands for several" test "$(wc -l <"$RUN/plain-refusals.log")" -lt 20
check "each line says how many more it stands for" bash -c "! grep -v ' repeated=[0-9]*$' '$RUN/plain-refusals.log'"

# --- a service without its keypair ----------------------------------------------------------
mkdir -p "$RUN/empty"
set +e
MOT_REPORTER_QUERY=tcp://127.0.0.1:$((base + 6)) MOT_REPORTER_HTTP=127.0.0.1:$((base + 7)) \
  timeout 20 "$MOT_BIN/mot-reporter" --certs "$RUN/empty" 2>"$RUN/nokeys.log"
status=$?
set -e
equals "a service without its keypair exits 1" 1 "$status"
check "and says which file it needs" grep -q "certificate_missing what=own path=$RUN/empty/servers/reporter.cert" "$RUN/nokeys.log"

echo "$E2E_CHECKS passed, 0 failed"
