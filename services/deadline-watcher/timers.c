/*  timers — firing due obligation timers exactly once, a batch at a time
 *  (see timers.h).
 */
#include "timers.h"
#include "mot_call.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_log.h"
#include "mot_metrics.h"
#include "mot_wire.h"
#include "mot_notice_log.h"

#include <czmq.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fire_lua.h"

/* Due timers are read, and fired, this many at a time (one pipelined read of
 * their obligations, one script call, one entry of the notice log). */
#define FIRE_BATCH MOT_NOTICE_LOG_WRITE_MAX
/* Timers due now (not missed) are fetched up to this many batches at once
 * (they go through the pipeline below), and up to ON_TIME_ROUNDS such
 * fetches a tick. */
#define FETCH_BATCHES 20
#define ON_TIME_ROUNDS 10

struct _timers_t {
    mot_redis_t *redis;
    calendar_file_t *calendars;
    notice_log_t *log;
    obligation_store_t *store;
    escalation_t *escalation;
    int64_t grace;
    mot_script_t *fire;
    mot_counter_t *fired, *dropped;
    mot_histogram_t *lag;
};

/* The fields of an obligation a notice needs, as read from its hash; the
 * first F_REQUIRED must be there. (Its unit, report and period are in its
 * id, "<UNIT>:<report>:<period>", which the timer's member starts with.) */
enum { F_REPORT_NAME, F_DEADLINE, F_STATUS, F_REQUIRED, F_TERRITORY = F_REQUIRED, F_RESPONSIBLE, F_DUE_AT, F_COUNT };

/* One due timer on its way through a batch. */
typedef struct {
    const char *member;             /* as in the zset, and the notice id */
    int64_t due;                    /* its score */
    char *obligation_id;            /* parsed from member (malloc'd) */
    char *parts;                    /* a copy of it, cut into the three below (malloc'd) */
    Mot__V1__Source unit;
    const char *report, *period;
    Mot__V1__NoticeKind kind;
    int level;                      /* escalations */
    char *key;                      /* the obligation's hash */
    redisReply *fields;             /* read from it */
    char *next;                     /* the next escalation's member, "" none */
    char next_at[24];
    char mark[16];                  /* the escalation level fire.lua records ("" none) */
    bool ready;                     /* its notice is in the batch: goes into the script */
    bool obsolete;                  /* unreadable, or its obligation is gone or no longer needs it */
} firing_t;

timers_t *
timers_new (mot_redis_t *redis, calendar_file_t *calendars, notice_log_t *log, obligation_store_t *store,
            escalation_t *escalation, int64_t grace)
{
    timers_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->calendars = calendars;
    self->log = log;
    self->store = store;
    self->escalation = escalation;
    self->grace = grace;
    static const double lag[] = {MOT_METRICS_LAG_BUCKETS};
    self->fired = mot_metrics_counter (MOT_WATCHER_TIMERS_METRIC, MOT_WATCHER_TIMERS_HELP, "outcome", "fired", NULL);
    self->dropped = mot_metrics_counter (MOT_WATCHER_TIMERS_METRIC, MOT_WATCHER_TIMERS_HELP, "outcome", "dropped", NULL);
    self->lag = mot_metrics_histogram ("mot_watcher_firing_lag_seconds",
                                       "From a timer's time to its notice entering the log (catch-ups included).", lag,
                                       sizeof lag / sizeof *lag, NULL);
    self->fire = mot_script_new (fire_lua);
    if (!self->fire)
        timers_destroy (&self);
    return self;
}

void
timers_destroy (timers_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->fire);
    free (*self_p);
    *self_p = NULL;
}

static void
firing_clear (firing_t *firing)
{
    free (firing->obligation_id);
    free (firing->key);
    if (firing->fields)
        freeReplyObject (firing->fields);
    free (firing->next);
    free (firing->parts);
    memset (firing, 0, sizeof *firing);
}

/* ---- reading ------------------------------------------------------------ */

/* Cuts the obligation id into its unit, report and period. */
static bool
split_obligation_id (firing_t *firing)
{
    firing->parts = strdup (firing->obligation_id);
    char *unit = firing->parts;
    char *report = unit ? strchr (unit, ':') : NULL;
    char *period = report ? strchr (report + 1, ':') : NULL;
    if (!period || !period[1])
        return false;
    *report++ = 0;
    *period++ = 0;
    firing->report = report;
    firing->period = period;
    return *report && mot_source_parse (unit, &firing->unit);
}

/* ---- the notice --------------------------------------------------------- */

static char *
optional_field (redisReply *fields, int index)
{
    redisReply *field = fields->element[index];
    return field->type == REDIS_REPLY_STRING && field->len > 0 ? field->str : NULL;
}

/* Business days from the deadline to today's local date (0 before). */
static int
business_days_late (timers_t *self, const char *deadline_text, int64_t now)
{
    mot_day_t deadline;
    if (!mot_day_parse (deadline_text, &deadline))
        return 0;
    return mot_calendar_business_days_between (calendar_file_current (self->calendars), deadline,
                                               mot_day_local_of (now));
}

/* Appends the timer's notice to the batch's notices. */
static bool
add_notice (timers_t *self, const firing_t *firing, int64_t now, mot_notice_batch_t *notices)
{
    redisReply *fields = firing->fields;
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) firing->member;
    notice.kind = firing->kind;
    notice.unit = firing->unit;
    notice.report = (char *) firing->report;
    notice.report_name = fields->element[F_REPORT_NAME]->str;
    notice.period = (char *) firing->period;
    notice.deadline = fields->element[F_DEADLINE]->str;
    notice.obligation_id = firing->obligation_id;
    notice.territory = optional_field (fields, F_TERRITORY);
    notice.responsible = optional_field (fields, F_RESPONSIBLE);
    notice.has_fired_at = true;
    notice.fired_at = now;
    notice.has_catch_up = true;
    notice.catch_up = now - firing->due > self->grace;
    if (firing->kind != MOT__V1__NOTICE_KIND__REMINDER) {
        notice.has_business_days_late = true;
        notice.business_days_late = (uint32_t) business_days_late (self, notice.deadline, now);
    }
    if (firing->kind == MOT__V1__NOTICE_KIND__ESCALATION) {
        notice.has_escalation_level = true;
        notice.escalation_level = (uint32_t) firing->level;
        notice.recipients = escalation_recipients (self->escalation, firing->level, &notice.n_recipients);
    }
    return mot_notice_batch_append (notices, &notice);
}

/* The escalation that follows this timer ("" when none), and its time. */
static char *
next_timer (timers_t *self, const firing_t *firing, char at[24])
{
    obligation_timing_t timing = obligation_store_timing (self->store);
    int level = firing->kind == MOT__V1__NOTICE_KIND__OVERDUE      ? 1
              : firing->kind == MOT__V1__NOTICE_KIND__ESCALATION ? firing->level + 1
                                                                 : 0;
    mot_day_t deadline;
    at[0] = 0;
    if (level == 0 || timing.escalate_every_bd <= 0 || level > timing.escalate_max
        || !mot_day_parse (firing->fields->element[F_DEADLINE]->str, &deadline))
        return strdup ("");
    snprintf (at, 24, "%lld", (long long) obligation_escalation_at (self->store, deadline, level));
    return mot_timer_member (firing->obligation_id, MOT__V1__NOTICE_KIND__ESCALATION, level);
}

/* Whether the obligation, as just read, still needs this timer: not
 * delivered (status pending; "overdue", from older versions, counts as
 * pending), and for a reminder its deadline not yet ended. (A delivery
 * cancels the timers in its own step, so this only weeds out what an
 * interrupted older step may have left.) */
static bool
still_needed (const firing_t *firing, int64_t now)
{
    if (!mot_status_is_pending (firing->fields->element[F_STATUS]->str))
        return false;
    const char *due_at = optional_field (firing->fields, F_DUE_AT);
    return firing->kind != MOT__V1__NOTICE_KIND__REMINDER || !due_at || now <= strtoll (due_at, NULL, 10);
}

/* An escalation above the highest level (a timer an earlier run scheduled
 * with a longer escalation file or a higher --escalate-max): it is not sent,
 * since no level goes beyond the file's last one. */
static bool
beyond_last_level (timers_t *self, const firing_t *firing)
{
    if (firing->kind != MOT__V1__NOTICE_KIND__ESCALATION
        || firing->level <= obligation_store_timing (self->store).escalate_max)
        return false;
    mot_log_warn ("timer_dropped", "obligation_id=%s reason=level_above_escalate_max level=%d", firing->obligation_id,
                  firing->level);
    return true;
}

/* ---- a batch through the pipeline -------------------------------------- */

/* One batch of due timers on its way: its obligations read, its notices
 * built, fired by one script call. Each step either appends commands or
 * reads the replies of those it appended, so that two batches can be in
 * flight on the one connection (see fire_timers). */
typedef struct {
    firing_t *timers;
    size_t count;
    size_t reads;                   /* HMGETs appended: replies to read */
    size_t ready;                   /* timers whose notice is in `notices` */
    mot_notice_batch_t notices;
    bool zrem_sent, fire_sent;      /* replies to read */
    bool failed;                    /* Redis failed: its timers stay and fire later */
} batch_t;

static void
batch_free (batch_t *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        firing_clear (&batch->timers[i]);
    free (batch->timers);
    mot_notice_batch_clear (&batch->notices);
    memset (batch, 0, sizeof *batch);
}

/* Takes a slice of a ZRANGEBYSCORE … WITHSCORES reply and appends one HMGET
 * per timer it can parse (the others are obsolete). */
static void
batch_start (timers_t *self, batch_t *batch, redisReply **elements, size_t count)
{
    memset (batch, 0, sizeof *batch);
    mot_notice_batch_init (&batch->notices);
    batch->timers = calloc (count, sizeof *batch->timers);
    batch->failed = batch->timers == NULL;
    batch->count = batch->timers ? count : 0;
    for (size_t i = 0; i < batch->count && !batch->failed; i++) {
        firing_t *f = &batch->timers[i];
        f->member = elements[2 * i]->str;
        f->due = strtoll (elements[2 * i + 1]->str, NULL, 10);
        if (!mot_timer_member_parse (f->member, &f->obligation_id, &f->kind, &f->level)) {
            mot_log_warn ("timer_dropped", "reason=unknown_kind");
            f->obsolete = true;
        }
        else
        if (!split_obligation_id (f)) {
            mot_log_warn ("timer_dropped", "reason=bad_obligation_id");
            f->obsolete = true;
        }
        else
            f->key = mot_key_obligation (f->obligation_id);
        /* Without a key, a PING keeps the replies in step and reads no key
         * (the watcher's Redis user may read obligations only). */
        const char *argv[2 + F_COUNT] = {f->key ? "HMGET" : "PING", f->key, MOT_OBL_REPORT_NAME, MOT_OBL_DEADLINE,
                                         MOT_OBL_STATUS, MOT_OBL_TERRITORY, MOT_OBL_RESPONSIBLE, MOT_OBL_DUE_AT};
        batch->failed = !mot_redis_append (self->redis, f->key ? 2 + F_COUNT : 1, argv, NULL);
        batch->reads += !batch->failed;
    }
}

/* Whether a HMGET reply has every required field. */
static bool
fields_complete (const redisReply *reply)
{
    bool complete = reply->type == REDIS_REPLY_ARRAY && reply->elements == F_COUNT;
    for (size_t i = 0; complete && i < F_REQUIRED; i++)
        complete = reply->element[i]->type == REDIS_REPLY_STRING;
    return complete;
}

/* Reads the batch's HMGET replies. A timer whose obligation is gone is
 * obsolete. */
static void
batch_read (timers_t *self, batch_t *batch)
{
    for (size_t i = 0; i < batch->reads; i++) {
        firing_t *f = &batch->timers[i];
        redisReply *reply = mot_redis_read (self->redis);
        if (!reply) {
            batch->failed = true;       /* the connection is gone: nothing more to read */
            return;
        }
        if (mot_reply_ok (reply) && fields_complete (reply) && !f->obsolete) {
            f->fields = reply;
            continue;
        }
        if (mot_reply_ok (reply) && !f->obsolete) {
            mot_log_warn ("timer_dropped", "obligation_id=%s reason=no_obligation", f->obligation_id);
            f->obsolete = true;
        }
        freeReplyObject (reply);
    }
}

/* Builds the notice and the next timer of each timer that has its fields
 * and is still needed. */
static void
batch_prepare (timers_t *self, batch_t *batch, int64_t now)
{
    for (size_t i = 0; i < batch->count && !batch->failed; i++) {
        firing_t *f = &batch->timers[i];
        if (!f->fields)
            continue;
        if (!still_needed (f, now) || beyond_last_level (self, f)) {
            f->obsolete = true;
            continue;
        }
        f->next = next_timer (self, f, f->next_at);
        if (f->kind == MOT__V1__NOTICE_KIND__ESCALATION)
            snprintf (f->mark, sizeof f->mark, "%d", f->level);
        f->ready = f->next && add_notice (self, f, now, &batch->notices);
        if (!f->ready)
            mot_log_error ("notice_not_built", "timer=%s", f->member);
        batch->ready += f->ready;
    }
}

/* Appends the ZREM of the batch's obsolete timers, when it has any. */
static void
append_remove_obsolete (timers_t *self, batch_t *batch)
{
    const char **argv = calloc (batch->count + 2, sizeof *argv);
    size_t argc = 2;
    for (size_t i = 0; argv && i < batch->count; i++)
        if (batch->timers[i].obsolete)
            argv[argc++] = batch->timers[i].member;
    if (argc > 2) {
        argv[0] = "ZREM";
        argv[1] = MOT_KEY_TIMERS;
        batch->zrem_sent = mot_redis_append (self->redis, (int) argc, argv, NULL);
    }
    free (argv);
}

/* Appends fire.lua's call for the ready timers. */
static void
append_fire (timers_t *self, batch_t *batch, int64_t now)
{
    char now_text[24];
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    mot_call_t call;
    mot_call_init (&call, FIRE_KEYS + batch->ready * FIRE_TIMER_KEYS, FIRE_ARGS + batch->ready * FIRE_TIMER_ARGS);
    mot_call_key (&call, FIRE_KEY_TIMERS, MOT_KEY_TIMERS);
    mot_call_key (&call, FIRE_KEY_SEQ, MOT_KEY_SEQ_NOTICE);
    mot_call_key (&call, FIRE_KEY_LOG, MOT_KEY_NOTICES);
    mot_call_arg (&call, FIRE_ARG_NOW, now_text);
    mot_call_bytes (&call, FIRE_ARG_NOTICES, batch->notices.data, batch->notices.size);
    for (size_t i = 0, n = 0; i < batch->count; i++) {
        firing_t *f = &batch->timers[i];
        if (!f->ready)
            continue;
        size_t k = FIRE_KEYS + n * FIRE_TIMER_KEYS, a = FIRE_ARGS + n * FIRE_TIMER_ARGS;
        n++;
        mot_call_key (&call, k + FIRE_TIMER_KEY_OBLIGATION, f->key);
        mot_call_arg (&call, a + FIRE_TIMER_ARG_MEMBER, f->member);
        mot_call_arg (&call, a + FIRE_TIMER_ARG_LEVEL, f->mark);
        mot_call_arg (&call, a + FIRE_TIMER_ARG_NEXT_MEMBER, f->next);
        mot_call_arg (&call, a + FIRE_TIMER_ARG_NEXT_AT, f->next_at);
    }
    batch->fire_sent = mot_call_append (&call, self->redis, self->fire);
    mot_call_free (&call);
}

/* Appends what settles the batch: the obsolete timers' removal and the
 * script call. */
static void
batch_send (timers_t *self, batch_t *batch, int64_t now)
{
    if (batch->failed)
        return;
    append_remove_obsolete (self, batch);
    if (batch->ready > 0)
        append_fire (self, batch, now);
    batch->failed = batch->ready > 0 && !batch->fire_sent;
}

/* Counts and logs the timers the script fired. */
static int
count_fired (timers_t *self, batch_t *batch, redisReply *results, int64_t now)
{
    int fired = 0;
    size_t r = 0;
    for (size_t i = 0; i < batch->count; i++) {
        firing_t *f = &batch->timers[i];
        if (!f->ready)
            continue;
        redisReply *result = results->element[r++];
        if (result->type != REDIS_REPLY_INTEGER || result->integer <= 0)
            continue;
        fired++;
        mot_counter_add (self->fired, 1);
        mot_histogram_observe (self->lag, mot_metrics_lag_seconds (now, f->due));
        mot_log_info ("timer_fired", "notice_id=%s seq=%lld due_at=%lld catch_up=%d", f->member,
                      (long long) result->integer, (long long) f->due, now - f->due > self->grace ? 1 : 0);
    }
    return fired;
}

/* Reads the replies batch_send asked for; returns how many timers are
 * settled (fired, found fired or obsolete, or dropped), or -1 when Redis
 * failed (those timers stay, and fire later). */
static long
batch_finish (timers_t *self, batch_t *batch, int64_t now, int *fired)
{
    long settled = 0;
    redisReply *removed = batch->zrem_sent ? mot_redis_read (self->redis) : NULL;
    long obsolete = 0;
    if (mot_reply_ok (removed))
        for (size_t i = 0; i < batch->count; i++)
            obsolete += batch->timers[i].obsolete;
    mot_counter_add (self->dropped, (uint64_t) obsolete);
    settled += obsolete;
    redisReply *results = batch->fire_sent ? mot_redis_read (self->redis) : NULL;
    if (results)
        mot_redis_script_check (self->fire, results);
    if (mot_reply_ok (results) && results->type == REDIS_REPLY_ARRAY && results->elements == batch->ready) {
        int logged = count_fired (self, batch, results, now);
        if (logged > 0)
            notice_log_wake_notifier (self->log);
        *fired += logged;
        settled += (long) batch->ready;
    }
    else
    if (batch->fire_sent)
        batch->failed = true;
    if (removed)
        freeReplyObject (removed);
    if (results)
        freeReplyObject (results);
    return batch->failed ? -1 : settled;
}

/* ---- firing ------------------------------------------------------------- */

/* Batch b of `timers` (FIRE_BATCH each): its first element in *from and
 * its size, 0 when there is no such batch. */
static size_t
batch_slice (size_t timers, size_t b, size_t *from)
{
    *from = b * FIRE_BATCH;
    if (*from >= timers)
        return 0;
    return timers - *from < FIRE_BATCH ? timers - *from : FIRE_BATCH;
}

/* Fires `timers` due timers (a ZRANGEBYSCORE … WITHSCORES reply's
 * elements), FIRE_BATCH at a time, as a pipeline two batches deep: while
 * the script of batch b runs, the obligations of batch b + 2 are asked for
 * and batch b + 1 (whose obligations came back meanwhile) is built:
 *     Redis:    [fire b][HMGET b+2] [fire b+1][HMGET b+3] …
 *     watcher:  send fire b, HMGET b+2; read HMGET b+1; build b+1; read fire b …
 * so that Redis seldom waits for the watcher, nor the watcher for Redis.
 * Returns how many were settled, or -1 when Redis failed (the connection is
 * then dropped, with whatever replies were still on their way). */
static long
fire_timers (timers_t *self, redisReply **elements, size_t timers, int64_t now, int *fired)
{
    batch_t ring[3];
    memset (ring, 0, sizeof ring);
    size_t from, count;
    for (size_t b = 0; b < 2 && (count = batch_slice (timers, b, &from)) > 0; b++)
        batch_start (self, &ring[b], elements + 2 * from, count);
    if (ring[0].count) {
        batch_read (self, &ring[0]);
        batch_prepare (self, &ring[0], now);
    }
    long settled = 0;
    for (size_t b = 0; settled >= 0 && batch_slice (timers, b, &from) > 0; b++) {
        batch_t *current = &ring[b % 3], *next = &ring[(b + 1) % 3], *after = &ring[(b + 2) % 3];
        batch_send (self, current, now);
        if ((count = batch_slice (timers, b + 2, &from)) > 0 && !current->failed)
            batch_start (self, after, elements + 2 * from, count);
        bool flowing = mot_redis_flush (self->redis);
        if (next->count && flowing) {
            batch_read (self, next);
            batch_prepare (self, next, now);
        }
        long done = batch_finish (self, current, now, fired);
        settled = done < 0 ? -1 : settled + done;
        batch_free (current);
    }
    if (settled < 0)
        mot_redis_disconnect (self->redis);
    for (int i = 0; i < 3; i++)
        batch_free (&ring[i]);
    return settled;
}

/* Fires up to `limit` timers due in [from, to] (from exclusive when
 * `exclusive`), earliest first; returns how many were settled, or -1 when
 * Redis failed. */
static long
fire_range (timers_t *self, int64_t from, bool exclusive, int64_t to, long limit, int64_t now, int *fired)
{
    char low[32];
    if (from == INT64_MIN)
        snprintf (low, sizeof low, "-inf");
    else
        snprintf (low, sizeof low, "%s%lld", exclusive ? "(" : "", (long long) from);
    if (!mot_redis_script_load (self->redis, self->fire))
        return -1;
    redisReply *due = mot_redis_command (self->redis, "ZRANGEBYSCORE %s %s %lld WITHSCORES LIMIT 0 %ld",
                                         MOT_KEY_TIMERS, low, (long long) to, limit);
    long settled = -1;
    if (mot_reply_ok (due) && due->type == REDIS_REPLY_ARRAY) {
        size_t timers = due->elements / 2;
        for (size_t i = 0; i < timers; i++)
            if (due->element[2 * i]->type != REDIS_REPLY_STRING || due->element[2 * i + 1]->type != REDIS_REPLY_STRING)
                timers = 0;         /* not a WITHSCORES reply: read nothing */
        settled = fire_timers (self, due->element, timers, now, fired);
    }
    if (due)
        freeReplyObject (due);
    return settled;
}

int
timers_fire_due (timers_t *self, int64_t now, long limit)
{
    int fired = 0;
    /* Missed ones (a downtime): at most `limit` a tick, earliest first. */
    fire_range (self, INT64_MIN, false, now - self->grace, limit, now, &fired);
    if (fired > 0)
        mot_log_info ("catch_up_tick", "fired=%d limit=%ld", fired, limit);
    /* Due now: all of them, while fetches come back full. */
    long fetch = (long) FIRE_BATCH * FETCH_BATCHES;
    for (int round = 0; round < ON_TIME_ROUNDS; round++)
        if (fire_range (self, now - self->grace, true, now, fetch, now, &fired) < fetch)
            break;
    return fired;
}
