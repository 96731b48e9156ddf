/*  timers — firing due obligation timers exactly once, a batch at a time
 *  (see timers.h).
 */
#include "timers.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <czmq.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fire_lua.h"

static const char *fire_source = NOTICE_LOG_SCRIPT (FIRE_LUA_TEXT);

/* Due timers are read, and fired, this many at a time (one pipelined read of
 * their obligations, one script call). */
#define FIRE_BATCH 500
/* Timers due now (not missed) are fired up to this many batches a tick. */
#define ON_TIME_ROUNDS 200
/* fire.lua's keys and ARGV: three keys, two arguments, then seven per timer. */
#define FIRE_HEAD 5
#define FIRE_PER_TIMER 7

struct _timers_t {
    mot_redis_t *redis;
    calendar_file_t *calendars;
    notice_log_t *log;
    obligation_store_t *store;
    escalation_t *escalation;
    int64_t grace;
    mot_script_t *fire;
};

/* The fields of an obligation a notice needs, as read from its hash; the
 * first F_REQUIRED must be there. */
enum { F_ID, F_UNIT, F_REPORT, F_REPORT_NAME, F_PERIOD, F_DEADLINE, F_STATUS, F_REQUIRED,
       F_TERRITORY = F_REQUIRED, F_RESPONSIBLE, F_DUE_AT, F_COUNT };

/* One due timer on its way through a batch. */
typedef struct {
    const char *member;             /* as in the zset, and the notice id */
    int64_t due;                    /* its score */
    char *obligation_id;            /* parsed from member (malloc'd) */
    Mot__V1__NoticeKind kind;
    int level;                      /* escalations */
    char *key;                      /* the obligation's hash */
    redisReply *fields;             /* read from it */
    uint8_t *packed;                /* the notice */
    size_t size;
    char *next;                     /* the next escalation's member, "" none */
    char next_at[24];
    char level_text[16];
    bool ready;                     /* goes into the script */
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
    self->fire = mot_script_new (fire_source);
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
    free (firing->packed);
    free (firing->next);
    memset (firing, 0, sizeof *firing);
}

/* ---- reading ------------------------------------------------------------ */

/* Parses "<obligation_id>|reminder", "…|overdue", "…|escalation|<level>". */
static bool
parse_member (firing_t *firing)
{
    char *copy = strdup (firing->member);
    char *bar = copy ? strrchr (copy, '|') : NULL;
    if (!bar) {
        free (copy);
        return false;
    }
    *bar = 0;
    const char *word = bar + 1;
    bool ok = false;
    if (strcmp (word, "overdue") == 0 || strcmp (word, "reminder") == 0)
        ok = mot_notice_kind_parse (word, &firing->kind);
    else {
        char *end = NULL;
        long level = strtol (word, &end, 10);
        char *kind_bar = strrchr (copy, '|');
        if (*word && !*end && level >= 1 && level <= ESCALATION_MAX_LEVELS * 10 && kind_bar
            && strcmp (kind_bar + 1, "escalation") == 0) {
            *kind_bar = 0;
            firing->kind = MOT__V1__NOTICE_KIND__ESCALATION;
            firing->level = (int) level;
            ok = true;
        }
    }
    if (ok)
        firing->obligation_id = copy;
    else
        free (copy);
    return ok;
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

/* Reads the obligations of the batch in one pipelined round trip. A timer
 * whose obligation is gone is obsolete; when Redis fails the rest of the
 * batch stays without fields (retried on the next tick). */
static void
read_obligations (timers_t *self, firing_t *batch, size_t count)
{
    size_t appended = 0;
    for (size_t i = 0; i < count; i++) {
        if (!batch[i].key)
            continue;
        const char *argv[] = {"HMGET", batch[i].key, "id", "unit", "report", "report_name", "period", "deadline",
                              "status", "territory", "responsible", "due_at"};
        if (!mot_redis_append (self->redis, 2 + F_COUNT, argv, NULL))
            break;
        appended = i + 1;
    }
    for (size_t i = 0; i < appended; i++) {
        if (!batch[i].key)
            continue;
        redisReply *reply = mot_redis_read (self->redis);
        if (!reply)
            return;                 /* the connection is gone: nothing more to read */
        if (mot_reply_ok (reply) && fields_complete (reply))
            batch[i].fields = reply;
        else {
            if (mot_reply_ok (reply)) {
                mot_log_warn ("timer_dropped", "obligation_id=%s reason=no_obligation", batch[i].obligation_id);
                batch[i].obsolete = true;
            }
            freeReplyObject (reply);
        }
    }
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

static uint8_t *
pack_notice (timers_t *self, const firing_t *firing, int64_t now, size_t *size)
{
    redisReply *fields = firing->fields;
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    Mot__V1__Source unit;
    if (!mot_source_parse (fields->element[F_UNIT]->str, &unit))
        return NULL;
    notice.notice_id = (char *) firing->member;
    notice.kind = firing->kind;
    notice.unit = unit;
    notice.report = fields->element[F_REPORT]->str;
    notice.report_name = fields->element[F_REPORT_NAME]->str;
    notice.period = fields->element[F_PERIOD]->str;
    notice.deadline = fields->element[F_DEADLINE]->str;
    notice.obligation_id = fields->element[F_ID]->str;
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
    return notice_log_pack (&notice, size);
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
    return zsys_sprintf ("%s|escalation|%d", firing->obligation_id, level);
}

/* Whether the obligation, as just read, still needs this timer: pending for
 * a reminder (before its deadline ends) or the overdue notice, overdue for
 * an escalation. (A delivery cancels the timers in its own step, so this
 * only weeds out what an interrupted older step may have left.) */
static bool
still_needed (const firing_t *firing, int64_t now)
{
    const char *status = firing->fields->element[F_STATUS]->str;
    if (firing->kind == MOT__V1__NOTICE_KIND__ESCALATION)
        return strcmp (status, "overdue") == 0;
    if (strcmp (status, "pending") != 0)
        return false;
    const char *due_at = optional_field (firing->fields, F_DUE_AT);
    return firing->kind != MOT__V1__NOTICE_KIND__REMINDER || !due_at || now <= strtoll (due_at, NULL, 10);
}

/* Builds the notice and the next timer of each timer that has its fields
 * and is still needed. */
static size_t
prepare_notices (timers_t *self, firing_t *batch, size_t count, int64_t now)
{
    size_t ready = 0;
    for (size_t i = 0; i < count; i++) {
        firing_t *firing = &batch[i];
        if (!firing->fields)
            continue;
        if (!still_needed (firing, now)) {
            firing->obsolete = true;
            continue;
        }
        firing->packed = pack_notice (self, firing, now, &firing->size);
        firing->next = firing->packed ? next_timer (self, firing, firing->next_at) : NULL;
        snprintf (firing->level_text, sizeof firing->level_text, "%d", firing->level);
        firing->ready = firing->next != NULL;
        if (!firing->ready)
            mot_log_error ("notice_not_built", "timer=%s", firing->member);
        ready += firing->ready;
    }
    return ready;
}

/* Takes the obsolete timers out of mot:timers in one command; returns how many. */
static long
remove_obsolete (timers_t *self, firing_t *batch, size_t count)
{
    const char **argv = calloc (count + 2, sizeof *argv);
    if (!argv)
        return 0;
    size_t argc = 2;
    for (size_t i = 0; i < count; i++)
        if (batch[i].obsolete)
            argv[argc++] = batch[i].member;
    long removed = 0;
    if (argc > 2) {
        argv[0] = "ZREM";
        argv[1] = MOT_KEY_TIMERS;
        redisReply *reply = mot_redis_commandv (self->redis, (int) argc, argv, NULL);
        removed = mot_reply_ok (reply) ? (long) argc - 2 : 0;   /* else the next tick weeds them out */
        if (reply)
            freeReplyObject (reply);
    }
    free (argv);
    return removed;
}

/* ---- firing ------------------------------------------------------------- */

/* Runs fire.lua on the ready timers; the reply (one integer each) or NULL. */
static redisReply *
run_fire_script (timers_t *self, firing_t *batch, size_t count, size_t ready, int64_t now)
{
    size_t argc = FIRE_HEAD + FIRE_PER_TIMER * ready;
    const char **argv = calloc (argc, sizeof *argv);
    size_t *lengths = calloc (argc, sizeof *lengths);
    char count_text[24], now_text[24];
    snprintf (count_text, sizeof count_text, "%zu", ready);
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    redisReply *reply = NULL;
    if (argv && lengths) {
        size_t a = 0;
        const char *head[FIRE_HEAD] = {MOT_KEY_TIMERS, MOT_KEY_SEQ_NOTICE, MOT_KEY_NOTICES, count_text, now_text};
        for (; a < FIRE_HEAD; a++)
            argv[a] = head[a];
        for (size_t i = 0; i < count; i++) {
            firing_t *f = &batch[i];
            if (!f->ready)
                continue;
            const char *timer[FIRE_PER_TIMER] = {f->member, mot_notice_kind_name (f->kind), f->key,
                                                 (const char *) f->packed, f->next, f->next_at, f->level_text};
            for (int k = 0; k < FIRE_PER_TIMER; k++, a++) {
                argv[a] = timer[k];
                lengths[a] = k == 3 ? f->size : strlen (timer[k]);
            }
        }
        for (size_t h = 0; h < FIRE_HEAD; h++)
            lengths[h] = strlen (argv[h]);
        reply = mot_redis_eval (self->redis, self->fire, 3, (int) argc, argv, lengths);
    }
    free (argv);
    free (lengths);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == ready;
    if (!ok && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

/* Counts and logs the timers this watcher's script fired. */
static int
count_fired (timers_t *self, firing_t *batch, size_t count, redisReply *results, int64_t now)
{
    int fired = 0;
    size_t r = 0;
    for (size_t i = 0; i < count; i++) {
        firing_t *f = &batch[i];
        if (!f->ready)
            continue;
        redisReply *result = results->element[r++];
        if (result->type != REDIS_REPLY_INTEGER || result->integer <= 0)
            continue;
        fired++;
        mot_log_info ("timer_fired", "notice_id=%s seq=%lld due_at=%lld catch_up=%d", f->member,
                      (long long) result->integer, (long long) f->due, now - f->due > self->grace ? 1 : 0);
    }
    return fired;
}

/* Fires one batch of due timers (a slice of a ZRANGEBYSCORE … WITHSCORES
 * reply). Returns how many are settled (fired, found fired or obsolete, or
 * dropped), or -1 when Redis failed (those timers stay, and fire later). */
static long
fire_batch (timers_t *self, redisReply **elements, size_t count, int64_t now, int *fired)
{
    firing_t *batch = calloc (count, sizeof *batch);
    if (!batch)
        return -1;
    long settled = 0;
    for (size_t i = 0; i < count; i++) {
        firing_t *f = &batch[i];
        f->member = elements[2 * i]->str;
        f->due = strtoll (elements[2 * i + 1]->str, NULL, 10);
        if (!parse_member (f)) {
            mot_log_warn ("timer_dropped", "reason=unknown_kind");
            f->obsolete = true;
        }
        else
            f->key = obligation_key (f->obligation_id);
    }
    read_obligations (self, batch, count);
    size_t ready = prepare_notices (self, batch, count, now);
    settled += remove_obsolete (self, batch, count);
    redisReply *results = ready ? run_fire_script (self, batch, count, ready, now) : NULL;
    if (results) {
        int logged = count_fired (self, batch, count, results, now);
        if (logged > 0)
            notice_log_wake_notifier (self->log);
        *fired += logged;
        settled += (long) ready;
        freeReplyObject (results);
    }
    for (size_t i = 0; i < count; i++)
        firing_clear (&batch[i]);
    free (batch);
    return ready > 0 && !results ? -1 : settled;
}

/* Fires up to `limit` timers due in [from, to] (from exclusive when
 * `exclusive`), earliest first, FIRE_BATCH at a time; returns how many were
 * settled, or -1 when Redis failed. */
static long
fire_range (timers_t *self, int64_t from, bool exclusive, int64_t to, long limit, int64_t now, int *fired)
{
    char low[32];
    if (from == INT64_MIN)
        snprintf (low, sizeof low, "-inf");
    else
        snprintf (low, sizeof low, "%s%lld", exclusive ? "(" : "", (long long) from);
    redisReply *due = mot_redis_command (self->redis, "ZRANGEBYSCORE %s %s %lld WITHSCORES LIMIT 0 %ld",
                                         MOT_KEY_TIMERS, low, (long long) to, limit);
    long settled = -1;
    if (mot_reply_ok (due) && due->type == REDIS_REPLY_ARRAY) {
        size_t timers = due->elements / 2;
        for (size_t i = 0; i < timers; i++)
            if (due->element[2 * i]->type != REDIS_REPLY_STRING || due->element[2 * i + 1]->type != REDIS_REPLY_STRING)
                timers = 0;         /* not a WITHSCORES reply: read nothing */
        settled = 0;
        for (size_t start = 0; start < timers && settled >= 0; start += FIRE_BATCH) {
            size_t count = timers - start < FIRE_BATCH ? timers - start : FIRE_BATCH;
            long batch = fire_batch (self, due->element + 2 * start, count, now, fired);
            settled = batch < 0 ? -1 : settled + batch;
        }
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
    /* Due now: all of them, a batch at a time, while batches come back full. */
    for (int round = 0; round < ON_TIME_ROUNDS; round++)
        if (fire_range (self, now - self->grace, true, now, FIRE_BATCH, now, &fired) < FIRE_BATCH)
            break;
    return fired;
}
