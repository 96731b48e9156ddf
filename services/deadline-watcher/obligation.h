/*  obligation — obligation instances in Redis, and their state changes.
 *
 *  Owns: the obligation instances in Redis (keys and fields in
 *  common/mot_schema.h: hash mot:obl:{<id>} with MOT_OBLIGATION_FIELDS —
 *  anchor + n, deadline = n business days after anchor, due_at = unix end
 *  of the deadline day, status pending, delivered or delivered_late
 *  (overdue is not stored: pending after due_at), escalation_level = last
 *  level sent; or, for an after: obligation whose inputs are not all
 *  delivered, status waiting with the missing ones in waiting_for and no
 *  deadline —, its audit list of deadline changes, its entry in mot:obls
 *  by deadline day number (a waiting one: its month's close) and its timers
 *  in mot:timers (none while waiting): the reminder at
 *  the start of the reminder day, the overdue timer at due_at + 1, and
 *  while overdue one escalation at the start of the day the obligation is
 *  level × escalate_every_bd business days late (members: mot_timer_member;
 *  each is also the id of the notice it fires; nothing else per timer).
 *  Each change is one Lua script beside this file (create.lua, a batch of
 *  instances per call; await.lua; deliver.lua; reschedule.lua; layouts in
 *  common/mot_scripts.h), idempotent: creating twice creates once, a
 *  delivery is applied once per obligation (the first delivery event wins)
 *  and cancels every pending timer; the intake event that caused a change
 *  leaves mot:pending:watch in the same step.
 */
#ifndef OBLIGATION_H_INCLUDED
#define OBLIGATION_H_INCLUDED

/* The watcher's timers counter, by outcome (obligation.c counts the
 * created ones, timers.c the fired and dropped ones). */
#define MOT_WATCHER_TIMERS_METRIC "mot_watcher_timers_total"
#define MOT_WATCHER_TIMERS_HELP                                                                                   \
    "Timers by outcome: created (a new obligation's reminder and overdue), fired (its notice entered the log), " \
    "dropped (removed unfired: no longer needed, e.g. a reminder past its deadline, its obligation gone or unreadable, " \
    "a level beyond the last)."

#include "calendar_file.h"
#include "mot_obligations.h"
#include "mot_redis.h"
#include "notice_log.h"

typedef struct _obligation_store_t obligation_store_t;

typedef enum {
    OBLIGATION_FAILED = -1,         /* Redis unavailable or error: retry later */
    OBLIGATION_UNCHANGED = 0,       /* already there / already applied */
    OBLIGATION_CHANGED = 1
} obligation_result_t;

/* When the notices of an obligation fire. */
typedef struct {
    int remind_bd;                  /* reminder this many bd before the deadline (0: none) */
    int escalate_every_bd;          /* escalation every this many bd overdue (0: none) */
    int escalate_max;               /* highest escalation level */
} obligation_timing_t;

/* One instance to create. */
typedef struct {
    const mot_obligation_def_t *def;
    const char *period;
    mot_day_t anchor;               /* deadline = n business days after anchor */
    int n;
    const char *territory;          /* NULL: unknown */
    const char *responsible;        /* NULL: unknown */
    const char *event_id;           /* NULL, or the intake event to commit in the same step */
} obligation_spec_t;

obligation_store_t *obligation_store_new (mot_redis_t *redis, calendar_file_t *calendars, notice_log_t *log,
                                          obligation_timing_t timing);
void obligation_store_destroy (obligation_store_t **self_p);
obligation_timing_t obligation_store_timing (obligation_store_t *self);

/* The instance with its timers, unless it exists. */
obligation_result_t obligation_store_create (obligation_store_t *self, const obligation_spec_t *spec, int64_t now);
/* The same for `count` instances in ONE script call (create.lua); results[i]
 * for specs[i]. False when Redis failed (every result OBLIGATION_FAILED). */
bool obligation_store_create_many (obligation_store_t *self, const obligation_spec_t *specs, size_t count,
                                   int64_t now, obligation_result_t *results);

/* An after: obligation (def) of `period`, whose month closed on `close`,
 * against the reports def->deps names: while one of them is not delivered
 * it waits (created with status waiting, or its list of missing reports
 * brought up to date; logged obligation_waiting); once all are, it is
 * created pending (a waiting one made pending), due def->n business days
 * after the later of `close` and the last delivery. CHANGED when it became
 * pending now; UNCHANGED while it waits, or when it was pending or
 * delivered already. */
obligation_result_t obligation_store_await (obligation_store_t *self, const mot_obligation_def_t *def,
                                            const char *period, mot_day_t close, int64_t now);

/* Records the delivery of (def, period) made on `delivered_on` by intake
 * event `event_id`: creates the instance if it did not exist yet (an event
 * obligation delivered before its trigger has no deadline), cancels its
 * timers, sets status delivered or delivered_late with the business days
 * late (mot_obligation_business_days_late: a delivery on a non-business day
 * counts as received on the next business day) and, when late, records and
 * pushes a DELIVERED_LATE notice. The
 * event leaves mot:pending:watch in the same step unless keep_pending (the
 * caller has more to do first, and commits it itself). */
obligation_result_t obligation_store_deliver (obligation_store_t *self, const mot_obligation_def_t *def,
                                              const char *period, mot_day_t delivered_on,
                                              const char *event_id, bool keep_pending, int64_t now);

/* Moves the anchor of a still pending instance forward to `anchor` (a
 * later "last update"): new deadline and timers, an audit entry. UNCHANGED
 * when it is not pending, or the anchor is not later. */
obligation_result_t obligation_store_move_anchor (obligation_store_t *self, const char *obligation_id,
                                                  mot_day_t anchor, const char *reason, int64_t now);
/* Sets the anchor of a still pending instance to another day (a due date
 * rescheduled, earlier or later): new deadline and timers, an audit entry
 * with `reason`. UNCHANGED when it is not pending or the day is the same. */
obligation_result_t obligation_store_set_anchor (obligation_store_t *self, const char *obligation_id,
                                                 mot_day_t anchor, const char *reason, int64_t now);

/* After a calendar change: recomputes the deadline of every pending or
 * overdue instance from its anchor, moves its timers, and records each
 * change in its audit list and a summary in mot:calendar:audit. Returns how
 * many deadlines moved, -1 when Redis failed (the next reload retries). */
long obligation_store_recompute (obligation_store_t *self, int64_t now);

/* The status and delivered_on of an instance: *status "" when it does not
 * exist, *delivered_on 0 when not delivered. False when Redis failed. */
bool obligation_store_delivery_of (obligation_store_t *self, const char *obligation_id, char status[24],
                                   mot_day_t *delivered_on);

/* Commits (ZREMs) an intake event this module did not take out itself. */
void obligation_store_commit_event (obligation_store_t *self, const char *event_id);

/* The start (unix seconds) of the reminder day, or -1 when there is none
 * (disabled, or the deadline ended before `now`). */
int64_t obligation_reminder_at (obligation_store_t *self, mot_day_t deadline, int64_t now);
/* The start (unix seconds) of escalation `level`'s day. */
int64_t obligation_escalation_at (obligation_store_t *self, mot_day_t deadline, int level);

#endif
