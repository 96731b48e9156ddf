#!/usr/bin/env bash
# The registers as Excel workbooks (`motctl mupoi|muro [filters] --xlsx FILE`),
# with the real services: four problemáticas and two riesgos with known
# scores (topics with accents), one riesgo valued; the MUPOI, the MURO, a
# filtered and an empty register written as workbooks and read back by
# parsing them (tests/tools/xlsx_check.py: zipfile + xml.etree, nothing of
# libxlsxwriter). Every expected value is written here by hand from the spec
# and this test's own rule files:
#   - scores the units gave are taken as is; "high" is > 5 (MOT-SPEC §4):
#     8 / 7 I rojo, 3 / 2 III verde, 4 / 8 II naranja, 8 / 3 IV amarillo,
#     9 / 6 I rojo, 2 / 9 II naranja;
#   - labels (§4): impact 8 Grave, 3 Bajo, 4 Bajo, 9 Catastrófico; frequency
#     / probability 7 Muy probable, 2 Remota, 8 Muy probable, 3 Inusual;
#   - the readings (§4): problemáticas I vigilancia permanente, II vigilancia
#     constante, III vigilancia periódica, IV vigilancia continua; riesgos I
#     atención inmediata, III controlados;
#   - the riesgo 9 / 6 valued 3 / 2: quadrant III, mitigation I→III, -6, -4;
#   - the MUPOI and the MURO have 34 columns each (register_query.h), so the
#     table spans A..AH.
# Bad cases: --xlsx with --csv (usage, 2), an unwritable path (1), a
# reporter refusal (1, no file), and stdout stays empty.
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CHECK="$MOT_SOURCE/tests/tools/xlsx_check.py"

printf 'urgencias\tEstratégico\tDPM\t5\nelevador\tAdministrativo\tDIR\t5\ndesabasto\tAdministrativo\tDPM\t5\ntrato\tLegal\tDJ\t3\n' \
  >"$RUN/rules.tsv"
printf '1\t1\n2\t2\n3\t3\n' >"$RUN/frequency.tsv"
printf 'origin\tUAD\t4\n' >"$RUN/impact.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_FREQUENCY_RULES=$RUN/frequency.tsv MOT_IMPACT_RULES=$RUN/impact.tsv
export MOT_WATCH_FROM=2027-01

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all

# --- helpers -------------------------------------------------------------
applied() {   # applied DESCRIPTION LINE
  local ack
  ack=$(echo "$2" | "$MOTCTL" submit --wait --timeout 5) || fail "$1: $ack"
  equals "$1" '"outcome":"applied"' "$(echo "$ack" | grep -o '"outcome":"[a-z]*"')"
}
# workbook NAME VERB [OPTIONS]: motctl VERB OPTIONS --xlsx $RUN/NAME.xlsx must
# succeed with nothing on stdout; the workbook's summary in $RUN/NAME.json.
workbook() {
  local name=$1
  shift
  "$MOTCTL" "$@" --xlsx "$RUN/$name.xlsx" >"$RUN/$name.out" 2>"$RUN/$name.err" ||
    fail "motctl $* --xlsx exited $?: $(cat "$RUN/$name.err")"
  equals "$name: nothing on stdout" "" "$(cat "$RUN/$name.out")"
  "$PY" "$CHECK" "$RUN/$name.xlsx" >"$RUN/$name.json" || fail "$name: xlsx_check refused the workbook"
}
# cell NAME ID WHAT HEADER...: WHAT (rows, types, fills, formats) of the row
# whose "Id" is ID, for each HEADER, joined with | (absent: empty); among
# types a shared or an inline string is "text".
cell() {
  "$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))
index = [i for i, row in enumerate(s["rows"]) if row.get("Id") == sys.argv[2]]
if len(index) != 1:
    sys.exit("%d rows with Id %s" % (len(index), sys.argv[2]))
part = s[sys.argv[3]][index[0]]
text = {"s": "text", "inline": "text"} if sys.argv[3] == "types" else {}
print("|".join(text.get(str(part.get(h, "")), str(part.get(h, ""))) for h in sys.argv[4:]))' "$RUN/$1.json" "$2" "$3" "${@:4}" ||
    fail "$1: no single row $2"
}

# --- the items -------------------------------------------------------------
applied "P1: 8 / 7, an accented topic" \
  '{"type":"finding","source":"UEOD","external_id":"XL-P1","territory":"OOAD-15","topic":"Atención tardía en urgencias","found_on":"2026-10-20","impact":8,"frequency":7}'
applied "P2: 3 / 2" \
  '{"type":"finding","source":"UEOD","external_id":"XL-P2","territory":"OOAD-09","topic":"Trato digno en admisión","found_on":"2026-10-22","impact":3,"frequency":2}'
applied "P3: 4 / 8" \
  '{"type":"finding","source":"CV","external_id":"XL-P3","territory":"OOAD-30","topic":"Saturación de consulta externa en urgencias","found_on":"2026-10-05","impact":4,"frequency":8}'
applied "P4: 8 / 3" \
  '{"type":"finding","source":"UEOD","external_id":"XL-P4","territory":"UMAE-03","topic":"Daño en elevador del área de hospitalización","found_on":"2026-10-12","impact":8,"frequency":3}'
applied "R1: 9 / 6" \
  '{"type":"risk","source":"CAPSOI","external_id":"XL-R1","territory":"OOAD-30","topic":"Riesgo de desabasto de oxígeno medicinal","found_on":"2026-10-21","impact":9,"probability":6}'
applied "R2: 2 / 9" \
  '{"type":"risk","source":"CAPSOI","external_id":"XL-R2","territory":"UMAE-03","topic":"Falla de elevador en quirófanos","found_on":"2026-10-23","impact":2,"probability":9}'

"$MOTCTL" items --csv >"$RUN/items.csv" || fail "motctl items"
p1=$(csv_field "$RUN/items.csv" territorio OOAD-15 id)
p2=$(csv_field "$RUN/items.csv" territorio OOAD-09 id)
# OOAD-30 and UMAE-03 each hold a problemática and a riesgo: tell them by tema.
p3=$(csv_field "$RUN/items.csv" tema "Saturación de consulta externa en urgencias" id)
p4=$(csv_field "$RUN/items.csv" tema "Daño en elevador del área de hospitalización" id)
r1=$(csv_field "$RUN/items.csv" tema "Riesgo de desabasto de oxígeno medicinal" id)
r2=$(csv_field "$RUN/items.csv" tema "Falla de elevador en quirófanos" id)
check "six items ($p1 $p2 $p3 $p4 $r1 $r2)" test -n "$p1" -a -n "$p2" -a -n "$p3" -a -n "$p4" -a -n "$r1" -a -n "$r2"

applied "R1 valued early: 3 / 2, with a reason" \
  "{\"type\":\"valuation\",\"source\":\"CAPSOI\",\"external_id\":\"XL-VAL1\",\"item_id\":\"$r1\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.capsoi\",\"reason\":\"Revisión en la RTR\"}"

# --- the MUPOI ---------------------------------------------------------------
workbook mupoi mupoi
equals "MUPOI: one sheet, named MUPOI" '["MUPOI"]' "$(summary_value mupoi 's["sheets"]')"
equals "MUPOI: the identification headers, in order" \
  '["Id", "Territorio", "Nombre del territorio", "Tema", "Categoría", "ON responsable", "Impacto", "Etiqueta de impacto", "Frecuencia de ocurrencia", "Etiqueta de frecuencia", "Cuadrante", "Color", "Lectura del cuadrante", "Etapa", "Eventos", "Primer evento", "Último evento"]' \
  "$(summary_value mupoi 's["header"][:17]')"
equals "MUPOI: 34 columns" 34 "$(summary_value mupoi 'len(s["header"])')"
for h in "Impacto propuesto" "Frecuencia propuesta" "Corregido por" "Unidades que la detectaron" \
         "Acciones correctivas" "Avance promedio (%)" "Última valoración" "Grado de mitigación: cuadrante" \
         "Grado de mitigación: impacto" "Grado de mitigación: frecuencia" "Fecha de cierre" "Cerrado por"; do
  equals "MUPOI: a header reads '$h'" true "$(summary_value mupoi "'$h' in s['header']")"
done
equals "MUPOI: no raw key as a header" false "$(summary_value mupoi 'any("_" in h for h in s["header"])')"
equals "MUPOI: the header row is bold" true "$(summary_value mupoi 's["header_bold"]')"
equals "MUPOI: four rows" 4 "$(summary_value mupoi 'len(s["rows"])')"
equals "MUPOI: frozen below the header" '{"state": "frozen", "topLeftCell": "A2", "xSplit": null, "ySplit": "1"}' \
  "$(summary_value mupoi 's["pane"]')"
equals "MUPOI: the autofilter covers header and rows, A..AH" "A1:AH5" "$(summary_value mupoi 's["autofilter"]')"
equals "MUPOI: every column has a width, Tema wider than Id" true \
  "$(summary_value mupoi 'len(s["widths"]) == 34 and s["widths"]["Tema"] > s["widths"]["Id"]')"

# The identification columns of a row, in order.
HEADERS=("Territorio" "Nombre del territorio" "Tema" "Categoría" "ON responsable" "Impacto" "Etiqueta de impacto"
         "Frecuencia de ocurrencia" "Etiqueta de frecuencia" "Cuadrante" "Color" "Lectura del cuadrante" "Etapa"
         "Eventos" "Primer evento" "Último evento")
row() { cell "$1" "$2" "$3" "${HEADERS[@]}"; }
equals "P1's cells (UTF-8 kept)" \
  "OOAD-15|Jalisco|Atención tardía en urgencias|Estratégico|DPM|8|Grave|7|Muy probable|I|rojo|vigilancia permanente|identificacion|1|2026-10-20|2026-10-20" \
  "$(row mupoi "$p1" rows)"
equals "P1's cell types: numbers are numbers, dates are dates" \
  "text|text|text|text|text|n|text|n|text|text|text|text|text|n|d|d" \
  "$(row mupoi "$p1" types)"
equals "P2: 3 / 2, III" \
  "OOAD-09|Ciudad de México Norte|Trato digno en admisión|Legal|DJ|3|Bajo|2|Remota|III|verde|vigilancia periódica|identificacion|1|2026-10-22|2026-10-22" \
  "$(row mupoi "$p2" rows)"
equals "P3: 4 / 8, II" "4|Bajo|8|Muy probable|II|naranja|vigilancia constante" \
  "$(cell mupoi "$p3" rows Impacto "Etiqueta de impacto" "Frecuencia de ocurrencia" "Etiqueta de frecuencia" Cuadrante Color "Lectura del cuadrante")"
equals "P4: 8 / 3, IV" "8|Grave|3|Inusual|IV|amarillo|vigilancia continua" \
  "$(cell mupoi "$p4" rows Impacto "Etiqueta de impacto" "Frecuencia de ocurrencia" "Etiqueta de frecuencia" Cuadrante Color "Lectura del cuadrante")"
equals "P4's territory name" "Hospital de Oncología, CMN Siglo XXI" "$(cell mupoi "$p4" rows "Nombre del territorio")"
for case in "$p1 rojo" "$p2 verde" "$p3 naranja" "$p4 amarillo"; do
  read -r id colour <<<"$case"
  equals "$id: the Cuadrante cell is filled $colour" "$colour" "$(cell mupoi "$id" fills Cuadrante)"
  equals "$id: only the Cuadrante cell is filled" '["Cuadrante"]' \
    "$(summary_value mupoi "[sorted(f) for r, f in zip(s['rows'], s['fills']) if r['Id'] == '$id'][0]")"
done
equals "dates shown yyyy-mm-dd" "yyyy-mm-dd|yyyy-mm-dd" "$(cell mupoi "$p1" formats "Primer evento" "Último evento")"
equals "no action, no valuation: those cells are empty, the counts 0" "0|0||||" \
  "$(cell mupoi "$p1" rows "Acciones correctivas" "Acciones completas" "Avance promedio (%)" "Última valoración" "Grado de mitigación: impacto" "Fecha de cierre")"
equals "the unit that found P1" "UEOD" "$(cell mupoi "$p1" rows "Unidades que la detectaron")"

# --- the MURO ----------------------------------------------------------------
workbook muro muro
equals "MURO: one sheet, named MURO" '["MURO"]' "$(summary_value muro 's["sheets"]')"
equals "MURO: the vertical axis is probability" \
  '["Probabilidad de ocurrencia", "Etiqueta de probabilidad"]' "$(summary_value muro 's["header"][8:10]')"
equals "MURO: its proposal and mitigation read probabilidad" true \
  "$(summary_value muro '"Probabilidad propuesta" in s["header"] and "Grado de mitigación: probabilidad" in s["header"] and not any("recuencia" in h for h in s["header"])')"
equals "MURO: two rows" 2 "$(summary_value muro 'len(s["rows"])')"
equals "MURO: the autofilter A1:AH3" "A1:AH3" "$(summary_value muro 's["autofilter"]')"
equals "MURO: frozen below the header" "1|frozen" "$(summary_value muro 's["pane"]["ySplit"] + "|" + s["pane"]["state"]')"
equals "R1 valued 9 / 6 → 3 / 2: III, with its mitigation" \
  "3|Bajo|2|Remota|III|verde|controlados|2026-11-03|I→III|-6|-4|residual" \
  "$(cell muro "$r1" rows Impacto "Etiqueta de impacto" "Probabilidad de ocurrencia" "Etiqueta de probabilidad" Cuadrante Color "Lectura del cuadrante" "Última valoración" "Grado de mitigación: cuadrante" "Grado de mitigación: impacto" "Grado de mitigación: probabilidad" "Resultado de la valoración")"
equals "R1's mitigation changes are numbers with a sign shown, the date a date" \
  "n|n|+0;-0;0|+0;-0;0|d" \
  "$(cell muro "$r1" types "Grado de mitigación: impacto" "Grado de mitigación: probabilidad")|$(cell muro "$r1" formats "Grado de mitigación: impacto" "Grado de mitigación: probabilidad")|$(cell muro "$r1" types "Última valoración")"
equals "R1's Cuadrante cell is green after its valuation" verde "$(cell muro "$r1" fills Cuadrante)"
equals "R2: 2 / 9, II naranja, atención periódica" "2|9|II|naranja|atención periódica|naranja" \
  "$(cell muro "$r2" rows Impacto "Probabilidad de ocurrencia" Cuadrante Color "Lectura del cuadrante")|$(cell muro "$r2" fills Cuadrante)"

# --- filtered and empty ------------------------------------------------------
workbook quadrant1 mupoi --quadrant I
equals "mupoi --quadrant I: only P1" "[\"$p1\"]" "$(summary_value quadrant1 '[r["Id"] for r in s["rows"]]')"
equals "mupoi --quadrant I: autofilter A1:AH2" "A1:AH2" "$(summary_value quadrant1 's["autofilter"]')"
workbook territory30 mupoi --territory OOAD-30 --category Estratégico
equals "mupoi --territory OOAD-30 --category Estratégico: P3 (its riesgo is not in the MUPOI)" "[\"$p3\"]" \
  "$(summary_value territory30 '[r["Id"] for r in s["rows"]]')"
workbook empty muro --territory OOAD-09
equals "an empty MURO: the sheet is still MURO" '["MURO"]' "$(summary_value empty 's["sheets"]')"
equals "an empty MURO: no row" 0 "$(summary_value empty 'len(s["rows"])')"
equals "an empty MURO: the whole header, bold" "34|Id|Probabilidad de ocurrencia|Cerrado por|True" \
  "$(summary_value empty '"|".join(map(str, [len(s["header"]), s["header"][0], s["header"][8], s["header"][-1], s["header_bold"]]))')"
equals "an empty MURO: frozen header, autofilter over the header" "1|A1:AH1" \
  "$(summary_value empty 's["pane"]["ySplit"] + "|" + s["autofilter"]')"
workbook unclassified unclassified
equals "unclassified: its own sheet name" '["Sin clasificar"]' "$(summary_value unclassified 's["sheets"]')"
equals "unclassified: none (every topic matched a rule)" 0 "$(summary_value unclassified 'len(s["rows"])')"
workbook items items
equals "items: every item, with its Tipo" "6|Problemáticas y riesgos|Tipo" \
  "$(summary_value items '"|".join(map(str, [len(s["rows"]), s["sheets"][0], s["header"][1]]))')"

# --- refusals ------------------------------------------------------------
rc=0; "$MOTCTL" mupoi --csv --xlsx "$RUN/both.xlsx" >"$RUN/both.out" 2>&1 || rc=$?
equals "--xlsx with --csv is a usage error" 2 "$rc"
check "--xlsx with --csv writes no file" test ! -e "$RUN/both.xlsx"
rc=0; "$MOTCTL" mupoi --xlsx >/dev/null 2>&1 || rc=$?
equals "--xlsx without a file is a usage error" 2 "$rc"
rc=0; "$MOTCTL" obligations --xlsx "$RUN/obl.xlsx" >/dev/null 2>&1 || rc=$?
equals "obligations has no --xlsx (usage error)" 2 "$rc"

rc=0; "$MOTCTL" mupoi --xlsx "$RUN/no/such/folder/mupoi.xlsx" >"$RUN/unwritable.out" 2>"$RUN/unwritable.err" || rc=$?
equals "an unwritable path: exit 1" 1 "$rc"
equals "an unwritable path: nothing on stdout" "" "$(cat "$RUN/unwritable.out")"
check "an unwritable path: a clear error naming it" \
  grep -q "^motctl: cannot write $RUN/no/such/folder/mupoi.xlsx: No such file or directory" "$RUN/unwritable.err"
rc=0; "$MOTCTL" mupoi --xlsx "$RUN/mupoi.xlsx/inside.xlsx" >/dev/null 2>"$RUN/notdir.err" || rc=$?
equals "a path through a file: exit 1" 1 "$rc"
check "a path through a file: the error says why" grep -q "cannot write $RUN/mupoi.xlsx/inside.xlsx: Not a directory" "$RUN/notdir.err"
mkdir "$RUN/locked"
chmod 0555 "$RUN/locked"
if [ "$(id -u)" -ne 0 ]; then     # root writes anywhere
  rc=0; "$MOTCTL" mupoi --xlsx "$RUN/locked/mupoi.xlsx" >/dev/null 2>"$RUN/locked.err" || rc=$?
  equals "a read-only folder: exit 1" 1 "$rc"
  check "a read-only folder: the error says why" grep -q "Permission denied" "$RUN/locked.err"
fi
rc=0; "$MOTCTL" mupoi --xlsx "$RUN" >/dev/null 2>"$RUN/folder.err" || rc=$?
equals "a folder as the file: exit 1" 1 "$rc"
check "a folder as the file: the error names it" grep -q "^motctl: cannot write $RUN: " "$RUN/folder.err"
check "a folder as the file: no temporary file left beside it" \
  test -z "$(find "$(dirname "$RUN")" -maxdepth 1 -name "$(basename "$RUN").??????" -print -quit)"

rc=0; "$MOTCTL" muro --territory NOPE --xlsx "$RUN/nope.xlsx" >"$RUN/nope.out" 2>"$RUN/nope.err" || rc=$?
equals "a reporter refusal: exit 1" 1 "$rc"
check "a reporter refusal: no file" test ! -e "$RUN/nope.xlsx"
equals "a reporter refusal: printed as the other verbs print it" "motctl: UNKNOWN_TERRITORY:" \
  "$(head -1 "$RUN/nope.err" | cut -d' ' -f1-2)"
check "a reporter refusal: it names the field" grep -q "(field territory)$" "$RUN/nope.err"
equals "a reporter refusal: nothing on stdout" "" "$(cat "$RUN/nope.out")"

cp "$RUN/mupoi.xlsx" "$RUN/kept.xlsx"
"$MOTCTL" mupoi --territory NOPE --xlsx "$RUN/kept.xlsx" >/dev/null 2>&1 && fail "a refusal must exit 1"
check "a refusal leaves an existing file as it was" cmp -s "$RUN/mupoi.xlsx" "$RUN/kept.xlsx"
check "no temporary file left in the run folder" test -z "$(find "$RUN" -maxdepth 1 -name '*.xlsx.??????' -print -quit)"

echo "$E2E_CHECKS checks passed"
