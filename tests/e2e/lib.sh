# lib.sh — the end-to-end tests' harness: a private redis-server on a unix
# socket and the five real services on loopback TCP ports of their own, in a
# temporary run folder that is removed on exit (kept on failure for the logs,
# whose path is printed). Needs MOT_BIN (the build folder) and MOT_SOURCE.
set -euo pipefail
: "${MOT_BIN:?MOT_BIN must name the build folder}"
: "${MOT_SOURCE:?MOT_SOURCE must name the source folder}"
source "$MOT_SOURCE/deploy/local/lib.sh"

RUN=$(mktemp -d /tmp/mot-e2e.XXXXXX)
MOTCTL="$MOT_BIN/motctl"
E2E_FAILED=0
E2E_CHECKS=0

# Ports of this run: a block of thirty, derived from the pid and moved on
# while any port of the block is taken, so a running demo (5550-5557) or
# another test run does not collide. +0..+5 and +10 the services' sockets,
# +6..+8 a test's own endpoints, +9 the dashboard, +11..+15 the services'
# metrics, +16..+29 a test's own (servers it starts: Prometheus, Redis
# replicas, sentinels).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
block_taken() {
  local p
  for p in $(seq "$1" $(($1 + 29))); do port_taken "$p" && return 0; done
  return 1
}
# Below Linux's ephemeral range (32768-60999): a port the kernel lent to an
# outgoing connection cannot be bound, and a listen probe does not see it.
base=$((20000 + ($$ % 400) * 30))
while block_taken "$base"; do base=$((20000 + (base - 20000 + 30) % 12000)); done
export MOT_INTAKE_INGRESS=tcp://127.0.0.1:$base
export MOT_INTAKE_CLASSIFY=tcp://127.0.0.1:$((base + 1)) MOT_CLASSIFIER_INTAKE=tcp://127.0.0.1:$((base + 1))
export MOT_INTAKE_WATCH=tcp://127.0.0.1:$((base + 2)) MOT_WATCHER_INTAKE=tcp://127.0.0.1:$((base + 2))
export MOT_NOTIFIER_COLLECT=tcp://127.0.0.1:$((base + 3)) MOT_WATCHER_NOTIFIER=tcp://127.0.0.1:$((base + 3))
export MOT_NOTIFIER_PUBLISH=tcp://127.0.0.1:$((base + 4)) MOT_NOTIFIER_CATCHUP=tcp://127.0.0.1:$((base + 10))
export MOT_REPORTER_QUERY=tcp://127.0.0.1:$((base + 5))
# the dashboard (tests take +6..+8 for endpoints of their own)
export MOT_REPORTER_HTTP=127.0.0.1:$((base + 9))
# each service's /metrics, /healthz, /readyz (mot_health): +11..+15
export MOT_INTAKE_METRICS=127.0.0.1:$((base + 11)) MOT_CLASSIFIER_METRICS=127.0.0.1:$((base + 12))
export MOT_DEADLINE_WATCHER_METRICS=127.0.0.1:$((base + 13)) MOT_NOTIFIER_METRICS=127.0.0.1:$((base + 14))
export MOT_REPORTER_METRICS=127.0.0.1:$((base + 15))
export MOT_ENV=test MOT_TEST_CLOCK=1
export MOT_PII_KEY_FILE=$RUN/pii.key
head -c 32 /dev/urandom >"$MOT_PII_KEY_FILE"
# Security on, as in production: throwaway CURVE certificates for this run.
mot_make_certs "$RUN" "$MOT_BIN" || { echo "cannot make the certificates in $RUN/certs" >&2; exit 1; }
# Redis with its ACL users, as shipped: each service authenticates as its
# own user (passwords made here, before any service starts).
mot_redis_secrets "$RUN"

e2e_cleanup() {
  local status=$?
  [ "$status" -eq 0 ] || E2E_FAILED=1
  e2e_check_acl_log
  [ "$E2E_FAILED" -eq 0 ] || echo "FAILED (exit status $status)" >&2
  mot_stop_all "$RUN"
  if [ -n "${MOT_WRAP:-}" ] && grep -l '^==[0-9]*== ' "$RUN"/log/*.log >&2; then
    echo "FAIL: valgrind reported errors in the logs above" >&2
    E2E_FAILED=1
  fi
  if [ "$E2E_FAILED" -eq 0 ]; then
    rm -rf "$RUN"
  else
    echo "logs kept in $RUN/log" >&2
    tail -n 20 "$RUN"/log/*.log >&2 || true
  fi
}
# Anything Redis refused a user (a command or key outside its list in
# deploy/redis/users.acl, a wrong password) fails the test: every test
# proves the lists complete for what it exercises.
e2e_check_acl_log() {
  mot_pid_alive "$RUN/pids/redis.pid" || return 0
  local refusals
  refusals=$(rcli ACL LOG 2>/dev/null | paste -sd' ' | sed 's/count /\ncount /g' | grep -v '^$' || true)
  [ -z "$refusals" ] && return 0
  echo "FAIL: Redis refused these (ACL LOG):" >&2
  echo "$refusals" >&2
  E2E_FAILED=1
}
# The exit status of the whole test is decided after the services stopped.
trap 'e2e_cleanup; trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT

# Ready when intake answers on its ingress and the reporter on its query
# socket (the others connect to them and are re-driven if late).
intake_ready() { [ "$("$MOT_BIN/tests/mot_raw" "$MOT_INTAKE_INGRESS" empty)" = MISSING_FIELD ]; }
e2e_wait_ready() {
  mot_wait 60 intake_ready || fail "intake did not come up"
  mot_wait 60 "$MOTCTL" items --timeout 1 || fail "the reporter did not come up"
}

# A subscriber writing every notice, from the start of the log, to
# $RUN/notices.jsonl until the test ends.
e2e_subscribe_all() {
  setsid "$MOTCTL" subscribe --since 0 >"$RUN/notices.jsonl" 2>"$RUN/log/subscriber.log" &
  echo $! >"$RUN/pids/subscriber.pid"
}

e2e_start_all() {   # redis + the five services
  mot_start_redis "$RUN"
  local name
  for name in "${MOT_SERVICES[@]}"; do
    mot_start_service "$RUN" "$MOT_BIN" "$name"
  done
  e2e_wait_ready
}

fail() {
  echo "FAIL: $*" >&2
  E2E_FAILED=1
  exit 1
}

check() {   # check DESCRIPTION CMD...: the command must succeed
  local what=$1
  shift
  E2E_CHECKS=$((E2E_CHECKS + 1))
  if "$@"; then echo "ok - $what"; else fail "$what"; fi
}

equals() {   # equals DESCRIPTION EXPECTED ACTUAL
  E2E_CHECKS=$((E2E_CHECKS + 1))
  if [ "$2" = "$3" ]; then echo "ok - $1"; else fail "$1: expected '$2', got '$3'"; fi
}

# csv_field FILE KEY_COLUMN KEY COLUMN: the value of COLUMN (by header name)
# in the first row whose KEY_COLUMN equals KEY.
csv_field() {
  awk -v cols="$4" -v keycol="$2" -v key="$3" -f "$MOT_SOURCE/deploy/local/csv.awk" "$1"
}

# --- deadlines: the test clock, the watcher's queues and the notices file ---
# Redis as the admin user (mot_redis_cli); exported with RUN for `bash -c`.
rcli() { mot_redis_cli "$RUN" "$@"; }
export RUN
export -f rcli mot_redis_cli
# Every logged notice taken by the notifier (its mark reached the last seq).
all_published() {
  local published logged
  published=$(rcli GET mot:notices:published)
  logged=$(rcli GET mot:seq:notice)
  [ "${published:-0}" = "${logged:-0}" ]
}
# Nothing due and nothing in flight at the current test-clock time.
quiet() {
  local now
  now=$(rcli GET mot:clock)
  [ "$(rcli ZCOUNT mot:timers -inf "$now")" = 0 ] && all_published &&
    [ "$(rcli ZCARD mot:pending:watch)" = 0 ]
}
set_clock() { "$MOTCTL" clock set "$1" >/dev/null && sleep 0.5 && mot_wait 60 quiet; }
# check_generated YYYY-MM: checks that the watcher created that month's
# monthly obligations (its progress mark mot:watch:generated got there).
check_generated() {
  generated_is() { [ "$(rcli GET mot:watch:generated)" = "$1" ]; }
  check "the obligations of $1 are created" mot_wait 60 generated_is "$1"
}
# The notices a test's subscriber wrote to $RUN/notices.jsonl, by notice id.
notice_line() { grep "\"notice_id\":\"$1\"" "$RUN/notices.jsonl" | head -1; }
has_notice() { grep -q "\"notice_id\":\"$1\"" "$RUN/notices.jsonl"; }
field() { notice_line "$1" | grep -o "\"$2\":[^,]*" | head -1 | cut -d: -f2- | tr -d '"'; }
# The test tools (tests/tools/*_check.py) print a JSON summary, kept as
# $RUN/NAME.json; these read it with a Python expression over the summary s:
# summary_value prints the value (a string as is, anything else as JSON),
# summary_holds succeeds when it is true.
summary_value() {   # summary_value NAME EXPR
  /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))' "$RUN/$1.json" "$2"
}
summary_holds() {   # summary_holds NAME EXPR
  /usr/bin/python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(0 if eval("(" + sys.argv[2] + "\n)") else 1)' \
    "$RUN/$1.json" "$2"
}
