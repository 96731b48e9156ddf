/*  timers — firing due obligation timers exactly once (see timers.h).
 */
#include "timers.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <czmq.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: mot:timers, obligation hash, mot:notice:<notice_id>, mot:outbox.
 * ARGV: timer member, kind ("reminder" | "overdue" | "escalation"), now,
 *       notice_id, packed notice, next timer member ("" none), its time,
 *       escalation level.
 * The outbox is scored by Redis's own real time (TIME), not the service clock:
 * re-sending is transport bookkeeping and must go on while a test clock stands still.
 * Returns 1: fired, send the notice; 0: another watcher fired it; -1: the
 * obligation is no longer in the status this timer needs; -2: a reminder
 * after the deadline ended; 2: the notice was already recorded. */
static const char *fire_lua =
    "if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end\n"
    "redis.call('ZREM', KEYS[1], ARGV[1])\n"
    "local status = redis.call('HGET', KEYS[2], 'status')\n"
    "if ARGV[2] == 'escalation' then\n"
    "  if status ~= 'overdue' then return -1 end\n"
    "  redis.call('HSET', KEYS[2], 'escalation_level', ARGV[8])\n"
    "elseif status ~= 'pending' then return -1\n"
    "elseif ARGV[2] == 'overdue' then\n"
    "  redis.call('HSET', KEYS[2], 'status', 'overdue')\n"
    "else\n"
    "  local due = tonumber(redis.call('HGET', KEYS[2], 'due_at'))\n"
    "  if due and tonumber(ARGV[3]) > due then return -2 end\n"
    "end\n"
    "if ARGV[6] ~= '' then redis.call('ZADD', KEYS[1], ARGV[7], ARGV[6]) end\n"
    "if redis.call('HSETNX', KEYS[3], 'notice', ARGV[5]) == 0 then return 2 end\n"
    "redis.call('ZADD', KEYS[4], redis.call('TIME')[1], ARGV[4])\n"
    "return 1\n";

/* Timers due now (not missed) are fired in batches of this size, up to this
 * many batches a tick. */
#define ON_TIME_BATCH 1000
#define ON_TIME_ROUNDS 100

struct _timers_t {
    mot_redis_t *redis;
    calendar_file_t *calendars;
    outbox_t *outbox;
    obligation_store_t *store;
    escalation_t *escalation;
    int64_t grace;
    mot_script_t *fire;
};

/* The fields of an obligation a notice needs, as read from its hash; the
 * first F_REQUIRED must be there. */
enum { F_ID, F_UNIT, F_REPORT, F_REPORT_NAME, F_PERIOD, F_DEADLINE, F_REQUIRED, F_TERRITORY = F_REQUIRED,
       F_RESPONSIBLE, F_COUNT };

/* One due timer. */
typedef struct {
    const char *member;             /* as in the zset, and the notice id */
    char *obligation_id;            /* malloc'd */
    Mot__V1__NoticeKind kind;
    int level;                      /* escalations */
    int64_t due;                    /* its score */
} due_timer_t;

timers_t *
timers_new (mot_redis_t *redis, calendar_file_t *calendars, outbox_t *outbox, obligation_store_t *store,
            escalation_t *escalation, int64_t grace)
{
    timers_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->calendars = calendars;
    self->outbox = outbox;
    self->store = store;
    self->escalation = escalation;
    self->grace = grace;
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
remove_timer (timers_t *self, const char *member)
{
    redisReply *reply = mot_redis_command (self->redis, "ZREM %s %s", MOT_KEY_TIMERS, member);
    if (reply)
        freeReplyObject (reply);
}

/* The obligation's fields, or NULL: *missing tells a hash that is gone (or
 * incomplete) from Redis being unavailable (retry on the next tick). */
static redisReply *
read_obligation (timers_t *self, const char *key, bool *missing)
{
    redisReply *reply = mot_redis_command (self->redis,
                                           "HMGET %s id unit report report_name period deadline territory responsible",
                                           key);
    bool readable = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == F_COUNT;
    bool complete = readable;
    for (size_t i = 0; complete && i < F_REQUIRED; i++)
        complete = reply->element[i]->type == REDIS_REPLY_STRING;
    *missing = readable && !complete;
    if (!complete && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

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
pack_notice (timers_t *self, redisReply *fields, const due_timer_t *timer, int64_t now, size_t *size)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    Mot__V1__Source unit;
    if (!mot_source_parse (fields->element[F_UNIT]->str, &unit))
        return NULL;
    notice.notice_id = (char *) timer->member;
    notice.kind = timer->kind;
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
    if (timer->kind != MOT__V1__NOTICE_KIND__REMINDER) {
        notice.has_business_days_late = true;
        notice.business_days_late = (uint32_t) business_days_late (self, notice.deadline, now);
    }
    if (timer->kind == MOT__V1__NOTICE_KIND__ESCALATION) {
        notice.has_escalation_level = true;
        notice.escalation_level = (uint32_t) timer->level;
        notice.recipients = escalation_recipients (self->escalation, timer->level, &notice.n_recipients);
    }
    return outbox_pack (&notice, size);
}

/* The escalation that follows this timer ("" when none), and its time. */
static char *
next_timer (timers_t *self, const due_timer_t *timer, const char *deadline_text, char at[24])
{
    obligation_timing_t timing = obligation_store_timing (self->store);
    int level = timer->kind == MOT__V1__NOTICE_KIND__OVERDUE      ? 1
              : timer->kind == MOT__V1__NOTICE_KIND__ESCALATION ? timer->level + 1
                                                                : 0;
    mot_day_t deadline;
    at[0] = 0;
    if (level == 0 || timing.escalate_every_bd <= 0 || level > timing.escalate_max
        || !mot_day_parse (deadline_text, &deadline))
        return strdup ("");
    snprintf (at, 24, "%lld", (long long) obligation_escalation_at (self->store, deadline, level));
    return zsys_sprintf ("%s|escalation|%d", timer->obligation_id, level);
}

/* Runs the fire script for one timer and pushes its notice when this watcher
 * fired it. Returns true when it fired. */
static bool
fire_notice (timers_t *self, const due_timer_t *timer, const char *key, redisReply *fields, int64_t now,
             bool *handled)
{
    char *notice_key = zsys_sprintf ("%s%s", MOT_KEY_NOTICE_PREFIX, timer->member);
    size_t size = 0;
    uint8_t *packed = notice_key ? pack_notice (self, fields, timer, now, &size) : NULL;
    char next_at[24];
    char *next = packed ? next_timer (self, timer, fields->element[F_DEADLINE]->str, next_at) : NULL;
    bool fired = false;
    if (next) {
        char now_text[24], level[16];
        snprintf (now_text, sizeof now_text, "%lld", (long long) now);
        snprintf (level, sizeof level, "%d", timer->level);
        const char *argv[] = {MOT_KEY_TIMERS, key, notice_key, MOT_KEY_OUTBOX, timer->member,
                              mot_notice_kind_name (timer->kind), now_text, timer->member, (const char *) packed,
                              next, next_at, level};
        size_t lengths[12];
        for (int i = 0; i < 12; i++)
            lengths[i] = i == 8 ? size : strlen (argv[i]);
        redisReply *reply = mot_redis_eval (self->redis, self->fire, 4, 12, argv, lengths);
        *handled = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER;
        fired = *handled && reply->integer == 1;
        if (fired) {
            bool catch_up = now - timer->due > self->grace;
            mot_log_info ("timer_fired", "notice_id=%s due_at=%lld catch_up=%d", timer->member,
                          (long long) timer->due, catch_up ? 1 : 0);
            if (!outbox_push (self->outbox, packed, size))
                mot_log_warn ("notice_not_sent", "notice_id=%s redrive=1", timer->member);
        }
        if (reply)
            freeReplyObject (reply);
    }
    else
        mot_log_error ("notice_not_built", "timer=%s", timer->member);
    free (next);
    free (notice_key);
    free (packed);
    return fired;
}

/* Parses "<obligation_id>|reminder", "…|overdue", "…|escalation|<level>". */
static bool
parse_member (due_timer_t *timer)
{
    char *copy = strdup (timer->member);
    char *bar = copy ? strrchr (copy, '|') : NULL;
    if (!bar) {
        free (copy);
        return false;
    }
    *bar = 0;
    const char *word = bar + 1;
    bool ok = false;
    if (strcmp (word, "overdue") == 0 || strcmp (word, "reminder") == 0)
        ok = mot_notice_kind_parse (word, &timer->kind);
    else {
        char *end = NULL;
        long level = strtol (word, &end, 10);
        char *kind_bar = strrchr (copy, '|');
        if (*word && !*end && level >= 1 && level <= ESCALATION_MAX_LEVELS * 10 && kind_bar
            && strcmp (kind_bar + 1, "escalation") == 0) {
            *kind_bar = 0;
            timer->kind = MOT__V1__NOTICE_KIND__ESCALATION;
            timer->level = (int) level;
            ok = true;
        }
    }
    if (ok)
        timer->obligation_id = copy;
    else
        free (copy);
    return ok;
}

static bool
fire_one (timers_t *self, due_timer_t *timer, int64_t now, bool *handled)
{
    *handled = false;
    if (!parse_member (timer)) {
        mot_log_warn ("timer_dropped", "reason=unknown_kind");
        remove_timer (self, timer->member);
        *handled = true;
        return false;
    }
    bool fired = false;
    char *key = obligation_key (timer->obligation_id);
    bool missing = false;
    redisReply *fields = key ? read_obligation (self, key, &missing) : NULL;
    if (fields)
        fired = fire_notice (self, timer, key, fields, now, handled);
    else
    if (missing) {
        mot_log_warn ("timer_dropped", "obligation_id=%s reason=no_obligation", timer->obligation_id);
        remove_timer (self, timer->member);
        *handled = true;
    }
    if (fields)
        freeReplyObject (fields);
    free (key);
    free (timer->obligation_id);
    return fired;
}

/* Fires the due timers of one ZRANGEBYSCORE … WITHSCORES reply; returns how
 * many were handled (fired, or found fired or obsolete and removed). */
static long
fire_batch (timers_t *self, redisReply *due, int64_t now, int *fired)
{
    long handled = 0;
    for (size_t i = 0; i + 1 < due->elements; i += 2) {
        redisReply *member = due->element[i], *score = due->element[i + 1];
        if (member->type != REDIS_REPLY_STRING || score->type != REDIS_REPLY_STRING)
            continue;
        due_timer_t timer = {.member = member->str, .due = strtoll (score->str, NULL, 10)};
        bool handled_one = false;
        if (fire_one (self, &timer, now, &handled_one))
            (*fired)++;
        handled += handled_one;
    }
    return handled;
}

/* Fires up to `limit` timers due in [from, to] (from exclusive when
 * `exclusive`), earliest first; returns how many were handled. */
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
    long handled = mot_reply_ok (due) && due->type == REDIS_REPLY_ARRAY ? fire_batch (self, due, now, fired) : 0;
    if (due)
        freeReplyObject (due);
    return handled;
}

int
timers_fire_due (timers_t *self, int64_t now, long limit)
{
    int fired = 0;
    /* Missed ones (a downtime): at most `limit` a tick, earliest first. */
    fire_range (self, INT64_MIN, false, now - self->grace, limit, now, &fired);
    if (fired > 0)
        mot_log_info ("catch_up_tick", "fired=%d limit=%ld", fired, limit);
    /* Due now: all of them, a batch at a time, while batches make progress. */
    for (int round = 0; round < ON_TIME_ROUNDS; round++)
        if (fire_range (self, now - self->grace, true, now, ON_TIME_BATCH, now, &fired) < ON_TIME_BATCH)
            break;
    return fired;
}
