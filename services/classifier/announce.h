/*  announce — the classifier's notices about items.
 *
 *  Owns: turning the facts the classifier's step records in mot:outbox
 *  (MOT_FACT_FIELDS in mot_schema.h: an item entered quadrant I, moved to
 *  a worse quadrant, was registered residual, got a recommendation, was
 *  closed) into notices with their Spanish text (mot_notice_text), logged
 *  by notify.lua: facts leave the outbox in the same step their notices
 *  enter the notice log, so each is announced once whichever classifier
 *  drains it, and the facts a classifier left when it died are announced
 *  by the next drain of any. The notifier publishes them as it publishes
 *  the watcher's, on topics "item/<ON or addressee>/<territory>/<kind>".
 */
#ifndef ANNOUNCE_H_INCLUDED
#define ANNOUNCE_H_INCLUDED

#include "mot_redis.h"

typedef struct _announce_t announce_t;

announce_t *announce_new (mot_redis_t *redis);
void announce_destroy (announce_t **self_p);

/* Logs the notices of every fact in the outbox, a batch at a time.
 * Returns how many notices it logged, -1 when Redis failed (the facts stay
 * for the next drain). */
long announce_drain (announce_t *self);

#endif
