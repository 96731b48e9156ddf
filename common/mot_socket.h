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

/* A socket of `type` attached to `endpoints`; `serverish` is the role of
 * endpoints without a prefix. max_size > 0 limits incoming messages
 * (ZMQ_MAXMSGSIZE, set before attaching: libzmq applies it to connections
 * made afterwards). Logs and returns NULL on failure. */
zsock_t *mot_socket_new (int type, const char *endpoints, bool serverish, long max_size, const char *what);

#endif
