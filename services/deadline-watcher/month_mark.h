/*  month_mark — how far a once-a-month job of the watcher got.
 *
 *  Owns: one Redis string per job holding the last month (YYYY-MM) the job
 *  finished — mot:watch:generated (the monthly obligations, monthly.h),
 *  mot:periods:frozen (the items' positions, periods.h) — moved forward
 *  only (advance.lua), so that a restart, or a second watcher, continues
 *  where the job stopped. With no mark yet a job starts at --watch-from, or
 *  else at the month before today. Months are numbered as mot_month_index
 *  (mot_date.h) numbers them.
 */
#ifndef MONTH_MARK_H_INCLUDED
#define MONTH_MARK_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _month_mark_t month_mark_t;

/* key: the job's mark; watch_from "YYYY-MM" or NULL/"". NULL on a bad
 * watch_from (logged) or no memory. */
month_mark_t *month_mark_new (mot_redis_t *redis, const char *key, const char *watch_from);
void month_mark_destroy (month_mark_t **self_p);
/* The first month the job has not finished into *first, and the last month
 * closed by `now` (local time) into *last_closed: nothing is due while
 * *first > *last_closed. False when Redis failed. */
bool month_mark_next (month_mark_t *self, int64_t now, int *first, int *last_closed);
/* The job finished `month`: the mark moves there (never back). */
bool month_mark_advance (month_mark_t *self, int month);

#endif
