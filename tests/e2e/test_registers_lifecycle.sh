#!/usr/bin/env bash
# The registers through the item lifecycle (MOT-SPEC §8, §9), with the real
# services: a problemática found by UEOD and CV goes through two corrective
# actions, a residual valuation, a sesión de consenso with an agreement and
# a recommendation, a resolved valuation and closure, then is reopened; a
# riesgo is valued early. At each step the MUPOI/MURO (CSV and JSON) show
# the lifecycle columns, and the filters (unit, territory, ON, category,
# quadrant, stage, closed, all) select the rows; bad filter values are
# refused naming the field. Expected values are worked out by hand from the
# spec and this test's own rule files:
#   - scores the units gave are taken as is: 8 / 7 is quadrant I, 3 / 2 III,
#     7 / 6 I, 6 / 4 IV, 2 / 1 III ("high" is > 5);
#   - avance_promedio is the mean of the actions' verified %, rounded down;
#   - mitigacion_* go from the scores just before the first valuation to
#     the scores now (8 / 7 → 3 / 2: I→III, -5, -5);
#   - cerrado_el is the local date (UTC−06:00) of the closure.
source "$(dirname "$0")/lib.sh"

printf 'desabasto\tAdministrativo\tDPM\t8\nelevador\tAdministrativo\tDIR\t7\ntrato\tLegal\tDJ\t3\n' >"$RUN/rules.tsv"
printf '1\t1\n2\t2\n3\t3\n' >"$RUN/frequency.tsv"
printf 'origin\tUAD\t4\n' >"$RUN/impact.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_WATCH_FROM=2027-01 MOT_ESCALATE_EVERY_BD=0

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all

# --- helpers -------------------------------------------------------------
submit_wait() { echo "$1" | "$MOTCTL" submit --wait --timeout 5; }
applied() {   # applied DESCRIPTION LINE
  local ack
  ack=$(submit_wait "$2") || fail "$1: $ack"
  equals "$1" '"outcome":"applied"' "$(echo "$ack" | grep -o '"outcome":"[a-z]*"')"
}
# register VERB [OPTIONS]: the register's CSV in $RUN/register.csv
register() { "$MOTCTL" "$@" --csv >"$RUN/register.csv" || fail "motctl $* failed"; }
cell() { csv_field "$RUN/register.csv" id "$1" "$2"; }      # cell ID COLUMN (of the last register read)
# cells ID COLUMN...: the cells of the row, joined with |
cells() {
  local id=$1 out="" column
  shift
  for column in "$@"; do out="$out|$(cell "$id" "$column")"; done
  echo "${out#|}"
}
# ids VERB [OPTIONS]: the ids of the rows, sorted, space-separated
ids() { register "$@"; awk -v cols=id -f "$MOT_SOURCE/deploy/local/csv.awk" "$RUN/register.csv" | tail -n +2 | sort | tr '\n' ' ' | sed 's/ $//'; }
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
# json_cell ID COLUMN VERB [OPTIONS]: the cell as JSON (a number bare, text quoted)
json_cell() {
  local id=$1 column=$2
  shift 2
  "$MOTCTL" "$@" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["items"]
row = [r for r in rows if r["id"] == sys.argv[1]][0]
print(json.dumps(row[sys.argv[2]], ensure_ascii=False))' "$id" "$column"
}
LIFECYCLE="unidades acciones acciones_completas avance_promedio resultado ultima_valoracion valoraciones mitigacion_cuadrante mitigacion_impacto"

# --- Identificación: P (UEOD, then CV, same territory and topic), R, Q ---
applied "a UEOD finding opens the problemática" \
  '{"type":"finding","source":"UEOD","external_id":"RG-F1","territory":"OOAD-15","topic":"Desabasto de medicamentos","found_on":"2026-10-20","impact":8,"frequency":7}'
applied "a CV finding on the same territory and topic joins it" \
  '{"type":"finding","source":"CV","external_id":"RG-F2","territory":"OOAD-15","topic":"Desabasto de medicamentos","found_on":"2026-10-18","impact":8,"frequency":7}'
applied "a CAPSOI risk finding opens the riesgo" \
  '{"type":"risk","source":"CAPSOI","external_id":"RG-R1","territory":"UMAE-03","topic":"Falla de elevadores","found_on":"2026-10-21","impact":7,"probability":6}'
applied "a UEOD finding in another territory opens a second problemática" \
  '{"type":"finding","source":"UEOD","external_id":"RG-F3","territory":"OOAD-09","topic":"Trato digno","found_on":"2026-10-22","impact":3,"frequency":2}'
register items
p=$(csv_field "$RUN/register.csv" territorio OOAD-15 id)
r=$(csv_field "$RUN/register.csv" territorio UMAE-03 id)
q=$(csv_field "$RUN/register.csv" territorio OOAD-09 id)
check "three items ($p $r $q)" test -n "$p" -a -n "$r" -a -n "$q"

register mupoi
equals "P before any work: both units, no actions, no valuation" \
  "UEOD,CV|0|0||||0||||0|0||" \
  "$(cells "$p" $LIFECYCLE mitigacion_frecuencia acuerdos_abiertos recomendaciones_abiertas cerrado_el cerrado_por)"
equals "P is quadrant I in identificación" "I|identificacion" "$(cells "$p" cuadrante etapa)"
equals "no average without actions: null in the JSON" null "$(json_cell "$p" avance_promedio mupoi)"
equals "acciones is a JSON number" 0 "$(json_cell "$p" acciones mupoi)"

# --- Seguimiento: two corrective actions; one complete, the other at 50 % ---
applied "corrective action AC-1" \
  "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"RG-A1\",\"action_id\":\"AC-RG1\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-30\",\"item_id\":\"$p\",\"responsible\":\"DPM\"}"
applied "corrective action AC-2" \
  "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"RG-A2\",\"action_id\":\"AC-RG2\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-12-04\",\"item_id\":\"$p\",\"responsible\":\"DPM\"}"
progress() {   # progress ACTION PERCENT CUT_OFF: a report and its verification
  applied "$1 reports $2 % at $3" \
    "{\"type\":\"progress\",\"source\":\"UEOD\",\"external_id\":\"RG-P-$1-$2\",\"kind\":\"accion-correctiva\",\"action_id\":\"$1\",\"percent\":$2,\"cut_off\":\"$3\",\"analyst\":\"enlace.dpm\"}"
  applied "$1's $2 % is verified" \
    "{\"type\":\"verification\",\"source\":\"UEOD\",\"external_id\":\"RG-V-$1-$2\",\"kind\":\"accion-correctiva\",\"action_id\":\"$1\",\"cut_off\":\"$3\",\"verified\":true,\"analyst\":\"analista.ueod\"}"
}
progress AC-RG1 100 2026-11-03
progress AC-RG2 50 2026-11-02
register mupoi
equals "P: 2 actions, 1 complete, (100 + 50) / 2 = 75 %" "seguimiento|2|1|75" \
  "$(cells "$p" etapa acciones acciones_completas avance_promedio)"
equals "avance_promedio is a JSON number" 75 "$(json_cell "$p" avance_promedio mupoi)"

# The filters, with P (I, seguimiento, UEOD+CV, OOAD-15, Administrativo/DPM),
# R (riesgo, I, identificación, CAPSOI, UMAE-03, Administrativo/DIR) and
# Q (III, identificación, UEOD, OOAD-09, Legal/DJ) all open.
equals "no filter: every item" "$(sorted "$p" "$r" "$q")" "$(ids items)"
equals "--stage seguimiento" "$p" "$(ids items --stage seguimiento)"
equals "--stage identificacion" "$(sorted "$r" "$q")" "$(ids items --stage identificacion)"
equals "--unit CV: an item the second unit detected" "$p" "$(ids items --unit CV)"
equals "--unit UEOD" "$(sorted "$p" "$q")" "$(ids items --unit UEOD)"
equals "--unit CAPSOI on the MURO" "$r" "$(ids muro --unit CAPSOI)"
equals "--unit UAD: nobody's" "" "$(ids items --unit UAD)"
equals "--quadrant 1" "$(sorted "$p" "$r")" "$(ids items --quadrant 1)"
equals "--quadrant III (roman)" "$q" "$(ids items --quadrant III)"
equals "--territory OOAD-15 on the MUPOI" "$p" "$(ids mupoi --territory OOAD-15)"
equals "--territory OOAD-15 on the MURO: none" "" "$(ids muro --territory OOAD-15)"
equals "--category Legal" "$q" "$(ids items --category Legal)"
equals "--on DIR" "$r" "$(ids items --on DIR)"
equals "--category Administrativo --quadrant 1 --unit UEOD" "$p" \
  "$(ids items --category Administrativo --quadrant 1 --unit UEOD)"
equals "unclassified --territory OOAD-15: none (all classified)" "" "$(ids unclassified --territory OOAD-15)"

# Bad filter values: a typed error from the reporter naming the field.
refused_filter() {   # refused_filter DESCRIPTION CODE FIELD VERB [OPTIONS]
  local what=$1 code=$2 field=$3
  shift 3
  "$MOTCTL" "$@" >/dev/null 2>"$RUN/refused.err" && fail "$what: motctl must exit 1"
  equals "$what" "$code|(field $field)" \
    "$(cut -d: -f2 "$RUN/refused.err" | tr -d ' ')|$(grep -o '(field [a-z_]*)$' "$RUN/refused.err")"
}
refused_filter "--quadrant 7 is refused" INVALID_VALUE quadrant mupoi --quadrant 7
refused_filter "an unknown stage is refused" INVALID_VALUE stage muro --stage cerrada
refused_filter "an unknown unit is refused" INVALID_VALUE unit items --unit DPM
refused_filter "a territory not in the catalogue is refused" UNKNOWN_TERRITORY territory mupoi --territory OOAD-99
"$MOTCTL" mupoi --closed --all >/dev/null 2>&1 && fail "--closed with --all must be a usage error"
check "--closed with --all is a usage error (exit 2)" test $? -eq 2
"$MOTCTL" obligations --unit UAD >/dev/null 2>&1 && fail "obligations takes no filter"
check "obligations takes no filter (exit 2)" test $? -eq 2

# --- Monitoreo: the second action complete; valoración residual 3 / 2 ---
progress AC-RG2 100 2026-11-03
applied "valoración: residual, 3 / 2" \
  "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"RG-VAL1\",\"item_id\":\"$p\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.ueod\"}"
applied "the riesgo is valued early, 6 / 4, with a reason" \
  "{\"type\":\"valuation\",\"source\":\"CAPSOI\",\"external_id\":\"RG-VAL2\",\"item_id\":\"$r\",\"impact\":6,\"vertical\":4,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.capsoi\",\"reason\":\"Revisión en la RTR\"}"
register mupoi
equals "P valued residual: 8 / 7 (I) → 3 / 2 (III)" \
  "monitoreo|III|UEOD,CV|2|2|100|residual|2026-11-03|1|I→III|-5|-5" \
  "$(cells "$p" etapa cuadrante $LIFECYCLE mitigacion_frecuencia)"
equals "mitigacion_impacto is a signed JSON number" -5 "$(json_cell "$p" mitigacion_impacto mupoi)"
equals "mitigacion_cuadrante in the JSON" '"I→III"' "$(json_cell "$p" mitigacion_cuadrante mupoi)"
register muro
equals "R valued early: 7 / 6 (I) → 6 / 4 (IV), the MURO's probability column" \
  "monitoreo|IV|CAPSOI|0|residual|2026-11-03|I→IV|-1|-2" \
  "$(cells "$r" etapa cuadrante unidades acciones resultado ultima_valoracion mitigacion_cuadrante mitigacion_impacto mitigacion_probabilidad)"
equals "--stage monitoreo on the MURO" "$r" "$(ids muro --stage monitoreo)"
equals "--quadrant 3 now finds P too (its effective quadrant)" "$(sorted "$p" "$q")" "$(ids mupoi --quadrant 3)"

# --- Mejora Continua: a session, an agreement and a recommendation ---
applied "a sesión de consenso covers P" \
  "{\"type\":\"session\",\"source\":\"CAPSOI\",\"external_id\":\"RG-SC1\",\"session_id\":\"SC-RG\",\"held_on\":\"2026-11-03\",\"medium\":\"videoconferencia\",\"offices\":[\"TDOE\",\"CAPSOI\"],\"item_ids\":[\"$p\"],\"analyst\":\"tdoe\"}"
applied "an agreement of the session" \
  "{\"type\":\"action\",\"source\":\"CAPSOI\",\"external_id\":\"RG-G1\",\"action_id\":\"ACU-RG\",\"kind\":\"acuerdo\",\"due_on\":\"2026-12-15\",\"item_id\":\"$p\",\"session_id\":\"SC-RG\",\"responsible\":\"OOAD-15\"}"
applied "a preventive recommendation" \
  "{\"type\":\"action\",\"source\":\"CAPSOI\",\"external_id\":\"RG-REC1\",\"action_id\":\"REC-RG\",\"kind\":\"recomendacion\",\"due_on\":\"2026-12-20\",\"item_id\":\"$p\",\"recommendation_type\":\"preventiva\",\"responsible\":\"DPM\"}"
register mupoi
equals "P in mejora continua: one agreement and one recommendation open; corrective actions unchanged" \
  "mejora_continua|1|1|2|2|100" \
  "$(cells "$p" etapa acuerdos_abiertos recomendaciones_abiertas acciones acciones_completas avance_promedio)"
equals "--stage mejora_continua" "$p" "$(ids items --stage mejora_continua)"
for id in ACU-RG:acuerdo REC-RG:recomendacion; do
  action=${id%%:*} kind=${id##*:}
  applied "$action reports 100 %" \
    "{\"type\":\"progress\",\"source\":\"CAPSOI\",\"external_id\":\"RG-P-$action\",\"kind\":\"$kind\",\"action_id\":\"$action\",\"percent\":100,\"cut_off\":\"2026-11-03\",\"analyst\":\"analista.capsoi\"}"
  applied "$action is verified" \
    "{\"type\":\"verification\",\"source\":\"CAPSOI\",\"external_id\":\"RG-V-$action\",\"kind\":\"$kind\",\"action_id\":\"$action\",\"cut_off\":\"2026-11-03\",\"verified\":true,\"analyst\":\"analista.capsoi\"}"
done
register mupoi
equals "agreement and recommendation complete: none open, back to monitoreo" "monitoreo|0|0" \
  "$(cells "$p" etapa acuerdos_abiertos recomendaciones_abiertas)"

# --- Closure, late on 2026-11-05 local (already the 6th in UTC) ---
"$MOTCTL" clock set 2026-11-05T21:30 >/dev/null
applied "valoración: resolved, 2 / 1" \
  "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"RG-VAL3\",\"item_id\":\"$p\",\"impact\":2,\"vertical\":1,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-05\",\"analyst\":\"analista.ueod\"}"
applied "P is closed" \
  "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"RG-C1\",\"item_id\":\"$p\",\"analyst\":\"tdoe\",\"reason\":\"Abasto normalizado\"}"
equals "the closed item leaves the MUPOI" "$q" "$(ids mupoi)"
equals "… and the item list" "$(sorted "$r" "$q")" "$(ids items)"
equals "--closed: closed items only" "$p" "$(ids mupoi --closed)"
equals "--all: open and closed" "$(sorted "$p" "$q")" "$(ids mupoi --all)"
equals "--stage cerrado asks for closed items by itself" "$p" "$(ids items --stage cerrado)"
equals "--closed on the MURO: none closed" "" "$(ids muro --closed)"
equals "--unit CV: its only item is closed" "" "$(ids items --unit CV)"
equals "--unit CV --all" "$p" "$(ids items --unit CV --all)"
equals "--quadrant 3 --all" "$(sorted "$p" "$q")" "$(ids mupoi --quadrant 3 --all)"
register mupoi --closed
equals "the closed row keeps its history: resolved 2 / 1 on 2026-11-05, two valuations, I→III -6 -6" \
  "cerrado|III|UEOD,CV|2|2|100|resuelta|2026-11-05|2|I→III|-6|-6" \
  "$(cells "$p" etapa cuadrante $LIFECYCLE mitigacion_frecuencia)"
equals "closed on the local date, by the analyst account" "2026-11-05|tdoe" "$(cells "$p" cerrado_el cerrado_por)"
equals "cerrado_el in the JSON" '"2026-11-05"' "$(json_cell "$p" cerrado_el mupoi --all)"
check "its trail stays queryable" bash -c "'$MOTCTL' audit '$p' | grep -q '\"to\":\"cerrado\"'"

# --- Reopened: back in the register, open again ---
applied "P is reopened" \
  "{\"type\":\"reopen\",\"source\":\"UEOD\",\"external_id\":\"RG-O1\",\"item_id\":\"$p\",\"analyst\":\"tdoe\",\"reason\":\"Reincidencia\"}"
equals "the reopened item is back in the MUPOI" "$(sorted "$p" "$q")" "$(ids mupoi)"
register mupoi
equals "reopened: identificación, no outcome, no closure; its last valuation and mitigation stay" \
  "identificacion||2026-11-05|2|I→III||" \
  "$(cells "$p" etapa resultado ultima_valoracion valoraciones mitigacion_cuadrante cerrado_el cerrado_por)"
equals "--closed: none closed now" "" "$(ids mupoi --closed)"

# --- How the body comes back: motctl asks for it as a frame of its own after
# the reply (Query.body_frame); a client that does not ask gets it inside the
# reply, the same bytes (MUPOI = 2, ITEMS = 1; CSV = 1, JSON = 0).
"$MOTCTL" mupoi --all --csv >"$RUN/motctl.csv" || fail "motctl mupoi --all --csv failed"
"$MOT_BIN/tests/mot_query" "$MOT_REPORTER_QUERY" 2 1 frame >"$RUN/frame.csv" || fail "no body as a frame"
"$MOT_BIN/tests/mot_query" "$MOT_REPORTER_QUERY" 2 1 inside >"$RUN/inside.csv" || fail "no body inside the reply"
check "the CSV as a frame is what motctl printed" cmp "$RUN/motctl.csv" "$RUN/frame.csv"
check "… and inside the reply the same bytes" cmp "$RUN/motctl.csv" "$RUN/inside.csv"
equals "… with both items" 3 "$(wc -l <"$RUN/inside.csv")"
"$MOTCTL" items --all >"$RUN/motctl.json" || fail "motctl items --all failed"
"$MOT_BIN/tests/mot_query" "$MOT_REPORTER_QUERY" 1 0 inside >"$RUN/inside.json" || fail "no JSON inside the reply"
check "the JSON register inside the reply (its time aside) is what motctl printed" \
  bash -c "diff <(sed 's/\"generated_at\":\"[^\"]*\"//' '$RUN/motctl.json') <(sed 's/\"generated_at\":\"[^\"]*\"//' '$RUN/inside.json')"
