#!/usr/bin/env bash
# An item's page and its evidence on the dashboard (issue #11: "an item's
# page (scores, history, actions with progress, agreements,
# recommendations, audit trail) … links to its events' evidence and its map
# history"), read with curl and parsed (tests/tools/page_check.py):
#  - two complaints about the same reason in OOAD-09 make one problemática;
#    the first names the insured person and describes the case in free text;
#  - a corrective action on it, a 40 % progress report at 2026-11-02 that is
#    verified, then a 70 % one not yet verified;
#  - October's close freezes the item's position.
# The item page lists the action with its verified (40) and reported (70)
# progress and both reports; its trail links each step to its event; each
# month of its positions links to that month's map. The complaint's page
# shows the evidence (reason, territory, date, operating unit, the origin
# folio) and its item, and never the person nor the description. Bad ids
# are 400, unknown ones 404.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_ESCALATE_EVERY_BD=0 MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'analista\t%s\tanalista\n' "$(openssl passwd -6 "$password")" >"$RUN/accounts.tsv"
URL="http://$MOT_REPORTER_HTTP"
CHECK="$MOT_SOURCE/tests/tools/page_check.py"

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all

submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 >/dev/null || fail "submit $1"; }
submit '{"type":"queja","source":"UAD","external_id":"Q-1","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-01","operating_unit":"HGZ 46","description":"La señora Ana Gómez Martínez no recibió su insulina","person":{"nss":"12345678903","curp":"GOMA800101HDFRRN05","full_name":"Ana Gómez Martínez"}}'
submit '{"type":"queja","source":"UAD","external_id":"Q-2","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-02"}'
"$MOTCTL" items --csv >"$RUN/items.csv" || fail "items"
item=$(csv_field "$RUN/items.csv" territorio OOAD-09 id)
submit '{"type":"action","source":"UAD","external_id":"A-1","action_id":"AC-7","kind":"accion-correctiva","due_on":"2026-12-10","item_id":"'"$item"'","responsible":"DA"}'
frozen_is() { [ "$(rcli GET mot:periods:frozen)" = "$1" ]; }
"$MOTCTL" clock set 2026-11-17T09:00 >/dev/null
check "October's position is frozen" mot_wait 60 frozen_is 2026-10
submit '{"type":"progress","source":"UAD","external_id":"P-1","kind":"accion-correctiva","action_id":"AC-7","percent":40,"cut_off":"2026-11-02","evidence":"Oficio 12","analyst":"enlace.da"}'
submit '{"type":"verification","source":"UAD","external_id":"V-1","kind":"accion-correctiva","action_id":"AC-7","cut_off":"2026-11-02","verified":true,"analyst":"analista.uad"}'
submit '{"type":"progress","source":"UAD","external_id":"P-2","kind":"accion-correctiva","action_id":"AC-7","percent":70,"cut_off":"2026-11-16","evidence":"Oficio 19","analyst":"enlace.da"}'

curl -s -c "$RUN/jar" -o /dev/null -d "usuario=analista&contrasena=$password" "$URL/login" || fail "login"
get() { curl -s -b "$RUN/jar" "$URL$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' -b "$RUN/jar" "$URL$1"; }
# page NAME PATH: the page parsed into $RUN/NAME.json
page() { get "$2" >"$RUN/$1.html" && /usr/bin/python3 "$CHECK" "$RUN/$1.html" >"$RUN/$1.json" || fail "page $2"; }

# --- the item ------------------------------------------------------------------
page item "/item?id=$item"
equals "one action, with its kind, responsible and due date" '[["UAD:accion-correctiva:AC-7", "accion-correctiva", "DA", "2026-12-10"]]' \
  "$(summary_value item '[[r["id"], r["kind"], r["responsible"], r["due_on"]] for r in s["tables"]["work"]]')"
equals "its progress: 40 % verified, 70 % reported" '["40", "70"]' \
  "$(summary_value item '[s["tables"]["work"][0]["percent"], s["tables"]["work"][0]["reported"]]')"
equals "both reports, by cut-off, with their state" '2026-11-02: 40 % verified; 2026-11-16: 70 % reported' \
  "$(summary_value item 's["tables"]["work"][0]["reports"]')"
equals "October's position links to October's MUPOI map, now to today's" \
  '["/mapa?tipo=mupoi&periodo=2026-10", "/mapa?tipo=mupoi"]' \
  "$(summary_value item 's["table_links"]["positions"]')"
summary_value item 's["table_links"]["trail"]' >"$RUN/event-links.json"
equals "the trail links its events: both complaints, the action, both reports, the verification" 6 \
  "$(jq 'unique | length' "$RUN/event-links.json")"
first=$(rcli GET mot:dedup:UAD:Q-1)
check "among them the first complaint" bash -c "jq -e 'index(\"/evento?id=$first\")' '$RUN/event-links.json' >/dev/null"

# --- the evidence ---------------------------------------------------------------
page event "/evento?id=$first"
equals "the complaint's evidence: folio, territory, reason, date, operating unit" \
  '{"external_id": "Q-1", "territory": "OOAD-09", "reason": "Abasto de medicamentos", "received_on": "2026-10-01", "operating_unit": "HGZ 46"}' \
  "$(summary_value event 's["fields"]["evidence"]')"
equals "applied to the item, linked" "[\"/item?id=$item\"]" "$(summary_value event 's["table_links"]["outcome"]')"
for secret in "Ana" "Gómez" "12345678903" "GOMA800101HDFRRN05" "insulina"; do
  check "neither page shows '$secret'" bash -c "! grep -q '$secret' '$RUN/event.html' '$RUN/item.html'"
done
page action "/evento?id=$(rcli GET mot:dedup:UAD:A-1)"
equals "an action's event shows its outcome, no evidence table" 'action|applied|0' \
  "$(summary_value action '"|".join([s["fields"]["outcome"]["type"], s["fields"]["outcome"]["status"], str(len(s["fields"].get("evidence", {})))])')"

# --- refusals --------------------------------------------------------------------
equals "an id that is not one: 400" 400 "$(code '/evento?id=../../etc/passwd')"
equals "no id: 400" 400 "$(code '/evento')"
equals "an unknown event: 404" 404 "$(code '/evento?id=ev-999999')"
equals "without a session: to the login" 303 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/evento?id=$first")"

echo "$E2E_CHECKS passed, 0 failed"
