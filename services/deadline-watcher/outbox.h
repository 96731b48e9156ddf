/*  outbox — notices from the deadline-watcher to the notifier.
 *
 *  Owns: how a notice leaves the watcher. A notice is first written to Redis
 *  (zset mot:outbox: notice id scored by the send time, Redis TIME; hash
 *  mot:outbox:notices: notice id -> packed Notice without seq or text) by
 *  the Lua script of the state change that caused it, and only then pushed
 *  to the notifier, without blocking. The notifier publishes a notice only
 *  while it is in the outbox and takes it out in the same step, so each is
 *  published once; entries still there after a timeout are re-sent.
 *  Notice ids are "<obligation_id>|<kind>" with kind the topic word
 *  ("reminder", "overdue", "delivered_late").
 */
#ifndef OUTBOX_H_INCLUDED
#define OUTBOX_H_INCLUDED

#include "mot_redis.h"
#include "mot_wire.h"
#include <stdint.h>

typedef struct _outbox_t outbox_t;

/* `notifier` is the PUSH socket towards the notifier (not owned). */
outbox_t *outbox_new (mot_redis_t *redis, zsock_t *notifier);
void outbox_destroy (outbox_t **self_p);

/* "<obligation_id>|<kind word>" (malloc'd; NULL on allocation failure). */
char *outbox_notice_id (const char *obligation_id, Mot__V1__NoticeKind kind);
/* The packed notice (malloc'd, *size set; NULL on allocation failure). */
uint8_t *outbox_pack (const Mot__V1__Notice *notice, size_t *size);

/* Pushes a packed notice already recorded in Redis. False when it could not
 * be queued now (re-drive will try again). */
bool outbox_push (outbox_t *self, const uint8_t *packed, size_t size);
/* Re-sends up to a batch of outbox entries last sent older_than seconds ago
 * or more and marks them sent now; "now" is Redis's real time (TIME), the
 * same clock the scripts score mot:outbox with. */
void outbox_redrive (outbox_t *self, int64_t older_than);

#endif
