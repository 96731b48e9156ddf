/*  mot_socket — ZeroMQ sockets from configuration.
 */
#include "mot_socket.h"
#include "mot_curve.h"
#include "mot_log.h"

void
mot_socket_keep_alive (zsock_t *socket)
{
    zsock_set_tcp_keepalive (socket, 1);
    zsock_set_tcp_keepalive_idle (socket, MOT_SOCKET_KEEPALIVE_IDLE_S);
    zsock_set_tcp_keepalive_intvl (socket, MOT_SOCKET_KEEPALIVE_INTERVAL_S);
    zsock_set_tcp_keepalive_cnt (socket, MOT_SOCKET_KEEPALIVE_PROBES);
}

static void
set_options (zsock_t *socket, const mot_socket_options_t *options)
{
    zsock_set_linger (socket, options ? (int) options->linger : 0);
    mot_socket_keep_alive (socket);
    if (!options)
        return;
    if (options->max_size > 0)
        zsock_set_maxmsgsize (socket, (int) options->max_size);
    if (options->sndhwm > 0)
        zsock_set_sndhwm (socket, (int) options->sndhwm);
    if (options->rcvhwm > 0)
        zsock_set_rcvhwm (socket, (int) options->rcvhwm);
    if (options->xpub_manual)
        zsock_set_xpub_manual (socket, 1);
}

/* Whether the socket is a CURVE server: the stable side of its link (what
 * `serverish` says), whichever side binds in this deployment, unless the
 * options say otherwise (a device stands for a service on one side). */
static bool
is_curve_server (bool serverish, const mot_socket_options_t *options)
{
    if (options && options->curve_role != MOT_CURVE_ROLE_STABLE_SIDE)
        return options->curve_role == MOT_CURVE_ROLE_SERVER;
    return serverish;
}

zsock_t *
mot_socket_new (int type, const char *endpoints, bool serverish, const char *peer,
                const mot_socket_options_t *options, const char *what)
{
    zsock_t *socket = zsock_new (type);
    if (!socket) {
        mot_log_error ("socket_failed", "socket=%s reason=\"%s\"", what, zmq_strerror (zmq_errno ()));
        return NULL;
    }
    set_options (socket, options);
    if (!mot_curve_secure_as (socket, is_curve_server (serverish, options), options ? options->curve_as : NULL, peer,
                              what))
        zsock_destroy (&socket);
    else
    if (zsock_attach (socket, endpoints, serverish) < 0) {
        mot_log_error ("attach_failed", "socket=%s endpoints=%s reason=\"%s\"", what, endpoints,
                       zmq_strerror (zmq_errno ()));
        zsock_destroy (&socket);
    }
    return socket;
}
