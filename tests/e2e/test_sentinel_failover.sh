#!/usr/bin/env bash
# Redis high availability (issue #13): a master, a replica and three
# sentinels on loopback, with the shipped ACL users (the replica links as
# `replica`, the sentinels as `sentinel`, each service as itself, on Redis
# and on the sentinels). The five services reach Redis only through
# `--redis sentinel:…/mot` with `--redis-wait 1`. While quejas stream in
# and the watcher fires a burst of overdue notices, the master is killed
# (SIGKILL); the sentinels promote the replica, and the old master, brought
# back, becomes its replica. Checks: the failover happened (a sentinel
# names the new master), the services carried on without a restart (same
# pids, each logged the new master), every event acknowledged is stored
# and classified exactly once (each external id acknowledged with one
# event id, each of those events in an item, the items' counts adding up to
# the events), the notice log has no gap and no duplicate (seqs 1..N, each
# notice once, every overdue notice once), and what a live subscriber got
# before, during and after the failover agrees with the log seq by seq.
source "$(dirname "$0")/lib.sh"

N=300          # obligations falling due together: the notices' burst
COUNT=1500     # quejas streamed
MASTER_NAME=mot
MASTER_PORT=$((base + 20)) REPLICA_PORT=$((base + 21))
SENTINEL_PORTS=($((base + 22)) $((base + 23)) $((base + 24)))
HA=$RUN/ha
mkdir -p "$HA" "$RUN/log" "$RUN/pids"

# --- the HA set-up: Redis on TCP, replicas and sentinels with ACL users -------
# Redis's ACL file (RUN/redis/users.acl) is made by lib.sh; the sentinels'
# from deploy/redis/sentinel.acl with the same passwords.
MOT_REDIS_ACL_TEMPLATE=$MOT_SOURCE/deploy/redis/sentinel.acl \
  bash "$MOT_SOURCE/deploy/redis/make-acl.sh" "$MOT_REDIS_SECRETS" "$HA/sentinel.acl"
password_of() { head -n 1 "$MOT_REDIS_SECRETS/$1.password"; }

# ha_cli PORT ARGS...: redis-cli on a Redis or a sentinel as admin.
ha_cli() {
  local port=$1
  shift
  REDISCLI_AUTH=$(password_of admin) redis-cli --user admin -p "$port" "$@"
}
master_port() { ha_cli "${SENTINEL_PORTS[0]}" SENTINEL get-master-addr-by-name $MASTER_NAME | tail -n 1; }
# The lib's checks (quiet, all_published…) read the master of the moment.
rcli() { ha_cli "$(master_port)" "$@"; }

# ha_redis NAME PORT [MASTER_PORT]: a redis-server as shipped, on TCP, its
# configuration written by deploy/redis/ha-conf.sh (every instance able to
# be a replica: masteruser/masterauth in the file, mode 600, never on a
# command line; Sentinel rewrites the file on a failover).
ha_redis() {
  local name=$1 port=$2 of=${3:-}
  mkdir -p "$HA/$name"
  if [ ! -f "$HA/$name/redis.conf" ]; then
    bash "$MOT_SOURCE/deploy/redis/ha-conf.sh" redis "$HA/$name/redis.conf" --port "$port" --bind 127.0.0.1 \
      --dir "$HA/$name" --aclfile "$RUN/redis/users.acl" --secrets "$MOT_REDIS_SECRETS" \
      ${of:+--replica-of 127.0.0.1 "$of"} || fail "ha-conf.sh redis $name"
    printf '%s\n' "pidfile $RUN/pids/redis-$name.pid" "logfile $RUN/log/redis-$name.log" "daemonize yes" \
      >>"$HA/$name/redis.conf"
  fi
  redis-server "$HA/$name/redis.conf" >/dev/null
  mot_wait 20 ha_cli "$port" PING || fail "redis $name did not start: $(tail -3 "$RUN/log/redis-$name.log")"
}

# ha_sentinel I PORT: a sentinel (redis-server --sentinel) watching the
# master with a quorum of 2; short delays so that a failover takes seconds.
ha_sentinel() {
  local i=$1 port=$2
  mkdir -p "$HA/sentinel-$i"
  bash "$MOT_SOURCE/deploy/redis/ha-conf.sh" sentinel "$HA/sentinel-$i/sentinel.conf" --port "$port" \
    --bind 127.0.0.1 --dir "$HA/sentinel-$i" --aclfile "$HA/sentinel.acl" --secrets "$MOT_REDIS_SECRETS" \
    --monitor $MASTER_NAME 127.0.0.1 "$MASTER_PORT" --quorum 2 --down-after-ms 3000 --failover-timeout-ms 5000 ||
    fail "ha-conf.sh sentinel $i"
  printf '%s\n' "pidfile $RUN/pids/sentinel-$i.pid" "logfile $RUN/log/sentinel-$i.log" "daemonize yes" \
    >>"$HA/sentinel-$i/sentinel.conf"
  redis-server "$HA/sentinel-$i/sentinel.conf" --sentinel >/dev/null
  mot_wait 20 ha_cli "$port" PING || fail "sentinel $i did not start: $(tail -3 "$RUN/log/sentinel-$i.log")"
}

ha_redis master "$MASTER_PORT"
ha_redis replica "$REPLICA_PORT" "$MASTER_PORT"
for i in 0 1 2; do ha_sentinel "$i" "${SENTINEL_PORTS[$i]}"; done
# Online, not just connected: the first full sync waits for Redis's
# repl-diskless-sync-delay (5 s), and until it is done WAIT counts no replica.
replica_linked() { ha_cli "$MASTER_PORT" INFO replication | grep -q '^slave0:.*state=online'; }
check "the replica links to the master as user replica" mot_wait 30 replica_linked
sentinels_know_all() {
  local port
  for port in "${SENTINEL_PORTS[@]}"; do
    [ "$(ha_cli "$port" SENTINEL replicas $MASTER_NAME | grep -c "^127.0.0.1:$REPLICA_PORT$")" -ge 1 ] || return 1
    [ "$(ha_cli "$port" SENTINEL sentinels $MASTER_NAME | grep -c '^runid$')" = 2 ] || return 1
  done
}
check "each sentinel knows the replica and the two other sentinels" mot_wait 60 sentinels_know_all

# --- the services, through the sentinels only, waiting for one replica --------
export MOT_REDIS="sentinel:127.0.0.1:${SENTINEL_PORTS[0]},127.0.0.1:${SENTINEL_PORTS[1]},127.0.0.1:${SENTINEL_PORTS[2]}/$MASTER_NAME"
export MOT_REDIS_WAIT=1:1000
export MOT_WATCH_FROM=2027-01 MOT_REMIND_BD=0 MOT_ESCALATE_EVERY_BD=0
export MOT_WATCHER_TICK_MS=200 MOT_WATCHER_CATCHUP_PER_TICK=5 MOT_INTAKE_REDRIVE_MS=2000
"$MOTCTL" clock set 2026-11-02T09:00 >/dev/null || fail "motctl clock set through the sentinels"
for name in "${MOT_SERVICES[@]}"; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done
e2e_wait_ready
for name in "${MOT_SERVICES[@]}"; do
  check "mot-$name found the master through the sentinels" \
    grep -q "redis_master address=$MOT_REDIS master=127.0.0.1:$MASTER_PORT previous=-" "$RUN/log/$name.log"
done
declare -A pid_before
for name in "${MOT_SERVICES[@]}"; do pid_before[$name]=$(cat "$RUN/pids/$name.pid"); done

for i in $(seq $N); do
  echo "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"F-$i\",\"action_id\":\"F-$i\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-02\"}"
done >"$RUN/actions.jsonl"
"$MOTCTL" submit --timeout 60 <"$RUN/actions.jsonl" >"$RUN/action-acks.jsonl" ||
  fail "submit: $(grep -m1 error "$RUN/action-acks.jsonl")"
all_created() { [ "$(rcli ZCARD mot:obls)" = $N ] && quiet; }
check "$N obligations due Mon 2026-11-02" mot_wait 120 all_created

setsid "$MOTCTL" subscribe --since 0 >"$RUN/live.jsonl" 2>"$RUN/log/subscriber.log" &
echo $! >"$RUN/pids/subscriber.pid"
"$MOT_BIN/mot-load" --count $COUNT --date 2026-11-02 --rate 150 --window 3000 --retry-ms 1000 --prefix ha- \
  --acks "$RUN/acks.txt" >"$RUN/load.txt" 2>&1 &
load=$!
# Every deadline ended two hours ago: the watcher catches up 5 timers a
# tick, so the notices go on for about 12 s, across the failover.
"$MOTCTL" clock set 2026-11-03T02:00:00 >/dev/null
seq_at_least() { [ "$(rcli GET mot:seq:notice || echo 0)" -ge "$1" ] 2>/dev/null; }
check "the notices flow" mot_wait 120 seq_at_least 40
sleep 1

# --- the failover ---------------------------------------------------------------
# First the replica falls behind: its link is cut and cannot come back (it
# now logs in as a user that does not exist) for two seconds, so the master
# holds writes the replica never gets — as when a master dies with its last
# writes still on their way. With --redis-wait none of them was
# acknowledged or published; without it this test fails.
ha_cli "$REPLICA_PORT" CONFIG SET masteruser nobody >/dev/null
ha_cli "$MASTER_PORT" CLIENT KILL TYPE replica >/dev/null
unlinked() { ha_cli "$REPLICA_PORT" INFO replication | grep -q '^master_link_status:down'; }
check "the replica's link is down" mot_wait 10 unlinked
sleep 2
echo "killing the master at seq $(rcli GET mot:seq:notice), event $(rcli GET mot:seq:event)"
kill -KILL "$(cat "$RUN/pids/redis-master.pid")"
ha_cli "$REPLICA_PORT" CONFIG SET masteruser replica >/dev/null
promoted() { [ "$(master_port)" = "$REPLICA_PORT" ]; }
check "the sentinels promote the replica" mot_wait 60 promoted
equals "the new master says so (ROLE)" master "$(ha_cli "$REPLICA_PORT" ROLE | head -n 1)"
# The old master comes back (as an operator would restart it) and the
# sentinels make it the new master's replica: --redis-wait 1 needs one.
ha_redis master "$MASTER_PORT"
demoted() { [ "$(ha_cli "$MASTER_PORT" ROLE | head -n 1)" = slave ]; }
check "the old master, restarted, is turned into a replica" mot_wait 60 demoted
relinked() { ha_cli "$REPLICA_PORT" INFO replication | grep -q '^connected_slaves:1'; }
check "... and links to the new master as user replica" mot_wait 60 relinked

wait $load || fail "the publisher did not get every event acknowledged: $(cat "$RUN/load.txt")"
check "the stream really was interrupted (retries happened)" grep -q 'retries=[1-9]' "$RUN/load.txt"
done_all() { quiet && [ "$(rcli ZCARD mot:timers)" = 0 ] && [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
check "every timer fired, every notice published, every hand-off committed" mot_wait 300 done_all

# --- the services never restarted -------------------------------------------------
for name in "${MOT_SERVICES[@]}"; do
  equals "mot-$name is the same process" "${pid_before[$name]}" "$(cat "$RUN/pids/$name.pid")"
  check "mot-$name is alive" kill -0 "${pid_before[$name]}"
done
for name in intake classifier deadline-watcher notifier; do
  check "mot-$name followed the master to 127.0.0.1:$REPLICA_PORT" \
    grep -q "redis_master address=$MOT_REDIS master=127.0.0.1:$REPLICA_PORT previous=127.0.0.1:$MASTER_PORT" \
    "$RUN/log/$name.log"
done

# --- every event acknowledged: stored and classified exactly once -----------------
equals "every event acknowledged" $COUNT "$(cut -d' ' -f1 "$RUN/acks.txt" | sort -u | wc -l)"
equals "each external id acknowledged with one event id only" "" \
  "$(sort -u "$RUN/acks.txt" | cut -d' ' -f1 | uniq -d | head -5)"
equals "no event id given to two external ids (the pool of event numbers survives a failover)" "" \
  "$(sort -u "$RUN/acks.txt" | cut -d' ' -f2 | sort | uniq -d | head -5)"
sort -u "$RUN/acks.txt" | while read -r external event; do echo "HGET mot:event:$event item_id"; done \
  | rcli >"$RUN/items-of-events.txt"
equals "every acknowledged event is on the new master, classified" "$COUNT 0" \
  "$(wc -l <"$RUN/items-of-events.txt") $(grep -vc '^it-[0-9]*$' "$RUN/items-of-events.txt")"
"$MOTCTL" items --csv >"$RUN/items.csv"
total=$(awk -v cols=eventos -f "$MOT_SOURCE/deploy/local/csv.awk" "$RUN/items.csv" | tail -n +2 | awk '{ s += $1 } END { print s }')
equals "no event counted twice or missed in the items" $COUNT "$total"

# --- the notice log: no gap, no duplicate, and the live notices agree -------------
S=$(rcli GET mot:seq:notice)
check "the burst's notices and more were logged" [ "$S" -ge $N ]
"$MOTCTL" subscribe --since 0 --count "$S" --timeout 60 >"$RUN/replay.jsonl" ||
  fail "replay: $(tail -1 "$RUN/log/subscriber.log")"
equals "sequence numbers 1..$S, no gap, no duplicate" "$(seq "$S")" \
  "$(grep -o '"seq":[0-9]*' "$RUN/replay.jsonl" | cut -d: -f2)"
equals "no notice twice in the log" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/replay.jsonl" | sort | uniq -d)"
equals "every overdue notice once" \
  "$(seq $N | sed 's/^/UEOD:accion-correctiva:F-/; s/$/|overdue/' | sort)" \
  "$(grep -o '"notice_id":"[^"]*|overdue"' "$RUN/replay.jsonl" | cut -d'"' -f4 | sort)"
seq_and_id() {   # seq_and_id FILE: "seq notice_id kind" per notice, by seq
  /usr/bin/python3 -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["seq"], d["notice_id"], d["kind"])' "$1" | sort -n
}
seq_and_id "$RUN/replay.jsonl" >"$RUN/replay-ids.txt"
live_has_all() { [ "$(wc -l <"$RUN/live.jsonl")" -ge "$S" ]; }
mot_wait 120 live_has_all || true
seq_and_id "$RUN/live.jsonl" >"$RUN/live-ids.txt"
equals "the live subscriber got every notice" "$S" "$(wc -l <"$RUN/live-ids.txt")"
equals "... each seq once" "" "$(cut -d' ' -f1 "$RUN/live-ids.txt" | uniq -d | head -5)"
equals "... each seq with the notice the log holds under it" "" \
  "$(diff "$RUN/replay-ids.txt" "$RUN/live-ids.txt" | head -5)"

# --- a planned failover back (SENTINEL FAILOVER): the demoted master drops its
# clients, which follow the sentinels to the old master again ----------------------
ha_cli "${SENTINEL_PORTS[0]}" SENTINEL FAILOVER $MASTER_NAME >/dev/null
back() { [ "$(master_port)" = "$MASTER_PORT" ] && [ "$(ha_cli "$REPLICA_PORT" ROLE | head -n 1)" = slave ] &&
  ha_cli "$MASTER_PORT" INFO replication | grep -q '^connected_slaves:1'; }
check "a planned failover makes the first master the master again" mot_wait 60 back
"$MOT_BIN/mot-load" --count 100 --date 2026-11-02 --rate 100 --retry-ms 1000 --prefix back- \
  --acks "$RUN/back-acks.txt" >"$RUN/back-load.txt" 2>&1 || fail "after the planned failover: $(cat "$RUN/back-load.txt")"
settled() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
check "every event after it classified" mot_wait 120 settled
equals "... into items (1,600 events counted)" 1600 \
  "$("$MOTCTL" items --csv | awk -v cols=eventos -f "$MOT_SOURCE/deploy/local/csv.awk" | tail -n +2 | awk '{ s += $1 } END { print s }')"
check "intake followed it back" grep -q "redis_master address=$MOT_REDIS master=127.0.0.1:$MASTER_PORT previous=127.0.0.1:$REPLICA_PORT" \
  "$RUN/log/intake.log"
for name in "${MOT_SERVICES[@]}"; do
  equals "mot-$name is still the same process" "${pid_before[$name]}" "$(cat "$RUN/pids/$name.pid")"
done

# --- nothing refused anyone, on either Redis or any sentinel ----------------------
for port in "$MASTER_PORT" "$REPLICA_PORT" "${SENTINEL_PORTS[@]}"; do
  equals "no ACL refusal on 127.0.0.1:$port" "" "$(ha_cli "$port" ACL LOG | head -20)"
done
# --- asking the sentinels: in turn, and never believing a replica ---------------
closed_port=$((base + 25))
MOT_REDIS="sentinel:127.0.0.1:$closed_port,127.0.0.1:${SENTINEL_PORTS[1]}/$MASTER_NAME" \
  "$MOTCTL" clock show >"$RUN/clock.txt" 2>"$RUN/clock.err" || fail "motctl clock show past a dead sentinel: $(cat "$RUN/clock.err")"
equals "a dead sentinel first in the list: the next one answers" "2026-11-03T02:00:00-06:00" "$(cut -d' ' -f3 "$RUN/clock.txt")"
check "... and the dead one is logged" grep -q "sentinel_unusable sentinel=127.0.0.1:$closed_port master=$MASTER_NAME" "$RUN/clock.err"
status=0
MOT_REDIS="sentinel:127.0.0.1:${SENTINEL_PORTS[2]}/elsewhere" "$MOTCTL" clock show >/dev/null 2>"$RUN/unknown.err" || status=$?
equals "a master no sentinel knows: no connection" 1 "$status"
check "... logged as such" grep -q "sentinel_unusable sentinel=127.0.0.1:${SENTINEL_PORTS[2]} master=elsewhere reason=\"does not know the master\"" "$RUN/unknown.err"
# A sentinel told that the replica is the master of "stale": its answer is
# checked with ROLE and refused.
ha_cli "${SENTINEL_PORTS[0]}" SENTINEL MONITOR stale 127.0.0.1 "$REPLICA_PORT" 2 >/dev/null
status=0
MOT_REDIS="sentinel:127.0.0.1:${SENTINEL_PORTS[0]}/stale" "$MOTCTL" clock show >/dev/null 2>"$RUN/stale.err" || status=$?
ha_cli "${SENTINEL_PORTS[0]}" SENTINEL REMOVE stale >/dev/null
equals "a sentinel naming a replica as the master is not believed" 1 "$status"
check "... ROLE said slave" grep -q "redis_not_master address=sentinel:127.0.0.1:${SENTINEL_PORTS[0]}/stale master=127.0.0.1:$REPLICA_PORT role=slave" "$RUN/stale.err"

check "no password in any log" bash -c "! cat '$MOT_REDIS_SECRETS'/*.password | grep -rqF -f - '$RUN/log'"

echo "$E2E_CHECKS passed, 0 failed"
