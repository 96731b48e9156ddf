"""notices.py — what the e2e tests need to talk to the notifier directly.

  notices.py push ENDPOINT MESSAGE...   PUSHes each MESSAGE to the notifier's
      collect socket: a notice id (an overdue notice of that id), "garbage",
      "twoframes", or "@N:PREFIX" (N notices PREFIX1..PREFIXN); prints
      "queued" once everything is queued, then waits until it is sent.
  notices.py stall ENDPOINT             a subscriber that connects, subscribes
      to everything and reads nothing until it gets SIGUSR1; then it counts
      what reached it (stopping after 2 s of silence) and prints the count.

Needs mot_pb2 (protoc --python_out) on PYTHONPATH.
"""
import signal
import sys
import time

import zmq
import mot_pb2


def notice(notice_id):
    return mot_pb2.Notice(notice_id=notice_id, kind=mot_pb2.OVERDUE, unit=mot_pb2.UEOD,
                          report="accion-correctiva", report_name="Acción correctiva",
                          period=notice_id, deadline="2026-11-02", business_days_late=1,
                          fired_at=1793685600, text="stale").SerializeToString()


def messages(arguments):
    for message in arguments:
        if message == "garbage":
            yield [b"\x0a\xff\xff\xff\xff\x0f garbage"]
        elif message == "twoframes":
            yield [notice("NB-1"), b"two"]
        elif message.startswith("@"):
            count, prefix = message[1:].split(":", 1)
            for i in range(1, int(count) + 1):
                yield [notice(f"{prefix}{i}")]
        else:
            yield [notice(message)]


def push(endpoint, arguments):
    context = zmq.Context.instance()
    socket = context.socket(zmq.PUSH)
    socket.setsockopt(zmq.LINGER, 60000)
    socket.setsockopt(zmq.SNDHWM, 0)
    socket.connect(endpoint)
    for frames in messages(arguments):
        socket.send_multipart(frames)
    print("queued", flush=True)
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
    if sys.argv[1] == "push":
        push(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "stall":
        stall(sys.argv[2])
    else:
        sys.exit("usage: notices.py push|stall ENDPOINT ...")
