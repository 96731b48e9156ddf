/*  monthly — creating the instances of monthly (month_close) obligations.
 *
 *  Owns: key mot:watch:generated, the last period (YYYY-MM) for which every
 *  monthly obligation of the catalogue (month_close and last_update rules,
 *  anchored at the month's close) has been created, so that a restart
 *  (or a second watcher) continues where generation stopped. On each tick
 *  the instances of every period after it, up to the month before today's
 *  local date, are created (idempotently). With no progress recorded yet,
 *  generation starts at --watch-from, or else at the month before today.
 *  An obligation added to the catalogue later starts at the next period.
 */
#ifndef MONTHLY_H_INCLUDED
#define MONTHLY_H_INCLUDED

#include "obligation.h"

typedef struct _monthly_t monthly_t;

/* watch_from: "YYYY-MM" or NULL/"" for "the month before today". */
monthly_t *monthly_new (mot_redis_t *redis, mot_obligations_t *catalogue, calendar_file_t *calendars,
                        obligation_store_t *store, const char *watch_from);
void monthly_destroy (monthly_t **self_p);
/* Creates the instances of the periods due by `now` (a bounded number of
 * periods per call). False when Redis failed; the next call retries. */
bool monthly_generate (monthly_t *self, int64_t now);

#endif
