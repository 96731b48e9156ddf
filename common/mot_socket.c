/*  mot_socket — ZeroMQ sockets from configuration.
 */
#include "mot_socket.h"
#include "mot_log.h"

static void
set_options (zsock_t *socket, const mot_socket_options_t *options)
{
    zsock_set_linger (socket, options ? (int) options->linger : 0);
    if (!options)
        return;
    if (options->max_size > 0)
        zsock_set_maxmsgsize (socket, (int) options->max_size);
    if (options->sndhwm > 0)
        zsock_set_sndhwm (socket, (int) options->sndhwm);
    if (options->rcvhwm > 0)
        zsock_set_rcvhwm (socket, (int) options->rcvhwm);
}

zsock_t *
mot_socket_new (int type, const char *endpoints, bool serverish, const mot_socket_options_t *options,
                const char *what)
{
    zsock_t *socket = zsock_new (type);
    if (!socket) {
        mot_log_error ("socket_failed", "socket=%s reason=\"%s\"", what, zmq_strerror (zmq_errno ()));
        return NULL;
    }
    set_options (socket, options);
    if (zsock_attach (socket, endpoints, serverish) < 0) {
        mot_log_error ("attach_failed", "socket=%s endpoints=%s reason=\"%s\"", what, endpoints,
                       zmq_strerror (zmq_errno ()));
        zsock_destroy (&socket);
    }
    return socket;
}
