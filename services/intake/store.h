/*  store — intake's side of Redis: accept once, remember the hand-off.
 *
 *  Owns: the atomic "accept" step for a batch of envelopes (deduplicate on
 *  (source, external id), store each sanitised envelope under a new event id,
 *  record the pending hand-off to the next stage) and the re-drive of
 *  hand-offs that the next stage has not committed within a timeout.
 *  Deduplication keys do not expire while their item is open (MOT-SPEC: as
 *  long as the item is open and at least 90 days; closing an item is what
 *  will give them a 90-day expiry).
 */
#ifndef STORE_H_INCLUDED
#define STORE_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _store_t store_t;

typedef enum { STORE_ACCEPTED, STORE_DUPLICATE, STORE_UNAVAILABLE } store_result_t;

/* One envelope to accept; the store fills result and event_id. */
typedef struct {
    const char *source;
    const char *external_id;
    const char *type;
    const uint8_t *envelope;    /* packed, sanitised */
    size_t size;
    const char *pending_key;    /* the next stage's pending set */
    store_result_t result;
    char *event_id;             /* new id, or the original one for a duplicate; caller frees */
} store_request_t;

/* pool_size: how many event numbers the store keeps reserved ahead (the
 * largest batch: then a batch never waits for numbers). */
store_t *store_new (mot_redis_t *redis, size_t pool_size);
void store_destroy (store_t **self_p);

/* Accepts `count` envelopes in one atomic Redis step: each is deduplicated
 * on (source, external id) — also against the others in the batch — stored
 * under a new event id, and its hand-off recorded as sent at `sent_ms`.
 * When Redis is unavailable every request's result is STORE_UNAVAILABLE and
 * nothing was stored. */
void store_accept_batch (store_t *self, store_request_t *requests, size_t count, int64_t received_at,
                         int64_t sent_ms);

/* Claims up to `limit` hand-offs of `pending_key` last sent before
 * `older_than_ms`, marks them sent at `now_ms`, and calls fn for each with
 * its stored envelope until fn returns false (could not send now); those not
 * sent are marked as never sent, so the next claim takes them first.
 * Returns how many were sent, -1 when Redis is unavailable; *full is true
 * when the claim was full and everything was sent (there may be more). */
typedef bool (store_redrive_fn) (const char *event_id, const uint8_t *envelope, size_t size, void *arg);
int store_redrive (store_t *self, const char *pending_key, int64_t older_than_ms, int64_t now_ms, int limit,
                   store_redrive_fn *fn, void *arg, bool *full);

#endif
