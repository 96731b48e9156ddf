/*  report_archive — the monthly reports the reporter generates by itself
 *  (see report_archive.h).
 */
#include "report_archive.h"
#include "monthly_html.h"
#include "mot_call.h"
#include "mot_date.h"
#include "mot_log.h"
#include "mot_notice_log.h"
#include "mot_notice_text.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_wire.h"

#include <czmq.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_lua.h"

/* The most months one look goes over. */
#define MONTHS_PER_LOOK 24
/* How long a reporter may take to build a report before another may. */
#define LEASE_SECONDS 600

struct _report_archive_t {
    mot_redis_t *redis;
    char *unit, *code;                  /* of the report obligation */
    char *addressee;
    int from;                           /* -1: the month before today */
    mot_script_t *archive;
};

/* ---- lifetime ------------------------------------------------------------ */

/* "UNIT:code" into its parts; false when it is not one. */
static bool
split_obligation (report_archive_t *self, const char *obligation)
{
    const char *colon = obligation ? strchr (obligation, ':') : NULL;
    Mot__V1__Source unit;
    if (!colon || colon == obligation || !colon[1] || strchr (colon + 1, ':'))
        return false;
    self->unit = strndup (obligation, (size_t) (colon - obligation));
    self->code = strdup (colon + 1);
    return self->unit && self->code && mot_source_parse (self->unit, &unit);
}

report_archive_t *
report_archive_new (mot_redis_t *redis, const char *obligation, const char *addressee, const char *reports_from)
{
    report_archive_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->from = -1;
    int year, month;
    const char *bad = !split_obligation (self, obligation) ? "report-obligation"
                    : !addressee || !*addressee || strchr (addressee, '/') ? "report-to"
                    : reports_from && *reports_from && !mot_period_parse (reports_from, &year, &month) ? "reports-from"
                                                                                                       : NULL;
    if (bad) {
        mot_log_error ("bad_option", "option=%s", bad);
        report_archive_destroy (&self);
        return NULL;
    }
    if (reports_from && *reports_from)
        self->from = mot_month_index (year, month);
    self->addressee = strdup (addressee);
    self->archive = mot_script_new (archive_lua);
    if (!self->addressee || !self->archive)
        report_archive_destroy (&self);
    return self;
}

void
report_archive_destroy (report_archive_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    report_archive_t *self = *self_p;
    mot_script_destroy (&self->archive);
    free (self->unit);
    free (self->code);
    free (self->addressee);
    free (self);
    *self_p = NULL;
}

/* ---- one month ----------------------------------------------------------- */

/* What the month's report obligation says. */
typedef struct {
    char *id;
    redisReply *fields;                 /* status, report_name, deadline */
} obligation_t;

static const char *
obligation_field (const obligation_t *obligation, size_t index)
{
    const redisReply *field = obligation->fields->element[index];
    return field->type == REDIS_REPLY_STRING ? field->str : NULL;
}

/* Reads the obligation of `text`; false when Redis failed. */
static bool
obligation_read (report_archive_t *self, const char *text, obligation_t *obligation)
{
    obligation->id = mot_obligation_id_of (self->unit, self->code, text);
    char *key = obligation->id ? mot_key_obligation (obligation->id) : NULL;
    obligation->fields = key ? mot_redis_command (self->redis, "HMGET %s %s %s %s", key, MOT_OBL_STATUS,
                                                  MOT_OBL_REPORT_NAME, MOT_OBL_DEADLINE)
                             : NULL;
    free (key);
    return mot_reply_ok (obligation->fields) && obligation->fields->type == REDIS_REPLY_ARRAY
        && obligation->fields->elements == 3;
}

static void
obligation_free (obligation_t *obligation)
{
    free (obligation->id);
    if (obligation->fields)
        freeReplyObject (obligation->fields);
}

/* Whether the obligation exists and waits no longer for its inputs. */
static bool
obligation_is_due (const obligation_t *obligation)
{
    const char *status = obligation_field (obligation, 0);
    return status && strcmp (status, MOT_STATUS_WAITING) != 0 && obligation_field (obligation, 1);
}

/* 1 when the key exists, 0 when not, -1 when Redis failed. */
static int
key_exists (report_archive_t *self, const char *key)
{
    redisReply *reply = key ? mot_redis_command (self->redis, "EXISTS %s", key) : NULL;
    int result = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER ? reply->integer > 0 : -1;
    if (reply)
        freeReplyObject (reply);
    return result;
}

/* Whether this reporter may build the month's report now: 1 yes, 0 another
 * one is building it, -1 Redis failed. */
static int
lease_take (report_archive_t *self, const char *text)
{
    char *key = mot_key_report_monthly_lease (text);
    char holder[32];
    snprintf (holder, sizeof holder, "%ld", (long) getpid ());
    redisReply *reply = key ? mot_redis_command (self->redis, "SET %s %s NX EX %d", key, holder, LEASE_SECONDS)
                            : NULL;
    int result = !mot_reply_ok (reply) ? -1 : reply->type == REDIS_REPLY_STATUS;
    if (reply)
        freeReplyObject (reply);
    free (key);
    return result;
}

/* The month's REPORT_AVAILABLE notice, packed into *batch. */
static bool
notice_pack (report_archive_t *self, const obligation_t *obligation, const char *text, int64_t now,
             mot_notice_batch_t *batch)
{
    char *id = mot_timer_member (obligation->id, MOT__V1__NOTICE_KIND__REPORT_AVAILABLE, 0);
    const char *deadline = obligation_field (obligation, 2);
    char *recipients[] = {self->addressee};
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = id;
    notice.kind = MOT__V1__NOTICE_KIND__REPORT_AVAILABLE;
    (void) mot_source_parse (self->unit, &notice.unit);    /* checked by report_archive_new */
    notice.report = self->code;
    notice.report_name = (char *) obligation_field (obligation, 1);
    notice.period = (char *) text;
    notice.deadline = (char *) (deadline ? deadline : "");
    notice.has_fired_at = true;
    notice.fired_at = now;
    notice.obligation_id = obligation->id;
    notice.n_recipients = 1;
    notice.recipients = recipients;
    const char *reason = NULL;
    bool ok = id && mot_notice_text_is_publishable (&notice, &reason) && mot_notice_batch_append (batch, &notice);
    if (!ok)
        mot_log_error ("report_notice_failed", "period=%s reason=%s", text, reason ? reason : "out of memory");
    free (id);
    return ok;
}

/* The built report, ready to store. */
typedef struct {
    char *html, *json;
    size_t html_size;
} built_t;

/* Builds the month's report, its document and its figures from one read
 * of the items; false (logged) when it cannot be built now. */
static bool
report_build (report_archive_t *self, const char *text, int64_t now, built_t *built)
{
    register_filter_error_t error = {MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED, NULL, NULL};
    json_t *data = NULL;
    built->html = monthly_html_document (self->redis, text, now, &built->html_size, &data, &error);
    built->json = data ? json_dumps (data, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref (data);
    if (!built->json) {
        free (built->html);
        built->html = NULL;
    }
    if (!built->html)
        mot_log_info ("report_not_built", "period=%s reason=\"%s\"", text,
                      error.reason ? error.reason : "out of memory");
    return built->html != NULL;
}

static void
built_free (built_t *built)
{
    free (built->html);
    free (built->json);
}

/* Stores the built report and its notice (archive.lua): the notice's seq,
 * 0 when another reporter stored the month first, -1 when Redis failed. */
static long long
report_store (report_archive_t *self, const obligation_t *obligation, const char *text, const built_t *built,
              const mot_notice_batch_t *batch, int64_t now)
{
    char *key = mot_key_report_monthly (text);
    char generated_at[24];
    snprintf (generated_at, sizeof generated_at, "%lld", (long long) now);
    mot_call_t call;
    bool ready = mot_call_init (&call, ARCHIVE_KEYS, ARCHIVE_ARGS) && key;
    mot_call_key (&call, ARCHIVE_KEY_REPORT, key);
    mot_call_key (&call, ARCHIVE_KEY_INDEX, MOT_KEY_REPORTS_MONTHLY);
    mot_call_key (&call, ARCHIVE_KEY_SEQ, MOT_KEY_SEQ_NOTICE);
    mot_call_key (&call, ARCHIVE_KEY_LOG, MOT_KEY_NOTICES);
    mot_call_arg (&call, ARCHIVE_ARG_MONTH, text);
    mot_call_bytes (&call, ARCHIVE_ARG_HTML, built->html, built->html_size);
    mot_call_arg (&call, ARCHIVE_ARG_JSON, built->json);
    mot_call_arg (&call, ARCHIVE_ARG_GENERATED_AT, generated_at);
    mot_call_arg (&call, ARCHIVE_ARG_OBLIGATION, obligation->id);
    mot_call_bytes (&call, ARCHIVE_ARG_NOTICES, batch->data, batch->size);
    redisReply *reply = ready ? mot_call_eval (&call, self->redis, self->archive) : NULL;
    long long seq = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
    if (reply)
        freeReplyObject (reply);
    mot_call_free (&call);
    free (key);
    return seq;
}

/* Builds and stores the month's report when it is due and this reporter
 * holds its lease. 1 stored, 0 not (not due, not buildable yet, or another
 * reporter's), -1 Redis failed. */
static int
generate (report_archive_t *self, const obligation_t *obligation, const char *text, int64_t now)
{
    int lease = lease_take (self, text);
    if (lease <= 0)
        return lease;
    built_t built = {0};
    mot_notice_batch_t batch;
    mot_notice_batch_init (&batch);
    long long seq = 0;
    if (report_build (self, text, now, &built) && notice_pack (self, obligation, text, now, &batch))
        seq = report_store (self, obligation, text, &built, &batch, now);
    if (seq > 0)
        mot_log_info ("report_archived", "period=%s obligation_id=%s bytes=%zu seq=%lld", text, obligation->id,
                      built.html_size, seq);
    built_free (&built);
    mot_notice_batch_clear (&batch);
    char *key = mot_key_report_monthly_lease (text);   /* unstored, the next look tries again at once */
    redisReply *reply = key ? mot_redis_command (self->redis, "DEL %s", key) : NULL;
    if (reply)
        freeReplyObject (reply);
    free (key);
    return seq < 0 ? -1 : seq > 0;
}

/* The month's report: 1 settled (stored, now or before; or a month the
 * watcher handled without creating the obligation, e.g. before it started,
 * whose report never comes), 0 not yet, -1 Redis failed. *stored_now
 * counts the reports this call stored. `handled` is the last month the
 * watcher generated the obligations of (-1: none). */
static int
look_at_month (report_archive_t *self, int month, int handled, int64_t now, int *stored_now)
{
    char text[16];
    mot_month_index_text (month, text, sizeof text);
    char *key = mot_key_report_monthly (text);
    int stored = key_exists (self, key);
    free (key);
    if (stored != 0)
        return stored;
    obligation_t obligation = {0};
    int result = obligation_read (self, text, &obligation) ? 0 : -1;
    if (result == 0 && !obligation_field (&obligation, 0) && month <= handled)
        result = 1;
    else
    if (result == 0 && obligation_is_due (&obligation))
        result = generate (self, &obligation, text, now);
    obligation_free (&obligation);
    if (result > 0)
        (*stored_now)++;
    return result;
}

/* ---- the mark ------------------------------------------------------------ */

/* The first month to look at; -2 when Redis failed. */
static int
mark_read (report_archive_t *self, int last_closed)
{
    redisReply *reply = mot_redis_command (self->redis, "GET %s", MOT_KEY_REPORTS_MONTHLY_NEXT);
    int year, month, first = self->from >= 0 ? self->from : last_closed;
    if (!mot_reply_ok (reply))
        first = -2;
    else
    if (reply->type == REDIS_REPLY_STRING && mot_period_parse (reply->str, &year, &month))
        first = mot_month_index (year, month);
    if (reply)
        freeReplyObject (reply);
    if (first >= 0 && self->from > first)
        first = self->from;
    return first;
}

/* Moves the mark to `month`. Two reporters may both write: the mark only
 * saves looks, so one written back a little makes a later look longer,
 * never a report missed or doubled. */
static bool
mark_write (report_archive_t *self, int month)
{
    char text[16];
    mot_month_index_text (month, text, sizeof text);
    redisReply *reply = mot_redis_command (self->redis, "SET %s %s", MOT_KEY_REPORTS_MONTHLY_NEXT, text);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The last month whose obligations the watcher generated (mot:watch:generated),
 * -1 when none; -2 when Redis failed. */
static int
watcher_handled (report_archive_t *self)
{
    redisReply *reply = mot_redis_command (self->redis, "GET %s", MOT_KEY_WATCH_GENERATED);
    int year, month, handled = mot_reply_ok (reply) ? -1 : -2;
    if (handled == -1 && reply->type == REDIS_REPLY_STRING && mot_period_parse (reply->str, &year, &month))
        handled = mot_month_index (year, month);
    if (reply)
        freeReplyObject (reply);
    return handled;
}

int
report_archive_look (report_archive_t *self, int64_t now)
{
    int last_closed = mot_month_index_local_of (now) - 1;
    int first = mark_read (self, last_closed);
    int handled = first == -2 ? -2 : watcher_handled (self);
    if (handled == -2)
        return -1;
    int stored_now = 0, next = first;
    bool leading = true;                /* every month so far is stored */
    for (int month = first; month <= last_closed && month < first + MONTHS_PER_LOOK; month++) {
        int stored = look_at_month (self, month, handled, now, &stored_now);
        if (stored < 0)
            return -1;
        leading = leading && stored;
        if (leading)
            next = month + 1;
    }
    if (next != first && !mark_write (self, next))
        return -1;
    return stored_now;
}

/* ---- reading ------------------------------------------------------------- */

char *
report_archive_read (mot_redis_t *redis, const char *month, bool html, size_t *size, register_filter_error_t *error)
{
    *size = 0;
    if (!month || !mot_period_parse (month, NULL, NULL)) {
        *error = (register_filter_error_t) {MOT__V1__ERROR_CODE__INVALID_VALUE, "period", "period must be YYYY-MM"};
        return NULL;
    }
    char *key = mot_key_report_monthly (month);
    redisReply *reply = key ? mot_redis_command (redis, "HGET %s %s", key, html ? MOT_REPORT_HTML : MOT_REPORT_JSON)
                            : NULL;
    free (key);
    char *body = NULL;
    if (!mot_reply_ok (reply))
        *error = (register_filter_error_t) {MOT__V1__ERROR_CODE__UNAVAILABLE, NULL, "Redis unavailable, retry later"};
    else
    if (reply->type != REDIS_REPLY_STRING)
        *error = (register_filter_error_t) {MOT__V1__ERROR_CODE__INVALID_VALUE, "period",
                                            "no report stored for this month (its inputs are not all delivered)"};
    else
    if ((body = malloc (reply->len + 2)) != NULL) {
        memcpy (body, reply->str, reply->len);
        *size = reply->len;
        if (!html)                      /* the figures as one JSON line, as the live query gives them */
            body[(*size)++] = '\n';
        body[*size] = 0;
    }
    else
        *error = (register_filter_error_t) {MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory"};
    if (reply)
        freeReplyObject (reply);
    return body;
}
