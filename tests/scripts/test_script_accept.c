/*  test_script_accept — accept.lua (services/intake) against a real Redis:
 *  a new envelope is stored under its event key with its source, type and
 *  reception time, its dedup key names it and its hand-off is pending; a
 *  dedup key taken since the reservation is answered as a duplicate and
 *  nothing is written for it. Called as services/intake/store.c calls it;
 *  expected values come from the script's contract (common/mot_scripts.h,
 *  the script's header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "accept_lua.h"
#include "redis_fixture.h"

#define RECEIVED_AT "1792000000"
#define SENT_MS "1792000000123"

/* One request as store.c has it after reserve.lua gave it an id. */
typedef struct {
    const char *external_id;
    const char *event_id;
    const void *envelope;
    size_t size;
    const char *type;
    const char *pending_key;
} request_t;

static const char *
dedup_key_of (redis_fixture_t *fixture, const request_t *request)
{
    return redis_fixture_keep (fixture, mot_key_dedup ("UAD", request->external_id));
}

static const char *
event_key_of (redis_fixture_t *fixture, const char *event_id)
{
    return redis_fixture_keep (fixture, mot_key_event (event_id));
}

/* Runs accept.lua on the requests, as store.c's accept_new does. */
static const redisReply *
accept_batch (redis_fixture_t *fixture, const request_t *requests, size_t count)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, ACCEPT_KEYS + count * ACCEPT_REQUEST_KEYS,
                                ACCEPT_ARGS + count * ACCEPT_REQUEST_ARGS));
    mot_call_arg (&call, ACCEPT_ARG_RECEIVED_AT, RECEIVED_AT);
    mot_call_arg (&call, ACCEPT_ARG_SENT_MS, SENT_MS);
    for (size_t i = 0; i < count; i++) {
        size_t k = ACCEPT_KEYS + i * ACCEPT_REQUEST_KEYS, a = ACCEPT_ARGS + i * ACCEPT_REQUEST_ARGS;
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_DEDUP, dedup_key_of (fixture, &requests[i]));
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_EVENT, event_key_of (fixture, requests[i].event_id));
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_PENDING, requests[i].pending_key);
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_EVENT_ID, requests[i].event_id);
        mot_call_bytes (&call, a + ACCEPT_REQUEST_ARG_ENVELOPE, requests[i].envelope, requests[i].size);
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_SOURCE, "UAD");
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_TYPE, requests[i].type);
    }
    return redis_fixture_eval (fixture, &call);
}

/* Checks the i-th answer: {event id, duplicate}. */
static void
check_answer (const redisReply *reply, size_t i, const char *event_id, long long duplicate)
{
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_true (reply->elements > 2 * i + 1);
    assert_int_equal (reply->element[2 * i]->type, REDIS_REPLY_STRING);
    assert_string_equal (reply->element[2 * i]->str, event_id);
    assert_int_equal (reply->element[2 * i + 1]->type, REDIS_REPLY_INTEGER);
    assert_int_equal (reply->element[2 * i + 1]->integer, duplicate);
}

/* The event hash holds exactly the four fields the request brought. */
static void
check_event_stored (redis_fixture_t *fixture, const request_t *request)
{
    const char *key = event_key_of (fixture, request->event_id);
    redis_fixture_check_integer (fixture, 4, "HLEN %s", key);
    redis_fixture_check_bytes (fixture, request->envelope, request->size, "HGET %s %s", key, MOT_EVENT_ENVELOPE);
    redis_fixture_check_string (fixture, "UAD", "HGET %s %s", key, MOT_EVENT_SOURCE);
    redis_fixture_check_string (fixture, request->type, "HGET %s %s", key, MOT_EVENT_TYPE);
    redis_fixture_check_string (fixture, RECEIVED_AT, "HGET %s %s", key, MOT_EVENT_RECEIVED_AT);
    redis_fixture_check_string (fixture, request->event_id, "GET %s", dedup_key_of (fixture, request));
    redis_fixture_check_string (fixture, SENT_MS, "ZSCORE %s %s", request->pending_key, request->event_id);
}

/* Each new request: event stored, dedup key set, hand-off pending in the
 * set of the stage it goes to; nothing else. */
static void
test_new_envelopes_are_stored_with_their_hand_off (void **state)
{
    redis_fixture_t *fixture = *state;
    const request_t requests[] = {
        {"SIQ-1", "ev-1", "queja-1", 7, "queja", MOT_KEY_PENDING_CLASSIFY},
        {"ENT-1", "ev-2", "delivery-1", 10, "delivery", MOT_KEY_PENDING_WATCH},
    };
    const redisReply *reply = accept_batch (fixture, requests, 2);
    assert_int_equal (reply->elements, 4);
    check_answer (reply, 0, "ev-1", 0);
    check_answer (reply, 1, "ev-2", 0);
    check_event_stored (fixture, &requests[0]);
    check_event_stored (fixture, &requests[1]);
    redis_fixture_check_integer (fixture, 1, "ZCARD %s", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_integer (fixture, 1, "ZCARD %s", MOT_KEY_PENDING_WATCH);
    redis_fixture_check_integer (fixture, 6, "DBSIZE");
}

/* Another intake stored the same (source, external id) since the
 * reservation: its id comes back with 1, and nothing is written. */
static void
test_a_taken_dedup_key_answers_the_stored_id_and_writes_nothing (void **state)
{
    redis_fixture_t *fixture = *state;
    const request_t taken = {"SIQ-9", "ev-12", "late", 4, "queja", MOT_KEY_PENDING_CLASSIFY};
    redis_fixture_run (fixture, "SET %s ev-11", dedup_key_of (fixture, &taken));
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const redisReply *reply = accept_batch (fixture, &taken, 1);
    assert_int_equal (reply->elements, 2);
    check_answer (reply, 0, "ev-11", 1);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* In one batch a duplicate costs only itself; a dedup key that appears
 * twice is stored by the first and answered as its duplicate after. */
static void
test_duplicates_in_a_batch_spare_the_others (void **state)
{
    redis_fixture_t *fixture = *state;
    const request_t requests[] = {
        {"SIQ-1", "ev-5", "first", 5, "queja", MOT_KEY_PENDING_CLASSIFY},
        {"SIQ-2", "ev-6", "taken", 5, "queja", MOT_KEY_PENDING_CLASSIFY},
        {"SIQ-1", "ev-7", "again", 5, "queja", MOT_KEY_PENDING_CLASSIFY},
    };
    redis_fixture_run (fixture, "SET %s ev-3", dedup_key_of (fixture, &requests[1]));
    const redisReply *reply = accept_batch (fixture, requests, 3);
    assert_int_equal (reply->elements, 6);
    check_answer (reply, 0, "ev-5", 0);
    check_answer (reply, 1, "ev-3", 1);
    check_answer (reply, 2, "ev-5", 1);
    check_event_stored (fixture, &requests[0]);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", event_key_of (fixture, "ev-6"));
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", event_key_of (fixture, "ev-7"));
    const char *pending[] = {"ev-5"};
    redis_fixture_check_strings (fixture, 1, pending, "ZRANGE %s 0 -1", MOT_KEY_PENDING_CLASSIFY);
    redis_fixture_check_string (fixture, "ev-3", "GET %s", dedup_key_of (fixture, &requests[1]));
}

/* A packed envelope is bytes: NULs and high bytes survive as they are. */
static void
test_binary_envelopes_survive (void **state)
{
    redis_fixture_t *fixture = *state;
    static const unsigned char envelope[] = {0x0a, 0x00, 0x05, 0xff, 0x00, 0x00, 0x80, 'u', 0x00};
    const request_t request = {"SIQ-0", "ev-1", envelope, sizeof envelope, "queja", MOT_KEY_PENDING_CLASSIFY};
    const redisReply *reply = accept_batch (fixture, &request, 1);
    check_answer (reply, 0, "ev-1", 0);
    check_event_stored (fixture, &request);
    redis_fixture_check_integer (fixture, (long long) sizeof envelope, "HSTRLEN %s %s",
                                 event_key_of (fixture, "ev-1"), MOT_EVENT_ENVELOPE);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, accept_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_new_envelopes_are_stored_with_their_hand_off, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_taken_dedup_key_answers_the_stored_id_and_writes_nothing, redis_fixture_flush),
        cmocka_unit_test_setup (test_duplicates_in_a_batch_spare_the_others, redis_fixture_flush),
        cmocka_unit_test_setup (test_binary_envelopes_survive, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
