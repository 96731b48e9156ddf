/*  mot-proxy — the stable meeting point when several intakes run at once.
 *
 *  Owns nothing but three ZeroMQ devices (CZMQ zproxy; no broker logic, no
 *  state): upstreams keep one ingress address while any number of intakes
 *  connect behind it, and the intakes' dispatches reach any number of
 *  classifiers and deadline-watchers.
 *
 *    ingress   ROUTER (upstreams connect)  →  DEALER (intakes connect: --ingress '>…')
 *    classify  PULL (intakes connect)      →  PUSH (classifiers connect, as usual)
 *    watch     PULL (intakes connect)      →  PUSH (deadline-watchers connect)
 *
 *  Nothing is lost if the proxy dies: intake acknowledges only what Redis
 *  holds (a client retries what got no answer), and hand-offs are re-driven
 *  from Redis.
 */
#include "mot_config.h"
#include "mot_endpoints.h"
#include "mot_log.h"

#include <arpa/inet.h>
#include <czmq.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const mot_option_t options[] = {
    {"ingress", "MOT_PROXY_INGRESS", MOT_DEFAULT_INGRESS, "where upstreams send Envelopes (ROUTER, bind)"},
    {"ingress-workers", "MOT_PROXY_INGRESS_WORKERS", MOT_DEFAULT_INGRESS_WORKERS, "where intakes connect (DEALER, bind)"},
    {"classify-in", "MOT_PROXY_CLASSIFY_IN", MOT_DEFAULT_CLASSIFY_IN, "where intakes push to classifiers (PULL, bind)"},
    {"classify-out", "MOT_PROXY_CLASSIFY_OUT", MOT_DEFAULT_CLASSIFY, "where classifiers pull (PUSH, bind)"},
    {"watch-in", "MOT_PROXY_WATCH_IN", MOT_DEFAULT_WATCH_IN, "where intakes push to watchers (PULL, bind)"},
    {"watch-out", "MOT_PROXY_WATCH_OUT", MOT_DEFAULT_WATCH, "where deadline-watchers pull (PUSH, bind)"},
    {NULL, NULL, NULL, NULL}};

/* Endpoints are bound: check that a TCP one can be before handing it to
 * zproxy, which cannot report a failed bind (it asserts). The probe is a
 * plain socket, closed at once (a ZeroMQ socket would close asynchronously
 * and could still hold the port when zproxy binds). */
static bool
endpoint_is_free (const char *endpoint)
{
    unsigned a, b, c, d, port;
    char end;
    if (sscanf (endpoint, "tcp://%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &end) != 5 || a > 255 || b > 255
        || c > 255 || d > 255 || port > 65535)
        return true;            /* not an IPv4 TCP endpoint: let zproxy try */
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons ((uint16_t) port),
                                  .sin_addr.s_addr = htonl ((a << 24) | (b << 16) | (c << 8) | d)};
    int probe = socket (AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    bool free_ = probe >= 0 && setsockopt (probe, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) == 0
                 && bind (probe, (struct sockaddr *) &address, sizeof address) == 0;
    if (!free_)
        mot_log_error ("bind_failed", "endpoint=%s reason=\"%s\"", endpoint, strerror (errno));
    if (probe >= 0)
        close (probe);
    return free_;
}

static zactor_t *
start_device (const char *name, const char *front_type, const char *front_endpoint, const char *back_type,
              const char *back_endpoint)
{
    if (!endpoint_is_free (front_endpoint) || !endpoint_is_free (back_endpoint))
        return NULL;
    zactor_t *device = zactor_new (zproxy, NULL);
    if (!device)
        return NULL;
    char *front_at = zsys_sprintf ("@%s", front_endpoint);
    char *back_at = zsys_sprintf ("@%s", back_endpoint);
    zstr_sendx (device, "FRONTEND", front_type, front_at, NULL);
    zsock_wait (device);
    zstr_sendx (device, "BACKEND", back_type, back_at, NULL);
    zsock_wait (device);
    mot_log_info ("device_started", "device=%s front=%s back=%s", name, front_endpoint, back_endpoint);
    zstr_free (&front_at);
    zstr_free (&back_at);
    return device;
}

int
main (int argc, char **argv)
{
    int rc;
    mot_config_t *config = mot_config_new ("mot-proxy", "ZeroMQ devices in front of several intakes.", options,
                                           argc, argv, &rc);
    if (!config)
        return rc;
    mot_log_init ("proxy", mot_config_get (config, "log-level"));
    zsys_init ();
    zactor_t *ingress = start_device ("ingress", "ROUTER", mot_config_get (config, "ingress"), "DEALER",
                                      mot_config_get (config, "ingress-workers"));
    zactor_t *classify = ingress ? start_device ("classify", "PULL", mot_config_get (config, "classify-in"),
                                                 "PUSH", mot_config_get (config, "classify-out"))
                                 : NULL;
    zactor_t *watch = classify ? start_device ("watch", "PULL", mot_config_get (config, "watch-in"), "PUSH",
                                               mot_config_get (config, "watch-out"))
                               : NULL;
    rc = watch ? 0 : 1;
    zpoller_t *poller = watch ? zpoller_new (ingress, classify, watch, NULL) : NULL;
    if (poller) {
        /* The devices run in their own threads; this waits for a signal
         * (or a device that dies). */
        while (!zsys_interrupted && !zpoller_wait (poller, 500) && !zpoller_terminated (poller))
            ;
        zpoller_destroy (&poller);
    }
    zactor_destroy (&watch);
    zactor_destroy (&classify);
    zactor_destroy (&ingress);
    mot_log_info ("stopped", "rc=%d", rc);
    mot_config_destroy (&config);
    return rc;
}
