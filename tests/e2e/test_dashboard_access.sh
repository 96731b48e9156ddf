#!/usr/bin/env bash
# The dashboard's accounts carry the certificates' roles (issue #12): units
# and registers on an accounts line, enforced page by page. Four accounts:
#   todo      name<TAB>hash<TAB>analista — the three columns of before: all
#   ueod      viewer, units UEOD, registers mupoi,maps,obligations,audit,
#             positions,status,reports
#   soloreg   viewer, every unit, registers mupoi
#   riesgos   analyst, units CAPSOI, registers items,maps
# and the items, found by hand:
#   a  UEOD finding, OOAD-15 "Desabasto de insulina" 8/7 (I)
#   b  CV finding, OOAD-02 "Quejas por trato" 4/8 (II)
#   c  UEOD and CV findings, OOAD-09 "Cierre de farmacia" 3/2 (III): one
#      item detected by both units
#   r  CAPSOI riesgo, UMAE-03 "Falla de elevadores" 7/6
# plus a corrective action of UEOD on a and one of CV on b, both overdue on
# 2026-11-11. Checked with curl and tests/tools/page_check.py (the page
# parsed): what each account's MUPOI, MURO, map, item and event pages, the
# obligations board and the monthly report show or refuse (403 naming the
# register, 404 for another unit's item or event), the home page's cards,
# and the trail and positions left out without audit and positions.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_ESCALATE_EVERY_BD=0 MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv
export MOT_REPORTER_HTTP_REFRESH_MS=100
URL=http://$MOT_REPORTER_HTTP
CHECK="$MOT_SOURCE/tests/tools/page_check.py"
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash=$(openssl passwd -6 "$password")
{
  printf 'todo\t%s\tanalista\n' "$hash"
  printf 'ueod\t%s\tviewer\tUEOD\tmupoi,maps,obligations,audit,positions,status,reports\n' "$hash"
  printf 'soloreg\t%s\tviewer\t*\tmupoi\n' "$hash"
  printf 'riesgos\t%s\tanalyst\tCAPSOI\titems,maps\n' "$hash"
  printf 'programa\t%s\tupstream\tUAD\t*\n' "$hash"
} >"$RUN/accounts.tsv"

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all
http_up() { curl -s -o /dev/null "$URL/login"; }
check "the dashboard listens" mot_wait 60 http_up

# submit JSON: the event id of its ack (after it was applied)
submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 | jq -r .event_id || fail "submit $1"; }
item_of() { "$MOTCTL" items --csv >"$RUN/items.csv" && csv_field "$RUN/items.csv" tema "$1" id; }
ev_a=$(submit '{"type":"finding","source":"UEOD","external_id":"A-1","territory":"OOAD-15","topic":"Desabasto de insulina","found_on":"2026-10-19","impact":8,"frequency":7}')
ev_b=$(submit '{"type":"finding","source":"CV","external_id":"A-2","territory":"OOAD-02","topic":"Quejas por trato","found_on":"2026-10-19","impact":4,"frequency":8}')
submit '{"type":"finding","source":"UEOD","external_id":"A-3","territory":"OOAD-09","topic":"Cierre de farmacia","found_on":"2026-10-19","impact":3,"frequency":2}' >/dev/null
ev_c_cv=$(submit '{"type":"finding","source":"CV","external_id":"A-4","territory":"OOAD-09","topic":"Cierre de farmacia","found_on":"2026-10-19","impact":3,"frequency":2}')
submit '{"type":"risk","source":"CAPSOI","external_id":"A-5","territory":"UMAE-03","topic":"Falla de elevadores","found_on":"2026-10-19","impact":7,"probability":6}' >/dev/null
a=$(item_of "Desabasto de insulina"); b=$(item_of "Quejas por trato"); c=$(item_of "Cierre de farmacia")
r=$(item_of "Falla de elevadores")
equals "c was detected by both units" "UEOD,CV" "$(csv_field "$RUN/items.csv" id "$c" unidades)"
submit "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"A-6\",\"action_id\":\"AC-1\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-10\",\"item_id\":\"$a\",\"responsible\":\"DA\"}" >/dev/null
submit "{\"type\":\"action\",\"source\":\"CV\",\"external_id\":\"A-7\",\"action_id\":\"AC-2\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-10\",\"item_id\":\"$b\",\"responsible\":\"DA\"}" >/dev/null
"$MOTCTL" clock set 2026-11-11T09:00 >/dev/null
overdue() {
  "$MOTCTL" obligations --csv >"$RUN/obl.csv" &&
    [ "$(csv_field "$RUN/obl.csv" id UEOD:accion-correctiva:AC-1 estado)" = overdue ] &&
    [ "$(csv_field "$RUN/obl.csv" id CV:accion-correctiva:AC-2 estado)" = overdue ]
}
check "both actions are overdue" mot_wait 60 overdue

# --- signing in ---------------------------------------------------------------
for who in todo ueod soloreg riesgos; do
  curl -s -c "$RUN/$who.jar" -o /dev/null -d "usuario=$who&contrasena=$password" "$URL/login"
  check "$who signs in" grep -q mot_session "$RUN/$who.jar"
done
equals "an account with a program's role (upstream) cannot sign in: its line is skipped" 401 \
  "$(curl -s -o /dev/null -w '%{http_code}' -d "usuario=programa&contrasena=$password" "$URL/login")"
check "and the log says why, by line number" \
  grep -q 'accounts_line_skipped .* line=5 reason="the role of an account with units and registers is analyst or viewer"' \
  "$RUN/log/reporter.log"

# page WHO PATH NAME: the page as WHO sees it, into $RUN/NAME.html, parsed
# into $RUN/NAME.json; prints the status.
page() {
  local status
  status=$(curl -s -b "$RUN/$1.jar" -o "$RUN/$3.html" -w '%{http_code}' "$URL/$2")
  python3 "$CHECK" "$RUN/$3.html" >"$RUN/$3.json" || echo '{}' >"$RUN/$3.json"
  echo "$status"
}
ids() { summary_value "$1" '" ".join(sorted(r["id"] for r in s["tables"].get("", [])))'; }
sorted() { printf '%s\n' "$@" | sort | paste -sd' '; }
# Rebuilt registers: each page is at most 100 ms old, and every item was in before 09:00.
as_of_now() { curl -s -b "$RUN/todo.jar" "$URL/mupoi" | grep -q 'data-as-of="2026-11-11T09:00:00"'; }
check "the registers in memory were read after the last item" mot_wait 10 as_of_now

# --- the legacy account: everything ------------------------------------------------
equals "todo: the MUPOI" 200 "$(page todo mupoi todo-mupoi)"
equals "todo sees every problemática" "$(sorted "$a" "$b" "$c")" "$(ids todo-mupoi)"
equals "todo: the MURO" 200 "$(page todo muro todo-muro)"
equals "todo sees the riesgo" "$r" "$(ids todo-muro)"
equals "todo: b's page" 200 "$(page todo "item?id=$b" todo-b)"
equals "todo: the monthly report" 200 "$(page todo informe todo-informe)"
equals "todo: an unknown item's page" 404 "$(page todo "item?id=nope" todo-404)"
equals "whose header links every page" '["/", "/mupoi", "/muro", "/mapa?tipo=mupoi", "/obligaciones", "/informe"]' \
  "$(summary_value todo-404 's["links"]')"

# --- ueod: its unit's items only ------------------------------------------------------
equals "ueod: the MUPOI" 200 "$(page ueod mupoi ueod-mupoi)"
equals "ueod sees a and c (c has UEOD among its units), not b" "$(sorted "$a" "$c")" "$(ids ueod-mupoi)"
equals "and counts 2" 2 "$(grep -o 'data-total="[0-9]*"' "$RUN/ueod-mupoi.html" | cut -d'"' -f2)"
equals "its unit selector offers only UEOD" '["todos", "UEOD"]' "$(summary_value ueod-mupoi 's["options"]["unidad"]')"
equals "ueod filtering by CV: c only (both conditions hold)" 200 "$(page ueod "mupoi?unidad=CV" ueod-cv)"
equals "the CV items ueod sees" "$c" "$(ids ueod-cv)"
equals "ueod filtering by quadrant II (b's): none" 200 "$(page ueod "mupoi?cuadrante=2" ueod-q2)"
equals "no row" "" "$(ids ueod-q2)"
equals "ueod: the map" 200 "$(page ueod "mapa?tipo=mupoi" ueod-map)"
equals "its occupied cells are a's (8/7) and c's (3/2), not b's (4/8)" \
  '["/mupoi?impacto=3&vertical=2", "/mupoi?impacto=8&vertical=7"]' \
  "$(summary_value ueod-map 'sorted({l for l in s["links"] if "impacto=" in l})')"
page todo "mapa?tipo=mupoi" todo-map >/dev/null
equals "todo's map has b's cell too" \
  '["/mupoi?impacto=3&vertical=2", "/mupoi?impacto=4&vertical=8", "/mupoi?impacto=8&vertical=7"]' \
  "$(summary_value todo-map 'sorted({l for l in s["links"] if "impacto=" in l})')"
equals "ueod: a's page" 200 "$(page ueod "item?id=$a" ueod-a)"
check "a's trail is shown" grep -q 'id="trail"' "$RUN/ueod-a.html"
equals "ueod: c's page (detected by UEOD and CV)" 200 "$(page ueod "item?id=$c" ueod-c)"
equals "ueod: b's page is not found (another unit's)" 404 "$(page ueod "item?id=$b" ueod-b)"
equals "as an unknown item's" "No existe ese elemento." "$(summary_value ueod-b 's["ids"]["error"]')"
equals "ueod: r's page (CAPSOI's) is not found either" 404 "$(page ueod "item?id=$r" ueod-r)"
equals "ueod: a's event" 200 "$(page ueod "evento?id=$ev_a" ueod-ev-a)"
equals "ueod: CV's event about c, an item ueod sees" 200 "$(page ueod "evento?id=$ev_c_cv" ueod-ev-c)"
equals "ueod: CV's event about b: not found" 404 "$(page ueod "evento?id=$ev_b" ueod-ev-b)"
equals "ueod: the obligations board" 200 "$(page ueod obligaciones ueod-obl)"
check "its overdue board holds UEOD's action" \
  summary_holds ueod-obl '"UEOD:accion-correctiva:AC-1" in [r["id"] for r in s["tables"]["overdue"]]'
equals "and only UEOD's obligations, on every board" '["UEOD"]' \
  "$(summary_value ueod-obl 'sorted({r["unidad"] for t in s["tables"].values() for r in t})')"
page todo obligaciones todo-obl >/dev/null
check "todo's board has CV's action too" \
  summary_holds todo-obl '"CV:accion-correctiva:AC-2" in [r["id"] for r in s["tables"]["overdue"]]'
equals "ueod: the MURO needs the muro register: 403" 403 "$(page ueod muro ueod-muro)"
equals "with a page that names it" \
  "Su cuenta no tiene acceso al registro «muro». Si lo necesita, pida al equipo de operación que lo añada a su cuenta." \
  "$(summary_value ueod-muro 's["ids"]["error"]')"
equals "titled so" "Acceso no permitido — MOT" "$(summary_value ueod-muro 's["title"]')"
equals "ueod: the MURO's map: 403 too" 403 "$(page ueod "mapa?tipo=muro" ueod-map-muro)"
equals "ueod: the monthly report covers every unit: 403" 403 "$(page ueod informe ueod-informe)"
equals "saying so" "El informe mensual abarca todas las unidades y su cuenta está limitada a UEOD." \
  "$(summary_value ueod-informe 's["ids"]["error"]')"
page ueod "" ueod-home >/dev/null
equals "ueod's home: the cards it may open" '["/mupoi", "/mapa?tipo=mupoi", "/obligaciones"]' \
  "$(summary_value ueod-home 's["class_links"]["card"]')"
equals "ueod's header (on its 403 page) links only the pages it may open" \
  '["/", "/mupoi", "/mapa?tipo=mupoi", "/obligaciones"]' "$(summary_value ueod-muro 's["links"]')"

# --- soloreg: every unit, the MUPOI only -------------------------------------------------
equals "soloreg: the MUPOI" 200 "$(page soloreg mupoi soloreg-mupoi)"
equals "soloreg sees every problemática" "$(sorted "$a" "$b" "$c")" "$(ids soloreg-mupoi)"
equals "and every unit in its selector" '["todos", "UEOD", "UAD", "UCS", "CV", "CAPSOI"]' \
  "$(summary_value soloreg-mupoi 's["options"]["unidad"]')"
for refused in "muro:muro" "mapa?tipo=mupoi:maps" "obligaciones:obligations" "informe:reports" \
  "evento?id=$ev_a:status"; do
  path=${refused%:*} register=${refused##*:}
  equals "soloreg: /$path needs $register: 403" 403 "$(page soloreg "$path" soloreg-refused)"
  check "its page names «$register»" summary_holds soloreg-refused "'«$register»' in s['ids']['error']"
done
equals "soloreg's header links the MUPOI only" '["/", "/mupoi"]' "$(summary_value soloreg-refused 's["links"]')"
equals "soloreg: a problemática's page" 200 "$(page soloreg "item?id=$a" soloreg-a)"
equals "without audit its trail is left out, saying so" "Su cuenta no incluye el registro «audit»." \
  "$(summary_value soloreg-a 's["ids"]["trail-left-out"]')"
equals "without positions its positions too" "Su cuenta no incluye el registro «positions»." \
  "$(summary_value soloreg-a 's["ids"]["positions-left-out"]')"
check "and no trail table" summary_holds soloreg-a '"trail" not in s["tables"] and "positions" not in s["tables"]'
equals "soloreg: the riesgo's page needs muro: 403" 403 "$(page soloreg "item?id=$r" soloreg-r)"
page soloreg "" soloreg-home >/dev/null
equals "soloreg's home: the MUPOI card only" '["/mupoi"]' "$(summary_value soloreg-home 's["class_links"]["card"]')"

# --- riesgos: CAPSOI, items (both registers) and maps ---------------------------------------
equals "riesgos: the MURO (items holds it)" 200 "$(page riesgos muro riesgos-muro)"
equals "riesgos sees the riesgo" "$r" "$(ids riesgos-muro)"
equals "riesgos: the MUPOI (items holds it)" 200 "$(page riesgos mupoi riesgos-mupoi)"
equals "but no problemática is CAPSOI's" "" "$(ids riesgos-mupoi)"
equals "riesgos: the MURO's map" 200 "$(page riesgos "mapa?tipo=muro" riesgos-map)"
equals "its one occupied cell is r's (7/6)" '["/muro?impacto=7&vertical=6"]' \
  "$(summary_value riesgos-map 'sorted({l for l in s["links"] if "impacto=" in l})')"
equals "riesgos: r's page" 200 "$(page riesgos "item?id=$r" riesgos-r)"

# --- a change of the file applies to the next page -------------------------------------------
sed -i "s/^ueod\t\([^\t]*\)\tviewer\tUEOD\t/ueod\t\1\tviewer\tUEOD,CV\t/" "$RUN/accounts.tsv"
equals "ueod, now UEOD and CV: b's page" 200 "$(page ueod "item?id=$b" ueod-b-now)"
equals "and its MUPOI holds b" "$(sorted "$a" "$b" "$c")" "$(page ueod mupoi ueod-mupoi-now >/dev/null; ids ueod-mupoi-now)"
check "no password in the log" bash -c "! grep -q -- '$password' '$RUN'/log/*.log"
check "no hash in the log" bash -c "! grep -qF -- '${hash:0:20}' '$RUN'/log/*.log"
echo "checks: $E2E_CHECKS"
