"""curve.py — ZeroMQ CURVE for the tests' Python clients, as mot_curve does
it for the C ones: the run's keypair (MOT_CERT, from `motctl cert create
--out`) and the service's public certificate (MOT_CERTS/servers/NAME.cert).
MOT_CURVE=off leaves the socket plain."""
import os

import zmq.auth


def secure(socket, server):
    """Makes `socket` (before it connects) a CURVE client of the service `server`."""
    if os.environ.get("MOT_CURVE", "on").lower() in ("off", "0", "false", "no"):
        return socket
    public, secret = zmq.auth.load_certificate(os.environ["MOT_CERT"] + "_secret")
    certs = os.environ.get("MOT_CERTS", "/etc/mot/certs")
    server_public, _ = zmq.auth.load_certificate(f"{certs}/servers/{server}.cert")
    socket.curve_publickey, socket.curve_secretkey, socket.curve_serverkey = public, secret, server_public
    return socket
