/*  mot_metrics — the process's metrics and their Prometheus text.
 *
 *  Owns: the one registry of a process (like the log, one per process:
 *  any module counts without being handed an object), its counters,
 *  gauges and histograms, and their exposition in Prometheus's text
 *  format 0.0.4 (mot_metrics_render). The service's loop writes while the
 *  HTTP thread (mot_health) renders: every value and the registry itself
 *  sit behind one mutex, so a scrape sees each series whole.
 *
 *  A series is a family's name plus a label set, given as name/value
 *  pairs ended by NULL; asking again for the same name and labels returns
 *  the same series, so a caller may look a series up per event (a
 *  refusal's code) or keep the pointer (a hot path). Families are
 *  rendered in the order they were first asked for, their series too.
 *  Names follow Prometheus's conventions: mot_<thing>_total for counters,
 *  _seconds for durations, base units. Every function accepts a NULL
 *  series (out of memory, or a name used with two types) and does
 *  nothing then: a metric is never a reason to fail.
 */
#ifndef MOT_METRICS_H_INCLUDED
#define MOT_METRICS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef struct _mot_series_t mot_counter_t;
typedef struct _mot_series_t mot_gauge_t;
typedef struct _mot_series_t mot_histogram_t;

/* Bucket bounds (seconds) for the histograms: a latency inside the
 * pipeline (an ack, a classification) and a lag behind a deadline or
 * behind the log (a firing, a publication). */
#define MOT_METRICS_LATENCY_BUCKETS 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
#define MOT_METRICS_LAG_BUCKETS 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600

/* The metrics every service has (mot_redis counts, mot_health registers
 * them at 0 and keeps the gauges). */
#define MOT_METRIC_REDIS_ERRORS "mot_redis_errors_total"
#define MOT_METRIC_REDIS_ERRORS_HELP                                                                                   \
    "Redis failures: kind=connection (could not connect, or the connection broke under a command), kind=reply (Redis " \
    "answered an error)."
#define MOT_METRIC_REDIS_RECONNECTS "mot_redis_reconnects_total"
#define MOT_METRIC_REDIS_RECONNECTS_HELP "Connections to Redis made again after the first one succeeded."

/* How often a service reads the gauges that live in Redis (from its own
 * loop, on its own connection). */
#define MOT_METRICS_REFRESH_MS 1000

/* Labels: pairs of name, value, then NULL. */
mot_counter_t *mot_metrics_counter (const char *name, const char *help, ...) __attribute__ ((sentinel));
mot_gauge_t *mot_metrics_gauge (const char *name, const char *help, ...) __attribute__ ((sentinel));
/* `bounds` ascending, `count` of them (the +Inf bucket is added). */
mot_histogram_t *mot_metrics_histogram (const char *name, const char *help, const double *bounds, size_t count, ...)
    __attribute__ ((sentinel));

void mot_counter_add (mot_counter_t *counter, uint64_t amount);
void mot_gauge_set (mot_gauge_t *gauge, double value);
void mot_histogram_observe (mot_histogram_t *histogram, double value);

/* Seconds from `since` to `now` (unix seconds on the service clock), to
 * the millisecond when that clock is the real one (within 2 s of the wall
 * clock; a test clock gives whole seconds): the firing and notifier lags. */
double mot_metrics_lag_seconds (int64_t now, int64_t since);

/* The whole registry in Prometheus's text format 0.0.4 (malloc'd; NULL
 * when out of memory). */
char *mot_metrics_render (void);

/* Forgets every family and series (the pointers handed out become
 * invalid): for the end of the process and for tests. */
void mot_metrics_reset (void);

#endif
