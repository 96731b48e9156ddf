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
# A plain client retries every 100 ms for 3 s: at most a line a second, each saying how many it stands for.
refusals() { grep -c 'peer_refused reason=[a-z_]* socket=ingress' "$RUN/log/intake.log" || true; }
before=$(refusals)
MOT_CURVE=off "$MOTCTL" deliver --timeout 3 UAD quejas-gestiones 2026-10 2026-11-06 2>/dev/null || true
sleep 1.2
check "a plain client retrying for 3 s makes 1 to 5 lines, not one per try" \
  bash -c "[ $(($(refusals) - before)) -ge 1 ] && [ $(($(refusals) - before)) -le 5 ]"

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
