/*  commit — the classifier's atomic, idempotent step, a batch at a time.
 *
 *  Owns the Lua script and the item's fields. A batch of dispatched events is
 *  committed with ONE script call (Redis runs it as one step); per event:
 *  - evidence (queja, media, finding, risk): finds or opens the item (same
 *    kind, territory and normalised topic), adds the event as evidence,
 *    counts it per month, re-proposes the scores (impact: the highest any
 *    evidence proposed; frequency/probability: the value the unit gave, else
 *    the frequency table applied to the events of the window — the
 *    `window` calendar months ending with the month of the item's latest
 *    event date), and appends to the audit trail;
 *  - override: stores the analyst's values on the item and appends the old
 *    and new values to the audit trail; an unknown item is recorded on the
 *    event as rejected.
 *  Either way the effective values are override-else-proposal, the event is
 *  marked done (item_id, or rejected) and leaves mot:pending:classify in the
 *  same step. An event already done changes nothing, so re-driven or
 *  duplicated dispatches are harmless, and two classifiers on the same item
 *  never lose an update (Redis runs scripts one at a time).
 *
 *  The item's fields are MOT_ITEM_FIELDS in common/mot_schema.h; the two
 *  scripts' arguments are laid out in common/mot_scripts.h (RESERVE,
 *  COMMIT, EVIDENCE, OVERRIDE).
 */
#ifndef COMMIT_H_INCLUDED
#define COMMIT_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *event_id;
    const char *external_id;    /* with source: names its dedup record */
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
    const char *basis;          /* how the impact was proposed (rules_impact) */
} commit_event_t;

typedef struct {
    const char *event_id;
    const char *item_id;
    int impact;                 /* 0: not overridden */
    int vertical;               /* 0: not overridden */
    const char *category;       /* NULL or "": not overridden */
    const char *on;             /* NULL or "": not overridden */
    const char *analyst;
    const char *reason;
    const char *unit;           /* the unit that sent it */
} commit_override_t;

typedef enum {
    COMMIT_APPLIED,             /* done now */
    COMMIT_ALREADY,             /* done before (re-drive or duplicate dispatch) */
    COMMIT_REJECTED,            /* an override for an unknown item */
    COMMIT_REFUSED              /* a lifecycle command the rules refuse */
} commit_outcome_t;

/* Called once per event of a committed batch, in the order added, with the
 * item (applied, already) or the Refusal's name (refused). */
typedef void (commit_report_fn) (void *arg, const char *event_id, commit_outcome_t outcome, const char *item_id);

typedef struct _commit_t commit_t;

/* frequency_lookup: rules_frequency_lookup. window_months >= 1. */
commit_t *commit_new (mot_redis_t *redis, const char *frequency_lookup, int window_months);
void commit_destroy (commit_t **self_p);

/* Add to the batch; false on allocation failure (the event stays pending). */
bool commit_add_event (commit_t *self, const commit_event_t *event);
bool commit_add_override (commit_t *self, const commit_override_t *override);
/* A lifecycle command (lifecycle.h); false when out of memory. */
bool commit_add_command (commit_t *self, const char *event_id, const Mot__V1__Envelope *envelope);
size_t commit_size (commit_t *self);

/* Commits the batch with one script call at time `now` and empties it.
 * When the batch fails as a whole with a Redis error, each event is tried
 * alone so that one bad event cannot hold the others back. Returns how many
 * events were committed (reported); the rest stay pending in Redis and
 * intake re-drives them. */
size_t commit_run (commit_t *self, int64_t now, commit_report_fn *report, void *arg);

#endif
