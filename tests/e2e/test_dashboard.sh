#!/usr/bin/env bash
# The web dashboard (issue #11) in a real headless Chromium: three
# problemáticas and a riesgo with known scores, October frozen with the test
# clock, a corrective action left overdue; then tests/tools/dashboard_browser.py
# checks the login, the MUPOI (rows, sorting, filters), the MURO, the map
# (cells, the click-through, the frozen month), an item's page, the
# obligations board and a phone-sized window, with a screenshot of each page
# in the artefacts folder. curl checks the refusals: 303 to the login without
# a session, 404, 405, 400s, and that the register pages, which read the
# registers from memory, say when their data were read and catch up with a
# new item within the refresh bound (500 ms here).
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_ESCALATE_EVERY_BD=0
export MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv MOT_REPORTER_HTTP_REFRESH_MS=500
URL=http://$MOT_REPORTER_HTTP
ARTEFACTS=${MOT_TEST_ARTEFACTS:-$RUN/artefacts}
mkdir -p "$ARTEFACTS"

password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
printf 'demo\t%s\tanalista\n' "$(openssl passwd -6 "$password")" >"$RUN/accounts.tsv"

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all
http_up() { curl -s -o /dev/null "$URL/login"; }
check "the dashboard listens" mot_wait 60 http_up

submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 >/dev/null || fail "submit $1"; }
item_of() { "$MOTCTL" items --csv >"$RUN/items.csv" && csv_field "$RUN/items.csv" tema "$1" id; }
submit '{"type":"finding","source":"UEOD","external_id":"D-1","territory":"OOAD-15","topic":"Desabasto de insulina","found_on":"2026-10-19","impact":8,"frequency":7}'
submit '{"type":"finding","source":"UEOD","external_id":"D-2","territory":"OOAD-02","topic":"Quejas por trato","found_on":"2026-10-19","impact":4,"frequency":8}'
submit '{"type":"finding","source":"UEOD","external_id":"D-3","territory":"OOAD-09","topic":"Cierre de farmacia","found_on":"2026-10-19","impact":3,"frequency":2}'
submit '{"type":"risk","source":"CAPSOI","external_id":"D-4","territory":"UMAE-03","topic":"Falla de elevadores","found_on":"2026-10-19","impact":7,"probability":6}'
a=$(item_of "Desabasto de insulina"); b=$(item_of "Quejas por trato"); c=$(item_of "Cierre de farmacia")
r=$(item_of "Falla de elevadores")
echo "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"D-5\",\"action_id\":\"AC-77\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-10\",\"item_id\":\"$a\",\"responsible\":\"DA\"}" \
  | "$MOTCTL" submit >/dev/null || fail "submit the action"

# October closes (positions frozen), then the action's day ends undelivered.
frozen_is() { [ "$(rcli GET mot:periods:frozen)" = "$1" ]; }
"$MOTCTL" clock set 2026-11-01T00:00:30 >/dev/null
check "October is frozen" mot_wait 60 frozen_is 2026-10
"$MOTCTL" clock set 2026-11-11T09:00 >/dev/null
overdue() { "$MOTCTL" obligations --csv >"$RUN/obl.csv" && [ "$(csv_field "$RUN/obl.csv" id UEOD:accion-correctiva:AC-77 estado)" = overdue ]; }
check "the action is overdue" mot_wait 60 overdue

# --- refusals, with curl ---------------------------------------------------
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
equals "no session: 303 to the login" "303 /login" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/mupoi" | sed "s#$URL##")"
equals "an unknown path: 404" 404 "$(code "$URL/no-existe")"
equals "DELETE: 405" 405 "$(code -X DELETE "$URL/mupoi")"
equals "bad percent-encoding: 400" 400 "$(code "$URL/mupoi?territorio=%zz")"
equals "invalid UTF-8: 400" 400 "$(code "$URL/mupoi?territorio=%ff%fe")"
equals "a NUL: 400" 400 "$(code "$URL/mupoi?territorio=a%00b")"
equals "a query string over 2048 bytes: 400" 400 "$(code "$URL/mupoi?x=$(head -c 3000 /dev/zero | tr '\0' a)")"
equals "path traversal: 400" 400 "$(code --path-as-is "$URL/../../etc/passwd")"
equals "a wrong password: 401" 401 "$(code -d "usuario=demo&contrasena=nope" "$URL/login")"
equals "an unknown account: 401 too" 401 "$(code -d "usuario=nadie&contrasena=$password" "$URL/login")"
curl -s -c "$RUN/jar" -o /dev/null -d "usuario=demo&contrasena=$password" "$URL/login"
check "the session cookie is HttpOnly" grep -q '^#HttpOnly_127.0.0.1.*mot_session' "$RUN/jar"
equals "a wrong period: 400" 400 "$(code -b "$RUN/jar" "$URL/mapa?periodo=2026-13")"
check "with its message" bash -c "curl -s -b '$RUN/jar' '$URL/mapa?periodo=2026-13' | grep -q 'El periodo debe ser un mes AAAA-MM'"
equals "a month not frozen: 400" 400 "$(code -b "$RUN/jar" "$URL/mapa?periodo=2025-01")"
equals "an impact out of range: 400" 400 "$(code -b "$RUN/jar" "$URL/mupoi?impacto=11")"
equals "an unknown item: 404" 404 "$(code -b "$RUN/jar" "$URL/item?id=no-such-item")"
check "values are escaped" bash -c "curl -s -b '$RUN/jar' '$URL/mupoi?categoria=%3Cscript%3E' | grep -q 'value=\"&lt;script&gt;\"'"
# The monthly report's page: the newest frozen month (October) by default,
# three problemáticas (8/7 in I, 4/8 in II, 3/2 in III) and a riesgo.
curl -s -b "$RUN/jar" "$URL/informe" >"$RUN/informe.html"
figure() { grep -o "data-figure=\"$1\">[^<]*<b>[0-9]*</b>" "$RUN/informe.html" | sed 's/.*<b>\([0-9]*\)<\/b>/\1/'; }
equals "the report page: October's problemáticas and riesgos at its close" "3 1" \
  "$(figure problematicas.total) $(figure riesgos.total)"
equals "one problemática in each of I, II and III" "1 1 1 0" "$(for q in I II III IV; do
  grep -o "<tr data-quadrant=\"$q\">.*</tr>" "$RUN/informe.html" | head -1 | grep -o 'data-month="actual">[0-9]*' | cut -d'>' -f2
done | tr '\n' ' ' | sed 's/ $//')"
equals "both maps are inline" 2 "$(grep -o '<svg ' "$RUN/informe.html" | wc -l)"
equals "a month not frozen: 400" 400 "$(code -b "$RUN/jar" "$URL/informe?periodo=2025-01")"
check "the reporter still answers queries" "$MOTCTL" items --timeout 5
check "no password in the log" bash -c "! grep -q -- '$password' '$RUN'/log/*.log"

# --- the browser -------------------------------------------------------------
# Expected, by hand: MUPOI a 8/7 (quadrant I; its corrective action moves it to seguimiento), b 4/8, c 3/2; MURO r 7/6.
cat >"$RUN/expect.json" <<JSON
{"mupoi": ["$a", "$b", "$c"],
 "mupoi_by_impact_desc": ["$a", "$b", "$c"],
 "mupoi_by_frequency_asc": ["$c", "$a", "$b"],
 "territory": "OOAD-09", "mupoi_in_territory": ["$c"],
 "mupoi_quadrant_1": ["$a"],
 "muro": ["$r"],
 "map_cells": [[8, 7, 1], [4, 8, 1], [3, 2, 1], [5, 5, 0]],
 "click_cell": [4, 8, ["$b"]],
 "period": "2026-10", "period_cells": [[8, 7, 1], [4, 8, 1], [3, 2, 1]],
 "item": {"id": "$a", "facts": {"impacto": "8", "vertical": "7", "cuadrante": "I", "etapa": "seguimiento",
          "acciones": "1", "territorio": "OOAD-15"},
          "periods": ["2026-10", "actual"], "trail_first": "created"},
 "overdue": ["UEOD:accion-correctiva:AC-77"]}
JSON
check "the dashboard in Chromium" python3 "$MOT_SOURCE/tests/tools/dashboard_browser.py" "$URL" demo "$password" \
  "$ARTEFACTS" "$RUN/expect.json"
ls "$ARTEFACTS"/*.png

# --- the registers in memory ----------------------------------------------------
# Every register page so far was built after the clock was set to 09:00 on
# 11 November (local time); a new item at 09:30:15 shows within the bound.
as_of() { curl -s -b "$RUN/jar" "$URL/$1" | grep -o 'data-as-of="[^"]*"' | cut -d'"' -f2; }
equals "the MUPOI says when its data were read" "2026-11-11T09:00:00" "$(as_of mupoi)"
check "in words" bash -c "curl -s -b '$RUN/jar' '$URL/muro' | grep -q '>Datos al 2026-11-11 09:00:00<'"
"$MOTCTL" clock set 2026-11-11T09:30:15 >/dev/null
submit '{"type":"finding","source":"CV","external_id":"D-6","territory":"OOAD-20","topic":"Falla de aire acondicionado","found_on":"2026-11-10","impact":6,"frequency":3}'
d=$(item_of "Falla de aire acondicionado")
shows_new_item() {
  curl -s -b "$RUN/jar" "$URL/mupoi?territorio=OOAD-20&unidad=CV" >"$RUN/new.html"
  grep -q "data-id=\"$d\"" "$RUN/new.html" && grep -q 'data-as-of="2026-11-11T09:30:15"' "$RUN/new.html"
}
check "the MUPOI shows a new item, read at 09:30:15, within seconds" mot_wait 10 shows_new_item
equals "and only it in its territory" 1 "$(grep -o 'data-total="[0-9]*"' "$RUN/new.html" | cut -d'"' -f2)"
equals "the whole MUPOI: four problemáticas now" 4 \
  "$(curl -s -b "$RUN/jar" "$URL/mupoi" | grep -o 'data-total="[0-9]*"' | cut -d'"' -f2)"
echo "checks: $E2E_CHECKS"
