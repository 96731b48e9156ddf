#!/usr/bin/env bash
# backup.sh — a consistent copy of the pipeline's Redis, taken while
# everything runs.
#
#   bash deploy/redis/backup.sh OUT.rdb
#
# Asks Redis for a snapshot over its replication protocol (redis-cli --rdb:
# Redis forks and writes a point-in-time RDB while it keeps serving), writes
# it to OUT.rdb.partial, checks it with redis-check-rdb and only then renames
# it OUT.rdb: a file named OUT.rdb is always a whole, checked snapshot.
# Redis is found as the services find it: MOT_REDIS (host:port, unix:/path,
# or sentinel:HOST:PORT[,…]/MASTER: the master the first answering sentinel
# names; 127.0.0.1:6379 by default), as the `admin` user with the password
# in MOT_REDIS_SECRETS/admin.password (none: no AUTH). The password goes
# through REDISCLI_AUTH, never on a command line. restore.sh puts it back.
set -euo pipefail

out=${1:?usage: backup.sh OUT.rdb}
address=${MOT_REDIS:-127.0.0.1:6379}

# redis_target ADDRESS: redis-cli's connection options for ADDRESS, one per line.
redis_target() {
  local address=$1 sentinels master host port answer
  case "$address" in
    unix:*) printf '%s\n' -s "${address#unix:}" ;;
    sentinel:*)
      sentinels=${address#sentinel:}
      master=${sentinels##*/}
      sentinels=${sentinels%/*}
      for host in ${sentinels//,/ }; do
        port=${host##*:}
        answer=$(redis-cli -h "${host%:*}" -p "$port" --raw SENTINEL get-master-addr-by-name "$master" 2>/dev/null) || continue
        [ "$(printf '%s\n' "$answer" | wc -l)" -eq 2 ] || continue
        printf '%s\n' -h "$(printf '%s\n' "$answer" | sed -n 1p)" -p "$(printf '%s\n' "$answer" | sed -n 2p)"
        return 0
      done
      echo "backup: no sentinel of $address names a master" >&2
      return 1
      ;;
    *:*) printf '%s\n' -h "${address%:*}" -p "${address##*:}" ;;
    *)
      echo "backup: MOT_REDIS=$address is not host:port, unix:/path or sentinel:…" >&2
      return 1
      ;;
  esac
}

mapfile -t target < <(redis_target "$address")
[ ${#target[@]} -gt 0 ] || exit 1
auth=()
if [ -n "${MOT_REDIS_SECRETS:-}" ]; then
  read -r REDISCLI_AUTH <"$MOT_REDIS_SECRETS/admin.password" || {
    echo "backup: cannot read $MOT_REDIS_SECRETS/admin.password" >&2
    exit 1
  }
  export REDISCLI_AUTH
  auth=(--user admin)
fi

rm -f "$out.partial"
if ! redis-cli "${target[@]}" "${auth[@]}" --rdb "$out.partial" >"$out.log" 2>&1; then
  echo "backup: redis-cli --rdb failed:" >&2
  cat "$out.log" >&2
  rm -f "$out.partial" "$out.log"
  exit 1
fi
if ! redis-check-rdb "$out.partial" >>"$out.log" 2>&1; then
  echo "backup: the snapshot does not check; kept as $out.partial, see $out.log" >&2
  exit 1
fi
mv "$out.partial" "$out"
rm -f "$out.log"
echo "backup: $out ($(stat -c %s "$out") bytes)"
