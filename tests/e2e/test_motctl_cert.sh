#!/usr/bin/env bash
# motctl cert (issue #12): the ops team's CURVE certificates. A client's
# keypair goes to its holder (the secret readable by the owner only) and its
# public certificate, with the metadata authorisation reads, into clients/;
# a service's keypair into servers/; list shows them; revoke moves one to
# revoked/. Bad names, roles, units, registers, metadata zauth cannot carry
# (above 400 bytes) and a name in use are refused. The files are real CURVE
# certificates: a pyzmq server that authenticates clients/ (ZAP) serves the
# holder with its keypair and refuses a key that is not there.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
CERTS="$RUN/ops-certs"   # not the run's own (lib.sh), to see every file this test makes
export MOT_CERTS=$CERTS
cert() { "$MOTCTL" cert "$@"; }

cert create siq-uad --role upstream --units UAD --out "$RUN/siq" >"$RUN/create.json" || fail "create siq-uad"
equals "the holder's keypair and the certificate in clients/" \
  "$RUN/siq_secret|$CERTS/clients/siq-uad.cert" "$(jq -r '"\(.secret)|\(.certificate)"' "$RUN/create.json")"
equals "the secret is readable by its owner only" 600 "$(stat -c %a "$RUN/siq_secret")"
check "no secret stays in the directory" bash -c "! ls -R '$CERTS' | grep -q secret"
cert create dpm-analista --role analyst --units UEOD,CAPSOI --registers mupoi,muro,audit --out "$RUN/dpm" >/dev/null ||
  fail "create dpm-analista"
cert create tdoe-alertas --role subscriber --topics report/TDOE,escalation/ --out "$RUN/tdoe" >/dev/null ||
  fail "create tdoe-alertas"
cert create intake --role service --server >/dev/null || fail "create intake"
equals "a service's secret stays with it, owner only" 600 "$(stat -c %a "$CERTS/servers/intake.cert_secret")"
equals "the folders of public certificates are readable by the services' users" "755 755" \
  "$(stat -c %a "$CERTS/clients") $(stat -c %a "$CERTS/servers")"

cert list >"$RUN/list.jsonl" || fail "list"
equals "list: every certificate with its metadata and state (a service's is also a client's)" \
  'dpm-analista;analyst;UEOD,CAPSOI;mupoi,muro,audit;;active|intake;service;;;;active|intake;service;;;;server|siq-uad;upstream;UAD;;;active|tdoe-alertas;subscriber;;;report/TDOE,escalation/;active|' \
  "$(jq -r '"\(.name);\(.role);\(.units);\(.registers);\(.topics);\(.state)"' "$RUN/list.jsonl" | sort | tr '\n' '|')"
equals "the public key listed is the holder's" \
  "$(jq -r .public_key "$RUN/create.json")" "$(jq -r 'select(.name == "siq-uad") | .public_key' "$RUN/list.jsonl")"
# The fingerprint logs show (peer_refused): the first 8 bytes of SHA-256 of the raw 32-byte key, in hex.
equals "the fingerprint listed is SHA-256 of the key" \
  "$("$PY" -c 'import hashlib, sys, zmq.utils.z85 as z; print(hashlib.sha256(z.decode(sys.argv[1])).hexdigest()[:16])' \
    "$(jq -r .public_key "$RUN/create.json")")" \
  "$(jq -r 'select(.name == "siq-uad") | .fingerprint' "$RUN/list.jsonl")"

# --- refusals ------------------------------------------------------------------------------
refused() {   # refused WHAT ARGS...: exit 2, nothing written
  local what=$1
  shift
  local before
  before=$(find "$CERTS" -type f | sort | md5sum)
  check "$what is refused" bash -c "'$MOTCTL' cert create $* 2>/dev/null; [ \$? = 2 ]"
  equals "$what: nothing written" "$before" "$(find "$CERTS" -type f | sort | md5sum)"
}
refused "a name with a slash" "../etc --role upstream --out $RUN/x"
refused "an unknown role" "x --role root --out $RUN/x"
refused "an unknown unit" "x --role upstream --units IMSS --out $RUN/x"
refused "an unknown register" "x --role viewer --registers everything --out $RUN/x"
refused "neither --out nor --server" "x --role viewer"
refused "metadata zauth cannot carry" "x --role subscriber --topics $(printf 'overdue/UAD/quejas-gestiones/OOAD-%02d,' $(seq 1 20))x --out $RUN/x"
check "a name in use is refused" bash -c "! '$MOTCTL' cert create siq-uad --role upstream --units UAD --out '$RUN/again' 2>/dev/null"

# --- real CURVE certificates ---------------------------------------------------------------------
curve() {   # curve CLIENT_SECRET_FILE: a REQ with that keypair to a ZAP-checked REP; prints ok or refused
  "$PY" - "$CERTS" "$1" <<'EOF'
import glob, sys, zmq, zmq.auth
from zmq.auth.thread import ThreadAuthenticator
certs, client_file = sys.argv[1], sys.argv[2]


class Clients:
    """The public keys of clients/*.cert, read at each connection (as zauth's store does)."""
    def callback(self, domain, key):
        return key in {zmq.auth.load_certificate(f)[0] for f in glob.glob(f"{certs}/clients/*.cert")}


context = zmq.Context.instance()
auth = ThreadAuthenticator(context)
auth.start()
auth.configure_curve_callback(domain="*", credentials_provider=Clients())
server_public, server_secret = zmq.auth.load_certificate(f"{certs}/servers/intake.cert_secret")
server = context.socket(zmq.REP)
server.curve_secretkey, server.curve_publickey, server.curve_server = server_secret, server_public, True
port = server.bind_to_random_port("tcp://127.0.0.1")
client_public, client_secret = zmq.auth.load_certificate(client_file)
client = context.socket(zmq.REQ)
client.curve_secretkey, client.curve_publickey, client.curve_serverkey = client_secret, client_public, server_public
client.connect(f"tcp://127.0.0.1:{port}")
client.send(b"hola")
if server.poll(2000):
    server.send(server.recv())
    print("ok" if client.poll(2000) and client.recv() == b"hola" else "no answer")
else:
    print("refused")
auth.stop()
EOF
}
equals "the holder's keypair authenticates against clients/" ok "$(curve "$RUN/siq_secret")"
"$PY" -c 'import zmq.auth, sys; zmq.auth.create_certificates(sys.argv[1], "stranger")' "$RUN" || fail "a stranger's keypair"
equals "a key that is not in clients/ is refused" refused "$(curve "$RUN/stranger.key_secret")"

# --- revoke ------------------------------------------------------------------------------------------
cert revoke siq-uad >/dev/null || fail "revoke"
check "revoked: out of clients/" test ! -e "$CERTS/clients/siq-uad.cert"
equals "listed as revoked" revoked "$(cert list | jq -r 'select(.name == "siq-uad") | .state')"
equals "the revoked holder is refused" refused "$(curve "$RUN/siq_secret")"
check "revoking what is not there fails" bash -c "! '$MOTCTL' cert revoke nadie 2>/dev/null"

echo "$E2E_CHECKS passed, 0 failed"
