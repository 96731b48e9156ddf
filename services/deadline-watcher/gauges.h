/*  gauges — the watcher's gauges that live in Redis.
 *
 *  Owns: mot_timers_pending (the members of mot:timers) and
 *  mot_obligations_overdue (obligations still pending after their deadline
 *  day: those of mot:obls scored before today, local time, whose status is
 *  pending — as the reporter's `estado` says overdue), read every
 *  MOT_METRICS_REFRESH_MS from the watcher's loop on its own connection.
 *  Several watchers report the same values: aggregate them with max, not
 *  sum.
 */
#ifndef GAUGES_H_INCLUDED
#define GAUGES_H_INCLUDED

#include "mot_redis.h"
#include <stdint.h>

typedef struct _gauges_t gauges_t;

gauges_t *gauges_new (mot_redis_t *redis);
void gauges_destroy (gauges_t **self_p);
/* Reads both from Redis (now: the service clock); a gauge keeps its last
 * value when Redis fails. */
void gauges_refresh (gauges_t *self, int64_t now);

#endif
