#!/usr/bin/env bash
# The monthly report generates itself (issue #11, norm 7.2.4.14): when the
# last of October's ten identification and follow-up reports is delivered,
# CAPSOI's comportamiento-mensual obligation stops waiting, and a reporter
# builds October's report, stores it and announces it to the TDOE — once,
# with two reporters looking every 200 ms and one of them restarted.
#  - October: two problemáticas (8/7 quadrant I; 3/2 quadrant III) and a
#    riesgo (9/9, quadrant I), all found in October;
#  - Tue 3 Nov: the positions are frozen, eight of the ten inputs arrive:
#    nothing is generated, `--stored` says there is no report;
#  - Wed 11 Nov the ninth, Thu 12 Nov 10:00 the tenth: the report is stored
#    with the clock's time, its figures are the scenario's (counted by hand;
#    September was never frozen: the watcher starts in October),
#    its HTML has both maps; the notice "report_available" reaches a
#    subscriber of "report/TDOE" with the deadline 5 bd after Thu 12: Fri 13,
#    (Mon 16 rest day) Tue 17, 18, 19, Fri 20 Nov;
#  - the report stays as generated when the items change later;
#  - recording the report's delivery (Thu 19) clears the obligation: no
#    overdue notice after Fri 20;
#  - the dashboard's /informe says what the month waits for, then links the
#    archived version (the stored document, byte for byte) and the delivery.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-10 MOT_REMIND_BD=0 MOT_WATCHER_TICK_MS=200 MOT_ESCALATE_EVERY_BD=0
# The reporters look from January 2024, long before the watcher's first month:
# the months it never handled must not hold the looks back.
export MOT_REPORTER_REPORT_EVERY_MS=200 MOT_REPORTER_ACCOUNTS=$RUN/accounts.tsv MOT_REPORTER_REPORTS_FROM=2024-01
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'tdoe\t%s\tconsulta\n' "$(openssl passwd -6 "$password")" >"$RUN/accounts.tsv"
URL="http://$MOT_REPORTER_HTTP"
REPORT='CAPSOI:comportamiento-mensual:2026-10'
NOTICE="$REPORT|report_available"

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-10-20T09:00 >/dev/null
e2e_start_all
e2e_subscribe_all
setsid "$MOTCTL" subscribe --since 0 --topic report/TDOE >"$RUN/tdoe.jsonl" 2>"$RUN/log/tdoe.log" &
echo $! >"$RUN/pids/tdoe.pid"
# A second reporter, with its own query port and no dashboard.
mot_start_service "$RUN" "$MOT_BIN" reporter:2 --query "tcp://127.0.0.1:$((base + 6))" --http off

submit() { echo "$1" | "$MOTCTL" submit --wait --timeout 5 >/dev/null || fail "submit $1"; }
deliver() { "$MOTCTL" deliver "${1%/*}" "${1#*/}" 2026-10 "$2" >/dev/null || fail "deliver $1"; }
stored() { [ "$(rcli EXISTS "mot:report:monthly:{2026-10}")" = 1 ]; }
frozen_is() { [ "$(rcli GET mot:periods:frozen)" = "$1" ]; }

submit '{"type":"finding","source":"UEOD","external_id":"A-1","territory":"OOAD-15","topic":"Desabasto de insulina","found_on":"2026-10-19","impact":8,"frequency":7}'
submit '{"type":"finding","source":"UEOD","external_id":"A-2","territory":"OOAD-02","topic":"Citas diferidas","found_on":"2026-10-19","impact":3,"frequency":2}'
submit '{"type":"risk","source":"CAPSOI","external_id":"A-3","territory":"OOAD-15","topic":"Falla de elevadores","found_on":"2026-10-19","impact":9,"probability":9}'

# --- October closes; eight inputs ----------------------------------------------
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
check "October's positions are frozen" mot_wait 60 frozen_is 2026-10
for report in UAD/quejas-gestiones UCS/temas-mediaticos CV/identificacion-problematicas CAPSOI/riesgos-rtr \
              UCS/mitigacion-mediaticos CV/seguimiento-acciones CAPSOI/informe-operativo-seguimiento \
              CAPSOI/seguimiento-riesgos-rtr; do
  deliver "$report" 2026-11-03
done
set_clock 2026-11-03T09:00
sleep 1   # five looks of each reporter
check "eight of ten inputs: no report" bash -c "! rcli EXISTS 'mot:report:monthly:{2026-10}' | grep -q 1"
check "--stored says there is none" bash -c \
  "! '$MOTCTL' report monthly 2026-10 --stored 2>'$RUN/none.err' && grep -q 'no report stored' '$RUN/none.err'"
check "and nothing was announced" bash -c "! grep -q 'report_available' '$RUN/notices.jsonl'"
curl -s -c "$RUN/jar" -o /dev/null -d "usuario=tdoe&contrasena=$password" "$URL/login" || fail "login"
page() { curl -s -b "$RUN/jar" "$URL/informe?periodo=2026-10${1:-}"; }
page >"$RUN/informe.html"
equals "the dashboard: no archived version yet, the obligation waits for the two missing" \
  '0|data-obligation="waiting"|faltan: CAPSOI/informe-operativo,UAD/quejas-gestiones-seguimiento.' \
  "$(grep -c 'data-archived' "$RUN/informe.html")|$(grep -o 'data-obligation="[a-z_]*"' "$RUN/informe.html")|$(grep -o 'faltan: [^<]*' "$RUN/informe.html")"
equals "and no archived document to show: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -b "$RUN/jar" "$URL/informe?periodo=2026-10&version=archivada")"

# --- the last inputs ---------------------------------------------------------------
"$MOTCTL" clock set 2026-11-11T10:00 >/dev/null
deliver CAPSOI/informe-operativo 2026-11-11
set_clock 2026-11-11T10:00
sleep 1
check "nine of ten: still none" bash -c "! rcli EXISTS 'mot:report:monthly:{2026-10}' | grep -q 1"
"$MOTCTL" clock set 2026-11-12T10:00 >/dev/null
mot_kill_service "$RUN" reporter-2            # restarted while the last input arrives
deliver UAD/quejas-gestiones-seguimiento 2026-11-12
mot_start_service "$RUN" "$MOT_BIN" reporter:2 --query "tcp://127.0.0.1:$((base + 6))" --http off
check "the last input makes the report" mot_wait 30 stored
equals "stored with the clock's time at generation (Thu 12 Nov 10:00, UTC-6)" \
  "$(date -u -d '2026-11-12 16:00:00' +%s)|$REPORT" \
  "$(rcli HGET 'mot:report:monthly:{2026-10}' generated_at)|$(rcli HGET 'mot:report:monthly:{2026-10}' obligation)"
equals "listed among the stored reports" "2026-10" "$(rcli HKEYS mot:reports:monthly)"
equals "the looks now start at November (the months before the watcher's first are passed over)" 2026-11 \
  "$(rcli GET mot:reports:monthly:next)"

"$MOTCTL" report monthly 2026-10 --stored >"$RUN/stored.json" || fail "report --stored"
equals "its figures: 2 problemáticas (I and III), 1 riesgo (I); September never frozen" '2|1|0|0|1|1|1|false' \
  "$(jq -r '[.problematicas.total, .problematicas.por_cuadrante.I, .problematicas.por_cuadrante.II,
             .problematicas.por_cuadrante.IV, .problematicas.por_cuadrante.III, .riesgos.total,
             .riesgos.por_cuadrante.I, .anterior_congelado] | map(tostring) | join("|")' "$RUN/stored.json")"
"$MOTCTL" report monthly 2026-10 --stored --html >"$RUN/stored.html" || fail "report --stored --html"
/usr/bin/python3 "$MOT_SOURCE/tests/tools/report_html_check.py" "$RUN/stored.html" >"$RUN/stored-html.json" ||
  fail "the stored report is not HTML"
equals "its HTML: the same totals, both maps inline, nothing external" '2|1|2|0|0' \
  "$(jq -r '[.figures."problematicas.total", .figures."riesgos.total", .svgs, .scripts, .external]
            | map(tostring) | join("|")' "$RUN/stored-html.json")"

page >"$RUN/informe.html"
equals "the dashboard links the archived version, generated Thu 12 Nov 10:00" '1|2026-11-12 10:00' \
  "$(grep -c 'data-archived' "$RUN/informe.html")|$(grep -o '<time>[^<]*' "$RUN/informe.html" | head -1 | cut -c7-)"
page '&version=archivada' >"$RUN/archived.html"
check "which is the stored document itself" cmp -s "$RUN/stored.html" "$RUN/archived.html"

# --- the notice ---------------------------------------------------------------------
tdoe_has() { grep -q "\"notice_id\":\"$NOTICE\"" "$RUN/tdoe.jsonl"; }
check "the TDOE's subscriber gets the notice" mot_wait 30 tdoe_has
line=$(grep "\"notice_id\":\"$NOTICE\"" "$RUN/tdoe.jsonl")
equals "on the TDOE's topic, for October, due Fri 20 Nov" \
  "report/TDOE/CAPSOI/comportamiento-mensual|report_available|CAPSOI|2026-10|2026-11-20|TDOE" \
  "$(jq -r '[.topic, .kind, .unit, .period, .deadline, .recipients[0]] | join("|")' <<<"$line")"
jq -r .text <<<"$line" >"$RUN/text.txt"
check "its text says so in Spanish" grep -q \
  '^Informe disponible: «Comportamiento mensual.*» de CAPSOI, periodo 2026-10; se entrega a más tardar el 2026-11-20\. Destinatarios: TDOE\.$' \
  "$RUN/text.txt"
sleep 1   # more looks of both reporters
equals "announced once, with two reporters, one restarted" 1 "$(grep -c "\"notice_id\":\"$NOTICE\"" "$RUN/notices.jsonl")"
equals "the subscriber of report/TDOE got nothing else" 1 "$(wc -l <"$RUN/tdoe.jsonl")"

# --- the stored report stays as generated ------------------------------------------
"$MOTCTL" items --csv >"$RUN/items.csv" || fail "items"
item=$(csv_field "$RUN/items.csv" tema "Desabasto de insulina" id)
submit '{"type":"action","source":"UEOD","external_id":"A-5","action_id":"AC-1","kind":"accion-correctiva","due_on":"2026-12-10","item_id":"'"$item"'","responsible":"DA"}'
"$MOTCTL" report monthly 2026-10 >"$RUN/live.json" || fail "report now"
equals "built now, the report counts the action opened after it was generated" 1 \
  "$(jq .trabajo_abierto.acciones "$RUN/live.json")"
"$MOTCTL" report monthly 2026-10 --stored >"$RUN/stored-again.json" || fail "report --stored again"
equals "the stored one stays as generated: no open action" 0 "$(jq .trabajo_abierto.acciones "$RUN/stored-again.json")"
check "byte for byte" cmp -s "$RUN/stored.json" "$RUN/stored-again.json"

# --- delivery clears the obligation ----------------------------------------------------
"$MOTCTL" clock set 2026-11-19T10:00 >/dev/null
deliver CAPSOI/comportamiento-mensual 2026-11-19
set_clock 2026-11-19T10:00
equals "the report's obligation is delivered" delivered "$(rcli HGET "mot:obl:{$REPORT}" status)"
check "the dashboard says it was delivered on Thu 19" bash -c \
  "curl -s -b '$RUN/jar' '$URL/informe?periodo=2026-10' | grep -q 'data-obligation=\"delivered\">entregado el 2026-11-19<'"
set_clock 2026-11-21T00:00:30
sleep 0.5
check "no overdue notice after its deadline" bash -c "! grep -q '\"notice_id\":\"$REPORT|overdue\"' '$RUN/notices.jsonl'"

# --- refusals -------------------------------------------------------------------------
check "a month that is not one is refused" bash -c "! '$MOTCTL' report monthly 2026-13 --stored 2>/dev/null"
check "a month without a stored report is refused" bash -c "! '$MOTCTL' report monthly 2026-09 --stored 2>/dev/null"
check "the reporters kept serving" bash -c "'$MOTCTL' report monthly 2026-10 --stored >/dev/null"
check "no reporter logged an error" bash -c "! grep -h ' ERROR ' '$RUN/log/reporter.log' '$RUN/log/reporter-2.log'"

echo "$E2E_CHECKS passed, 0 failed"
