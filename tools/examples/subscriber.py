#!/usr/bin/env python3
"""subscriber.py — a minimal alert subscriber in Python that never misses a
notice, and needs no Redis: the notifier's Clone pattern.

It subscribes on the notifier's PUB to its topic prefixes and to "hugz" (the
heartbeat: the last seq published, every second), keeps a cursor (the last
seq it handled), and whenever a notice or a heartbeat shows something past
the cursor that it did not get live, asks the notifier's catch-up socket
(REQ, NoticesRequest) for the notices after the cursor on its topics. It
prints "<seq> <text>" per notice, in seq order, each once, and stops
after COUNT. A real subscriber keeps its cursor on disk and passes it as
SINCE when it comes back.

    protoc --python_out=. -I proto proto/mot.proto      # makes mot_pb2.py
    python3 subscriber.py tcp://127.0.0.1:5554 tcp://127.0.0.1:5557 0 10 overdue/UAD

Debian packages: python3-zmq python3-protobuf protobuf-compiler.
"""
import os
import sys

import zmq
import zmq.auth

import mot_pb2


def use_curve(socket, server):
    """CURVE, as the MOT services require: our keypair (MOT_CERT, made by the
    ops team with `motctl cert create NAME ... --out FILE`) and the service's
    public certificate (MOT_CERTS/servers/SERVER.cert). MOT_CURVE=off talks
    plain, to a system started with --curve off."""
    if os.environ.get("MOT_CURVE", "on").lower() in ("off", "0"):
        return socket
    public, secret = zmq.auth.load_certificate(os.environ["MOT_CERT"] + "_secret")
    certs = os.environ.get("MOT_CERTS", "/etc/mot/certs")
    server_public, _ = zmq.auth.load_certificate(f"{certs}/servers/{server}.cert")
    socket.curve_publickey, socket.curve_secretkey, socket.curve_serverkey = public, secret, server_public
    return socket


HEARTBEAT = b"hugz"
TIMEOUT_MS = 2000
MAX_WAIT_MS = 32000


class Subscriber:
    def __init__(self, pub, catchup, topics, since):
        self.context = zmq.Context.instance()
        self.catchup, self.topics, self.cursor = catchup, topics, since
        self.sub = use_curve(self.context.socket(zmq.SUB), "notifier")
        for topic in topics or [""]:
            self.sub.setsockopt(zmq.SUBSCRIBE, topic.encode())
        if topics:
            self.sub.setsockopt(zmq.SUBSCRIBE, HEARTBEAT)
        # TCP keepalive, as the services set it: if the notifier's host loses power (no FIN,
        # no RST), the connection is dropped within ~25 s and made again.
        for option, value in ((zmq.TCP_KEEPALIVE, 1), (zmq.TCP_KEEPALIVE_IDLE, 10),
                              (zmq.TCP_KEEPALIVE_INTVL, 5), (zmq.TCP_KEEPALIVE_CNT, 3)):
            self.sub.setsockopt(option, value)
        self.sub.connect(pub)
        self.req = None
        self.wait_ms = TIMEOUT_MS

    def fill(self):
        """The notices after the cursor, asked until the notifier has no more."""
        while True:
            if self.req is None:
                self.req = use_curve(self.context.socket(zmq.REQ), "notifier")
                self.req.setsockopt(zmq.LINGER, 0)
                self.req.connect(self.catchup)
            self.req.send(mot_pb2.NoticesRequest(after=self.cursor, topics=self.topics).SerializeToString())
            if not self.req.poll(self.wait_ms):
                self.req.close()        # Lazy Pirate: a REQ without an answer cannot send again
                self.req = None
                self.wait_ms = min(self.wait_ms * 2, MAX_WAIT_MS)   # a slow notifier is not asked to death
                return                  # asked again at the next heartbeat
            self.wait_ms = TIMEOUT_MS
            answer = mot_pb2.NoticesReply.FromString(self.req.recv())
            if answer.HasField("error"):
                print(f"catch-up refused: {mot_pb2.ErrorCode.Name(answer.error.code)}", file=sys.stderr)
                return
            for packed in answer.notices:
                notice = mot_pb2.Notice.FromString(packed)
                if notice.seq > self.cursor:
                    self.cursor = notice.seq
                    yield notice
            self.cursor = max(self.cursor, answer.scanned_to)
            if not answer.more:
                return

    def notices(self):
        """Every notice, in seq order, each once."""
        yield from self.fill()
        while True:
            topic, payload = self.sub.recv_multipart()
            if topic == HEARTBEAT:
                if mot_pb2.Heartbeat.FromString(payload).last_seq > self.cursor:
                    yield from self.fill()          # the end of a burst was lost live
                continue
            notice = mot_pb2.Notice.FromString(payload)
            if notice.seq == self.cursor + 1:
                self.cursor = notice.seq
                yield notice
            elif notice.seq > self.cursor + 1:
                yield from self.fill()              # a gap: it comes in order from the catch-up


def main(pub, catchup, since, count, *topics):
    subscriber = Subscriber(pub, catchup, list(topics), int(since))
    for got, notice in enumerate(subscriber.notices(), start=1):
        print(notice.seq, notice.text, flush=True)
        if got == int(count):
            return


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit("usage: subscriber.py PUB CATCHUP SINCE COUNT [TOPIC...]")
    main(*sys.argv[1:])
