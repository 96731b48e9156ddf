/*  announce — the classifier's notices about items (see announce.h).
 */
#include "announce.h"
#include "mot_call.h"
#include "mot_log.h"
#include "mot_notice_log.h"
#include "mot_notice_text.h"
#include "mot_obligations.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_wire.h"

#include <czmq.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "notify_lua.h"

/* Facts read, and announced, at a time: one entry of the notice log. */
#define DRAIN_BATCH MOT_NOTICE_LOG_WRITE_MAX
/* How often a batch whose head another classifier took is read again. */
#define DRAIN_RETRIES 5

struct _announce_t {
    mot_redis_t *redis;             /* not owned */
    mot_script_t *notify;
};

announce_t *
announce_new (mot_redis_t *redis)
{
    announce_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->notify = mot_script_new (notify_lua);
    if (!self->notify)
        announce_destroy (&self);
    return self;
}

void
announce_destroy (announce_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->notify);
    free (*self_p);
    *self_p = NULL;
}

static const char *
text_field (json_t *fact, const char *name)
{
    return json_string_value (json_object_get (fact, name));
}

/* A code usable in a topic, or NULL ("sin clasificar" is not one). */
static const char *
code_field (json_t *fact, const char *name)
{
    const char *value = text_field (fact, name);
    return value && mot_obligation_ref_is_safe (value) && !strchr (value, '/') ? value : NULL;
}

static bool
number_field (json_t *fact, const char *name, uint32_t *value)
{
    json_t *number = json_object_get (fact, name);
    if (!json_is_integer (number) || json_integer_value (number) < 0 || json_integer_value (number) > 100)
        return false;
    *value = (uint32_t) json_integer_value (number);
    return true;
}

/* The notice a fact says (its strings point into `fact`). */
static bool
notice_of (json_t *fact, Mot__V1__Notice *notice)
{
    Mot__V1__Source unit;
    Mot__V1__NoticeKind kind;
    const char *day = text_field (fact, MOT_FACT_DAY);
    if (!mot_notice_kind_parse (text_field (fact, MOT_FACT_KIND), &kind) || !mot_notice_kind_is_item (kind)
        || !mot_source_parse (text_field (fact, MOT_FACT_UNIT), &unit))
        return false;
    notice->notice_id = (char *) text_field (fact, MOT_FACT_ID);
    notice->kind = kind;
    notice->unit = unit;
    notice->report = (char *) text_field (fact, MOT_FACT_ITEM_KIND);
    notice->report_name = (char *) text_field (fact, MOT_FACT_TOPIC);
    notice->period = (char *) text_field (fact, MOT_FACT_ITEM);
    notice->deadline = (char *) (day ? day : "");
    notice->item_id = notice->period;
    notice->territory = (char *) code_field (fact, MOT_FACT_TERRITORY);
    notice->responsible = (char *) code_field (fact, MOT_FACT_ON);
    notice->recommendation_type = (char *) text_field (fact, MOT_FACT_TYPE);
    notice->action_id = (char *) code_field (fact, MOT_FACT_ACTION);
    notice->has_quadrant = number_field (fact, MOT_FACT_QUADRANT, &notice->quadrant);
    notice->has_previous_quadrant = number_field (fact, MOT_FACT_PREVIOUS, &notice->previous_quadrant);
    notice->has_impact = number_field (fact, MOT_FACT_IMPACT, &notice->impact);
    notice->has_vertical = number_field (fact, MOT_FACT_VERTICAL, &notice->vertical);
    json_t *at = json_object_get (fact, MOT_FACT_AT);
    notice->has_fired_at = json_is_integer (at);
    notice->fired_at = notice->has_fired_at ? json_integer_value (at) : 0;
    const char *reason = NULL;
    return notice->report && notice->report_name && notice->period
        && mot_notice_text_is_publishable (notice, &reason);
}

/* Appends the notice of one fact to the batch; a fact that says no
 * publishable notice is dropped (logged). False on allocation failure. */
static bool
add_fact (mot_notice_batch_t *batch, const redisReply *element)
{
    json_error_t error;
    json_t *fact = element->type == REDIS_REPLY_STRING ? json_loadb (element->str, element->len, 0, &error) : NULL;
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    bool ok = true;
    if (fact && notice_of (fact, &notice))
        ok = mot_notice_batch_append (batch, &notice);
    else
        mot_log_warn ("fact_dropped", "reason=\"not a publishable fact\" bytes=%zu",
                      element->type == REDIS_REPLY_STRING ? element->len : 0);
    json_decref (fact);
    return ok;
}

/* Logs the facts in `facts` (the outbox's head as read). Returns the notices
 * logged, -1 when the head moved, -2 when Redis failed. */
static long
announce_batch (announce_t *self, const redisReply *facts)
{
    mot_notice_batch_t batch;
    mot_notice_batch_init (&batch);
    bool ok = true;
    for (size_t i = 0; ok && i < facts->elements; i++)
        ok = add_fact (&batch, facts->element[i]);
    char count[24], rendered[24];
    snprintf (count, sizeof count, "%zu", facts->elements);
    snprintf (rendered, sizeof rendered, "%zu", batch.count);
    mot_call_t call;
    mot_call_init (&call, NOTIFY_KEYS, NOTIFY_ARGS);
    mot_call_key (&call, NOTIFY_KEY_OUTBOX, MOT_KEY_OUTBOX);
    mot_call_key (&call, NOTIFY_KEY_SEQ, MOT_KEY_SEQ_NOTICE);
    mot_call_key (&call, NOTIFY_KEY_LOG, MOT_KEY_NOTICES);
    mot_call_bytes (&call, NOTIFY_ARG_HEAD, facts->element[0]->str, facts->element[0]->len);
    mot_call_arg (&call, NOTIFY_ARG_COUNT, count);
    mot_call_arg (&call, NOTIFY_ARG_RENDERED, rendered);
    mot_call_bytes (&call, NOTIFY_ARG_NOTICES, batch.data ? (const void *) batch.data : "", batch.size);
    redisReply *reply = ok ? mot_call_eval (&call, self->redis, self->notify) : NULL;
    long result = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER
                ? (reply->integer < 0 ? -1 : (long) batch.count)
                : -2;
    if (reply)
        freeReplyObject (reply);
    mot_call_free (&call);
    mot_notice_batch_clear (&batch);
    return result;
}

long
announce_drain (announce_t *self)
{
    long logged = 0;
    for (int retries = 0; retries <= DRAIN_RETRIES;) {
        redisReply *facts = mot_redis_command (self->redis, "LRANGE %s 0 %d", MOT_KEY_OUTBOX, DRAIN_BATCH - 1);
        if (!mot_reply_ok (facts) || facts->type != REDIS_REPLY_ARRAY) {
            if (facts)
                freeReplyObject (facts);
            return -1;
        }
        size_t read = facts->elements;
        long result = read > 0 && facts->element[0]->type == REDIS_REPLY_STRING ? announce_batch (self, facts) : 0;
        freeReplyObject (facts);
        if (result == -2)
            return -1;
        if (result == -1) {
            retries++;
            continue;
        }
        logged += result;
        if (read < DRAIN_BATCH)
            break;
    }
    if (logged > 0)
        mot_log_info ("announced", "notices=%ld", logged);
    return logged;
}
