/*  obligation — obligation instances in Redis, and their state changes.
 *
 *  Owns: hash mot:obl:{<obligation_id>} (id, unit, report, report_name,
 *  period, deadline, due_at = unix end of the deadline day, status
 *  pending|overdue|delivered|delivered_late, delivered_on, business_days_late,
 *  delivery_event, created_at), its entry in zset mot:obls (score: deadline
 *  day number) and its timers in zset mot:timers ("<id>|reminder" at the
 *  start of the reminder day, "<id>|overdue" at due_at + 1). Each change is
 *  one Lua script, idempotent: creating twice creates once, and a delivery is
 *  applied once per obligation (the first delivery event wins; the event id
 *  is taken out of mot:pending:watch in the same step).
 */
#ifndef OBLIGATION_H_INCLUDED
#define OBLIGATION_H_INCLUDED

#include "mot_calendar.h"
#include "mot_obligations.h"
#include "mot_redis.h"
#include "outbox.h"

typedef struct _obligation_store_t obligation_store_t;

typedef enum {
    OBLIGATION_FAILED = -1,         /* Redis unavailable or error: retry later */
    OBLIGATION_UNCHANGED = 0,       /* already there / already applied */
    OBLIGATION_CHANGED = 1
} obligation_result_t;

/* remind_bd: business days before the deadline for the reminder (0: none). */
obligation_store_t *obligation_store_new (mot_redis_t *redis, mot_calendar_t *calendar, outbox_t *outbox,
                                          int remind_bd);
void obligation_store_destroy (obligation_store_t **self_p);

/* The instance of `def` for `period` due on `deadline`, with its timers. */
obligation_result_t obligation_store_create (obligation_store_t *self, const mot_obligation_def_t *def,
                                             const char *period, mot_day_t deadline, int64_t now);

/* Records the delivery of (def, period) made on `delivered_on` by intake
 * event `event_id`: creates the instance if it did not exist yet (an event
 * obligation delivered before its trigger has no deadline), clears its
 * timers, sets status delivered or delivered_late with the business days
 * late, takes event_id out of mot:pending:watch and, when late, records and
 * pushes a DELIVERED_LATE notice. */
obligation_result_t obligation_store_deliver (obligation_store_t *self, const mot_obligation_def_t *def,
                                              const char *period, mot_day_t delivered_on,
                                              const char *event_id, int64_t now);

/* "mot:obl:{<obligation_id>}" (malloc'd). */
char *obligation_key (const char *obligation_id);

#endif
