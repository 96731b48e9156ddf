/*  mot-lag — how late notices reach a subscriber after they fell due.
 *
 *  Owns nothing in the product: a SUB socket on the notifier's publisher
 *  that counts notices (of a topic prefix) and records when each arrived.
 *  The time they fell due is a moment the caller writes, as unix
 *  microseconds, into a file (--t0-file) when it moves the clock or starts a
 *  watcher; read at the end, it turns the arrival times into lags. Prints
 *  key=value lines: count, lag p50/p99/max, and the delivery rate.
 */
#include "mot_config.h"
#include "mot_curve.h"
#include "mot_endpoints.h"

#include <czmq.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const mot_option_t options[] = {
    {"publish", "MOT_NOTIFIER_PUBLISH", MOT_DEFAULT_PUBLISH, "the notifier's publisher"},
    {"topic", "MOT_LAG_TOPIC", "", "topic prefix to count (\"\": every notice)"},
    {"count", "MOT_LAG_COUNT", "1000", "notices to wait for"},
    {"timeout", "MOT_LAG_TIMEOUT", "600", "seconds to wait at most"},
    {"t0-file", "MOT_LAG_T0_FILE", "", "file holding the due moment, unix microseconds (required)"},
    {NULL, NULL, NULL, NULL}};

static int64_t
realtime_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

static int
compare_longs (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

static bool
read_t0 (const char *path, int64_t *t0)
{
    FILE *file = fopen (path, "r");
    long long value = 0;
    bool ok = file && fscanf (file, "%lld", &value) == 1 && value > 0;
    if (file)
        fclose (file);
    *t0 = value;
    return ok;
}

static void
report (int64_t *arrivals, long received, int64_t t0)
{
    qsort (arrivals, (size_t) received, sizeof *arrivals, compare_longs);
    long p50 = (received - 1) / 2, p99 = (long) ceil (received * 0.99) - 1;
    double span = (double) (arrivals[received - 1] - arrivals[0]) / 1e6;
    printf ("received=%ld\nlag_p50_ms=%.1f\nlag_p99_ms=%.1f\nlag_max_ms=%.1f\nnotices_per_s=%.0f\n", received,
            (arrivals[p50] - t0) / 1000.0, (arrivals[p99] - t0) / 1000.0, (arrivals[received - 1] - t0) / 1000.0,
            span > 0 ? received / span : 0);
}

int
main (int argc, char **argv)
{
    int rc;
    mot_config_t *config = mot_config_new ("mot-lag", "Measures how late notices arrive.", options, argc, argv, &rc);
    if (!config)
        return rc;
    long count, timeout;
    int64_t t0 = 0;
    rc = 1;
    zsock_t *sub = NULL;
    int64_t *arrivals = NULL;
    if (mot_config_get_long (config, "count", 1, 100000000, &count)
        && mot_config_get_long (config, "timeout", 1, 86400, &timeout)
        && (arrivals = calloc ((size_t) count, sizeof *arrivals))
        && (sub = zsock_new (ZMQ_SUB)) && mot_curve_secure (sub, false, "notifier", "publish")) {
        zsock_set_rcvhwm (sub, 0);
        zsock_set_subscribe (sub, mot_config_get (config, "topic"));
        zsock_connect (sub, "%s", mot_config_get (config, "publish"));
        long received = 0;
        int64_t deadline = realtime_us () + timeout * 1000000;
        zpoller_t *poller = zpoller_new (sub, NULL);
        while (received < count && realtime_us () < deadline) {
            if (zpoller_wait (poller, 1000) != sub) {
                if (zpoller_terminated (poller))
                    break;
                continue;
            }
            zmsg_t *msg = zmsg_recv (sub);
            if (msg)
                arrivals[received++] = realtime_us ();
            zmsg_destroy (&msg);
        }
        zpoller_destroy (&poller);
        if (received > 0 && read_t0 (mot_config_get (config, "t0-file"), &t0)) {
            report (arrivals, received, t0);
            rc = received == count ? 0 : 1;
        }
        else
            fprintf (stderr, "mot-lag: %ld notices, t0 %s\n", received, t0 ? "read" : "missing");
    }
    zsock_destroy (&sub);
    free (arrivals);
    mot_config_destroy (&config);
    return rc;
}
