/*  test_script_redrive — redrive.lua (services/intake) against a real
 *  Redis: of the candidates listed, it claims those still pending and last
 *  sent before SENT_BEFORE, marks them sent at NOW and returns each id with
 *  its envelope; a candidate no longer pending, or sent since, is skipped;
 *  a pending id whose event is gone leaves the pending set. Called as
 *  services/intake/store.c's claim calls it; expected values come from the
 *  script's contract (common/mot_scripts.h, the script's header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "redis_fixture.h"
#include "redrive_lua.h"

#define SENT_BEFORE "5000"
#define NOW "9000"

static const char *
event_key (redis_fixture_t *fixture, const char *event_id)
{
    return redis_fixture_keep (fixture, mot_key_event (event_id));
}

/* An event as intake stores it, pending since `sent_ms`. */
static void
store_pending_event (redis_fixture_t *fixture, const char *event_id, const char *envelope, const char *sent_ms)
{
    redis_fixture_run (fixture, "HSET %s %s %s %s UAD", event_key (fixture, event_id), MOT_EVENT_ENVELOPE, envelope,
                       MOT_EVENT_SOURCE);
    redis_fixture_run (fixture, "ZADD %s %s %s", MOT_KEY_PENDING_CLASSIFY, sent_ms, event_id);
}

/* Runs redrive.lua on the candidate ids of a pending set, as store.c's
 * claim does. */
static const redisReply *
claim (redis_fixture_t *fixture, const char *pending, const char *const *ids, size_t count)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, REDRIVE_KEYS + count * REDRIVE_EVENT_KEYS,
                                REDRIVE_ARGS + count * REDRIVE_EVENT_ARGS));
    mot_call_key (&call, REDRIVE_KEY_PENDING, pending);
    mot_call_arg (&call, REDRIVE_ARG_SENT_BEFORE, SENT_BEFORE);
    mot_call_arg (&call, REDRIVE_ARG_NOW, NOW);
    for (size_t i = 0; i < count; i++) {
        mot_call_key (&call, REDRIVE_KEYS + i * REDRIVE_EVENT_KEYS + REDRIVE_EVENT_KEY_EVENT,
                      event_key (fixture, ids[i]));
        mot_call_arg (&call, REDRIVE_ARGS + i * REDRIVE_EVENT_ARGS + REDRIVE_EVENT_ARG_EVENT_ID, ids[i]);
    }
    const redisReply *reply = redis_fixture_eval (fixture, &call);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    return reply;
}

/* Claims the candidates and checks the answer: {id, envelope, …}. */
static void
claim_and_expect (redis_fixture_t *fixture, const char *const *ids, size_t count, const char *const *expected,
                  size_t expected_count)
{
    const redisReply *reply = claim (fixture, MOT_KEY_PENDING_CLASSIFY, ids, count);
    assert_int_equal (reply->elements, expected_count);
    for (size_t i = 0; i < expected_count; i++) {
        assert_int_equal (reply->element[i]->type, REDIS_REPLY_STRING);
        assert_string_equal (reply->element[i]->str, expected[i]);
    }
}

/* Stale hand-offs are claimed: returned with their envelopes, re-scored to NOW. */
static void
test_stale_hand_offs_are_claimed_and_marked_sent_now (void **state)
{
    redis_fixture_t *fixture = *state;
    store_pending_event (fixture, "ev-1", "envelope-1", "1000");
    store_pending_event (fixture, "ev-2", "envelope-2", "4999");
    const char *ids[] = {"ev-1", "ev-2"};
    const char *expected[] = {"ev-1", "envelope-1", "ev-2", "envelope-2"};
    claim_and_expect (fixture, ids, 2, expected, 4);
    redis_fixture_check_string (fixture, NOW, "ZSCORE %s ev-1", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_string (fixture, NOW, "ZSCORE %s ev-2", MOT_KEY_PENDING_CLASSIFY);
    /* claimed once: a second intake with the same candidates gets none */
    claim_and_expect (fixture, ids, 2, NULL, 0);
}

/* A candidate committed meanwhile (no longer pending) or sent since
 * SENT_BEFORE (at it or later) is skipped and left as it is. */
static void
test_candidates_committed_or_sent_recently_are_skipped (void **state)
{
    redis_fixture_t *fixture = *state;
    store_pending_event (fixture, "ev-1", "envelope-1", "1000");
    store_pending_event (fixture, "ev-2", "envelope-2", SENT_BEFORE);
    store_pending_event (fixture, "ev-3", "envelope-3", "7000");
    redis_fixture_run (fixture, "HSET %s %s envelope-4", event_key (fixture, "ev-4"), MOT_EVENT_ENVELOPE);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const char *ids[] = {"ev-4", "ev-2", "ev-1", "ev-3"};
    const char *expected[] = {"ev-1", "envelope-1"};
    claim_and_expect (fixture, ids, 4, expected, 2);
    redis_fixture_check_unchanged (fixture, before, MOT_KEY_PENDING_CLASSIFY, NULL);
    redis_fixture_check_string (fixture, NOW, "ZSCORE %s ev-1", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_string (fixture, SENT_BEFORE, "ZSCORE %s ev-2", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_string (fixture, "7000", "ZSCORE %s ev-3", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_string (fixture, NULL, "ZSCORE %s ev-4", MOT_KEY_PENDING_CLASSIFY);
}

/* A pending id whose event hash is gone is dropped from the set, not returned. */
static void
test_a_pending_id_without_its_event_leaves_the_set (void **state)
{
    redis_fixture_t *fixture = *state;
    store_pending_event (fixture, "ev-1", "envelope-1", "1000");
    redis_fixture_run (fixture, "ZADD %s 1000 ev-2", MOT_KEY_PENDING_CLASSIFY);
    const char *ids[] = {"ev-2", "ev-1"};
    const char *expected[] = {"ev-1", "envelope-1"};
    claim_and_expect (fixture, ids, 2, expected, 2);
    const char *pending[] = {"ev-1"};
    redis_fixture_check_strings (fixture, 1, pending, "ZRANGE %s 0 -1", MOT_KEY_PENDING_CLASSIFY);
}

/* The envelope comes back as stored, bytes and all. */
static void
test_binary_envelopes_come_back_whole (void **state)
{
    redis_fixture_t *fixture = *state;
    static const char envelope[] = {0x0a, 0x00, (char) 0xff, 0x00, 'x'};
    redis_fixture_run (fixture, "HSET %s %s %b", event_key (fixture, "ev-1"), MOT_EVENT_ENVELOPE, envelope,
                       sizeof envelope);
    redis_fixture_run (fixture, "ZADD %s 1 ev-1", MOT_KEY_PENDING_WATCH);
    const char *ids[] = {"ev-1"};
    const redisReply *reply = claim (fixture, MOT_KEY_PENDING_WATCH, ids, 1);
    assert_int_equal (reply->elements, 2);
    assert_int_equal (reply->element[1]->len, sizeof envelope);
    assert_memory_equal (reply->element[1]->str, envelope, sizeof envelope);
    redis_fixture_check_string (fixture, NOW, "ZSCORE %s ev-1", MOT_KEY_PENDING_WATCH);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, redrive_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_stale_hand_offs_are_claimed_and_marked_sent_now, redis_fixture_flush),
        cmocka_unit_test_setup (test_candidates_committed_or_sent_recently_are_skipped, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_pending_id_without_its_event_leaves_the_set, redis_fixture_flush),
        cmocka_unit_test_setup (test_binary_envelopes_come_back_whole, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
