/*  mot_health — a service's metrics and health over HTTP.
 *
 *  Owns: the --metrics option (declared here once, added to every
 *  service's options by mot_service), the small libmicrohttpd listener
 *  behind it (its own thread) and what it answers:
 *    GET /metrics  the process's metrics (mot_metrics), Prometheus text 0.0.4
 *    GET /healthz  200 while the loop beats (its last beat less than
 *                  MOT_HEALTH_STALE_MS ago) and its last Redis PING was
 *                  answered; else 503, the body saying which
 *    GET /readyz   200 once the service can do its work (its data files
 *                  loaded, its sockets bound, its readers and timers
 *                  attached: mot_service marks it after attach) and while
 *                  /healthz holds; 503 before, after SIGTERM and whenever
 *                  /healthz does not hold
 *  The listener starts once the service has connected to Redis and opened
 *  (mot_service_run), so that a process that cannot run never holds the
 *  port: before that a probe's connection is refused, which a supervisor
 *  reads as "not healthy" too.
 *  Anything else is 404; a method other than GET or HEAD 405.
 *
 *  The loop side: mot_service beats every MOT_HEALTH_BEAT_MS from the
 *  service's own loop (mot_health_beat, with whether Redis answered a PING
 *  on the service's connection) and marks the service ready after attach.
 *  The HTTP thread only reads those (C11 atomics) and renders the registry
 *  (under its mutex): it never touches Redis or the loop's state.
 *
 *  The address: HOST:PORT (IPv4), loopback by default, one default port
 *  per service (MOT_HEALTH_DEFAULT_*: 5570 intake, 5571 classifier, 5572
 *  deadline-watcher, 5573 notifier, 5574 reporter, 5575 mot-proxy: no
 *  Redis, so its /healthz is its main thread's beat), PORT 0 for any free
 *  port (logged), `off` for none. Read from, in order: the flag
 *  --metrics, the variable MOT_METRICS (this process's: a systemd
 *  instance's own port), the service's variable MOT_<SERVICE>_METRICS
 *  (e.g. MOT_DEADLINE_WATCHER_METRICS: one environment for every service
 *  of a host), the default. A port already taken stops the service (exit 1, logged
 *  metrics_failed): a health endpoint must never be answered by another
 *  process, so a second instance on one host needs a port of its own.
 *  Plain HTTP without authentication: the metrics hold no personal data;
 *  bind beyond loopback only where the network is trusted.
 */
#ifndef MOT_HEALTH_H_INCLUDED
#define MOT_HEALTH_H_INCLUDED

#include "mot_config.h"
#include "mot_redis.h"
#include <czmq.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>

#define MOT_HEALTH_DEFAULT_INTAKE "127.0.0.1:5570"
#define MOT_HEALTH_DEFAULT_CLASSIFIER "127.0.0.1:5571"
#define MOT_HEALTH_DEFAULT_WATCHER "127.0.0.1:5572"
#define MOT_HEALTH_DEFAULT_NOTIFIER "127.0.0.1:5573"
#define MOT_HEALTH_DEFAULT_REPORTER "127.0.0.1:5574"
#define MOT_HEALTH_DEFAULT_PROXY "127.0.0.1:5575"

/* How often the loop beats, and how old a beat may be for /healthz. */
#define MOT_HEALTH_BEAT_MS 1000
#define MOT_HEALTH_STALE_MS 5000

typedef struct _mot_health_t mot_health_t;

/* The --metrics option of service `name` (its env variable and default
 * filled in; the strings live in `storage`, which the option must not
 * outlive). */
typedef struct {
    char fallback[64];
    char help[256];
} mot_health_option_storage_t;
mot_option_t mot_health_option (const char *name, mot_health_option_storage_t *storage);
/* A program's options followed by --metrics (malloc'd, free() it after the
 * configuration that points into it); NULL when out of memory. */
typedef struct {
    mot_health_option_storage_t storage;
    mot_option_t options[];
} mot_health_options_t;
mot_health_options_t *mot_health_options_new (const char *name, const mot_option_t *options);

/* Starts the listener on `address` (`off`: returns NULL with *failed
 * false). NULL with *failed true when the address is not IPv4 HOST:PORT
 * or cannot be bound (logged metrics_failed). Logs metrics_listening with
 * the address bound. Registers mot_ready. */
mot_health_t *mot_health_new (const char *address, bool *failed);
void mot_health_destroy (mot_health_t **self_p);
/* The port it listens on (the one the kernel chose for PORT 0). */
unsigned mot_health_port (mot_health_t *self);

/* From the loop, once the service's readers and timers are attached: a
 * timer that PINGs Redis on the service's connection and beats every
 * MOT_HEALTH_BEAT_MS, a first beat now, and ready; registers the Redis
 * metrics (mot_redis_up, errors, reconnects). NULL-safe (true). A program
 * without Redis (mot-proxy) beats by itself instead, answered = true. */
bool mot_health_attach (mot_health_t *self, zloop_t *loop, mot_redis_t *redis);

/* From the loop: it runs, and whether Redis answered. NULL-safe. */
void mot_health_beat (mot_health_t *self, bool redis_answered);
/* From the loop: the service can do its work (after attach). NULL-safe. */
void mot_health_set_ready (mot_health_t *self, bool ready);

/* For the gauges a service reads from Redis: `COMMAND KEY` answered with
 * an integer (ZCARD, XLEN) or a number held as a string (GET; a missing
 * key is 0) into *count; false when Redis failed. */
bool mot_health_redis_count (mot_redis_t *redis, const char *command, const char *key, long long *count);

/* Shared with the reporter's dashboard: an IPv4 "a.b.c.d:PORT" into *out
 * (PORT 1..65535, or 0 too with `any_port`); false when it is not one.
 * And libmicrohttpd's messages into the log (MHD_OPTION_EXTERNAL_LOGGER)
 * as the event named by `cls`, a static string. */
bool mot_health_read_address (const char *address, bool any_port, struct sockaddr_in *out);
void mot_health_log_library (void *cls, const char *format, va_list args);

#endif
