/*  commit — the classifier's atomic, idempotent step, a batch at a time
 *  (see commit.h).
 *
 *  A batch takes two script calls (layouts in common/mot_scripts.h):
 *  reserve.lua reads the index key of each piece of evidence (the open item
 *  of its kind, territory and topic) and reserves item numbers for those
 *  that open one, so that the caller can name every item key; commit.lua
 *  then applies the batch, and answers "stale" for a record whose index no
 *  longer holds what reserve.lua saw (another classifier opened the item
 *  meanwhile): such records are looked up and committed again.
 *  The classifier remembers the item of each index key commit.lua applied
 *  evidence to (an index names its open item until the item closes), so
 *  reserve.lua runs only for indexes it has not seen: in the steady state a
 *  batch is one round trip. A remembered item that is no longer the
 *  index's is answered stale by commit.lua, forgotten, and looked up.
 */
#include "commit.h"
#include "lifecycle.h"
#include "mot_call.h"
#include "mot_log.h"
#include "mot_schema.h"
#include "mot_score.h"
#include "mot_scripts.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#include "commit_lua.h"
#include "reserve_lua.h"

/* A record's arguments and keys are indexed by the EVIDENCE_ or OVERRIDE_
 * layout; evidence has the most of both. */
#define RECORD_ARGS EVIDENCE_ARGS
#define RECORD_KEYS EVIDENCE_KEYS
_Static_assert ((int) OVERRIDE_ARGS <= (int) RECORD_ARGS && (int) OVERRIDE_KEYS <= (int) RECORD_KEYS, "evidence is the larger record");

/* How often a record found stale is looked up again within one run. */
#define STALE_RETRIES 5
/* The most index keys whose item is remembered (then it starts afresh). */
#define INDEX_CACHE_MAX 100000

typedef struct {
    bool override;
    bool unknown;                   /* evidence whose item reserve.lua must name */
    lifecycle_command_t *command;   /* a lifecycle command (then args, keys unused) */
    char *args[RECORD_ARGS];        /* owned; by the record layout's ARG enum */
    char *keys[RECORD_KEYS];        /* owned; by its KEY enum */
} record_t;

static void
record_destroy (record_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    for (size_t i = 0; i < RECORD_ARGS; i++)
        free ((*self_p)->args[i]);
    for (size_t i = 0; i < RECORD_KEYS; i++)
        free ((*self_p)->keys[i]);
    lifecycle_command_destroy (&(*self_p)->command);
    free (*self_p);
    *self_p = NULL;
}

static bool
record_is_evidence (const record_t *self)
{
    return !self->override && !self->command;
}

static const char *
record_event_id (const record_t *self)
{
    if (self->command)
        return lifecycle_command_event_id (self->command);
    return self->args[self->override ? OVERRIDE_ARG_EVENT_ID : EVIDENCE_ARG_EVENT_ID];
}

static size_t
record_keys (const record_t *self)
{
    return self->command ? lifecycle_command_keys (self->command) : self->override ? OVERRIDE_KEYS : EVIDENCE_KEYS;
}

static size_t
record_args (const record_t *self)
{
    return self->command ? lifecycle_command_args (self->command) : self->override ? OVERRIDE_ARGS : EVIDENCE_ARGS;
}

/* Sets args[index] to a copy of `value` (NULL as ""); false when out of memory. */
static bool
record_set (char **slot, const char *value)
{
    free (*slot);
    *slot = strdup (value ? value : "");
    return *slot != NULL;
}

static bool
record_set_number (char **slot, long long value)
{
    free (*slot);
    *slot = zsys_sprintf ("%lld", value);
    return *slot != NULL;
}

struct _commit_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *reserve;
    mot_script_t *script;
    char *frequencies;          /* rules_frequency_lookup */
    char quadrants[MOT_SCORE_QUADRANT_LOOKUP_SIZE];
    char severities[MOT_SCORE_SEVERITY_LOOKUP_SIZE];
    char *window;
    zlistx_t *records;          /* record_t, in the order added */
    zhashx_t *items;            /* index key → the open item's id, as commit.lua last confirmed it */
    zhashx_t *work_items;       /* work id → its items (lifecycle_look_up) */
};

commit_t *
commit_new (mot_redis_t *redis, const char *frequency_lookup, int window_months)
{
    commit_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->reserve = mot_script_new (reserve_lua);
    self->script = mot_script_new (commit_lua);
    self->frequencies = strdup (frequency_lookup);
    mot_score_quadrant_lookup (self->quadrants);
    mot_score_severity_lookup (self->severities);
    self->window = zsys_sprintf ("%d", window_months);
    self->records = zlistx_new ();
    if (self->records)
        zlistx_set_destructor (self->records, (zlistx_destructor_fn *) record_destroy);
    self->items = zhashx_new ();
    if (self->items)
        zhashx_set_destructor (self->items, (zhashx_destructor_fn *) zstr_free);
    self->work_items = zhashx_new ();
    if (self->work_items)
        zhashx_set_destructor (self->work_items, (zhashx_destructor_fn *) zstr_free);
    if (!self->reserve || !self->script || !self->frequencies || !self->window || !self->records || !self->items
        || !self->work_items)
        commit_destroy (&self);
    return self;
}

void
commit_destroy (commit_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    commit_t *self = *self_p;
    zlistx_destroy (&self->records);
    zhashx_destroy (&self->items);
    zhashx_destroy (&self->work_items);
    mot_script_destroy (&self->reserve);
    mot_script_destroy (&self->script);
    free (self->frequencies);
    zstr_free (&self->window);
    free (self);
    *self_p = NULL;
}

static bool
add_record (commit_t *self, record_t *record, bool ok)
{
    if (ok && zlistx_add_end (self->records, record))
        return true;
    record_destroy (&record);
    return false;
}

bool
commit_add_event (commit_t *self, const commit_event_t *event)
{
    record_t *record = calloc (1, sizeof *record);
    if (!record)
        return false;
    char **a = record->args;
    bool ok = record_set_number (&a[EVIDENCE_ARG_TAG], EVIDENCE_TAG_VALUE)
           && record_set (&a[EVIDENCE_ARG_EVENT_ID], event->event_id)
           && record_set (&a[EVIDENCE_ARG_KIND], event->kind) && record_set (&a[EVIDENCE_ARG_SOURCE], event->source)
           && record_set (&a[EVIDENCE_ARG_TERRITORY], event->territory)
           && record_set (&a[EVIDENCE_ARG_TOPIC], event->topic)
           && record_set (&a[EVIDENCE_ARG_TOPIC_KEY], event->topic_key) && record_set (&a[EVIDENCE_ARG_DAY], event->day)
           && record_set (&a[EVIDENCE_ARG_CATEGORY], event->category) && record_set (&a[EVIDENCE_ARG_ON], event->on)
           && record_set_number (&a[EVIDENCE_ARG_IMPACT], event->impact)
           && record_set_number (&a[EVIDENCE_ARG_GIVEN_VERTICAL], event->given_vertical)
           && record_set (&a[EVIDENCE_ARG_RULE], event->rule) && record_set (&a[EVIDENCE_ARG_BASIS], event->basis)
           && (a[EVIDENCE_ARG_DEDUP] = mot_key_dedup (event->source, event->external_id))
           && (record->keys[EVIDENCE_KEY_EVENT] = mot_key_event (event->event_id))
           && (record->keys[EVIDENCE_KEY_INDEX] = mot_key_item_index (event->kind, event->territory, event->topic_key))
           && (record->keys[EVIDENCE_KEY_ITEMS] = mot_key_items (event->kind));
    return add_record (self, record, ok);
}

bool
commit_add_override (commit_t *self, const commit_override_t *override)
{
    record_t *record = calloc (1, sizeof *record);
    if (!record)
        return false;
    record->override = true;
    char **a = record->args;
    long long number = 0;
    if (!mot_item_number (override->item_id, &number))
        number = 0;
    bool ok = record_set_number (&a[OVERRIDE_ARG_TAG], OVERRIDE_TAG_VALUE)
           && record_set (&a[OVERRIDE_ARG_EVENT_ID], override->event_id)
           && record_set (&a[OVERRIDE_ARG_ITEM_ID], override->item_id)
           && record_set_number (&a[OVERRIDE_ARG_ITEM_NUMBER], number)
           && record_set_number (&a[OVERRIDE_ARG_IMPACT], override->impact)
           && record_set_number (&a[OVERRIDE_ARG_VERTICAL], override->vertical)
           && record_set (&a[OVERRIDE_ARG_CATEGORY], override->category)
           && record_set (&a[OVERRIDE_ARG_ON], override->on)
           && record_set (&a[OVERRIDE_ARG_ANALYST], override->analyst)
           && record_set (&a[OVERRIDE_ARG_REASON], override->reason)
           && record_set (&a[OVERRIDE_ARG_UNIT], override->unit)
           && (record->keys[OVERRIDE_KEY_EVENT] = mot_key_event (override->event_id))
           && (record->keys[OVERRIDE_KEY_ITEM] = mot_key_item (override->item_id))
           && (record->keys[OVERRIDE_KEY_AUDIT] = mot_key_item_audit (override->item_id));
    return add_record (self, record, ok);
}

bool
commit_add_command (commit_t *self, const char *event_id, const Mot__V1__Envelope *envelope)
{
    record_t *record = calloc (1, sizeof *record);
    if (!record)
        return false;
    record->command = lifecycle_command_new (event_id, envelope);
    return add_record (self, record, record->command != NULL);
}

size_t
commit_size (commit_t *self)
{
    return zlistx_size (self->records);
}

/* ---- finding the items ------------------------------------------------ */

/* Names an evidence record's item: its id (an open item, or a new one
 * whose number was just reserved). */
static bool
name_item (record_t *record, const char *id, bool is_new)
{
    char **a = record->args;
    long long number = 0;
    if (!mot_item_number (id, &number))
        number = 0;
    zstr_free (&record->keys[EVIDENCE_KEY_ITEM]);
    zstr_free (&record->keys[EVIDENCE_KEY_AUDIT]);
    zstr_free (&record->keys[EVIDENCE_KEY_DEDUPS]);
    return record_set (&a[EVIDENCE_ARG_ITEM_ID], id) && record_set_number (&a[EVIDENCE_ARG_ITEM_NUMBER], number)
        && record_set_number (&a[EVIDENCE_ARG_IS_NEW], is_new)
        && (record->keys[EVIDENCE_KEY_ITEM] = mot_key_item (id))
        && (record->keys[EVIDENCE_KEY_AUDIT] = mot_key_item_audit (id))
        && (record->keys[EVIDENCE_KEY_DEDUPS] = mot_key_item_dedup (id));
}

/* Names the item from what reserve.lua answered for the record's index:
 * the open item's id, or the number reserved for a new one. */
static bool
name_item_found (record_t *record, const redisReply *found)
{
    char *id = found->type == REDIS_REPLY_INTEGER ? mot_item_id (found->integer)
             : found->type == REDIS_REPLY_STRING  ? strdup (found->str)
                                                  : NULL;
    bool ok = id && name_item (record, id, found->type == REDIS_REPLY_INTEGER);
    free (id);
    return ok;
}

/* Runs reserve.lua for the evidence records marked `unknown` (there are
 * `count` of them among records[0..total)) and names their items. */
static bool
look_up_items (commit_t *self, record_t **records, size_t total, size_t count)
{
    mot_call_t call;
    mot_call_init (&call, RESERVE_KEYS + count * RESERVE_LOOKUP_KEYS, RESERVE_ARGS + count * RESERVE_LOOKUP_ARGS);
    mot_call_key (&call, RESERVE_KEY_SEQ, MOT_KEY_SEQ_ITEM);
    for (size_t i = 0, n = 0; i < total; i++)
        if (records[i]->unknown)
            mot_call_key (&call, RESERVE_KEYS + n++ * RESERVE_LOOKUP_KEYS + RESERVE_LOOKUP_KEY_LOOKUP,
                          records[i]->keys[EVIDENCE_KEY_INDEX]);
    redisReply *reply = mot_call_eval (&call, self->redis, self->reserve);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == count;
    for (size_t i = 0, n = 0; ok && i < total; i++)
        if (records[i]->unknown)
            ok = name_item_found (records[i], reply->element[n++]);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* A closure (or reopening) expires (or keeps) the dedup records of its
 * item's events, as Redis lists them before the batch: the events of the
 * same batch before it are added here. */
static bool
add_batch_dedups (record_t **records, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *item = records[i]->command ? lifecycle_command_item_step (records[i]->command) : NULL;
        for (size_t j = 0; item && j < i; j++)
            if (record_is_evidence (records[j]) && strcmp (records[j]->args[EVIDENCE_ARG_ITEM_ID], item) == 0
                && !lifecycle_command_add_dedup (records[i]->command, records[j]->args[EVIDENCE_ARG_DEDUP]))
                return false;
    }
    return true;
}

/* Names the item of every evidence record among records[0..count): from
 * the cache when its index is known (commit.lua checks it and answers
 * stale if the index moved), else with one reserve.lua call for all the
 * others. False when Redis failed (or out of memory): nothing can be
 * committed now. */
static bool
find_items (commit_t *self, record_t **records, size_t count)
{
    size_t unknown = 0, commands = 0;
    bool ok = true;
    lifecycle_command_t **command = calloc (count + 1, sizeof *command);
    for (size_t i = 0; ok && command && i < count; i++) {
        record_t *record = records[i];
        if (record->command)
            command[commands++] = record->command;
        if (!record_is_evidence (record))
            continue;
        const char *known = zhashx_lookup (self->items, record->keys[EVIDENCE_KEY_INDEX]);
        record->unknown = !known;
        unknown += record->unknown;
        if (known)
            ok = name_item (record, known, false);
    }
    ok = ok && command && (commands == 0 || lifecycle_look_up (self->redis, command, commands, self->work_items));
    free (command);
    return ok && (unknown == 0 || look_up_items (self, records, count, unknown))
        && add_batch_dedups (records, count);
}

/* Keeps what commit.lua confirmed: the index of applied evidence holds its
 * item; a stale one is looked up again next time. */
static void
remember_item (commit_t *self, const record_t *record, long long outcome, const char *item_id)
{
    if (!record_is_evidence (record))
        return;
    const char *index = record->keys[EVIDENCE_KEY_INDEX];
    if (outcome == COMMIT_OUTCOME_STALE)
        zhashx_delete (self->items, index);
    else if (outcome == COMMIT_OUTCOME_APPLIED && !zhashx_lookup (self->items, index)) {
        if (zhashx_size (self->items) >= INDEX_CACHE_MAX)
            zhashx_purge (self->items);
        char *copy = strdup (item_id);
        if (copy && zhashx_insert (self->items, index, copy) != 0)
            free (copy);
    }
}

/* ---- committing ------------------------------------------------------- */

/* One commit.lua call for `count` records. Returns the reply, or NULL
 * (Redis unavailable). */
static redisReply *
run_script (commit_t *self, int64_t now, record_t **records, size_t count)
{
    size_t keys = COMMIT_KEYS, args = COMMIT_ARGS;
    for (size_t i = 0; i < count; i++) {
        keys += record_keys (records[i]);
        args += record_args (records[i]);
    }
    char now_text[32];
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    mot_call_t call;
    mot_call_init (&call, keys, args);
    mot_call_key (&call, COMMIT_KEY_PENDING, MOT_KEY_PENDING_CLASSIFY);
    mot_call_key (&call, COMMIT_KEY_UNCLASSIFIED, MOT_KEY_ITEMS_UNCLASSIFIED);
    mot_call_key (&call, COMMIT_KEY_PENDING_WATCH, MOT_KEY_PENDING_WATCH);
    mot_call_key (&call, COMMIT_KEY_OUTBOX, MOT_KEY_OUTBOX);
    mot_call_arg (&call, COMMIT_ARG_NOW, now_text);
    mot_call_arg (&call, COMMIT_ARG_WINDOW, self->window);
    mot_call_arg (&call, COMMIT_ARG_FREQUENCY, self->frequencies);
    mot_call_arg (&call, COMMIT_ARG_QUADRANTS, self->quadrants);
    mot_call_arg (&call, COMMIT_ARG_SEVERITY, self->severities);
    for (size_t i = 0, k = COMMIT_KEYS, a = COMMIT_ARGS; i < count; i++) {
        if (records[i]->command) {
            lifecycle_command_fill (records[i]->command, &call, &k, &a);
            continue;
        }
        size_t n_keys = record_keys (records[i]), n_args = record_args (records[i]);
        for (size_t j = 0; j < n_keys; j++)
            mot_call_key (&call, k++, records[i]->keys[j]);
        for (size_t j = 0; j < n_args; j++)
            mot_call_arg (&call, a++, records[i]->args[j]);
    }
    redisReply *reply = mot_call_eval (&call, self->redis, self->script);
    mot_call_free (&call);
    return reply;
}

static bool
reply_fits (const redisReply *reply, size_t count)
{
    if (!mot_reply_ok (reply) || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 * count)
        return false;
    for (size_t i = 0; i < count; i++)
        if (reply->element[2 * i]->type != REDIS_REPLY_INTEGER || reply->element[2 * i + 1]->type != REDIS_REPLY_STRING)
            return false;
    return true;
}

/* Reports the settled records and moves the stale ones to the front of
 * `records`; returns how many are stale. */
static size_t
report_settled (commit_t *self, record_t **records, size_t count, redisReply *reply, commit_report_fn *report,
                void *arg)
{
    size_t stale = 0;
    for (size_t i = 0; i < count; i++) {
        long long outcome = reply->element[2 * i]->integer;
        remember_item (self, records[i], outcome, reply->element[2 * i + 1]->str);
        if (records[i]->command && outcome == COMMIT_OUTCOME_APPLIED)
            lifecycle_command_remember (records[i]->command, self->work_items);
        if (outcome == COMMIT_OUTCOME_STALE)
            records[stale++] = records[i];
        else
            report (arg, record_event_id (records[i]),
                    outcome == COMMIT_OUTCOME_APPLIED    ? COMMIT_APPLIED
                    : outcome != COMMIT_OUTCOME_REJECTED ? COMMIT_ALREADY
                    : records[i]->command                ? COMMIT_REFUSED
                                                         : COMMIT_REJECTED,
                    reply->element[2 * i + 1]->str);
    }
    return stale;
}

/* Finds the items of records[0..count) and commits them; records found
 * stale are looked up again, up to STALE_RETRIES times. On a Redis error
 * (not unavailability) of a batch of several, tries each alone. Returns how
 * many were committed. */
static size_t
commit_records (commit_t *self, int64_t now, record_t **records, size_t count, commit_report_fn *report, void *arg)
{
    size_t committed = 0;
    for (int attempt = 0; count > 0 && attempt <= STALE_RETRIES; attempt++) {
        redisReply *reply = find_items (self, records, count) ? run_script (self, now, records, count) : NULL;
        size_t stale = 0;
        if (reply_fits (reply, count)) {
            stale = report_settled (self, records, count, reply, report, arg);
            committed += count - stale;
        }
        else if (reply && count > 1) {
            mot_log_warn ("batch_failed", "events=%zu reason=\"%s\" retry=\"one by one\"", count,
                          reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
            for (size_t i = 0; i < count; i++)
                committed += commit_records (self, now, records + i, 1, report, arg);
        }
        else if (reply)
            mot_log_warn ("commit_refused", "event_id=%s reason=\"%s\"", record_event_id (records[0]),
                          reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
        if (reply)
            freeReplyObject (reply);
        if (stale > 0)
            mot_log_debug ("commit_stale", "events=%zu attempt=%d", stale, attempt + 1);
        count = stale;
    }
    return committed;
}

size_t
commit_run (commit_t *self, int64_t now, commit_report_fn *report, void *arg)
{
    size_t count = zlistx_size (self->records);
    record_t **records = calloc (count + 1, sizeof *records);
    size_t committed = 0;
    if (records) {
        size_t i = 0;
        for (record_t *record = zlistx_first (self->records); record; record = zlistx_next (self->records))
            records[i++] = record;
        committed = count ? commit_records (self, now, records, count, report, arg) : 0;
    }
    free (records);
    zlistx_purge (self->records);
    return committed;
}
