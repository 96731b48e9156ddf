/*  store — intake's side of Redis: accept once, remember the hand-off.
 *
 *  Owns: the atomic "accept" step (deduplicate on (source, external id),
 *  store the sanitised envelope under a new event id, record the pending
 *  hand-off to the next stage) and the re-drive of hand-offs that the next
 *  stage has not committed within a timeout.
 */
#ifndef STORE_H_INCLUDED
#define STORE_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _store_t store_t;

typedef enum { STORE_ACCEPTED, STORE_DUPLICATE, STORE_UNAVAILABLE } store_result_t;

store_t *store_new (mot_redis_t *redis, long dedup_days);
void store_destroy (store_t **self_p);

/* Stores the packed, sanitised envelope. `pending_key` names the next
 * stage's pending set; `sent_ms` is the hand-off time. Sets *event_id (caller
 * frees) to the new id, or the original one for a duplicate. */
store_result_t store_accept (store_t *self, const char *source, const char *external_id,
                             const char *type, const uint8_t *envelope, size_t size,
                             const char *pending_key, int64_t received_at, int64_t sent_ms,
                             char **event_id);

/* Calls fn for each hand-off in `pending_key` last sent before
 * `older_than_ms` (at most `limit`), with the stored envelope, and marks it
 * sent again at `now_ms`. Returns how many were re-driven, -1 when Redis is
 * unavailable. */
typedef void (store_redrive_fn) (const char *event_id, const uint8_t *envelope, size_t size, void *arg);
int store_redrive (store_t *self, const char *pending_key, int64_t older_than_ms, int64_t now_ms,
                   int limit, store_redrive_fn *fn, void *arg);

#endif
