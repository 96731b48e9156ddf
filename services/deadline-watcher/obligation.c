/*  obligation — obligation instances in Redis and their state changes, each
 *  one Lua script (see obligation.h).
 */
#include "obligation.h"
#include "mot_keys.h"
#include "mot_log.h"
#include "mot_notice_log.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECOMPUTE_BATCH 500
/* create.lua's ARGV: two, then fifteen per instance. */
#define CREATE_HEAD 5
#define CREATE_PER_INSTANCE 15

#include "create_lua.h"

/* KEYS: obligation hash, mot:obls, mot:timers, mot:pending:watch,
 *       mot:seq:notice, mot:notices.
 * ARGV: event_id, id, unit, report, report_name, period, deadline ("" unknown),
 *       deadline day number ("" unknown), due_at ("" unknown), now,
 *       delivered_on, status, business_days_late, the DELIVERED_LATE notice
 *       as a packed NoticeBatch ("" when on time), keep_pending ("1": leave
 *       the event pending).
 * Cancels the reminder, the overdue timer and the next escalation, and logs
 * the late-delivery notice (notice_log.lua, joined in front).
 * Returns 1 when applied, 0 when this event was applied before, -1 when an
 * earlier delivery already cleared the obligation. */
static const char *deliver_lua = NOTICE_LOG_SCRIPT (
    "local applied = redis.call('HGET', KEYS[1], 'delivery_event')\n"
    "if applied then\n"
    "  if ARGV[15] ~= '1' then redis.call('ZREM', KEYS[4], ARGV[1]) end\n"
    "  if applied == ARGV[1] then return 0 end\n"
    "  return -1\n"
    "end\n"
    "if redis.call('EXISTS', KEYS[1]) == 0 then\n"
    "  redis.call('HSET', KEYS[1], 'id', ARGV[2], 'unit', ARGV[3], 'report', ARGV[4],\n"
    "    'report_name', ARGV[5], 'period', ARGV[6], 'deadline', ARGV[7], 'due_at', ARGV[9],\n"
    "    'created_at', ARGV[10])\n"
    "  if ARGV[8] ~= '' then redis.call('ZADD', KEYS[2], ARGV[8], ARGV[2]) end\n"
    "end\n"
    "local level = tonumber(redis.call('HGET', KEYS[1], 'escalation_level') or '0')\n"
    "redis.call('HSET', KEYS[1], 'status', ARGV[12], 'delivered_on', ARGV[11],\n"
    "  'business_days_late', ARGV[13], 'delivery_event', ARGV[1])\n"
    "redis.call('ZREM', KEYS[3], ARGV[2] .. '|reminder', ARGV[2] .. '|overdue',\n"
    "  ARGV[2] .. '|escalation|' .. (level + 1))\n"
    "if ARGV[14] ~= '' then log_batch(KEYS[5], KEYS[6], ARGV[14], 1, {0}) end\n"
    "if ARGV[15] ~= '1' then redis.call('ZREM', KEYS[4], ARGV[1]) end\n"
    "return 1\n");

/* KEYS: obligation hash, mot:obls, mot:timers, audit list.
 * ARGV: id, old deadline, new deadline, new day number, new due_at, new
 *       anchor, reminder_at ("" none), escalation member ("" none),
 *       escalation time, audit entry (JSON), required status ("" any).
 * Moves the deadline only if it is still the old one (compare and set), and
 * only the timers that are still pending (ZADD XX).
 * Returns 1 when moved, 0 when the deadline had changed meanwhile, -1 when
 * the status is not the required one. */
static const char *reschedule_lua =
    "if redis.call('HGET', KEYS[1], 'deadline') ~= ARGV[2] then return 0 end\n"
    "if ARGV[11] ~= '' and redis.call('HGET', KEYS[1], 'status') ~= ARGV[11] then return -1 end\n"
    "redis.call('HSET', KEYS[1], 'deadline', ARGV[3], 'due_at', ARGV[5], 'anchor', ARGV[6])\n"
    "redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])\n"
    "redis.call('ZADD', KEYS[3], 'XX', tonumber(ARGV[5]) + 1, ARGV[1] .. '|overdue')\n"
    "if ARGV[7] ~= '' then redis.call('ZADD', KEYS[3], 'XX', ARGV[7], ARGV[1] .. '|reminder') end\n"
    "if ARGV[8] ~= '' then redis.call('ZADD', KEYS[3], 'XX', ARGV[9], ARGV[8]) end\n"
    "redis.call('RPUSH', KEYS[4], ARGV[10])\n"
    "return 1\n";

struct _obligation_store_t {
    mot_redis_t *redis;
    calendar_file_t *calendars;
    notice_log_t *log;
    obligation_timing_t timing;
    mot_script_t *create;
    mot_script_t *deliver;
    mot_script_t *reschedule;
};

/* What the scripts need to know about one instance's deadline; text fields
 * are our own bounded formatting. */
typedef struct {
    char deadline[MOT_DAY_TEXT_SIZE];       /* "" when unknown */
    char deadline_day[16];
    char due_at[24];
    mot_day_t deadline_value;
    bool has_deadline;
} deadline_t;

obligation_store_t *
obligation_store_new (mot_redis_t *redis, calendar_file_t *calendars, notice_log_t *log, obligation_timing_t timing)
{
    obligation_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->calendars = calendars;
    self->log = log;
    self->timing = timing;
    self->create = mot_script_new (create_lua);
    self->deliver = mot_script_new (deliver_lua);
    self->reschedule = mot_script_new (reschedule_lua);
    if (!self->create || !self->deliver || !self->reschedule)
        obligation_store_destroy (&self);
    return self;
}

void
obligation_store_destroy (obligation_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    obligation_store_t *self = *self_p;
    mot_script_destroy (&self->create);
    mot_script_destroy (&self->deliver);
    mot_script_destroy (&self->reschedule);
    free (self);
    *self_p = NULL;
}

obligation_timing_t
obligation_store_timing (obligation_store_t *self)
{
    return self->timing;
}

char *
obligation_key (const char *obligation_id)
{
    return zsys_sprintf ("%s{%s}", MOT_KEY_OBL_PREFIX, obligation_id);
}

static void
deadline_set (deadline_t *deadline, mot_day_t day)
{
    deadline->deadline_value = day;
    deadline->has_deadline = true;
    mot_day_format (day, deadline->deadline);
    snprintf (deadline->deadline_day, sizeof deadline->deadline_day, "%d", (int) day);
    snprintf (deadline->due_at, sizeof deadline->due_at, "%lld", (long long) mot_day_end_local (day));
}

/* Runs a script whose reply is an integer; *ok false on any error. */
static long long
eval_integer (mot_redis_t *redis, mot_script_t *script, int numkeys, int argc, const char **argv,
              const size_t *lengths, bool *ok)
{
    redisReply *reply = mot_redis_eval (redis, script, numkeys, argc, argv, lengths);
    *ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER;
    long long value = *ok ? reply->integer : 0;
    if (reply)
        freeReplyObject (reply);
    return value;
}

int64_t
obligation_reminder_at (obligation_store_t *self, mot_day_t deadline, int64_t now)
{
    if (self->timing.remind_bd <= 0 || now > mot_day_end_local (deadline))
        return -1;
    mot_calendar_t *calendar = calendar_file_current (self->calendars);
    return mot_day_start_local (mot_obligation_reminder_day (calendar, deadline, self->timing.remind_bd));
}

int64_t
obligation_escalation_at (obligation_store_t *self, mot_day_t deadline, int level)
{
    mot_calendar_t *calendar = calendar_file_current (self->calendars);
    return mot_day_start_local (
        mot_obligation_escalation_day (calendar, deadline, level, self->timing.escalate_every_bd));
}

static void
format_time (int64_t value, char out[24])
{
    if (value < 0)
        out[0] = 0;
    else
        snprintf (out, 24, "%lld", (long long) value);
}

/* One instance's ARGV for create.lua, formatted. */
typedef struct {
    char *id;
    char *key;
    deadline_t deadline;
    char reminder_at[24], anchor[MOT_DAY_TEXT_SIZE], n[16];
} creation_t;

static bool
creation_prepare (obligation_store_t *self, const obligation_spec_t *spec, int64_t now, creation_t *c)
{
    c->id = mot_obligation_id (spec->def, spec->period);
    c->key = c->id ? obligation_key (c->id) : NULL;
    if (!c->key)
        return false;
    deadline_set (&c->deadline, mot_calendar_add_business_days (calendar_file_current (self->calendars),
                                                               spec->anchor, spec->n));
    format_time (obligation_reminder_at (self, c->deadline.deadline_value, now), c->reminder_at);
    mot_day_format (spec->anchor, c->anchor);
    snprintf (c->n, sizeof c->n, "%d", spec->n);
    return true;
}

/* Runs create.lua on every prepared instance; the reply (one integer each) or NULL. */
static redisReply *
run_create_script (obligation_store_t *self, const obligation_spec_t *specs, const creation_t *creations,
                   size_t count, int64_t now)
{
    size_t argc = CREATE_HEAD + CREATE_PER_INSTANCE * count;
    const char **argv = calloc (argc, sizeof *argv);
    char count_text[24], now_text[24];
    snprintf (count_text, sizeof count_text, "%zu", count);
    format_time (now, now_text);
    redisReply *reply = NULL;
    if (argv) {
        const char *head[CREATE_HEAD] = {MOT_KEY_OBLS, MOT_KEY_TIMERS, MOT_KEY_PENDING_WATCH, count_text, now_text};
        memcpy (argv, head, sizeof head);
        for (size_t i = 0; i < count; i++) {
            const obligation_spec_t *spec = &specs[i];
            const creation_t *c = &creations[i];
            const char *instance[CREATE_PER_INSTANCE]
                = {c->key, c->id, spec->def->unit_name, spec->def->code, spec->def->name, spec->period,
                   c->deadline.deadline, c->deadline.deadline_day, c->deadline.due_at, c->reminder_at, c->anchor,
                   c->n, spec->territory ? spec->territory : "", spec->responsible ? spec->responsible : "",
                   spec->event_id ? spec->event_id : ""};
            memcpy (argv + CREATE_HEAD + i * CREATE_PER_INSTANCE, instance, sizeof instance);
        }
        reply = mot_redis_eval (self->redis, self->create, 3, (int) argc, argv, NULL);
    }
    free (argv);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == count;
    for (size_t i = 0; ok && i < count; i++)
        ok = reply->element[i]->type == REDIS_REPLY_INTEGER;
    if (!ok && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

static void
log_creation (const creation_t *c, obligation_result_t result)
{
    if (result == OBLIGATION_CHANGED)
        mot_log_info ("obligation_created", "obligation_id=%s deadline=%s reminder_at=%s", c->id,
                      c->deadline.deadline, c->reminder_at[0] ? c->reminder_at : "none");
    else
    if (result == OBLIGATION_UNCHANGED)
        mot_log_debug ("obligation_exists", "obligation_id=%s", c->id);
    else
        mot_log_error ("obligation_create_failed", "obligation_id=%s", c->id ? c->id : "?");
}

bool
obligation_store_create_many (obligation_store_t *self, const obligation_spec_t *specs, size_t count, int64_t now,
                              obligation_result_t *results)
{
    creation_t *creations = calloc (count ? count : 1, sizeof *creations);
    bool prepared = creations != NULL;
    for (size_t i = 0; prepared && i < count; i++)
        prepared = creation_prepare (self, &specs[i], now, &creations[i]);
    redisReply *reply = prepared && count ? run_create_script (self, specs, creations, count, now) : NULL;
    for (size_t i = 0; i < count; i++) {
        results[i] = !reply ? OBLIGATION_FAILED
                   : reply->element[i]->integer == 1 ? OBLIGATION_CHANGED
                                                     : OBLIGATION_UNCHANGED;
        if (creations)
            log_creation (&creations[i], results[i]);
    }
    for (size_t i = 0; creations && i < count; i++) {
        free (creations[i].id);
        free (creations[i].key);
    }
    free (creations);
    if (reply)
        freeReplyObject (reply);
    return count == 0 || reply != NULL;
}

obligation_result_t
obligation_store_create (obligation_store_t *self, const obligation_spec_t *spec, int64_t now)
{
    obligation_result_t result = OBLIGATION_FAILED;
    obligation_store_create_many (self, spec, 1, now, &result);
    return result;
}

/* The deadline of the instance: as recorded, else from the month's close for
 * a monthly rule (month_close, or last_update with no update recorded);
 * unknown otherwise (an event obligation whose trigger has not arrived).
 * False when Redis could not be read. */
static bool
find_deadline (obligation_store_t *self, const mot_obligation_def_t *def, const char *period, const char *key,
               deadline_t *deadline)
{
    memset (deadline, 0, sizeof *deadline);
    redisReply *reply = mot_redis_command (self->redis, "HGET %s deadline", key);
    bool ok = mot_reply_ok (reply);
    mot_day_t day;
    int year, month;
    if (ok && reply->type == REDIS_REPLY_STRING && mot_day_parse (reply->str, &day))
        deadline_set (deadline, day);
    else
    if (ok && mot_obligation_is_monthly (def) && mot_period_parse (period, &year, &month))
        deadline_set (deadline, mot_obligation_deadline_for_month (def, calendar_file_current (self->calendars),
                                                                  year, month));
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The DELIVERED_LATE notice, as a batch of one (false when out of memory). */
static bool
late_notice_batch (const mot_obligation_def_t *def, const char *period, const char *id, const deadline_t *deadline,
                   const char *notice_id, int late, int64_t now, mot_notice_batch_t *batch)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) notice_id;
    notice.kind = MOT__V1__NOTICE_KIND__DELIVERED_LATE;
    notice.unit = def->unit;
    notice.report = (char *) def->code;
    notice.report_name = (char *) def->name;
    notice.period = (char *) period;
    notice.deadline = (char *) deadline->deadline;
    notice.has_business_days_late = true;
    notice.business_days_late = (uint32_t) late;
    notice.has_fired_at = true;
    notice.fired_at = now;
    notice.obligation_id = (char *) id;
    return mot_notice_batch_append (batch, &notice);
}

typedef struct {
    const mot_obligation_def_t *def;
    const char *period;
    const char *id;
    const char *key;
    mot_day_t delivered_on;
    const char *event_id;
    bool keep_pending;
} delivery_t;

static obligation_result_t
apply_delivery (obligation_store_t *self, const delivery_t *delivery, const deadline_t *deadline, int64_t now)
{
    int late = deadline->has_deadline
                 ? mot_calendar_business_days_between (calendar_file_current (self->calendars),
                                                       deadline->deadline_value, delivery->delivered_on)
                 : 0;
    char now_text[24], late_text[16], delivered_text[MOT_DAY_TEXT_SIZE];
    format_time (now, now_text);
    snprintf (late_text, sizeof late_text, "%d", late);
    mot_day_format (delivery->delivered_on, delivered_text);
    char *notice_id = notice_log_notice_id (delivery->id, MOT__V1__NOTICE_KIND__DELIVERED_LATE);
    mot_notice_batch_t batch;
    mot_notice_batch_init (&batch);
    if (!notice_id || (late > 0 && !late_notice_batch (delivery->def, delivery->period, delivery->id, deadline,
                                                       notice_id, late, now, &batch))) {
        free (notice_id);
        return OBLIGATION_FAILED;
    }
    const char *argv[] = {delivery->key, MOT_KEY_OBLS, MOT_KEY_TIMERS, MOT_KEY_PENDING_WATCH, MOT_KEY_SEQ_NOTICE,
                          MOT_KEY_NOTICES, delivery->event_id, delivery->id, delivery->def->unit_name,
                          delivery->def->code, delivery->def->name, delivery->period, deadline->deadline,
                          deadline->deadline_day, deadline->due_at, now_text, delivered_text,
                          late > 0 ? "delivered_late" : "delivered", late_text,
                          batch.count ? (const char *) batch.data : "", delivery->keep_pending ? "1" : "0"};
    enum { ARGC = sizeof argv / sizeof argv[0], BATCH_ARG = ARGC - 2 };
    size_t lengths[ARGC];
    for (int i = 0; i < ARGC; i++)
        lengths[i] = i == BATCH_ARG ? batch.size : strlen (argv[i]);
    bool ok;
    long long applied = eval_integer (self->redis, self->deliver, 6, ARGC, argv, lengths, &ok);
    if (!ok)
        mot_log_error ("delivery_failed", "event_id=%s obligation_id=%s", delivery->event_id, delivery->id);
    else
    if (applied == 1) {
        mot_log_info ("delivery_recorded", "event_id=%s obligation_id=%s delivered_on=%s business_days_late=%d",
                      delivery->event_id, delivery->id, delivered_text, late);
        if (batch.count)
            notice_log_wake_notifier (self->log);
    }
    else
        mot_log_info ("delivery_ignored", "event_id=%s obligation_id=%s reason=%s", delivery->event_id,
                      delivery->id, applied == 0 ? "event_already_applied" : "already_delivered");
    free (notice_id);
    mot_notice_batch_clear (&batch);
    return !ok ? OBLIGATION_FAILED : applied == 1 ? OBLIGATION_CHANGED : OBLIGATION_UNCHANGED;
}

obligation_result_t
obligation_store_deliver (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
                          mot_day_t delivered_on, const char *event_id, bool keep_pending, int64_t now)
{
    char *id = mot_obligation_id (def, period);
    char *key = id ? obligation_key (id) : NULL;
    deadline_t deadline;
    obligation_result_t result = OBLIGATION_FAILED;
    if (key && find_deadline (self, def, period, key, &deadline)) {
        delivery_t delivery = {def, period, id, key, delivered_on, event_id, keep_pending};
        result = apply_delivery (self, &delivery, &deadline, now);
    }
    free (id);
    free (key);
    return result;
}

/* ---- moving deadlines ------------------------------------------------ */

/* What reschedule needs from an instance's hash. */
typedef struct {
    const char *id;
    char old_deadline[MOT_DAY_TEXT_SIZE];
    mot_day_t old_anchor;
    int n;
    int escalation_level;               /* last level sent */
} current_t;

/* Runs the reschedule script for `current` to a new anchor. Returns the
 * script's answer (1 moved, 0 changed meanwhile, -1 wrong status), or -2
 * when Redis failed. */
static int
reschedule (obligation_store_t *self, const current_t *current, mot_day_t anchor, const char *reason,
            const char *required_status, int64_t now)
{
    deadline_t deadline;
    deadline_set (&deadline,
                  mot_calendar_add_business_days (calendar_file_current (self->calendars), anchor, current->n));
    if (strcmp (deadline.deadline, current->old_deadline) == 0 && anchor == current->old_anchor)
        return 0;
    char anchor_text[MOT_DAY_TEXT_SIZE], reminder_at[24], escalation_at[24];
    mot_day_format (anchor, anchor_text);
    format_time (obligation_reminder_at (self, deadline.deadline_value, now), reminder_at);
    int next_level = current->escalation_level + 1;
    bool escalates = self->timing.escalate_every_bd > 0 && next_level <= self->timing.escalate_max;
    char *member = escalates ? zsys_sprintf ("%s|escalation|%d", current->id, next_level) : NULL;
    format_time (escalates ? obligation_escalation_at (self, deadline.deadline_value, next_level) : -1,
                 escalation_at);
    char *key = obligation_key (current->id);
    char *audit_key = key ? zsys_sprintf ("%s:audit", key) : NULL;
    char *entry = zsys_sprintf ("{\"at\":%lld,\"what\":\"deadline_moved\",\"reason\":\"%s\",\"old_deadline\":\"%s\","
                                "\"new_deadline\":\"%s\",\"anchor\":\"%s\"}",
                                (long long) now, reason, current->old_deadline, deadline.deadline, anchor_text);
    int result = -2;
    if (audit_key && entry && (!escalates || member)) {
        const char *argv[] = {key, MOT_KEY_OBLS, MOT_KEY_TIMERS, audit_key, current->id, current->old_deadline,
                              deadline.deadline, deadline.deadline_day, deadline.due_at, anchor_text, reminder_at,
                              member ? member : "", escalation_at, entry, required_status};
        bool ok;
        long long moved = eval_integer (self->redis, self->reschedule, 4, 15, argv, NULL, &ok);
        result = ok ? (int) moved : -2;
        if (moved == 1)
            mot_log_info ("deadline_moved", "obligation_id=%s reason=%s old_deadline=%s new_deadline=%s",
                          current->id, reason, current->old_deadline, deadline.deadline);
    }
    free (member);
    free (key);
    free (audit_key);
    free (entry);
    return result;
}

/* Reads anchor, n, deadline, escalation_level from an HMGET reply of
 * "anchor n deadline escalation_level status"; false when incomplete. */
static bool
read_current (redisReply *fields, current_t *current)
{
    if (!fields || fields->type != REDIS_REPLY_ARRAY || fields->elements != 5)
        return false;
    for (int i = 0; i < 3; i++)
        if (fields->element[i]->type != REDIS_REPLY_STRING)
            return false;
    if (!mot_day_parse (fields->element[0]->str, &current->old_anchor)
        || fields->element[2]->len >= MOT_DAY_TEXT_SIZE)
        return false;
    current->n = atoi (fields->element[1]->str);
    snprintf (current->old_deadline, sizeof current->old_deadline, "%s", fields->element[2]->str);
    current->escalation_level
        = fields->element[3]->type == REDIS_REPLY_STRING ? atoi (fields->element[3]->str) : 0;
    return current->n >= 0 && current->n <= MOT_OBLIGATION_MAX_DAYS;
}

#define CURRENT_FIELDS "anchor n deadline escalation_level status"

obligation_result_t
obligation_store_move_anchor (obligation_store_t *self, const char *obligation_id, mot_day_t anchor,
                              const char *reason, int64_t now)
{
    char *key = obligation_key (obligation_id);
    redisReply *fields = key ? mot_redis_command (self->redis, "HMGET %s " CURRENT_FIELDS, key) : NULL;
    free (key);
    if (!mot_reply_ok (fields)) {
        if (fields)
            freeReplyObject (fields);
        return OBLIGATION_FAILED;
    }
    current_t current = {.id = obligation_id};
    bool usable = read_current (fields, &current) && fields->element[4]->type == REDIS_REPLY_STRING
               && strcmp (fields->element[4]->str, "pending") == 0 && anchor > current.old_anchor;
    freeReplyObject (fields);
    if (!usable) {
        mot_log_info ("anchor_not_moved", "obligation_id=%s reason=%s", obligation_id, reason);
        return OBLIGATION_UNCHANGED;
    }
    int result = reschedule (self, &current, anchor, reason, "pending", now);
    return result == -2 ? OBLIGATION_FAILED : result == 1 ? OBLIGATION_CHANGED : OBLIGATION_UNCHANGED;
}

/* Recomputes one instance from its HMGET reply; returns 1 moved, 0 not, -1 failed. */
static int
recompute_one (obligation_store_t *self, const char *id, redisReply *fields, int64_t now)
{
    current_t current = {.id = id};
    if (!read_current (fields, &current) || fields->element[4]->type != REDIS_REPLY_STRING)
        return 0;
    const char *status = fields->element[4]->str;
    if (strcmp (status, "pending") != 0 && strcmp (status, "overdue") != 0)
        return 0;
    int result = reschedule (self, &current, current.old_anchor, "calendar_changed", "", now);
    return result == -2 ? -1 : result == 1 ? 1 : 0;
}

/* Recomputes the instances named in `ids`: their fields are read in one
 * pipeline first, then each is rescheduled. Returns how many moved, -1 when
 * Redis failed. */
static long
recompute_batch (obligation_store_t *self, redisReply *ids, int64_t now)
{
    size_t sent = 0;
    for (size_t i = 0; i < ids->elements; i++) {
        char *key = ids->element[i]->type == REDIS_REPLY_STRING ? obligation_key (ids->element[i]->str) : NULL;
        const char *argv[] = {"HMGET", key ? key : "-", "anchor", "n", "deadline", "escalation_level", "status"};
        if (mot_redis_append (self->redis, 7, argv, NULL))
            sent++;
        free (key);
    }
    redisReply **replies = calloc (sent + 1, sizeof *replies);
    bool ok = replies != NULL && sent == ids->elements;
    for (size_t i = 0; i < sent; i++) {
        redisReply *reply = mot_redis_read (self->redis);
        if (replies)
            replies[i] = reply;
        else if (reply)
            freeReplyObject (reply);
        ok = ok && reply != NULL;
    }
    long moved = 0;
    for (size_t i = 0; ok && i < sent; i++) {
        int one = mot_reply_ok (replies[i]) && ids->element[i]->type == REDIS_REPLY_STRING
                    ? recompute_one (self, ids->element[i]->str, replies[i], now)
                    : 0;
        ok = one >= 0;
        moved += one;
    }
    for (size_t i = 0; replies && i < sent; i++)
        if (replies[i])
            freeReplyObject (replies[i]);
    free (replies);
    return ok ? moved : -1;
}

long
obligation_store_recompute (obligation_store_t *self, int64_t now)
{
    long moved = 0;
    for (long start = 0;; start += RECOMPUTE_BATCH) {
        redisReply *ids = mot_redis_command (self->redis, "ZRANGE %s %ld %ld", MOT_KEY_OBLS, start,
                                             start + RECOMPUTE_BATCH - 1);
        if (!mot_reply_ok (ids) || ids->type != REDIS_REPLY_ARRAY) {
            if (ids)
                freeReplyObject (ids);
            return -1;
        }
        size_t count = ids->elements;
        long batch = count ? recompute_batch (self, ids, now) : 0;
        freeReplyObject (ids);
        if (batch < 0)
            return -1;
        moved += batch;
        if (count < RECOMPUTE_BATCH)
            break;
    }
    char *entry = zsys_sprintf ("{\"at\":%lld,\"what\":\"calendar_reloaded\",\"file\":\"%s\",\"deadlines_moved\":%ld}",
                                (long long) now, calendar_file_path (self->calendars), moved);
    redisReply *reply = entry ? mot_redis_command (self->redis, "RPUSH %s %s", MOT_KEY_CALENDAR_AUDIT, entry) : NULL;
    if (reply)
        freeReplyObject (reply);
    free (entry);
    mot_log_info ("deadlines_recomputed", "moved=%ld", moved);
    return moved;
}

bool
obligation_store_delivery_of (obligation_store_t *self, const char *obligation_id, char status[24],
                              mot_day_t *delivered_on)
{
    char *key = obligation_key (obligation_id);
    redisReply *reply = key ? mot_redis_command (self->redis, "HMGET %s status delivered_on", key) : NULL;
    free (key);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2;
    status[0] = 0;
    *delivered_on = 0;
    if (ok && reply->element[0]->type == REDIS_REPLY_STRING)
        snprintf (status, 24, "%s", reply->element[0]->str);
    if (ok && reply->element[1]->type == REDIS_REPLY_STRING && !mot_day_parse (reply->element[1]->str, delivered_on))
        *delivered_on = 0;
    if (reply)
        freeReplyObject (reply);
    return ok;
}

void
obligation_store_commit_event (obligation_store_t *self, const char *event_id)
{
    redisReply *reply = mot_redis_command (self->redis, "ZREM %s %s", MOT_KEY_PENDING_WATCH, event_id);
    if (reply)
        freeReplyObject (reply);
}
