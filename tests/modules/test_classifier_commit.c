/*  test_classifier_commit — the classifier's commit module (services/
 *  classifier/commit.c) against a throwaway redis-server: a batch finds or
 *  opens its items, and the item it remembers for an index is checked by
 *  commit.lua — when the index has moved to another item (as closing an
 *  item will do), the evidence goes to the item the index names now, not
 *  to the remembered one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "commit.h"
#include "mot_schema.h"
#include "redis_fixture.h"

#define NOW 1795340000
/* 1 event → 1, 2 → 2, 3 or more → 3 */
#define FREQUENCIES "1123"

typedef struct {
    char event_id[32];
    char item_id[32];
    commit_outcome_t outcome;
    int reports;
} outcome_t;

static void
on_committed (void *arg, const char *event_id, commit_outcome_t outcome, const char *item_id)
{
    outcome_t *last = arg;
    snprintf (last->event_id, sizeof last->event_id, "%s", event_id);
    snprintf (last->item_id, sizeof last->item_id, "%s", item_id);
    last->outcome = outcome;
    last->reports++;
}

/* Commits one queja about OOAD-15 / "Trato" as `event_id`. */
static outcome_t
commit_one (commit_t *commit, const char *event_id)
{
    commit_event_t event = {.event_id = event_id, .external_id = event_id, .kind = MOT_KIND_PROBLEMATICA, .source = "UAD",
                            .territory = "OOAD-15", .topic = "Trato", .topic_key = "trato", .day = "2026-11-19",
                            .category = "Administrativo", .on = "DA", .impact = 4, .given_vertical = 0,
                            .rule = "trato", .basis = "origin UAD 4"};
    outcome_t last = {0};
    assert_true (commit_add_event (commit, &event));
    assert_int_equal (commit_run (commit, NOW, on_committed, &last), 1);
    assert_int_equal (last.reports, 1);
    assert_string_equal (last.event_id, event_id);
    return last;
}

static void
test_evidence_opens_then_joins_its_item (void **state)
{
    redis_fixture_t *fixture = *state;
    commit_t *commit = commit_new (redis_fixture_redis (fixture), FREQUENCIES, 3);
    assert_non_null (commit);
    outcome_t first = commit_one (commit, "ev-1");
    assert_int_equal (first.outcome, COMMIT_APPLIED);
    assert_string_equal (first.item_id, "it-1");
    outcome_t second = commit_one (commit, "ev-2");
    assert_int_equal (second.outcome, COMMIT_APPLIED);
    assert_string_equal (second.item_id, "it-1");
    redis_fixture_check_string (fixture, "2", "HGET mot:item:{it-1} %s", MOT_ITEM_EVENTS);
    redis_fixture_check_string (fixture, "it-1", "GET mot:itemidx:problematica:OOAD-15:trato");
    commit_destroy (&commit);
}

/* The index names another item than the one remembered: the evidence goes
 * to that item, and the remembered one is left alone. */
static void
test_a_remembered_item_whose_index_moved_is_looked_up_again (void **state)
{
    redis_fixture_t *fixture = *state;
    commit_t *commit = commit_new (redis_fixture_redis (fixture), FREQUENCIES, 3);
    assert_non_null (commit);
    assert_string_equal (commit_one (commit, "ev-1").item_id, "it-1");
    /* it-1 leaves the index (closed), it-7 now holds it */
    redis_fixture_run (fixture, "SET mot:itemidx:problematica:OOAD-15:trato it-7");
    redis_fixture_run (fixture, "HSET mot:item:{it-7} %s it-7 %s 1 %s 2026-11-18 %s 2026-11-18 %s 4 %s 1 "
                       "%s Administrativo %s DA", MOT_ITEM_ID, MOT_ITEM_EVENTS, MOT_ITEM_FIRST_SEEN,
                       MOT_ITEM_LAST_SEEN, MOT_ITEM_PROPOSED_IMPACT, MOT_ITEM_PROPOSED_VERTICAL,
                       MOT_ITEM_PROPOSED_CATEGORY, MOT_ITEM_PROPOSED_ON);
    outcome_t moved = commit_one (commit, "ev-2");
    assert_int_equal (moved.outcome, COMMIT_APPLIED);
    assert_string_equal (moved.item_id, "it-7");
    redis_fixture_check_string (fixture, "2", "HGET mot:item:{it-7} %s", MOT_ITEM_EVENTS);
    redis_fixture_check_string (fixture, "1", "HGET mot:item:{it-1} %s", MOT_ITEM_EVENTS);
    redis_fixture_check_string (fixture, "it-7", "HGET mot:event:ev-2 %s", MOT_EVENT_ITEM_ID);
    commit_destroy (&commit);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, "return 0");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_evidence_opens_then_joins_its_item, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_remembered_item_whose_index_moved_is_looked_up_again, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
