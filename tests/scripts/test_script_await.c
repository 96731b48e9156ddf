/*  test_script_await — await.lua (services/deadline-watcher) against a real
 *  Redis: an after: obligation of a closed month and the obligations of the
 *  reports it waits for. While one is not delivered it is created waiting
 *  (no deadline, no timers; in mot:obls by the month's close) naming the
 *  missing ones, or its list is brought up to date; once all are delivered
 *  the answer is the last delivery day and nothing is written; one already
 *  pending or delivered is left alone. Called as
 *  services/deadline-watcher/obligation.c's run_await calls it; expected
 *  values come from the script's contract (common/mot_scripts.h, its
 *  header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "await_lua.h"
#include "redis_fixture.h"

#define NOW "1793600000"
#define OBLIGATION "CAPSOI:comportamiento-mensual:2026-10"
#define CLOSE_DAY "20757"               /* Sat 2026-10-31 */

/* The three reports this test's after: rule waits for. */
static const char *const inputs[] = {"UAD:quejas-gestiones:2026-10", "CV:identificacion-problematicas:2026-10",
                                     "CAPSOI:riesgos-rtr:2026-10"};
static const char *const names[] = {"UAD/quejas-gestiones", "CV/identificacion-problematicas", "CAPSOI/riesgos-rtr"};
#define INPUTS 3

static const char *
key_of (redis_fixture_t *fixture, const char *id)
{
    return redis_fixture_keep (fixture, mot_key_obligation (id));
}

/* Input i with this status (and delivered_on, NULL none). */
static void
set_input (redis_fixture_t *fixture, int i, const char *status, const char *delivered_on)
{
    redis_fixture_run (fixture, "HSET %s %s %s %s %s", key_of (fixture, inputs[i]), MOT_OBL_ID, inputs[i],
                       MOT_OBL_STATUS, status);
    if (delivered_on)
        redis_fixture_run (fixture, "HSET %s %s %s", key_of (fixture, inputs[i]), MOT_OBL_DELIVERED_ON, delivered_on);
}

/* Runs await.lua for OBLIGATION as obligation.c does; its reply. */
static const redisReply *
await (redis_fixture_t *fixture)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, AWAIT_KEYS + INPUTS * AWAIT_INPUT_KEYS, AWAIT_ARGS + INPUTS * AWAIT_INPUT_ARGS));
    mot_call_key (&call, AWAIT_KEY_OBLIGATION, key_of (fixture, OBLIGATION));
    mot_call_key (&call, AWAIT_KEY_OBLS, MOT_KEY_OBLS);
    const char *args[AWAIT_ARGS] = {
        [AWAIT_ARG_ID] = OBLIGATION, [AWAIT_ARG_UNIT] = "CAPSOI", [AWAIT_ARG_REPORT] = "comportamiento-mensual",
        [AWAIT_ARG_REPORT_NAME] = "Comportamiento mensual", [AWAIT_ARG_PERIOD] = "2026-10", [AWAIT_ARG_DAYS] = "5",
        [AWAIT_ARG_CLOSE_DAY] = CLOSE_DAY, [AWAIT_ARG_NOW] = NOW};
    for (size_t i = 0; i < AWAIT_ARGS; i++)
        mot_call_arg (&call, i, args[i]);
    for (size_t i = 0; i < INPUTS; i++) {
        mot_call_key (&call, AWAIT_KEYS + i * AWAIT_INPUT_KEYS + AWAIT_INPUT_KEY_OBLIGATION, key_of (fixture, inputs[i]));
        mot_call_arg (&call, AWAIT_ARGS + i * AWAIT_INPUT_ARGS + AWAIT_INPUT_ARG_NAME, names[i]);
    }
    return redis_fixture_eval (fixture, &call);
}

/* The reply is {outcome} or {outcome, text}. */
static void
check_answer (const redisReply *reply, long long outcome, const char *text)
{
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, text ? 2 : 1);
    assert_int_equal (reply->element[0]->type, REDIS_REPLY_INTEGER);
    assert_int_equal (reply->element[0]->integer, outcome);
    if (text) {
        assert_int_equal (reply->element[1]->type, REDIS_REPLY_STRING);
        assert_string_equal (reply->element[1]->str, text);
    }
}

static void
check_field (redis_fixture_t *fixture, const char *field, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s", key_of (fixture, OBLIGATION), field);
}

/* One input delivered, one pending, one not even created: the obligation
 * is created waiting for the two, exactly these fields, in mot:obls by the
 * month's close; nothing else is written. */
static void
test_missing_inputs_make_it_wait (void **state)
{
    redis_fixture_t *fixture = *state;
    set_input (fixture, 0, MOT_STATUS_DELIVERED, "2026-11-03");
    set_input (fixture, 1, MOT_STATUS_PENDING, NULL);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    check_answer (await (fixture), AWAIT_WAITING, "CV/identificacion-problematicas,CAPSOI/riesgos-rtr");
    const char *fields[][2] = {
        {MOT_OBL_ID, OBLIGATION}, {MOT_OBL_UNIT, "CAPSOI"}, {MOT_OBL_REPORT, "comportamiento-mensual"},
        {MOT_OBL_REPORT_NAME, "Comportamiento mensual"}, {MOT_OBL_PERIOD, "2026-10"},
        {MOT_OBL_STATUS, MOT_STATUS_WAITING}, {MOT_OBL_CREATED_AT, NOW}, {MOT_OBL_N, "5"},
        {MOT_OBL_WAITING_FOR, "CV/identificacion-problematicas,CAPSOI/riesgos-rtr"},
        {MOT_OBL_DEADLINE, NULL}, {MOT_OBL_DUE_AT, NULL}, {MOT_OBL_ANCHOR, NULL},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        check_field (fixture, fields[i][0], fields[i][1]);
    redis_fixture_check_integer (fixture, 9, "HLEN %s", key_of (fixture, OBLIGATION));
    redis_fixture_check_string (fixture, CLOSE_DAY, "ZSCORE %s %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_check_unchanged (fixture, before, key_of (fixture, OBLIGATION), MOT_KEY_OBLS, NULL);
}

/* A later call, after another delivery (a late one counts too), narrows the
 * list and changes nothing else (created_at, the place in mot:obls). */
static void
test_a_waiting_list_is_brought_up_to_date (void **state)
{
    redis_fixture_t *fixture = *state;
    set_input (fixture, 0, MOT_STATUS_DELIVERED, "2026-11-03");
    check_answer (await (fixture), AWAIT_WAITING,
                  "CV/identificacion-problematicas,CAPSOI/riesgos-rtr");
    set_input (fixture, 2, MOT_STATUS_DELIVERED_LATE, "2026-11-12");
    redis_fixture_run (fixture, "HSET %s %s 1", key_of (fixture, OBLIGATION), MOT_OBL_CREATED_AT);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    check_answer (await (fixture), AWAIT_WAITING, "CV/identificacion-problematicas");
    check_field (fixture, MOT_OBL_WAITING_FOR, "CV/identificacion-problematicas");
    check_field (fixture, MOT_OBL_CREATED_AT, "1");
    redis_fixture_check_string (fixture, CLOSE_DAY, "ZSCORE %s %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_check_unchanged (fixture, before, key_of (fixture, OBLIGATION), NULL);
}

/* Every input delivered: the last delivery day (not the last in the list),
 * and nothing written, whether it was waiting or did not exist. */
static void
test_all_inputs_in_answers_the_last_day (void **state)
{
    redis_fixture_t *fixture = *state;
    set_input (fixture, 0, MOT_STATUS_DELIVERED, "2026-11-03");
    set_input (fixture, 1, MOT_STATUS_DELIVERED_LATE, "2026-11-12");
    set_input (fixture, 2, MOT_STATUS_DELIVERED, "2026-11-05");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    check_answer (await (fixture), AWAIT_READY, "2026-11-12");
    redis_fixture_check_unchanged (fixture, before, NULL);
    /* The same while waiting: it stays as it is (create.lua makes it pending). */
    set_input (fixture, 1, MOT_STATUS_PENDING, NULL);
    redis_fixture_run (fixture, "HDEL %s %s", key_of (fixture, inputs[1]), MOT_OBL_DELIVERED_ON);
    check_answer (await (fixture), AWAIT_WAITING, "CV/identificacion-problematicas");
    set_input (fixture, 1, MOT_STATUS_DELIVERED, "2026-11-04");
    before = redis_fixture_snapshot (fixture);
    check_answer (await (fixture), AWAIT_READY, "2026-11-05");
    redis_fixture_check_unchanged (fixture, before, NULL);
    check_field (fixture, MOT_OBL_STATUS, MOT_STATUS_WAITING);
}

/* Pending (its inputs came in before) or delivered: nothing to do, even
 * with inputs missing. */
static void
test_pending_or_delivered_is_settled (void **state)
{
    redis_fixture_t *fixture = *state;
    const char *statuses[] = {MOT_STATUS_PENDING, MOT_STATUS_DELIVERED, MOT_STATUS_DELIVERED_LATE};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        redis_fixture_run (fixture, "HSET %s %s %s %s %s", key_of (fixture, OBLIGATION), MOT_OBL_ID, OBLIGATION,
                           MOT_OBL_STATUS, statuses[i]);
        redis_snapshot_t *before = redis_fixture_snapshot (fixture);
        check_answer (await (fixture), AWAIT_SETTLED, NULL);
        redis_fixture_check_unchanged (fixture, before, NULL);
    }
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, await_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_missing_inputs_make_it_wait, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_waiting_list_is_brought_up_to_date, redis_fixture_flush),
        cmocka_unit_test_setup (test_all_inputs_in_answers_the_last_day, redis_fixture_flush),
        cmocka_unit_test_setup (test_pending_or_delivered_is_settled, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
