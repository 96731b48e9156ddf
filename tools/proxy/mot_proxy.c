/*  mot-proxy — the stable meeting point when several intakes run at once.
 *
 *  Owns nothing but three ZeroMQ devices (libzmq's zmq_proxy_steerable, one
 *  thread each; no broker logic, no state): upstreams keep one ingress
 *  address while any number of intakes connect behind it, and the intakes'
 *  dispatches reach any number of classifiers and deadline-watchers.
 *
 *    ingress   ROUTER (upstreams connect)  →  DEALER (intakes connect: --ingress '>…')
 *    classify  PULL (intakes connect)      →  PUSH (classifiers connect, as usual)
 *    watch     PULL (intakes connect)      →  PUSH (deadline-watchers connect)
 *
 *  Its sockets are made by mot_socket like every service's, so each option
 *  takes the same endpoint syntax (bound by default) and a failed bind is
 *  reported, not fatal. Nothing is lost if the proxy dies: intake
 *  acknowledges only what Redis holds (a client retries what got no
 *  answer), and hand-offs are re-driven from Redis.
 *
 *  With CURVE on (mot_curve), every key is the same whether a proxy is
 *  there or not: each device's front is the CURVE server as the service it
 *  stands for, its back the client of the services behind it.
 *    ingress   front as intake (CERTS/servers/intake.cert, or --cert), back
 *              intake's client (intake's ingress is a server wherever it
 *              connects)
 *    classify  front as the classifier (intake's dispatch is the classifier's
 *              client), back the classifiers' client
 *    watch     the same for the deadline-watchers
 *  So the proxy holds the three keypairs; its own identity is intake's. The upstream's
 *  certificate is checked here, at the front, and the ingress device (its
 *  own loop, not libzmq's proxy) appends its metadata to each request, so
 *  that the intake behind it authorises the upstream, not the proxy
 *  (mot_peer_forwarded believes it because the proxy's role is service).
 */
#include "mot_config.h"
#include "mot_curve.h"
#include "mot_endpoints.h"
#include "mot_health.h"
#include "mot_log.h"
#include "mot_peer.h"
#include "mot_socket.h"

#include <czmq.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whose keypair the proxy presents, and expects when it connects. */
#define PROXY_IDENTITY "intake"

static const mot_option_t options[] = {
    {"ingress", "MOT_PROXY_INGRESS", MOT_DEFAULT_INGRESS, "where upstreams send Envelopes (ROUTER; bind, '>' to connect)"},
    {"ingress-workers", "MOT_PROXY_INGRESS_WORKERS", MOT_DEFAULT_INGRESS_WORKERS, "where intakes connect (DEALER; bind, '>' to connect)"},
    {"classify-in", "MOT_PROXY_CLASSIFY_IN", MOT_DEFAULT_CLASSIFY_IN, "where intakes push to classifiers (PULL; bind, '>' to connect)"},
    {"classify-out", "MOT_PROXY_CLASSIFY_OUT", MOT_DEFAULT_CLASSIFY, "where classifiers pull (PUSH; bind, '>' to connect)"},
    {"watch-in", "MOT_PROXY_WATCH_IN", MOT_DEFAULT_WATCH_IN, "where intakes push to watchers (PULL; bind, '>' to connect)"},
    {"watch-out", "MOT_PROXY_WATCH_OUT", MOT_DEFAULT_WATCH, "where deadline-watchers pull (PUSH; bind, '>' to connect)"},
    {NULL, NULL, NULL, NULL}};

/* One device: a front and a back socket, and the thread that joins them. */
typedef struct {
    const char *name;
    int front_type;
    const char *front_option;
    int back_type;
    const char *back_option;
    zsock_t *front;
    zsock_t *back;
    zactor_t *actor;
    bool forwards_credentials;  /* the ingress: its own loop, see run_ingress */
    const char *stands_for;     /* with CURVE, whose keypair the front presents (NULL: the process's) */
} device_t;

/* Reads the actor pipe until zactor_destroy's $TERM; a signal may
 * interrupt a read. */
static void
wait_for_term (zsock_t *pipe)
{
    while (true) {
        char *command = zstr_recv (pipe);
        if (!command && zmq_errno () == EINTR)
            continue;
        bool term = !command || strcmp (command, "$TERM") == 0;
        zstr_free (&command);
        if (term)
            return;
    }
}

/* The device's thread: libzmq's proxy between the two sockets, steered by
 * the actor pipe (device_stop sends TERMINATE). A proxy that ends on its
 * own says FAILED on the pipe, which wakes main. */
static void
run_device (zsock_t *pipe, void *args)
{
    device_t *self = (device_t *) args;
    zsock_signal (pipe, 0);
    int rc;
    do
        rc = zmq_proxy_steerable (zsock_resolve (self->front), zsock_resolve (self->back), NULL, zsock_resolve (pipe));
    while (rc < 0 && zmq_errno () == EINTR && !zsys_interrupted);
    if (rc < 0 && !zsys_interrupted) {
        mot_log_error ("device_failed", "device=%s reason=\"%s\"", self->name, zmq_strerror (zmq_errno ()));
        if (zstr_send (pipe, "FAILED") != 0)
            mot_log_error ("device_failed", "device=%s reason=\"cannot tell main\"", self->name);
    }
    wait_for_term (pipe);
}

/* Appends, to a request from the front, the credentials of the client
 * that sent it (its certificate's metadata, which the intakes behind the
 * device cannot see); a service's request that carries some already (a
 * device in front of this one) keeps them. */
static void
forward_credentials (zmsg_t *request)
{
    zframe_t *last = zmsg_last (request);
    mot_peer_t peer = mot_peer_of (last);
    if (!peer.certified || (mot_peer_is_service (&peer) && mot_peer_frame_is (last)))
        return;
    zframe_t *credentials = mot_peer_frame_new (&peer);
    if (!credentials || zmsg_append (request, &credentials) != 0) {
        zframe_destroy (&credentials);
        mot_log_error ("credentials_lost", "reason=\"out of memory\"");
    }
}

/* The ingress device's thread: requests go front to back with their
 * client's credentials (forward_credentials), answers back to front as
 * they are. Ends on $TERM. */
static void
run_ingress (zsock_t *pipe, void *args)
{
    device_t *self = (device_t *) args;
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, self->front, self->back, NULL);
    while (poller) {
        void *which = zpoller_wait (poller, -1);
        if (!which && !zpoller_terminated (poller))
            continue;
        zmsg_t *message = which ? zmsg_recv (which) : NULL;
        if (which == self->front && message)
            forward_credentials (message);
        if (which == pipe || !message) {
            zmsg_destroy (&message);
            break;
        }
        if (zmsg_send (&message, which == self->front ? self->back : self->front) != 0) {
            mot_log_warn ("request_dropped", "device=%s reason=\"%s\"", self->name, zmq_strerror (zmq_errno ()));
            zmsg_destroy (&message);
        }
    }
    zpoller_destroy (&poller);
    if (!zsys_interrupted)
        wait_for_term (pipe);
}

/* Opens the device's sockets and starts its thread; false when a socket
 * could not be made (logged by mot_socket) or the thread not started. */
static bool
device_start (device_t *self, mot_config_t *config)
{
    const char *front = mot_config_get (config, self->front_option);
    const char *back = mot_config_get (config, self->back_option);
    mot_socket_options_t front_options = {.curve_role = MOT_CURVE_ROLE_SERVER, .curve_as = self->stands_for};
    mot_socket_options_t back_options = {.curve_role = MOT_CURVE_ROLE_CLIENT};
    const char *peer = self->stands_for ? self->stands_for : PROXY_IDENTITY;
    self->front = mot_socket_new (self->front_type, front, true, peer, &front_options, self->front_option);
    self->back = mot_socket_new (self->back_type, back, true, peer, &back_options, self->back_option);
    if (self->front && self->back)
        self->actor = zactor_new (self->forwards_credentials ? run_ingress : run_device, self);
    if (self->actor)
        mot_log_info ("device_started", "device=%s front=%s back=%s", self->name, front, back);
    return self->actor != NULL;
}

static void
device_stop (device_t *self)
{
    if (self->actor) {
        zsock_set_sndtimeo (self->actor, 0);
        if (zstr_send (self->actor, "TERMINATE") != 0)
            mot_log_warn ("device_not_told", "device=%s", self->name);
        zactor_destroy (&self->actor);
    }
    zsock_destroy (&self->front);
    zsock_destroy (&self->back);
}

int
main (int argc, char **argv)
{
    int rc = 1;
    /* --metrics: /healthz and /readyz answer while this thread waits
     * (it beats every 500 ms), /metrics only mot_ready (no Redis here). */
    mot_health_options_t *all = mot_health_options_new ("proxy", options);
    mot_config_t *config = all ? mot_config_new ("mot-proxy", "ZeroMQ devices in front of several intakes.",
                                                 all->options, argc, argv, &rc)
                               : NULL;
    if (!config) {
        free (all);
        return rc;
    }
    mot_log_init ("proxy", mot_config_get (config, "log-level"));
    zsys_init ();
    if (!mot_curve_start (config, PROXY_IDENTITY)) {
        mot_config_destroy (&config);
        free (all);
        return 1;
    }
    device_t devices[] = {
        {"ingress", ZMQ_ROUTER, "ingress", ZMQ_DEALER, "ingress-workers", NULL, NULL, NULL, true, NULL},
        {"classify", ZMQ_PULL, "classify-in", ZMQ_PUSH, "classify-out", NULL, NULL, NULL, false, "classifier"},
        {"watch", ZMQ_PULL, "watch-in", ZMQ_PUSH, "watch-out", NULL, NULL, NULL, false, "deadline-watcher"},
    };
    bool started = device_start (&devices[0], config) && device_start (&devices[1], config)
                   && device_start (&devices[2], config);
    bool metrics_failed = false;
    mot_health_t *health = started ? mot_health_new (mot_config_get (config, "metrics"), &metrics_failed) : NULL;
    started = started && !metrics_failed;
    rc = started ? 0 : 1;
    zpoller_t *poller = started ? zpoller_new (devices[0].actor, devices[1].actor, devices[2].actor, NULL) : NULL;
    if (poller) {
        /* The devices run in their own threads; this waits for a signal
         * (or a device that fails), beating for /healthz. */
        mot_health_set_ready (health, true);
        do
            mot_health_beat (health, true);
        while (!zsys_interrupted && !zpoller_wait (poller, 500) && !zpoller_terminated (poller));
        mot_health_set_ready (health, false);
        zpoller_destroy (&poller);
    }
    else if (started)
        rc = 1;
    for (int i = 2; i >= 0; i--)
        device_stop (&devices[i]);
    mot_health_destroy (&health);
    mot_log_info ("stopped", "rc=%d", rc);
    mot_curve_stop ();
    mot_config_destroy (&config);
    free (all);
    return rc;
}
