/*  test_classifier_lifecycle — the item lifecycle (MOT-SPEC §8) as the
 *  classifier applies it: services/classifier/commit.c with lifecycle.c and
 *  commit.lua (lib/lifecycle.lua), against a throwaway redis-server. The
 *  expectations come from the rules in services/classifier/lifecycle.h and
 *  the spec, not from what the code happened to write. It proves that:
 *  - an item goes round the whole state machine — identificación,
 *    seguimiento (a corrective action, its reports and their verification),
 *    monitoreo (valoración, residual), mejora continua (a sesión de consenso,
 *    an acuerdo and a CAPSOI recomendación), monitoreo again, closure
 *    (resolved) and reopening — with the counters, the work, the watcher's
 *    hand-off, the scores, the index and the dedup records each step owns,
 *    and a trail that tells the story in order (who, why, which event);
 *  - every illegal command is refused with its Refusal and changes nothing
 *    but its own event's outcome (one test per row of a table);
 *  - a command's event committed again, in a later batch or twice in one,
 *    is reported as done before and changes nothing — not even when the
 *    item's state would now decide otherwise;
 *  - a command finds the work an earlier command of its own batch recorded;
 *  - two classifiers closing the same items at the same time close each
 *    exactly once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <czmq.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "mot_schema.h"
#include "redis_fixture.h"

#define NOW 1795340000
/* Each commit happens a minute after the one before. */
#define STEP 60
/* 1 event → 1, 2 → 2, 3 or more → 3 */
#define FREQUENCIES "1123"
#define DEDUP_TTL (90 * 86400)
#define REPORTS_MAX 64

/* protobuf-c's strings are `char *`; the tests only hand them over */
#define S(text) ((char *) (text))

#define UEOD MOT__V1__SOURCE__UEOD
#define UAD MOT__V1__SOURCE__UAD
#define CAPSOI MOT__V1__SOURCE__CAPSOI
#define RESOLVED MOT__V1__VALUATION_OUTCOME__RESOLVED
#define RESIDUAL MOT__V1__VALUATION_OUTCOME__RESIDUAL

typedef struct {
    char event_id[32];
    char item_id[64];
    commit_outcome_t outcome;
} report_t;

typedef struct {
    redis_fixture_t *fixture;
    commit_t *commit;
    int64_t now;                /* the time of the next commit */
    int evidence, commands;     /* event ids given so far */
    report_t reports[REPORTS_MAX];
    size_t n_reports;           /* of the last commit */
} ctx_t;

/* ---- committing ----------------------------------------------------------- */

static void
on_committed (void *arg, const char *event_id, commit_outcome_t outcome, const char *item_id)
{
    ctx_t *ctx = arg;
    if (ctx->n_reports < REPORTS_MAX) {
        report_t *r = &ctx->reports[ctx->n_reports];
        snprintf (r->event_id, sizeof r->event_id, "%s", event_id);
        snprintf (r->item_id, sizeof r->item_id, "%s", item_id);
        r->outcome = outcome;
    }
    ctx->n_reports++;
}

/* Commits the batch at ctx->now, then moves the clock on; every event of
 * the batch must be reported. */
static void
run_batch (ctx_t *ctx, size_t events)
{
    ctx->n_reports = 0;
    assert_int_equal (commit_size (ctx->commit), events);
    assert_int_equal (commit_run (ctx->commit, ctx->now, on_committed, ctx), events);
    assert_int_equal (ctx->n_reports, events);
    ctx->now += STEP;
}

/* A command's event hash as the script left it. */
static void
check_event (ctx_t *ctx, const char *event_id, const char *outcome, const char *item_id, const char *refusal,
             int64_t at, const char *file, int line)
{
    redis_fixture_t *f = ctx->fixture;
    const redisReply *r = redis_fixture_query (f, "HMGET mot:event:%s %s %s %s %s %s", event_id, MOT_EVENT_OUTCOME,
                                               MOT_EVENT_ITEM_ID, MOT_EVENT_REFUSAL, MOT_EVENT_REASON,
                                               MOT_EVENT_DONE_AT);
    _assert_int_equal (r->type, REDIS_REPLY_ARRAY, file, line);
    _assert_int_equal (r->elements, 5, file, line);
    for (size_t i = 0; i < 5; i++)
        _assert_true (r->element[i]->type == REDIS_REPLY_STRING || r->element[i]->type == REDIS_REPLY_NIL,
                      "a string or nothing", file, line);
    _assert_string_equal (r->element[0]->str, outcome, file, line);
    if (item_id)
        _assert_string_equal (r->element[1]->str, item_id, file, line);
    else
        _assert_int_equal (r->element[1]->type, REDIS_REPLY_NIL, file, line);
    if (refusal) {
        _assert_string_equal (r->element[2]->str, refusal, file, line);
        _assert_true (r->element[3]->type == REDIS_REPLY_STRING && r->element[3]->len > 0, "a refusal says why", file,
                      line);
    }
    else
        _assert_int_equal (r->element[2]->type, REDIS_REPLY_NIL, file, line);
    _assert_string_equal (r->element[4]->str, redis_fixture_text (f, "%lld", (long long) at), file, line);
}

/* Commits the one command `event_id` of the batch: applied to `item_id`
 * (its first item), the event marked so. */
#define expect_applied(ctx, event_id, item_id) expect_applied_ ((ctx), (event_id), (item_id), __FILE__, __LINE__)
static void
expect_applied_ (ctx_t *ctx, const char *event_id, const char *item_id, const char *file, int line)
{
    int64_t at = ctx->now;
    run_batch (ctx, 1);
    _assert_string_equal (ctx->reports[0].event_id, event_id, file, line);
    if (ctx->reports[0].outcome != COMMIT_APPLIED)
        print_error ("%s: outcome %d (%s), expected applied\n", event_id, ctx->reports[0].outcome,
                     ctx->reports[0].item_id);
    _assert_int_equal (ctx->reports[0].outcome, COMMIT_APPLIED, file, line);
    _assert_string_equal (ctx->reports[0].item_id, item_id, file, line);
    check_event (ctx, event_id, MOT_OUTCOME_APPLIED, item_id, NULL, at, file, line);
}

/* Commits the one command `event_id` of the batch: refused with `refusal`,
 * the event marked so. */
#define expect_refused(ctx, event_id, refusal) expect_refused_ ((ctx), (event_id), (refusal), __FILE__, __LINE__)
static void
expect_refused_ (ctx_t *ctx, const char *event_id, const char *refusal, const char *file, int line)
{
    int64_t at = ctx->now;
    run_batch (ctx, 1);
    _assert_string_equal (ctx->reports[0].event_id, event_id, file, line);
    if (ctx->reports[0].outcome != COMMIT_REFUSED)
        print_error ("%s: outcome %d (%s), expected refused %s\n", event_id, ctx->reports[0].outcome,
                     ctx->reports[0].item_id, refusal);
    _assert_int_equal (ctx->reports[0].outcome, COMMIT_REFUSED, file, line);
    _assert_string_equal (ctx->reports[0].item_id, refusal, file, line);
    check_event (ctx, event_id, MOT_OUTCOME_REFUSED, NULL, refusal, at, file, line);
}

/* ---- evidence and commands --------------------------------------------------- */

/* A UEOD finding about OOAD-15 / `topic` (topic key: the same in lower
 * case), external id F-<n>, proposing impact 8; committed alone. Returns
 * its item. The dedup record of the event is set as intake sets it. */
static const char *
commit_finding (ctx_t *ctx, const char *topic, const char *topic_key)
{
    redis_fixture_t *f = ctx->fixture;
    int n = ++ctx->evidence;
    const char *event_id = redis_fixture_text (f, "ev-%d", n), *external_id = redis_fixture_text (f, "F-%d", n);
    redis_fixture_run (f, "SET mot:dedup:UEOD:%s %s", external_id, event_id);
    commit_event_t event = {.event_id = event_id, .external_id = external_id, .kind = MOT_KIND_PROBLEMATICA,
                            .source = "UEOD", .territory = "OOAD-15", .topic = topic, .topic_key = topic_key,
                            .day = "2026-11-19", .category = "Administrativo", .on = "DA", .impact = 8,
                            .given_vertical = 0, .rule = "trato", .basis = "finding UEOD 8"};
    assert_true (commit_add_event (ctx->commit, &event));
    run_batch (ctx, 1);
    assert_string_equal (ctx->reports[0].event_id, event_id);
    assert_int_equal (ctx->reports[0].outcome, COMMIT_APPLIED);
    return redis_fixture_text (f, "%s", ctx->reports[0].item_id);
}

static const char *
analyst_of (Mot__V1__Source source)
{
    return source == CAPSOI ? "capsoi.analista" : source == UAD ? "uad.analista" : "ueod.analista";
}

/* Adds the envelope to the batch as the next command event (cmd-<n>). */
static const char *
add_command (ctx_t *ctx, Mot__V1__Source source, Mot__V1__Envelope *e)
{
    const char *event_id = redis_fixture_text (ctx->fixture, "cmd-%d", ++ctx->commands);
    e->external_id = S (event_id);
    e->has_source = 1;
    e->source = source;
    assert_true (commit_add_command (ctx->commit, event_id, e));
    return event_id;
}

/* An accion-correctiva, acuerdo (of `session_id`) or recomendacion
 * (preventiva) on `item_id`. */
static const char *
add_action (ctx_t *ctx, Mot__V1__Source source, const char *kind, const char *action_id, const char *item_id,
            const char *session_id)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__ActionDue b = MOT__V1__ACTION_DUE__INIT;
    b.action_id = S (action_id);
    b.kind = S (kind);
    b.due_on = "2026-12-15";
    b.item_id = S (item_id);
    b.responsible = "DA";
    b.description = "capacitación en trato digno";
    b.pat_line = "7.2.3.2";
    b.session_id = S (session_id);
    if (strcmp (kind, MOT_WORK_RECOMMENDATION) == 0)
        b.recommendation_type = "preventiva";
    b.analyst = S (analyst_of (source));
    e.body_case = MOT__V1__ENVELOPE__BODY_ACTION;
    e.action = &b;
    return add_command (ctx, source, &e);
}

static const char *
add_progress (ctx_t *ctx, Mot__V1__Source source, const char *kind, const char *action_id, unsigned percent,
              const char *cut_off)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Progress b = MOT__V1__PROGRESS__INIT;
    b.kind = S (kind);
    b.action_id = S (action_id);
    b.has_percent = 1;
    b.percent = percent;
    b.cut_off = S (cut_off);
    b.evidence = "oficio 123/2026";
    b.analyst = S (analyst_of (source));
    e.body_case = MOT__V1__ENVELOPE__BODY_PROGRESS;
    e.progress = &b;
    return add_command (ctx, source, &e);
}

static const char *
add_verification (ctx_t *ctx, Mot__V1__Source source, const char *kind, const char *action_id,
                  const char *cut_off, bool verified)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Verification b = MOT__V1__VERIFICATION__INIT;
    b.kind = S (kind);
    b.action_id = S (action_id);
    b.cut_off = S (cut_off);
    b.has_verified = 1;
    b.verified = verified;
    b.reason = verified ? NULL : "la evidencia no corresponde";
    b.analyst = S (analyst_of (source));
    e.body_case = MOT__V1__ENVELOPE__BODY_VERIFICATION;
    e.verification = &b;
    return add_command (ctx, source, &e);
}

static const char *
add_reschedule (ctx_t *ctx, Mot__V1__Source source, const char *kind, const char *action_id, const char *due_on)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Reschedule b = MOT__V1__RESCHEDULE__INIT;
    b.kind = S (kind);
    b.action_id = S (action_id);
    b.due_on = S (due_on);
    b.reason = "cambio de proveedor";
    b.analyst = S (analyst_of (source));
    e.body_case = MOT__V1__ENVELOPE__BODY_RESCHEDULE;
    e.reschedule = &b;
    return add_command (ctx, source, &e);
}

static const char *
add_start_monitoring (ctx_t *ctx, const char *item_id)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__StartMonitoring b = MOT__V1__START_MONITORING__INIT;
    b.item_id = S (item_id);
    b.analyst = "ueod.analista";
    b.reason = "las acciones restantes no cambian el riesgo";
    e.body_case = MOT__V1__ENVELOPE__BODY_START_MONITORING;
    e.start_monitoring = &b;
    return add_command (ctx, UEOD, &e);
}

/* reason NULL: none given */
static const char *
add_valuation (ctx_t *ctx, const char *item_id, unsigned impact, unsigned vertical,
               Mot__V1__ValuationOutcome outcome, const char *reason)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Valuation b = MOT__V1__VALUATION__INIT;
    b.item_id = S (item_id);
    b.has_impact = 1;
    b.impact = impact;
    b.has_vertical = 1;
    b.vertical = vertical;
    b.has_outcome = 1;
    b.outcome = outcome;
    b.valued_on = "2026-12-20";
    b.analyst = "ueod.analista";
    b.reason = S (reason);
    e.body_case = MOT__V1__ENVELOPE__BODY_VALUATION;
    e.valuation = &b;
    return add_command (ctx, UEOD, &e);
}

static const char *
add_session (ctx_t *ctx, const char *session_id, const char *item_id)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__ConsensusSession b = MOT__V1__CONSENSUS_SESSION__INIT;
    char *offices[] = {"DA", "OOAD-15"};
    char *items[] = {S (item_id)};
    b.session_id = S (session_id);
    b.held_on = "2027-01-10";
    b.medium = "videoconferencia";
    b.n_offices = 2;
    b.offices = offices;
    b.n_item_ids = 1;
    b.item_ids = items;
    b.analyst = "ueod.analista";
    e.body_case = MOT__V1__ENVELOPE__BODY_SESSION;
    e.session = &b;
    return add_command (ctx, UEOD, &e);
}

static const char *
add_closure (ctx_t *ctx, const char *item_id)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Closure b = MOT__V1__CLOSURE__INIT;
    b.item_id = S (item_id);
    b.analyst = "ueod.analista";
    b.reason = "valorada resuelta";
    e.body_case = MOT__V1__ENVELOPE__BODY_CLOSURE;
    e.closure = &b;
    return add_command (ctx, UEOD, &e);
}

static const char *
add_reopen (ctx_t *ctx, const char *item_id)
{
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Reopen b = MOT__V1__REOPEN__INIT;
    b.item_id = S (item_id);
    b.analyst = "ueod.analista";
    b.reason = "nuevas quejas del mismo tema";
    e.body_case = MOT__V1__ENVELOPE__BODY_REOPEN;
    e.reopen = &b;
    return add_command (ctx, UEOD, &e);
}

/* ---- looking at Redis -------------------------------------------------------- */

static void
check_item (ctx_t *ctx, const char *item_id, const char *field, const char *expected)
{
    redis_fixture_check_string (ctx->fixture, expected, "HGET mot:item:{%s} %s", item_id, field);
}

static void
check_work (ctx_t *ctx, const char *work_id, const char *field, const char *expected)
{
    redis_fixture_check_string (ctx->fixture, expected, "HGET mot:work:{%s} %s", work_id, field);
}

/* The item's trail, one line per entry: its `what` and event id, and for
 * a stage change its stages ("stage from>to"); the scoring entries the
 * classifier writes for evidence (scored, categorised) are left out. A
 * stage change that does not say who or why is marked so (and cannot
 * match an expectation). */
static const char *
trail_of (ctx_t *ctx, const char *item_id)
{
    const redisReply *r = redis_fixture_query (ctx->fixture, "LRANGE mot:item:{%s}:audit 0 -1", item_id);
    assert_int_equal (r->type, REDIS_REPLY_ARRAY);
    char *text = strdup ("");
    for (size_t i = 0; text && i < r->elements; i++) {
        json_t *entry = json_loads (r->element[i]->str, 0, NULL);
        const char *what = json_string_value (json_object_get (entry, "what"));
        const char *event_id = json_string_value (json_object_get (entry, "event_id"));
        char *line = NULL;
        if (!what)
            line = strdup ("(not an entry)");
        else if (strcmp (what, "scored") == 0 || strcmp (what, "categorised") == 0)
            line = NULL;
        else if (strcmp (what, "stage") == 0) {
            const char *who = json_string_value (json_object_get (entry, "who"));
            const char *why = json_string_value (json_object_get (entry, "why"));
            bool said = who && *who && why && *why && json_is_integer (json_object_get (entry, "at"));
            line = zsys_sprintf ("stage %s>%s %s%s", json_string_value (json_object_get (entry, "from")),
                                 json_string_value (json_object_get (entry, "to")), event_id,
                                 said ? "" : " (without who, why or when)");
        }
        else
            line = zsys_sprintf ("%s %s", what, event_id);
        json_decref (entry);
        if (line) {
            char *longer = zsys_sprintf ("%s%s\n", text, line);
            free (line);
            free (text);
            text = longer;
        }
    }
    return redis_fixture_keep (ctx->fixture, text);
}

/* The lines expected of trail_of, NULL-terminated. */
static const char *
lines (ctx_t *ctx, ...)
{
    va_list args;
    va_start (args, ctx);
    char *text = strdup ("");
    for (const char *line = va_arg (args, const char *); text && line; line = va_arg (args, const char *)) {
        char *longer = zsys_sprintf ("%s%s\n", text, line);
        free (text);
        text = longer;
    }
    va_end (args);
    return redis_fixture_keep (ctx->fixture, text);
}

/* A string member of a JSON object, "" when there is none. */
static const char *
string_of (const json_t *object, const char *name)
{
    const char *value = json_string_value (json_object_get (object, name));
    return value ? value : "";
}

static long long
integer_of (ctx_t *ctx, const char *format, const char *key)
{
    const redisReply *r = redis_fixture_query (ctx->fixture, format, key);
    assert_int_equal (r->type, REDIS_REPLY_INTEGER);
    return r->integer;
}

/* ---- the whole lifecycle --------------------------------------------------------- */

#define ACTION MOT_WORK_ACTION
#define AGREEMENT MOT_WORK_AGREEMENT
#define RECOMMENDATION MOT_WORK_RECOMMENDATION

static void
test_an_item_goes_round_the_whole_lifecycle (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *dedup = "mot:dedup:UEOD:F-1";
    const char *index = redis_fixture_keep (f, mot_key_item_index (MOT_KIND_PROBLEMATICA, "OOAD-15", "trato"));

    /* identificación: the evidence opens the problemática */
    const char *it = commit_finding (ctx, "Trato", "trato");
    assert_string_equal (it, "it-1");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_IDENTIFICACION);
    redis_fixture_check_string (f, it, "GET %s", index);
    redis_fixture_check_strings (f, 1, &dedup, "LRANGE mot:item:{it-1}:dedup 0 -1");

    /* seguimiento: the first corrective action, handed to the watcher */
    const char *action = add_action (ctx, UEOD, ACTION, "AC-1", it, NULL);
    expect_applied (ctx, action, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_SEGUIMIENTO);
    check_item (ctx, it, MOT_ITEM_ACTIONS, "1");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "1");
    const char *ac = "UEOD:accion-correctiva:AC-1";
    check_work (ctx, ac, MOT_WORK_STATUS, MOT_WORK_OPEN);
    check_work (ctx, ac, MOT_WORK_ITEMS, it);
    check_work (ctx, ac, MOT_WORK_RESPONSIBLE, "DA");
    check_work (ctx, ac, MOT_WORK_DUE_ON, "2026-12-15");
    check_work (ctx, ac, MOT_WORK_PERCENT, "0");
    redis_fixture_check_strings (f, 1, &ac, "ZRANGE mot:item:{it-1}:work 0 -1");
    redis_fixture_check_string (f, "0", "ZSCORE %s %s", MOT_KEY_PENDING_WATCH, action);

    /* a report of 60 % counts once verified; the item stays in seguimiento */
    const char *report_60 = add_progress (ctx, UEOD, ACTION, "AC-1", 60, "2026-12-01");
    expect_applied (ctx, report_60, it);
    check_work (ctx, ac, MOT_WORK_REPORTED, "60");
    check_work (ctx, ac, MOT_WORK_PERCENT, "0");
    const char *verified_60 = add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-01", true);
    expect_applied (ctx, verified_60, it);
    check_work (ctx, ac, MOT_WORK_PERCENT, "60");
    check_work (ctx, ac, MOT_WORK_STATUS, MOT_WORK_OPEN);
    check_item (ctx, it, MOT_ITEM_PROGRESS_SUM, "60");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_SEGUIMIENTO);

    /* a verified 100 % completes the action: the item goes to monitoreo */
    const char *report_100 = add_progress (ctx, UEOD, ACTION, "AC-1", 100, "2026-12-10");
    expect_applied (ctx, report_100, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_SEGUIMIENTO);
    const char *verified_100 = add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-10", true);
    expect_applied (ctx, verified_100, it);
    check_work (ctx, ac, MOT_WORK_STATUS, MOT_WORK_COMPLETE);
    check_work (ctx, ac, MOT_WORK_PERCENT, "100");
    check_item (ctx, it, MOT_ITEM_ACTIONS_DONE, "1");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "0");
    check_item (ctx, it, MOT_ITEM_PROGRESS_SUM, "100");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);

    /* valoración, residual: the residual scores become the effective ones
     * (3, 2: quadrant III, green), the scores before are the baseline
     * (proposed: impact 8, one event → frequency 1: quadrant IV) */
    check_item (ctx, it, MOT_ITEM_IMPACT, "8");
    check_item (ctx, it, MOT_ITEM_VERTICAL, "1");
    check_item (ctx, it, MOT_ITEM_QUADRANT, "4");
    const char *residual = add_valuation (ctx, it, 3, 2, RESIDUAL, NULL);
    expect_applied (ctx, residual, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    check_item (ctx, it, MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESIDUAL);
    check_item (ctx, it, MOT_ITEM_VALUED_IMPACT, "3");
    check_item (ctx, it, MOT_ITEM_VALUED_VERTICAL, "2");
    check_item (ctx, it, MOT_ITEM_IMPACT, "3");
    check_item (ctx, it, MOT_ITEM_VERTICAL, "2");
    check_item (ctx, it, MOT_ITEM_QUADRANT, "3");
    check_item (ctx, it, MOT_ITEM_BASELINE_IMPACT, "8");
    check_item (ctx, it, MOT_ITEM_BASELINE_VERTICAL, "1");
    check_item (ctx, it, MOT_ITEM_BASELINE_QUADRANT, "4");
    check_item (ctx, it, MOT_ITEM_VALUATIONS, "1");
    redis_fixture_check_integer (f, 1, "LLEN mot:item:{it-1}:valuations");
    const redisReply *kept = redis_fixture_query (f, "LINDEX mot:item:{it-1}:valuations 0");
    assert_int_equal (kept->type, REDIS_REPLY_STRING);
    json_t *valuation = json_loads (kept->str, 0, NULL);
    assert_non_null (valuation);
    json_int_t v_impact = json_integer_value (json_object_get (valuation, "impact"));
    json_int_t v_vertical = json_integer_value (json_object_get (valuation, "vertical"));
    json_int_t v_quadrant = json_integer_value (json_object_get (valuation, "quadrant"));
    const char *v_resolution = redis_fixture_text (f, "%s", string_of (valuation, "resolution"));
    const char *v_on = redis_fixture_text (f, "%s", string_of (valuation, "valued_on"));
    json_decref (valuation);
    assert_int_equal (v_impact, 3);
    assert_int_equal (v_vertical, 2);
    assert_int_equal (v_quadrant, 3);
    assert_string_equal (v_resolution, MOT_RESOLUTION_RESIDUAL);
    assert_string_equal (v_on, "2026-12-20");

    /* mejora continua: a sesión de consenso covers the residual item */
    const char *session = add_session (ctx, "S-1", it);
    expect_applied (ctx, session, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MEJORA_CONTINUA);
    check_item (ctx, it, MOT_ITEM_SESSIONS, "S-1");
    redis_fixture_check_string (f, it, "HGET mot:session:{S-1} %s", MOT_SESSION_ITEMS);

    /* its acuerdo, and a CAPSOI recomendación */
    const char *agreement = add_action (ctx, UEOD, AGREEMENT, "ACU-1", it, "S-1");
    expect_applied (ctx, agreement, it);
    check_item (ctx, it, MOT_ITEM_OPEN_AGREEMENTS, "1");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "1");
    check_item (ctx, it, MOT_ITEM_ACTIONS, "1");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MEJORA_CONTINUA);
    check_work (ctx, "UEOD:acuerdo:ACU-1", MOT_WORK_SESSION, "S-1");
    redis_fixture_check_string (f, "0", "ZSCORE %s %s", MOT_KEY_PENDING_WATCH, agreement);
    const char *recommendation = add_action (ctx, CAPSOI, RECOMMENDATION, "REC-1", it, NULL);
    expect_applied (ctx, recommendation, it);
    check_item (ctx, it, MOT_ITEM_OPEN_RECOMMENDATIONS, "1");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "2");
    check_work (ctx, "CAPSOI:recomendacion:REC-1", MOT_WORK_TYPE, "preventiva");
    redis_fixture_check_string (f, "0", "ZSCORE %s %s", MOT_KEY_PENDING_WATCH, recommendation);

    /* the agreement complete, the recommendation still open: still in mejora continua */
    const char *agreement_100 = add_progress (ctx, UEOD, AGREEMENT, "ACU-1", 100, "2027-02-01");
    expect_applied (ctx, agreement_100, it);
    const char *agreement_done = add_verification (ctx, UEOD, AGREEMENT, "ACU-1", "2027-02-01", true);
    expect_applied (ctx, agreement_done, it);
    check_item (ctx, it, MOT_ITEM_OPEN_AGREEMENTS, "0");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "1");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MEJORA_CONTINUA);
    /* then the recommendation: back to monitoreo for the final valoración */
    const char *recommendation_100 = add_progress (ctx, CAPSOI, RECOMMENDATION, "REC-1", 100, "2027-02-15");
    expect_applied (ctx, recommendation_100, it);
    const char *recommendation_done = add_verification (ctx, CAPSOI, RECOMMENDATION, "REC-1", "2027-02-15", true);
    expect_applied (ctx, recommendation_done, it);
    check_item (ctx, it, MOT_ITEM_OPEN_RECOMMENDATIONS, "0");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "0");
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    /* only corrective actions count in the item's progress */
    check_item (ctx, it, MOT_ITEM_PROGRESS_SUM, "100");
    check_item (ctx, it, MOT_ITEM_ACTIONS_DONE, "1");

    /* the final valoración: resolved (the baseline stays the first one's) */
    const char *resolved = add_valuation (ctx, it, 2, 1, RESOLVED, NULL);
    expect_applied (ctx, resolved, it);
    check_item (ctx, it, MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESOLVED);
    check_item (ctx, it, MOT_ITEM_VALUATIONS, "2");
    check_item (ctx, it, MOT_ITEM_BASELINE_IMPACT, "8");
    redis_fixture_check_integer (f, 2, "LLEN mot:item:{it-1}:valuations");

    /* closure: out of the index, its events' dedup records expire in 90 days */
    const char *closure = add_closure (ctx, it);
    expect_applied (ctx, closure, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_CERRADO);
    check_item (ctx, it, MOT_ITEM_CLOSED_BY, "ueod.analista");
    check_item (ctx, it, MOT_ITEM_CLOSED_AT, redis_fixture_text (f, "%lld", (long long) ctx->now - STEP));
    redis_fixture_check_integer (f, 0, "EXISTS %s", index);
    long long ttl = integer_of (ctx, "TTL %s", dedup);
    assert_in_range (ttl, DEDUP_TTL - 10, DEDUP_TTL);
    redis_fixture_check_string (f, "ev-1", "GET %s", dedup);

    /* closing it again is refused and changes nothing */
    redis_snapshot_t *closed = redis_fixture_snapshot (f);
    const char *again = add_closure (ctx, it);
    expect_refused (ctx, again, MOT_REFUSAL_ALREADY_CLOSED);
    redis_fixture_check_unchanged (f, closed, redis_fixture_keep (f, mot_key_event (again)), NULL);

    /* reopening: identificación, the index names it again, the dedup records last */
    const char *reopen = add_reopen (ctx, it);
    expect_applied (ctx, reopen, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_IDENTIFICACION);
    check_item (ctx, it, MOT_ITEM_CLOSED_BY, NULL);
    check_item (ctx, it, MOT_ITEM_CLOSED_AT, NULL);
    redis_fixture_check_string (f, it, "GET %s", index);
    redis_fixture_check_integer (f, -1, "TTL %s", dedup);

    /* the trail tells the story, in order */
    assert_string_equal (
        trail_of (ctx, it),
        lines (ctx, "created ev-1", "evidence ev-1",
               redis_fixture_text (f, "action %s", action),
               redis_fixture_text (f, "stage identificacion>seguimiento %s", action),
               redis_fixture_text (f, "progress %s", report_60),
               redis_fixture_text (f, "verification %s", verified_60),
               redis_fixture_text (f, "progress %s", report_100),
               redis_fixture_text (f, "verification %s", verified_100),
               redis_fixture_text (f, "stage seguimiento>monitoreo %s", verified_100),
               redis_fixture_text (f, "valuation %s", residual),
               redis_fixture_text (f, "session %s", session),
               redis_fixture_text (f, "stage monitoreo>mejora_continua %s", session),
               redis_fixture_text (f, "agreement %s", agreement),
               redis_fixture_text (f, "recommendation %s", recommendation),
               redis_fixture_text (f, "progress %s", agreement_100),
               redis_fixture_text (f, "verification %s", agreement_done),
               redis_fixture_text (f, "progress %s", recommendation_100),
               redis_fixture_text (f, "verification %s", recommendation_done),
               redis_fixture_text (f, "stage mejora_continua>monitoreo %s", recommendation_done),
               redis_fixture_text (f, "valuation %s", resolved),
               redis_fixture_text (f, "stage monitoreo>cerrado %s", closure),
               redis_fixture_text (f, "stage cerrado>identificacion %s", reopen), NULL));

    /* and new evidence on its topic joins the reopened item */
    assert_string_equal (commit_finding (ctx, "Trato", "trato"), it);
    check_item (ctx, it, MOT_ITEM_EVENTS, "2");
}

/* A valuation outside monitoreo with a reason: the item enters monitoreo
 * first (the trail says so, with the reason), then is valued. */
static void
test_a_valuation_outside_monitoreo_with_a_reason_enters_monitoreo (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *it = commit_finding (ctx, "Trato", "trato");
    const char *valuation = add_valuation (ctx, it, 4, 4, RESOLVED, "la queja se atendió en la unidad");
    expect_applied (ctx, valuation, it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    check_item (ctx, it, MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESOLVED);
    check_item (ctx, it, MOT_ITEM_IMPACT, "4");
    assert_string_equal (trail_of (ctx, it),
                         lines (ctx, "created ev-1", "evidence ev-1",
                                redis_fixture_text (f, "stage identificacion>monitoreo %s", valuation),
                                redis_fixture_text (f, "valuation %s", valuation), NULL));
    const redisReply *entry = redis_fixture_query (f, "LINDEX mot:item:{it-1}:audit -2");
    assert_int_equal (entry->type, REDIS_REPLY_STRING);
    assert_non_null (strstr (entry->str, "la queja se atendi"));
}

/* A reopened item whose topic another item opened meanwhile leaves the
 * index to that one (an index names one open item). */
static void
test_a_reopened_item_leaves_its_topic_to_an_item_opened_meanwhile (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *index = redis_fixture_keep (f, mot_key_item_index (MOT_KIND_PROBLEMATICA, "OOAD-15", "trato"));
    const char *it = commit_finding (ctx, "Trato", "trato");
    expect_applied (ctx, add_valuation (ctx, it, 2, 2, RESOLVED, "atendida"), it);
    expect_applied (ctx, add_closure (ctx, it), it);
    const char *newer = commit_finding (ctx, "Trato", "trato");
    assert_string_equal (newer, "it-2");
    redis_fixture_check_string (f, newer, "GET %s", index);
    expect_applied (ctx, add_reopen (ctx, it), it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_IDENTIFICACION);
    redis_fixture_check_string (f, newer, "GET %s", index);
    const redisReply *last = redis_fixture_query (f, "LINDEX mot:item:{it-1}:audit -1");
    assert_int_equal (last->type, REDIS_REPLY_STRING);
    assert_non_null (strstr (last->str, "\"index_taken\""));
}

/* ---- refusals: one row per illegal command ----------------------------------------
 * A row brings an item to a state with real commands (each must apply),
 * then commits one command, which must be refused with the Refusal named,
 * its event marked refused with a reason — and nothing else in Redis may
 * change: not the item's hash, its trail, its work, sessions or indexes. */

/* the states */
static const char *
in_identificacion (ctx_t *ctx)
{
    return commit_finding (ctx, "Trato", "trato");
}

static const char *
in_seguimiento (ctx_t *ctx)
{
    const char *it = in_identificacion (ctx);
    expect_applied (ctx, add_action (ctx, UEOD, ACTION, "AC-1", it, NULL), it);
    return it;
}

static const char *
with_a_report (ctx_t *ctx)
{
    const char *it = in_seguimiento (ctx);
    expect_applied (ctx, add_progress (ctx, UEOD, ACTION, "AC-1", 40, "2026-12-01"), it);
    return it;
}

static const char *
with_a_verified_report (ctx_t *ctx)
{
    const char *it = with_a_report (ctx);
    expect_applied (ctx, add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-01", true), it);
    return it;
}

static const char *
with_its_action_complete (ctx_t *ctx)
{
    const char *it = in_seguimiento (ctx);
    expect_applied (ctx, add_progress (ctx, UEOD, ACTION, "AC-1", 100, "2026-12-01"), it);
    expect_applied (ctx, add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-01", true), it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    return it;
}

static const char *
in_monitoreo (ctx_t *ctx)
{
    const char *it = in_identificacion (ctx);
    expect_applied (ctx, add_start_monitoring (ctx, it), it);
    return it;
}

static const char *
valued_residual (ctx_t *ctx)
{
    const char *it = in_monitoreo (ctx);
    expect_applied (ctx, add_valuation (ctx, it, 3, 2, RESIDUAL, NULL), it);
    return it;
}

static const char *
valued_resolved (ctx_t *ctx)
{
    const char *it = in_monitoreo (ctx);
    expect_applied (ctx, add_valuation (ctx, it, 2, 2, RESOLVED, NULL), it);
    return it;
}

/* valued resolved, then a new corrective action took it back to
 * seguimiento, and completed: in monitoreo again, not valued since */
static const char *
resolved_before_a_new_action (ctx_t *ctx)
{
    const char *it = valued_resolved (ctx);
    expect_applied (ctx, add_action (ctx, UEOD, ACTION, "AC-2", it, NULL), it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_SEGUIMIENTO);
    expect_applied (ctx, add_progress (ctx, UEOD, ACTION, "AC-2", 100, "2027-01-05"), it);
    expect_applied (ctx, add_verification (ctx, UEOD, ACTION, "AC-2", "2027-01-05", true), it);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    check_item (ctx, it, MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESOLVED);
    return it;
}

static const char *
in_mejora_continua (ctx_t *ctx)
{
    const char *it = valued_residual (ctx);
    expect_applied (ctx, add_session (ctx, "S-1", it), it);
    return it;
}

/* it-1 covered by session S-1, it-2 (returned) by S-2, both in mejora continua */
static const char *
two_in_mejora_continua (ctx_t *ctx)
{
    in_mejora_continua (ctx);
    const char *other = commit_finding (ctx, "Abasto", "abasto");
    expect_applied (ctx, add_start_monitoring (ctx, other), other);
    expect_applied (ctx, add_valuation (ctx, other, 3, 2, RESIDUAL, NULL), other);
    expect_applied (ctx, add_session (ctx, "S-2", other), other);
    return other;
}

static const char *
closed (ctx_t *ctx)
{
    const char *it = valued_resolved (ctx);
    expect_applied (ctx, add_closure (ctx, it), it);
    return it;
}

/* the commands (on the item of the state) */
static const char *
valuation_without_reason (ctx_t *ctx, const char *it)
{
    return add_valuation (ctx, it, 3, 2, RESOLVED, NULL);
}

static const char *
progress_on_an_unknown_action (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_progress (ctx, UEOD, ACTION, "AC-404", 50, "2026-12-05");
}

/* only the unit that recorded an action reports on it */
static const char *
progress_from_another_unit (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_progress (ctx, UAD, ACTION, "AC-1", 50, "2026-12-05");
}

static const char *
progress_at_a_reported_cut_off (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_progress (ctx, UEOD, ACTION, "AC-1", 70, "2026-12-01");
}

static const char *
progress_on_it (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_progress (ctx, UEOD, ACTION, "AC-1", 100, "2026-12-20");
}

static const char *
reschedule_it (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_reschedule (ctx, UEOD, ACTION, "AC-1", "2027-03-01");
}

static const char *
verification_of_another_cut_off (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-02", true);
}

static const char *
verification_again (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-01", true);
}

static const char *
the_same_action_again (ctx_t *ctx, const char *it)
{
    return add_action (ctx, UEOD, ACTION, "AC-1", it, NULL);
}

static const char *
an_action (ctx_t *ctx, const char *it)
{
    return add_action (ctx, UEOD, ACTION, "AC-9", it, NULL);
}

static const char *
an_action_on_an_unknown_item (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_action (ctx, UEOD, ACTION, "AC-9", "it-99", NULL);
}

static const char *
closure_of_an_unknown_item (ctx_t *ctx, const char *it)
{
    (void) it;
    return add_closure (ctx, "it-99");
}

static const char *
agreement_of_an_unknown_session (ctx_t *ctx, const char *it)
{
    return add_action (ctx, UEOD, AGREEMENT, "ACU-1", it, "S-404");
}

/* it is it-2, covered by S-2 only */
static const char *
agreement_of_the_other_session (ctx_t *ctx, const char *it)
{
    return add_action (ctx, UEOD, AGREEMENT, "ACU-1", it, "S-1");
}

static const char *
a_recommendation (ctx_t *ctx, const char *it)
{
    return add_action (ctx, CAPSOI, RECOMMENDATION, "REC-1", it, NULL);
}

static const char *
a_closure (ctx_t *ctx, const char *it)
{
    return add_closure (ctx, it);
}

static const char *
a_reopen (ctx_t *ctx, const char *it)
{
    return add_reopen (ctx, it);
}

static const char *
a_session (ctx_t *ctx, const char *it)
{
    return add_session (ctx, "S-9", it);
}

static const char *
the_same_session_again (ctx_t *ctx, const char *it)
{
    return add_session (ctx, "S-1", it);
}

static const char *
a_start_of_monitoring (ctx_t *ctx, const char *it)
{
    return add_start_monitoring (ctx, it);
}

static void
check_refused (ctx_t *ctx, const char *(*set_up) (ctx_t *), const char *(*command) (ctx_t *, const char *),
               const char *refusal)
{
    redis_fixture_t *f = ctx->fixture;
    const char *it = set_up (ctx);
    redis_snapshot_t *before = redis_fixture_snapshot (f);
    long long trail = integer_of (ctx, "LLEN %s", redis_fixture_keep (f, mot_key_item_audit (it)));
    const char *event_id = command (ctx, it);
    expect_refused (ctx, event_id, refusal);
    redis_fixture_check_integer (f, trail, "LLEN mot:item:{%s}:audit", it);
    redis_fixture_check_unchanged (f, before, redis_fixture_keep (f, mot_key_event (event_id)), NULL);
}

/* X (test name, the state, the command, the Refusal) */
#define REFUSAL_ROWS(X)                                                                                        \
    X (a_valuation_outside_monitoreo_needs_a_reason, in_identificacion, valuation_without_reason,              \
       MOT_REFUSAL_REASON_REQUIRED)                                                                            \
    X (progress_on_an_action_never_recorded_is_unknown, in_seguimiento, progress_on_an_unknown_action,         \
       MOT_REFUSAL_UNKNOWN_ACTION)                                                                             \
    X (progress_on_another_units_action_is_unknown, in_seguimiento, progress_from_another_unit,                \
       MOT_REFUSAL_UNKNOWN_ACTION)                                                                             \
    X (a_second_report_at_a_cut_off_is_already_recorded, with_a_report, progress_at_a_reported_cut_off,        \
       MOT_REFUSAL_ALREADY_RECORDED)                                                                           \
    X (progress_on_a_complete_action_is_refused, with_its_action_complete, progress_on_it,                     \
       MOT_REFUSAL_ACTION_COMPLETE)                                                                            \
    X (a_new_date_for_a_complete_action_is_refused, with_its_action_complete, reschedule_it,                   \
       MOT_REFUSAL_ACTION_COMPLETE)                                                                            \
    X (verifying_a_cut_off_without_a_report_is_unknown, with_a_report, verification_of_another_cut_off,        \
       MOT_REFUSAL_UNKNOWN_REPORT)                                                                             \
    X (verifying_a_report_twice_is_refused, with_a_verified_report, verification_again,                        \
       MOT_REFUSAL_ALREADY_VERIFIED)                                                                           \
    X (an_action_id_recorded_twice_is_refused, in_seguimiento, the_same_action_again,                          \
       MOT_REFUSAL_ALREADY_RECORDED)                                                                           \
    X (an_action_on_an_unknown_item_is_refused, in_identificacion, an_action_on_an_unknown_item,               \
       MOT_REFUSAL_UNKNOWN_ITEM)                                                                               \
    X (closing_an_unknown_item_is_refused, in_identificacion, closure_of_an_unknown_item,                      \
       MOT_REFUSAL_UNKNOWN_ITEM)                                                                               \
    X (an_action_on_a_closed_item_is_illegal, closed, an_action, MOT_REFUSAL_ILLEGAL_TRANSITION)               \
    X (an_agreement_of_an_unknown_session_is_refused, in_mejora_continua, agreement_of_an_unknown_session,     \
       MOT_REFUSAL_UNKNOWN_SESSION)                                                                            \
    X (an_agreement_for_an_item_its_session_does_not_cover_is_refused, two_in_mejora_continua,                 \
       agreement_of_the_other_session, MOT_REFUSAL_NOT_COVERED)                                                \
    X (a_recommendation_on_an_item_in_identificacion_is_illegal, in_identificacion, a_recommendation,          \
       MOT_REFUSAL_ILLEGAL_TRANSITION)                                                                         \
    X (closing_an_item_valued_residual_is_refused, valued_residual, a_closure, MOT_REFUSAL_NOT_RESOLVED)       \
    X (closing_an_item_in_identificacion_is_refused, in_identificacion, a_closure, MOT_REFUSAL_NOT_RESOLVED)   \
    X (closing_needs_a_resolved_valuation_since_the_item_came_back_to_monitoreo, resolved_before_a_new_action, \
       a_closure, MOT_REFUSAL_NOT_RESOLVED)                                                                    \
    X (closing_a_closed_item_is_refused, closed, a_closure, MOT_REFUSAL_ALREADY_CLOSED)                        \
    X (reopening_an_open_item_is_refused, in_identificacion, a_reopen, MOT_REFUSAL_NOT_CLOSED)                 \
    X (a_session_covering_an_item_not_valued_is_refused, in_identificacion, a_session,                         \
       MOT_REFUSAL_NOT_RESIDUAL)                                                                               \
    X (a_session_covering_a_resolved_item_is_refused, valued_resolved, a_session, MOT_REFUSAL_NOT_RESIDUAL)    \
    X (a_session_recorded_twice_is_refused, in_mejora_continua, the_same_session_again,                        \
       MOT_REFUSAL_ALREADY_RECORDED)                                                                           \
    X (starting_monitoring_in_monitoreo_is_illegal, in_monitoreo, a_start_of_monitoring,                       \
       MOT_REFUSAL_ILLEGAL_TRANSITION)

#define DEFINE_REFUSAL_ROW(name, set_up, command, refusal)                                                     \
    static void test_##name (void **state)                                                                     \
    {                                                                                                          \
        check_refused (*state, set_up, command, refusal);                                                      \
    }
REFUSAL_ROWS (DEFINE_REFUSAL_ROW)

/* ---- idempotence --------------------------------------------------------------------- */

/* A re-driven command: its event id committed again in a later batch. */
static void
test_a_command_committed_again_is_done_before_and_changes_nothing (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *it = in_identificacion (ctx);
    const char *action = add_action (ctx, UEOD, ACTION, "AC-1", it, NULL);
    expect_applied (ctx, action, it);
    /* the watcher took it meanwhile: a re-drive must not hand it over again */
    redis_fixture_run (f, "ZREM %s %s", MOT_KEY_PENDING_WATCH, action);
    redis_snapshot_t *before = redis_fixture_snapshot (f);
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__ActionDue b = MOT__V1__ACTION_DUE__INIT;
    b.action_id = "AC-1";
    b.kind = S (ACTION);
    b.due_on = "2026-12-15";
    b.item_id = S (it);
    b.responsible = "DA";
    e.has_source = 1;
    e.source = UEOD;
    e.body_case = MOT__V1__ENVELOPE__BODY_ACTION;
    e.action = &b;
    assert_true (commit_add_command (ctx->commit, action, &e));
    run_batch (ctx, 1);
    assert_string_equal (ctx->reports[0].event_id, action);
    assert_int_equal (ctx->reports[0].outcome, COMMIT_ALREADY);
    assert_string_equal (ctx->reports[0].item_id, it);
    redis_fixture_check_unchanged (f, before, NULL);
}

/* A refused command stays refused when re-driven, even once the item's
 * state would allow it: the decision was taken once. */
static void
test_a_refused_command_committed_again_stays_refused (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *it = in_monitoreo (ctx);
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Closure b = MOT__V1__CLOSURE__INIT;
    b.item_id = S (it);
    b.analyst = "ueod.analista";
    b.reason = "resuelta";
    e.body_case = MOT__V1__ENVELOPE__BODY_CLOSURE;
    e.closure = &b;
    const char *early = add_command (ctx, UEOD, &e);
    expect_refused (ctx, early, MOT_REFUSAL_NOT_RESOLVED);
    expect_applied (ctx, add_valuation (ctx, it, 2, 2, RESOLVED, NULL), it);
    redis_snapshot_t *before = redis_fixture_snapshot (f);
    assert_true (commit_add_command (ctx->commit, early, &e));
    run_batch (ctx, 1);
    assert_int_equal (ctx->reports[0].outcome, COMMIT_ALREADY);
    redis_fixture_check_unchanged (f, before, NULL);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
}

/* The same event dispatched twice into one batch: applied once. */
static void
test_a_command_twice_in_one_batch_is_applied_once (void **state)
{
    ctx_t *ctx = *state;
    const char *it = in_identificacion (ctx);
    Mot__V1__Envelope e = MOT__V1__ENVELOPE__INIT;
    Mot__V1__ActionDue b = MOT__V1__ACTION_DUE__INIT;
    b.action_id = "AC-1";
    b.kind = S (ACTION);
    b.due_on = "2026-12-15";
    b.item_id = S (it);
    e.body_case = MOT__V1__ENVELOPE__BODY_ACTION;
    e.action = &b;
    const char *action = add_command (ctx, UEOD, &e);
    assert_true (commit_add_command (ctx->commit, action, &e));
    run_batch (ctx, 2);
    assert_int_equal (ctx->reports[0].outcome, COMMIT_APPLIED);
    assert_int_equal (ctx->reports[1].outcome, COMMIT_ALREADY);
    assert_string_equal (ctx->reports[1].item_id, it);
    check_item (ctx, it, MOT_ITEM_ACTIONS, "1");
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "1");
    assert_string_equal (trail_of (ctx, it),
                         lines (ctx, "created ev-1", "evidence ev-1",
                                redis_fixture_text (ctx->fixture, "action %s", action),
                                redis_fixture_text (ctx->fixture, "stage identificacion>seguimiento %s", action),
                                NULL));
}

/* ---- one batch ------------------------------------------------------------------------ */

/* An action and its reports in one batch: the reports find the action the
 * batch records (Redis does not hold it when the batch is put together). */
static void
test_an_action_and_its_reports_in_one_batch_apply_in_order (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *it = in_identificacion (ctx);
    const char *action = add_action (ctx, UEOD, ACTION, "AC-1", it, NULL);
    const char *report = add_progress (ctx, UEOD, ACTION, "AC-1", 100, "2026-12-01");
    const char *verified = add_verification (ctx, UEOD, ACTION, "AC-1", "2026-12-01", true);
    run_batch (ctx, 3);
    const char *events[] = {action, report, verified};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal (ctx->reports[i].event_id, events[i]);
        assert_int_equal (ctx->reports[i].outcome, COMMIT_APPLIED);
        assert_string_equal (ctx->reports[i].item_id, it);
    }
    check_work (ctx, "UEOD:accion-correctiva:AC-1", MOT_WORK_REPORTED, "100");
    check_work (ctx, "UEOD:accion-correctiva:AC-1", MOT_WORK_STATUS, MOT_WORK_COMPLETE);
    check_item (ctx, it, MOT_ITEM_STAGE, MOT_STAGE_MONITOREO);
    check_item (ctx, it, MOT_ITEM_OPEN_WORK, "0");
    assert_string_equal (trail_of (ctx, it),
                         lines (ctx, "created ev-1", "evidence ev-1", redis_fixture_text (f, "action %s", action),
                                redis_fixture_text (f, "stage identificacion>seguimiento %s", action),
                                redis_fixture_text (f, "progress %s", report),
                                redis_fixture_text (f, "verification %s", verified),
                                redis_fixture_text (f, "stage seguimiento>monitoreo %s", verified), NULL));
}

/* Evidence that joins an item and the item's closure in one batch: the
 * new event's dedup record expires with the others (Redis did not list it
 * when the batch was put together). */
static void
test_evidence_and_the_closure_in_one_batch_expire_together (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *it = valued_resolved (ctx);
    const char *event_id = "ev-late", *external_id = "F-late";
    redis_fixture_run (f, "SET mot:dedup:UEOD:%s %s", external_id, event_id);
    commit_event_t event = {.event_id = event_id, .external_id = external_id, .kind = MOT_KIND_PROBLEMATICA,
                            .source = "UEOD", .territory = "OOAD-15", .topic = "Trato", .topic_key = "trato",
                            .day = "2026-11-20", .category = "Administrativo", .on = "DA", .impact = 8,
                            .given_vertical = 0, .rule = "trato", .basis = "finding UEOD 8"};
    assert_true (commit_add_event (ctx->commit, &event));
    const char *closure = add_closure (ctx, it);
    run_batch (ctx, 2);
    assert_string_equal (ctx->reports[0].item_id, it);     /* it joined the item, still open */
    assert_int_equal (ctx->reports[1].outcome, COMMIT_APPLIED);
    assert_string_equal (ctx->reports[1].event_id, closure);
    assert_in_range (integer_of (ctx, "TTL %s", "mot:dedup:UEOD:F-late"), DEDUP_TTL - 10, DEDUP_TTL);
    assert_in_range (integer_of (ctx, "TTL %s", "mot:dedup:UEOD:F-1"), DEDUP_TTL - 10, DEDUP_TTL);
}

/* ---- two classifiers ------------------------------------------------------------------- */

#define RACED 12

typedef struct {
    commit_t *commit;
    int64_t now;
    size_t committed;
    ctx_t reports;              /* only its reports are used */
} classifier_t;

static void *
classifier_run (void *arg)
{
    classifier_t *c = arg;
    c->committed = commit_run (c->commit, c->now, on_committed, &c->reports);
    return NULL;
}

/* Two classifiers (each its own connection) close the same items at the
 * same time, one in order, the other in reverse: each item is closed once,
 * the other closure refused ALREADY_CLOSED. */
static void
test_two_classifiers_closing_the_same_item_close_it_once (void **state)
{
    ctx_t *ctx = *state;
    redis_fixture_t *f = ctx->fixture;
    const char *items[RACED];
    for (int i = 0; i < RACED; i++) {
        const char *topic = redis_fixture_text (f, "tema %d", i);
        items[i] = commit_finding (ctx, topic, topic);
        expect_applied (ctx, add_valuation (ctx, items[i], 2, 2, RESOLVED, "atendida"), items[i]);
    }
    const redisReply *socket = redis_fixture_query (f, "CONFIG GET unixsocket");
    assert_int_equal (socket->type, REDIS_REPLY_ARRAY);
    assert_int_equal (socket->elements, 2);
    mot_redis_t *other = mot_redis_new (redis_fixture_text (f, "unix:%s", socket->element[1]->str));
    assert_non_null (other);
    assert_true (mot_redis_connect (other, 1, 0));
    classifier_t one = {.commit = ctx->commit, .now = ctx->now};
    classifier_t two = {.commit = commit_new (other, FREQUENCIES, 3), .now = ctx->now};
    assert_non_null (two.commit);
    const char *by_one[RACED], *by_two[RACED];
    for (int i = 0; i < RACED; i++) {
        by_one[i] = add_closure (ctx, items[i]);
        ctx->commit = two.commit;
        by_two[RACED - 1 - i] = add_closure (ctx, items[RACED - 1 - i]);
        ctx->commit = one.commit;
    }
    pthread_t thread_one, thread_two;
    assert_int_equal (pthread_create (&thread_one, NULL, classifier_run, &one), 0);
    assert_int_equal (pthread_create (&thread_two, NULL, classifier_run, &two), 0);
    assert_int_equal (pthread_join (thread_one, NULL), 0);
    assert_int_equal (pthread_join (thread_two, NULL), 0);
    commit_destroy (&two.commit);
    mot_redis_destroy (&other);

    assert_int_equal (one.committed, RACED);
    assert_int_equal (two.committed, RACED);
    for (int i = 0; i < RACED; i++) {
        const report_t *a = &one.reports.reports[i], *b = &two.reports.reports[RACED - 1 - i];
        assert_string_equal (a->event_id, by_one[i]);
        assert_string_equal (b->event_id, by_two[i]);
        bool first = a->outcome == COMMIT_APPLIED;
        const report_t *won = first ? a : b, *lost = first ? b : a;
        assert_int_equal (won->outcome, COMMIT_APPLIED);
        assert_string_equal (won->item_id, items[i]);
        assert_int_equal (lost->outcome, COMMIT_REFUSED);
        assert_string_equal (lost->item_id, MOT_REFUSAL_ALREADY_CLOSED);
        check_item (ctx, items[i], MOT_ITEM_STAGE, MOT_STAGE_CERRADO);
        const char *trail = trail_of (ctx, items[i]);
        const char *closing = strstr (trail, ">cerrado");
        assert_non_null (closing);
        assert_null (strstr (closing + 1, ">cerrado"));
        assert_non_null (strstr (closing, won->event_id));
    }
}

/* ---- the fixture ------------------------------------------------------------------------ */

/* Each test: an empty database, a classifier's commit at NOW. */
static int
ctx_setup (void **state)
{
    if (redis_fixture_flush (state) != 0)
        return -1;
    ctx_t *ctx = calloc (1, sizeof *ctx);
    if (!ctx)
        return -1;
    ctx->fixture = *state;
    ctx->commit = commit_new (redis_fixture_redis (ctx->fixture), FREQUENCIES, 3);
    ctx->now = NOW;
    *state = ctx;
    return ctx->commit ? 0 : -1;
}

static int
ctx_teardown (void **state)
{
    ctx_t *ctx = *state;
    *state = ctx->fixture;
    commit_destroy (&ctx->commit);
    free (ctx);
    return 0;
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, "return 0");
}

#define TEST(name) cmocka_unit_test_setup_teardown (name, ctx_setup, ctx_teardown)
#define REGISTER_REFUSAL_ROW(name, set_up, command, refusal) TEST (test_##name),

int
main (void)
{
    const struct CMUnitTest tests[] = {
        TEST (test_an_item_goes_round_the_whole_lifecycle),
        TEST (test_a_valuation_outside_monitoreo_with_a_reason_enters_monitoreo),
        TEST (test_a_reopened_item_leaves_its_topic_to_an_item_opened_meanwhile),
        REFUSAL_ROWS (REGISTER_REFUSAL_ROW)
        TEST (test_a_command_committed_again_is_done_before_and_changes_nothing),
        TEST (test_a_refused_command_committed_again_stays_refused),
        TEST (test_a_command_twice_in_one_batch_is_applied_once),
        TEST (test_an_action_and_its_reports_in_one_batch_apply_in_order),
        TEST (test_evidence_and_the_closure_in_one_batch_expire_together),
        TEST (test_two_classifiers_closing_the_same_item_close_it_once),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
