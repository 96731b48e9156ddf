/*  mot_health — a service's metrics and health over HTTP.
 *
 *  libmicrohttpd with its own polling thread. The loop publishes three
 *  facts through C11 atomics (its last beat on the monotonic clock,
 *  whether Redis answered then, whether it is ready); the handler reads
 *  them and the metrics registry, nothing else.
 */
#include "mot_health.h"
#include "mot_log.h"
#include "mot_metrics.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONNECTION_LIMIT 32
#define CONNECTION_TIMEOUT_S 10
#define TEXT_PLAIN "text/plain; charset=utf-8"
#define PROMETHEUS_TEXT "text/plain; version=0.0.4; charset=utf-8"

struct _mot_health_t {
    struct MHD_Daemon *daemon;
    atomic_llong last_beat_ms;          /* monotonic; 0: never */
    atomic_bool redis_answered;
    atomic_bool ready;
    _Atomic (mot_gauge_t *) redis_up;   /* set by attach, read by the handler */
    mot_gauge_t *ready_gauge;
    mot_redis_t *redis;                 /* the loop's; only the loop uses it */
    unsigned port;
};

static const struct {
    const char *service;
    const char *address;
} default_addresses[] = {
    {"intake", MOT_HEALTH_DEFAULT_INTAKE},       {"classifier", MOT_HEALTH_DEFAULT_CLASSIFIER},
    {"deadline-watcher", MOT_HEALTH_DEFAULT_WATCHER}, {"notifier", MOT_HEALTH_DEFAULT_NOTIFIER},
    {"reporter", MOT_HEALTH_DEFAULT_REPORTER},   {"proxy", MOT_HEALTH_DEFAULT_PROXY},
};

mot_option_t
mot_health_option (const char *name, mot_health_option_storage_t *storage)
{
    char variable[64];
    size_t at = (size_t) snprintf (variable, sizeof variable, "MOT_");
    for (const char *c = name; *c && at + sizeof "_METRICS" < sizeof variable; c++)
        variable[at++] = *c == '-' ? '_' : (char) toupper ((unsigned char) *c);
    snprintf (variable + at, sizeof variable - at, "_METRICS");
    const char *fallback = getenv (variable);
    for (size_t i = 0; !fallback && i < sizeof default_addresses / sizeof *default_addresses; i++)
        if (strcmp (default_addresses[i].service, name) == 0)
            fallback = default_addresses[i].address;
    snprintf (storage->fallback, sizeof storage->fallback, "%s", fallback ? fallback : "off");
    snprintf (storage->help, sizeof storage->help,
              "metrics and health over HTTP (/metrics, /healthz, /readyz): IPv4 HOST:PORT (0: any free port) or off; "
              "MOT_METRICS (this process), else %s (this service on this host), else its port",
              variable);
    return (mot_option_t){"metrics", "MOT_METRICS", storage->fallback, storage->help};
}

mot_health_options_t *
mot_health_options_new (const char *name, const mot_option_t *options)
{
    size_t count = 0;
    while (options && options[count].name)
        count++;
    mot_health_options_t *all = calloc (1, sizeof *all + (count + 2) * sizeof *all->options);
    if (all) {
        memcpy (all->options, options, count * sizeof *options);
        all->options[count] = mot_health_option (name, &all->storage);
    }
    return all;
}

static long long
monotonic_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (long long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* ---- answers ---------------------------------------------------------------- */

/* NULL when healthy, else why not (a static string). */
static const char *
unhealthy_reason (mot_health_t *self)
{
    long long beat = atomic_load (&self->last_beat_ms);
    if (beat == 0)
        return "the loop has not run yet";
    if (monotonic_ms () - beat > MOT_HEALTH_STALE_MS)
        return "the loop is stuck: its last beat is too old";
    if (!atomic_load (&self->redis_answered))
        return "Redis does not answer";
    return NULL;
}

/* NULL when ready, else why not. */
static const char *
unready_reason (mot_health_t *self)
{
    const char *reason = unhealthy_reason (self);
    if (!reason && !atomic_load (&self->ready))
        reason = "not serving (starting or stopping)";
    return reason;
}

static enum MHD_Result
queue_text (struct MHD_Connection *connection, unsigned status, const char *type, char *text, bool owned)
{
    struct MHD_Response *response = MHD_create_response_from_buffer (
        strlen (text), text, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!response) {
        if (owned)
            free (text);
        return MHD_NO;
    }
    bool ok = MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES
           && MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES;
    if (ok && status == MHD_HTTP_METHOD_NOT_ALLOWED)
        ok = MHD_add_response_header (response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_YES;
    enum MHD_Result result = ok ? MHD_queue_response (connection, status, response) : MHD_NO;
    MHD_destroy_response (response);
    return result;
}

/* 200 "ok" or 503 with the reason (prefixed for /readyz). */
static enum MHD_Result
queue_state (struct MHD_Connection *connection, const char *reason, const char *prefix)
{
    if (!reason)
        return queue_text (connection, MHD_HTTP_OK, TEXT_PLAIN, (char *) "ok\n", false);
    size_t size = strlen (prefix) + strlen (reason) + 2;
    char *text = malloc (size);
    if (!text)
        return MHD_NO;
    snprintf (text, size, "%s%s\n", prefix, reason);
    return queue_text (connection, MHD_HTTP_SERVICE_UNAVAILABLE, TEXT_PLAIN, text, true);
}

static enum MHD_Result
queue_metrics (mot_health_t *self, struct MHD_Connection *connection)
{
    mot_gauge_set (atomic_load (&self->redis_up), atomic_load (&self->redis_answered) ? 1 : 0);
    mot_gauge_set (self->ready_gauge, unready_reason (self) ? 0 : 1);
    char *text = mot_metrics_render ();
    return text ? queue_text (connection, MHD_HTTP_OK, PROMETHEUS_TEXT, text, true) : MHD_NO;
}

static enum MHD_Result
on_access (void *cls, struct MHD_Connection *connection, const char *url, const char *method, const char *version,
           const char *upload_data, size_t *upload_data_size, void **request)
{
    (void) version;
    (void) upload_data;
    mot_health_t *self = cls;
    if (!*request) {            /* headers only: answer on the next call */
        *request = self;
        return MHD_YES;
    }
    if (*upload_data_size) {    /* a body is not read */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp (method, MHD_HTTP_METHOD_GET) != 0 && strcmp (method, MHD_HTTP_METHOD_HEAD) != 0)
        return queue_text (connection, MHD_HTTP_METHOD_NOT_ALLOWED, TEXT_PLAIN, (char *) "method not allowed\n",
                           false);
    if (strcmp (url, "/metrics") == 0)
        return queue_metrics (self, connection);
    if (strcmp (url, "/healthz") == 0)
        return queue_state (connection, unhealthy_reason (self), "");
    if (strcmp (url, "/readyz") == 0)
        return queue_state (connection, unready_reason (self), "not ready: ");
    return queue_text (connection, MHD_HTTP_NOT_FOUND, TEXT_PLAIN, (char *) "not found: /metrics, /healthz, /readyz\n",
                       false);
}

void
mot_health_log_library (void *cls, const char *format, va_list args)
{
    char text[256];
    vsnprintf (text, sizeof text, format, args);
    text[strcspn (text, "\r\n")] = '\0';
    mot_log_warn ((const char *) cls, "message=\"%s\"", text);
}

/* ---- the listener -------------------------------------------------------------- */

bool
mot_health_read_address (const char *address, bool any_port, struct sockaddr_in *out)
{
    const char *colon = address ? strrchr (address, ':') : NULL;
    size_t host_length = colon ? (size_t) (colon - address) : 0;
    char host[INET_ADDRSTRLEN];
    if (!colon || host_length == 0 || host_length >= sizeof host || !colon[1] || strlen (colon + 1) > 5)
        return false;
    for (const char *c = colon + 1; *c; c++)
        if (!isdigit ((unsigned char) *c))
            return false;
    long port = strtol (colon + 1, NULL, 10);
    memcpy (host, address, host_length);
    host[host_length] = '\0';
    memset (out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons ((uint16_t) port);
    return port <= 65535 && (any_port || port > 0) && inet_pton (AF_INET, host, &out->sin_addr) == 1;
}

static void
register_redis_metrics (mot_health_t *self)
{
    mot_metrics_counter (MOT_METRIC_REDIS_ERRORS, MOT_METRIC_REDIS_ERRORS_HELP, "kind", "connection", NULL);
    mot_metrics_counter (MOT_METRIC_REDIS_ERRORS, MOT_METRIC_REDIS_ERRORS_HELP, "kind", "reply", NULL);
    mot_metrics_counter (MOT_METRIC_REDIS_RECONNECTS, MOT_METRIC_REDIS_RECONNECTS_HELP, NULL);
    mot_gauge_t *redis_up = mot_metrics_gauge ("mot_redis_up", "1 when the service's last PING to Redis was answered.",
                                               NULL);
    mot_gauge_set (redis_up, atomic_load (&self->redis_answered) ? 1 : 0);
    atomic_store (&self->redis_up, redis_up);
}

mot_health_t *
mot_health_new (const char *address, bool *failed)
{
    *failed = false;
    if (!address || strcmp (address, "off") == 0)
        return NULL;
    *failed = true;
    struct sockaddr_in socket_address;
    if (!mot_health_read_address (address, true, &socket_address)) {
        mot_log_error ("metrics_failed", "address=%s reason=\"not an IPv4 HOST:PORT (or off)\"", address);
        return NULL;
    }
    mot_health_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    atomic_init (&self->last_beat_ms, 0);
    atomic_init (&self->redis_answered, false);
    atomic_init (&self->ready, false);
    atomic_init (&self->redis_up, NULL);
    self->ready_gauge = mot_metrics_gauge ("mot_ready", "1 while /readyz answers 200.", NULL);
    /* The listener's thread blocks every signal (it inherits this mask):
     * SIGTERM and SIGINT reach the loop's thread, and a signal a service
     * takes from a signalfd (the watcher's SIGHUP) is never delivered to a
     * thread that would run its default action and end the process. */
    sigset_t all, previous;
    sigfillset (&all);
    pthread_sigmask (SIG_SETMASK, &all, &previous);
    self->daemon = MHD_start_daemon (
        MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, on_access, self, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *) &socket_address, MHD_OPTION_CONNECTION_LIMIT, (unsigned) CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) CONNECTION_TIMEOUT_S, MHD_OPTION_EXTERNAL_LOGGER,
        mot_health_log_library, (void *) "metrics_library", MHD_OPTION_END);
    pthread_sigmask (SIG_SETMASK, &previous, NULL);
    const union MHD_DaemonInfo *info
        = self->daemon ? MHD_get_daemon_info (self->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        mot_log_error ("metrics_failed", "address=%s reason=\"cannot listen there (in use? another instance needs "
                                         "its own --metrics port)\"", address);
        mot_health_destroy (&self);
        return NULL;
    }
    self->port = info->port;
    char host[INET_ADDRSTRLEN] = "?";
    inet_ntop (AF_INET, &socket_address.sin_addr, host, sizeof host);
    mot_log_info ("metrics_listening", "address=%s:%u url=http://%s:%u/metrics", host, (unsigned) info->port, host,
                  (unsigned) info->port);
    *failed = false;
    return self;
}

void
mot_health_destroy (mot_health_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_health_t *self = *self_p;
    if (self->daemon)
        MHD_stop_daemon (self->daemon);
    free (self);
    *self_p = NULL;
}

unsigned
mot_health_port (mot_health_t *self)
{
    return self->port;
}

void
mot_health_beat (mot_health_t *self, bool redis_answered)
{
    if (!self)
        return;
    atomic_store (&self->redis_answered, redis_answered);
    atomic_store (&self->last_beat_ms, monotonic_ms ());
}

static bool
redis_answers (mot_redis_t *redis)
{
    redisReply *reply = mot_redis_command (redis, "PING");
    bool answered = reply && reply->type == REDIS_REPLY_STATUS;
    if (reply)
        freeReplyObject (reply);
    return answered;
}

static int
on_beat (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    mot_health_t *self = arg;
    mot_health_beat (self, redis_answers (self->redis));
    return 0;
}

bool
mot_health_redis_count (mot_redis_t *redis, const char *command, const char *key, long long *count)
{
    redisReply *reply = mot_redis_command (redis, "%s %s", command, key);
    bool ok = mot_reply_ok (reply)
           && (reply->type == REDIS_REPLY_INTEGER || reply->type == REDIS_REPLY_STRING
               || reply->type == REDIS_REPLY_NIL);
    if (ok)
        *count = reply->type == REDIS_REPLY_INTEGER ? reply->integer
               : reply->type == REDIS_REPLY_STRING  ? strtoll (reply->str, NULL, 10)
                                                    : 0;
    if (reply)
        freeReplyObject (reply);
    return ok;
}

bool
mot_health_attach (mot_health_t *self, zloop_t *loop, mot_redis_t *redis)
{
    if (!self)
        return true;
    self->redis = redis;
    if (zloop_timer (loop, MOT_HEALTH_BEAT_MS, 0, on_beat, self) < 0)
        return false;
    register_redis_metrics (self);
    mot_health_beat (self, redis_answers (redis));
    mot_health_set_ready (self, true);
    return true;
}

void
mot_health_set_ready (mot_health_t *self, bool ready)
{
    if (self)
        atomic_store (&self->ready, ready);
}
