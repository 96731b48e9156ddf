#!/usr/bin/env bash
# The whole pipeline end to end, on a real redis-server, the five real
# service binaries and real ZeroMQ sockets: events go in through intake's
# ingress, come out classified in the MUPOI/MURO with the quadrants of
# MOT-SPEC §4, bad input gets typed errors while the services keep serving,
# personal data never reaches Redis or the logs, and moving the test clock
# past a deadline yields the overdue notice on a real subscriber socket.
# Expected values are written out here by hand from the spec, not computed
# by the code under test.
source "$(dirname "$0")/lib.sh"

# Rules of this test (not the shipped ones), so every expectation below
# follows from this file alone.
printf 'abasto\tAdministrativo\tDA\t8\ntrato\tLegal\tDPM\t4\n' >"$RUN/rules.tsv"
printf '1\t1\n2\t4\n3\t7\n' >"$RUN/frequency.tsv"
printf '# no origin, reach or territory rules: keyword impact, else the default 5\n' >"$RUN/impact.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_WATCH_FROM=2026-10 MOT_REMIND_BD=0

mot_start_redis "$RUN"
check "test clock set to 2026-11-03 09:00 local" "$MOTCTL" clock set 2026-11-03T09:00
e2e_start_all
setsid "$MOTCTL" subscribe --since 0 --topic overdue/ --topic delivered_late/ >"$RUN/notices.jsonl" 2>"$RUN/log/subscriber.log" &
echo $! >"$RUN/pids/subscriber.pid"

# --- events in -------------------------------------------------------------
cat >"$RUN/events.jsonl" <<'JSONL'
{"type":"queja","source":"UAD","external_id":"T-Q1","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-01","person":{"nss":"12345678903","curp":"GOMA800101HDFRRN05","full_name":"Ana Gómez Martínez"}}
{"type":"queja","source":"UAD","external_id":"T-Q2","territory":"OOAD-09","reason":"abasto de  medicamentos","received_on":"2026-10-02","person":{"nss":"12345678903"}}
{"type":"queja","source":"UAD","external_id":"T-Q3","territory":"OOAD-09","reason":"ABASTO DE MEDICAMENTOS","received_on":"2026-10-03","person":{"nss":"10987654323"}}
{"type":"queja","source":"UAD","external_id":"T-Q4","territory":"OOAD-02","reason":"Trato","received_on":"2026-10-04"}
{"type":"finding","source":"UEOD","external_id":"T-F1","territory":"OOAD-03","topic":"Tema a","found_on":"2026-10-05","impact":6,"frequency":6}
{"type":"finding","source":"UEOD","external_id":"T-F2","territory":"OOAD-04","topic":"Tema b","found_on":"2026-10-05","impact":5,"frequency":6}
{"type":"finding","source":"UEOD","external_id":"T-F3","territory":"OOAD-05","topic":"Tema c","found_on":"2026-10-05","impact":5,"frequency":5}
{"type":"finding","source":"CV","external_id":"T-F4","territory":"OOAD-06","topic":"Tema d","found_on":"2026-10-05","impact":6,"frequency":5}
{"type":"finding","source":"UEOD","external_id":"T-F5","territory":"OOAD-07","topic":"Tema e","found_on":"2026-10-05","impact":10,"frequency":1}
{"type":"finding","source":"CV","external_id":"T-F6","territory":"OOAD-08","topic":"Tema f","found_on":"2026-10-05","impact":1,"frequency":10}
{"type":"risk","source":"CAPSOI","external_id":"T-R1","territory":"OOAD-30","topic":"Tema g","found_on":"2026-10-06","impact":8,"probability":7}
{"type":"risk","source":"CAPSOI","external_id":"T-R2","territory":"UMAE-05","topic":"Rezago en mantenimiento","found_on":"2026-10-06"}
JSONL
"$MOTCTL" submit <"$RUN/events.jsonl" >"$RUN/acks1.jsonl" || fail "submit: $(cat "$RUN/acks1.jsonl")"
equals "12 events acknowledged as accepted" 12 "$(grep -c '"status":"accepted","event_id":"ev-[0-9]*","duplicate":false' "$RUN/acks1.jsonl")"

"$MOTCTL" submit <"$RUN/events.jsonl" >"$RUN/acks2.jsonl" || fail "resubmit"
equals "a retry is recognised: 12 duplicates" 12 "$(grep -c '"duplicate":true' "$RUN/acks2.jsonl")"
equals "the dedup record does not expire while its item is open" -1 \
  "$(rcli TTL mot:dedup:UAD:T-Q1)"
equals "a retry gets the original event ids" "$(grep -o 'ev-[0-9]*' "$RUN/acks1.jsonl")" "$(grep -o 'ev-[0-9]*' "$RUN/acks2.jsonl")"

# --- bad input: typed errors, and the service keeps serving ----------------
sed 's/"expect"/"_expect"/' "$MOT_SOURCE/tests/data/events-bad.jsonl" >"$RUN/bad.jsonl"
"$MOTCTL" submit <"$RUN/bad.jsonl" >"$RUN/bad-acks.jsonl" && fail "bad events were accepted"
expected_codes=$(grep -o '"_expect": *"[A-Z_]*"' "$RUN/bad.jsonl" | grep -o '[A-Z_]*"$' | tr -d '"')
actual_codes=$(grep -o '"code":"[A-Z_]*"' "$RUN/bad-acks.jsonl" | cut -d'"' -f4)
equals "every bad event gets its typed error ($(wc -l <"$RUN/bad.jsonl") cases)" "$expected_codes" "$actual_codes"
# BAD-021..023: a CURP of 18 digits, one born in month 13, an NSS whose
# check digit is wrong; each refusal names the field, never the value.
equals "malformed identifiers refused naming their field" \
  "queja.person.curp queja.person.curp queja.person.nss" \
  "$(grep -o '"field":"queja\.person\.[a-z]*"' "$RUN/bad-acks.jsonl" | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
check "no refusal quotes the identifier it refuses" bash -c \
  "! grep -q -e 123456789012345678 -e HEGG561327MVZRRL03 -e 92919084432 '$RUN/bad-acks.jsonl'"

for case in "garbage MALFORMED" "wrongtype MALFORMED" "empty MISSING_FIELD" "multiframe BAD_FRAMING" \
            "badutf8 INVALID_UTF8" "badsource INVALID_VALUE" "oversize:70000 TOO_LARGE"; do
  set -- $case
  equals "raw frame '$1' gets $2" "$2" "$("$MOT_BIN/tests/mot_raw" "$MOT_INTAKE_INGRESS" ${1/:/ })"
done
echo '{"type":"queja","source":"UAD","external_id":"T-Q5","territory":"OOAD-02","reason":"Trato","received_on":"2026-10-07"}' \
  | "$MOTCTL" submit >"$RUN/acks3.jsonl"
check "intake still accepts after bad input" grep -q '"status":"accepted"' "$RUN/acks3.jsonl"

# --- classified into the registers -----------------------------------------
mupoi_rows() { [ "$("$MOTCTL" mupoi --csv | tail -n +2 | wc -l)" -eq 8 ] && "$MOTCTL" mupoi --csv | grep -q ',2026-10-07'; }
check "the MUPOI lists the 8 problemáticas" mot_wait 30 mupoi_rows
"$MOTCTL" mupoi --csv >"$RUN/mupoi.csv"
"$MOTCTL" muro --csv >"$RUN/muro.csv"

equals "three spellings of one reason are one item" 3 "$(csv_field "$RUN/mupoi.csv" territorio OOAD-09 eventos)"
equals "frequency from the event count (3 events → 7)" 7 "$(csv_field "$RUN/mupoi.csv" territorio OOAD-09 frecuencia)"
equals "impact from the keyword rule" 8 "$(csv_field "$RUN/mupoi.csv" territorio OOAD-09 impacto)"
equals "category and ON from the keyword rule" "Administrativo DA" \
  "$(csv_field "$RUN/mupoi.csv" territorio OOAD-09 categoria) $(csv_field "$RUN/mupoi.csv" territorio OOAD-09 on)"
equals "abasto 8×7 is quadrant I, red" "I rojo" \
  "$(csv_field "$RUN/mupoi.csv" territorio OOAD-09 cuadrante) $(csv_field "$RUN/mupoi.csv" territorio OOAD-09 color)"
equals "trato: 2 events → 4, impact 4 → III" "4 III" \
  "$(csv_field "$RUN/mupoi.csv" territorio OOAD-02 frecuencia) $(csv_field "$RUN/mupoi.csv" territorio OOAD-02 cuadrante)"
# Quadrant boundaries (MOT-SPEC §4: high is > 5, 5 is low).
for row in "OOAD-03 I" "OOAD-04 II" "OOAD-05 III" "OOAD-06 IV" "OOAD-07 IV" "OOAD-08 II"; do
  set -- $row
  equals "finding in $1 is quadrant $2" "$2" "$(csv_field "$RUN/mupoi.csv" territorio "$1" cuadrante)"
done
equals "items start in Identificación" "identificacion" "$(csv_field "$RUN/mupoi.csv" territorio OOAD-03 etapa)"
equals "risk 8×7 in the MURO, quadrant I, atención inmediata" "I atención inmediata" \
  "$(csv_field "$RUN/muro.csv" territorio OOAD-30 cuadrante) $(csv_field "$RUN/muro.csv" territorio OOAD-30 lectura)"
equals "unmatched risk is 'sin clasificar' for an analyst" "sin clasificar" "$(csv_field "$RUN/muro.csv" territorio UMAE-05 categoria)"
check "riesgos stay out of the MUPOI" bash -c "! grep -q OOAD-30 '$RUN/mupoi.csv'"

# --- personal data never stored or logged in clear -------------------------
rcli BGREWRITEAOF >/dev/null
sleep 1
check "no NSS, CURP or name in Redis's files" bash -c \
  "! grep -r -a -q -e 12345678903 -e GOMA800101HDFRRN05 -e 'Ana Gómez' -e 123456789012345678 \
     -e HEGG561327MVZRRL03 -e 92919084432 '$RUN/redis' '$RUN/log'"

# The keyed hash links complaints of one person without storing who it is.
person_ref() {
  local event
  event=$(grep "\"$1\"" "$RUN/acks1.jsonl" | grep -o 'ev-[0-9]*')
  rcli --no-raw HGET "mot:event:$event" envelope | grep -a -o 'p-[0-9a-f]\{32\}'
}
check "a queja with personal data carries a person reference" test -n "$(person_ref T-Q1)"
equals "the same NSS gives the same reference" "$(person_ref T-Q1)" "$(person_ref T-Q2)"
check "another NSS gives another reference" test "$(person_ref T-Q1)" != "$(person_ref T-Q3)"

# --- deadlines: a delivery clears its obligation, the rest go overdue ------
"$MOTCTL" deliver UCS temas-mediaticos 2026-10 2026-11-03 >/dev/null || fail "deliver UCS"
# Period 2026-10 closes on Oct 31; 5 business days after are Nov 2, 3, 4, 5, 6
# (no holiday), so the 5-bd reports are due 2026-11-06 and overdue from Nov 7.
"$MOTCTL" clock set 2026-11-07T00:00:30 >/dev/null
overdue_cv() { grep -q '"notice_id":"CV:identificacion-problematicas:2026-10|overdue' "$RUN/notices.jsonl"; }
check "overdue notice for CV's 2026-10 report on the subscriber socket" mot_wait 30 overdue_cv
equals "its deadline" 2026-11-06 \
  "$(grep '"notice_id":"CV:identificacion-problematicas:2026-10|overdue' "$RUN/notices.jsonl" | head -1 | grep -o '"deadline":"[0-9-]*"' | cut -d'"' -f4)"
check "no overdue notice for the report delivered on time" bash -c \
  "! grep -q 'UCS:temas-mediaticos:2026-10|overdue' '$RUN/notices.jsonl'"
check "notice text is Spanish and names the report" grep -q 'Informe de identificación de problemáticas operativas' "$RUN/notices.jsonl"
# 10 bd after Oct 31: Nov 2-6 and 9-13 → 2026-11-13; the UAD report is still pending on Nov 7.
check "no UAD overdue before its deadline" bash -c "! grep -q 'UAD:quejas-gestiones:2026-10|overdue' '$RUN/notices.jsonl'"
"$MOTCTL" clock set 2026-11-14T00:00:30 >/dev/null
overdue_uad() { grep -q '"notice_id":"UAD:quejas-gestiones:2026-10|overdue' "$RUN/notices.jsonl"; }
check "UAD overdue once 2026-11-13 has ended" mot_wait 30 overdue_uad
# Delivered on Nov 17: Nov 14-15 weekend, Nov 16 third Monday of November
# (LFT art. 74) → 1 business day late.
"$MOTCTL" clock set 2026-11-17T10:00 >/dev/null
"$MOTCTL" deliver UAD quejas-gestiones 2026-10 2026-11-17 >/dev/null || fail "deliver UAD"
late_uad() { grep -q '"notice_id":"UAD:quejas-gestiones:2026-10|delivered_late' "$RUN/notices.jsonl"; }
check "late delivery notice" mot_wait 30 late_uad
equals "late by 1 business day" 1 \
  "$(grep '"notice_id":"UAD:quejas-gestiones:2026-10|delivered_late' "$RUN/notices.jsonl" | head -1 | grep -o '"business_days_late":[0-9]*' | cut -d: -f2)"
"$MOTCTL" obligations --csv >"$RUN/obligations.csv"
check "the obligation list shows the on-time delivery" grep -q 'UCS:temas-mediaticos:2026-10,.*,delivered,' "$RUN/obligations.csv"
equals "each notice reached the subscriber once" "" "$(grep -o '"notice_id":"[^"]*"' "$RUN/notices.jsonl" | sort | uniq -d)"

# --- Redis goes away and comes back: typed error meanwhile, nothing lost -----
rcli SHUTDOWN >/dev/null 2>&1 || true
mot_wait 10 bash -c "! [ -S '$RUN/redis.sock' ]" || fail "redis did not stop"
echo '{"type":"queja","source":"UAD","external_id":"T-Q6","territory":"OOAD-02","reason":"Trato","received_on":"2026-10-08"}' >"$RUN/q6.jsonl"
"$MOTCTL" submit <"$RUN/q6.jsonl" >"$RUN/acks4.jsonl" || true
check "Redis down: intake answers UNAVAILABLE" grep -q '"code":"UNAVAILABLE"' "$RUN/acks4.jsonl"
mot_start_redis "$RUN"
"$MOTCTL" submit <"$RUN/q6.jsonl" >"$RUN/acks5.jsonl" || true
check "Redis back: the retry is accepted" grep -q '"status":"accepted","event_id":"ev-[0-9]*","duplicate":false' "$RUN/acks5.jsonl"
trato_three() { "$MOTCTL" mupoi --csv >"$RUN/mupoi2.csv" && [ "$(csv_field "$RUN/mupoi2.csv" territorio OOAD-02 eventos)" = 3 ]; }
check "Redis back: everything accepted before is still there and the new event is classified" mot_wait 30 trato_three
equals "Redis back: still 8 problemáticas" 8 "$(($(wc -l <"$RUN/mupoi2.csv") - 1))"

echo "$E2E_CHECKS passed, 0 failed"
