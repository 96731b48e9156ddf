#!/usr/bin/env bash
# The item lifecycle (MOT-SPEC §8, norm 7.2.1.2, 7.2.3 - 7.2.5) through the
# real services: a problemática and a riesgo go from Identificación through
# Seguimiento (a corrective action, its progress reports and their
# verification), Monitoreo (valoración: residual), Mejora Continua (a sesión
# de consenso, an agreement, a CAPSOI recommendation), back to valoración
# (resolved) and to closure; then one is reopened. Every command goes through
# intake with `motctl submit --wait`, which prints its outcome; a command the
# state machine does not allow is refused with its Refusal and changes
# nothing. The notices about items (entering quadrant I, a worse quadrant,
# residual, a recommendation, closure) reach a subscriber. Expected stages,
# quadrants, refusals and texts are written by hand from the spec: impact 3
# / frequency 2 is quadrant III (both ≤ 5); the stages follow the state
# machine drawing of MOT-SPEC §8.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2027-01 MOT_ESCALATE_EVERY_BD=0

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all
e2e_subscribe_all

# submit_wait LINE: submits one JSON line with --wait; prints the ack line.
submit_wait() { echo "$1" | "$MOTCTL" submit --wait --timeout 5; }
# outcome ACK_LINE: applied | refused | pending
outcome_of() { echo "$1" | grep -o '"outcome":"[a-z]*"' | cut -d'"' -f4; }
refusal_of() { echo "$1" | grep -o '"refusal":"[A-Z_]*"' | cut -d'"' -f4; }
applied() {   # applied DESCRIPTION LINE
  local ack
  ack=$(submit_wait "$2")
  equals "$1" applied "$(outcome_of "$ack")"
}
refused() {   # refused DESCRIPTION REFUSAL LINE
  local ack
  ack=$(submit_wait "$3") && fail "$1: a refused command must make submit exit 1"
  equals "$1" "refused $2" "$(outcome_of "$ack") $(refusal_of "$ack")"
}
stage_of() { rcli HGET "mot:item:{$1}" stage; }
whats() { "$MOTCTL" audit "$1" | grep -o '"what":"[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' '; }

# --- Identificación: two findings open a problemática and a riesgo.
applied "a UEOD finding is classified" \
  '{"type":"finding","source":"UEOD","external_id":"L-F1","territory":"OOAD-15","topic":"Desabasto de medicamentos","found_on":"2026-10-20","impact":8,"frequency":7}'
applied "a CAPSOI risk finding is classified" \
  '{"type":"risk","source":"CAPSOI","external_id":"L-R1","territory":"UMAE-03","topic":"Falla de elevadores","found_on":"2026-10-21","impact":7,"probability":6}'
"$MOTCTL" items --csv >"$RUN/items.csv"
p=$(csv_field "$RUN/items.csv" territorio OOAD-15 id)
r=$(csv_field "$RUN/items.csv" territorio UMAE-03 id)
equals "the problemática starts in identificación" identificacion "$(stage_of "$p")"
equals "its quadrant is I (8 > 5, 7 > 5)" 1 "$(rcli HGET "mot:item:{$p}" quadrant)"

# Illegal before any action: valuing without a reason, closing, a session.
refused "valuing an item in identificación needs a reason" REASON_REQUIRED \
  "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"L-V0\",\"item_id\":\"$p\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.ueod\"}"
refused "an item in identificación cannot be closed" NOT_RESOLVED \
  "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"L-C0\",\"item_id\":\"$p\",\"analyst\":\"analista.ueod\",\"reason\":\"prueba\"}"
refused "a command on an item that does not exist" UNKNOWN_ITEM \
  '{"type":"start_monitoring","source":"UEOD","external_id":"L-S0","item_id":"it-999999","analyst":"analista.ueod","reason":"prueba"}'
equals "refusals changed nothing" identificacion "$(stage_of "$p")"

# --- Seguimiento: the first corrective action moves it; its due date becomes
# an obligation at the deadline-watcher.
applied "a corrective action is recorded" \
  "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"L-A1\",\"action_id\":\"AC-L1\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-11-30\",\"item_id\":\"$p\",\"responsible\":\"DPM\",\"description\":\"Redistribuir inventario\",\"pat_line\":\"PAT 3.2\"}"
equals "the first action moves the item to seguimiento" seguimiento "$(stage_of "$p")"
obligation_created() { [ "$(rcli HGET 'mot:obl:{UEOD:accion-correctiva:AC-L1}' deadline)" = 2026-11-30 ]; }
check "the action's due date is an obligation of the watcher" mot_wait 30 obligation_created
refused "the same action id again is refused" ALREADY_RECORDED \
  "{\"type\":\"action\",\"source\":\"UEOD\",\"external_id\":\"L-A1b\",\"action_id\":\"AC-L1\",\"kind\":\"accion-correctiva\",\"due_on\":\"2026-12-30\",\"item_id\":\"$p\"}"
applied "a new due date for the action" \
  '{"type":"reschedule","source":"UEOD","external_id":"L-D1","kind":"accion-correctiva","action_id":"AC-L1","due_on":"2026-12-04","reason":"Licitación desierta","analyst":"analista.ueod"}'
deadline_moved() { [ "$(rcli HGET 'mot:obl:{UEOD:accion-correctiva:AC-L1}' deadline)" = 2026-12-04 ]; }
check "the watcher moves the obligation's deadline" mot_wait 30 deadline_moved
check "the move is in the obligation's trail" \
  bash -c "rcli LRANGE 'mot:obl:{UEOD:accion-correctiva:AC-L1}:audit' 0 -1 | grep -q rescheduled"
refused "progress on an action that does not exist" UNKNOWN_ACTION \
  '{"type":"progress","source":"UEOD","external_id":"L-P0","kind":"accion-correctiva","action_id":"AC-NONE","percent":10,"cut_off":"2026-11-03","analyst":"analista.ueod"}'
applied "a 60 % progress report" \
  '{"type":"progress","source":"UEOD","external_id":"L-P1","kind":"accion-correctiva","action_id":"AC-L1","percent":60,"cut_off":"2026-11-02","evidence":"Oficio 123","analyst":"enlace.dpm"}'
applied "its verification" \
  '{"type":"verification","source":"UEOD","external_id":"L-V1","kind":"accion-correctiva","action_id":"AC-L1","cut_off":"2026-11-02","verified":true,"analyst":"analista.ueod"}'
equals "60 % verified is not complete: still seguimiento" seguimiento "$(stage_of "$p")"
refused "a report verified twice" ALREADY_VERIFIED \
  '{"type":"verification","source":"UEOD","external_id":"L-V1b","kind":"accion-correctiva","action_id":"AC-L1","cut_off":"2026-11-02","verified":false,"reason":"otra vez","analyst":"analista.ueod"}'
applied "a 100 % progress report" \
  '{"type":"progress","source":"UEOD","external_id":"L-P2","kind":"accion-correctiva","action_id":"AC-L1","percent":100,"cut_off":"2026-11-03","evidence":"Oficio 456","analyst":"enlace.dpm"}'
applied "its verification completes the action" \
  '{"type":"verification","source":"UEOD","external_id":"L-V2","kind":"accion-correctiva","action_id":"AC-L1","cut_off":"2026-11-03","verified":true,"analyst":"analista.ueod"}'
equals "all actions complete: monitoreo" monitoreo "$(stage_of "$p")"
delivered() { [ "$(rcli HGET 'mot:obl:{UEOD:accion-correctiva:AC-L1}' status)" = delivered ]; }
check "the completed action's obligation is delivered (on time: cut-off before its due date)" mot_wait 30 delivered

# --- Monitoreo: valoración, residual.
applied "valoración: residual, 3 / 2" \
  "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"L-V3\",\"item_id\":\"$p\",\"impact\":3,\"vertical\":2,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.ueod\"}"
equals "the residual scores are the effective ones: quadrant III" "3 2 3" \
  "$(rcli HMGET "mot:item:{$p}" impact vertical quadrant | tr '\n' ' ' | sed 's/ $//')"
equals "the valuation is kept in the item's history" 1 "$(rcli LLEN "mot:item:{$p}:valuations")"
applied "an analyst raises its frequency to 7: quadrant II, worse than III" \
  "{\"type\":\"override\",\"source\":\"UEOD\",\"external_id\":\"L-O0\",\"item_id\":\"$p\",\"vertical\":7,\"analyst\":\"analista.ueod\",\"reason\":\"Nuevas quejas\"}"
refused "a residual item cannot be closed" NOT_RESOLVED \
  "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"L-C1\",\"item_id\":\"$p\",\"analyst\":\"analista.ueod\",\"reason\":\"prueba\"}"

# The riesgo is valued early, with a reason (it enters monitoreo first).
applied "an early valoración with a reason" \
  "{\"type\":\"valuation\",\"source\":\"CAPSOI\",\"external_id\":\"L-V4\",\"item_id\":\"$r\",\"impact\":6,\"vertical\":4,\"outcome\":\"RESIDUAL\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.capsoi\",\"reason\":\"Revisión en la RTR\"}"
equals "the riesgo is in monitoreo" monitoreo "$(stage_of "$r")"
equals "6 / 4 is quadrant IV (impact > 5, probability ≤ 5)" 4 "$(rcli HGET "mot:item:{$r}" quadrant)"

# --- Mejora Continua: a session covers both; an agreement and a recommendation.
refused "an agreement for a session that does not exist" UNKNOWN_SESSION \
  "{\"type\":\"action\",\"source\":\"CAPSOI\",\"external_id\":\"L-G0\",\"action_id\":\"ACU-0\",\"kind\":\"acuerdo\",\"due_on\":\"2026-12-15\",\"item_id\":\"$p\",\"session_id\":\"SC-NONE\",\"responsible\":\"OOAD-15\"}"
applied "a sesión de consenso covers the residual items" \
  "{\"type\":\"session\",\"source\":\"CAPSOI\",\"external_id\":\"L-SC1\",\"session_id\":\"SC-2026-11\",\"held_on\":\"2026-11-03\",\"medium\":\"videoconferencia\",\"offices\":[\"TDOE\",\"CAPSOI\",\"OOAD-15\"],\"item_ids\":[\"$p\",\"$r\"],\"analyst\":\"tdoe\"}"
equals "the problemática is in mejora continua" mejora_continua "$(stage_of "$p")"
equals "the riesgo is in mejora continua" mejora_continua "$(stage_of "$r")"
applied "an agreement of the session" \
  "{\"type\":\"action\",\"source\":\"CAPSOI\",\"external_id\":\"L-G1\",\"action_id\":\"ACU-1\",\"kind\":\"acuerdo\",\"due_on\":\"2026-12-15\",\"item_id\":\"$p\",\"session_id\":\"SC-2026-11\",\"responsible\":\"OOAD-15\"}"
applied "a preventive recommendation for both" \
  "{\"type\":\"action\",\"source\":\"CAPSOI\",\"external_id\":\"L-R2\",\"action_id\":\"REC-1\",\"kind\":\"recomendacion\",\"due_on\":\"2026-12-20\",\"item_ids\":[\"$p\",\"$r\"],\"recommendation_type\":\"preventiva\",\"responsible\":\"DPM\"}"
for id in ACU-1:acuerdo REC-1:recomendacion; do
  action=${id%%:*} kind=${id##*:}
  applied "$kind $action reports 100 %" \
    "{\"type\":\"progress\",\"source\":\"CAPSOI\",\"external_id\":\"L-P-$action\",\"kind\":\"$kind\",\"action_id\":\"$action\",\"percent\":100,\"cut_off\":\"2026-11-03\",\"analyst\":\"analista.capsoi\"}"
  applied "$kind $action is verified" \
    "{\"type\":\"verification\",\"source\":\"CAPSOI\",\"external_id\":\"L-V-$action\",\"kind\":\"$kind\",\"action_id\":\"$action\",\"cut_off\":\"2026-11-03\",\"verified\":true,\"analyst\":\"analista.capsoi\"}"
done
equals "agreements and recommendations complete: back to valoración" "monitoreo monitoreo" "$(stage_of "$p") $(stage_of "$r")"

# --- Closure: resolved, closed; a second closure is refused; reopened.
applied "valoración: resolved" \
  "{\"type\":\"valuation\",\"source\":\"UEOD\",\"external_id\":\"L-V5\",\"item_id\":\"$p\",\"impact\":2,\"vertical\":1,\"outcome\":\"RESOLVED\",\"valued_on\":\"2026-11-03\",\"analyst\":\"analista.ueod\"}"
applied "the resolved item is closed" \
  "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"L-C2\",\"item_id\":\"$p\",\"analyst\":\"tdoe\",\"reason\":\"Abasto normalizado\"}"
equals "closed" cerrado "$(stage_of "$p")"
refused "a second closure" ALREADY_CLOSED \
  "{\"type\":\"closure\",\"source\":\"UEOD\",\"external_id\":\"L-C3\",\"item_id\":\"$p\",\"analyst\":\"tdoe\",\"reason\":\"otra vez\"}"
ttl=$(rcli TTL mot:dedup:UEOD:L-F1)
check "the dedup record of its finding expires in 90 days ($ttl s)" test "$ttl" -gt $((89 * 86400)) -a "$ttl" -le $((90 * 86400))
applied "a new finding on the same topic after closure" \
  '{"type":"finding","source":"UEOD","external_id":"L-F2","territory":"OOAD-15","topic":"Desabasto de medicamentos","found_on":"2026-11-03"}'
newer=$(rcli HGET "mot:event:$(rcli GET mot:dedup:UEOD:L-F2)" item_id)
check "it opens a new item ($newer), not the closed one" test -n "$newer" -a "$newer" != "$p"
applied "the closed item is reopened" \
  "{\"type\":\"reopen\",\"source\":\"UEOD\",\"external_id\":\"L-O1\",\"item_id\":\"$p\",\"analyst\":\"tdoe\",\"reason\":\"Reincidencia\"}"
equals "reopened: identificación" identificacion "$(stage_of "$p")"
equals "its dedup records no longer expire" -1 "$(rcli TTL mot:dedup:UEOD:L-F1)"

# --- The trail tells the whole story, in order.
# (the new finding took the topic's index, so the reopened item could not)
equals "the problemática's trail" \
  "created evidence action stage rescheduled progress verification progress verification stage valuation override session stage agreement recommendation progress verification progress verification stage valuation stage stage index_taken "  \
  "$(whats "$p" | sed 's/scored //g')"
"$MOTCTL" status "$(rcli GET mot:dedup:UEOD:L-C3)" >"$RUN/status.json"
check "motctl status tells a refusal and why" grep -q '"status":"refused".*"refusal":"ALREADY_CLOSED"' "$RUN/status.json"

# --- The notices about items, as a subscriber gets them.
on=$(rcli HGET "mot:item:{$p}" on)
case "$on" in *" "*) on=-;; esac   # "sin clasificar" is no topic segment
has_item_notice() { grep -q "\"notice_id\":\"$1\"" "$RUN/notices.jsonl"; }
check "entering quadrant I is announced" mot_wait 30 has_item_notice "$p|item_quadrant_i|ev-1"
equals "its topic names the ON and the territory" "item/$on/OOAD-15/item_quadrant_i" "$(field "$p|item_quadrant_i|ev-1" topic)"
equals "its text" "Cuadrante I: la problemática $p «Desabasto de medicamentos» entró al cuadrante I (rojo, vigilancia permanente); impacto 8, frecuencia 7. Territorio: OOAD-15.$([ "$on" = - ] || echo " Responsable: $on.")" \
  "$(notice_line "$p|item_quadrant_i|ev-1" | grep -o '"text":"[^"]*' | cut -d'"' -f4)"
worse=$(rcli GET mot:dedup:UEOD:L-O0)
check "a move to a worse quadrant (III → II) is announced" mot_wait 30 has_item_notice "$p|item_worse|$worse"
equals "the worse notice names both quadrants" "3 2" "$(field "$p|item_worse|$worse" previous_quadrant) $(field "$p|item_worse|$worse" quadrant)"
residual=$(rcli GET mot:dedup:UEOD:L-V3)
check "a residual is announced" mot_wait 30 has_item_notice "$p|item_residual|$residual"
check "the residual text" bash -c "grep -F 'quedó registrada como residual en su valoración del 2026-11-03; cuadrante III (verde, vigilancia periódica); impacto 3, frecuencia 2.' '$RUN/notices.jsonl' >/dev/null"
check "the recommendation is announced to its addressee" mot_wait 30 has_item_notice "CAPSOI:recomendacion:REC-1|recommendation_issued"
equals "on the addressee's topic" "item/DPM/OOAD-15/recommendation_issued" "$(field "CAPSOI:recomendacion:REC-1|recommendation_issued" topic)"
closure=$(rcli GET mot:dedup:UEOD:L-C2)
check "the closure is announced" mot_wait 30 has_item_notice "$p|item_closed|$closure"
check "its text" bash -c "grep -F 'Cerrada: la problemática $p «Desabasto de medicamentos» se cerró.' '$RUN/notices.jsonl' >/dev/null"
riesgo_i=$(grep -c "\"notice_id\":\"$r|item_quadrant_i|" "$RUN/notices.jsonl" || true)
equals "the riesgo entered quadrant I once (7 / 6), and moving to IV is no worse" 1 "$riesgo_i"
check "no notice about an item carries anything but codes and the topic" bash -c "! grep -q 'analista' '$RUN/notices.jsonl'"
