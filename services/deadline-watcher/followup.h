/*  followup — fortnightly obligations while a follow-up period is open
 *  (rule fortnight:<stem> of the catalogue).
 *
 *  Owns: hash mot:watch:followups, one field per open follow-up
 *  "<UNIT>:<code>:<ref>" with value "<opened_on> <last cut-off created or ->".
 *  A <stem>_opened trigger adds the field (a second one while open changes
 *  nothing); each tick creates, for every open follow-up, the instance of
 *  each cut-off (15th and last day of a month) after the opening day that
 *  has arrived, period "<ref>@<cut-off>", due n business days after it; a
 *  <stem>_closed trigger creates the cut-offs up to its day and removes the
 *  field. Creating is idempotent and progress only ever moves forward, so
 *  several watchers and re-sent triggers are harmless.
 */
#ifndef FOLLOWUP_H_INCLUDED
#define FOLLOWUP_H_INCLUDED

#include "obligation.h"

typedef struct _followup_t followup_t;

/* The longest ref a follow-up accepts (its periods add "@YYYY-MM-DD"). */
#define FOLLOWUP_MAX_REF (MOT_OBLIGATION_MAX_REF - 11)

followup_t *followup_new (mot_redis_t *redis, mot_obligations_t *catalogue, obligation_store_t *store);
void followup_destroy (followup_t **self_p);
/* False when Redis failed. */
bool followup_open (followup_t *self, const mot_obligation_def_t *def, const char *ref, mot_day_t opened_on);
bool followup_close (followup_t *self, const mot_obligation_def_t *def, const char *ref, mot_day_t closed_on,
                     int64_t now);
/* Creates the cut-off instances that came due for every open follow-up. */
bool followup_tick (followup_t *self, int64_t now);

#endif
