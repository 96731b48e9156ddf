/*  monthly — creating the instances of the obligations that fall due as
 *  months close.
 *
 *  Owns: key mot:watch:generated, the last month (YYYY-MM) whose close has
 *  been handled, so that a restart (or a second watcher) continues where
 *  generation stopped. Handling a month's close creates, idempotently, the
 *  instances of every monthly obligation of the catalogue (month_close and
 *  last_update rules, anchored at the month's close) for that month; of
 *  every quarter_close obligation when the month ends a quarter (March,
 *  June, September, December: period YYYY-Qn); and the month's after:
 *  obligations, waiting for their inputs or already pending (see
 *  obligation_store_await). On each tick the months after the mark, up to
 *  the month before today's local date, are handled. With no progress
 *  recorded yet, generation starts at --watch-from, or else at the month
 *  before today. An obligation added to the catalogue later starts at the
 *  next period.
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
