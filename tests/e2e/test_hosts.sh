#!/usr/bin/env bash
# Several hosts (issue #13): the parts placed on network namespaces this
# test creates, as a deployment would place them on machines:
#
#   host A 10.213.0.1  redis-server (TCP 6379, ACL users), mot-intake, mot-reporter
#   host B 10.213.0.2  mot-classifier ×2
#   host C 10.213.0.3  mot-deadline-watcher, mot-notifier
#   host D 10.213.0.4  a publisher and subscribers (motctl)
#   host E 10.213.0.5  added while everything runs: a third mot-classifier
#
# Each host is a namespace with one veth to a bridge that lives in a sixth,
# "switch" namespace, so the root namespace is not touched; no host has a
# loopback address (lo is up for a host's traffic to itself, but 127.0.0.1
# and ::1 are removed), so anything that assumed 127.0.0.1 (a default
# endpoint, Redis, the dashboard) would fail here. Every process reads the
# same environment (one file for the whole deployment: the endpoints by
# address), CURVE on with the run's certificates, each service its own
# Redis user. It checks: events published from D are acknowledged and
# classified, both classifiers on B getting work; a query from D answers;
# the dashboard answers D over HTTPS; an action's overdue notice reaches a
# live subscriber on D, and a later subscriber on D gets it from the
# catch-up socket; each service reaches Redis over TCP from its own host's
# address as its own user, and nobody without a password gets in; then a
# classifier started on a new host E, with nothing else restarted or
# reconfigured, takes its share of new events; then host A, and later host
# C, lose power (no FIN, no RST) and come back: the classifiers and the
# watcher find the new intake, and a subscriber on D that ran through gets
# the new notifier's notices, all without a restart (TCP keepalive). Each
# host holds only its own keypairs and passwords. Namespaces, veths and
# processes go in the exit trap, failed or not. Needs root and iproute2:
# skipped (77) otherwise. About 40 s (a minute under valgrind).
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
  echo "SKIP: needs root and iproute2 (ip netns)"
  exit 77
fi
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0
NET=10.213.0
declare -A ADDRESS=([a]=$NET.1 [b]=$NET.2 [c]=$NET.3 [d]=$NET.4 [e]=$NET.5)
NS_PREFIX=mot$$
SWITCH=$NS_PREFIX-switch
CREATED=() PORTS=0
declare -A PORT_OF

# --- the hosts ------------------------------------------------------------------------------
ns() { echo "$NS_PREFIX-$1"; }
on_host() {   # on_host HOST: ON_HOST, the command that runs what follows it on HOST with HOST's files
  ON_HOST=(ip netns exec "$(ns "$1")" env MOT_CERTS="$RUN/hosts/$1/certs" MOT_CERT="$RUN/hosts/$1/local.cert"
           MOT_REDIS_SECRETS="$RUN/hosts/$1/redis-secrets")
}
on() {   # on HOST CMD...: runs CMD on that host
  on_host "$1"
  shift
  "${ON_HOST[@]}" "$@"
}
make_switch() {
  ip netns add "$SWITCH" && CREATED+=("$SWITCH") &&
    ip -n "$SWITCH" link add br0 type bridge && ip -n "$SWITCH" link set br0 up
}
add_host() {   # add_host HOST [MAC]: a namespace, its veth to the switch (with that MAC), its address
  local host=$1 name
  name=$(ns "$host")
  PORTS=$((PORTS + 1)) PORT_OF[$host]=$PORTS   # a new switch port each time: a host's old one may linger (below)
  ip netns add "$name" && CREATED+=("$name") &&
    ip -n "$SWITCH" link add "port-$host$PORTS" type veth peer name eth0 netns "$name" &&
    ip -n "$SWITCH" link set "port-$host$PORTS" master br0 up &&
    { [ -z "${2:-}" ] || ip -n "$name" link set eth0 address "$2"; } &&
    ip -n "$name" addr add "${ADDRESS[$host]}/24" dev eth0 && ip -n "$name" link set eth0 up &&
    without_loopback_addresses "$name"
}
# lo up (Linux delivers a host's traffic to its own address through it) but
# without 127.0.0.1 and ::1: nothing on this host can use them.
without_loopback_addresses() {
  ip -n "$1" link set lo up && ip -n "$1" addr flush dev lo
}
delete_hosts() {   # processes still inside first (a namespace lives while one does), then the namespaces
  local name pid
  for name in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  for name in "${CREATED[@]}"; do ip netns delete "$name" 2>/dev/null || true; done
}
trap 'e2e_cleanup; delete_hosts; trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT

make_switch || fail "create the switch namespace"
for host in a b c d; do add_host "$host" || fail "create host $host"; done
tcp_open() { on "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }   # tcp_open HOST ADDRESS PORT (within 3 s)
can_listen() {   # can_listen HOST ADDRESS: a TCP socket can be bound there
  on "$1" /usr/bin/python3 -c 'import socket, sys; socket.socket().bind((sys.argv[1], 0))' "$2" 2>/dev/null
}
no_loopback() { ! on "$1" ip addr show dev lo | grep -q inet && ! can_listen "$1" 127.0.0.1 && can_listen "$1" "${ADDRESS[$1]}"; }
for host in a b c d; do check "host $host has no loopback" no_loopback "$host"; done

# --- what each host holds --------------------------------------------------------------------
# The run's certificates and passwords (lib.sh) stand for the ops team's; each host gets a
# copy of only what it needs, so no host holds another's secret: its services' keypairs and
# Redis passwords, the public certificates of the servers its processes connect to
# (servers/NAME.cert) and of the clients its services let in (clients/NAME.cert).
hold() {   # hold HOST [keypair:NAME | server:NAME | client:NAME | password:USER | operator]...
  local host=$1 item folder
  folder=$RUN/hosts/$host
  shift
  mkdir -p "$folder/certs/servers" "$folder/certs/clients" "$folder/redis-secrets"
  chmod 700 "$folder/redis-secrets"
  for item in "$@"; do
    case $item in
      keypair:*) cp -p "$MOT_CERTS/servers/${item#*:}".cert{,_secret} "$folder/certs/servers/" ;;
      server:*) cp -p "$MOT_CERTS/servers/${item#*:}.cert" "$folder/certs/servers/" ;;
      client:*) cp -p "$MOT_CERTS/clients/${item#*:}.cert" "$folder/certs/clients/" ;;
      password:*) cp -p "$MOT_REDIS_SECRETS/${item#*:}.password" "$folder/redis-secrets/" ;;
      operator) cp -p "$MOT_CERT"{,_secret} "$folder/" ;;
    esac || return 1
  done
}
# A: intake serves the operator (and would serve the upstreams), pushes to classifiers and
# watchers (the servers of those links); the reporter serves the operator.
hold a keypair:intake keypair:reporter server:classifier server:deadline-watcher client:local \
  password:intake password:reporter || fail "the files of host a"
# B (and E, below): a classifier lets intake in.
hold b keypair:classifier client:intake password:classifier || fail "the files of host b"
# C: the watcher lets intake in and wakes the notifier; the notifier lets the watcher and the
# subscribers in.
hold c keypair:deadline-watcher keypair:notifier client:intake client:deadline-watcher client:local \
  password:deadline-watcher password:notifier || fail "the files of host c"
# D: the operator's keypair, the servers it talks to, motctl's Redis password (the clock).
hold d operator server:intake server:reporter server:notifier password:motctl || fail "the files of host d"

# --- one environment for the whole deployment -----------------------------------------------
A=${ADDRESS[a]} C=${ADDRESS[c]}
export MOT_INTAKE_INGRESS=tcp://$A:5550 MOT_REPORTER_QUERY=tcp://$A:5555
export MOT_INTAKE_CLASSIFY=tcp://$A:5551 MOT_CLASSIFIER_INTAKE=tcp://$A:5551
export MOT_INTAKE_WATCH=tcp://$A:5552 MOT_WATCHER_INTAKE=tcp://$A:5552
export MOT_NOTIFIER_COLLECT=tcp://$C:5553 MOT_WATCHER_NOTIFIER=tcp://$C:5553
export MOT_NOTIFIER_PUBLISH=tcp://$C:5554 MOT_NOTIFIER_CATCHUP=tcp://$C:5557
# The dashboard beyond loopback serves HTTPS: a throwaway CA and a certificate for A's address.
T=$RUN/tls
mkdir -p "$T"
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec_key "$T/ca.key" && openssl req -x509 -new -key "$T/ca.key" -out "$T/ca.pem" -days 2 -subj "/CN=MOT hosts CA" 2>/dev/null &&
  ec_key "$T/server.key" &&
  openssl req -new -key "$T/server.key" -out "$T/server.csr" -subj "/CN=$A" 2>/dev/null &&
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$A" >"$T/server.ext" &&
  openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
    -extfile "$T/server.ext" -out "$T/server.pem" 2>/dev/null || fail "make the dashboard's certificate"
chmod 600 "$T"/*.key
export MOT_REPORTER_HTTP=$A:5556 MOT_REPORTER_HTTP_CERT=$T/server.pem MOT_REPORTER_HTTP_KEY=$T/server.key

# --- host A: Redis on A's address (and the harness's unix socket), intake, reporter ----------
MOT_NETNS=$(ns a) mot_start_redis "$RUN" --port 6379 --bind "$A" || fail "start Redis on host a"
export MOT_REDIS=$A:6379   # every process, on every host: Redis over TCP
for host in b c d; do check "host $host reaches Redis on host a" mot_wait 10 tcp_open "$host" "$A" 6379; done
check "Redis keeps protected mode on" bash -c "rcli CONFIG GET protected-mode | grep -qx yes"
on d "$MOTCTL" clock set 2026-11-03T09:00 >/dev/null || fail "set the clock from host d"
start() {   # start HOST NAME[:INSTANCE] [ARGS...]: a service on HOST, with HOST's files
  local host=$1   # (its /metrics on HOST's address: there is no loopback)
  shift
  MOT_NETNS=$(ns "$host") MOT_METRICS=${ADDRESS[$host]}:0 MOT_CERTS=$RUN/hosts/$host/certs MOT_REDIS_SECRETS=$RUN/hosts/$host/redis-secrets \
    mot_start_service "$RUN" "$MOT_BIN" "$@"
}
start a intake
start a reporter
start b classifier:1
start b classifier:2
start c deadline-watcher
start c notifier
intake_ready() { [ "$(on d "$MOT_BIN/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
check "intake answers host d" mot_wait 120 intake_ready
check "the reporter answers host d" mot_wait 120 on d "$MOTCTL" items --timeout 2
uses_files_of() { grep -q "curve_on certs=$RUN/hosts/$2/certs " "$RUN/log/$1.log"; }   # uses_files_of LABEL HOST
for service in intake:a reporter:a classifier-1:b classifier-2:b deadline-watcher:c notifier:c; do
  check "${service%:*} runs with CURVE on and the files of host ${service#*:}" uses_files_of "${service%:*}" "${service#*:}"
done
# established TCP peers of HOST's port PORT whose address is PEER's
peers() { on "$1" ss -Htn state established "( sport = :$2 )" | grep -c " ${ADDRESS[$3]}:" || true; }
peers_are() { [ "$(peers "$1" "$2" "$3")" -ge "$4" ]; }
check "both classifiers on b are connected to intake's dispatch on a" mot_wait 120 peers_are a 5551 b 2
check "the watcher on c is connected to intake's dispatch on a" mot_wait 120 peers_are a 5552 c 1

# --- events from D: acknowledged and classified, both classifiers working --------------------
SUBMITTED=0
submit_round() {   # submit_round N: N findings of distinct topics from host d, each applied
  local i id lines=""
  for i in $(seq "$1"); do
    SUBMITTED=$((SUBMITTED + 1))
    id=H-$SUBMITTED
    lines+="{\"type\":\"finding\",\"source\":\"UEOD\",\"external_id\":\"$id\",\"territory\":\"OOAD-15\",\"topic\":\"Hallazgo $SUBMITTED\",\"found_on\":\"2026-10-20\"}"$'\n'
  done
  printf '%s' "$lines" | on d "$MOTCTL" submit --wait --timeout 60 >"$RUN/acks.jsonl" 2>>"$RUN/log/publisher.log" ||
    fail "submit from host d"
  equals "the $1 events are acknowledged and applied" "$1" \
    "$(grep -c '"status":"accepted".*"outcome":"applied"' "$RUN/acks.jsonl")"
}
applied_by() {   # applied_by LABEL: events the classifier's log says it applied (0 before it started)
  [ -f "$RUN/log/$1.log" ] || { echo 0; return; }
  awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^applied=/) { sub(/applied=/, "", $i); n += $i } } END { print n + 0 }' \
    "$RUN/log/$1.log"
}
# until each named classifier applied some (PUSH deals round-robin to the peers whose
# handshake is done), at most 6 rounds of 10
submit_until_working() {
  local round label idle
  for round in 1 2 3 4 5 6; do
    submit_round 10
    idle=0
    for label in "$@"; do [ "$(applied_by "$label")" -gt 0 ] || idle=1; done
    [ "$idle" = 0 ] && return 0
  done
  return 1
}
check "both classifiers on host b get work" submit_until_working classifier-1 classifier-2
total_applied() { echo $(($(applied_by classifier-1) + $(applied_by classifier-2) + $(applied_by classifier-3))); }
equals "each event was applied once, by one classifier" "$SUBMITTED" "$(total_applied)"
listed() {   # listed FILE: how many of the findings submitted have their item in the register
  local i n=0
  for i in $(seq "$SUBMITTED"); do
    [ -n "$(csv_field "$1" tema "Hallazgo $i" id)" ] && n=$((n + 1))
  done
  echo "$n"
}
on d "$MOTCTL" mupoi --csv >"$RUN/mupoi.csv" || fail "query the MUPOI from host d"
equals "the MUPOI queried from host d lists an item per finding" "$SUBMITTED" "$(listed "$RUN/mupoi.csv")"
https_login() { [ "$(on d curl -s --cacert "$T/ca.pem" -o /dev/null -w '%{http_code}' "https://$A:5556/login")" = 200 ]; }
check "the dashboard on a answers host d over HTTPS" mot_wait 60 https_login

# --- notices to D: live, and through the catch-up socket --------------------------------------
echo '{"type":"action","source":"UEOD","external_id":"H-A1","action_id":"AC-H-1","kind":"accion-correctiva","due_on":"2026-11-10","responsible":"DA"}' |
  on d "$MOTCTL" submit >/dev/null || fail "submit the action from host d"
created() { on d "$MOTCTL" obligations --csv | grep -q 'AC-H-1'; }
check "the watcher on c made the action an obligation" mot_wait 120 created
check "the watcher committed it" mot_wait 120 quiet
on_host d
setsid "${ON_HOST[@]}" "$MOTCTL" subscribe --topic overdue/ --count 1 --timeout 300 \
  >"$RUN/live.jsonl" 2>"$RUN/log/subscriber-live.log" &
echo $! >"$RUN/pids/subscriber-live.pid"
check "the subscriber on d is connected to the notifier's publisher on c" mot_wait 120 peers_are c 5554 d 1
on d "$MOTCTL" clock set 2026-11-11T09:00 >/dev/null || fail "move the clock from host d"
overdue='"notice_id":"UEOD:accion-correctiva:AC-H-1|overdue'
got_live() { grep -q "$overdue" "$RUN/live.jsonl"; }
check "the overdue notice reaches the live subscriber on d" mot_wait 120 got_live
# A subscriber that comes after it: the notice is only in the log, which it reads through
# the notifier's catch-up socket (it has no Redis: MOT_REDIS is taken away).
on d env -u MOT_REDIS -u MOT_REDIS_SECRETS "$MOTCTL" subscribe --topic overdue/ --since 0 --count 1 --timeout 120 \
  >"$RUN/late.jsonl" 2>"$RUN/log/subscriber-late.log" || fail "the late subscriber on d"
check "a later subscriber on d gets it from the catch-up socket on c" grep -q "$overdue" "$RUN/late.jsonl"

# --- Redis: each service over TCP from its own host, as its own user ---------------------------
rcli CLIENT LIST >"$RUN/clients.txt" || fail "CLIENT LIST"
from() {   # from USER HOST: a connection of USER from HOST's address
  grep -q "addr=${ADDRESS[$2]}:[0-9]* .* user=$1 " "$RUN/clients.txt"
}
check "intake reaches Redis from a" from intake a
check "the reporter reaches Redis from a" from reporter a
check "the classifiers reach Redis from b" from classifier b
check "the watcher reaches Redis from c" from deadline-watcher c
check "the notifier reaches Redis from c" from notifier c
check "no service reaches Redis from another host" \
  bash -c "! grep -E 'user=(intake|reporter|classifier|deadline-watcher|notifier) ' '$RUN/clients.txt' | grep -vE 'addr=($A|${ADDRESS[b]}|$C):'"
no_password=$(on d redis-cli -h "$A" -p 6379 PING 2>&1 || true)
check "host d without a password is refused by Redis" grep -q NOAUTH <<<"$no_password"

# --- a new host E: a third classifier, nothing else restarted or reconfigured ------------------
pids_of() { local label; for label in "$@"; do cat "$RUN/pids/$label.pid"; done | paste -sd' '; }
pids_before=$(pids_of intake reporter classifier-1 classifier-2 deadline-watcher notifier)
add_host e || fail "create host e"
hold e keypair:classifier client:intake password:classifier || fail "the files of host e"
check "host e reaches Redis on host a" mot_wait 10 tcp_open e "$A" 6379
start e classifier:3
check "the classifier on e is connected to intake's dispatch on a" mot_wait 120 peers_are a 5551 e 1
check "it runs with the files of host e" uses_files_of classifier-3 e
check "the classifier on host e gets work" submit_until_working classifier-3
equals "each event was applied once, by one of the three classifiers" "$SUBMITTED" "$(total_applied)"
equals "no other process was restarted" "$pids_before" \
  "$(pids_of intake reporter classifier-1 classifier-2 deadline-watcher notifier)"
alive() { local f; for f in intake reporter classifier-1 classifier-2 deadline-watcher notifier; do mot_pid_alive "$RUN/pids/$f.pid" || return 1; done; }
check "and every one still runs" alive
rcli CLIENT LIST >"$RUN/clients.txt" || fail "CLIENT LIST"
check "the classifier on e reaches Redis from e" from classifier e

# --- hosts that lose power and come back -----------------------------------------------------
# A host's processes die and no FIN or RST reaches anyone (its link is cut first, then its
# namespace goes, connections and all); it comes back at the same address with the same
# network card. Those connected to it are not told: a connection whose peer vanished is
# noticed only by the TCP keepalive every socket sets (mot_socket: an idle connection is
# probed after 10 s, and dropped when the new host resets it or nothing answers; the
# connecting side connects again). Without it they would wait on dead connections for ever.
declare -A MAC
power_off() {   # power_off HOST LABEL...: cuts HOST's link, kills those processes, removes it
  local host=$1 label
  shift
  MAC[$host]=$(ip -n "$(ns "$host")" -br link show eth0 | awk '{ print $3 }')
  ip -n "$SWITCH" link set "port-$host${PORT_OF[$host]}" down || return 1
  for label in "$@"; do mot_kill_service "$RUN" "$label" KILL; done
  # (the old namespace lingers, unnamed, while its dead connections time out, its link down)
  ip netns delete "$(ns "$host")"
}
power_on() { add_host "$1" "${MAC[$1]}"; }

# Host A (Redis, intake, the reporter): the classifiers on B and E and the watcher on C,
# connected to intake, must find the new one by themselves.
power_off a intake reporter redis || fail "power host a off"
a_unreachable() { ! tcp_open d "$A" 6379; }
check "host a is unreachable" a_unreachable
power_on a || fail "power host a on"
MOT_NETNS=$(ns a) mot_start_redis "$RUN" --port 6379 --bind "$A" || fail "start Redis on host a again"
start a intake
start a reporter
check "intake answers host d again" mot_wait 120 intake_ready
reconnected() { peers_are a 5551 b 2 && peers_are a 5551 e 1 && peers_are a 5552 c 1; }
check "the classifiers on b and e and the watcher on c connect to the new intake" mot_wait 120 reconnected
before=$(total_applied)
submit_round 10
equals "each of them was applied once" $((before + 10)) "$(total_applied)"
echo '{"type":"action","source":"UEOD","external_id":"H-A2","action_id":"AC-H-2","kind":"accion-correctiva","due_on":"2026-11-30","responsible":"DA"}' |
  on d "$MOTCTL" submit >/dev/null || fail "submit the second action from host d"
created2() { on d "$MOTCTL" obligations --csv | grep -q 'AC-H-2'; }
check "the watcher on c gets work from the new intake" mot_wait 120 created2
check "the watcher committed it" mot_wait 120 quiet
equals "no classifier, watcher or notifier was restarted" "$(cut -d' ' -f3- <<<"$pids_before")" \
  "$(pids_of classifier-1 classifier-2 deadline-watcher notifier)"

# Host C (the watcher, the notifier): a subscriber on D that runs through it must get the
# notices of the new notifier.
on_host d
setsid "${ON_HOST[@]}" "$MOTCTL" subscribe --topic overdue/ --count 1 --timeout 600 \
  >"$RUN/through.jsonl" 2>"$RUN/log/subscriber-through.log" &
echo $! >"$RUN/pids/subscriber-through.pid"
check "a subscriber on d is connected to the notifier on c" mot_wait 120 peers_are c 5554 d 1
power_off c deadline-watcher notifier || fail "power host c off"
power_on c || fail "power host c on"
start c deadline-watcher
start c notifier
check "the subscriber on d connects to the new notifier" mot_wait 120 peers_are c 5554 d 1
check "the subscriber still runs" mot_pid_alive "$RUN/pids/subscriber-through.pid"
on d "$MOTCTL" clock set 2026-12-01T09:00 >/dev/null || fail "move the clock from host d"
got_through() { grep -q '"notice_id":"UEOD:accion-correctiva:AC-H-2|overdue' "$RUN/through.jsonl"; }
check "the overdue notice of the new notifier reaches it" mot_wait 120 got_through

echo "$E2E_CHECKS passed, 0 failed"
