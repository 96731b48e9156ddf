#!/usr/bin/env python3
"""lazy_pirate.py — a minimal upstream publisher for the MOT ingress, in Python.

The ZeroMQ Guide's Lazy Pirate pattern with pyzmq and protobuf: a REQ socket;
if no Ack arrives within the timeout, close it, open a new one and send the
SAME envelope again (same source and external id: intake answers a retry
with the original event id, flagged duplicate).

    protoc --python_out=. -I proto proto/mot.proto      # makes mot_pb2.py
    python3 lazy_pirate.py tcp://127.0.0.1:5550 CNV-2026-000321

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


TIMEOUT_MS = 2500
TRIES = 3


def envelope(external_id):
    e = mot_pb2.Envelope(external_id=external_id, source=mot_pb2.UCS)
    e.media.territory = "OOAD-21"
    e.media.theme = "Desabasto de medicamentos oncológicos"
    e.media.published_on = "2026-11-20"
    e.media.reach = 250000
    return e.SerializeToString()


def submit(endpoint, request):
    context = zmq.Context.instance()
    for attempt in range(1, TRIES + 1):
        socket = use_curve(context.socket(zmq.REQ), "intake")
        socket.setsockopt(zmq.LINGER, 0)
        socket.connect(endpoint)
        socket.send(request)
        if socket.poll(TIMEOUT_MS, zmq.POLLIN):
            ack = mot_pb2.Ack.FromString(socket.recv())
            socket.close()
            return ack
        print(f"no answer within {TIMEOUT_MS} ms (try {attempt} of {TRIES})", file=sys.stderr)
        socket.close()
    return None


def main():
    if len(sys.argv) != 3:
        print("usage: lazy_pirate.py ENDPOINT EXTERNAL_ID", file=sys.stderr)
        return 2
    ack = submit(sys.argv[1], envelope(sys.argv[2]))
    if ack is None:
        return 1
    if ack.WhichOneof("result") == "accepted":
        print(f"accepted {ack.external_id} event_id={ack.accepted.event_id} duplicate={int(ack.accepted.duplicate)}")
        return 0
    print(f"rejected {ack.external_id} code={mot_pb2.ErrorCode.Name(ack.error.code)} reason={ack.error.reason}")
    return 3


if __name__ == "__main__":
    sys.exit(main())
