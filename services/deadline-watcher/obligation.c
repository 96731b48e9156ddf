/*  obligation — obligation instances in Redis and their state changes, each
 *  one Lua script (see obligation.h).
 */
#include "obligation.h"
#include "mot_metrics.h"
#include "mot_call.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "escalation.h"
#include "mot_log.h"
#include "mot_notice_log.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECOMPUTE_BATCH 500

/* The scripts, beside this file (layouts in common/mot_scripts.h). */
#include "await_lua.h"
#include "create_lua.h"
#include "deliver_lua.h"
#include "reschedule_lua.h"

struct _obligation_store_t {
    mot_redis_t *redis;
    calendar_file_t *calendars;
    notice_log_t *log;
    obligation_timing_t timing;
    mot_script_t *create;
    mot_script_t *await;
    mot_script_t *deliver;
    mot_script_t *reschedule;
};

/* What the scripts need to know about one instance's deadline; text fields
 * are our own bounded formatting. */
typedef struct {
    char deadline[MOT_DAY_TEXT_SIZE];       /* "" when unknown */
    char deadline_day[16];
    char due_at[24];
    char overdue_at[24];                    /* when the overdue notice fires: the second after due_at */
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
    self->await = mot_script_new (await_lua);
    self->deliver = mot_script_new (deliver_lua);
    self->reschedule = mot_script_new (reschedule_lua);
    if (!self->create || !self->await || !self->deliver || !self->reschedule)
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
    mot_script_destroy (&self->await);
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

static void
deadline_set (deadline_t *deadline, mot_day_t day)
{
    deadline->deadline_value = day;
    deadline->has_deadline = true;
    mot_day_format (day, deadline->deadline);
    snprintf (deadline->deadline_day, sizeof deadline->deadline_day, "%d", (int) day);
    snprintf (deadline->due_at, sizeof deadline->due_at, "%lld", (long long) mot_day_end_local (day));
    snprintf (deadline->overdue_at, sizeof deadline->overdue_at, "%lld", (long long) mot_day_end_local (day) + 1);
}

/* Runs a script whose reply is an integer; *ok false on any error. */
static long long
eval_integer (mot_redis_t *redis, mot_script_t *script, mot_call_t *call, bool *ok)
{
    redisReply *reply = mot_call_eval (call, redis, script);
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
    char *overdue_member, *reminder_member;
    deadline_t deadline;
    char reminder_at[24], anchor[MOT_DAY_TEXT_SIZE], n[16];
} creation_t;

static bool
creation_prepare (obligation_store_t *self, const obligation_spec_t *spec, int64_t now, creation_t *c)
{
    c->id = mot_obligation_id (spec->def, spec->period);
    c->key = c->id ? mot_key_obligation (c->id) : NULL;
    c->overdue_member = c->id ? mot_timer_member (c->id, MOT__V1__NOTICE_KIND__OVERDUE, 0) : NULL;
    c->reminder_member = c->id ? mot_timer_member (c->id, MOT__V1__NOTICE_KIND__REMINDER, 0) : NULL;
    if (!c->key || !c->overdue_member || !c->reminder_member)
        return false;
    deadline_set (&c->deadline, mot_calendar_add_business_days (calendar_file_current (self->calendars),
                                                               spec->anchor, spec->n));
    format_time (obligation_reminder_at (self, c->deadline.deadline_value, now), c->reminder_at);
    mot_day_format (spec->anchor, c->anchor);
    snprintf (c->n, sizeof c->n, "%d", spec->n);
    return true;
}

/* Sets the INSTANCE record at (key base k, argument base a) of a create.lua call. */
static void
set_instance (mot_call_t *call, size_t k, size_t a, const obligation_spec_t *spec, const creation_t *c)
{
    mot_call_key (call, k + INSTANCE_KEY_OBLIGATION, c->key);
    const char *args[INSTANCE_ARGS] = {
        [INSTANCE_ARG_ID] = c->id, [INSTANCE_ARG_UNIT] = spec->def->unit_name,
        [INSTANCE_ARG_REPORT] = spec->def->code, [INSTANCE_ARG_REPORT_NAME] = spec->def->name,
        [INSTANCE_ARG_PERIOD] = spec->period, [INSTANCE_ARG_DEADLINE] = c->deadline.deadline,
        [INSTANCE_ARG_DEADLINE_DAY] = c->deadline.deadline_day, [INSTANCE_ARG_DUE_AT] = c->deadline.due_at,
        [INSTANCE_ARG_ANCHOR] = c->anchor, [INSTANCE_ARG_DAYS] = c->n, [INSTANCE_ARG_TERRITORY] = spec->territory,
        [INSTANCE_ARG_RESPONSIBLE] = spec->responsible, [INSTANCE_ARG_EVENT_ID] = spec->event_id,
        [INSTANCE_ARG_OVERDUE_MEMBER] = c->overdue_member, [INSTANCE_ARG_OVERDUE_AT] = c->deadline.overdue_at,
        [INSTANCE_ARG_REMINDER_MEMBER] = c->reminder_member, [INSTANCE_ARG_REMINDER_AT] = c->reminder_at};
    for (size_t i = 0; i < INSTANCE_ARGS; i++)
        mot_call_arg (call, a + i, args[i]);
}

/* Runs create.lua on every prepared instance; the reply (one integer each) or NULL. */
static redisReply *
run_create_script (obligation_store_t *self, const obligation_spec_t *specs, const creation_t *creations,
                   size_t count, int64_t now)
{
    char now_text[24];
    format_time (now, now_text);
    mot_call_t call;
    mot_call_init (&call, CREATE_KEYS + count * INSTANCE_KEYS, CREATE_ARGS + count * INSTANCE_ARGS);
    mot_call_key (&call, CREATE_KEY_OBLS, MOT_KEY_OBLS);
    mot_call_key (&call, CREATE_KEY_TIMERS, MOT_KEY_TIMERS);
    mot_call_key (&call, CREATE_KEY_PENDING, MOT_KEY_PENDING_WATCH);
    mot_call_arg (&call, CREATE_ARG_NOW, now_text);
    for (size_t i = 0; i < count; i++)
        set_instance (&call, CREATE_KEYS + i * INSTANCE_KEYS, CREATE_ARGS + i * INSTANCE_ARGS, &specs[i],
                      &creations[i]);
    redisReply *reply = mot_call_eval (&call, self->redis, self->create);
    mot_call_free (&call);
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
        mot_counter_add (mot_metrics_counter (MOT_WATCHER_TIMERS_METRIC, MOT_WATCHER_TIMERS_HELP, "outcome", "created", NULL),
                         c->reminder_at[0] ? 2 : 1);
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
        free (creations[i].overdue_member);
        free (creations[i].reminder_member);
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

/* ---- after: obligations, waiting for their inputs ------------------------ */

/* One await.lua call's inputs: the obligation key and name of each report
 * an after: rule waits for (malloc'd). */
typedef struct {
    char **keys;
    char **names;
    size_t count;
} inputs_t;

static void
inputs_free (inputs_t *inputs)
{
    for (size_t i = 0; i < inputs->count; i++) {
        free (inputs->keys[i]);
        free (inputs->names[i]);
    }
    free (inputs->keys);
    free (inputs->names);
    memset (inputs, 0, sizeof *inputs);
}

/* False when out of memory. */
static bool
inputs_prepare (const mot_obligation_def_t *def, const char *period, inputs_t *inputs)
{
    memset (inputs, 0, sizeof *inputs);
    inputs->keys = calloc (def->dep_count + 1, sizeof *inputs->keys);
    inputs->names = calloc (def->dep_count + 1, sizeof *inputs->names);
    bool ok = inputs->keys && inputs->names;
    for (size_t i = 0; ok && i < def->dep_count; i++) {
        const char *unit = mot_source_name (def->deps[i].unit);
        char *id = mot_obligation_id_of (unit, def->deps[i].code, period);
        inputs->keys[i] = id ? mot_key_obligation (id) : NULL;
        inputs->names[i] = zsys_sprintf ("%s/%s", unit, def->deps[i].code);
        inputs->count++;
        ok = inputs->keys[i] && inputs->names[i];
        free (id);
    }
    return ok;
}

/* Runs await.lua; its reply ({outcome, text}) or NULL when it failed. */
static redisReply *
run_await (obligation_store_t *self, const mot_obligation_def_t *def, const char *period, const char *id,
           const char *key, mot_day_t close, int64_t now, const inputs_t *inputs)
{
    char n[16], close_day[16], now_text[24];
    snprintf (n, sizeof n, "%d", def->n);
    snprintf (close_day, sizeof close_day, "%d", (int) close);
    format_time (now, now_text);
    mot_call_t call;
    mot_call_init (&call, AWAIT_KEYS + inputs->count * AWAIT_INPUT_KEYS, AWAIT_ARGS + inputs->count * AWAIT_INPUT_ARGS);
    mot_call_key (&call, AWAIT_KEY_OBLIGATION, key);
    mot_call_key (&call, AWAIT_KEY_OBLS, MOT_KEY_OBLS);
    const char *args[AWAIT_ARGS] = {
        [AWAIT_ARG_ID] = id, [AWAIT_ARG_UNIT] = def->unit_name, [AWAIT_ARG_REPORT] = def->code,
        [AWAIT_ARG_REPORT_NAME] = def->name, [AWAIT_ARG_PERIOD] = period, [AWAIT_ARG_DAYS] = n,
        [AWAIT_ARG_CLOSE_DAY] = close_day, [AWAIT_ARG_NOW] = now_text};
    for (size_t i = 0; i < AWAIT_ARGS; i++)
        mot_call_arg (&call, i, args[i]);
    for (size_t i = 0; i < inputs->count; i++) {
        mot_call_key (&call, AWAIT_KEYS + i * AWAIT_INPUT_KEYS + AWAIT_INPUT_KEY_OBLIGATION, inputs->keys[i]);
        mot_call_arg (&call, AWAIT_ARGS + i * AWAIT_INPUT_ARGS + AWAIT_INPUT_ARG_NAME, inputs->names[i]);
    }
    redisReply *reply = mot_call_eval (&call, self->redis, self->await);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements >= 1
           && reply->element[0]->type == REDIS_REPLY_INTEGER
           && (reply->element[0]->integer == AWAIT_SETTLED
               || (reply->elements == 2 && reply->element[1]->type == REDIS_REPLY_STRING));
    if (!ok && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

/* Every input is in, the last on `last_text`: the obligation becomes pending. */
static obligation_result_t
await_done (obligation_store_t *self, const mot_obligation_def_t *def, const char *period, const char *id,
            mot_day_t close, const char *last_text, int64_t now)
{
    mot_day_t last;
    if (!mot_day_parse (last_text, &last)) {
        mot_log_error ("await_failed", "obligation_id=%s reason=bad_delivered_on", id);
        return OBLIGATION_FAILED;
    }
    obligation_spec_t spec = {.def = def, .period = period, .n = def->n,
                              .anchor = mot_obligation_after_anchor (close, last)};
    return obligation_store_create (self, &spec, now);
}

obligation_result_t
obligation_store_await (obligation_store_t *self, const mot_obligation_def_t *def, const char *period,
                        mot_day_t close, int64_t now)
{
    char *id = mot_obligation_id (def, period);
    char *key = id ? mot_key_obligation (id) : NULL;
    inputs_t inputs;
    bool prepared = inputs_prepare (def, period, &inputs) && key;
    redisReply *reply = prepared ? run_await (self, def, period, id, key, close, now, &inputs) : NULL;
    obligation_result_t result = reply ? OBLIGATION_UNCHANGED : OBLIGATION_FAILED;
    if (!reply)
        mot_log_error ("await_failed", "obligation_id=%s", id ? id : "?");
    else
    if (reply->element[0]->integer == AWAIT_WAITING)
        mot_log_info ("obligation_waiting", "obligation_id=%s missing=%s", id, reply->element[1]->str);
    else
    if (reply->element[0]->integer == AWAIT_READY)
        result = await_done (self, def, period, id, close, reply->element[1]->str, now);
    if (reply)
        freeReplyObject (reply);
    inputs_free (&inputs);
    free (key);
    free (id);
    return result;
}

/* ---- deliveries ----------------------------------------------------------- */

/* The deadline of the instance: as recorded, else from the period's close
 * for a monthly rule (month_close, or last_update with no update recorded)
 * or a quarterly one; unknown otherwise (an event obligation whose trigger
 * has not arrived, an after: obligation still waiting). False when Redis
 * could not be read. */
static bool
find_deadline (obligation_store_t *self, const mot_obligation_def_t *def, const char *period, const char *key,
               deadline_t *deadline)
{
    memset (deadline, 0, sizeof *deadline);
    redisReply *reply = mot_redis_command (self->redis, "HGET %s %s", key, MOT_OBL_DEADLINE);
    bool ok = mot_reply_ok (reply);
    mot_day_t day, close;
    if (ok && reply->type == REDIS_REPLY_STRING && mot_day_parse (reply->str, &day))
        deadline_set (deadline, day);
    else
    if (ok && (mot_obligation_is_monthly (def) || mot_obligation_is_quarterly (def))
        && mot_obligation_period_close (def, period, &close))
        deadline_set (deadline, mot_calendar_add_business_days (calendar_file_current (self->calendars), close, def->n));
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

/* The members of every timer an obligation may have pending: its
 * reminder, its overdue timer and each escalation level (malloc'd, NULL
 * terminated; NULL when out of memory). */
static char **
timer_members (const char *obligation_id)
{
    enum { COUNT = 2 + ESCALATION_MAX_LEVELS };
    char **members = calloc (COUNT + 1, sizeof *members);
    bool ok = members != NULL;
    for (int i = 0; ok && i < COUNT; i++) {
        Mot__V1__NoticeKind kind = i == 0 ? MOT__V1__NOTICE_KIND__REMINDER
                                 : i == 1 ? MOT__V1__NOTICE_KIND__OVERDUE
                                          : MOT__V1__NOTICE_KIND__ESCALATION;
        ok = (members[i] = mot_timer_member (obligation_id, kind, i - 1)) != NULL;
    }
    if (!ok && members) {
        for (int i = 0; i < COUNT; i++)
            free (members[i]);
        free (members);
        members = NULL;
    }
    return members;
}

/* Runs deliver.lua; texts are now, delivered_on, status, business days
 * late. Returns its answer; *ok false when it failed. */
static long long
run_deliver (obligation_store_t *self, const delivery_t *delivery, const deadline_t *deadline,
             const char *const texts[4], const mot_notice_batch_t *batch, bool *ok)
{
    char **cancel = timer_members (delivery->id);
    size_t cancels = 0;
    while (cancel && cancel[cancels])
        cancels++;
    mot_call_t call;
    mot_call_init (&call, DELIVER_KEYS, DELIVER_ARGS + cancels * CANCEL_ARGS);
    const char *keys[DELIVER_KEYS] = {
        [DELIVER_KEY_OBLIGATION] = delivery->key, [DELIVER_KEY_OBLS] = MOT_KEY_OBLS,
        [DELIVER_KEY_TIMERS] = MOT_KEY_TIMERS, [DELIVER_KEY_PENDING] = MOT_KEY_PENDING_WATCH,
        [DELIVER_KEY_SEQ] = MOT_KEY_SEQ_NOTICE, [DELIVER_KEY_LOG] = MOT_KEY_NOTICES};
    const char *args[DELIVER_ARGS] = {
        [DELIVER_ARG_EVENT_ID] = delivery->event_id, [DELIVER_ARG_ID] = delivery->id,
        [DELIVER_ARG_UNIT] = delivery->def->unit_name, [DELIVER_ARG_REPORT] = delivery->def->code,
        [DELIVER_ARG_REPORT_NAME] = delivery->def->name, [DELIVER_ARG_PERIOD] = delivery->period,
        [DELIVER_ARG_DEADLINE] = deadline->deadline, [DELIVER_ARG_DEADLINE_DAY] = deadline->deadline_day,
        [DELIVER_ARG_DUE_AT] = deadline->due_at, [DELIVER_ARG_NOW] = texts[0],
        [DELIVER_ARG_DELIVERED_ON] = texts[1], [DELIVER_ARG_STATUS] = texts[2],
        [DELIVER_ARG_BUSINESS_DAYS_LATE] = texts[3], [DELIVER_ARG_KEEP_PENDING] = delivery->keep_pending ? "1" : "0"};
    for (size_t i = 0; i < DELIVER_KEYS; i++)
        mot_call_key (&call, i, keys[i]);
    for (size_t i = 0; i < DELIVER_ARGS; i++)
        if (i == DELIVER_ARG_NOTICES)
            mot_call_bytes (&call, i, batch->data, batch->count ? batch->size : 0);
        else
            mot_call_arg (&call, i, args[i]);
    for (size_t i = 0; i < cancels; i++)
        mot_call_arg (&call, DELIVER_ARGS + i * CANCEL_ARGS + CANCEL_ARG_MEMBER, cancel[i]);
    long long applied = cancel ? eval_integer (self->redis, self->deliver, &call, ok) : 0;
    if (!cancel)
        *ok = false;
    mot_call_free (&call);
    for (size_t i = 0; i < cancels; i++)
        free (cancel[i]);
    free (cancel);
    return applied;
}

static obligation_result_t
apply_delivery (obligation_store_t *self, const delivery_t *delivery, const deadline_t *deadline, int64_t now)
{
    int late = deadline->has_deadline
                 ? mot_obligation_business_days_late (calendar_file_current (self->calendars),
                                                      deadline->deadline_value, delivery->delivered_on)
                 : 0;
    char now_text[24], late_text[16], delivered_text[MOT_DAY_TEXT_SIZE];
    format_time (now, now_text);
    snprintf (late_text, sizeof late_text, "%d", late);
    mot_day_format (delivery->delivered_on, delivered_text);
    char *notice_id = mot_timer_member (delivery->id, MOT__V1__NOTICE_KIND__DELIVERED_LATE, 0);
    mot_notice_batch_t batch;
    mot_notice_batch_init (&batch);
    if (!notice_id || (late > 0 && !late_notice_batch (delivery->def, delivery->period, delivery->id, deadline,
                                                       notice_id, late, now, &batch))) {
        free (notice_id);
        return OBLIGATION_FAILED;
    }
    const char *status = late > 0 ? MOT_STATUS_DELIVERED_LATE : MOT_STATUS_DELIVERED;
    const char *texts[] = {now_text, delivered_text, status, late_text};
    bool ok = false;
    long long applied = run_deliver (self, delivery, deadline, texts, &batch, &ok);
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
    char *key = id ? mot_key_obligation (id) : NULL;
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

/* What one reschedule sends: the new deadline and the obligation's keys,
 * timer members and audit entry. */
typedef struct {
    deadline_t deadline;
    char anchor[MOT_DAY_TEXT_SIZE], reminder_at[24], escalation_at[24];
    char *key, *audit_key, *entry, *overdue, *reminder, *escalation;
} move_t;

static void
move_free (move_t *move)
{
    free (move->key);
    free (move->audit_key);
    free (move->entry);
    free (move->overdue);
    free (move->reminder);
    free (move->escalation);
}

/* Prepares the move of `current` to a deadline n business days after
 * `anchor`; false when out of memory. */
static bool
move_prepare (obligation_store_t *self, const current_t *current, mot_day_t anchor, const char *reason, int64_t now,
              move_t *move)
{
    mot_day_format (anchor, move->anchor);
    format_time (obligation_reminder_at (self, move->deadline.deadline_value, now), move->reminder_at);
    int next_level = current->escalation_level + 1;
    bool escalates = self->timing.escalate_every_bd > 0 && next_level <= self->timing.escalate_max;
    move->escalation
        = escalates ? mot_timer_member (current->id, MOT__V1__NOTICE_KIND__ESCALATION, next_level) : strdup ("");
    format_time (escalates ? obligation_escalation_at (self, move->deadline.deadline_value, next_level) : -1,
                 move->escalation_at);
    move->key = mot_key_obligation (current->id);
    move->audit_key = mot_key_obligation_audit (current->id);
    move->overdue = mot_timer_member (current->id, MOT__V1__NOTICE_KIND__OVERDUE, 0);
    move->reminder = mot_timer_member (current->id, MOT__V1__NOTICE_KIND__REMINDER, 0);
    move->entry = zsys_sprintf ("{\"at\":%lld,\"what\":\"deadline_moved\",\"reason\":\"%s\",\"old_deadline\":\"%s\","
                                "\"new_deadline\":\"%s\",\"anchor\":\"%s\"}",
                                (long long) now, reason, current->old_deadline, move->deadline.deadline, move->anchor);
    return move->escalation && move->key && move->audit_key && move->overdue && move->reminder && move->entry;
}

/* Runs reschedule.lua for a prepared move; its answer, *ok false when it failed. */
static long long
run_reschedule (obligation_store_t *self, const current_t *current, const move_t *move,
                const char *required_status, bool *ok)
{
    const char *keys[RESCHEDULE_KEYS] = {
        [RESCHEDULE_KEY_OBLIGATION] = move->key, [RESCHEDULE_KEY_OBLS] = MOT_KEY_OBLS,
        [RESCHEDULE_KEY_TIMERS] = MOT_KEY_TIMERS, [RESCHEDULE_KEY_AUDIT] = move->audit_key};
    const char *args[RESCHEDULE_ARGS] = {
        [RESCHEDULE_ARG_ID] = current->id, [RESCHEDULE_ARG_OLD_DEADLINE] = current->old_deadline,
        [RESCHEDULE_ARG_DEADLINE] = move->deadline.deadline, [RESCHEDULE_ARG_DEADLINE_DAY] = move->deadline.deadline_day,
        [RESCHEDULE_ARG_DUE_AT] = move->deadline.due_at, [RESCHEDULE_ARG_ANCHOR] = move->anchor,
        [RESCHEDULE_ARG_OVERDUE_MEMBER] = move->overdue, [RESCHEDULE_ARG_OVERDUE_AT] = move->deadline.overdue_at,
        [RESCHEDULE_ARG_REMINDER_MEMBER] = move->reminder, [RESCHEDULE_ARG_REMINDER_AT] = move->reminder_at,
        [RESCHEDULE_ARG_ESCALATION_MEMBER] = move->escalation, [RESCHEDULE_ARG_ESCALATION_AT] = move->escalation_at,
        [RESCHEDULE_ARG_ENTRY] = move->entry, [RESCHEDULE_ARG_REQUIRED_STATUS] = required_status};
    mot_call_t call;
    mot_call_init (&call, RESCHEDULE_KEYS, RESCHEDULE_ARGS);
    for (size_t i = 0; i < RESCHEDULE_KEYS; i++)
        mot_call_key (&call, i, keys[i]);
    for (size_t i = 0; i < RESCHEDULE_ARGS; i++)
        mot_call_arg (&call, i, args[i]);
    long long answer = eval_integer (self->redis, self->reschedule, &call, ok);
    mot_call_free (&call);
    return answer;
}

/* Runs the reschedule script for `current` to a new anchor. Returns the
 * script's answer (1 moved, 0 changed meanwhile, -1 wrong status), or -2
 * when Redis failed. */
static int
reschedule (obligation_store_t *self, const current_t *current, mot_day_t anchor, const char *reason,
            const char *required_status, int64_t now)
{
    move_t move = {0};
    deadline_set (&move.deadline,
                  mot_calendar_add_business_days (calendar_file_current (self->calendars), anchor, current->n));
    if (strcmp (move.deadline.deadline, current->old_deadline) == 0 && anchor == current->old_anchor)
        return 0;
    int result = -2;
    if (move_prepare (self, current, anchor, reason, now, &move)) {
        bool ok;
        long long moved = run_reschedule (self, current, &move, required_status, &ok);
        result = ok ? (int) moved : -2;
        if (moved == 1)
            mot_log_info ("deadline_moved", "obligation_id=%s reason=%s old_deadline=%s new_deadline=%s",
                          current->id, reason, current->old_deadline, move.deadline.deadline);
    }
    move_free (&move);
    return result;
}

/* The fields reschedule reads, in this order (HMGET). */
enum { C_ANCHOR, C_N, C_DEADLINE, C_ESCALATION_LEVEL, C_STATUS, C_COUNT };

/* The HMGET of those fields of the obligation whose hash is `key`; returns
 * its argc. Without a key (out of memory), a PING that keeps a pipeline's
 * replies in step and reads no key (the watcher's Redis user may read
 * obligations only). */
static int
read_current_command (const char *key, const char *argv[2 + C_COUNT])
{
    const char *command[2 + C_COUNT] = {key ? "HMGET" : "PING", key, MOT_OBL_ANCHOR, MOT_OBL_N, MOT_OBL_DEADLINE,
                                        MOT_OBL_ESCALATION_LEVEL, MOT_OBL_STATUS};
    memcpy (argv, command, sizeof command);
    return key ? 2 + C_COUNT : 1;
}

/* Reads anchor, n, deadline, escalation_level from the HMGET reply of
 * read_current_command; false when incomplete. */
static bool
read_current (redisReply *fields, current_t *current)
{
    if (!fields || fields->type != REDIS_REPLY_ARRAY || fields->elements != C_COUNT)
        return false;
    for (int i = C_ANCHOR; i <= C_DEADLINE; i++)
        if (fields->element[i]->type != REDIS_REPLY_STRING)
            return false;
    if (!mot_day_parse (fields->element[C_ANCHOR]->str, &current->old_anchor)
        || fields->element[C_DEADLINE]->len >= MOT_DAY_TEXT_SIZE)
        return false;
    current->n = atoi (fields->element[C_N]->str);
    snprintf (current->old_deadline, sizeof current->old_deadline, "%s", fields->element[C_DEADLINE]->str);
    current->escalation_level = fields->element[C_ESCALATION_LEVEL]->type == REDIS_REPLY_STRING
                                  ? atoi (fields->element[C_ESCALATION_LEVEL]->str)
                                  : 0;
    return current->n >= 0 && current->n <= MOT_OBLIGATION_MAX_DAYS;
}

static obligation_result_t
change_anchor (obligation_store_t *self, const char *obligation_id, mot_day_t anchor, const char *reason,
               bool forward_only, int64_t now);

obligation_result_t
obligation_store_move_anchor (obligation_store_t *self, const char *obligation_id, mot_day_t anchor,
                              const char *reason, int64_t now)
{
    return change_anchor (self, obligation_id, anchor, reason, true, now);
}

obligation_result_t
obligation_store_set_anchor (obligation_store_t *self, const char *obligation_id, mot_day_t anchor,
                             const char *reason, int64_t now)
{
    return change_anchor (self, obligation_id, anchor, reason, false, now);
}

static obligation_result_t
change_anchor (obligation_store_t *self, const char *obligation_id, mot_day_t anchor, const char *reason,
               bool forward_only, int64_t now)
{
    char *key = mot_key_obligation (obligation_id);
    const char *argv[2 + C_COUNT];
    int argc = read_current_command (key, argv);
    redisReply *fields = key ? mot_redis_commandv (self->redis, argc, argv, NULL) : NULL;
    free (key);
    if (!mot_reply_ok (fields)) {
        if (fields)
            freeReplyObject (fields);
        return OBLIGATION_FAILED;
    }
    current_t current = {.id = obligation_id};
    bool usable = read_current (fields, &current) && fields->element[C_STATUS]->type == REDIS_REPLY_STRING
               && strcmp (fields->element[C_STATUS]->str, MOT_STATUS_PENDING) == 0
               && (forward_only ? anchor > current.old_anchor : anchor != current.old_anchor);
    freeReplyObject (fields);
    if (!usable) {
        mot_log_info ("anchor_not_moved", "obligation_id=%s reason=%s", obligation_id, reason);
        return OBLIGATION_UNCHANGED;
    }
    int result = reschedule (self, &current, anchor, reason, MOT_STATUS_PENDING, now);
    return result == -2 ? OBLIGATION_FAILED : result == 1 ? OBLIGATION_CHANGED : OBLIGATION_UNCHANGED;
}

/* Recomputes one instance from its HMGET reply; returns 1 moved, 0 not, -1 failed. */
static int
recompute_one (obligation_store_t *self, const char *id, redisReply *fields, int64_t now)
{
    current_t current = {.id = id};
    if (!read_current (fields, &current) || fields->element[C_STATUS]->type != REDIS_REPLY_STRING
        || !mot_status_is_pending (fields->element[C_STATUS]->str))
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
        char *key = ids->element[i]->type == REDIS_REPLY_STRING ? mot_key_obligation (ids->element[i]->str) : NULL;
        const char *argv[2 + C_COUNT];
        if (mot_redis_append (self->redis, read_current_command (key, argv), argv, NULL))
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
    char *key = mot_key_obligation (obligation_id);
    redisReply *reply = key ? mot_redis_command (self->redis, "HMGET %s %s %s", key, MOT_OBL_STATUS,
                                                 MOT_OBL_DELIVERED_ON)
                            : NULL;
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
