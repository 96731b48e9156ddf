#!/usr/bin/env bash
# Authorisation from the certificate, not from the message (issue #12): each
# holder below gets a certificate made with motctl cert while the services
# run, and does what it may and what it may not:
#   siq-uad        upstream, units UAD: publishes as UAD only, no command
#   dpm-ueod       analyst, units UEOD: events and commands as UEOD, on
#                  the items UEOD found (not on CAPSOI's); its commands'
#                  analyst is its certificate's name, whatever the message
#                  says
#   visor-mupoi    viewer, registers mupoi: reads the MUPOI, nothing else
#   alertas-ueod   subscriber, topics overdue/UEOD: those notices only,
#                  live and through the catch-up socket
# Intake answers FORBIDDEN and stores nothing; the reporter and the
# notifier's catch-up answer FORBIDDEN; the notifier's PUB applies no
# subscription the certificate does not cover. Every refusal is logged.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null
e2e_start_all
protoc --python_out="$RUN" -I "$MOT_SOURCE/proto" "$MOT_SOURCE/proto/mot.proto"

holder() {   # holder NAME ARGS...: a client certificate in the run's clients/, its keypair in $RUN/NAME
  local name=$1
  shift
  "$MOTCTL" cert create "$name" "$@" --out "$RUN/$name" >/dev/null || fail "create $name"
}
holder siq-uad --role upstream --units UAD
holder dpm-ueod --role analyst --units UEOD --registers audit,status
holder visor-mupoi --role viewer --registers mupoi
holder alertas-ueod --role subscriber --topics overdue/UEOD
as() { local who=$1; shift; MOT_CERT="$RUN/$who" "$@"; }
code_of() { grep -o '"code":"[A-Z_]*"' | cut -d'"' -f4; }
submit_as() {   # submit_as HOLDER LINE: the ack line
  echo "$2" | as "$1" "$MOTCTL" submit --wait --timeout 5 || true
}
queja() {   # queja SOURCE EXTERNAL_ID: a complaint as SOURCE (only UAD may send one)
  printf '{"type":"queja","source":"%s","external_id":"%s","territory":"OOAD-09","reason":"Abasto de medicamentos","received_on":"2026-10-20"}' "$1" "$2"
}
delivery() {   # delivery SOURCE EXTERNAL_ID
  printf '{"type":"delivery","source":"%s","external_id":"%s","report":"quejas-gestiones","period":"2026-10","delivered_on":"2026-11-03"}' "$1" "$2"
}

# --- an upstream: UAD only, no command ---------------------------------------------------------
equals "the upstream publishes as UAD" accepted "$(submit_as siq-uad "$(queja UAD AZ-1)" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4)"
equals "the upstream may not publish as UCS" FORBIDDEN "$(submit_as siq-uad "$(delivery UCS AZ-2)" | code_of)"
check "intake logged the refusal with the certificate's name" \
  grep -q 'WARN intake forbidden peer=siq-uad role=upstream source=UCS type=delivery' "$RUN/log/intake.log"
mot_wait 30 bash -c "[ -n \"\$('$MOTCTL' mupoi --csv | awk -F, 'NR == 2')\" ]" || fail "the complaint was not classified"
item=$("$MOTCTL" mupoi --csv | awk -v cols=id -f "$MOT_SOURCE/deploy/local/csv.awk" | sed -n 2p)
override() {   # override SOURCE EXTERNAL_ID ANALYST
  printf '{"type":"override","source":"%s","external_id":"%s","item_id":"%s","impact":3,"vertical":9,"analyst":"%s","reason":"Revisión"}' \
    "$1" "$2" "$item" "$3"
}
equals "the upstream may not record an analyst command" FORBIDDEN "$(submit_as siq-uad "$(override UAD AZ-3 alguien)" | code_of)"

# --- an analyst: UEOD's events and commands, under its own name ----------------------------------
# Its own finding on the complaint's territory and topic joins the item: UEOD found it too.
ack=$(submit_as dpm-ueod '{"type":"finding","source":"UEOD","external_id":"AZ-F1","territory":"OOAD-09","topic":"Abasto de medicamentos","found_on":"2026-10-22"}')
equals "the analyst's finding (an event as UEOD) joins the item" "$item" "$(echo "$ack" | grep -o '"item_id":"it-[0-9]*"' | cut -d'"' -f4)"
equals "which UAD and UEOD found" "UAD,UEOD" "$(rcli HGET "mot:item:{$item}" units)"
ack=$(submit_as dpm-ueod "$(override UEOD AZ-4 otra.persona)")
equals "the analyst's command for UEOD is applied" applied "$(echo "$ack" | grep -o '"outcome":"[a-z]*"' | cut -d'"' -f4)"
equals "the trail names the certificate, not the analyst the message gave" "dpm-ueod" \
  "$(as dpm-ueod "$MOTCTL" audit "$item" | grep '"what":"override' | grep -o '"analyst":"[^"]*"' | cut -d'"' -f4)"
check "no trace of the name the client typed" bash -c "! '$MOTCTL' audit '$item' | grep -q otra.persona"
equals "the analyst may not act for UAD" FORBIDDEN "$(submit_as dpm-ueod "$(override UAD AZ-5 x)" | code_of)"
# An item CAPSOI found (a risk finding): UEOD's analyst may not act on it, even as UEOD; CAPSOI's may.
printf '{"type":"risk","source":"CAPSOI","external_id":"AZ-R1","territory":"OOAD-21","topic":"Riesgo de desabasto","found_on":"2026-10-21","impact":7,"probability":6}' |
  "$MOTCTL" submit --wait --timeout 10 >"$RUN/risk.ack" || fail "the risk finding: $(cat "$RUN/risk.ack")"
capsoi_item=$(grep -o '"item_id":"it-[0-9]*"' "$RUN/risk.ack" | cut -d'"' -f4)
equals "the risk made an item CAPSOI found" CAPSOI "$(rcli HGET "mot:item:{$capsoi_item}" units)"
on_capsoi_item() {   # on_capsoi_item HOLDER EXTERNAL_ID: a start of monitoring of CAPSOI's item, as UEOD
  submit_as "$1" "$(printf '{"type":"start_monitoring","source":"UEOD","external_id":"%s","item_id":"%s","analyst":"x","reason":"Revisión"}' "$2" "$capsoi_item")"
}
equals "UEOD's analyst on CAPSOI's item: FORBIDDEN" FORBIDDEN "$(on_capsoi_item dpm-ueod AZ-7 | code_of)"
check "intake logged it" grep -q 'forbidden peer=dpm-ueod role=analyst source=UEOD type=start_monitoring' "$RUN/log/intake.log"
holder ueod-capsoi --role analyst --units UEOD,CAPSOI --registers status
equals "an analyst of UEOD and CAPSOI may" accepted \
  "$(on_capsoi_item ueod-capsoi AZ-8 | grep -o '"status":"[a-z]*"' | cut -d'"' -f4)"
equals "the analyst may not read the MURO" FORBIDDEN \
  "$(as dpm-ueod "$MOTCTL" muro --timeout 3 2>&1 >/dev/null | grep -o 'FORBIDDEN' | head -1)"

# Nothing of a refused envelope was stored: no event, no external-id mark.
for id in AZ-2 AZ-3 AZ-5 AZ-7; do
  equals "$id left nothing in Redis" "" "$(rcli --scan --pattern "*$id*")"
done

# Credentials appended as a device forwards them are believed only from a service.
forged=$(MOT_CERT="$RUN/siq-uad" PYTHONPATH="$RUN:$MOT_SOURCE/tests/tools" "$PY" - "$MOT_INTAKE_INGRESS" <<'PY'
import sys, zmq, mot_pb2
from curve import secure
dealer = secure(zmq.Context.instance().socket(zmq.DEALER), "intake")
dealer.connect(sys.argv[1])
e = mot_pb2.Envelope(external_id="AZ-FORGED", source=mot_pb2.UCS)
e.delivery.report, e.delivery.period, e.delivery.delivered_on = "temas-mediaticos", "2026-10", "2026-11-05"
dealer.send_multipart([b"", e.SerializeToString(), b"mot.peer\0ops\0service\0*\0*\0*\0"])
ack = mot_pb2.Ack.FromString(dealer.recv_multipart()[-1]) if dealer.poll(5000) else None
print("no answer" if ack is None else mot_pb2.ErrorCode.Name(ack.error.code) if ack.HasField("error") else "accepted")
PY
)
equals "an upstream forging a device's credentials: FORBIDDEN" FORBIDDEN "$forged"
equals "AZ-FORGED left nothing in Redis" "" "$(rcli --scan --pattern '*AZ-FORGED*')"

# --- a viewer: the MUPOI only ---------------------------------------------------------------------
check "the viewer reads the MUPOI" bash -c "MOT_CERT='$RUN/visor-mupoi' '$MOTCTL' mupoi --csv | grep -q '$item'"
for verb in muro items obligations; do
  equals "the viewer may not read $verb" FORBIDDEN \
    "$(as visor-mupoi "$MOTCTL" "$verb" --timeout 3 2>&1 >/dev/null | grep -o 'FORBIDDEN' | head -1)"
done
check "the reporter logged it" grep -q 'WARN reporter forbidden peer=visor-mupoi role=viewer register=muro' "$RUN/log/reporter.log"
equals "the viewer may not publish" FORBIDDEN "$(submit_as visor-mupoi "$(queja UAD AZ-6)" | code_of)"
# Refused complaints that carry a person: their data reaches no log and no Redis file (checked at the end).
with_person() { sed 's/}$/,"person":{"nss":"98765432109","curp":"ROSA750505MJCDNN02","full_name":"Rosa Nápoles"}}/'; }
equals "a viewer's complaint with a person: FORBIDDEN" FORBIDDEN "$(submit_as visor-mupoi "$(queja UAD AZ-P1 | with_person)" | code_of)"
equals "an upstream's, as UCS, with a person: FORBIDDEN" FORBIDDEN "$(submit_as siq-uad "$(queja UCS AZ-P2 | with_person)" | code_of)"

# --- a subscriber: overdue/UEOD only --------------------------------------------------------------
# Two notices logged as a watcher logs them: overdue/UEOD/… (notices.py makes UEOD overdue notices)
# and, with NOTICE_KIND=reminder, reminder/UEOD/….
notices() { PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" "$@"; }
# Live: three SUBs with the subscriber's certificate, on "", "reminder/" and "overdue/UEOD", and one
# with the run's own (allowed everything) on "".
PYTHONPATH="$RUN:$MOT_SOURCE/tests/tools" "$PY" - "$MOT_NOTIFIER_PUBLISH" "$RUN" >"$RUN/live.txt" 2>&1 <<'PY' &
import os, sys, time, zmq
from curve import secure
endpoint, run = sys.argv[1], sys.argv[2]
context = zmq.Context.instance()
subs = {}
for label, cert, topic in [("everything", f"{run}/alertas-ueod", ""), ("reminders", f"{run}/alertas-ueod", "reminder/"),
                           ("own", f"{run}/alertas-ueod", "overdue/UEOD"), ("operator", os.environ["MOT_CERT"], "")]:
    os.environ["MOT_CERT"], saved = cert, os.environ["MOT_CERT"]
    sub = secure(context.socket(zmq.SUB), "notifier")
    os.environ["MOT_CERT"] = saved
    sub.setsockopt(zmq.SUBSCRIBE, topic.encode())
    sub.connect(endpoint)
    subs[label] = sub
print("ready", flush=True)
got = {label: [] for label in subs}
deadline = time.time() + 12
while time.time() < deadline:
    for label, sub in subs.items():
        while sub.poll(0):
            frames = sub.recv_multipart()
            if frames[0] != b"hugz":
                got[label].append(frames[0].decode())
    time.sleep(0.05)
for label, topics in got.items():
    print(label, " ".join(sorted(topics)) or "-")
PY
live=$!
mot_wait 10 grep -q ready "$RUN/live.txt" || fail "the subscribers did not start"
sleep 1.5
last=$(rcli GET mot:seq:notice)   # the override made a notice of its own (item_worse)
first=$((${last:-0} + 1))
notices log "$first" N-OVR | rcli --pipe >/dev/null
NOTICE_KIND=reminder notices log $((first + 1)) N-REM | rcli --pipe >/dev/null
notices wake "$MOT_NOTIFIER_COLLECT"
wait $live || true
overdue=$(grep '^operator' "$RUN/live.txt" | tr ' ' '\n' | grep '^overdue/' | head -1)
reminder=$(grep '^operator' "$RUN/live.txt" | tr ' ' '\n' | grep '^reminder/' | head -1)
check "the operator got both notices live ($overdue, $reminder)" test -n "$overdue" -a -n "$reminder"
equals "the subscriber's own topic: the overdue notice only" "own $overdue" "$(grep '^own' "$RUN/live.txt")"
equals "its subscription to everything was not applied" "everything -" "$(grep '^everything' "$RUN/live.txt")"
equals "nor its subscription to reminders" "reminders -" "$(grep '^reminders' "$RUN/live.txt")"
check "the notifier logged the refused subscriptions" \
  grep -q 'WARN notifier forbidden peer=alertas-ueod role=subscriber socket=publish' "$RUN/log/notifier.log"
# Catch-up: its topic is answered, a broader one or everything is FORBIDDEN.
ask() { as alertas-ueod env PYTHONPATH="$RUN" "$PY" "$MOT_SOURCE/tests/tools/notices.py" ask "$MOT_NOTIFIER_CATCHUP" 0 "$@"; }
equals "catch-up on its topic: the overdue notice" "[$first]" "$(ask overdue/UEOD | jq -c .seqs)"
equals "catch-up on reminders: FORBIDDEN" FORBIDDEN "$(ask reminder/ | jq -r .error)"
equals "catch-up on everything: FORBIDDEN" FORBIDDEN "$(ask | jq -r .error)"
check "motctl subscribe with its topic works" bash -c \
  "MOT_CERT='$RUN/alertas-ueod' '$MOTCTL' subscribe --since 0 --topic overdue/UEOD --count 1 --timeout 5 | grep -q N-OVR"

rcli BGREWRITEAOF >/dev/null
sleep 1
check "no NSS, CURP or name of the refused complaints in Redis's files or any log" bash -c \
  "! grep -r -a -q -e 98765432109 -e ROSA750505MJCDNN02 -e 'Rosa Nápoles' '$RUN/redis' '$RUN/log'"

echo "$E2E_CHECKS passed, 0 failed"
