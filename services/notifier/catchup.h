/*  catchup — the notices a subscriber missed, served from the notice log
 *  (the Clone pattern's snapshot: the log is the state, PUB the updates,
 *  the seq joins them), so that no subscriber needs Redis.
 *
 *  Owns: the answer to a NoticesRequest (proto/mot.proto) on the notifier's
 *  catch-up socket: the logged notices after the request's seq, up to the
 *  last seq the notifier published (never one not yet published live), whose
 *  topic starts with one of the request's prefixes, at most `max` (1000)
 *  and about 4 MB per answer, each packed with its seq exactly as PUB sends
 *  it; what the notifier would not publish is skipped as it is live. One
 *  answer looks at no more than SCAN_LIMIT logged notices; `more` says to
 *  ask again from `scanned_to`. Bad requests get a typed error (MALFORMED,
 *  TOO_LARGE, INVALID_VALUE with the field, UNAVAILABLE when Redis fails or
 *  the notifier has not found its mark yet).
 */
#ifndef CATCHUP_H_INCLUDED
#define CATCHUP_H_INCLUDED

#include "mot_redis.h"
#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

/* A NoticesRequest is small; anything larger is not one. */
#define CATCHUP_REQUEST_LIMIT 16384

typedef struct _catchup_t catchup_t;

catchup_t *catchup_new (mot_redis_t *redis);
void catchup_destroy (catchup_t **self_p);

/* Answers the request waiting on `router` (framing: mot_request);
 * `published` is the last seq the notifier published, `known` false while
 * it has not found it. */
void catchup_answer (catchup_t *self, zsock_t *router, bool known, uint64_t published);

#endif
