# lib.sh — starting and stopping the MOT processes, shared by
# deploy/local/up.sh, deploy/local/down.sh and the end-to-end tests.
# Source it; it defines functions and MOT_SOURCE, and changes nothing else.
#
# A run folder holds everything one running system owns:
#   RUN/redis.sock  RUN/redis/ (AOF, users.acl)  RUN/log/<name>.log  RUN/pids/<name>.pid  RUN/pii.key
#   RUN/redis-secrets/<user>.password (the Redis ACL users' passwords, deploy/redis/users.acl)
#   RUN/certs/ (the CURVE certificates: clients/ servers/ revoked/)  RUN/local.cert (+_secret)

MOT_SOURCE=${MOT_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MOT_SERVICES=(intake classifier deadline-watcher notifier reporter)

mot_pid_alive() {   # mot_pid_alive PIDFILE
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# mot_redis_secrets RUN: the Redis users' passwords in RUN/redis-secrets
# (made once, random, mode 600) and Redis's ACL file RUN/redis/users.acl
# made from them and the shipped deploy/redis/users.acl. Exports
# MOT_REDIS_SECRETS, where every service and motctl find their password.
mot_redis_secrets() {
  local run=$1
  mkdir -p "$run/redis"
  bash "$MOT_SOURCE/deploy/redis/make-acl.sh" "$run/redis-secrets" "$run/redis/users.acl"
  export MOT_REDIS_SECRETS="$run/redis-secrets"
}

# mot_redis_cli RUN ARGS...: redis-cli on RUN's private Redis as its admin
# user (the password goes through REDISCLI_AUTH, never on a command line).
mot_redis_cli() {
  local run=$1 password=""
  shift
  read -r password <"$run/redis-secrets/admin.password" || true
  REDISCLI_AUTH=$password redis-cli --user admin -s "$run/redis.sock" "$@"
}

# mot_start_redis RUN: a private redis-server on a unix socket, data in
# RUN/redis, with the ACL users (mot_redis_secrets). Exports MOT_REDIS and
# MOT_REDIS_SECRETS. Idempotent: an already running one is reused.
mot_start_redis() {
  local run=$1
  mkdir -p "$run/redis" "$run/log" "$run/pids"
  export MOT_REDIS="unix:$run/redis.sock"
  mot_redis_secrets "$run"
  if ! mot_pid_alive "$run/pids/redis.pid"; then
    redis-server "$MOT_SOURCE/deploy/redis/redis.conf" --unixsocket "$run/redis.sock" \
      --dir "$run/redis" --pidfile "$run/pids/redis.pid" --logfile "$run/log/redis.log" \
      --aclfile "$run/redis/users.acl" --daemonize yes >/dev/null
  else
    mot_redis_cli "$run" ACL LOAD >/dev/null 2>&1 || true   # the users as the template has them now
  fi
  local i
  for i in $(seq 100); do
    [ "$(mot_redis_cli "$run" PING 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  echo "redis-server did not start; see $run/log/redis.log" >&2
  return 1
}

# mot_make_certs RUN BIN_DIR: throwaway CURVE certificates for a local
# system, made once per run folder with motctl cert: a keypair per service
# and one for the local operator (motctl, the demo, the tests), a trusted
# relay allowed everything (role service: the analysts named in its
# commands stand). Exports MOT_CERTS and MOT_CERT. A production system uses the
# certificates its ops team made in /etc/mot/certs instead.
mot_make_certs() {
  local run=$1 bin=$2 name
  export MOT_CERTS=$run/certs MOT_CERT=$run/local.cert
  for name in "${MOT_SERVICES[@]}"; do
    [ -s "$MOT_CERTS/servers/$name.cert_secret" ] ||
      "$bin/motctl" cert create "$name" --role service --units '*' --server >/dev/null || return 1
  done
  [ -s "$MOT_CERT"_secret ] || "$bin/motctl" cert create local --role service --units '*' --topics '*' \
    --registers '*' --out "$MOT_CERT" >/dev/null
}

# mot_start_service RUN BIN_DIR NAME[:INSTANCE] [ARGS...]: starts mot-NAME in
# the background with its log in RUN/log/NAME[-INSTANCE].log (an instance
# name lets several of one service run side by side). Idempotent. MOT_WRAP,
# when set, is a command put in front (the tests use it to run under valgrind).
mot_start_service() {
  local run=$1 bin=$2 name=${3%%:*} label=${3/:/-}
  shift 3
  mkdir -p "$run/log" "$run/pids"
  mot_pid_alive "$run/pids/$label.pid" && return 0
  # Only the first process of a service takes its metrics port (mot_health);
  # any other (an instance, a renamed binary) a free one of its own, which
  # its log's metrics_listening line names.
  local metrics=()
  [[ " intake classifier deadline-watcher notifier reporter " == *" $label "* ]] || metrics=(env MOT_METRICS=127.0.0.1:0)
  setsid "${metrics[@]}" ${MOT_WRAP:-} "$bin/mot-$name" "$@" </dev/null >>"$run/log/$label.log" 2>&1 &
  echo $! >"$run/pids/$label.pid"
}

# mot_kill_service RUN NAME [SIGNAL]: stops one process (SIGTERM by default,
# SIGKILL after 10 s) and waits for it.
mot_kill_service() {
  local run=$1 name=$2 signal=${3:-TERM} pid i
  [ -f "$run/pids/$name.pid" ] || return 0
  pid=$(cat "$run/pids/$name.pid")
  kill "-$signal" "$pid" 2>/dev/null || true
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$run/pids/$name.pid"
}

# mot_stop_all RUN: every process with a pid file in RUN/pids, then Redis
# (which writes its AOF on the way out).
mot_stop_all() {
  local run=$1 file
  for file in "$run"/pids/*.pid; do
    [ -e "$file" ] || continue
    file=$(basename "$file" .pid)
    [ "$file" = redis ] || mot_kill_service "$run" "$file"
  done
  if mot_pid_alive "$run/pids/redis.pid"; then
    mot_redis_cli "$run" SHUTDOWN >/dev/null 2>&1 || true
    mot_kill_service "$run" redis
  fi
  rm -f "$run/pids/redis.pid"
}

# mot_wait SECONDS CMD...: runs CMD every 0.2 s until it succeeds, for at
# most SECONDS of wall time.
mot_wait() {
  local deadline=$((SECONDS + $1))
  shift
  while [ "$SECONDS" -lt "$deadline" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  "$@" >/dev/null 2>&1
}
