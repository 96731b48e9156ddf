#!/usr/bin/env bash
# The classifier's proposal rules, end to end: frequency from the
# events of the configured window (--window-months; the N calendar months
# ending with the month of the item's latest event date), probability from
# the risk's own value (the one of the latest event date) else the same
# table, impact from the rules of impact.tsv (keyword else origin, media
# reach, territory adjustment, capped 1..10) and the unclassified listing
# for analysts (motctl unclassified). Expected values are written by hand
# from this test's own rule files.
source "$(dirname "$0")/lib.sh"

printf 'abasto\tAdministrativo\tDA\t8\nurgencias\tEstratégico\tDPM\t9\n' >"$RUN/rules.tsv"
printf '1\t1\n2\t2\n3\t3\n4\t4\n5\t5\n6\t6\n' >"$RUN/frequency.tsv"
cat >"$RUN/impact.tsv" <<'TSV'
# origin UEOD, CV, CAPSOI absent on purpose: their events fall back to --default-impact
origin	UAD	3
origin	UCS	4
reach	1000	6
reach	50000	9
territory	UMAE	+2
territory	OOAD-21	-1
TSV
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_WINDOW_MONTHS=2 MOT_DEFAULT_IMPACT=5

mot_start_redis "$RUN"
check "test clock set to 2026-11-03 09:00 local" "$MOTCTL" clock set 2026-11-03T09:00
for name in intake classifier reporter; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done
e2e_wait_ready

submit() {   # submit NAME: the JSON lines on stdin
  "$MOTCTL" submit >"$RUN/$1.acks" || fail "submit $1: $(cat "$RUN/$1.acks")"
}
pending_empty() { [ "$(rcli ZCARD mot:pending:classify)" = 0 ]; }
registers() {   # all committed, then both registers and the unclassified list
  mot_wait 60 pending_empty || fail "events left in mot:pending:classify"
  "$MOTCTL" mupoi --csv >"$RUN/mupoi.csv" && "$MOTCTL" muro --csv >"$RUN/muro.csv" \
    && "$MOTCTL" unclassified --csv >"$RUN/unclassified.csv" || fail "reading the registers"
}
p() { csv_field "$RUN/mupoi.csv" tema "$1" "$2"; }   # p TEMA COLUMN
r() { csv_field "$RUN/muro.csv" tema "$1" "$2"; }

# --- frequency window: 2 months ending with the latest event's month -------
submit window <<'JSONL'
{"type":"queja","source":"UAD","external_id":"S-W1","territory":"OOAD-01","reason":"Trato","received_on":"2026-07-10"}
{"type":"queja","source":"UAD","external_id":"S-W2","territory":"OOAD-01","reason":"Trato","received_on":"2026-08-10"}
{"type":"queja","source":"UAD","external_id":"S-W3","territory":"OOAD-01","reason":"Trato","received_on":"2026-09-05"}
{"type":"queja","source":"UAD","external_id":"S-W4","territory":"OOAD-01","reason":"Trato","received_on":"2026-09-20"}
JSONL
registers
equals "4 events, 3 of them in Aug–Sep → frequency 3 (not 4)" "4 3" "$(p Trato eventos) $(p Trato frecuencia)"
submit window-old <<'JSONL'
{"type":"queja","source":"UAD","external_id":"S-W5","territory":"OOAD-01","reason":"Trato","received_on":"2026-06-01"}
JSONL
registers
equals "an older event counts as evidence but the window stays Aug–Sep" "5 3 2026-06-01" \
  "$(p Trato eventos) $(p Trato frecuencia) $(p Trato primera)"
submit window-new <<'JSONL'
{"type":"queja","source":"UAD","external_id":"S-W6","territory":"OOAD-01","reason":"Trato","received_on":"2026-11-01"}
JSONL
registers
equals "an event in November moves the window to Oct–Nov → frequency 1" "6 1 2026-11-01" \
  "$(p Trato eventos) $(p Trato frecuencia) $(p Trato ultima)"
month_sum=$(rcli HGETALL "mot:item:{$(p Trato id)}" | paste - - | awk -F'\t' '$1 ~ /^month:/ {s += $2} END {print s}')
equals "the month counters hold every event" 6 "$month_sum"

# --- probability: the risk's own value (latest event date), else the table ---
submit risks <<'JSONL'
{"type":"risk","source":"CAPSOI","external_id":"S-R1b","territory":"OOAD-30","topic":"Tema r1","found_on":"2026-10-05","probability":3}
{"type":"risk","source":"CAPSOI","external_id":"S-R1a","territory":"OOAD-30","topic":"Tema r1","found_on":"2026-10-01","probability":8}
{"type":"risk","source":"CAPSOI","external_id":"S-R2a","territory":"OOAD-31","topic":"Tema r2","found_on":"2026-10-01"}
{"type":"risk","source":"CAPSOI","external_id":"S-R2b","territory":"OOAD-31","topic":"Tema r2","found_on":"2026-10-02"}
JSONL
registers
equals "given probabilities: the one of the latest date (3), not the last to arrive (8)" 3 "$(r 'Tema r1' probabilidad)"
equals "no probability given: 2 events in the window → 2" 2 "$(r 'Tema r2' probabilidad)"
equals "a CAPSOI risk without impact: no origin row → default 5, quadrant III" "5 III" \
  "$(r 'Tema r2' impacto) $(r 'Tema r2' cuadrante)"

# --- impact rules ------------------------------------------------------------
submit impact <<'JSONL'
{"type":"queja","source":"UAD","external_id":"S-I1","territory":"OOAD-21","reason":"Abasto","received_on":"2026-10-01"}
{"type":"queja","source":"UAD","external_id":"S-I2","territory":"UMAE-03","reason":"Urgencias saturadas","received_on":"2026-10-01"}
{"type":"media","source":"UCS","external_id":"S-M1","territory":"OOAD-05","theme":"Tema m1","published_on":"2026-10-01","reach":5000}
{"type":"media","source":"UCS","external_id":"S-M2","territory":"OOAD-21","theme":"Tema m2","published_on":"2026-10-01","reach":60000}
{"type":"media","source":"UCS","external_id":"S-M3","territory":"OOAD-21","theme":"Tema m3","published_on":"2026-10-01"}
{"type":"media","source":"UCS","external_id":"S-M4","territory":"UMAE-05","theme":"Tema m4","published_on":"2026-10-01","reach":999}
{"type":"media","source":"UCS","external_id":"S-M5","territory":"OOAD-06","theme":"Abasto en farmacia","published_on":"2026-10-01","reach":1000}
{"type":"finding","source":"UEOD","external_id":"S-F1","territory":"UMAE-04","topic":"Tema f1","found_on":"2026-10-01","impact":2}
{"type":"finding","source":"UEOD","external_id":"S-F2","territory":"OOAD-07","topic":"Tema f2","found_on":"2026-10-01"}
JSONL
registers
equals "queja, no keyword: origin UAD → 3" 3 "$(p Trato impacto)"
equals "keyword 8 in OOAD-21 (−1) → 7" 7 "$(p Abasto impacto)"
equals "keyword 9 in a UMAE (+2) → capped at 10" 10 "$(p 'Urgencias saturadas' impacto)"
equals "media reach 5000: origin 4 raised to 6 by reach ≥ 1000" 6 "$(p 'Tema m1' impacto)"
equals "media reach 60000 in OOAD-21: 9 − 1 → 8" 8 "$(p 'Tema m2' impacto)"
equals "media without reach in OOAD-21: 4 − 1 → 3" 3 "$(p 'Tema m3' impacto)"
equals "media reach 999 (below 1000) in a UMAE: 4 + 2 → 6" 6 "$(p 'Tema m4' impacto)"
equals "media keyword 8 beats reach 6 → 8" 8 "$(p 'Abasto en farmacia' impacto)"
equals "the unit's own impact is taken as is (no UMAE adjustment)" 2 "$(p 'Tema f1' impacto)"
equals "finding without impact, no origin row: default 5" 5 "$(p 'Tema f2' impacto)"

# --- unclassified items, for an analyst --------------------------------------
listed() { tail -n +2 "$RUN/unclassified.csv" | cut -d, -f1 | sort -V | tr '\n' ' '; }
expected_ids() { for t in "$@"; do csv_field "$RUN/mupoi.csv" tema "$t" id; csv_field "$RUN/muro.csv" tema "$t" id; done | grep . | sort -V | tr '\n' ' '; }
equals "unclassified lists exactly the items no rule matched (9)" \
  "$(expected_ids Trato 'Tema m1' 'Tema m2' 'Tema m3' 'Tema m4' 'Tema f1' 'Tema f2' 'Tema r1' 'Tema r2')" "$(listed)"
check "the unclassified CSV has the kind column" grep -q '^id,tipo,territorio,' "$RUN/unclassified.csv"
m1=$(p 'Tema m1' id)
m2=$(p 'Tema m2' id)
submit analyst <<JSONL
{"type":"override","source":"UCS","external_id":"S-O1","item_id":"$m1","category":"Estratégico","analyst":"analista.medios","reason":"Tema de imagen institucional"}
{"type":"override","source":"UCS","external_id":"S-O2","item_id":"$m2","category":"Estratégico","on":"DPM","analyst":"analista.medios","reason":"Tema de atención médica"}
{"type":"media","source":"UCS","external_id":"S-M6","territory":"OOAD-21","theme":"Tema m3","headline":"Desabasto de vacunas","published_on":"2026-10-02"}
JSONL
registers
equals "an item whose category and ON an analyst set leaves the list; category only stays (ON unset)" \
  "$(expected_ids Trato 'Tema m1' 'Tema m4' 'Tema f1' 'Tema f2' 'Tema r1' 'Tema r2')" "$(listed)"
equals "new evidence matching a keyword categorises the item: Administrativo DA, impact max(3, 8 − 1)" \
  "Administrativo DA 7" "$(p 'Tema m3' categoria) $(p 'Tema m3' on) $(p 'Tema m3' impacto)"
"$MOTCTL" unclassified >"$RUN/unclassified.json" || fail "motctl unclassified (JSON)"
check "the JSON names the register" grep -q '"register":"UNCLASSIFIED"' "$RUN/unclassified.json"

echo "$E2E_CHECKS passed, 0 failed"
