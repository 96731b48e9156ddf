/*  test_script_commit — commit.lua (services/classifier) against a real
 *  Redis: evidence opens an item or joins it, overrides set the analyst's
 *  values, and each outcome (applied, already, stale, rejected) writes what
 *  its contract says and nothing else. Called as
 *  services/classifier/commit.c's run_script calls it, with records named
 *  as reserve.lua would have named them; the frequency and quadrant
 *  lookups are written here by hand, unlike any real rule, so that a value
 *  only they give proves commit.lua takes its scores from them. Expected
 *  values come from the contract (commit.h, common/mot_scripts.h, the
 *  script's header, the README's classifier section).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <czmq.h>
#include <string.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "commit_lua.h"
#include "redis_fixture.h"

#define NOW "1792000000"
#define LATER "1792000600"
#define WINDOW "3"
/* The frequency score of 0, 1, 2 and 3 or more events in the window. */
#define FREQUENCY "0357"
/* Scores 0..10 on both axes: the quadrant lookup has 11 × 11 cells. */
#define SCORES 11
#define CELLS (SCORES * SCORES)

typedef struct {
    const char *event_id;
    const char *item_id;        /* the open item, or the new item reserved */
    bool is_new;
    const char *kind, *source, *territory, *topic, *topic_key, *day, *category, *on;
    int impact, given_vertical;
    const char *rule, *basis;
} evidence_t;

typedef struct {
    const char *event_id;
    const char *item_id;
    int impact, vertical;       /* 0: not overridden */
    const char *category, *on;  /* "": not overridden */
    const char *analyst, *reason;
} override_t;

/* One record of a batch: evidence or an override. */
typedef struct {
    const evidence_t *evidence;
    const override_t *override;
} record_t;

/* A commit.lua call's lookups. */
typedef struct {
    const char *frequency;
    char quadrants[CELLS + 1];
} lookups_t;

/* Every cell `fill`; the test then marks the cells it expects. */
static void
lookups_fill (lookups_t *lookups, const char *frequency, char fill)
{
    lookups->frequency = frequency;
    memset (lookups->quadrants, fill, CELLS);
    lookups->quadrants[CELLS] = 0;
}

static void
lookups_mark (lookups_t *lookups, int impact, int vertical, char quadrant)
{
    lookups->quadrants[impact * SCORES + vertical] = quadrant;
}

/* ---- the call, as commit.c makes it ---------------------------------------- */

/* The item number of an item id (0 when it is not "it-<n>"), as commit.c takes it. */
static long long
item_number (const char *item_id)
{
    long long number = 0;
    return mot_item_number (item_id, &number) ? number : 0;
}

static void
set_evidence (redis_fixture_t *fixture, mot_call_t *call, size_t k, size_t a, const evidence_t *e)
{
    mot_call_key (call, k + EVIDENCE_KEY_EVENT, redis_fixture_keep (fixture, mot_key_event (e->event_id)));
    mot_call_key (call, k + EVIDENCE_KEY_INDEX,
                  redis_fixture_keep (fixture, mot_key_item_index (e->kind, e->territory, e->topic_key)));
    mot_call_key (call, k + EVIDENCE_KEY_ITEM, redis_fixture_keep (fixture, mot_key_item (e->item_id)));
    mot_call_key (call, k + EVIDENCE_KEY_AUDIT, redis_fixture_keep (fixture, mot_key_item_audit (e->item_id)));
    mot_call_key (call, k + EVIDENCE_KEY_DEDUPS, redis_fixture_keep (fixture, mot_key_item_dedup (e->item_id)));
    mot_call_key (call, k + EVIDENCE_KEY_ITEMS, redis_fixture_keep (fixture, mot_key_items (e->kind)));
    mot_call_arg (call, a + EVIDENCE_ARG_DEDUP,
                  redis_fixture_keep (fixture, mot_key_dedup (e->source, e->event_id)));
    mot_call_arg (call, a + EVIDENCE_ARG_TAG, redis_fixture_text (fixture, "%d", EVIDENCE_TAG_VALUE));
    mot_call_arg (call, a + EVIDENCE_ARG_EVENT_ID, e->event_id);
    mot_call_arg (call, a + EVIDENCE_ARG_ITEM_ID, e->item_id);
    mot_call_arg (call, a + EVIDENCE_ARG_ITEM_NUMBER, redis_fixture_text (fixture, "%lld", item_number (e->item_id)));
    mot_call_arg (call, a + EVIDENCE_ARG_IS_NEW, e->is_new ? "1" : "0");
    mot_call_arg (call, a + EVIDENCE_ARG_KIND, e->kind);
    mot_call_arg (call, a + EVIDENCE_ARG_SOURCE, e->source);
    mot_call_arg (call, a + EVIDENCE_ARG_TERRITORY, e->territory);
    mot_call_arg (call, a + EVIDENCE_ARG_TOPIC, e->topic);
    mot_call_arg (call, a + EVIDENCE_ARG_TOPIC_KEY, e->topic_key);
    mot_call_arg (call, a + EVIDENCE_ARG_DAY, e->day);
    mot_call_arg (call, a + EVIDENCE_ARG_CATEGORY, e->category);
    mot_call_arg (call, a + EVIDENCE_ARG_ON, e->on);
    mot_call_arg (call, a + EVIDENCE_ARG_IMPACT, redis_fixture_text (fixture, "%d", e->impact));
    mot_call_arg (call, a + EVIDENCE_ARG_GIVEN_VERTICAL, redis_fixture_text (fixture, "%d", e->given_vertical));
    mot_call_arg (call, a + EVIDENCE_ARG_RULE, e->rule);
    mot_call_arg (call, a + EVIDENCE_ARG_BASIS, e->basis);
}

static void
set_override (redis_fixture_t *fixture, mot_call_t *call, size_t k, size_t a, const override_t *o)
{
    mot_call_key (call, k + OVERRIDE_KEY_EVENT, redis_fixture_keep (fixture, mot_key_event (o->event_id)));
    mot_call_key (call, k + OVERRIDE_KEY_ITEM, redis_fixture_keep (fixture, mot_key_item (o->item_id)));
    mot_call_key (call, k + OVERRIDE_KEY_AUDIT, redis_fixture_keep (fixture, mot_key_item_audit (o->item_id)));
    mot_call_arg (call, a + OVERRIDE_ARG_TAG, redis_fixture_text (fixture, "%d", OVERRIDE_TAG_VALUE));
    mot_call_arg (call, a + OVERRIDE_ARG_EVENT_ID, o->event_id);
    mot_call_arg (call, a + OVERRIDE_ARG_ITEM_ID, o->item_id);
    mot_call_arg (call, a + OVERRIDE_ARG_ITEM_NUMBER, redis_fixture_text (fixture, "%lld", item_number (o->item_id)));
    mot_call_arg (call, a + OVERRIDE_ARG_IMPACT, redis_fixture_text (fixture, "%d", o->impact));
    mot_call_arg (call, a + OVERRIDE_ARG_VERTICAL, redis_fixture_text (fixture, "%d", o->vertical));
    mot_call_arg (call, a + OVERRIDE_ARG_CATEGORY, o->category);
    mot_call_arg (call, a + OVERRIDE_ARG_ON, o->on);
    mot_call_arg (call, a + OVERRIDE_ARG_ANALYST, o->analyst);
    mot_call_arg (call, a + OVERRIDE_ARG_REASON, o->reason);
    mot_call_arg (call, a + OVERRIDE_ARG_UNIT, "UEOD");
}

/* One commit.lua call for the records at `now`. */
static const redisReply *
commit_records (redis_fixture_t *fixture, const char *now, const lookups_t *lookups, const record_t *records,
                size_t count)
{
    size_t keys = COMMIT_KEYS, args = COMMIT_ARGS;
    for (size_t i = 0; i < count; i++) {
        keys += records[i].override ? OVERRIDE_KEYS : EVIDENCE_KEYS;
        args += records[i].override ? OVERRIDE_ARGS : EVIDENCE_ARGS;
    }
    mot_call_t call;
    assert_true (mot_call_init (&call, keys, args));
    mot_call_key (&call, COMMIT_KEY_PENDING, MOT_KEY_PENDING_CLASSIFY);
    mot_call_key (&call, COMMIT_KEY_UNCLASSIFIED, MOT_KEY_ITEMS_UNCLASSIFIED);
    mot_call_key (&call, COMMIT_KEY_PENDING_WATCH, MOT_KEY_PENDING_WATCH);
    mot_call_key (&call, COMMIT_KEY_OUTBOX, MOT_KEY_OUTBOX);
    mot_call_arg (&call, COMMIT_ARG_NOW, now);
    mot_call_arg (&call, COMMIT_ARG_WINDOW, WINDOW);
    mot_call_arg (&call, COMMIT_ARG_FREQUENCY, lookups->frequency);
    mot_call_arg (&call, COMMIT_ARG_QUADRANTS, lookups->quadrants);
    mot_call_arg (&call, COMMIT_ARG_SEVERITY, "04312");
    for (size_t i = 0, k = COMMIT_KEYS, a = COMMIT_ARGS; i < count; i++)
        if (records[i].override) {
            set_override (fixture, &call, k, a, records[i].override);
            k += OVERRIDE_KEYS;
            a += OVERRIDE_ARGS;
        }
        else {
            set_evidence (fixture, &call, k, a, records[i].evidence);
            k += EVIDENCE_KEYS;
            a += EVIDENCE_ARGS;
        }
    const redisReply *reply = redis_fixture_eval (fixture, &call);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, 2 * count);
    return reply;
}

/* Checks the i-th answer {outcome, item id}. */
static void
check_outcome (const redisReply *reply, size_t i, long long outcome, const char *item_id)
{
    assert_int_equal (reply->element[2 * i]->type, REDIS_REPLY_INTEGER);
    assert_int_equal (reply->element[2 * i]->integer, outcome);
    assert_int_equal (reply->element[2 * i + 1]->type, REDIS_REPLY_STRING);
    assert_string_equal (reply->element[2 * i + 1]->str, item_id);
}

/* Commits one piece of evidence and checks its outcome. */
static void
commit_evidence (redis_fixture_t *fixture, const lookups_t *lookups, const evidence_t *e, long long outcome,
                 const char *item_id)
{
    const record_t record = {e, NULL};
    check_outcome (commit_records (fixture, NOW, lookups, &record, 1), 0, outcome, item_id);
}

static void
commit_override (redis_fixture_t *fixture, const lookups_t *lookups, const override_t *o, long long outcome)
{
    const record_t record = {NULL, o};
    check_outcome (commit_records (fixture, LATER, lookups, &record, 1), 0, outcome, o->item_id);
}

/* ---- the state around it ---------------------------------------------------- */

/* An event as intake leaves it: stored and pending for the classifier. */
static void
dispatch (redis_fixture_t *fixture, const char *event_id)
{
    redis_fixture_run (fixture, "HSET %s %s UAD", redis_fixture_keep (fixture, mot_key_event (event_id)),
                       MOT_EVENT_SOURCE);
    redis_fixture_run (fixture, "ZADD %s 1000 %s", MOT_KEY_PENDING_CLASSIFY, event_id);
}

static const char *
item_key (redis_fixture_t *fixture, const char *item_id)
{
    return redis_fixture_keep (fixture, mot_key_item (item_id));
}

static const char *
audit_key (redis_fixture_t *fixture, const char *item_id)
{
    return redis_fixture_keep (fixture, mot_key_item_audit (item_id));
}

static void
check_item_field (redis_fixture_t *fixture, const char *item_id, const char *field, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s", item_key (fixture, item_id), field);
}

/* The effective values, and the proposal they come from. */
static void
check_scores (redis_fixture_t *fixture, const char *item_id, const char *impact, const char *vertical,
              const char *quadrant, const char *proposed_impact, const char *proposed_vertical)
{
    check_item_field (fixture, item_id, MOT_ITEM_IMPACT, impact);
    check_item_field (fixture, item_id, MOT_ITEM_VERTICAL, vertical);
    check_item_field (fixture, item_id, MOT_ITEM_QUADRANT, quadrant);
    check_item_field (fixture, item_id, MOT_ITEM_PROPOSED_IMPACT, proposed_impact);
    check_item_field (fixture, item_id, MOT_ITEM_PROPOSED_VERTICAL, proposed_vertical);
}

/* The event is marked done with `field` = `value` and no longer pending. */
static void
check_event_done (redis_fixture_t *fixture, const char *event_id, const char *field, const char *value)
{
    redis_fixture_check_string (fixture, value, "HGET %s %s", redis_fixture_keep (fixture, mot_key_event (event_id)),
                                field);
    redis_fixture_check_string (fixture, NULL, "ZSCORE %s %s", MOT_KEY_PENDING_CLASSIFY, event_id);
}

/* A JSON value as text: a string as it is, an integer in decimal, NULL when absent. */
static char *
json_text (const json_t *value)
{
    if (json_is_string (value))
        return strdup (json_string_value (value));
    if (json_is_integer (value))
        return zsys_sprintf ("%lld", (long long) json_integer_value (value));
    return value ? json_dumps (value, JSON_ENCODE_ANY) : NULL;
}

/* The field `path` ("what", "old.impact") of the item's audit entry at
 * `index` (LINDEX: -1 the last), as text (kept); NULL when absent. */
static const char *
audit_field (redis_fixture_t *fixture, const char *item_id, long index, const char *path)
{
    const redisReply *line = redis_fixture_query (fixture, "LINDEX %s %ld", audit_key (fixture, item_id), index);
    assert_int_equal (line->type, REDIS_REPLY_STRING);
    json_t *entry = json_loads (line->str, 0, NULL);
    assert_non_null (entry);
    char *names = strdup (path), *rest = names;
    const json_t *value = entry;
    for (char *name = strsep (&rest, "."); names && name && value; name = strsep (&rest, "."))
        value = json_object_get (value, name);
    char *text = names ? json_text (value) : NULL;
    free (names);
    json_decref (entry);
    return text ? redis_fixture_keep (fixture, text) : NULL;
}

static void
check_audit (redis_fixture_t *fixture, const char *item_id, long index, const char *path, const char *expected)
{
    const char *value = audit_field (fixture, item_id, index, path);
    if (!expected) {
        assert_null (value);
        return;
    }
    assert_non_null (value);
    assert_string_equal (value, expected);
}

/* The audit entry at `index` is `what`, for the event. */
static void
check_audit_entry (redis_fixture_t *fixture, const char *item_id, long index, const char *what, const char *event_id)
{
    check_audit (fixture, item_id, index, "what", what);
    check_audit (fixture, item_id, index, "event_id", event_id);
}

/* ---- the evidence the tests commit ------------------------------------------ */

/* A complaint about the timeliness of care in OOAD-15 (UAD), opening it-5. */
static const evidence_t first_complaint = {
    .event_id = "ev-1", .item_id = "it-5", .is_new = true, .kind = MOT_KIND_PROBLEMATICA, .source = "UAD",
    .territory = "OOAD-15", .topic = "Oportunidad de la atención", .topic_key = "oportunidad de la atencion",
    .day = "2026-10-14", .category = "Trato digno", .on = "DA", .impact = 4, .given_vertical = 0,
    .rule = "oportunidad", .basis = "origin UAD 4"};
/* The same topic a few weeks later, from a media note with a larger impact. */
static const evidence_t second_complaint = {
    .event_id = "ev-2", .item_id = "it-5", .is_new = false, .kind = MOT_KIND_PROBLEMATICA, .source = "UCS",
    .territory = "OOAD-15", .topic = "Oportunidad de la atención", .topic_key = "oportunidad de la atencion",
    .day = "2026-11-02", .category = "Trato digno", .on = "DA", .impact = 6, .given_vertical = 0,
    .rule = "oportunidad", .basis = "reach>=100000 6"};

/* Lookups whose cells at the scores these tests reach hold quadrants only
 * they can give. */
static void
lookups_for_complaints (lookups_t *lookups)
{
    lookups_fill (lookups, FREQUENCY, '1');
    lookups_mark (lookups, 4, 3, '2');      /* one event: impact 4, frequency 3 */
    lookups_mark (lookups, 6, 5, '3');      /* two events: impact 6, frequency 5 */
    lookups_mark (lookups, 9, 3, '4');      /* the override's impact, one event */
}

/* The first complaint dispatched and committed: it-5 is open. */
static void
open_the_item (redis_fixture_t *fixture, lookups_t *lookups)
{
    lookups_for_complaints (lookups);
    dispatch (fixture, "ev-1");
    commit_evidence (fixture, lookups, &first_complaint, COMMIT_OUTCOME_APPLIED, "it-5");
}

/* Another classifier opened `item_id` for the complaints' topic. */
static void
take_the_index (redis_fixture_t *fixture, const char *item_id)
{
    const char *index = redis_fixture_keep (fixture, mot_key_item_index (MOT_KIND_PROBLEMATICA, "OOAD-15",
                                                                         "oportunidad de la atencion"));
    redis_fixture_run (fixture, "SET %s %s", index, item_id);
}

/* ---- tests --------------------------------------------------------------------- */

/* Evidence opens a new item: its fields, stage identificacion, the index,
 * the items of its kind, the audit trail; the event is done. */
static void
test_evidence_opens_a_new_item (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    open_the_item (fixture, &lookups);

    const char *fields[][2] = {
        {MOT_ITEM_ID, "it-5"}, {MOT_ITEM_KIND, MOT_KIND_PROBLEMATICA}, {MOT_ITEM_SOURCE, "UAD"},
        {MOT_ITEM_TERRITORY, "OOAD-15"}, {MOT_ITEM_TOPIC, "Oportunidad de la atención"},
        {MOT_ITEM_TOPIC_KEY, "oportunidad de la atencion"}, {MOT_ITEM_STAGE, MOT_STAGE_IDENTIFICACION},
        {MOT_ITEM_EVENTS, "1"}, {"month:2026-10", "1"}, {MOT_ITEM_FIRST_SEEN, "2026-10-14"},
        {MOT_ITEM_LAST_SEEN, "2026-10-14"}, {MOT_ITEM_CREATED_AT, NOW}, {MOT_ITEM_UPDATED_AT, NOW},
        {MOT_ITEM_CATEGORY, "Trato digno"}, {MOT_ITEM_ON, "DA"}, {MOT_ITEM_PROPOSED_CATEGORY, "Trato digno"},
        {MOT_ITEM_PROPOSED_ON, "DA"}, {MOT_ITEM_WINDOW_EVENTS, "1"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        check_item_field (fixture, "it-5", fields[i][0], fields[i][1]);
    check_scores (fixture, "it-5", "4", "3", "2", "4", "3");
    check_item_field (fixture, "it-5", MOT_ITEM_IMPACT_OVERRIDE, NULL);
    check_item_field (fixture, "it-5", MOT_ITEM_VERTICAL_GIVEN, NULL);

    redis_fixture_check_string (fixture, "it-5", "GET %s",
                                redis_fixture_keep (fixture, mot_key_item_index (MOT_KIND_PROBLEMATICA, "OOAD-15",
                                                                                 "oportunidad de la atencion")));
    const char *items = redis_fixture_keep (fixture, mot_key_items (MOT_KIND_PROBLEMATICA));
    redis_fixture_check_string (fixture, "5", "ZSCORE %s it-5", items);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_ITEMS_UNCLASSIFIED);

    redis_fixture_check_integer (fixture, 3, "LLEN %s", audit_key (fixture, "it-5"));
    check_audit_entry (fixture, "it-5", 0, "created", "ev-1");
    check_audit (fixture, "it-5", 0, "stage", MOT_STAGE_IDENTIFICACION);
    check_audit (fixture, "it-5", 0, "rule", "oportunidad");
    check_audit_entry (fixture, "it-5", 1, "evidence", "ev-1");
    check_audit (fixture, "it-5", 1, "events", "1");
    check_audit (fixture, "it-5", 1, "impact", "4");
    check_audit (fixture, "it-5", 1, "basis", "origin UAD 4");
    check_audit_entry (fixture, "it-5", 2, "scored", "ev-1");
    check_audit (fixture, "it-5", 2, "proposed_impact", "4");
    check_audit (fixture, "it-5", 2, "proposed_vertical", "3");
    check_audit (fixture, "it-5", 2, "quadrant", "2");
    check_audit (fixture, "it-5", 2, "vertical_from", "frequency");

    check_event_done (fixture, "ev-1", MOT_EVENT_ITEM_ID, "it-5");
}

/* A second event joins the open item: counted in its month, scores
 * re-proposed over the window, the audit trail grows. */
static void
test_a_second_event_joins_the_item (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    open_the_item (fixture, &lookups);
    dispatch (fixture, "ev-2");
    commit_evidence (fixture, &lookups, &second_complaint, COMMIT_OUTCOME_APPLIED, "it-5");

    check_item_field (fixture, "it-5", MOT_ITEM_EVENTS, "2");
    check_item_field (fixture, "it-5", "month:2026-10", "1");
    check_item_field (fixture, "it-5", "month:2026-11", "1");
    check_item_field (fixture, "it-5", MOT_ITEM_FIRST_SEEN, "2026-10-14");
    check_item_field (fixture, "it-5", MOT_ITEM_LAST_SEEN, "2026-11-02");
    check_item_field (fixture, "it-5", MOT_ITEM_SOURCE, "UAD");
    check_item_field (fixture, "it-5", MOT_ITEM_WINDOW_EVENTS, "2");
    check_scores (fixture, "it-5", "6", "5", "3", "6", "5");
    redis_fixture_check_integer (fixture, 5, "LLEN %s", audit_key (fixture, "it-5"));
    check_audit_entry (fixture, "it-5", 3, "evidence", "ev-2");
    check_audit (fixture, "it-5", 3, "source", "UCS");
    check_audit_entry (fixture, "it-5", 4, "scored", "ev-2");
    check_audit (fixture, "it-5", 4, "quadrant", "3");
    redis_fixture_check_integer (fixture, 1, "ZCARD %s",
                                 redis_fixture_keep (fixture, mot_key_items (MOT_KIND_PROBLEMATICA)));
    check_event_done (fixture, "ev-2", MOT_EVENT_ITEM_ID, "it-5");
}

/* Two events of one new item in one batch: reserve.lua gave both the new
 * item's number; the first opens it, the second joins it. */
static void
test_one_batch_opens_an_item_and_joins_it (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    evidence_t second = second_complaint;
    second.is_new = true;
    dispatch (fixture, "ev-1");
    dispatch (fixture, "ev-2");
    const record_t records[] = {{&first_complaint, NULL}, {&second, NULL}};
    const redisReply *reply = commit_records (fixture, NOW, &lookups, records, 2);
    check_outcome (reply, 0, COMMIT_OUTCOME_APPLIED, "it-5");
    check_outcome (reply, 1, COMMIT_OUTCOME_APPLIED, "it-5");
    check_item_field (fixture, "it-5", MOT_ITEM_EVENTS, "2");
    check_scores (fixture, "it-5", "6", "5", "3", "6", "5");
    check_event_done (fixture, "ev-1", MOT_EVENT_ITEM_ID, "it-5");
    check_event_done (fixture, "ev-2", MOT_EVENT_ITEM_ID, "it-5");
}

/* An event already done (a re-driven or repeated dispatch) is answered
 * ALREADY with the item it joined, and nothing changes. */
static void
test_an_event_already_done_changes_nothing (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    open_the_item (fixture, &lookups);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    commit_evidence (fixture, &lookups, &first_complaint, COMMIT_OUTCOME_ALREADY, "it-5");
    evidence_t elsewhere = first_complaint;
    elsewhere.item_id = "it-8";
    elsewhere.topic_key = "otro tema";
    commit_evidence (fixture, &lookups, &elsewhere, COMMIT_OUTCOME_ALREADY, "it-5");
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* The index holds another item than the one the caller named (another
 * classifier opened it since reserve.lua): STALE, nothing written, the
 * event stays pending for the caller to look again. */
static void
test_an_index_that_moved_is_stale (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    take_the_index (fixture, "it-9");
    dispatch (fixture, "ev-2");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    commit_evidence (fixture, &lookups, &second_complaint, COMMIT_OUTCOME_STALE, "it-5");
    redis_fixture_check_unchanged (fixture, before, NULL);
    redis_fixture_check_string (fixture, "1000", "ZSCORE %s ev-2", MOT_KEY_PENDING_CLASSIFY);
}

/* A new item whose index got taken meanwhile: STALE, nothing written (no
 * item, not listed by kind, the index keeps the other item). */
static void
test_a_new_item_whose_index_was_taken_is_stale (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    take_the_index (fixture, "it-4");
    dispatch (fixture, "ev-1");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    commit_evidence (fixture, &lookups, &first_complaint, COMMIT_OUTCOME_STALE, "it-5");
    redis_fixture_check_unchanged (fixture, before, NULL);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", item_key (fixture, "it-5"));
}

/* An override of an item that does not exist: REJECTED, recorded on the
 * event, which leaves the pending set; no item appears. */
static void
test_an_override_of_an_unknown_item_is_rejected (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    const override_t unknown = {"ev-7", "it-77", 3, 0, "", "", "analista.norte", "Revisión"};
    dispatch (fixture, "ev-7");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    commit_override (fixture, &lookups, &unknown, COMMIT_OUTCOME_REJECTED);
    const char *event = redis_fixture_keep (fixture, mot_key_event ("ev-7"));
    redis_fixture_check_unchanged (fixture, before, event, MOT_KEY_PENDING_CLASSIFY, NULL);
    check_event_done (fixture, "ev-7", MOT_EVENT_REJECTED, "unknown item");
    redis_fixture_check_string (fixture, NULL, "HGET %s %s", event, MOT_EVENT_ITEM_ID);
    redis_fixture_check_integer (fixture, 0, "ZCARD %s", MOT_KEY_PENDING_CLASSIFY);
    /* not retried: the same override again is rejected again, changing nothing */
    before = redis_fixture_snapshot (fixture);
    commit_override (fixture, &lookups, &unknown, COMMIT_OUTCOME_REJECTED);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* An override stores the analyst's values, recomputes the effective ones
 * (override else proposal) and records old, new and proposal. */
static void
test_an_override_sets_the_effective_values (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    open_the_item (fixture, &lookups);
    const override_t override = {"ev-8", "it-5", 9, 0, "Legal", "", "analista.norte", "Revisión de expedientes"};
    dispatch (fixture, "ev-8");
    commit_override (fixture, &lookups, &override, COMMIT_OUTCOME_APPLIED);

    check_item_field (fixture, "it-5", MOT_ITEM_IMPACT_OVERRIDE, "9");
    check_item_field (fixture, "it-5", MOT_ITEM_VERTICAL_OVERRIDE, NULL);
    check_item_field (fixture, "it-5", MOT_ITEM_CATEGORY_OVERRIDE, "Legal");
    check_item_field (fixture, "it-5", MOT_ITEM_ON_OVERRIDE, NULL);
    check_item_field (fixture, "it-5", MOT_ITEM_OVERRIDE_BY, "analista.norte");
    check_item_field (fixture, "it-5", MOT_ITEM_OVERRIDE_AT, LATER);
    check_scores (fixture, "it-5", "9", "3", "4", "4", "3");
    check_item_field (fixture, "it-5", MOT_ITEM_CATEGORY, "Legal");
    check_item_field (fixture, "it-5", MOT_ITEM_ON, "DA");
    check_item_field (fixture, "it-5", MOT_ITEM_PROPOSED_CATEGORY, "Trato digno");

    check_audit_entry (fixture, "it-5", -1, "override", "ev-8");
    const char *audit[][2] = {
        {"analyst", "analista.norte"}, {"reason", "Revisión de expedientes"}, {"impact", "9"},
        {"vertical", NULL}, {"category", "Legal"}, {"on", NULL},
        {"old.impact", "4"}, {"old.vertical", "3"}, {"old.quadrant", "2"}, {"old.category", "Trato digno"},
        {"old.on", "DA"}, {"new.impact", "9"}, {"new.vertical", "3"}, {"new.quadrant", "4"},
        {"new.category", "Legal"}, {"new.on", "DA"}, {"proposal.impact", "4"}, {"proposal.vertical", "3"},
        {"proposal.category", "Trato digno"}, {"proposal.on", "DA"},
    };
    for (size_t i = 0; i < sizeof audit / sizeof audit[0]; i++)
        check_audit (fixture, "it-5", -1, audit[i][0], audit[i][1]);
    check_event_done (fixture, "ev-8", MOT_EVENT_ITEM_ID, "it-5");

    /* later evidence re-proposes but never changes an overridden value */
    dispatch (fixture, "ev-2");
    commit_evidence (fixture, &lookups, &second_complaint, COMMIT_OUTCOME_APPLIED, "it-5");
    check_scores (fixture, "it-5", "9", "5", "1", "6", "5");
    check_item_field (fixture, "it-5", MOT_ITEM_CATEGORY, "Legal");
}

/* An item no rule classified is listed as unclassified (score: its number)
 * until evidence brings a category and ON. */
static void
test_unclassified_items_are_listed_until_a_rule_matches (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    evidence_t vague = first_complaint;
    vague.item_id = "it-12";
    vague.category = MOT_UNCLASSIFIED;
    vague.on = MOT_UNCLASSIFIED;
    vague.rule = "";
    dispatch (fixture, "ev-1");
    commit_evidence (fixture, &lookups, &vague, COMMIT_OUTCOME_APPLIED, "it-12");
    redis_fixture_check_string (fixture, "12", "ZSCORE %s it-12", MOT_KEY_ITEMS_UNCLASSIFIED);
    check_item_field (fixture, "it-12", MOT_ITEM_CATEGORY, MOT_UNCLASSIFIED);

    evidence_t clear = second_complaint;
    clear.item_id = "it-12";
    dispatch (fixture, "ev-2");
    commit_evidence (fixture, &lookups, &clear, COMMIT_OUTCOME_APPLIED, "it-12");
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_ITEMS_UNCLASSIFIED);
    check_item_field (fixture, "it-12", MOT_ITEM_CATEGORY, "Trato digno");
    check_item_field (fixture, "it-12", MOT_ITEM_ON, "DA");
    check_audit_entry (fixture, "it-12", 3, "categorised", "ev-2");
}

/* An analyst who sets both category and ON takes the item off the list. */
static void
test_an_analyst_classifies_an_unclassified_item (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_for_complaints (&lookups);
    evidence_t vague = first_complaint;
    vague.category = MOT_UNCLASSIFIED;
    vague.on = MOT_UNCLASSIFIED;
    dispatch (fixture, "ev-1");
    commit_evidence (fixture, &lookups, &vague, COMMIT_OUTCOME_APPLIED, "it-5");
    redis_fixture_check_string (fixture, "5", "ZSCORE %s it-5", MOT_KEY_ITEMS_UNCLASSIFIED);
    const override_t override = {"ev-8", "it-5", 0, 0, "Administrativo", "DAM", "analista.sur", "Clasificación"};
    dispatch (fixture, "ev-8");
    commit_override (fixture, &lookups, &override, COMMIT_OUTCOME_APPLIED);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_ITEMS_UNCLASSIFIED);
    check_item_field (fixture, "it-5", MOT_ITEM_CATEGORY, "Administrativo");
    check_item_field (fixture, "it-5", MOT_ITEM_ON, "DAM");
    check_item_field (fixture, "it-5", MOT_ITEM_PROPOSED_CATEGORY, MOT_UNCLASSIFIED);
}

/* The quadrant and the frequency are what the lookups say, however odd:
 * the rules live in C only. */
static void
test_the_quadrant_and_frequency_come_from_the_lookups (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_fill (&lookups, "0888", '4');
    dispatch (fixture, "ev-1");
    commit_evidence (fixture, &lookups, &first_complaint, COMMIT_OUTCOME_APPLIED, "it-5");
    check_scores (fixture, "it-5", "4", "8", "4", "4", "8");
}

/* The frequency counts the events of the window (the WINDOW calendar
 * months ending with the item's latest event date), and a count past the
 * lookup's end takes its last score. */
static void
test_the_frequency_counts_the_events_of_the_window (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_fill (&lookups, FREQUENCY, '1');
    const char *days[] = {"2026-08-31", "2026-09-01", "2026-11-30", "2026-11-02",
                          "2027-02-01", "2027-02-10", "2027-01-05", "2026-12-24"};
    /* events in the window: 1, 2 (Sep, Aug), 2 (Nov, Sep), 3, then 1 (Feb
     * 2027 to Dec 2026), 2, 3, 4 (past the lookup's end) */
    const char *expected[] = {"3", "5", "5", "7", "3", "5", "7", "7"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        evidence_t e = first_complaint;
        e.event_id = redis_fixture_text (fixture, "ev-%zu", i + 1);
        e.is_new = i == 0;
        e.day = days[i];
        commit_evidence (fixture, &lookups, &e, COMMIT_OUTCOME_APPLIED, "it-5");
        check_item_field (fixture, "it-5", MOT_ITEM_PROPOSED_VERTICAL, expected[i]);
    }
    check_item_field (fixture, "it-5", MOT_ITEM_FIRST_SEEN, "2026-08-31");
    check_item_field (fixture, "it-5", MOT_ITEM_LAST_SEEN, "2027-02-10");
    check_item_field (fixture, "it-5", MOT_ITEM_EVENTS, "8");
}

/* A riesgo (CAPSOI) is listed with the riesgos, and the probability the
 * unit gave is its vertical score, whatever the frequency lookup says. */
static void
test_a_risk_takes_the_probability_the_unit_gave (void **state)
{
    redis_fixture_t *fixture = *state;
    lookups_t lookups;
    lookups_fill (&lookups, FREQUENCY, '1');
    lookups_mark (&lookups, 8, 6, '2');
    const evidence_t risk = {
        .event_id = "ev-3", .item_id = "it-6", .is_new = true, .kind = MOT_KIND_RIESGO, .source = "CAPSOI",
        .territory = "OOAD-30", .topic = "Falta de mantenimiento a elevadores",
        .topic_key = "falta de mantenimiento a elevadores", .day = "2026-10-08", .category = "Administrativo",
        .on = "DAM", .impact = 8, .given_vertical = 6, .rule = "mantenimiento", .basis = "given by the unit"};
    dispatch (fixture, "ev-3");
    commit_evidence (fixture, &lookups, &risk, COMMIT_OUTCOME_APPLIED, "it-6");
    check_scores (fixture, "it-6", "8", "6", "2", "8", "6");
    check_item_field (fixture, "it-6", MOT_ITEM_VERTICAL_GIVEN, "6");
    check_item_field (fixture, "it-6", MOT_ITEM_VERTICAL_GIVEN_DAY, "2026-10-08");
    check_audit (fixture, "it-6", -1, "vertical_from", "unit");
    redis_fixture_check_string (fixture, "6", "ZSCORE %s it-6",
                                redis_fixture_keep (fixture, mot_key_items (MOT_KIND_RIESGO)));
    redis_fixture_check_integer (fixture, 0, "EXISTS %s",
                                 redis_fixture_keep (fixture, mot_key_items (MOT_KIND_PROBLEMATICA)));
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, commit_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_evidence_opens_a_new_item, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_second_event_joins_the_item, redis_fixture_flush),
        cmocka_unit_test_setup (test_one_batch_opens_an_item_and_joins_it, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_event_already_done_changes_nothing, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_index_that_moved_is_stale, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_new_item_whose_index_was_taken_is_stale, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_override_of_an_unknown_item_is_rejected, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_override_sets_the_effective_values, redis_fixture_flush),
        cmocka_unit_test_setup (test_unclassified_items_are_listed_until_a_rule_matches, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_analyst_classifies_an_unclassified_item, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_quadrant_and_frequency_come_from_the_lookups, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_frequency_counts_the_events_of_the_window, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_risk_takes_the_probability_the_unit_gave, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
