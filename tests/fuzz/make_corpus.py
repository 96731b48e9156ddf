#!/usr/bin/python3
"""make_corpus.py — writes the hand-made seed corpora of tests/fuzz/corpus/.

Run from anywhere with Debian's python3 (python3-protobuf, protobuf-compiler):
    /usr/bin/python3 tests/fuzz/make_corpus.py
It compiles proto/mot.proto with protoc into a temporary folder, then writes
for each harness a few valid inputs and edge cases (file names say what
each is). The seeds are committed; the fuzzers' own finds are not (run.sh
keeps them in build-fuzz/). Crash reproducers (tests/fuzz/crashes/) are kept
by hand, not written here.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(TOP, "tests", "fuzz", "corpus")

work = tempfile.mkdtemp(prefix="mot-corpus.")
try:
    subprocess.run(["protoc", "--proto_path", os.path.join(TOP, "proto"), "--python_out", work,
                    os.path.join(TOP, "proto", "mot.proto")], check=True)
    sys.path.insert(0, work)
    import mot_pb2
    from google.protobuf import json_format
finally:
    pass


def put(harness, name, data):
    folder = os.path.join(OUT, harness)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# ---- the submit format, from the demo files and the end-to-end tests ----

def submit_lines():
    lines = []
    for path in sorted(glob.glob(os.path.join(TOP, "deploy", "demo", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            lines += [l.strip() for l in f if l.strip().startswith("{")]
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "e2e", "*.sh"))):
        with open(path, encoding="utf-8") as f:
            for l in f:
                l = l.strip()
                if l.startswith('{"type"') and l.endswith("}"):
                    lines.append(l)
    seen, picked = {}, []
    for l in lines:
        try:
            obj = json.loads(l)
        except ValueError:
            continue
        key = obj.get("type")
        if seen.get(key, 0) < 3:
            seen[key] = seen.get(key, 0) + 1
            picked.append(obj)
    return picked


def envelope_of(obj):
    env = mot_pb2.Envelope()
    body = {k: v for k, v in obj.items() if k not in ("type", "source", "external_id") and not k.startswith("_")}
    if "external_id" in obj:
        env.external_id = obj["external_id"]
    if "source" in obj:
        env.source = mot_pb2.Source.Value(obj["source"])
    json_format.ParseDict(body, getattr(env, obj["type"]), ignore_unknown_fields=False)
    return env.SerializeToString()


objects = submit_lines()
for i, obj in enumerate(objects):
    put("fuzz_submit_json", f"valid-{i:02d}-{obj['type']}.json", json.dumps(obj, ensure_ascii=False))
    try:
        put("fuzz_envelope", f"valid-{i:02d}-{obj['type']}.pb", envelope_of(obj))
    except Exception as e:  # a line the e2e tests send on purpose wrong
        print("skipped for fuzz_envelope:", obj.get("type"), e, file=sys.stderr)

for name, text in {
    "edge-empty-object.json": "{}",
    "edge-not-object.json": "[1, 2]",
    "edge-unknown-type.json": '{"type": "nope", "source": "UAD", "external_id": "x"}',
    "edge-type-not-string.json": '{"type": 3}',
    "edge-comment-keys.json": '{"_": "c", "type": "media", "source": "UCS", "external_id": "m", "_x": 1,'
                              ' "territory": "OOAD-01", "theme": "t", "published_on": "2026-01-02", "reach": 4294967295}',
    "edge-bad-enum.json": '{"type": "queja", "source": "NOPE", "external_id": "q"}',
    "edge-duplicate-key.json": '{"type": "queja", "type": "media"}',
    "edge-type-is-field.json": '{"type": "external_id", "source": "UAD", "external_id": "q"}',
    "edge-unicode.json": '{"type": "queja", "source": "UAD", "external_id": "q\\u00f1", "reason": "\\ud83d\\ude00"}',
}.items():
    put("fuzz_submit_json", name, text)

put("fuzz_envelope", "edge-empty.pb", b"")
put("fuzz_envelope", "edge-garbage.pb", b"\xff\xff\xff\xff\x0f")
put("fuzz_envelope", "edge-truncated.pb", envelope_of(objects[0])[:-3])
put("fuzz_envelope", "edge-wrong-wire-type.pb", b"\x0d\x00\x00\x00\x00")
put("fuzz_envelope", "edge-huge-length.pb", b"\x0a\xff\xff\xff\xff\x0f")
env = mot_pb2.Envelope(external_id="q-1", source=mot_pb2.UAD)
env.queja.territory = "OOAD-01"
env.queja.reason = "Trato"
env.queja.received_on = "2026-01-05"
env.queja.person_ref = "p-given-by-the-upstream"
put("fuzz_envelope", "edge-queja-person-ref-given.pb", env.SerializeToString())

# ---- notices, the notice log and the catch-up socket ----


def notice(notice_id, kind=mot_pb2.OVERDUE, text=True, **extra):
    n = mot_pb2.Notice(notice_id=notice_id, kind=kind, unit=mot_pb2.UEOD, report="accion-correctiva",
                       report_name="Acción correctiva", period="2026-10", deadline="2026-11-02",
                       business_days_late=1, fired_at=1793685600, **extra)
    if text:
        n.text = f"texto {notice_id}"
    return n.SerializeToString()


def item_notice(notice_id, kind):
    n = mot_pb2.Notice(notice_id=notice_id, kind=kind, unit=mot_pb2.UAD, report="item", report_name="Item",
                       period="it-7", deadline="", item_id="it-7", quadrant=1, previous_quadrant=2, impact=9,
                       vertical=8, territory="OOAD-15", responsible="DPM", text="El item it-7 entró al cuadrante I")
    return n.SerializeToString()


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append(v & 0x7F | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def batch(notices):
    return b"".join(b"\x0a" + varint(len(p)) + p for p in notices)


def bulk(b):
    if isinstance(b, str):
        b = b.encode()
    return b"$" + str(len(b)).encode() + b"\r\n" + b + b"\r\n"


def array(items):
    return b"*" + str(len(items)).encode() + b"\r\n" + b"".join(items)


def log_entry(first, blob, n, which="all", id_suffix="-0"):
    return array([bulk(f"{first}{id_suffix}"),
                  array([bulk("n"), bulk(str(n)), bulk("which"), bulk(which), bulk("notices"), bulk(blob)])])


three = [notice("n1"), notice("n2", kind=mot_pb2.REMINDER), item_notice("n3", mot_pb2.ITEM_QUADRANT_I)]
logs = {
    "valid-one-entry": array([log_entry(1, batch(three), 3)]),
    "valid-which": array([log_entry(10, batch(three), 2, "0,2")]),
    "valid-two-entries": array([log_entry(1, batch(three[:2]), 2), log_entry(3, batch(three[2:]), 1)]),
    "valid-escalation": array([log_entry(7, batch([notice("e1", kind=mot_pb2.ESCALATION, escalation_level=2,
                                                          recipients=["Titular de la unidad", "TDOE"])]), 1)]),
    "edge-garbage-notice": array([log_entry(4, batch([b"\xff\xfe\xfd"]), 1)]),
    "edge-no-text": array([log_entry(4, batch([notice("x", text=False)]), 1)]),
    "edge-not-a-batch": array([log_entry(4, b"\x12\x03abc", 1)]),
    "edge-count-disagrees": array([log_entry(4, batch(three), 5)]),
    "edge-which-out-of-order": array([log_entry(4, batch(three), 2, "2,0")]),
    "edge-which-trailing-comma": array([log_entry(4, batch(three), 1, "0,")]),
    "edge-id-zero": array([log_entry(0, batch(three), 3)]),
    "edge-id-huge": array([log_entry(18446744073709551615, batch(three), 3)]),
    "edge-odd-fields": array([array([bulk("5-0"), array([bulk("n"), bulk("1"), bulk("which")])])]),
    "edge-integer-id": array([array([b":5\r\n", array([bulk("n"), bulk("1")])])]),
    "edge-nil": b"*1\r\n$-1\r\n",
    "edge-empty": b"*0\r\n",
}
for name, data in logs.items():
    put("fuzz_notice_log", name + ".resp", data)


# The lent replies' parser (mot_resp) against hiredis: what Redis answers a
# register's reads, and the edges of the protocol.
for name, data in {
    "valid-hgetall": array([bulk("id"), bulk("it-1"), bulk("topic"), bulk("Baño \"A\", piso 2"),
                            bulk("impact"), bulk("8")]),
    "valid-hgetall-pipeline": array([bulk("id"), bulk("it-1")]) + array([bulk("id"), bulk("it-2")]) + b"*0\r\n",
    "valid-every-kind": array([b":-42\r\n", b"+OK\r\n", b"-ERR wrong\r\n", b"$-1\r\n", b"*-1\r\n",
                               array([bulk("a\r\nb"), bulk("x\0y")])]),
    "valid-nested-7": b"*1\r\n" * 7 + b":5\r\n",
    "edge-nested-8": b"*1\r\n" * 8 + b":5\r\n",
    "edge-cut": array([bulk("id"), bulk("it-1")])[:-3],
    "edge-bulk-not-crlf": b"$3\r\nabcd\r\n",
    "edge-negative-length": b"$-2\r\n",
    "edge-bad-integer": b":12a\r\n",
    "edge-huge-count": b"*2000000000\r\n:1\r\n",
    "edge-lone-cr": b"+a\rb\r\n",
}.items():
    put("fuzz_resp_parse", name + ".resp", data)


def request(after=None, topics=(), max=None):
    r = mot_pb2.NoticesRequest(topics=list(topics))
    if after is not None:
        r.after = after
    if max is not None:
        r.max = max
    return r.SerializeToString()


SEP = b"\n--log--\n"
put("fuzz_catchup", "valid-all.bin", request(0) + SEP + logs["valid-two-entries"])
put("fuzz_catchup", "valid-topic.bin", request(1, ["overdue/"]) + SEP + logs["valid-one-entry"])
put("fuzz_catchup", "valid-item-topic.bin", request(0, ["item/", "reminder/UEOD"], 2) + SEP + logs["valid-which"])
put("fuzz_catchup", "valid-max-1.bin", request(0, [], 1) + SEP + logs["valid-one-entry"])
put("fuzz_catchup", "edge-after-published.bin", request(5000) + SEP + logs["valid-one-entry"])
put("fuzz_catchup", "edge-max-zero.bin", request(0, [], 0))
put("fuzz_catchup", "edge-max-too-big.bin", request(0, [], 1001))
put("fuzz_catchup", "edge-many-topics.bin", request(0, ["t"] * 33))
put("fuzz_catchup", "edge-long-topic.bin", request(0, ["x" * 257]))
put("fuzz_catchup", "edge-garbage.bin", b"\xff\xff")
put("fuzz_catchup", "edge-garbage-log.bin", request(0) + SEP + logs["edge-garbage-notice"])


def record(kind, payload):
    return bytes([kind, len(payload) & 0xFF, len(payload) >> 8]) + payload


def notice_with_seq(notice_id, seq, **kw):
    return notice(notice_id, **kw) + b"\x58" + varint(seq)   # field 11, varint


topic = b"overdue/UEOD/accion-correctiva/-"
hb = lambda seq: mot_pb2.Heartbeat(last_seq=seq, sent_at=1793685600).SerializeToString()
reply = mot_pb2.NoticesReply(notices=[notice_with_seq("a", 2), notice_with_seq("b", 3)], scanned_to=4,
                             last_seq=4, first_kept=1, more=False).SerializeToString()
refused = mot_pb2.NoticesReply(error=mot_pb2.Error(code=mot_pb2.INVALID_VALUE, reason="max",
                                                   field="max")).SerializeToString()
put("fuzz_subscriber", "valid-in-order.bin",
    record(0, topic + b"\0" + notice_with_seq("a", 1)) + record(0, topic + b"\0" + notice_with_seq("b", 2)))
put("fuzz_subscriber", "valid-gap-filled.bin",
    record(0, topic + b"\0" + notice_with_seq("a", 1)) + record(0, topic + b"\0" + notice_with_seq("c", 4))
    + record(2, reply))
put("fuzz_subscriber", "valid-heartbeat-then-fill.bin", record(1, hb(1)) + record(1, hb(3)) + record(2, reply))
put("fuzz_subscriber", "valid-since.bin", record(4, (1).to_bytes(8, "little")) + record(2, reply))
put("fuzz_subscriber", "edge-duplicate.bin",
    record(0, topic + b"\0" + notice_with_seq("a", 1)) + record(0, topic + b"\0" + notice_with_seq("a", 1)))
put("fuzz_subscriber", "edge-refused.bin", record(1, hb(1)) + record(2, refused))
put("fuzz_subscriber", "edge-malformed.bin", record(0, topic) + record(3, topic + b"\0" + notice_with_seq("a", 1))
    + record(1, b"\xff\xff") + record(2, b"\xff"))
put("fuzz_subscriber", "edge-lost.bin", record(4, (1).to_bytes(8, "little"))
    + record(2, mot_pb2.NoticesReply(scanned_to=9, last_seq=9, first_kept=7).SerializeToString()))

# ---- data files: the shipped ones and small edge cases ----

FILES = ["calendar/dias-inhabiles.tsv", "catalog/territories.tsv", "catalog/on.tsv", "obligations.tsv",
         "escalation.tsv", "rules/classification.tsv", "rules/frequency.tsv", "rules/impact.tsv"]
for selector, path in enumerate(FILES):
    with open(os.path.join(TOP, "deploy", path), "rb") as f:
        put("fuzz_datafiles", f"shipped-{selector}-{os.path.basename(path)}", bytes([selector]) + f.read())
edge = {
    0: {"calendar-dup": "2026-04-02\tJueves\n2026-04-02\tJueves otra vez\n",
        "calendar-bad-date": "2026-02-30\tNo\n", "calendar-no-name": "2026-04-02\n"},
    1: {"territories-one": "OOAD-01\tAguascalientes\n", "territories-bad": "XX-01\tNo\n"},
    2: {"on-one": "DPM\tDirección de Prestaciones Médicas\n", "on-empty-name": "DPM\t\n"},
    3: {"obligations-after": "UAD\ta\tidentificacion\tmonth_close\t5\tA\n"
                             "CAPSOI\tb\tidentificacion\tafter:UAD/a\t5\tB\n",
        "obligations-fortnight": "UEOD\tf\tseguimiento\tfortnight:rtm\t3\tF\n",
        "obligations-days-61": "UAD\ta\tidentificacion\tmonth_close\t61\tA\n"},
    4: {"escalation-repeat": "1\tTDOE\n2\ttdoe\n", "escalation-gap": "1\tA\n3\tB\n", "escalation-empty-recipient": "1\tA;;B\n"},
    5: {"classification-one": "trato\tAdministrativo\tDPM\t3\n"},
    6: {"frequency-top": "1\t1\n10000\t10\n", "frequency-over": "10001\t10\n", "frequency-down": "5\t5\n2\t2\n"},
    7: {"impact-rows": "origin\tUAD\t4\nreach\t100\t9\nterritory\tUMAE\t+1\nterritory\tOOAD-01\t-9\n"},
}
for selector, files in edge.items():
    for name, text in files.items():
        put("fuzz_datafiles", f"edge-{selector}-{name}", bytes([selector]) + text.encode())

# ---- the dashboard's requests ----

for name, text in {
    "valid-home": "/",
    "valid-register": "/mupoi?territorio=OOAD-15&cuadrante=I&orden=impacto&dir=desc&pagina=2",
    "valid-map": "/mapa?tipo=muro&periodo=2026-10&compara=2026-09",
    "valid-login-post": "/login\nusuario=ana&contrasena=contrase%C3%B1a+larga\n",
    "valid-item-cookie": "/item?id=it-7\n\n0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "edge-bad-percent": "/mupoi?territorio=%G1",
    "edge-percent-nul": "/mupoi?x=%00",
    "edge-bad-utf8": "/mupoi?x=%C3%28",
    "edge-path-dot": "/../etc/passwd",
    "edge-empty-pairs": "/muro?&&a&=b&",
    "edge-many-params": "/muro?" + "&".join(f"p{i}=v" for i in range(33)),
    "edge-truncated-percent": "/muro?a=%4",
    "edge-long-target": "/" + "a" * 2100,
}.items():
    put("fuzz_http_request", name, text)

shutil.rmtree(work)
print("corpora written under", OUT)
