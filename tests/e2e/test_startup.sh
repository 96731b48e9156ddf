#!/usr/bin/env bash
# Start-up rules every service shares: a test clock is refused in
# production; Redis being down at start-up gives a clear error and a retry
# (no crash), and the service serves as soon as Redis comes; SIGTERM stops
# it cleanly.
source "$(dirname "$0")/lib.sh"

for name in "${MOT_SERVICES[@]}"; do
  set +e
  MOT_ENV=production "$MOT_BIN/mot-$name" --test-clock 1 >"$RUN/out.txt" 2>&1
  status=$?
  set -e
  equals "mot-$name refuses the test clock in production (exit 2)" 2 "$status"
  check "mot-$name says why" grep -q "test clock is refused in production" "$RUN/out.txt"
  check "mot-$name --help documents the common options" bash -c \
    "'$MOT_BIN/mot-$name' --help | grep -q -- '--redis' && '$MOT_BIN/mot-$name' --help | grep -q MOT_TEST_CLOCK"
done

# Redis down at start-up: the reporter keeps retrying with a clear error...
mkdir -p "$RUN/log" "$RUN/pids"
export MOT_REDIS="unix:$RUN/redis.sock"
mot_start_service "$RUN" "$MOT_BIN" reporter
redis_error() { grep -q 'redis_unreachable' "$RUN/log/reporter.log" && grep -q 'redis_retry' "$RUN/log/reporter.log"; }
check "Redis down: a clear error and a retry in the log" mot_wait 10 redis_error
check "Redis down: the service is still running" mot_pid_alive "$RUN/pids/reporter.pid"
# ...and serves once Redis is there.
mot_start_redis "$RUN"
check "Redis up: the service answers" mot_wait 20 "$MOTCTL" items --timeout 1
mot_kill_service "$RUN" reporter TERM
check "SIGTERM: a clean stop is logged" grep -q 'stopped' "$RUN/log/reporter.log"

# A bad number names the program and the option (the program name is
# copied, not kept as a pointer into a stack buffer gone by then).
set +e
"$MOT_BIN/mot-notifier" --log-size lots >"$RUN/out.txt" 2>&1
status=$?
set -e
equals "a bad number stops the service (exit 1)" 1 "$status"
check "the error names mot-notifier and --log-size" \
  grep -q "^mot-notifier: --log-size must be an integer from 1 to 10000000 (got 'lots')" "$RUN/out.txt"

echo "$E2E_CHECKS passed, 0 failed"
