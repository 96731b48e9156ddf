#!/usr/bin/env bash
# test_xlsx_writer — motctl's workbook writer (tools/motctl/motctl_xlsx.c)
# through its test driver, build/tests/mot_xlsx_write, with no Redis and no
# sockets: what the reporter does not send today but the writer must still
# handle. A column it does not know (the reporter adds one later) appears
# with a readable header; a register it does not know gets a legal sheet
# name; a key only a later row has still gets its column; a date column
# holding something that is not a date stays text; a row without a quadrant
# colour is not filled; an over-long text is cut to what a cell holds; an
# empty register gets the columns it is given. Workbooks are read back with
# tests/tools/xlsx_check.py; expected values are written here by hand.
source "$MOT_SOURCE/tests/e2e/lib.sh"

WRITE="$MOT_BIN/tests/mot_xlsx_write"
CHECK="$MOT_SOURCE/tests/tools/xlsx_check.py"
PY=/usr/bin/python3

# book NAME [COLUMN...] < json: the workbook $RUN/NAME.xlsx and its summary.
book() {
  local name=$1
  shift
  "$WRITE" "$RUN/$name.xlsx" "$@" 2>"$RUN/$name.err" || fail "$name: mot_xlsx_write exited $?: $(cat "$RUN/$name.err")"
  "$PY" "$CHECK" "$RUN/$name.xlsx" >"$RUN/$name.json" || fail "$name: xlsx_check refused the workbook"
}

# --- a register with a column the table does not know ----------------------
book later <<'EOF'
{"register":"MUPOI","generated_at":"2026-11-03T15:00:00Z","items":[
 {"id":"it-1","tema":"Atención","cuadrante":"I","color":"rojo","primera":"2026-10-20","nivel_de_alerta":"alto","dias_abierta":12},
 {"id":"it-2","tema":"Trato","cuadrante":"IV","color":null,"primera":"2026-02-30","nivel_de_alerta":null,"dias_abierta":3,"solo_despues":"x","activo":true}]}
EOF
equals "known keys by their names, unknown ones readable, a later row's key last" \
  '["Id", "Tema", "Cuadrante", "Color", "Primer evento", "Nivel de alerta", "Dias abierta", "Solo despues", "Activo"]' \
  "$(summary_value later 's["header"]')"
equals "an unknown column keeps its values: a text, a number" '["alto", 12]' \
  "$(summary_value later '[s["rows"][0]["Nivel de alerta"], s["rows"][0]["Dias abierta"]]')"
equals "an unknown number column is numeric" n "$(summary_value later 's["types"][1]["Dias abierta"]')"
equals "the key only the second row has" x "$(summary_value later 's["rows"][1]["Solo despues"]')"
equals "a boolean stays a boolean" '[true, "b"]' "$(summary_value later '[s["rows"][1]["Activo"], s["types"][1]["Activo"]]')"
equals "a date column: a date where it is one" "2026-10-20|d" \
  "$(summary_value later 's["rows"][0]["Primer evento"] + "|" + s["types"][0]["Primer evento"]')"
check "a date column: text where it is not a date (30 February)" \
  test "$(summary_value later 's["rows"][1]["Primer evento"] + "|" + str(s["types"][1]["Primer evento"] in ("s", "inline"))')" = "2026-02-30|True"
equals "a row that names no colour: its quadrant cell is not filled" '[{"Cuadrante": "rojo"}, {}]' \
  "$(summary_value later 's["fills"]')"
equals "the autofilter covers the 9 columns and 2 rows" "A1:I3" "$(summary_value later 's["autofilter"]')"

# --- registers the table does not name ---------------------------------------
book odd <<'EOF'
{"register":"Registro: [año]/mes*? de una unidad muy larga","items":[{"id":"x-1"}]}
EOF
equals "a sheet name without []:*?/ and at most 31 characters" '["Registro_ _año__mes__ de una un"]' \
  "$(summary_value odd 's["sheets"]')"
book unclassified <<'EOF'
{"register":"UNCLASSIFIED","items":[{"id":"it-9","tipo":"riesgo"}]}
EOF
equals "UNCLASSIFIED is 'Sin clasificar'" '["Sin clasificar"]' "$(summary_value unclassified 's["sheets"]')"

# --- widths and long texts ---------------------------------------------------
long=$(printf 'á%.0s' $(seq 1 40000))
printf '{"register":"MURO","items":[{"id":"it-1","tema":"%s","eventos":7}]}' "$long" | book long
equals "a text longer than a cell holds is cut to 32,767 characters" 32767 \
  "$(summary_value long 'len(s["rows"][0]["Tema"])')"
equals "... of the same character" true "$(summary_value long 'set(s["rows"][0]["Tema"]) == {"á"}')"
check "a wide column is capped (at most 51 characters)" \
  test "$(summary_value long 's["widths"]["Tema"] <= 51')" = true
check "a narrow column is at least 6 characters" test "$(summary_value long 's["widths"]["Id"] >= 6')" = true

# --- empty -------------------------------------------------------------------
book empty id territorio impacto cuadrante nuevo_dato <<'EOF'
{"register":"MURO","generated_at":"2026-11-03T15:00:00Z","items":[]}
EOF
equals "an empty register: the given columns as the header" \
  '["Id", "Territorio", "Impacto", "Cuadrante", "Nuevo dato"]' "$(summary_value empty 's["header"]')"
equals "an empty register: no row, the header frozen and under the filter" '[0, "1", "A1:E1"]' \
  "$(summary_value empty '[len(s["rows"]), s["pane"]["ySplit"], s["autofilter"]]')"

book given id tema extra <<'EOF'
{"register":"MUPOI","items":[{"id":"it-1","tema":"Trato"}]}
EOF
equals "columns given beside rows: those the rows name are not repeated" '["Id", "Tema", "Extra"]' \
  "$(summary_value given 's["header"]')"

# --- refusals ------------------------------------------------------------
rc=0
echo '{"register":"MUPOI","items":[1,2]}' | "$WRITE" "$RUN/bad.xlsx" 2>"$RUN/bad.err" || rc=$?
equals "rows that are not objects are refused" 1 "$rc"
check "... and no file is written" test ! -e "$RUN/bad.xlsx"

echo "$E2E_CHECKS checks passed"
