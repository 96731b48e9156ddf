/*  publisher — publishing each notice once, with a sequence number, and
 *  keeping the replay log, a batch of notices at a time.
 *
 *  Owns: the counter mot:seq:notice, the bounded list mot:notices (packed
 *  Notices with seq and text, newest first), and taking notices out of the
 *  watcher's outbox (mot:outbox, mot:outbox:notices; see the watcher's
 *  outbox.h). ONE Lua script call (publish.lua) per batch; per notice, in
 *  the order given:
 *  - a notice still in the outbox gets the next seq, is appended to the log
 *    and leaves the outbox: it is published now;
 *  - a notice no longer in the outbox was published before (the watcher
 *    re-sent it before it saw it gone, or the same notice_id came earlier in
 *    the batch) and is NOT published again; nor is one no watcher recorded.
 *  So taking a notice out of the outbox is the once-only step, and nothing
 *  per notice stays in Redis but its entry in the bounded log.
 *  The log is written with one LPUSH in seq order (so it stays newest first)
 *  and trimmed once to the log size. Only after the script are the new
 *  notices published, in seq order, as [topic][packed Notice] (PUB never
 *  blocks: a notice the socket refuses is logged publish_dropped and stays
 *  in the log).
 *  The seq is added inside the script by appending protobuf field 11
 *  (varint) to the packed bytes: a concatenation of encodings is a valid
 *  encoding, so the log and the PUB carry exactly the same bytes.
 *  If the process dies between the script and the PUB the notices are in the
 *  log but were not published live: subscribers catch up from the log by seq.
 *  If Redis is unavailable (a NULL reply: the outcome is unknown) nothing of
 *  the batch is published live; the watcher re-sends what is still in its
 *  outbox.
 */
#ifndef PUBLISHER_H_INCLUDED
#define PUBLISHER_H_INCLUDED

#include "mot_redis.h"
#include "mot.pb-c.h"
#include <czmq.h>

typedef struct _publisher_t publisher_t;

/* `pub` is the PUB socket (not owned); log_size bounds mot:notices. */
publisher_t *publisher_new (mot_redis_t *redis, zsock_t *pub, long log_size);
void publisher_destroy (publisher_t **self_p);

typedef enum {
    PUBLISH_FAILED = -1,            /* Redis unavailable: the watcher will re-send */
    PUBLISH_DUPLICATE = 0,          /* not in the outbox: published before (or earlier in the batch) */
    PUBLISH_SENT = 1
} publish_result_t;

/* Publishes notices[i] (its seq is ignored and cleared; its text must be
 * set) under topics[i], for i < count, with one script call. Sets
 * results[i], and seqs[i], the notice's sequence number when results[i] is
 * PUBLISH_SENT. */
void publisher_publish_batch (publisher_t *self, Mot__V1__Notice **notices, char **topics, size_t count,
                              uint64_t *seqs, publish_result_t *results);

#endif
