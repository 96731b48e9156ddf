/*  mot_subscriber — an alert subscriber that never misses a notice and
 *  needs no Redis: the client side of the notifier's Clone pattern.
 *
 *  Owns: the subscriber's cursor (the last seq it handed out) and the way
 *  it fills gaps. It subscribes on the notifier's PUB to its topic prefixes
 *  (none: everything) and to the heartbeat topic "hugz", and hands out
 *  notices in seq order, each once:
 *    - a live notice whose seq is cursor + 1 is handed out as is;
 *    - one further on (notices were dropped for us, or other topics came
 *      in between), or a heartbeat whose last seq is past the cursor (the
 *      end of a burst was dropped, and nothing else is coming), makes it
 *      ask the catch-up socket for the notices after the cursor on its
 *      topics (NoticesRequest, repeated while the answer says more); it
 *      hands those out and moves the cursor to what the notifier looked
 *      at, so the live notice that showed the gap, now behind the cursor,
 *      is not handed out twice;
 *    - a notice at or behind the cursor is a duplicate and is dropped.
 *  With a starting seq (mot_subscriber_since) it first asks for everything
 *  after it; without one the cursor starts at the first seq it sees.
 *  The catch-up socket is a REQ used the Lazy Pirate way: no answer within
 *  the timeout and the socket is replaced and the request retried after a
 *  second; nothing further on is handed out meanwhile (it will come
 *  through the catch-up). Notices the log no longer keeps (older than its
 *  last --log-size) are said once on stderr with their seqs.
 *  Used by motctl subscribe and tools/examples/subscriber.c.
 */
#ifndef MOT_SUBSCRIBER_H_INCLUDED
#define MOT_SUBSCRIBER_H_INCLUDED

#include "mot.pb-c.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _mot_subscriber_t mot_subscriber_t;

/* Connects to the notifier's PUB (`publish`) and catch-up (`catchup`)
 * endpoints with these topic prefixes (copied; count 0: every notice).
 * NULL (said on stderr) when a socket cannot be made. */
mot_subscriber_t *mot_subscriber_new (const char *publish, const char *catchup, const char *const *topics,
                                      size_t count);
void mot_subscriber_destroy (mot_subscriber_t **self_p);

/* Starts after `seq`: the notices the log still holds after it come first. */
void mot_subscriber_since (mot_subscriber_t *self, uint64_t seq);
/* How long a catch-up request may take before it is retried (default 2000). */
void mot_subscriber_set_timeout (mot_subscriber_t *self, int timeout_ms);

/* The next notice, in seq order (with its seq), and its topic (malloc'd,
 * into *topic); NULL when nothing came within timeout_ms (-1: wait until
 * interrupted). Free the notice with protobuf_c_message_free_unpacked. */
Mot__V1__Notice *mot_subscriber_next (mot_subscriber_t *self, int timeout_ms, char **topic);

/* The last seq handed out (or looked past); 0 before any. */
uint64_t mot_subscriber_cursor (mot_subscriber_t *self);
/* How many notices came through the catch-up socket rather than live. */
uint64_t mot_subscriber_filled (mot_subscriber_t *self);

#endif
