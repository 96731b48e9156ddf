/*  mot_curve — ZeroMQ CURVE for this process's sockets (see mot_curve.h).
 */
#define _GNU_SOURCE             /* fopencookie: CZMQ's log, read line by line */
#include "mot_curve.h"
#include "mot_endpoints.h"
#include "mot_log.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_SECRET "0000000000000000000000000000000000000000"
#define CURVE_DOMAIN "mot"

static struct {
    bool started;               /* by a service, or lazily by a client's first socket */
    bool wanted;                /* security on: sockets are CURVE or not made */
    bool on;                    /* and the keys are here */
    char *certs;                /* the certificates directory */
    zcert_t *keypair;           /* this process's */
    zactor_t *auth;             /* zauth, for a service */
    FILE *czmq_log;             /* where CZMQ's log goes while zauth runs */
    zlist_t *watchers;          /* a service's: one actor per CURVE socket, its refusals */
    char *last_address;         /* of the ZAP request zauth logged last */
} s_curve;

bool
mot_curve_fingerprint (const char *public_txt, char *fingerprint)
{
    uint8_t key[32], digest[crypto_hash_sha256_BYTES];
    if (!public_txt || strlen (public_txt) != 40 || !zmq_z85_decode (key, public_txt))
        return false;
    crypto_hash_sha256 (digest, key, sizeof key);
    sodium_bin2hex (fingerprint, MOT_CURVE_FINGERPRINT_LENGTH + 1, digest, MOT_CURVE_FINGERPRINT_LENGTH / 2);
    return true;
}

/* An actor whose thread takes none of the process's signals: they stay
 * the main thread's (SIGTERM for CZMQ's handler, SIGHUP for a service's
 * signalfd, which only works where the signal is blocked). */
static zactor_t *
actor_without_signals (zactor_fn *task, void *args)
{
    sigset_t all, saved;
    sigfillset (&all);
    bool masked = pthread_sigmask (SIG_BLOCK, &all, &saved) == 0;
    zactor_t *actor = zactor_new (task, args);
    if (masked)
        pthread_sigmask (SIG_SETMASK, &saved, NULL);
    return actor;
}

/* --- what zauth says on CZMQ's log --------------------------------------------------------- */

/* The text after `marker` up to the next space or the end, or NULL. */
static char *
word_after (const char *line, const char *marker)
{
    const char *start = strstr (line, marker);
    if (!start)
        return NULL;
    start += strlen (marker);
    return strndup (start, strcspn (start, " \r\n"));
}

static void
log_zauth_verdict (const char *line, bool allowed)
{
    char *key = word_after (line, "client_key=");
    char fingerprint[MOT_CURVE_FINGERPRINT_LENGTH + 1] = "unknown";
    if (!key || !mot_curve_fingerprint (key, fingerprint))
        strcpy (fingerprint, "unreadable");
    const char *address = s_curve.last_address ? s_curve.last_address : "unknown";
    if (allowed)
        mot_log_debug ("peer_allowed", "fingerprint=%s address=%s", fingerprint, address);
    else
        mot_log_warn ("peer_refused", "reason=unknown_key fingerprint=%s address=%s", fingerprint, address);
    free (key);
}

/* One line of CZMQ's log ("I: 26-12-06 23:10:00 zauth: ..."): zauth's
 * verdicts become our own log events; anything else CZMQ says is kept. */
static void
read_czmq_line (const char *line)
{
    const char *text = strstr (line, "zauth: ");
    if (text && strstr (text, "ZAP request")) {
        free (s_curve.last_address);
        s_curve.last_address = word_after (text, "ipaddress=");
    }
    else
    if (text && strstr (text, "- denied (CURVE)"))
        log_zauth_verdict (text, false);
    else
    if (text && strstr (text, "- allowed (CURVE)"))
        log_zauth_verdict (text, true);
    else
    if (!text)
        mot_log_warn ("czmq", "said=\"%s\"", line);
}

/* fopencookie's writer: CZMQ writes and flushes one line at a time. */
static ssize_t
write_czmq_log (void *cookie, const char *data, size_t size)
{
    (void) cookie;
    char *copy = strndup (data, size);
    if (!copy)
        return (ssize_t) size;
    char *saved = NULL;
    for (char *line = strtok_r (copy, "\n", &saved); line; line = strtok_r (NULL, "\n", &saved))
        read_czmq_line (line);
    free (copy);
    return (ssize_t) size;
}

/* --- what ZeroMQ's socket monitor says --------------------------------------------------- */

/* A client that does not speak CURVE never reaches zauth: the handshake
 * fails on the mechanism; and a server that does not hold the key a client
 * socket expects fails the client's handshake. ZeroMQ's monitor of each
 * CURVE socket says so, and a watcher actor logs it. The monitor ends when
 * the socket closes. */
#define WATCHED_EVENTS (ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)

typedef struct {
    char *endpoint;             /* the monitor's inproc endpoint */
    char *what;                 /* the socket's name */
    int64_t logged_at;          /* zclock_mono of the last line */
    size_t unlogged;            /* refusals since, not logged: a client retries every 100 ms */
} watch_t;

#define WATCH_LOG_EVERY_MS 1000

/* Logs one monitor event ([event u16, value u32][endpoint]), at most one
 * line a second (with how many it stands for); false when the monitor
 * stopped. A client without CURVE fails on the mechanism, or sees the
 * server's greeting first and hangs up (then ZeroMQ has only an errno). */
static bool
log_monitor_event (zmsg_t *event, watch_t *watch)
{
    zframe_t *head = zmsg_first (event);
    char *endpoint = zframe_strdup (zmsg_next (event));
    if (!head || zframe_size (head) != 6 || !endpoint) {
        zstr_free (&endpoint);
        return head != NULL;
    }
    uint16_t code;
    uint32_t value;
    memcpy (&code, zframe_data (head), sizeof code);
    memcpy (&value, zframe_data (head) + 2, sizeof value);
    bool refused = code == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL || code == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
    if (refused && zclock_mono () - watch->logged_at < WATCH_LOG_EVERY_MS)
        watch->unlogged++;
    else
    if (refused) {
        mot_log_warn ("peer_refused", "reason=%s socket=%s endpoint=%s fingerprint=none detail=%s%x repeated=%zu",
                      value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH ? "not_curve" : "handshake", watch->what,
                      endpoint, code == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ? "protocol:0x" : "errno:0x", value,
                      watch->unlogged);
        watch->logged_at = zclock_mono ();
        watch->unlogged = 0;
    }
    zstr_free (&endpoint);
    return code != ZMQ_EVENT_MONITOR_STOPPED;
}

static void
watcher_actor (zsock_t *pipe, void *args)
{
    watch_t *watch = (watch_t *) args;
    zsock_t *monitor = zsock_new_pair (watch->endpoint);       /* connects to the monitor ZeroMQ bound */
    zsock_signal (pipe, 0);
    zpoller_t *poller = monitor ? zpoller_new (pipe, monitor, NULL) : NULL;
    bool running = poller != NULL;
    while (running) {
        void *which = zpoller_wait (poller, -1);
        zmsg_t *message = which ? zmsg_recv (which) : NULL;
        if (!message)
            running = false;
        else
        if (which == monitor)
            running = log_monitor_event (message, watch);
        else
            running = false;            /* $TERM */
        zmsg_destroy (&message);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&monitor);
    free (watch->endpoint);
    free (watch->what);
    free (watch);
}

/* Starts the watcher of a CURVE socket of a service (one that started
 * zauth); a failure is logged, the socket serves anyway. */
static void
watch_refusals (zsock_t *socket, const char *what)
{
    static int next;
    if (!s_curve.watchers)
        return;                 /* a client tool: its failures show as timeouts */
    watch_t *watch = calloc (1, sizeof *watch);
    if (watch) {
        watch->endpoint = zsys_sprintf ("inproc://mot-curve-watch-%d", __atomic_fetch_add (&next, 1, __ATOMIC_RELAXED));
        watch->what = strdup (what);
    }
    zactor_t *actor = NULL;
    if (watch && watch->endpoint && watch->what && s_curve.watchers
        && zmq_socket_monitor (zsock_resolve (socket), watch->endpoint, WATCHED_EVENTS) == 0)
        actor = actor_without_signals (watcher_actor, watch);
    if (actor)
        zlist_append (s_curve.watchers, actor);
    else {
        mot_log_warn ("refusals_unwatched", "socket=%s", what);
        if (watch) {
            free (watch->endpoint);
            free (watch->what);
            free (watch);
        }
    }
}

/* --- keys -------------------------------------------------------------------------------- */

/* A certificate and, for a keypair, its secret; NULL (logged) otherwise. */
static zcert_t *
load_certificate (const char *path, bool with_secret, const char *what)
{
    zcert_t *cert = zsys_file_exists (path) ? zcert_load (path) : NULL;
    if (cert && with_secret && streq (zcert_secret_txt (cert), NO_SECRET))
        zcert_destroy (&cert);
    if (!cert)
        mot_log_error ("certificate_missing", "what=%s path=%s secret=%s", what, path, with_secret ? "needed" : "no");
    return cert;
}

static bool
start_zauth (void)
{
    char *clients = zsys_sprintf ("%s/clients", s_curve.certs);
    if (!clients)
        return false;
    if (!zsys_file_exists (clients))
        mot_log_warn ("certificates_absent", "folder=%s until=created", clients);
    cookie_io_functions_t writer = {.write = write_czmq_log};
    s_curve.czmq_log = fopencookie (NULL, "w", writer);
    if (s_curve.czmq_log)
        zsys_set_logstream (s_curve.czmq_log);
    s_curve.watchers = zlist_new ();
    s_curve.auth = actor_without_signals (zauth, NULL);
    bool ok = s_curve.auth && s_curve.czmq_log && zstr_sendx (s_curve.auth, "VERBOSE", NULL) == 0
              && zsock_wait (s_curve.auth) == 0 && zstr_sendx (s_curve.auth, "CURVE", clients, NULL) == 0
              && zsock_wait (s_curve.auth) == 0;
    if (!ok)
        mot_log_error ("zauth_failed", "folder=%s", clients);
    free (clients);
    return ok;
}

/* The common part of both starts: `on`, the folder, the keypair (a path,
 * or NULL for a service's own in servers/). */
static bool
start (bool on, const char *certs, const char *own, const char *service)
{
    mot_curve_stop ();
    s_curve.started = true;
    s_curve.wanted = on;
    if (!on) {
        if (service)
            mot_log_warn ("curve_off", "sockets=plain");
        return true;
    }
    s_curve.certs = strdup (certs);
    char *path = own && *own ? strdup (own) : service ? zsys_sprintf ("%s/servers/%s.cert", certs, service) : NULL;
    if (!path)
        mot_log_error ("certificate_missing", "what=own reason=\"--cert (MOT_CERT) names no keypair\"");
    s_curve.keypair = path && s_curve.certs ? load_certificate (path, true, "own") : NULL;
    free (path);
    s_curve.on = s_curve.keypair != NULL && (!service || start_zauth ());
    if (!s_curve.on) {
        mot_curve_stop ();
        s_curve.started = s_curve.wanted = true;        /* sockets are refused, never made plain */
        return false;
    }
    char fingerprint[MOT_CURVE_FINGERPRINT_LENGTH + 1];
    if (service && mot_curve_fingerprint (zcert_public_txt (s_curve.keypair), fingerprint))
        mot_log_info ("curve_on", "certs=%s fingerprint=%s", s_curve.certs, fingerprint);
    return true;
}

bool
mot_curve_start (mot_config_t *config, const char *service)
{
    return start (mot_config_get_bool (config, "curve"), mot_config_get (config, "certs"),
                  mot_config_get (config, "cert"), service);
}

bool
mot_curve_start_client (void)
{
    const char *curve = getenv ("MOT_CURVE");
    bool on = !curve || !*curve || mot_config_text_is_true (curve);
    const char *certs = getenv ("MOT_CERTS");
    return start (on, certs && *certs ? certs : MOT_DEFAULT_CERTS, getenv ("MOT_CERT"), NULL);
}

void
mot_curve_stop (void)
{
    while (s_curve.watchers && zlist_size (s_curve.watchers)) {
        zactor_t *watcher = (zactor_t *) zlist_pop (s_curve.watchers);
        zactor_destroy (&watcher);
    }
    zlist_destroy (&s_curve.watchers);
    zactor_destroy (&s_curve.auth);
    if (s_curve.czmq_log) {
        zsys_set_logstream (stderr);
        fclose (s_curve.czmq_log);
    }
    zcert_destroy (&s_curve.keypair);
    free (s_curve.certs);
    free (s_curve.last_address);
    memset (&s_curve, 0, sizeof s_curve);
}

bool
mot_curve_on (void)
{
    return s_curve.on;
}

bool
mot_curve_secure (zsock_t *socket, bool server, const char *peer, const char *what)
{
    return mot_curve_secure_as (socket, server, NULL, peer, what);
}

bool
mot_curve_secure_as (zsock_t *socket, bool server, const char *as, const char *peer, const char *what)
{
    if (!s_curve.started)
        mot_curve_start_client ();
    if (!s_curve.wanted)
        return true;
    if (!s_curve.on) {
        mot_log_error ("curve_unready", "socket=%s reason=\"no keypair loaded\"", what);
        return false;
    }
    char *own_path = as ? zsys_sprintf ("%s/servers/%s.cert", s_curve.certs, as) : NULL;
    zcert_t *own = own_path ? load_certificate (own_path, true, what) : NULL;
    char *path = !server && peer ? zsys_sprintf ("%s/servers/%s.cert", s_curve.certs, peer) : NULL;
    zcert_t *server_cert = path ? load_certificate (path, false, what) : NULL;
    bool ok = (!as || own) && (server || server_cert);
    if (ok) {
        zcert_apply (own ? own : s_curve.keypair, socket);
        if (server) {
            zsock_set_zap_domain (socket, CURVE_DOMAIN);
            zsock_set_curve_server (socket, 1);
        }
        else
            zsock_set_curve_serverkey (socket, zcert_public_txt (server_cert));
        watch_refusals (socket, what);
    }
    zcert_destroy (&own);
    zcert_destroy (&server_cert);
    free (own_path);
    free (path);
    return ok;
}
