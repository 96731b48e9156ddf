/*  timers — firing the obligation timers that are due.
 *
 *  Owns: zset mot:timers, one member per pending timer, scored by the unix
 *  second it fires at: "<obligation_id>|reminder", "<obligation_id>|overdue"
 *  and "<obligation_id>|escalation|<level>"; the member is also the id of
 *  the notice it fires. Due timers fire a batch at a time: one pipelined
 *  read of their obligations; a timer its obligation no longer needs (it
 *  was delivered, or it is a reminder whose deadline has ended) is dropped
 *  silently, an escalation above the highest level (the escalation file's
 *  last, or --escalate-max) with a log line;
 *  the notices of the others are built here, then ONE call of fire.lua for
 *  the batch, which per timer removes it only if it is still there and
 *  still due (a delivery since the read removed it in its own step),
 *  records the escalation level sent (escalation_level), schedules the next
 *  escalation (level 1 after the overdue notice, up to the cap), and
 *  appends the batch's notices to the notice log as one entry
 *  (common/mot_notice_log.h); the notifier is then woken once for the batch. The
 *  batches of a tick go through one Redis connection as a pipeline: the
 *  next batch's obligations are read while the current batch's script
 *  runs.
 *  "Overdue" is not stored: an obligation is overdue while it is
 *  undelivered (status pending) after its deadline day (due_at); the
 *  reporter shows it so. That keeps a burst of overdue notices from
 *  writing to every obligation.
 *  Several watchers may run: only the one whose script removed the timer
 *  logs the notice, so each timer fires once, and a watcher killed at any
 *  point loses nothing.
 *
 *  Catch-up: timers missed by more than `grace` seconds (the system was
 *  down, or behind) fire at most `limit` a call, earliest fire time first
 *  (deadline order), so after a downtime everything missed goes out in order
 *  at a bounded rate, logged with catch_up=1 and marked catch_up on the
 *  notice (its text then says "notificación tardía"); timers due within
 *  the last `grace` seconds fire all in the same call, in batches, so a
 *  burst of deadlines ending together is not slowed down by that bound.
 */
#ifndef TIMERS_H_INCLUDED
#define TIMERS_H_INCLUDED

#include "calendar_file.h"
#include "escalation.h"
#include "mot_redis.h"
#include "obligation.h"
#include "notice_log.h"
#include <stdint.h>

typedef struct _timers_t timers_t;

timers_t *timers_new (mot_redis_t *redis, calendar_file_t *calendars, notice_log_t *log, obligation_store_t *store,
                      escalation_t *escalation, int64_t grace);
void timers_destroy (timers_t **self_p);
/* Fires the timers due at `now` (missed ones: at most `limit`); returns how many fired. */
int timers_fire_due (timers_t *self, int64_t now, long limit);

#endif
