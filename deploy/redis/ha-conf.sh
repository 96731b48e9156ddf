#!/usr/bin/env bash
# ha-conf.sh — the configuration files of a Redis Sentinel set for the MOT
# pipeline (README, "Redis high availability"): one per Redis (master or
# replica) and one per sentinel, written mode 600 because they hold
# passwords (Sentinel rewrites its own file, so they cannot live
# elsewhere). tests/e2e/test_sentinel_failover.sh makes its set with it.
#
#   ha-conf.sh redis OUT --port P --bind ADDR --dir DIR --aclfile FILE --secrets SECRETS
#              [--replica-of HOST PORT] [--include REDIS_CONF]
#   ha-conf.sh sentinel OUT --port P --bind ADDR --dir DIR --aclfile FILE --secrets SECRETS
#              --monitor NAME HOST PORT [--quorum Q] [--down-after-ms MS] [--failover-timeout-ms MS]
#
# A Redis includes the shipped redis.conf (AOF, noeviction: the one beside
# this script in the tree, /etc/mot/redis/redis.conf from the package),
# listens on ADDR:P with the ACL file of make-acl.sh (deploy/redis/users.acl),
# and carries masteruser/masterauth (the `replica` user) whether or not it
# starts as a replica: any of them may become one after a failover. A
# sentinel uses the ACL file made from deploy/redis/sentinel.acl with the
# same passwords, logs in to the Redis servers as `sentinel`, and to the
# other sentinels as `sentinel` too. Defaults: quorum 2, down after 5000 ms,
# failover timeout 60000 ms. Anything else (pidfile, logfile, daemonize,
# supervised systemd) the caller appends to OUT.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  sed -n '8,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 2 ] || usage
kind=$1 out=$2
shift 2
include=$here/redis.conf
[ -f "$include" ] || include=/etc/mot/redis/redis.conf
port="" bind="" dir="" aclfile="" secrets="" replica_of=() monitor=() quorum=2 down_after=5000 failover_timeout=60000
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --bind) bind=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --aclfile) aclfile=$2; shift 2 ;;
    --secrets) secrets=$2; shift 2 ;;
    --replica-of) replica_of=("$2" "$3"); shift 3 ;;
    --include) include=$2; shift 2 ;;
    --monitor) monitor=("$2" "$3" "$4"); shift 4 ;;
    --quorum) quorum=$2; shift 2 ;;
    --down-after-ms) down_after=$2; shift 2 ;;
    --failover-timeout-ms) failover_timeout=$2; shift 2 ;;
    *) echo "ha-conf: unknown option $1" >&2; usage ;;
  esac
done
for option in port bind dir aclfile secrets; do
  [ -n "${!option}" ] || { echo "ha-conf: --$option is required" >&2; usage; }
done
password_of() {   # the first line of SECRETS/USER.password, never echoed elsewhere
  local password
  read -r password <"$secrets/$1.password" || { echo "ha-conf: cannot read $secrets/$1.password" >&2; exit 1; }
  [ -n "$password" ] || { echo "ha-conf: $secrets/$1.password is empty" >&2; exit 1; }
  printf '%s' "$password"
}

umask 077
case "$kind" in
  redis)
    {
      echo "include $include"
      echo "port $port"
      echo "bind $bind"
      echo "dir $dir"
      echo "aclfile $aclfile"
      echo "masteruser replica"
      echo "masterauth $(password_of replica)"
      [ ${#replica_of[@]} -eq 0 ] || echo "replicaof ${replica_of[0]} ${replica_of[1]}"
    } >"$out"
    ;;
  sentinel)
    [ ${#monitor[@]} -eq 3 ] || { echo "ha-conf: a sentinel needs --monitor NAME HOST PORT" >&2; usage; }
    name=${monitor[0]}
    {
      echo "port $port"
      echo "bind $bind"
      echo "dir $dir"
      echo "aclfile $aclfile"
      echo "sentinel monitor $name ${monitor[1]} ${monitor[2]} $quorum"
      echo "sentinel down-after-milliseconds $name $down_after"
      echo "sentinel failover-timeout $name $failover_timeout"
      echo "sentinel auth-user $name sentinel"
      echo "sentinel auth-pass $name $(password_of sentinel)"
      echo "sentinel sentinel-user sentinel"
      echo "sentinel sentinel-pass $(password_of sentinel)"
    } >"$out"
    ;;
  *) usage ;;
esac
chmod 600 "$out"
