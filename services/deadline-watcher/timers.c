/*  timers — firing due obligation timers exactly once (see timers.h).
 */
#include "timers.h"
#include "obligation.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRE_BATCH 100

/* KEYS: mot:timers, obligation hash, mot:notice:<notice_id>, mot:outbox.
 * ARGV: timer member, kind ("overdue" | "reminder"), now, notice_id, packed notice.
 * The outbox is scored by Redis's own real time (TIME), not the service clock:
 * re-sending is transport bookkeeping and must go on while a test clock stands still.
 * Returns 1: fired, send the notice; 0: another watcher fired it; -1: the
 * obligation is no longer pending; -2: a reminder after the deadline ended;
 * 2: the notice was already recorded. */
static const char *fire_lua =
    "if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end\n"
    "redis.call('ZREM', KEYS[1], ARGV[1])\n"
    "if redis.call('HGET', KEYS[2], 'status') ~= 'pending' then return -1 end\n"
    "if ARGV[2] == 'overdue' then\n"
    "  redis.call('HSET', KEYS[2], 'status', 'overdue')\n"
    "else\n"
    "  local due = tonumber(redis.call('HGET', KEYS[2], 'due_at'))\n"
    "  if due and tonumber(ARGV[3]) > due then return -2 end\n"
    "end\n"
    "if redis.call('HSETNX', KEYS[3], 'notice', ARGV[5]) == 0 then return 2 end\n"
    "redis.call('ZADD', KEYS[4], redis.call('TIME')[1], ARGV[4])\n"
    "return 1\n";

struct _timers_t {
    mot_redis_t *redis;
    mot_calendar_t *calendar;
    outbox_t *outbox;
    mot_script_t *fire;
};

/* The fields of an obligation a notice needs, as read from its hash. */
enum { F_ID, F_UNIT, F_REPORT, F_REPORT_NAME, F_PERIOD, F_DEADLINE, F_COUNT };

timers_t *
timers_new (mot_redis_t *redis, mot_calendar_t *calendar, outbox_t *outbox)
{
    timers_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->calendar = calendar;
    self->outbox = outbox;
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
    redisReply *reply = mot_redis_command (self->redis, "HMGET %s id unit report report_name period deadline", key);
    bool readable = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == F_COUNT;
    bool complete = readable;
    for (size_t i = 0; complete && i < F_COUNT; i++)
        complete = reply->element[i]->type == REDIS_REPLY_STRING;
    *missing = readable && !complete;
    if (!complete && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

/* Business days from the deadline to today's local date (0 before). */
static int
business_days_late (timers_t *self, const char *deadline_text, int64_t now)
{
    mot_day_t deadline;
    if (!mot_day_parse (deadline_text, &deadline))
        return 0;
    return mot_calendar_business_days_between (self->calendar, deadline, mot_day_local_of (now));
}

static uint8_t *
pack_notice (timers_t *self, redisReply *fields, Mot__V1__NoticeKind kind, const char *notice_id, int64_t now,
             size_t *size)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    Mot__V1__Source unit;
    if (!mot_source_parse (fields->element[F_UNIT]->str, &unit))
        return NULL;
    notice.notice_id = (char *) notice_id;
    notice.kind = kind;
    notice.unit = unit;
    notice.report = fields->element[F_REPORT]->str;
    notice.report_name = fields->element[F_REPORT_NAME]->str;
    notice.period = fields->element[F_PERIOD]->str;
    notice.deadline = fields->element[F_DEADLINE]->str;
    notice.obligation_id = fields->element[F_ID]->str;
    notice.has_fired_at = true;
    notice.fired_at = now;
    if (kind == MOT__V1__NOTICE_KIND__OVERDUE) {
        notice.has_business_days_late = true;
        notice.business_days_late = (uint32_t) business_days_late (self, notice.deadline, now);
    }
    return outbox_pack (&notice, size);
}

/* Runs the fire script for one timer and pushes its notice when this watcher
 * fired it. Returns true when it fired. */
static bool
fire_notice (timers_t *self, const char *member, const char *key, Mot__V1__NoticeKind kind,
             redisReply *fields, int64_t now)
{
    char *notice_id = outbox_notice_id (fields->element[F_ID]->str, kind);
    char *notice_key = notice_id ? malloc (strlen (MOT_KEY_NOTICE_PREFIX) + strlen (notice_id) + 1) : NULL;
    size_t size = 0;
    uint8_t *packed = notice_key ? pack_notice (self, fields, kind, notice_id, now, &size) : NULL;
    bool fired = false;
    if (packed) {
        sprintf (notice_key, "%s%s", MOT_KEY_NOTICE_PREFIX, notice_id);
        char now_text[24];
        snprintf (now_text, sizeof now_text, "%lld", (long long) now);
        const char *argv[] = {MOT_KEY_TIMERS, key, notice_key, MOT_KEY_OUTBOX, member,
                              mot_notice_kind_name (kind), now_text, notice_id, (const char *) packed};
        size_t lengths[9];
        for (int i = 0; i < 8; i++)
            lengths[i] = strlen (argv[i]);
        lengths[8] = size;
        redisReply *reply = mot_redis_eval (self->redis, self->fire, 4, 9, argv, lengths);
        fired = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER && reply->integer == 1;
        if (fired) {
            mot_log_info ("timer_fired", "notice_id=%s", notice_id);
            if (!outbox_push (self->outbox, packed, size))
                mot_log_warn ("notice_not_sent", "notice_id=%s redrive=1", notice_id);
        }
        if (reply)
            freeReplyObject (reply);
    }
    else
        mot_log_error ("notice_not_built", "timer=%s", member);
    free (notice_id);
    free (notice_key);
    free (packed);
    return fired;
}

/* Splits "<obligation_id>|<kind>" at the last '|'; false for unknown kinds. */
static bool
parse_member (char *member, Mot__V1__NoticeKind *kind)
{
    char *bar = strrchr (member, '|');
    if (!bar)
        return false;
    *bar = 0;
    const char *word = bar + 1;
    return (strcmp (word, "overdue") == 0 || strcmp (word, "reminder") == 0)
        && mot_notice_kind_parse (word, kind);
}

static bool
fire_one (timers_t *self, const char *member, int64_t now)
{
    char *copy = strdup (member);
    Mot__V1__NoticeKind kind;
    if (!copy)
        return false;
    bool fired = false;
    if (!parse_member (copy, &kind)) {
        mot_log_warn ("timer_dropped", "reason=unknown_kind");
        remove_timer (self, member);
    }
    else {
        char *key = obligation_key (copy);
        bool missing = false;
        redisReply *fields = key ? read_obligation (self, key, &missing) : NULL;
        if (fields)
            fired = fire_notice (self, member, key, kind, fields, now);
        else
        if (missing) {
            mot_log_warn ("timer_dropped", "obligation_id=%s reason=no_obligation", copy);
            remove_timer (self, member);
        }
        if (fields)
            freeReplyObject (fields);
        free (key);
    }
    free (copy);
    return fired;
}

int
timers_fire_due (timers_t *self, int64_t now)
{
    redisReply *due = mot_redis_command (self->redis, "ZRANGEBYSCORE %s -inf %lld LIMIT 0 %d", MOT_KEY_TIMERS,
                                         (long long) now, FIRE_BATCH);
    int fired = 0;
    if (mot_reply_ok (due) && due->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < due->elements; i++)
            if (due->element[i]->type == REDIS_REPLY_STRING && fire_one (self, due->element[i]->str, now))
                fired++;
    if (due)
        freeReplyObject (due);
    return fired;
}
