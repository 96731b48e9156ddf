/*  publisher — publishing the notice log, in seq order, each notice once.
 *
 *  Owns: the mark mot:notices:published (the last seq taken to publish) and
 *  trimming the log mot:notices once published. The deadline-watchers
 *  append notices to the log, with their text, in the same script as the
 *  change that caused them (see mot_notice_log.h); this module tails it:
 *  it reads the entries after its mark (XRANGE, up to --batch entries),
 *  moves the mark past them and trims the log (one round trip), then sends
 *  each notice on PUB as [topic][Notice with its seq], in seq order ("Clone"
 *  pattern: the log is the snapshot, PUB the updates, the seq joins them).
 *  - Each seq is taken once, so it is published once; a notice the PUB
 *    refuses (a subscriber's queue is full) is logged publish_dropped and
 *    stays in the log.
 *  - If the process dies between moving the mark and the PUB, those notices
 *    are in the log but were not published live: subscribers catch up from
 *    the log by seq (at most once live, always in the log).
 *  - An entry or a notice that is not publishable (hand-made, corrupted) is
 *    logged notice_dropped with its seq and reason and skipped; the rest go
 *    on.
 *  - Notices that left the log before being published (someone cut it) are
 *    logged notices_skipped with the count.
 *  - The log keeps at least --log-size published notices (whole entries go,
 *    so up to MOT_NOTICE_LOG_ENTRY_MAX more, see mot_notice_log.h) and every
 *    unpublished one: while the notifier is down the log grows by what the
 *    watchers fire, and it publishes the backlog when it starts.
 *  - When the log's counter is found below the mark (someone reset the log)
 *    it is logged notice_log_reset and the mark starts again from the log.
 *  One notifier per Redis: the mark is one key.
 */
#ifndef PUBLISHER_H_INCLUDED
#define PUBLISHER_H_INCLUDED

#include "mot_clock.h"
#include "mot_redis.h"
#include <czmq.h>

typedef struct _publisher_t publisher_t;

/* `pub` is the PUB socket (not owned), `clock` the service's (for the
 * lag metric); log_size bounds mot:notices once
 * published; entries is the most log entries read at a time. */
publisher_t *publisher_new (mot_redis_t *redis, mot_clock_t *clock, zsock_t *pub, long log_size, long entries);
void publisher_destroy (publisher_t **self_p);

/* Publishes the next entries of the log; returns how many entries it took
 * (0: nothing new), or -1 when Redis failed. */
long publisher_publish_next (publisher_t *self);

/* The last seq taken to publish (every notice up to it went out on PUB, or
 * was dropped there or skipped); false while the mark is not found yet. */
bool publisher_last_seq (publisher_t *self, uint64_t *seq);

#endif
