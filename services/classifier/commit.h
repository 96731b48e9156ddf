/*  commit — the classifier's one atomic step per event.
 *
 *  Owns the Lua script that, for one event, finds or opens the item (same
 *  kind, territory and normalised topic), adds the event as evidence, counts
 *  it per month, re-scores the item (impact, frequency/probability, quadrant)
 *  and appends to its audit trail — and removes the event from the pending
 *  hand-off set in the same step. Applying an event twice changes nothing,
 *  so re-driven or duplicated dispatches are harmless, and two classifiers
 *  working on the same item never lose an update (Redis runs scripts one at
 *  a time).
 */
#ifndef COMMIT_H_INCLUDED
#define COMMIT_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *event_id;
    const char *kind;           /* "problematica" | "riesgo" */
    const char *source;
    const char *territory;
    const char *topic;          /* as received */
    const char *topic_key;      /* normalised */
    const char *day;            /* YYYY-MM-DD of the event */
    const char *category;
    const char *on;
    int impact;                 /* proposed for this event, 1..10 */
    int given_vertical;         /* frequency/probability given by the unit, 0 if none */
    const char *rule;           /* keyword that matched, "" if none */
    int64_t now;
} commit_event_t;

typedef struct _commit_t commit_t;

commit_t *commit_new (mot_redis_t *redis, const char *frequency_table);
void commit_destroy (commit_t **self_p);

/* Applies the event. Returns false when Redis is unavailable or refused
 * (the hand-off stays pending and will be re-driven). *item_id (caller
 * frees) names the item; *applied is false when the event had been applied
 * before. */
bool commit_event (commit_t *self, const commit_event_t *event, char **item_id, bool *applied);

#endif
