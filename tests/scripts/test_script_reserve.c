/*  test_script_reserve — reserve.lua (common/lua) against a real Redis:
 *  what each lookup key holds, or a number for it from one counter, and
 *  nothing else written. Called as intake's store.c (dedup keys, the event
 *  counter) and the classifier's commit.c (item index keys, the item
 *  counter) call it; expected values come from the script's contract in
 *  common/mot_scripts.h and its header.
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
#include "reserve_lua.h"

/* One reply element: a number reserved (held NULL) or a value held. */
typedef struct {
    long long number;
    const char *held;
} answer_t;

/* Runs reserve.lua over the lookup keys with the counter `seq`, as the
 * callers do, and checks its answer. */
static void
reserve_and_expect (redis_fixture_t *fixture, const char *seq, const char *const *lookups, size_t count,
                    const answer_t *expected)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, RESERVE_KEYS + count * RESERVE_LOOKUP_KEYS,
                                RESERVE_ARGS + count * RESERVE_LOOKUP_ARGS));
    mot_call_key (&call, RESERVE_KEY_SEQ, seq);
    for (size_t i = 0; i < count; i++)
        mot_call_key (&call, RESERVE_KEYS + i * RESERVE_LOOKUP_KEYS + RESERVE_LOOKUP_KEY_LOOKUP, lookups[i]);
    const redisReply *reply = redis_fixture_eval (fixture, &call);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, count);
    for (size_t i = 0; i < count; i++) {
        const redisReply *element = reply->element[i];
        if (expected[i].held) {
            assert_int_equal (element->type, REDIS_REPLY_STRING);
            assert_string_equal (element->str, expected[i].held);
        }
        else {
            assert_int_equal (element->type, REDIS_REPLY_INTEGER);
            assert_int_equal (element->integer, expected[i].number);
        }
    }
}

static const char *
dedup_key (redis_fixture_t *fixture, const char *external_id)
{
    return redis_fixture_keep (fixture, mot_key_dedup ("UAD", external_id));
}

/* New lookups get consecutive numbers after the counter's value. */
static void
test_new_lookups_get_consecutive_numbers (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "SET %s 41", MOT_KEY_SEQ_EVENT);
    const char *lookups[] = {dedup_key (fixture, "Q-1"), dedup_key (fixture, "Q-2"), dedup_key (fixture, "Q-3")};
    const answer_t expected[] = {{42, NULL}, {43, NULL}, {44, NULL}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, lookups, 3, expected);
    redis_fixture_check_string (fixture, "44", "GET %s", MOT_KEY_SEQ_EVENT);
    /* a second batch goes on from there: one counter */
    const char *more[] = {dedup_key (fixture, "Q-4")};
    const answer_t next[] = {{45, NULL}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, more, 1, next);
}

/* A lookup repeated in the batch gets its first occurrence's number, and
 * the counter advances by the distinct new lookups only. */
static void
test_a_repeated_lookup_gets_the_number_of_its_first_occurrence (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *a = dedup_key (fixture, "A"), *b = dedup_key (fixture, "B"), *c = dedup_key (fixture, "C");
    const char *lookups[] = {a, b, a, c, b};
    const answer_t expected[] = {{1, NULL}, {2, NULL}, {1, NULL}, {3, NULL}, {2, NULL}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, lookups, 5, expected);
    redis_fixture_check_string (fixture, "3", "GET %s", MOT_KEY_SEQ_EVENT);
}

/* A held value comes back as it is, and takes no number. */
static void
test_a_held_value_is_returned_as_is (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *held = dedup_key (fixture, "SIQ-7"), *fresh = dedup_key (fixture, "SIQ-8");
    redis_fixture_run (fixture, "SET %s ev-7", held);
    redis_fixture_run (fixture, "SET %s 10", MOT_KEY_SEQ_EVENT);
    const char *lookups[] = {held, fresh, held};
    const answer_t expected[] = {{0, "ev-7"}, {11, NULL}, {0, "ev-7"}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, lookups, 3, expected);
    redis_fixture_check_string (fixture, "11", "GET %s", MOT_KEY_SEQ_EVENT);
}

/* The classifier's use: item index keys and the item counter. */
static void
test_item_indexes_reserve_item_numbers (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *open = redis_fixture_keep (fixture, mot_key_item_index (MOT_KIND_RIESGO, "OOAD-30", "elevadores"));
    const char *fresh = redis_fixture_keep (fixture, mot_key_item_index (MOT_KIND_PROBLEMATICA, "OOAD-15", "abasto"));
    redis_fixture_run (fixture, "SET %s it-3", open);
    redis_fixture_run (fixture, "SET %s 3", MOT_KEY_SEQ_ITEM);
    const char *lookups[] = {open, fresh};
    const answer_t expected[] = {{0, "it-3"}, {4, NULL}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_ITEM, lookups, 2, expected);
    redis_fixture_check_string (fixture, "4", "GET %s", MOT_KEY_SEQ_ITEM);
    redis_fixture_check_string (fixture, NULL, "GET %s", MOT_KEY_SEQ_EVENT);
}

/* Only the counter is written: no lookup key, nothing else. */
static void
test_nothing_but_the_counter_is_written (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *held = dedup_key (fixture, "H"), *a = dedup_key (fixture, "A"), *b = dedup_key (fixture, "B");
    redis_fixture_run (fixture, "SET %s ev-1", held);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const char *lookups[] = {a, held, b};
    const answer_t expected[] = {{1, NULL}, {0, "ev-1"}, {2, NULL}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, lookups, 3, expected);
    redis_fixture_check_unchanged (fixture, before, MOT_KEY_SEQ_EVENT, NULL);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", a);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", b);
}

/* When every lookup is held, not even the counter moves (or appears). */
static void
test_all_held_writes_nothing (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *a = dedup_key (fixture, "A"), *b = dedup_key (fixture, "B");
    redis_fixture_run (fixture, "SET %s ev-1", a);
    redis_fixture_run (fixture, "SET %s ev-2", b);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const char *lookups[] = {b, a};
    const answer_t expected[] = {{0, "ev-2"}, {0, "ev-1"}};
    reserve_and_expect (fixture, MOT_KEY_SEQ_EVENT, lookups, 2, expected);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, reserve_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_new_lookups_get_consecutive_numbers, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_repeated_lookup_gets_the_number_of_its_first_occurrence, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_held_value_is_returned_as_is, redis_fixture_flush),
        cmocka_unit_test_setup (test_item_indexes_reserve_item_numbers, redis_fixture_flush),
        cmocka_unit_test_setup (test_nothing_but_the_counter_is_written, redis_fixture_flush),
        cmocka_unit_test_setup (test_all_held_writes_nothing, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
