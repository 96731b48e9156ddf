#!/usr/bin/env bash
# Analyst overrides, end to end: an override sent through intake
# changes the item's effective impact, frequency, category and ON in the
# MUPOI while the rules' proposal stays next to it; later evidence keeps
# re-proposing but never undoes the override; the audit trail holds the
# proposal, the override (analyst, reason, old and new values) and the later
# scoring; a re-driven override changes nothing; an override for an unknown
# item is recorded as rejected and leaves the pending set. Expected values
# are written by hand from this test's own rule files.
source "$(dirname "$0")/lib.sh"

printf 'abasto\tAdministrativo\tDA\t8\n' >"$RUN/rules.tsv"
printf '1\t1\n2\t4\n3\t7\n' >"$RUN/frequency.tsv"
printf 'origin\tUAD\t3\n' >"$RUN/impact.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_INTAKE_REDRIVE_MS=300

# Only what this test needs: Redis, intake, the classifier, the reporter.
mot_start_redis "$RUN"
check "test clock set to 2026-11-03 09:00 local" "$MOTCTL" clock set 2026-11-03T09:00
for name in intake classifier reporter; do mot_start_service "$RUN" "$MOT_BIN" "$name"; done
e2e_wait_ready

submit() {   # submit NAME: the JSON lines on stdin, acks in $RUN/NAME.acks
  "$MOTCTL" submit >"$RUN/$1.acks" || fail "submit $1: $(cat "$RUN/$1.acks")"
}
mupoi() { "$MOTCTL" mupoi --csv >"$RUN/mupoi.csv" && [ -s "$RUN/mupoi.csv" ]; }
field() { csv_field "$RUN/mupoi.csv" territorio "$1" "$2"; }
pending() { rcli ZCARD mot:pending:classify; }
no_pending() { [ "$(pending)" = 0 ]; }

# --- the proposal: two quejas → impact 8 (keyword), frequency 4 (2 events) ---
submit first <<'JSONL'
{"type":"queja","source":"UAD","external_id":"O-Q1","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-01"}
{"type":"queja","source":"UAD","external_id":"O-Q2","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-02"}
{"type":"queja","source":"UAD","external_id":"O-Q3","territory":"OOAD-11","reason":"Vigencia","received_on":"2026-10-02"}
JSONL
two_events() { mupoi && [ "$(field OOAD-09 eventos)" = 2 ] && [ "$(field OOAD-11 eventos)" = 1 ]; }
check "two quejas join one item" mot_wait 60 two_events
item=$(field OOAD-09 id)
other=$(field OOAD-11 id)
equals "proposal before any override: impact 8, frequency 4, IV, Administrativo DA" "8 4 IV Administrativo DA" \
  "$(field OOAD-09 impacto) $(field OOAD-09 frecuencia) $(field OOAD-09 cuadrante) $(field OOAD-09 categoria) $(field OOAD-09 on)"
equals "no analyst yet" "" "$(field OOAD-09 corregido_por)"

# --- the override: every value ---------------------------------------------
submit override <<JSONL
{"type":"override","source":"UEOD","external_id":"O-OV1","item_id":"$item","impact":3,"vertical":9,"category":"Legal","on":"DJ","analyst":"analista.norte","reason":"Revisión de expedientes"}
JSONL
overridden() { mupoi && [ "$(field OOAD-09 impacto)" = 3 ]; }
check "the override reaches the MUPOI" mot_wait 60 overridden
equals "effective values are the analyst's: 3, 9, II, Legal, DJ" "3 9 II Legal DJ" \
  "$(field OOAD-09 impacto) $(field OOAD-09 frecuencia) $(field OOAD-09 cuadrante) $(field OOAD-09 categoria) $(field OOAD-09 on)"
equals "the proposal stays next to it (8, 4) with the analyst" "8 4 analista.norte" \
  "$(field OOAD-09 impacto_propuesto) $(field OOAD-09 frecuencia_propuesta) $(field OOAD-09 corregido_por)"
check "the override left the pending set" mot_wait 60 no_pending

# --- later evidence re-proposes, never undoes -------------------------------
submit later <<'JSONL'
{"type":"queja","source":"UAD","external_id":"O-Q4","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-20"}
JSONL
three_events() { mupoi && [ "$(field OOAD-09 eventos)" = 3 ]; }
check "the third queja is counted" mot_wait 60 three_events
equals "re-scored proposal: frequency 7 (3 events), impact still 8" "8 7" \
  "$(field OOAD-09 impacto_propuesto) $(field OOAD-09 frecuencia_propuesta)"
equals "the override survives later evidence: 3, 9, II, Legal, DJ" "3 9 II Legal DJ" \
  "$(field OOAD-09 impacto) $(field OOAD-09 frecuencia) $(field OOAD-09 cuadrante) $(field OOAD-09 categoria) $(field OOAD-09 on)"

# --- a partial override changes only what it names --------------------------
submit partial <<JSONL
{"type":"override","source":"UAD","external_id":"O-OV2","item_id":"$other","on":"DIR","analyst":"analista.sur","reason":"Corresponde a incorporación"}
JSONL
on_only() { mupoi && [ "$(field OOAD-11 on)" = DIR ]; }
check "an ON-only override sets the ON" mot_wait 60 on_only
equals "the rest stays the proposal: impact 3 (origin UAD), frequency 1, sin clasificar" "3 1 sin clasificar" \
  "$(field OOAD-11 impacto) $(field OOAD-11 frecuencia) $(field OOAD-11 categoria)"

# --- the audit trail --------------------------------------------------------
"$MOTCTL" audit "$item" >"$RUN/audit.jsonl" || fail "motctl audit $item"
is_json_lines() { jq -e -s 'length > 0 and all(type == "object")' "$1" >/dev/null; }
check "every audit line is a JSON object" is_json_lines "$RUN/audit.jsonl"
equals "three evidence entries" 3 "$(jq -s '[.[] | select(.what == "evidence")] | length' "$RUN/audit.jsonl")"
equals "one override entry" 1 "$(jq -s '[.[] | select(.what == "override")] | length' "$RUN/audit.jsonl")"
equals "the override names the analyst and the reason" "analista.norte|Revisión de expedientes" \
  "$(jq -r 'select(.what == "override") | "\(.analyst)|\(.reason)"' "$RUN/audit.jsonl")"
equals "the override keeps the old and the new values" "8 4 Administrativo DA → 3 9 Legal DJ" \
  "$(jq -r 'select(.what == "override") | "\(.old.impact) \(.old.vertical) \(.old.category) \(.old.on) → \(.new.impact) \(.new.vertical) \(.new.category) \(.new.on)"' "$RUN/audit.jsonl")"
equals "the later proposal is in the trail after the override, the effective values unchanged" "7 9 3" \
  "$(jq -s -r 'map(select(.what == "scored")) | last | "\(.proposed_vertical) \(.vertical) \(.impact)"' "$RUN/audit.jsonl")"
equals "the order: created, evidence, scored …, override, then the third evidence" "override evidence" \
  "$(jq -s -r '[.[] | select(.what == "override" or .what == "evidence")] | .[2:] | map(.what) | join(" ")' "$RUN/audit.jsonl")"

# --- idempotent: a re-driven override changes nothing -----------------------
override_event=$(grep -o 'ev-[0-9]*' "$RUN/override.acks")
rcli ZADD mot:pending:classify 0 "$override_event" >/dev/null
check "the re-driven override is committed again (leaves the pending set)" mot_wait 60 no_pending
redriven() { grep -q "redriven classify=" "$RUN/log/intake.log"; }
check "intake did re-drive it" redriven
check "the classifier found it already applied" grep -q 'committed events=[0-9]* applied=0 already=[1-9]' "$RUN/log/classifier.log"
"$MOTCTL" audit "$item" >"$RUN/audit2.jsonl" || fail "motctl audit $item"
equals "still one override entry after the re-drive" 1 "$(jq -s '[.[] | select(.what == "override")] | length' "$RUN/audit2.jsonl")"
equals "the item's version did not move" "$(rcli HGET "mot:item:{$item}" version)" \
  "$(jq -s '[.[] | select(.what == "evidence" or .what == "override")] | length' "$RUN/audit2.jsonl")"

# --- an override for an unknown item ---------------------------------------
submit unknown <<'JSONL'
{"type":"override","source":"UEOD","external_id":"O-OV3","item_id":"it-999","impact":2,"analyst":"analista.norte","reason":"Prueba"}
JSONL
unknown_event=$(grep -o 'ev-[0-9]*' "$RUN/unknown.acks")
check "intake accepts it (it cannot know items)" grep -q '"status":"accepted"' "$RUN/unknown.acks"
rejected() { [ "$(rcli HGET "mot:event:$unknown_event" rejected)" = "unknown item" ]; }
check "the classifier records it as rejected" mot_wait 60 rejected
check "and it leaves the pending set" mot_wait 60 no_pending
check "the rejection is logged" grep -q "override_rejected event_id=$unknown_event item_id=it-999" "$RUN/log/classifier.log"
equals "no item it-999 was created" 0 "$(rcli EXISTS 'mot:item:{it-999}')"
check "motctl audit of an unknown item fails" bash -c "! '$MOTCTL' audit it-999 2>'$RUN/audit-unknown.err'"
check "… naming INVALID_VALUE" grep -q INVALID_VALUE "$RUN/audit-unknown.err"

echo "$E2E_CHECKS passed, 0 failed"
