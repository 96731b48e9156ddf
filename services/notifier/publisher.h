/*  publisher — publishing each notice once, with a sequence number, and
 *  keeping the replay log.
 *
 *  Owns: field "seq" of hash mot:notice:<notice_id>, counter mot:seq:notice,
 *  the bounded list mot:notices (packed Notices with seq and text, newest
 *  first) and taking published ids out of mot:outbox. One Lua script per
 *  notice: when the notice already has a seq it was published before, so it
 *  is only taken out of the outbox and NOT published again (the watcher
 *  re-sends until it sees it gone); otherwise it gets the next seq, is
 *  appended to the log (trimmed to the log size) and leaves the outbox, and
 *  only then is it published as [topic][packed Notice].
 *  The seq is added inside the script by appending protobuf field 11
 *  (varint) to the packed bytes: a concatenation of encodings is a valid
 *  encoding, so the log and the PUB carry exactly the same bytes.
 *  If the process dies between the script and the PUB the notice is in the
 *  log but was not published live: subscribers catch up from the log by seq.
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
    PUBLISH_DUPLICATE = 0,          /* published before, not again */
    PUBLISH_SENT = 1
} publish_result_t;

/* Publishes `notice` (its seq is ignored; its text must be set) under `topic`.
 * *seq is the notice's sequence number unless PUBLISH_FAILED. */
publish_result_t publisher_publish (publisher_t *self, Mot__V1__Notice *notice, const char *topic,
                                    uint64_t *seq);

#endif
