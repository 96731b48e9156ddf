/*  mot_socket — ZeroMQ sockets from configuration.
 */
#include "mot_socket.h"
#include "mot_log.h"

zsock_t *
mot_socket_new (int type, const char *endpoints, bool serverish, long max_size, const char *what)
{
    zsock_t *socket = zsock_new (type);
    if (!socket) {
        mot_log_error ("socket_failed", "socket=%s reason=\"%s\"", what, zmq_strerror (zmq_errno ()));
        return NULL;
    }
    if (max_size > 0)
        zsock_set_maxmsgsize (socket, (int) max_size);
    if (zsock_attach (socket, endpoints, serverish) < 0) {
        mot_log_error ("attach_failed", "socket=%s endpoints=%s reason=\"%s\"", what, endpoints,
                       zmq_strerror (zmq_errno ()));
        zsock_destroy (&socket);
    }
    return socket;
}
