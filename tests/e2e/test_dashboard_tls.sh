#!/usr/bin/env bash
# The dashboard over HTTPS (issue #12: "when exposed beyond loopback, serves
# HTTPS … from a configured certificate"). The test makes a throwaway CA and
# a server certificate for 127.0.0.1 with openssl, starts the reporter with
# --http-cert/--http-key (MOT_REPORTER_HTTP_CERT/KEY) and checks:
#  - curl trusting only that CA loads the login form, signs in (a Secure,
#    HttpOnly cookie), and loads the register pages; without the CA the
#    certificate is refused; every answer carries Strict-Transport-Security;
#  - the certificate served is the configured one (its SHA-256 fingerprint);
#  - plain HTTP to the same port gets no page at all;
#  - headless Chromium, trusting only the server's key, loads the login and
#    the MUPOI (tests/tools/dashboard_tls_browser.py);
#  - nothing of the key reaches a log;
# and, each with a second reporter on ports of its own, the refusals: plain
# HTTP on a non-loopback address (0.0.0.0) refused with http_tls_required
# unless --http-plain yes; a certificate without its key; a key that is not
# the certificate's; an unreadable certificate. A refused dashboard leaves
# the reporter answering queries.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_ESCALATE_EVERY_BD=0 MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv
ARTEFACTS=${MOT_TEST_ARTEFACTS:-$RUN/artefacts}
mkdir -p "$ARTEFACTS" "$RUN/tls"
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'demo\t%s\tanalista\n' "$(openssl passwd -6 "$password")" >"$RUN/accounts.tsv"

# --- a throwaway CA and the server's certificate -----------------------------
T=$RUN/tls
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec_key "$T/ca.key"
openssl req -x509 -new -key "$T/ca.key" -out "$T/ca.pem" -days 2 -subj "/CN=MOT e2e CA" 2>/dev/null ||
  fail "make the CA"
ec_key "$T/server.key"
openssl req -new -key "$T/server.key" -out "$T/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null || fail "make the CSR"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$T/server.ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
  -extfile "$T/server.ext" -out "$T/server.pem" 2>/dev/null || fail "sign the server certificate"
ec_key "$T/other.key"
chmod 600 "$T"/*.key
export MOT_REPORTER_HTTP_CERT=$T/server.pem MOT_REPORTER_HTTP_KEY=$T/server.key

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all
HOSTPORT=$MOT_REPORTER_HTTP
URL=https://$HOSTPORT
TLS=(--cacert "$T/ca.pem")
https_up() { curl -s "${TLS[@]}" -o /dev/null "$URL/login"; }
check "the dashboard listens over HTTPS" mot_wait 60 https_up
check "and says so in the log" grep -q "dashboard_serving http=$HOSTPORT tls=yes" "$RUN/log/reporter.log"

submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 >/dev/null || fail "submit $1"; }
item_of() { "$MOTCTL" items --csv >"$RUN/items.csv" && csv_field "$RUN/items.csv" tema "$1" id; }
submit '{"type":"finding","source":"UEOD","external_id":"T-1","territory":"OOAD-15","topic":"Desabasto de insulina","found_on":"2026-10-19","impact":8,"frequency":7}'
submit '{"type":"finding","source":"UEOD","external_id":"T-2","territory":"OOAD-02","topic":"Quejas por trato","found_on":"2026-10-19","impact":4,"frequency":8}'
a=$(item_of "Desabasto de insulina"); b=$(item_of "Quejas por trato")

# --- HTTPS with curl ------------------------------------------------------------
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
equals "the login form over HTTPS, trusting the test CA" 200 "$(code "${TLS[@]}" "$URL/login")"
curl -s -o /dev/null "$URL/login" && fail "a client without the CA accepted the certificate"
equals "without the CA the certificate is refused (curl: 60, peer certificate not verified)" 60 \
  "$(curl -s -o /dev/null "$URL/login"; echo $?)"
fingerprint() { openssl x509 -noout -fingerprint -sha256 | cut -d= -f2; }
served=$(openssl s_client -connect "$HOSTPORT" -servername 127.0.0.1 </dev/null 2>/dev/null | fingerprint)
equals "the certificate served is the configured one" "$(fingerprint <"$T/server.pem")" "$served"

curl -s "${TLS[@]}" -D "$RUN/login.headers" -c "$RUN/jar" -o /dev/null \
  -d "usuario=demo&contrasena=$password" "$URL/login"
equals "the login answers 303 to the home page" "303 /" \
  "$(awk 'NR == 1 { s = $2 } tolower($1) == "location:" { l = $2 } END { print s, l }' "$RUN/login.headers" | tr -d '\r')"
cookie=$(grep -i '^set-cookie: mot_session=' "$RUN/login.headers" | tr -d '\r')
check "the session cookie is Secure" grep -q '; Secure$' <<<"$cookie"
check "and HttpOnly, SameSite=Strict" grep -q 'HttpOnly; SameSite=Strict' <<<"$cookie"
check "curl keeps it as a secure cookie (jar column 4: TRUE)" \
  awk -F'\t' '$6 == "mot_session" && $4 == "TRUE" { found = 1 } END { exit !found }' "$RUN/jar"
check "answers carry Strict-Transport-Security" grep -qi '^strict-transport-security: max-age=31536000' \
  "$RUN/login.headers"
for page in / mupoi muro "mapa?tipo=mupoi" obligaciones; do
  equals "/${page#/} over HTTPS after login" 200 "$(code "${TLS[@]}" -b "$RUN/jar" "$URL/${page#/}")"
done
curl -s "${TLS[@]}" -b "$RUN/jar" "$URL/mupoi" >"$RUN/mupoi.html"
python3 "$MOT_SOURCE/tests/tools/page_check.py" "$RUN/mupoi.html" >"$RUN/mupoi.json"
equals "the MUPOI over HTTPS lists both problemáticas" "$(printf '%s\n' "$a" "$b" | sort | paste -sd' ')" \
  "$(summary_value mupoi '" ".join(sorted(r["id"] for r in s["tables"][""]))')"
equals "logging out over HTTPS clears the cookie, Secure too" 1 \
  "$(curl -s "${TLS[@]}" -b "$RUN/jar" -D - -o /dev/null -X POST "$URL/logout" | tr -d '\r' |
     grep -ci '^set-cookie: mot_session=;.*Max-Age=0; Secure$')"

# --- plain HTTP to the TLS port -------------------------------------------------
plain_status=0
plain_code=$(curl -s -m 10 -o "$RUN/plain.out" -w '%{http_code}' "http://$HOSTPORT/login") || plain_status=$?
equals "plain HTTP to the HTTPS port: no HTTP answer" 000 "$plain_code"
check "curl reports the failed exchange (exit status $plain_status)" test "$plain_status" -ne 0
check "and no page came back" test ! -s "$RUN/plain.out"

# --- headless Chromium over HTTPS --------------------------------------------------
spki=$(openssl x509 -in "$T/server.pem" -pubkey -noout | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64)
check "Chromium over HTTPS: the login and the MUPOI" python3 "$MOT_SOURCE/tests/tools/dashboard_tls_browser.py" \
  "$URL" demo "$password" "$ARTEFACTS" "$spki" "$a" "$b"

# --- refusals, each by a second reporter with ports of its own ------------------------
# second_reporter LABEL HTTP [ARGS...]: a reporter without the first one's
# certificate settings, its query socket on +6, the report generation off;
# waits until it logs ready.
second_reporter() {
  local label=$1 http=$2
  shift 2
  MOT_REPORTER_HTTP_CERT='' MOT_REPORTER_HTTP_KEY='' mot_start_service "$RUN" "$MOT_BIN" "reporter:$label" \
    --query "tcp://127.0.0.1:$((base + 6))" --http "$http" --report-obligation off "$@"
  ready() { grep -q ' ready ' "$RUN/log/reporter-$label.log"; }
  mot_wait 60 ready || fail "the $label reporter did not start"
}
stop_second() { mot_kill_service "$RUN" "reporter-$1"; }
logged() { grep -c "$2" "$RUN/log/reporter-$1.log" || true; }
port_free() { ! port_taken "$1"; }

second_reporter plain "0.0.0.0:$((base + 7))"
equals "plain HTTP on 0.0.0.0 without TLS: refused, typed" 1 "$(logged plain 'ERROR reporter http_tls_required address=0.0.0.0:')"
check "nothing listens on its port" port_free $((base + 7))
check "the refused reporter still answers queries" env MOT_REPORTER_QUERY="tcp://127.0.0.1:$((base + 6))" \
  "$MOTCTL" items --timeout 5 >/dev/null
stop_second plain

second_reporter proxied "0.0.0.0:$((base + 7))" --http-plain yes
proxied_up() { [ "$(code "http://127.0.0.1:$((base + 7))/login")" = 200 ]; }
check "with --http-plain yes it serves plain HTTP beyond loopback (a TLS proxy in front)" mot_wait 30 proxied_up
equals "and its cookie is not Secure (the proxy's side is plain)" 0 \
  "$(curl -s -D - -o /dev/null -d "usuario=demo&contrasena=$password" "http://127.0.0.1:$((base + 7))/login" |
     grep -ci '^set-cookie:.*secure')"
stop_second proxied

second_reporter lone-cert "127.0.0.1:$((base + 8))" --http-cert "$T/server.pem"
equals "a certificate without its key: refused" 1 "$(logged lone-cert 'http_failed reason="--http-cert and --http-key go together"')"
stop_second lone-cert
second_reporter wrong-key "127.0.0.1:$((base + 8))" --http-cert "$T/server.pem" --http-key "$T/other.key"
equals "a key that is not the certificate's: refused" 1 \
  "$(logged wrong-key 'http_failed address=127.0.0.1:[0-9]* reason="cannot listen, or the certificate and key do not load as a pair"')"
check "nothing listens on its port" port_free $((base + 8))
stop_second wrong-key
second_reporter no-cert "127.0.0.1:$((base + 8))" --http-cert "$T/missing.pem" --http-key "$T/server.key"
equals "an unreadable certificate: refused, by its path" 1 \
  "$(logged no-cert "http_failed cert=$T/missing.pem reason=\"cannot read the certificate\"")"
stop_second no-cert

# --- the key never logged ------------------------------------------------------------
key_line=$(grep -v '^-----' "$T/server.key" | head -1)
check "no line of the private key in any log" bash -c "! grep -rqF -- '$key_line' '$RUN/log'"
check "no password in any log" bash -c "! grep -rqF -- '$password' '$RUN/log'"
echo "checks: $E2E_CHECKS"
