#!/usr/bin/env bash
# Two classifier instances on the same item never lose an update:
# two mot-classifier processes read intake's dispatch socket (which spreads
# the work between them), 400 events of one item and 100 of other items are
# submitted as fast as acks allow from two submitters at once; in the end the
# item's event count, its month counters and its audit "evidence" entries
# equal what was submitted, every event is marked with its item, nothing is
# left pending, and both instances did commit part of the work. Small
# batches (--batch 8) make the two interleave on the item many times.
source "$(dirname "$0")/lib.sh"

printf 'abasto\tAdministrativo\tDA\t8\n' >"$RUN/rules.tsv"
printf '1\t1\n' >"$RUN/frequency.tsv"
printf 'origin\tUAD\t3\n' >"$RUN/impact.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_CLASSIFIER_BATCH=8

mot_start_redis "$RUN"
check "test clock set to 2026-11-03 09:00 local" "$MOTCTL" clock set 2026-11-03T09:00
for name in intake reporter; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done
# Two classifier instances; the second one's pid file makes mot_stop_all stop
# it too, and its metrics take any free port (the first has the run's).
mot_start_service "$RUN" "$MOT_BIN" classifier
MOT_CLASSIFIER_METRICS=127.0.0.1:0 setsid ${MOT_WRAP:-} "$MOT_BIN/mot-classifier" </dev/null >>"$RUN/log/classifier2.log" 2>&1 &
echo $! >"$RUN/pids/classifier2.pid"
MOT_SERVICES+=(classifier2)
e2e_wait_ready
both_serving() { grep -q serving "$RUN/log/classifier.log" && grep -q serving "$RUN/log/classifier2.log"; }
check "both classifiers serve" mot_wait 60 both_serving
sleep 0.5   # both PULL sockets connected, so intake spreads from the first event

# 400 events of one item over three months (Aug 100, Sep 120, Oct 180), and 100
# of 20 other items, split into two streams submitted at the same time.
months=(2026-08 2026-09 2026-10)
for i in $(seq 1 400); do
  if [ "$i" -le 100 ]; then m=0; elif [ "$i" -le 220 ]; then m=1; else m=2; fi
  printf '{"type":"queja","source":"UAD","external_id":"C-%d","territory":"OOAD-15","reason":"Abasto de medicamentos","received_on":"%s-%02d"}\n' \
    "$i" "${months[$m]}" $((i % 28 + 1))
done >"$RUN/hot.jsonl"
for i in $(seq 1 100); do
  printf '{"type":"queja","source":"UAD","external_id":"D-%d","territory":"OOAD-%02d","reason":"Abasto de medicamentos","received_on":"2026-10-01"}\n' \
    "$i" $((i % 20 + 1))
done >"$RUN/others.jsonl"
# OOAD-15 is also one of the 20 "other" territories (i % 20 + 1 = 15): 5 more events there.
cat "$RUN/hot.jsonl" "$RUN/others.jsonl" | awk 'NR % 2 == 1' >"$RUN/stream1.jsonl"
cat "$RUN/hot.jsonl" "$RUN/others.jsonl" | awk 'NR % 2 == 0' >"$RUN/stream2.jsonl"
"$MOTCTL" submit <"$RUN/stream1.jsonl" >"$RUN/acks1.jsonl" &
submitter1=$!
"$MOTCTL" submit <"$RUN/stream2.jsonl" >"$RUN/acks2.jsonl" &
submitter2=$!
wait "$submitter1" || fail "submit stream 1: $(grep -v '"accepted"' "$RUN/acks1.jsonl" | head -3)"
wait "$submitter2" || fail "submit stream 2: $(grep -v '"accepted"' "$RUN/acks2.jsonl" | head -3)"
equals "500 events acknowledged as new" 500 "$(cat "$RUN/acks1.jsonl" "$RUN/acks2.jsonl" | grep -c '"status":"accepted","event_id":"ev-[0-9]*","duplicate":false')"

pending_empty() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
check "no event left in mot:pending:classify" mot_wait 120 pending_empty

"$MOTCTL" mupoi --csv >"$RUN/mupoi.csv" || fail "motctl mupoi"
item=$(csv_field "$RUN/mupoi.csv" territorio OOAD-15 id)
key="mot:item:{$item}"
equals "one item per territory: 20" 20 "$(($(wc -l <"$RUN/mupoi.csv") - 1))"
equals "the hot item counts every event (400 + 5)" 405 "$(csv_field "$RUN/mupoi.csv" territorio OOAD-15 eventos)"
equals "month counters: Aug 100, Sep 120, Oct 180 + 5" "100 120 185" \
  "$(rcli HMGET "$key" month:2026-08 month:2026-09 month:2026-10 | tr '\n' ' ' | sed 's/ $//')"
equals "405 evidence entries in its audit trail" 405 \
  "$(rcli LRANGE "$key:audit" 0 -1 | grep -c '"what":"evidence"')"
equals "each event is evidence exactly once" "" \
  "$(rcli LRANGE "$key:audit" 0 -1 | grep '"what":"evidence"' | grep -o '"event_id":"ev-[0-9]*"' | sort | uniq -d)"
total=0
for t in $(seq 1 20); do
  n=$(csv_field "$RUN/mupoi.csv" territorio "$(printf 'OOAD-%02d' "$t")" eventos)
  total=$((total + n))
done
equals "all 20 items together hold all 500 events" 500 "$total"
unmarked=0
for id in $(cat "$RUN/acks1.jsonl" "$RUN/acks2.jsonl" | grep -o 'ev-[0-9]*'); do
  [ -n "$(rcli HGET "mot:event:$id" item_id)" ] || unmarked=$((unmarked + 1))
done
equals "every event is marked with its item" 0 "$unmarked"
applied() { grep -o 'applied=[0-9]*' "$1" | cut -d= -f2 | awk '{s += $1} END {print s + 0}'; }
a1=$(applied "$RUN/log/classifier.log")
a2=$(applied "$RUN/log/classifier2.log")
check "both instances committed part of the work ($a1 + $a2)" test "$a1" -gt 0 -a "$a2" -gt 0
equals "together they applied each event once" 500 $((a1 + a2))

echo "$E2E_CHECKS passed, 0 failed"
