/*  periods — freezing every open item's position as each month closes
 *  (the maps' movement and an item's evolution, period by period).
 *
 *  Owns: keys mot:periods (YYYY-MM → when its positions were frozen),
 *  mot:periods:frozen (the last month whose positions are all frozen) and
 *  the items' positions hashes (mot:item:{id}:positions, YYYY-MM → the
 *  position, MOT_POSITION_FORMAT in mot_schema.h).
 *  A month's position of an item is its effective impact, vertical score,
 *  quadrant and stage when the month is frozen: on the watcher's first tick
 *  after the month's close (local time), a chunk of items per tick. An item
 *  gets one if it was created before the close and was open at the close
 *  (not closed, or closed after it). Freezing is idempotent (HSETNX: the
 *  first position written for a month stays), so a restart, or a second
 *  watcher, that freezes a month again changes nothing. With no month
 *  frozen yet, freezing starts at --watch-from, or else at the month before
 *  today; months that closed while no watcher ran are frozen at the
 *  restart, with the values of that moment (mot:periods says when).
 */
#ifndef PERIODS_H_INCLUDED
#define PERIODS_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _periods_t periods_t;

/* watch_from: "YYYY-MM" or NULL/"" for "the month before today"; per_tick:
 * the most items read per call. NULL on a bad watch_from or no memory. */
periods_t *periods_new (mot_redis_t *redis, const char *watch_from, size_t per_tick);
void periods_destroy (periods_t **self_p);
/* Freezes the next chunk of the first month closed by `now` and not yet
 * frozen (nothing when every closed month is). False when Redis failed;
 * the next call retries. */
bool periods_freeze (periods_t *self, int64_t now);

#endif
