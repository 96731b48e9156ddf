"""notices.py — what the e2e tests need to talk to the notifier directly.

  notices.py log FIRST_SEQ ENTRY...   prints, as Redis protocol for
      `redis-cli --pipe`, what a watcher's script does to log notices: each
      ENTRY becomes one entry of the stream mot:notices (see NoticeBatch in
      proto/mot.proto), its notices numbered on from FIRST_SEQ, and
      mot:seq:notice is set to the last seq, all in one MULTI. ENTRY is a
      notice id (one overdue notice of that id, with the text "texto <id>"),
      "@N:PREFIX" (N notices PREFIX1..PREFIXN), "@N:PREFIX:I,J" (the same N
      in the entry, but only those at 0-based indexes I, J held),
      "garbage" (one notice whose bytes are not a Notice), "notext" (one
      notice without text) or "badbatch" (an entry whose notices are not a
      NoticeBatch).
  notices.py wake ENDPOINT [twoframes]   sends the notifier one wake-up (an
      empty frame), or a malformed one (two frames).
  notices.py stall ENDPOINT             a subscriber that connects, subscribes
      to everything and reads nothing until it gets SIGUSR1; then it counts
      the notices that reached it (stopping after 2 s without one; the
      notifier's heartbeats do not count) and prints the count.

  notices.py ask ENDPOINT AFTER [TOPIC...]   asks the notifier's catch-up
      socket for the notices after AFTER on these topics; prints the answer
      as JSON: {"seqs": [...], "scanned_to", "last_seq", "first_kept",
      "more"} or {"error": CODE, "field": …}.
  notices.py askraw ENDPOINT garbage|bigmax|manytopics|longtopic   a bad
      request; prints the answer the same way.

With NOTICE_TEXT_BYTES=N in the environment each text is padded to at
least N bytes (a long notice, as an escalation with its recipients is);
with NOTICE_KIND=reminder the notices are reminders (topic reminder/…)
instead of overdue notices.

Needs mot_pb2 (protoc --python_out) on PYTHONPATH.
"""
import json
import os
import signal
import sys
import time

import zmq
import mot_pb2
from curve import secure


def notice(notice_id, text=True):
    kind = mot_pb2.REMINDER if os.environ.get("NOTICE_KIND") == "reminder" else mot_pb2.OVERDUE
    message = mot_pb2.Notice(notice_id=notice_id, kind=kind, unit=mot_pb2.UEOD,
                             report="accion-correctiva", report_name="Acción correctiva",
                             period=notice_id, deadline="2026-11-02", business_days_late=1,
                             fired_at=1793685600)
    if text:
        message.text = f"texto {notice_id}"
        padding = int(os.environ.get("NOTICE_TEXT_BYTES", "0")) - len(message.text)
        if padding > 0:
            message.text += " " + "Destinatarios: TDOE; " * (padding // 21 + 1)
    return message.SerializeToString()


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def batch(packed_notices):
    """A packed NoticeBatch: field 1, length-delimited, once per notice."""
    return b"".join(b"\x0a" + varint(len(p)) + p for p in packed_notices)


def entry(spec):
    """(blob, held count, which) of one log entry."""
    if spec.startswith("@"):
        parts = spec[1:].split(":")
        count, prefix = int(parts[0]), parts[1]
        blob = batch([notice(f"{prefix}{i}") for i in range(1, count + 1)])
        if len(parts) > 2:
            return blob, len(parts[2].split(",")), parts[2]
        return blob, count, "all"
    if spec == "garbage":
        return batch([b"\x0a\xff\xff\xff\xff\x0f garbage"]), 1, "all"
    if spec == "notext":
        return batch([notice("NB-notext", text=False)]), 1, "all"
    if spec == "badbatch":
        return b"\xff not a batch", 1, "all"
    return batch([notice(spec)]), 1, "all"


def command(*words):
    parts = [b"*%d\r\n" % len(words)]
    for word in words:
        word = word if isinstance(word, bytes) else str(word).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(word), word))
    return b"".join(parts)


def log(first_seq, specs):
    out = sys.stdout.buffer
    out.write(command("MULTI"))          # atomic, as a watcher's script is
    seq = first_seq
    for spec in specs:
        blob, held, which = entry(spec)
        out.write(command("XADD", "mot:notices", f"{seq}-0", "n", held, "which", which, "notices", blob))
        seq += held
    out.write(command("SET", "mot:seq:notice", seq - 1))
    out.write(command("EXEC"))
    out.flush()


def wake(endpoint, arguments):
    context = zmq.Context.instance()
    socket = secure(context.socket(zmq.PUSH), "notifier")
    socket.setsockopt(zmq.LINGER, 10000)
    socket.connect(endpoint)
    socket.send_multipart([b"", b"two"] if arguments == ["twoframes"] else [b""])
    socket.close()
    context.term()


def stall(endpoint):
    context = zmq.Context.instance()
    socket = secure(context.socket(zmq.SUB), "notifier")
    socket.setsockopt(zmq.RCVHWM, 10)
    socket.setsockopt(zmq.RCVBUF, 4096)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(endpoint)
    print("connected", flush=True)
    signal.sigwait([signal.SIGUSR1])
    received, quiet_since = 0, time.monotonic()
    while time.monotonic() - quiet_since < 2:
        if not socket.poll(200):
            continue
        topic = socket.recv_multipart()[0]
        if topic != b"hugz":        # heartbeats come every second: not notices
            received += 1
            quiet_since = time.monotonic()
    print(received, flush=True)
    socket.close(linger=0)
    context.term()


def ask(endpoint, arguments):
    """One NoticesRequest on the catch-up socket; prints its answer as JSON."""
    request = mot_pb2.NoticesRequest(after=int(arguments[0]), topics=arguments[1:])
    print(json.dumps(answer_of(endpoint, request.SerializeToString())))


def ask_raw(endpoint, what):
    """A bad request: "garbage" bytes, "bigmax" (max 5000), "manytopics"
    (40 topics), "longtopic" (300 bytes); prints the answer as JSON."""
    bad = {"garbage": b"\xff\xff not a request",
           "bigmax": mot_pb2.NoticesRequest(after=0, max=5000).SerializeToString(),
           "manytopics": mot_pb2.NoticesRequest(after=0, topics=["overdue/"] * 40).SerializeToString(),
           "longtopic": mot_pb2.NoticesRequest(after=0, topics=["o" * 300]).SerializeToString()}[what]
    print(json.dumps(answer_of(endpoint, bad)))


def answer_of(endpoint, payload):
    context = zmq.Context.instance()
    socket = secure(context.socket(zmq.REQ), "notifier")
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    socket.send(payload)
    if not socket.poll(10000):
        return {"timeout": True}
    reply = mot_pb2.NoticesReply.FromString(socket.recv())
    socket.close()
    if reply.HasField("error"):
        return {"error": mot_pb2.ErrorCode.Name(reply.error.code), "field": reply.error.field}
    return {"seqs": [mot_pb2.Notice.FromString(n).seq for n in reply.notices], "scanned_to": reply.scanned_to,
            "last_seq": reply.last_seq, "first_kept": reply.first_kept, "more": reply.more}


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    if sys.argv[1] == "log":
        log(int(sys.argv[2]), sys.argv[3:])
    elif sys.argv[1] == "wake":
        wake(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "stall":
        stall(sys.argv[2])
    elif sys.argv[1] == "ask":
        ask(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "askraw":
        ask_raw(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: notices.py log|wake|stall|ask|askraw ...")
