/*  timers — firing the obligation timers that are due.
 *
 *  Owns: zset mot:timers ("<obligation_id>|reminder" and
 *  "<obligation_id>|overdue", scored by the unix second they fire at). A due
 *  timer fires in one Lua script that removes it only if it is still there,
 *  checks the obligation is still pending, marks it overdue (for "overdue"),
 *  and records the notice in mot:notice:<id> and mot:outbox. Several watchers
 *  may run: only the one whose script removed the timer sends the notice, so
 *  each timer fires once. A reminder whose deadline has already ended is
 *  dropped silently (catch-up after downtime).
 */
#ifndef TIMERS_H_INCLUDED
#define TIMERS_H_INCLUDED

#include "mot_calendar.h"
#include "mot_redis.h"
#include "outbox.h"
#include <stdint.h>

typedef struct _timers_t timers_t;

timers_t *timers_new (mot_redis_t *redis, mot_calendar_t *calendar, outbox_t *outbox);
void timers_destroy (timers_t **self_p);
/* Fires up to a batch of timers due at `now`; returns how many fired. */
int timers_fire_due (timers_t *self, int64_t now);

#endif
