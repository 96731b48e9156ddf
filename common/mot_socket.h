/*  mot_socket — ZeroMQ sockets from configuration.
 *
 *  Owns: turning an endpoint option into a socket. Endpoints use CZMQ's
 *  syntax: a comma-separated list, "@" binds, ">" connects, no prefix means
 *  the socket's usual role (bind for the stable side, connect otherwise).
 *  So the same service binds in a single-instance deployment and connects to
 *  a device (tools/proxy) when several instances share one address.
 *  And making it CURVE when security is on (mot_curve).
 */
#ifndef MOT_SOCKET_H_INCLUDED
#define MOT_SOCKET_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

/* Every TCP connection has the kernel's keepalive: after this long idle
 * it probes the peer, and drops the connection when the peer's host answers
 * with a reset (it restarted) or does not answer at all; the connecting
 * side then connects again. On one machine a dead process's connections
 * are reset at once, but a host that loses power or its network sends no
 * FIN and no RST: without this, a classifier or a watcher would wait for
 * ever on its connection to an intake whose host came back (test_hosts.sh).
 * TCP keepalive rather than ZMTP heartbeats: the kernel answers probes even
 * while a busy or stopped process reads nothing, and libzmq 4.3.4's
 * heartbeats abort on a reader whose queue is full (zeromq/libzmq#3937). */
#define MOT_SOCKET_KEEPALIVE_IDLE_S 10
#define MOT_SOCKET_KEEPALIVE_INTERVAL_S 5
#define MOT_SOCKET_KEEPALIVE_PROBES 3

/* Sets that keepalive on a socket made elsewhere (before it connects). */
void mot_socket_keep_alive (zsock_t *socket);

/* Options set before attaching (libzmq applies them to the connections
 * made afterwards, so they must come first); 0 leaves libzmq's default,
 * except linger, which is always set. */
typedef struct {
    long max_size;              /* ZMQ_MAXMSGSIZE: larger incoming messages drop the peer */
    long sndhwm;
    long rcvhwm;
    long linger;                /* ZMQ_LINGER, ms a close waits to send what is queued; 0 (also
                                   with options NULL): drop it at once, whatever ZSYS_LINGER says */
    bool xpub_manual;           /* ZMQ_XPUB_MANUAL: the owner applies each subscription itself */
    enum {
        MOT_CURVE_ROLE_STABLE_SIDE, /* CURVE server when `serverish` (the default) */
        MOT_CURVE_ROLE_SERVER,
        MOT_CURVE_ROLE_CLIENT
    } curve_role;
    const char *curve_as;       /* the service whose keypair the socket presents; NULL: the process's */
} mot_socket_options_t;

/* A socket of `type` attached to `endpoints`; `serverish` is the role of
 * endpoints without a prefix; options may be NULL. With CURVE on
 * (mot_curve), the stable side of a link (`serverish`) is the CURVE server,
 * with this process's keypair, whether it binds or connects here; the other
 * side is a client expecting the key of the service `peer`
 * (CERTS/servers/PEER.cert). So keys do not depend on which side binds.
 * Logs and returns NULL on failure. */
zsock_t *mot_socket_new (int type, const char *endpoints, bool serverish, const char *peer,
                         const mot_socket_options_t *options, const char *what);

#endif
