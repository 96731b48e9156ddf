#!/usr/bin/env bash
# Nothing acknowledged is lost: while a stream of events flows
# through intake, a classifier and an intake are killed with SIGKILL and
# restarted, and redis-server is killed (SIGKILL) and restarted (AOF on). The publisher retries
# what got no answer (same external id). In the end every acknowledged
# event is classified exactly once in effect: each has its item, and the
# items' event counts add up to the number of distinct events acknowledged.
source "$(dirname "$0")/lib.sh"

COUNT=3000
e2e_start_all
"$MOT_BIN/mot-load" --count $COUNT --rate 600 --window 3000 --retry-ms 1000 --prefix lost- \
  --acks "$RUN/acks.txt" >"$RUN/load.txt" 2>&1 &
load=$!

sleep 1
mot_kill_service "$RUN" classifier KILL
sleep 0.5
mot_start_service "$RUN" "$MOT_BIN" classifier
sleep 1
mot_kill_service "$RUN" intake KILL
sleep 0.5
mot_start_service "$RUN" "$MOT_BIN" intake
sleep 1
# SIGKILL, not SHUTDOWN: with the shipped AOF policy (appendfsync everysec)
# Redis writes the AOF before it answers, so what was acknowledged is in the
# kernel's hands and survives the death of the Redis process.
mot_kill_service "$RUN" redis KILL
mot_start_redis "$RUN"

wait $load || fail "the publisher did not get every event acknowledged: $(cat "$RUN/load.txt")"
equals "every event acknowledged, once per external id" $COUNT "$(cut -d' ' -f1 "$RUN/acks.txt" | sort -u | wc -l)"
check "the stream really was interrupted (retries happened)" grep -q 'retries=[1-9]' "$RUN/load.txt"

settled() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
check "every hand-off committed" mot_wait 120 settled
# One redis-cli for all the events' items (one reply line each, empty when
# none): a process per event costs minutes on a loaded machine.
sort -u "$RUN/acks.txt" | while read -r external event; do echo "HGET mot:event:$event item_id"; done \
  | rcli >"$RUN/items-of-events.txt"
equals "every acknowledged event is stored and classified" "$(sort -u "$RUN/acks.txt" | wc -l) 0" \
  "$(wc -l <"$RUN/items-of-events.txt") $(grep -vc '^it-[0-9]*$' "$RUN/items-of-events.txt")"
"$MOTCTL" items --csv >"$RUN/items.csv"
total=$(awk -v cols=eventos -f "$MOT_SOURCE/deploy/local/csv.awk" "$RUN/items.csv" | tail -n +2 | awk '{ s += $1 } END { print s }')
equals "no event counted twice or missed in the items" $COUNT "$total"

echo "$E2E_CHECKS passed, 0 failed"
