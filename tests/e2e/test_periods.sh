#!/usr/bin/env bash
# Periods and evolution (issue #11): at each month's close the
# deadline-watcher freezes every open item's effective scores, quadrant and
# stage as that month's position; `motctl positions ITEM` shows them month by
# month, then the position now. With the test clock:
#  - October closes: the problemática found in October is frozen at 8/7,
#    quadrant I (both > 5), identificación;
#  - November: a riesgo appears, the problemática is valued 3/2 (quadrant III,
#    both ≤ 5) and a second problemática is valued resolved and closed; at
#    November's close the first is frozen in III/monitoreo, the riesgo in I,
#    the closed one not at all, and nothing is frozen for October of an item
#    created in November;
#  - a valuation recorded in December but dated 28 November is a late one:
#    November's position stays as frozen and lists it;
#  - freezing is idempotent: a watcher that freezes November again (its mark
#    rolled back, restarted) changes no position;
#  - months that closed while no watcher ran are frozen at its restart;
#  - the maps through the reporter (`motctl map`, parsed as SVG): November
#    compared with October shows the valued problemática's arrow from 8,7 to
#    3,2, the one closed in November marked closed at its October cell
#    (4,8), the riesgo new in the MURO; the current map, filters, and bad
#    months refused;
#  - the monthly report's figures for November (`motctl report monthly`),
#    counted by hand from the scenario: per quadrant against October, new,
#    closed, resolved, residual, the quadrant changes, the breakdowns; the ten
#    October reports due in November (5 bd after the close: Fri 6 Nov; 10 bd:
#    Fri 13 Nov) one on time, one a business day late, eight overdue; the open
#    action.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_ESCALATE_EVERY_BD=0

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all

submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 >/dev/null || fail "submit $1"; }
item_of() { "$MOTCTL" items --csv >"$RUN/items.csv" && csv_field "$RUN/items.csv" tema "$1" id; }
frozen_is() { [ "$(rcli GET mot:periods:frozen)" = "$1" ]; }
close_month() {   # close_month YYYY-MM CLOCK: moves the clock and waits for the freeze
  "$MOTCTL" clock set "$2" >/dev/null
  check "the positions of $1 are frozen" mot_wait 60 frozen_is "$1"
}
positions() { "$MOTCTL" positions "$1" >"$RUN/positions.jsonl" || fail "motctl positions $1"; }
# line PERIOD JQ: a jq expression over the line of PERIOD ("actual": now)
line() { jq -r --arg p "$1" "select(.periodo == \$p) | $2" "$RUN/positions.jsonl"; }
periods_listed() { jq -r .periodo "$RUN/positions.jsonl" | tr '\n' ' ' | sed 's/ $//'; }

submit '{"type":"finding","source":"UEOD","external_id":"P-1","territory":"OOAD-15","topic":"Desabasto de insulina","found_on":"2026-10-19","impact":8,"frequency":7}'
submit '{"type":"finding","source":"UEOD","external_id":"P-4","territory":"OOAD-02","topic":"Quejas por trato","found_on":"2026-10-19","impact":4,"frequency":8}'
a=$(item_of "Desabasto de insulina")
c=$(item_of "Quejas por trato")

# --- October closes ---------------------------------------------------------
close_month 2026-10 2026-11-01T00:00:30
positions "$a"
equals "October's position of the problemática: 8/7, quadrant I (rojo), identificación" \
  "8|7|I|rojo|identificacion|2026-11-01" \
  "$(line 2026-10 '"\(.impacto)|\(.vertical)|\(.cuadrante)|\(.color)|\(.etapa)|\(.congelado_el)"')"
equals "one month, then now" "2026-10 actual" "$(periods_listed)"

# --- November ---------------------------------------------------------------
"$MOTCTL" clock set 2026-11-10T10:00 >/dev/null
submit '{"type":"risk","source":"CAPSOI","external_id":"P-2","territory":"UMAE-03","topic":"Falla de elevadores","found_on":"2026-11-09","impact":7,"probability":6}'
submit '{"type":"finding","source":"UEOD","external_id":"P-3","territory":"OOAD-09","topic":"Cierre de farmacia","found_on":"2026-11-09","impact":4,"frequency":3}'
r=$(item_of "Falla de elevadores")
b=$(item_of "Cierre de farmacia")
submit "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"P-V1\",\"item_id\":\"$a\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-10\",\"analyst\":\"analista\",\"reason\":\"valoración anticipada\"}"
submit "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"P-V2\",\"item_id\":\"$b\",\"impact\":2,\"vertical\":1,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-10\",\"analyst\":\"analista\",\"reason\":\"atendida\"}"
submit "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"P-C2\",\"item_id\":\"$b\",\"analyst\":\"tdoe\",\"reason\":\"Resuelta\"}"
submit "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"P-V5\",\"item_id\":\"$c\",\"impact\":2,\"vertical\":2,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-10\",\"analyst\":\"analista\",\"reason\":\"atendida\"}"
submit "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"P-C5\",\"item_id\":\"$c\",\"analyst\":\"tdoe\",\"reason\":\"Resuelta\"}"

close_month 2026-11 2026-12-01T00:00:30
positions "$a"
equals "November's position of the valued problemática: 3/2, quadrant III (verde), monitoreo" \
  "3|2|III|verde|monitoreo" "$(line 2026-11 '"\(.impacto)|\(.vertical)|\(.cuadrante)|\(.color)|\(.etapa)"')"
equals "its October position is kept" "8|7|I" "$(line 2026-10 '"\(.impacto)|\(.vertical)|\(.cuadrante)"')"
equals "October, November, then now" "2026-10 2026-11 actual" "$(periods_listed)"
positions "$r"
equals "the riesgo created in November: no October position, November 7/6 in I" "2026-11 actual|7|6|I|identificacion" \
  "$(periods_listed)|$(line 2026-11 '"\(.impacto)|\(.vertical)|\(.cuadrante)|\(.etapa)"')"
positions "$b"
equals "the item closed before November's close has no November position" "actual" "$(periods_listed)"
equals "and it is closed now" cerrado "$(line actual .etapa)"

# --- the maps of November, compared with October ------------------------------
CHECK="$MOT_SOURCE/tests/tools/svg_map_check.py"
map() {   # map NAME ARGS...: motctl map ARGS into NAME.svg, its summary into NAME.json
  local name=$1
  shift
  "$MOTCTL" map "$@" >"$RUN/$name.svg" || fail "motctl map $*"
  /usr/bin/python3 "$CHECK" "$RUN/$name.svg" >"$RUN/$name.json" || fail "$name: not a well-formed map"
}
value() { /usr/bin/python3 "$CHECK" --summary "$RUN/$1.json" --get "$2"; }
map mupoi_nov mupoi --period 2026-11 --compare 2026-10
equals "the MUPOI map's title" "Mapa de Problemáticas Operativas" "$(value mupoi_nov title)"
equals "its vertical axis: frequency" "Frecuencia de ocurrencia" "$(value mupoi_nov axis/y)"
equals "November: one problemática on the map, at 3,2" '1 1' "$(value mupoi_nov total) $(value mupoi_nov cells/3,2)"
equals "one arrow, from its October cell 8,7 to 3,2, for one item" '[["8,7","3,2",1]]' \
  "$(value mupoi_nov arrows | jq -c 'map(.[0:3])')"
equals "the one closed in November is marked closed at its October cell" '{"4,8":1}' "$(value mupoi_nov closed | jq -c .)"
equals "no new problemática since October" '{}' "$(value mupoi_nov new | jq -c .)"
map muro_nov muro --period 2026-11 --compare 2026-10
equals "the MURO map's title and axis" "Mapa de Riesgos Operativos|Probabilidad de ocurrencia" \
  "$(value muro_nov title)|$(value muro_nov axis/y)"
equals "the riesgo created in November is new, at 7,6" '1|{"7,6":1}' "$(value muro_nov cells/7,6)|$(value muro_nov new | jq -c .)"
map mupoi_now mupoi
equals "now: the open problemática at its effective scores, nothing else" '1 1' \
  "$(value mupoi_now total) $(value mupoi_now cells/3,2)"
map mupoi_filtered mupoi --period 2026-10 --territory OOAD-02
equals "October filtered by territory OOAD-02: the one at 4,8 only" '1 1' \
  "$(value mupoi_filtered total) $(value mupoi_filtered cells/4,8)"
out=$("$MOTCTL" map mupoi --period 2026-12 2>&1) && fail "a month not frozen yet must be refused"
check "a month not frozen yet is INVALID_VALUE naming period" grep -q "INVALID_VALUE.*period" <<<"$out"
out=$("$MOTCTL" map mupoi --period 2026-10 --compare 2026-11 2>&1) && fail "compare after period must be refused"
check "compare after the period is INVALID_VALUE naming compare" grep -q "INVALID_VALUE.*compare" <<<"$out"
out=$("$MOTCTL" map mupoi --period noviembre 2>&1) && fail "a period that is no month must be refused"
check "a period that is no month is INVALID_VALUE" grep -q "INVALID_VALUE.*period" <<<"$out"
out=$("$MOTCTL" map mupoi --closed 2>&1) && fail "a map of closed items must be refused"
check "a map of closed items is INVALID_VALUE" grep -q "INVALID_VALUE" <<<"$out"

# --- the monthly report of November ---------------------------------------------
"$MOTCTL" deliver UCS temas-mediaticos 2026-10 2026-11-05 >/dev/null || fail "deliver on time"
"$MOTCTL" deliver CV identificacion-problematicas 2026-10 2026-11-09 >/dev/null || fail "deliver late"
submit "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"P-A1\",\"action_id\":\"AC-R1\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-12-20\",\"item_id\":\"$r\",\"responsible\":\"DPM\"}"
delivered_both() { [ "$(rcli HGET 'mot:obl:{CV:identificacion-problematicas:2026-10}' status)" = delivered_late ] &&
  [ "$(rcli HGET 'mot:obl:{UCS:temas-mediaticos:2026-10}' status)" = delivered ]; }
check "the two deliveries are recorded" mot_wait 30 delivered_both
"$MOTCTL" report monthly 2026-11 >"$RUN/report.json" || fail "motctl report monthly"
report() { jq -c "$1" "$RUN/report.json"; }
equals "the report is of November, against October (frozen)" '["2026-11","2026-10",true]' \
  "$(report '[.periodo, .anterior, .anterior_congelado]')"
equals "problemáticas at November's close: one, in III; in October one in I and one in II" \
  '[1,{"I":0,"II":0,"III":1,"IV":0},{"I":1,"II":1,"III":0,"IV":0}]' \
  "$(report '.problematicas | [.total, .por_cuadrante, .por_cuadrante_anterior]')"
equals "none new, two closed in November, both resolved, one residual" '[0,2,2,1]' \
  "$(report '.problematicas | [.nuevas, .cerradas, .resueltas, .residuales]')"
equals "one better (I → III), none worse" "[1,0,[{\"id\":\"$a\",\"de\":\"I\",\"a\":\"III\",\"sentido\":\"mejora\"}]]" \
  "$(report '.problematicas | [.mejoran, .empeoran, .cambios]')"
equals "by territory and unit: OOAD-15 and UEOD, one in III" '[["OOAD-15",1,1],["UEOD",1,1]]' \
  "$(report '.problematicas | [(.por_territorio[], .por_unidad[]) | [.clave, .total, .III]]')"
equals "riesgos: one, new, in I; none in October" '[1,1,{"I":1,"II":0,"III":0,"IV":0},{"I":0,"II":0,"III":0,"IV":0}]' \
  "$(report '.riesgos | [.total, .nuevas, .por_cuadrante, .por_cuadrante_anterior]')"
equals "the ten reports due in November: one on time, one late, eight overdue" '[10,1,1,8,0]' \
  "$(report '.obligaciones | [.total, .a_tiempo, .tarde, .vencidas, .pendientes]')"
equals "the late one: CV, deadline Fri 6 Nov, delivered Mon 9 Nov, 1 business day late" \
  '[["CV","2026-11-06","2026-11-09",1]]' \
  "$(report '[.obligaciones.tarde_detalle[] | [.unidad, .fecha_limite, .entregado_el, .dias_habiles_atraso]]')"
equals "UAD's two (10 bd: Fri 13 Nov) are overdue" '["2026-11-13","2026-11-13"]' \
  "$(report '[.obligaciones.vencidas_detalle[] | select(.unidad == "UAD") | .fecha_limite]')"
equals "the open action on the riesgo, 0 % avance" "[1,0,0,[[\"UEOD:accion-correctiva:AC-R1\",\"$r\",\"DPM\",\"2026-12-20\",0]]]" \
  "$(report '.trabajo_abierto | [.acciones, .acuerdos, .recomendaciones, [.detalle[] | [.id, .items, .responsable, .vence, .avance]]]')"
# The same report as one HTML document (parsed) and as a PDF printed by Chromium.
"$MOTCTL" report monthly 2026-11 --html >"$RUN/report.html" || fail "motctl report monthly --html"
/usr/bin/python3 "$MOT_SOURCE/tests/tools/report_html_check.py" "$RUN/report.html" >"$RUN/report-html.json" ||
  fail "the report is not HTML"
html() { jq -c "$1" "$RUN/report-html.json"; }
equals "the HTML's cards: 1 at the close, 2 closed, 2 resolved, 1 residual, 1 better; 1 riesgo new; 8 overdue" \
  '[1,2,2,1,1,1,8,1]' \
  "$(html '.figures | [."problematicas.total", ."problematicas.cerradas", ."problematicas.resueltas", ."problematicas.residuales", ."problematicas.mejoran", ."riesgos.nuevas", ."obligaciones.vencidas", ."trabajo.acciones"]')"
equals "its quadrant table: I 1 → 0, II 1 → 0, III 0 → 1" '[["1","0"],["1","0"],["0","1"],["0","0"]]' \
  "$(html '.quadrants["problematicas-cuadrantes"] | [.I, .II, .III, .IV] | map([.anterior, .actual])')"
equals "both maps inline, no script, nothing external" '[2,0,0]' "$(html '[.svgs, .scripts, .external]')"
equals "the late and the overdue tables: 1 and 8 rows" '[1,8]' \
  "$(html '[.rows["obligaciones-tarde"], .rows["obligaciones-vencidas"]]')"
"$MOTCTL" report monthly 2026-11 --pdf "$RUN/informe.pdf" || fail "motctl report monthly --pdf"
check "the PDF is a PDF with pages" /usr/bin/python3 -c "import re, sys
data = open(sys.argv[1], 'rb').read()
sys.exit(0 if data.startswith(b'%PDF-') and len(re.findall(rb'/Type\s*/Page[^s]', data)) >= 1 else 1)" "$RUN/informe.pdf"
if [ -n "${MOT_TEST_ARTEFACTS:-}" ]; then   # kept for a person to look at
  mkdir -p "$MOT_TEST_ARTEFACTS"
  cp "$RUN/report.html" "$RUN/informe.pdf" "$RUN"/mupoi_nov.svg "$RUN"/muro_nov.svg "$MOT_TEST_ARTEFACTS"/
  echo "artefacts: $MOT_TEST_ARTEFACTS/{report.html,informe.pdf,mupoi_nov.svg,muro_nov.svg}"
fi
out=$("$MOTCTL" report monthly 2026-12 2>&1) && fail "a month not frozen must be refused"
check "a report of a month not frozen is INVALID_VALUE" grep -q "INVALID_VALUE.*period" <<<"$out"

# --- a late valuation, dated inside November, recorded on 3 December ----------
"$MOTCTL" clock set 2026-12-03T10:00 >/dev/null
submit "{\"type\":\"valuation\",\"source\":\"CAPSOI\",\"external_id\":\"P-V3\",\"item_id\":\"$r\",\"impact\":2,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-28\",\"analyst\":\"analista\",\"reason\":\"valoración en sitio\"}"
positions "$r"
equals "November's frozen position stays as it was" "7|6|I" "$(line 2026-11 '"\(.impacto)|\(.vertical)|\(.cuadrante)"')"
equals "and lists the late valuation: dated 28 Nov, 2/2 (III), recorded 3 Dec" "2026-11-28|2|2|III|residual|2026-12-03" \
  "$(line 2026-11 '.valoraciones_tardias[] | "\(.valorada_el)|\(.impacto)|\(.vertical)|\(.cuadrante)|\(.resultado)|\(.registrada_el)"')"
equals "now the riesgo is at 2/2, III, in monitoreo" "2|2|III|monitoreo" \
  "$(line actual '"\(.impacto)|\(.vertical)|\(.cuadrante)|\(.etapa)"')"
positions "$a"
equals "a valuation recorded inside its own month is not late" "null" "$(line 2026-11 .valoraciones_tardias)"

# --- idempotent: November frozen again by a restarted watcher ----------------
submit "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"P-V4\",\"item_id\":\"$a\",\"impact\":9,\"vertical\":9,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-12-03\",\"analyst\":\"analista\"}"
mot_kill_service "$RUN" deadline-watcher
rcli SET mot:periods:frozen 2026-10 >/dev/null
rcli HDEL mot:periods 2026-11 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
check "the restarted watcher freezes November again" mot_wait 60 frozen_is 2026-11
positions "$a"
equals "the first position frozen for November stays (not today's 9/9)" "3|2|III" \
  "$(line 2026-11 '"\(.impacto)|\(.vertical)|\(.cuadrante)"')"

# --- months closed while no watcher ran ---------------------------------------
mot_kill_service "$RUN" deadline-watcher
"$MOTCTL" clock set 2027-02-01T00:00:30 >/dev/null
mot_start_service "$RUN" "$MOT_BIN" deadline-watcher
check "December and January are frozen at the restart" mot_wait 60 frozen_is 2027-01
positions "$a"
equals "with the values of the restart: 9/9, I" "9|9|I 9|9|I" \
  "$(line 2026-12 '"\(.impacto)|\(.vertical)|\(.cuadrante)"') $(line 2027-01 '"\(.impacto)|\(.vertical)|\(.cuadrante)"')"
equals "both say when they were frozen" "2027-02-01 2027-02-01" \
  "$(line 2026-12 .congelado_el) $(line 2027-01 .congelado_el)"

# --- bad requests -------------------------------------------------------------
out=$("$MOTCTL" positions it-999999 2>&1) && fail "positions of an unknown item must fail"
check "an unknown item is INVALID_VALUE" grep -q INVALID_VALUE <<<"$out"
echo "checks: $E2E_CHECKS"
