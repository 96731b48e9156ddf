/*  commit — the classifier's atomic, idempotent step, a batch at a time
 *  (see commit.h).
 */
#include "commit.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

/* Fields of one record after its tag ("e" evidence, "o" override); commit.lua
 * reads records of these sizes. */
#define EVIDENCE_FIELDS 13
#define OVERRIDE_FIELDS 8

#include "commit_lua.h"

/* One event's record: its tag and fields, as script arguments. */
typedef struct {
    size_t count;
    char *fields[1 + EVIDENCE_FIELDS];
} record_t;

static void
record_destroy (record_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    for (size_t i = 0; i < (*self_p)->count; i++)
        free ((*self_p)->fields[i]);
    free (*self_p);
    *self_p = NULL;
}

/* Copies `count` strings (NULL as ""); NULL on allocation failure. */
static record_t *
record_new (const char *const *fields, size_t count)
{
    record_t *self = calloc (1, sizeof *self);
    for (size_t i = 0; self && i < count; i++) {
        self->fields[i] = strdup (fields[i] ? fields[i] : "");
        self->count++;
        if (!self->fields[i])
            record_destroy (&self);
    }
    return self;
}

/* The fixed part of the script's arguments before the records. */
#define FIXED_ARGS 10

struct _commit_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *script;
    char *frequency_table;
    char *window;
    zlistx_t *records;          /* record_t, in the order added */
};

commit_t *
commit_new (mot_redis_t *redis, const char *frequency_table, int window_months)
{
    commit_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->script = mot_script_new (commit_lua);
    self->frequency_table = strdup (frequency_table);
    self->window = zsys_sprintf ("%d", window_months);
    self->records = zlistx_new ();
    if (self->records)
        zlistx_set_destructor (self->records, (zlistx_destructor_fn *) record_destroy);
    if (!self->script || !self->frequency_table || !self->window || !self->records)
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
    mot_script_destroy (&self->script);
    free (self->frequency_table);
    zstr_free (&self->window);
    free (self);
    *self_p = NULL;
}

static bool
add_record (commit_t *self, const char *const *fields, size_t count)
{
    record_t *record = record_new (fields, count);
    if (record && zlistx_add_end (self->records, record))
        return true;
    record_destroy (&record);
    return false;
}

bool
commit_add_event (commit_t *self, const commit_event_t *event)
{
    char impact[16], given[16];
    snprintf (impact, sizeof impact, "%d", event->impact);
    snprintf (given, sizeof given, "%d", event->given_vertical);
    const char *fields[1 + EVIDENCE_FIELDS] = {
        "e", event->event_id, event->kind, event->source, event->territory, event->topic, event->topic_key,
        event->day, event->category, event->on, impact, given, event->rule, event->basis};
    return add_record (self, fields, 1 + EVIDENCE_FIELDS);
}

bool
commit_add_override (commit_t *self, const commit_override_t *override)
{
    char impact[16], vertical[16];
    snprintf (impact, sizeof impact, "%d", override->impact);
    snprintf (vertical, sizeof vertical, "%d", override->vertical);
    const char *fields[1 + OVERRIDE_FIELDS] = {"o", override->event_id, override->item_id, impact, vertical,
                                               override->category, override->on, override->analyst,
                                               override->reason};
    return add_record (self, fields, 1 + OVERRIDE_FIELDS);
}

size_t
commit_size (commit_t *self)
{
    return zlistx_size (self->records);
}

/* One script call for `count` records. Returns the reply, or NULL (Redis
 * unavailable). */
static redisReply *
run_script (commit_t *self, int64_t now, record_t **records, size_t count)
{
    size_t total = FIXED_ARGS;
    for (size_t i = 0; i < count; i++)
        total += records[i]->count;
    const char **argv = calloc (total, sizeof *argv);
    char now_text[32];
    snprintf (now_text, sizeof now_text, "%lld", (long long) now);
    redisReply *reply = NULL;
    if (argv) {
        const char *fixed[FIXED_ARGS] = {MOT_KEY_PENDING_CLASSIFY, MOT_KEY_SEQ_ITEM, MOT_KEY_ITEMS_UNCLASSIFIED,
                                         now_text, MOT_KEY_ITEM_PREFIX, MOT_KEY_ITEMS_PREFIX,
                                         self->frequency_table, self->window, MOT_KEY_EVENT_PREFIX,
                                         MOT_KEY_ITEMIDX_PREFIX};
        memcpy (argv, fixed, sizeof fixed);
        size_t used = FIXED_ARGS;
        for (size_t i = 0; i < count; i++)
            for (size_t j = 0; j < records[i]->count; j++)
                argv[used++] = records[i]->fields[j];
        reply = mot_redis_eval (self->redis, self->script, 3, (int) total, argv, NULL);
    }
    free (argv);
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

static void
report_all (record_t **records, size_t count, redisReply *reply, commit_report_fn *report, void *arg)
{
    for (size_t i = 0; i < count; i++) {
        long long outcome = reply->element[2 * i]->integer;
        report (arg, records[i]->fields[1],
                outcome == 1 ? COMMIT_APPLIED : outcome == 2 ? COMMIT_REJECTED : COMMIT_ALREADY,
                reply->element[2 * i + 1]->str);
    }
}

/* Commits records[0..count); on a Redis error (not unavailability) of a
 * batch of several, tries each alone. Returns how many were committed. */
static size_t
commit_records (commit_t *self, int64_t now, record_t **records, size_t count, commit_report_fn *report, void *arg)
{
    redisReply *reply = run_script (self, now, records, count);
    size_t committed = 0;
    if (reply_fits (reply, count)) {
        report_all (records, count, reply, report, arg);
        committed = count;
    }
    else if (reply && count > 1) {
        mot_log_warn ("batch_failed", "events=%zu reason=\"%s\" retry=\"one by one\"", count,
                      reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
        for (size_t i = 0; i < count; i++)
            committed += commit_records (self, now, records + i, 1, report, arg);
    }
    else if (reply)
        mot_log_warn ("commit_refused", "event_id=%s reason=\"%s\"", records[0]->fields[1],
                      reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
    if (reply)
        freeReplyObject (reply);
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
