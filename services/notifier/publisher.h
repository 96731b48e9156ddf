/*  publisher — publishing the notice log, in seq order, each notice once.
 *
 *  Owns: the mark mot:notices:published (the last seq taken to publish) and
 *  trimming the log mot:notices to --log-size once published. The
 *  deadline-watchers append notices to the log, with their seq and text, in
 *  the same script as the change that caused them (see the watcher's
 *  notice_log.h); this module tails it: ONE Lua call (tail.lua) takes the
 *  next batch after the mark and moves the mark, then each notice goes out
 *  on PUB as [topic][the log entry's bytes], in seq order ("Clone" pattern:
 *  the log is the snapshot, PUB the updates, the seq joins them).
 *  - Each seq is taken once, so it is published once; a notice the PUB
 *    refuses (a subscriber's queue is full) is logged publish_dropped and
 *    stays in the log.
 *  - If the process dies between the script and the PUB, those notices are
 *    in the log but were not published live: subscribers catch up from the
 *    log by seq (at most once live, always in the log).
 *  - An entry that is not a publishable Notice (hand-made, corrupted) is
 *    logged notice_dropped with its seq and skipped; the rest go on.
 *  - Notices that left the log before being published (someone cut it) are
 *    logged notices_skipped with the count.
 *  Unpublished notices are never trimmed: while the notifier is down the log
 *  grows by what the watchers fire, and it publishes the backlog on start.
 */
#ifndef PUBLISHER_H_INCLUDED
#define PUBLISHER_H_INCLUDED

#include "mot_redis.h"
#include <czmq.h>

typedef struct _publisher_t publisher_t;

/* `pub` is the PUB socket (not owned); log_size bounds mot:notices once
 * published; batch is the most notices taken per script call. */
publisher_t *publisher_new (mot_redis_t *redis, zsock_t *pub, long log_size, long batch);
void publisher_destroy (publisher_t **self_p);

/* Publishes the next batch of the log; returns how many notices it took (0:
 * nothing new), or -1 when Redis failed. */
long publisher_publish_next (publisher_t *self);

#endif
