#!/usr/bin/env bash
# test_map_svg — the reporter's map renderer (services/reporter/map_svg.c)
# through its test driver, build/tests/mot_map_render, with no Redis and no
# sockets. Every SVG is checked by parsing it (tests/tools/svg_map_check.py);
# every expected value is written here by hand from MOT-SPEC §4 and §6 and
# the norm (7.2.4.10-7.2.4.13), or counted by this script from the input it
# generated — never taken from the renderer's output.
source "$MOT_SOURCE/tests/e2e/lib.sh"

RENDER="$MOT_BIN/tests/mot_map_render"
CHECK="$MOT_SOURCE/tests/tools/svg_map_check.py"
PY=/usr/bin/python3
T=$'\t'

# render NAME ARGS... < lines: the SVG in $RUN/NAME.svg and its summary in
# $RUN/NAME.json; fails the test when the driver or the checker fails.
render() {
  local name=$1
  shift
  "$RENDER" "$@" >"$RUN/$name.svg" 2>"$RUN/$name.err" || fail "$name: mot_map_render $* exited $?: $(cat "$RUN/$name.err")"
  "$PY" "$CHECK" "$RUN/$name.svg" >"$RUN/$name.json" || fail "$name: svg_map_check refused the document"
}
# value NAME PATH: one value of NAME's summary (see svg_map_check.py; keys
# separated by "/", a number indexes a list): a string as is, anything else
# as compact JSON.
value() {
  jq -rc --arg path "$2" 'getpath($path | split("/") | map(if test("^[0-9]+$") then tonumber else . end))' \
    "$RUN/$1.json"
}
# drawn_in_place NAME: impact grows to the right and the vertical upwards,
# numbers and bands by their columns and rows, every mark inside its cell,
# every arrow from its earlier cell to its later one, each quadrant framed
# around its 25 cells (svg_map_check.py's geometry).
drawn_in_place() {
  local what
  for what in grid_oriented ticks_aligned marks_inside arrows_oriented quadrants_framed; do
    equals "$1: $what" true "$(value "$1" "$what")"
  done
}

# --- (a) an empty Mapa de Problemáticas Operativas -------------------------
render empty mupoi 2026-11 </dev/null
equals "the document starts with the XML declaration" '<?xml' "$(head -c 5 "$RUN/empty.svg")"
equals "MUPOI: kind" MUPOI "$(value empty kind)"
equals "MUPOI: title (7.2.4.10)" "Mapa de Problemáticas Operativas" "$(value empty title)"
equals "MUPOI: the period in words" "Periodo: noviembre de 2026" "$(value empty subtitle)"
equals "MUPOI: the count line" "0 problemáticas" "$(value empty count_line)"
equals "MUPOI: x axis" "Magnitud de impacto" "$(value empty axis/x)"
equals "MUPOI: y axis" "Frecuencia de ocurrencia" "$(value empty axis/y)"
equals "x axis numbers" '["1","2","3","4","5","6","7","8","9","10"]' "$(value empty ticks/x)"
equals "y axis numbers" '["1","2","3","4","5","6","7","8","9","10"]' "$(value empty ticks/y)"
equals "impact bands, 1-2 to 9-10 (MOT-SPEC §4)" '["Menor","Bajo","Moderado","Grave","Catastrófico"]' \
  "$(value empty bands/x)"
equals "frequency bands, 1-2 to 9-10 (MOT-SPEC §4)" '["Remota","Inusual","Probable","Muy probable","Recurrente"]' \
  "$(value empty bands/y)"
equals "band 9-10 of impact" "Catastrófico" "$(value empty band_ranges/x/9-10)"
equals "band 7-8 of frequency" "Muy probable" "$(value empty band_ranges/y/7-8)"
check "100 cells, every count 0" summary_holds empty 'len(s["cells"]) == 100 and set(s["cells"].values()) == {0}'
equals "no dots" '{}' "$(value empty items)"
equals "no counted markers" '{}' "$(value empty aggregates)"
equals "no arrows without a comparison" '[]' "$(value empty arrows)"
equals "no new marks" '{}' "$(value empty new)"
equals "no closed marks" '{}' "$(value empty closed)"
equals "no links by default" '{}' "$(value empty links)"
# The norm's quadrants: I rojo (impact > 5, frequency > 5), II naranja
# (impact <= 5, frequency > 5), III verde (both <= 5), IV amarillo (impact > 5,
# frequency <= 5); 5 is low, 6 high.
for case in "10,10 I rojo" "1,10 II naranja" "1,1 III verde" "10,1 IV amarillo" \
            "6,6 I rojo" "5,6 II naranja" "5,5 III verde" "6,5 IV amarillo"; do
  read -r cell quadrant colour <<<"$case"
  equals "cell $cell is in quadrant $quadrant" "$quadrant" "$(value empty "cell_quadrant/$cell")"
  equals "cell $cell is $colour by its attribute" "$colour" "$(value empty "cell_colour/$cell")"
  equals "cell $cell is $colour by the hue of its fill" "$colour" "$(value empty "cell_hue/$cell")"
done
check "25 cells per quadrant, each cell's hue its quadrant's colour" summary_holds empty '
  all(sum(1 for q in s["cell_quadrant"].values() if q == n) == 25 for n in ("I", "II", "III", "IV"))
  and all(s["cell_hue"][k] == {"I": "rojo", "II": "naranja", "III": "verde", "IV": "amarillo"}[q]
          for k, q in s["cell_quadrant"].items())'
equals "quadrant I named" '["I","vigilancia permanente"]' "$(value empty quadrants/I/texts)"
equals "quadrant II named" '["II","vigilancia constante"]' "$(value empty quadrants/II/texts)"
equals "quadrant III named" '["III","vigilancia periódica"]' "$(value empty quadrants/III/texts)"
equals "quadrant IV named" '["IV","vigilancia continua"]' "$(value empty quadrants/IV/texts)"
equals "quadrant I's colour" rojo "$(value empty quadrants/I/colour)"
check "the legend names the four quadrants with colour and reading" summary_holds empty '
  all(t in s["legend"] for t in ("Cuadrante I (rojo): vigilancia permanente",
      "Cuadrante II (naranja): vigilancia constante", "Cuadrante III (verde): vigilancia periódica",
      "Cuadrante IV (amarillo): vigilancia continua"))'
check "the legend says what a dot and a counted marker are" summary_holds empty '
  any(t.startswith("Una problemática") for t in s["legend"])
  and any(t.startswith("Más de 6 problemáticas") for t in s["legend"])'
check "no comparison: no arrow, new or closed in the legend" summary_holds empty '
  not any(t.startswith(("Movimiento", "Nuevas", "Cerradas")) for t in s["legend"])'
equals "no script" 0 "$(value empty scripts)"
equals "no external reference" '[]' "$(value empty external)"
equals "scales: width 100 %" "100%" "$(value empty root/width)"
equals "scales: no fixed height" null "$(value empty root/height)"
check "scales: a viewBox" summary_holds empty 's["root"]["viewBox"].startswith("0 0 ")'
drawn_in_place empty

# --- (b) the Mapa de Riesgos Operativos, current positions -----------------
render muro muro </dev/null
equals "MURO: kind" MURO "$(value muro kind)"
equals "MURO: title (7.2.4.11)" "Mapa de Riesgos Operativos" "$(value muro title)"
equals "MURO: no period is the current situation" "Periodo: situación actual" "$(value muro subtitle)"
equals "MURO: the count line" "0 riesgos" "$(value muro count_line)"
equals "MURO: y axis" "Probabilidad de ocurrencia" "$(value muro axis/y)"
equals "MURO: x axis" "Magnitud de impacto" "$(value muro axis/x)"
equals "MURO: probability bands" '["Remota","Inusual","Probable","Muy probable","Recurrente"]' "$(value muro bands/y)"
equals "MURO: quadrant I" '["I","atención inmediata"]' "$(value muro quadrants/I/texts)"
equals "MURO: quadrant II" '["II","atención periódica"]' "$(value muro quadrants/II/texts)"
equals "MURO: quadrant III" '["III","controlados"]' "$(value muro quadrants/III/texts)"
equals "MURO: quadrant IV" '["IV","seguimiento"]' "$(value muro quadrants/IV/texts)"
check "MURO: the legend reads riesgos" summary_holds muro '
  "Cuadrante I (rojo): atención inmediata" in s["legend"] and "Cuadrante III (verde): controlados" in s["legend"]
  and any(t.startswith("Un riesgo") for t in s["legend"])'
equals "MURO: quadrant I is red by its fills" '["rojo"]' "$(value muro quadrants/I/hues)"
drawn_in_place muro

# --- (c) a handful of items, several on one cell ---------------------------
{
  for id in it-1 it-2 it-3; do echo "item${T}$id${T}7${T}8${T}0${T}0"; done
  echo "item${T}it-4${T}1${T}1${T}0${T}0"
  echo "item${T}it-5${T}10${T}10${T}3${T}3"       # an earlier position, but no comparison asked
  echo "item${T}it-6${T}5${T}6${T}0${T}0"
  for n in 1 2 3 4 5 6 7 8; do echo "item${T}d-$n${T}2${T}9${T}0${T}0"; done   # 8: above the 6 dots
  for n in 1 2 3 4 5 6; do echo "item${T}s-$n${T}9${T}2${T}0${T}0"; done       # exactly 6
} | render few mupoi 2026-11
equals "items: the count line" "20 problemáticas" "$(value few count_line)"
equals "items: total" 20 "$(value few total)"
equals "items: 3 on 7,8" 3 "$(value few cells/7,8)"
equals "items: 1 on 1,1" 1 "$(value few cells/1,1)"
equals "items: 1 on 10,10" 1 "$(value few cells/10,10)"
equals "items: 1 on 5,6" 1 "$(value few cells/5,6)"
equals "items: 8 on 2,9" 8 "$(value few cells/2,9)"
equals "items: 6 on 9,2" 6 "$(value few cells/9,2)"
check "items: every other cell empty" summary_holds few '
  sum(1 for v in s["cells"].values() if v == 0) == 100 - 6'
equals "items: the three ids of 7,8 as dots" '["it-1","it-2","it-3"]' "$(value few items/7,8)"
equals "items: 5,6 drawn as a dot" '["it-6"]' "$(value few items/5,6)"
equals "items: 6 items are 6 dots" '["s-1","s-2","s-3","s-4","s-5","s-6"]' "$(value few items/9,2)"
equals "items: 8 items are one counted marker" 8 "$(value few aggregates/2,9)"
equals "items: no dot in the counted cell" null "$(value few items/2,9)"
equals "items: each dot's tooltip is its id" true "$(value few dot_titles_match)"
equals "items: an earlier position without a comparison draws nothing" '[]' "$(value few arrows)"
equals "items: nor new marks" '{}' "$(value few new)"
check "items: occupied cells darker than empty ones of their quadrant" summary_holds few '
  s["cell_fill"]["7,8"] != s["cell_fill"]["7,7"] and s["cell_hue"]["7,8"] == "rojo"
  and s["cell_fill"]["2,9"] != s["cell_fill"]["2,8"] and s["cell_hue"]["2,9"] == "naranja"'
drawn_in_place few

# --- (d) a comparison: moved, new, closed, unmoved -------------------------
{
  for id in m-1 m-2 m-3; do echo "item${T}$id${T}3${T}2${T}7${T}8"; done   # 7,8 -> 3,2
  echo "item${T}n-1${T}4${T}4${T}0${T}0"                                     # new since
  echo "item${T}u-1${T}6${T}6${T}6${T}6"                                     # did not move
  echo "item${T}u-2${T}6${T}6${T}6${T}6"
  echo "closed${T}c-1${T}7${T}8"                                             # closed since, were at 7,8
  echo "closed${T}c-2${T}7${T}8"
} | render moved mupoi 2026-11 2026-10
equals "compare: the subtitle" "Periodo: noviembre de 2026 · comparado con octubre de 2026" "$(value moved subtitle)"
equals "compare: the count line" \
  "6 problemáticas · desde octubre de 2026: 3 con movimiento, 1 nueva, 2 cerradas" "$(value moved count_line)"
check "compare: one arrow 7,8 -> 3,2 for 3 items, none for the unmoved" summary_holds moved '
  [a[:3] for a in s["arrows"]] == [["7,8", "3,2", 3]]'
equals "compare: the arrow has its arrowhead" 1 "$(value moved arrow_heads)"
equals "compare: its count is written" 1 "$(value moved arrow_labels)"
equals "compare: one new at 4,4" '{"4,4":1}' "$(value moved new)"
equals "compare: two closed at their old cell 7,8" '{"7,8":2}' "$(value moved closed)"
equals "compare: closed items are not counted on the map" 0 "$(value moved cells/7,8)"
equals "compare: 3 now on 3,2" 3 "$(value moved cells/3,2)"
equals "compare: the unmoved stay on 6,6" 2 "$(value moved cells/6,6)"
equals "compare: total without the closed" 6 "$(value moved total)"
check "compare: the legend explains arrows, new and closed marks" summary_holds moved '
  any(t.startswith("Movimiento desde octubre de 2026") for t in s["legend"])
  and any(t.startswith("Nuevas desde octubre de 2026") for t in s["legend"])
  and any(t.startswith("Cerradas desde octubre de 2026") for t in s["legend"])'
drawn_in_place moved

{
  echo "item${T}a${T}2${T}2${T}1${T}1"                                       # 1,1 -> 2,2 once
  for n in 1 2; do echo "item${T}b$n${T}1${T}1${T}2${T}2"; done               # 2,2 -> 1,1 twice
  for n in 1 2 3 4 5; do echo "item${T}c$n${T}9${T}9${T}5${T}5"; done         # 5 on one pair
  for n in $(seq 20); do echo "item${T}d$n${T}10${T}1${T}1${T}10"; done       # 20 on one pair
} | render widths muro now 2026-10
equals "widths: current positions compared" "Periodo: situación actual · comparado con octubre de 2026" \
  "$(value widths subtitle)"
equals "widths: the MURO agrees in gender" \
  "28 riesgos · desde octubre de 2026: 28 con movimiento, 0 nuevos, 0 cerrados" "$(value widths count_line)"
check "widths: one arrow per pair, both directions of 1,1 <-> 2,2" summary_holds widths '
  sorted(a[:3] for a in s["arrows"]) == [["1,1", "2,2", 1], ["1,10", "10,1", 20], ["2,2", "1,1", 2],
                                          ["5,5", "9,9", 5]]'
check "widths: the width class grows with the count (1 < 2 < 5 < 20)" summary_holds widths '
  [int(a[3][1:]) for a in sorted(s["arrows"], key=lambda a: a[2])] == sorted(
    {int(a[3][1:]) for a in s["arrows"]}) and len({a[3] for a in s["arrows"]}) == 4'
equals "widths: counts written for the three arrows above 1" 3 "$(value widths arrow_labels)"
equals "widths: every arrow has a head" 4 "$(value widths arrow_heads)"
drawn_in_place widths

# --- links to a cell's items (for the dashboard) ---------------------------
printf 'item\tit-1\t7\t8\t0\t0\nitem\tit-2\t1\t10\t0\t0\n' | render linked --link "/mupoi?periodo=2026-11&" mupoi 2026-11
equals "links: an occupied cell" "/mupoi?periodo=2026-11&impacto=7&vertical=8" "$(value linked links/7,8)"
equals "links: another" "/mupoi?periodo=2026-11&impacto=1&vertical=10" "$(value linked links/1,10)"
check "links: only the occupied cells" summary_holds linked 'sorted(s["links"]) == ["1,10", "7,8"]'

# --- (e) 100,000 items over every cell with random moves -------------------
awk -v seed=20261101 'BEGIN {
  srand(seed)
  for (i = 1; i <= 100000; i++) {
    impact = int(rand() * 10) + 1; vertical = int(rand() * 10) + 1
    if (rand() < 0.05) { was_i = 0; was_v = 0 }
    else if (rand() < 0.1) { was_i = impact; was_v = vertical }
    else { was_i = int(rand() * 10) + 1; was_v = int(rand() * 10) + 1 }
    printf "item\tit-%d\t%d\t%d\t%d\t%d\n", i, impact, vertical, was_i, was_v
  }
  for (i = 1; i <= 500; i++) printf "closed\tcl-%d\t%d\t%d\n", i, int(rand() * 10) + 1, int(rand() * 10) + 1
}' >"$RUN/big.tsv"
# What the input holds, counted here: per cell, new, closed, moved.
awk -F'\t' '
  $1 == "item" { cell[$3 "," $4]++; if ($5 == 0) fresh++; else if ($5 != $3 || $6 != $4) moved++ }
  $1 == "closed" { closed[$3 "," $4]++; gone++ }
  END {
    for (k in cell) printf "cell %s %d\n", k, cell[k]
    for (k in closed) printf "closed %s %d\n", k, closed[k]
    printf "new %d\nmoved %d\ngone %d\n", fresh, moved, gone
  }' "$RUN/big.tsv" >"$RUN/big.expected"
started=$(date +%s%N)
render big mupoi 2026-11 2026-10 <"$RUN/big.tsv"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
echo "# 100,000 items rendered and checked in $elapsed_ms ms, $(stat -c %s "$RUN/big.svg") bytes"
equals "100k: every item counted" 100000 "$(value big total)"
check "100k: each cell's count as in the input" "$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))
want = {p[1]: int(p[2]) for p in (l.split() for l in open(sys.argv[2])) if p[0] == "cell"}
sys.exit(0 if s["cells"] == want and len(want) == 100 else 1)' "$RUN/big.json" "$RUN/big.expected"
check "100k: each cell's closed mark as in the input" "$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))
want = {p[1]: int(p[2]) for p in (l.split() for l in open(sys.argv[2])) if p[0] == "closed"}
sys.exit(0 if s["closed"] == want else 1)' "$RUN/big.json" "$RUN/big.expected"
equals "100k: the arrows carry every moved item" "$(awk '$1 == "moved" {print $2}' "$RUN/big.expected")" \
  "$(value big arrow_total)"
check "100k: the new marks carry every new item" summary_holds big \
  "sum(s['new'].values()) == $(awk '$1 == "new" {print $2}' "$RUN/big.expected")"
check "100k: no per-item dot in a cell of more than 6; its marker summary_holds the count" summary_holds big '
  all(k not in s["items"] and s["aggregates"].get(k) == n for k, n in s["cells"].items() if n > 6)'
check "100k: at most one arrow per pair of distinct cells (100 x 99)" summary_holds big 'len(s["arrows"]) <= 9900'
check "100k: no arrow from a cell to itself" summary_holds big 'all(a[0] != a[1] for a in s["arrows"])'
check "100k: at most 40 arrow counts written" summary_holds big 's["arrow_labels"] <= 40'
check "100k: the file stays under 2 MB" test "$(stat -c %s "$RUN/big.svg")" -lt 2000000
check "100k: rendering and checking take under 10 s" test "$elapsed_ms" -lt 10000
drawn_in_place big

# --- (f) bad input is refused, naming the line -----------------------------
refused() {   # refused DESCRIPTION LINE_NUMBER ARGS... < input
  local what=$1 line=$2 status=0
  shift 2
  "$RENDER" "$@" >"$RUN/bad.out" 2>"$RUN/bad.err" || status=$?
  equals "refused: $what: exit 2" 2 "$status"
  [ -z "$line" ] || check "refused: $what: names line $line" grep -q "line $line:" "$RUN/bad.err"
  check "refused: $what: no document" test ! -s "$RUN/bad.out"
}
good="item${T}ok${T}1${T}1${T}0${T}0"
printf '%s\nitem\tx\t11\t1\t0\t0\n' "$good" | refused "impact 11" 2 mupoi
printf '%s\n%s\nitem\tx\t0\t1\t0\t0\n' "$good" "$good" | refused "impact 0" 3 mupoi
printf 'item\tx\t1\t1\t0\t5\n' | refused "half an earlier position" 1 mupoi 2026-11 2026-10
printf 'item\tx\t1\t1\t11\t5\n' | refused "earlier vertical out of range" 1 mupoi 2026-11 2026-10
printf 'item\tx\t1\t1\n' | refused "an item line of 4 fields" 1 mupoi
printf 'item\tx\t1\t1\t0\t0\t9\n' | refused "an item line of 7 fields" 1 mupoi
printf 'item\tx\tseven\t1\t0\t0\n' | refused "a score that is not a number" 1 mupoi
printf 'item\tx\t-1\t1\t0\t0\n' | refused "a negative score" 1 mupoi
printf 'closed\tx\t0\t5\n' | refused "closed at 0" 1 mupoi 2026-11 2026-10
printf 'moved\tx\t1\t1\n' | refused "an unknown line" 1 mupoi
refused "an unknown kind" "" mapa </dev/null
refused "a period that is not YYYY-MM" "" mupoi 2026-13 </dev/null
refused "a compared period that is not YYYY-MM" "" muro 2026-11 octubre </dev/null

# --- (g) ids with XML-special characters, invalid UTF-8 and controls -------
{
  printf 'item\ta&b<c>"d'"'"'e]]>\t7\t8\t0\t0\n'
  printf 'item\tx\377y\t7\t8\t0\t0\n'
  printf 'item\tctl\001z\t7\t8\t0\t0\n'
  printf 'closed\t<script>alert(1)</script>\t2\t2\n'
} | render escaped mupoi 2026-11 2026-10
equals "escaped: the special characters come back as they were" 'a&b<c>"d'"'"'e]]>' "$(value escaped items/7,8/0)"
equals "escaped: an invalid byte becomes U+FFFD" $'x\xef\xbf\xbdy' "$(value escaped items/7,8/1)"
equals "escaped: a control character becomes U+FFFD" $'ctl\xef\xbf\xbdz' "$(value escaped items/7,8/2)"
equals "escaped: a closed id stays text" 0 "$(value escaped scripts)"
equals "escaped: the closed mark" '{"2,2":1}' "$(value escaped closed)"

echo "# $E2E_CHECKS checks"
