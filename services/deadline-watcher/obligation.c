/*  obligation — obligation instances in Redis and their state changes, each
 *  one Lua script (see obligation.h for the keys and fields).
 */
#include "obligation.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: obligation hash, mot:obls, mot:timers.
 * ARGV: id, unit, report, report_name, period, deadline, deadline day number,
 *       due_at, now, reminder fire time ("" for none).
 * Returns 1 when created, 0 when the instance already existed. */
static const char *create_lua =
    "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end\n"
    "redis.call('HSET', KEYS[1], 'id', ARGV[1], 'unit', ARGV[2], 'report', ARGV[3],\n"
    "  'report_name', ARGV[4], 'period', ARGV[5], 'deadline', ARGV[6], 'due_at', ARGV[8],\n"
    "  'status', 'pending', 'created_at', ARGV[9])\n"
    "redis.call('ZADD', KEYS[2], ARGV[7], ARGV[1])\n"
    "redis.call('ZADD', KEYS[3], tonumber(ARGV[8]) + 1, ARGV[1] .. '|overdue')\n"
    "if ARGV[10] ~= '' then redis.call('ZADD', KEYS[3], ARGV[10], ARGV[1] .. '|reminder') end\n"
    "return 1\n";

/* KEYS: obligation hash, mot:obls, mot:timers, mot:pending:watch, mot:outbox,
 *       mot:notice:<notice_id>.
 * ARGV: event_id, id, unit, report, report_name, period, deadline ("" unknown),
 *       deadline day number ("" unknown), due_at ("" unknown), now,
 *       delivered_on, status, business_days_late, notice_id, packed notice
 *       ("" when on time).
 * Returns 1 when applied, 0 when this event was applied before, -1 when an
 * earlier delivery already cleared the obligation. */
static const char *deliver_lua =
    "local applied = redis.call('HGET', KEYS[1], 'delivery_event')\n"
    "if applied then\n"
    "  redis.call('ZREM', KEYS[4], ARGV[1])\n"
    "  if applied == ARGV[1] then return 0 end\n"
    "  return -1\n"
    "end\n"
    "if redis.call('EXISTS', KEYS[1]) == 0 then\n"
    "  redis.call('HSET', KEYS[1], 'id', ARGV[2], 'unit', ARGV[3], 'report', ARGV[4],\n"
    "    'report_name', ARGV[5], 'period', ARGV[6], 'deadline', ARGV[7], 'due_at', ARGV[9],\n"
    "    'created_at', ARGV[10])\n"
    "  if ARGV[8] ~= '' then redis.call('ZADD', KEYS[2], ARGV[8], ARGV[2]) end\n"
    "end\n"
    "redis.call('HSET', KEYS[1], 'status', ARGV[12], 'delivered_on', ARGV[11],\n"
    "  'business_days_late', ARGV[13], 'delivery_event', ARGV[1])\n"
    "redis.call('ZREM', KEYS[3], ARGV[2] .. '|reminder', ARGV[2] .. '|overdue')\n"
    "if ARGV[15] ~= '' and redis.call('HSETNX', KEYS[6], 'notice', ARGV[15]) == 1 then\n"
    "  redis.call('ZADD', KEYS[5], redis.call('TIME')[1], ARGV[14])\n"
    "end\n"
    "redis.call('ZREM', KEYS[4], ARGV[1])\n"
    "return 1\n";

struct _obligation_store_t {
    mot_redis_t *redis;
    mot_calendar_t *calendar;
    outbox_t *outbox;
    int remind_bd;
    mot_script_t *create;
    mot_script_t *deliver;
};

/* What the scripts need to know about one instance; text fields are our own
 * bounded formatting. */
typedef struct {
    char *id;
    char *key;
    char deadline[MOT_DAY_TEXT_SIZE];       /* "" when unknown */
    char deadline_day[16];
    char due_at[24];
    mot_day_t deadline_value;
    bool has_deadline;
} instance_t;

obligation_store_t *
obligation_store_new (mot_redis_t *redis, mot_calendar_t *calendar, outbox_t *outbox, int remind_bd)
{
    obligation_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->calendar = calendar;
    self->outbox = outbox;
    self->remind_bd = remind_bd;
    self->create = mot_script_new (create_lua);
    self->deliver = mot_script_new (deliver_lua);
    if (!self->create || !self->deliver)
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
    free (self);
    *self_p = NULL;
}

char *
obligation_key (const char *obligation_id)
{
    size_t size = strlen (MOT_KEY_OBL_PREFIX) + strlen (obligation_id) + 3;
    char *key = malloc (size);
    if (key)
        snprintf (key, size, "%s{%s}", MOT_KEY_OBL_PREFIX, obligation_id);
    return key;
}

static bool
instance_init (instance_t *instance, const mot_obligation_def_t *def, const char *period)
{
    memset (instance, 0, sizeof *instance);
    instance->id = mot_obligation_id (def, period);
    instance->key = instance->id ? obligation_key (instance->id) : NULL;
    return instance->key != NULL;
}

static void
instance_set_deadline (instance_t *instance, mot_day_t deadline)
{
    instance->deadline_value = deadline;
    instance->has_deadline = true;
    mot_day_format (deadline, instance->deadline);
    snprintf (instance->deadline_day, sizeof instance->deadline_day, "%d", (int) deadline);
    snprintf (instance->due_at, sizeof instance->due_at, "%lld", (long long) mot_day_end_local (deadline));
}

static void
instance_clear (instance_t *instance)
{
    free (instance->id);
    free (instance->key);
    instance->id = instance->key = NULL;
}

/* Runs a script whose reply is an integer; OBLIGATION_FAILED on any error. */
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

/* The reminder's fire time as text, or "" when there is none: disabled, or
 * the deadline has already ended. */
static void
format_reminder_at (obligation_store_t *self, const instance_t *instance, int64_t now, char out[24])
{
    out[0] = 0;
    if (self->remind_bd <= 0 || now > mot_day_end_local (instance->deadline_value))
        return;
    mot_day_t day = mot_obligation_reminder_day (self->calendar, instance->deadline_value, self->remind_bd);
    snprintf (out, 24, "%lld", (long long) mot_day_start_local (day));
}

obligation_result_t
obligation_store_create (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
                         mot_day_t deadline, int64_t now)
{
    instance_t instance;
    if (!instance_init (&instance, def, period)) {
        instance_clear (&instance);
        return OBLIGATION_FAILED;
    }
    instance_set_deadline (&instance, deadline);
    char now_text[24], reminder_at[24];
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    format_reminder_at (self, &instance, now, reminder_at);
    const char *argv[] = {instance.key, MOT_KEY_OBLS, MOT_KEY_TIMERS, instance.id, def->unit_name, def->code,
                          def->name, period, instance.deadline, instance.deadline_day, instance.due_at,
                          now_text, reminder_at};
    bool ok;
    long long created = eval_integer (self->redis, self->create, 3, 13, argv, NULL, &ok);
    if (ok && created == 1)
        mot_log_info ("obligation_created", "obligation_id=%s deadline=%s reminder_at=%s", instance.id,
                      instance.deadline, reminder_at[0] ? reminder_at : "none");
    if (ok && created != 1)
        mot_log_debug ("obligation_exists", "obligation_id=%s", instance.id);
    if (!ok)
        mot_log_error ("obligation_create_failed", "obligation_id=%s", instance.id);
    instance_clear (&instance);
    return !ok ? OBLIGATION_FAILED : created == 1 ? OBLIGATION_CHANGED : OBLIGATION_UNCHANGED;
}

/* The deadline of the instance: as recorded, else from the catalogue rule for
 * a monthly period; unknown for an event obligation whose trigger has not
 * arrived. False when Redis could not be read. */
static bool
find_deadline (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
               instance_t *instance)
{
    redisReply *reply = mot_redis_command (self->redis, "HGET %s deadline", instance->key);
    bool ok = mot_reply_ok (reply);
    mot_day_t deadline;
    int year, month;
    if (ok && reply->type == REDIS_REPLY_STRING && mot_day_parse (reply->str, &deadline))
        instance_set_deadline (instance, deadline);
    else
    if (ok && def->rule == MOT_RULE_MONTH_CLOSE && mot_period_parse (period, &year, &month))
        instance_set_deadline (instance, mot_obligation_deadline_for_month (def, self->calendar, year, month));
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The DELIVERED_LATE notice, packed (NULL when on time or out of memory). */
static uint8_t *
pack_late_notice (const mot_obligation_def_t *def, const char *period, const instance_t *instance,
                  const char *notice_id, int late, int64_t now, size_t *size)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) notice_id;
    notice.kind = MOT__V1__NOTICE_KIND__DELIVERED_LATE;
    notice.unit = def->unit;
    notice.report = (char *) def->code;
    notice.report_name = (char *) def->name;
    notice.period = (char *) period;
    notice.deadline = (char *) instance->deadline;
    notice.has_business_days_late = true;
    notice.business_days_late = (uint32_t) late;
    notice.has_fired_at = true;
    notice.fired_at = now;
    notice.obligation_id = instance->id;
    return outbox_pack (&notice, size);
}

static obligation_result_t
apply_delivery (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
                mot_day_t delivered_on, const char *event_id, int64_t now, instance_t *instance)
{
    int late = instance->has_deadline
                 ? mot_calendar_business_days_between (self->calendar, instance->deadline_value, delivered_on)
                 : 0;
    char now_text[24], late_text[16], delivered_text[MOT_DAY_TEXT_SIZE];
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    snprintf (late_text, sizeof late_text, "%d", late);
    mot_day_format (delivered_on, delivered_text);
    char *notice_id = outbox_notice_id (instance->id, MOT__V1__NOTICE_KIND__DELIVERED_LATE);
    char *notice_key = notice_id ? malloc (strlen (MOT_KEY_NOTICE_PREFIX) + strlen (notice_id) + 1) : NULL;
    size_t packed_size = 0;
    uint8_t *packed = late > 0 && notice_key
                        ? pack_late_notice (def, period, instance, notice_id, late, now, &packed_size)
                        : NULL;
    if (!notice_key || (late > 0 && !packed)) {
        free (notice_id);
        free (notice_key);
        free (packed);
        return OBLIGATION_FAILED;
    }
    sprintf (notice_key, "%s%s", MOT_KEY_NOTICE_PREFIX, notice_id);
    const char *argv[] = {instance->key, MOT_KEY_OBLS, MOT_KEY_TIMERS, MOT_KEY_PENDING_WATCH, MOT_KEY_OUTBOX,
                          notice_key, event_id, instance->id, def->unit_name, def->code, def->name, period,
                          instance->deadline, instance->deadline_day, instance->due_at, now_text,
                          delivered_text, late > 0 ? "delivered_late" : "delivered", late_text, notice_id,
                          packed ? (const char *) packed : ""};
    size_t lengths[21];
    for (int i = 0; i < 20; i++)
        lengths[i] = strlen (argv[i]);
    lengths[20] = packed ? packed_size : 0;
    bool ok;
    long long applied = eval_integer (self->redis, self->deliver, 6, 21, argv, lengths, &ok);
    if (!ok)
        mot_log_error ("delivery_failed", "event_id=%s obligation_id=%s", event_id, instance->id);
    else
    if (applied == 1) {
        mot_log_info ("delivery_recorded", "event_id=%s obligation_id=%s delivered_on=%s business_days_late=%d",
                      event_id, instance->id, delivered_text, late);
        if (packed && !outbox_push (self->outbox, packed, packed_size))
            mot_log_warn ("notice_not_sent", "notice_id=%s redrive=1", notice_id);
    }
    else
        mot_log_info ("delivery_ignored", "event_id=%s obligation_id=%s reason=%s", event_id, instance->id,
                      applied == 0 ? "event_already_applied" : "already_delivered");
    free (notice_id);
    free (notice_key);
    free (packed);
    return !ok ? OBLIGATION_FAILED : applied == 1 ? OBLIGATION_CHANGED : OBLIGATION_UNCHANGED;
}

obligation_result_t
obligation_store_deliver (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
                          mot_day_t delivered_on, const char *event_id, int64_t now)
{
    instance_t instance;
    obligation_result_t result = OBLIGATION_FAILED;
    if (instance_init (&instance, def, period) && find_deadline (self, def, period, &instance))
        result = apply_delivery (self, def, period, delivered_on, event_id, now, &instance);
    instance_clear (&instance);
    return result;
}
