/*  test_script_advance — advance.lua (services/deadline-watcher) against a
 *  real Redis: the last month whose monthly obligations exist
 *  (mot:watch:generated) moves forward, never back; 1 when it moved, 0 when
 *  not. Called as services/deadline-watcher/monthly.c's generate_period
 *  calls it; expected values come from the script's contract
 *  (common/mot_scripts.h, its header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "advance_lua.h"
#include "redis_fixture.h"

/* Runs advance.lua as monthly.c does; its answer. */
static long long
advance (redis_fixture_t *fixture, const char *period)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, ADVANCE_KEYS, ADVANCE_ARGS));
    mot_call_key (&call, ADVANCE_KEY_GENERATED, MOT_KEY_WATCH_GENERATED);
    mot_call_arg (&call, ADVANCE_ARG_PERIOD, period);
    return redis_fixture_eval_integer (fixture, &call);
}

static void
check_generated (redis_fixture_t *fixture, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "GET %s", MOT_KEY_WATCH_GENERATED);
}

/* The first month generated, then each later one (across a year too). */
static void
test_the_mark_moves_forward (void **state)
{
    redis_fixture_t *fixture = *state;
    assert_int_equal (advance (fixture, "2026-08"), 1);
    check_generated (fixture, "2026-08");
    assert_int_equal (advance (fixture, "2026-09"), 1);
    check_generated (fixture, "2026-09");
    redis_fixture_run (fixture, "SET %s 2026-12", MOT_KEY_WATCH_GENERATED);
    assert_int_equal (advance (fixture, "2027-01"), 1);
    check_generated (fixture, "2027-01");
}

/* The same month, or an earlier one (a slower watcher), does not move it. */
static void
test_the_mark_never_moves_back (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "SET %s 2026-10", MOT_KEY_WATCH_GENERATED);
    assert_int_equal (advance (fixture, "2026-10"), 0);
    check_generated (fixture, "2026-10");
    assert_int_equal (advance (fixture, "2026-09"), 0);
    assert_int_equal (advance (fixture, "2025-12"), 0);
    check_generated (fixture, "2026-10");
    redis_fixture_check_integer (fixture, 1, "DBSIZE");
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, advance_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_the_mark_moves_forward, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_mark_never_moves_back, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
