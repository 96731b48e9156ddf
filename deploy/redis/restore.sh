#!/usr/bin/env bash
# restore.sh — puts a backup (backup.sh's RDB) back as a stopped Redis's
# data, in the form the shipped configuration loads (the AOF).
#
#   bash deploy/redis/restore.sh BACKUP.rdb DIR
#
# DIR is the Redis data folder (redis.conf's `dir`: run/redis for up.sh,
# the package's /var/lib/mot-redis). Redis and the services must be
# stopped: a process working in DIR (Redis works in its `dir`) makes it
# refuse, changing nothing. Steps: the backup is checked (redis-check-rdb);
# what DIR held (appendonlydir, dump.rdb) is moved aside to
# DIR/before-restore-<UTC time>/, never deleted; a private redis-server on
# a unix socket in DIR loads the backup with the AOF off, is told
# `CONFIG SET appendonly yes` (Redis then writes a new AOF from memory),
# and stops once that rewrite is done. The next start of Redis with the
# shipped configuration loads exactly the backup.
#
# What a restore means for the pipeline (README, Operations): everything
# acknowledged after the backup is gone; an upstream that resends it is
# answered `accepted` again (its dedup record went too), an event the
# backup holds `duplicate`. The notice log also goes back to the backup's
# seq: subscribers that saw later seqs must start again from the backup's
# last seq (motctl subscribe --since).
set -euo pipefail

backup=${1:?usage: restore.sh BACKUP.rdb DIR}
dir=${2:?usage: restore.sh BACKUP.rdb DIR}
[ -s "$backup" ] || { echo "restore: $backup is missing or empty" >&2; exit 1; }
[ -d "$dir" ] || { echo "restore: $dir is not a folder" >&2; exit 1; }
backup=$(realpath "$backup")
dir=$(realpath "$dir")

# Redis chdirs into its `dir`: any process whose working folder is DIR is
# one we must not pull the files from under.
for cwd in /proc/[0-9]*/cwd; do
  if [ "$(readlink "$cwd" 2>/dev/null)" = "$dir" ]; then
    pid=${cwd#/proc/}
    pid=${pid%/cwd}
    echo "restore: process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) works in $dir: stop Redis first" >&2
    exit 1
  fi
done

if ! redis-check-rdb "$backup" >/dev/null 2>&1; then
  echo "restore: $backup is not a sound RDB file (redis-check-rdb $backup says why); nothing changed" >&2
  exit 1
fi

aside="$dir/before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir "$aside"
for name in appendonlydir dump.rdb; do
  [ -e "$dir/$name" ] && mv "$dir/$name" "$aside/"
done
cp "$backup" "$dir/dump.rdb"

socket="$dir/restore.sock"
redis-server --port 0 --unixsocket "$socket" --unixsocketperm 700 --dir "$dir" --dbfilename dump.rdb \
  --appendonly no --save "" --logfile "$dir/restore.log" --daemonize no &
server=$!
cli() { redis-cli -s "$socket" "$@"; }
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop_server EXIT

for _ in $(seq 300); do
  [ "$(cli PING 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(cli PING 2>/dev/null)" = PONG ] || { echo "restore: Redis did not load the backup; see $dir/restore.log" >&2; exit 1; }
keys=$(cli DBSIZE)

# persistence_field NAME: INFO persistence's NAME.
persistence_field() { cli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }
cli CONFIG SET appendonly yes >/dev/null
for _ in $(seq 600); do
  if [ "$(persistence_field aof_enabled)" = 1 ] && [ "$(persistence_field aof_rewrite_in_progress)" = 0 ] &&
    [ "$(persistence_field aof_rewrite_scheduled)" = 0 ]; then
    break
  fi
  sleep 0.1
done
if [ "$(persistence_field aof_last_bgrewrite_status)" != ok ] || [ "$(persistence_field aof_rewrite_in_progress)" != 0 ]; then
  echo "restore: Redis could not write the AOF; see $dir/restore.log. What DIR held is in $aside" >&2
  exit 1
fi
cli SHUTDOWN NOSAVE >/dev/null 2>&1 || true
wait "$server" 2>/dev/null || true
trap - EXIT
rm -f "$dir/dump.rdb" "$socket"
# The AOF takes DIR's owner: the package's Redis runs as mot-redis, not as
# whoever restores.
chown -R --reference="$dir" "$dir/appendonlydir"
echo "restore: $dir holds the backup ($keys keys) as its AOF; what it held before is in $aside"
