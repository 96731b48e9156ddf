/*  subscriber — a minimal alert subscriber in C that never misses a notice.
 *
 *  It links the project's client, mot_subscriber (common/mot_subscriber.h):
 *  live notices from the notifier's PUB, the heartbeat ("hugz") that says
 *  the last seq published, and the notices it missed asked of the
 *  notifier's catch-up socket — in seq order, each once, no Redis. It
 *  prints "<seq> <text>" per notice and, after COUNT notices,
 *  stops. A real subscriber keeps the last seq it handled (on disk) and
 *  passes it as SINCE when it comes back.
 *
 *    subscriber PUB CATCHUP SINCE COUNT [TOPIC...]
 *    subscriber tcp://127.0.0.1:5554 tcp://127.0.0.1:5557 0 10 overdue/UAD
 */
#include "mot_subscriber.h"

#include <stdio.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
    if (argc < 5) {
        fprintf (stderr, "usage: subscriber PUB CATCHUP SINCE COUNT [TOPIC...]\n");
        return 2;
    }
    long count = atol (argv[4]);
    mot_subscriber_t *subscriber = mot_subscriber_new (argv[1], argv[2], (const char *const *) argv + 5,
                                                       (size_t) (argc - 5));
    if (!subscriber)
        return 1;
    mot_subscriber_since (subscriber, strtoull (argv[3], NULL, 10));
    for (long got = 0; got < count;) {
        char *topic = NULL;
        Mot__V1__Notice *notice = mot_subscriber_next (subscriber, 60000, &topic);
        if (!notice)
            break;                      /* a minute of silence, or interrupted */
        printf ("%llu %s\n", (unsigned long long) notice->seq, notice->text ? notice->text : "");
        fflush (stdout);
        got++;
        protobuf_c_message_free_unpacked (&notice->base, NULL);
        free (topic);
    }
    mot_subscriber_destroy (&subscriber);
    return 0;
}
