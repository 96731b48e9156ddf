/*  mot_socket — ZeroMQ sockets from configuration.
 *
 *  Owns: turning an endpoint option into a socket. Endpoints use CZMQ's
 *  syntax: a comma-separated list, "@" binds, ">" connects, no prefix means
 *  the socket's usual role (bind for the stable side, connect otherwise).
 *  So the same service binds in a single-instance deployment and connects to
 *  a device (tools/proxy) when several instances share one address.
 */
#ifndef MOT_SOCKET_H_INCLUDED
#define MOT_SOCKET_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

/* Options set before attaching (libzmq applies them to the connections
 * made afterwards, so they must come first); 0 leaves libzmq's default,
 * except linger, which is always set. */
typedef struct {
    long max_size;              /* ZMQ_MAXMSGSIZE: larger incoming messages drop the peer */
    long sndhwm;
    long rcvhwm;
    long linger;                /* ZMQ_LINGER, ms a close waits to send what is queued; 0 (also
                                   with options NULL): drop it at once, whatever ZSYS_LINGER says */
} mot_socket_options_t;

/* A socket of `type` attached to `endpoints`; `serverish` is the role of
 * endpoints without a prefix; options may be NULL. Logs and returns NULL on
 * failure. */
zsock_t *mot_socket_new (int type, const char *endpoints, bool serverish, const mot_socket_options_t *options,
                         const char *what);

#endif
