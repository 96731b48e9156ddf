#!/usr/bin/env bash
# Back up and restore (issue #13's operations): deploy/redis/backup.sh
# takes a snapshot while every service runs; more events follow; then,
# with everything stopped, deploy/redis/restore.sh puts the snapshot back
# and the restarted pipeline holds exactly what it held at the backup:
# the same items with the same event counts, the events acknowledged
# before it answered `duplicate` when resent, those after it `accepted`
# anew (the README's warning). restore.sh refuses a running Redis's folder
# and a damaged backup, changing nothing.
source "$(dirname "$0")/lib.sh"

e2e_start_all
load() {   # load PREFIX COUNT OUT: COUNT events, acknowledgements counted in OUT
  "$MOT_BIN/mot-load" --count "$2" --rate 400 --window 200 --retry-ms 1000 --prefix "$1" >"$3" 2>&1
}
settled() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ] && [ "$(rcli ZCARD mot:pending:watch)" = 0 ]; }
items_csv() { "$MOTCTL" items --csv | sort; }

check "the first 120 events are acknowledged" load before- 120 "$RUN/before.txt"
equals "all of them accepted" accepted=120 "$(grep '^accepted=' "$RUN/before.txt")"
check "and classified" mot_wait 120 settled
items_csv >"$RUN/items-at-backup.csv"
check "there are items to lose" test "$(wc -l <"$RUN/items-at-backup.csv")" -gt 1

check "backup.sh takes a snapshot while everything runs" bash "$MOT_SOURCE/deploy/redis/backup.sh" "$RUN/backup.rdb"
check "only the checked file is left" test -s "$RUN/backup.rdb" -a ! -e "$RUN/backup.rdb.partial"

check "60 events after the backup are acknowledged" load after- 60 "$RUN/after.txt"
check "and classified" mot_wait 120 settled
check "the items changed after the backup" bash -c "! diff -q <($MOTCTL items --csv | sort) $RUN/items-at-backup.csv"

# A running Redis's folder is refused, and nothing in it moves.
ls "$RUN/redis" >"$RUN/redis-files.txt"
check "restore.sh refuses while Redis works in the folder" \
  bash -c "! bash '$MOT_SOURCE/deploy/redis/restore.sh' '$RUN/backup.rdb' '$RUN/redis' 2>'$RUN/refused.txt'"
check "saying to stop Redis first" grep -q 'stop Redis first' "$RUN/refused.txt"
equals "the folder is as it was" "$(cat "$RUN/redis-files.txt")" "$(ls "$RUN/redis")"

mot_stop_all "$RUN"
head -c 300 "$RUN/backup.rdb" >"$RUN/damaged.rdb"
check "a damaged backup is refused" \
  bash -c "! bash '$MOT_SOURCE/deploy/redis/restore.sh' '$RUN/damaged.rdb' '$RUN/redis' 2>'$RUN/damaged.txt'"
check "saying so, with nothing changed" grep -q 'nothing changed' "$RUN/damaged.txt"
equals "the folder is as it was" "$(cat "$RUN/redis-files.txt")" "$(ls "$RUN/redis")"

check "restore.sh puts the backup back" bash "$MOT_SOURCE/deploy/redis/restore.sh" "$RUN/backup.rdb" "$RUN/redis"
check "what the folder held is kept aside" test -d "$(ls -d "$RUN"/redis/before-restore-* | head -1)/appendonlydir"

e2e_start_all
check "the restarted pipeline settles" mot_wait 120 settled
items_csv >"$RUN/items-restored.csv"
check "it holds exactly the items of the backup, with their event counts" \
  diff "$RUN/items-at-backup.csv" "$RUN/items-restored.csv"
load before- 120 "$RUN/before-again.txt" || true
# mot-load counts every acknowledgement as accepted, and the duplicates among them.
equals "an event the backup holds is a duplicate when resent" "accepted=120 duplicates=120" \
  "$(grep -E '^(accepted|duplicates)=' "$RUN/before-again.txt" | paste -sd' ')"
load after- 60 "$RUN/after-again.txt" || true
equals "one acknowledged after the backup is accepted anew (the restore lost it)" "accepted=60 duplicates=0" \
  "$(grep -E '^(accepted|duplicates)=' "$RUN/after-again.txt" | paste -sd' ')"

echo "$E2E_CHECKS passed, 0 failed"
