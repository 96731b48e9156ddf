"""notices.py — what the e2e tests need to talk to the notifier directly.

  notices.py log FIRST_SEQ ENTRY...   prints, as Redis protocol for
      `redis-cli --pipe`, what a watcher's script does to log notices: each
      ENTRY gets the next seq from FIRST_SEQ on, mot:seq:notice is set to the
      last, and the entries are LPUSHed onto mot:notices (newest first).
      ENTRY is a notice id (an overdue notice of that id, with seq and the
      text "texto <id>"), "@N:PREFIX" (N notices PREFIX1..PREFIXN),
      "garbage" (not a Notice), "wrongseq" (a notice whose seq is not its
      place), or "notext" (a notice without text).
  notices.py wake ENDPOINT [twoframes]   sends the notifier one wake-up (an
      empty frame), or a malformed one (two frames).
  notices.py stall ENDPOINT             a subscriber that connects, subscribes
      to everything and reads nothing until it gets SIGUSR1; then it counts
      what reached it (stopping after 2 s of silence) and prints the count.

Needs mot_pb2 (protoc --python_out) on PYTHONPATH.
"""
import signal
import sys

import zmq
import mot_pb2


def notice(notice_id, seq, text=True):
    message = mot_pb2.Notice(notice_id=notice_id, kind=mot_pb2.OVERDUE, unit=mot_pb2.UEOD,
                             report="accion-correctiva", report_name="Acción correctiva",
                             period=notice_id, deadline="2026-11-02", business_days_late=1,
                             fired_at=1793685600, seq=seq)
    if text:
        message.text = f"texto {notice_id}"
    return message.SerializeToString()


def entries(arguments, first_seq):
    seq = first_seq
    for entry in arguments:
        if entry.startswith("@"):
            count, prefix = entry[1:].split(":", 1)
            for i in range(1, int(count) + 1):
                yield notice(f"{prefix}{i}", seq)
                seq += 1
            continue
        if entry == "garbage":
            yield b"\x0a\xff\xff\xff\xff\x0f garbage"
        elif entry == "wrongseq":
            yield notice(f"NB-seq{seq}", seq + 50)
        elif entry == "notext":
            yield notice(f"NB-notext{seq}", seq, text=False)
        else:
            yield notice(entry, seq)
        seq += 1


def command(*words):
    parts = [b"*%d\r\n" % len(words)]
    for word in words:
        word = word if isinstance(word, bytes) else str(word).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(word), word))
    return b"".join(parts)


def log(first_seq, arguments):
    logged = list(entries(arguments, first_seq))
    out = sys.stdout.buffer
    out.write(command("MULTI"))          # atomic, as a watcher's script is
    for start in range(0, len(logged), 1000):
        out.write(command("LPUSH", "mot:notices", *logged[start:start + 1000]))
    out.write(command("SET", "mot:seq:notice", first_seq + len(logged) - 1))
    out.write(command("EXEC"))
    out.flush()


def wake(endpoint, arguments):
    context = zmq.Context.instance()
    socket = context.socket(zmq.PUSH)
    socket.setsockopt(zmq.LINGER, 10000)
    socket.connect(endpoint)
    socket.send_multipart([b"", b"two"] if arguments == ["twoframes"] else [b""])
    socket.close()
    context.term()


def stall(endpoint):
    context = zmq.Context.instance()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 10)
    socket.setsockopt(zmq.RCVBUF, 4096)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(endpoint)
    print("connected", flush=True)
    signal.sigwait([signal.SIGUSR1])
    received = 0
    while socket.poll(2000):
        socket.recv_multipart()
        received += 1
    print(received, flush=True)
    socket.close(linger=0)
    context.term()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    if sys.argv[1] == "log":
        log(int(sys.argv[2]), sys.argv[3:])
    elif sys.argv[1] == "wake":
        wake(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "stall":
        stall(sys.argv[2])
    else:
        sys.exit("usage: notices.py log|wake|stall ...")
