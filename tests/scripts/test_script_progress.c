/*  test_script_progress — progress.lua (services/deadline-watcher) against
 *  a real Redis: a fortnightly follow-up's progress is recorded only while
 *  the follow-up is open (its field exists in mot:watch:followups), so a
 *  closing that came first is never undone. Called as
 *  services/deadline-watcher/followup.c's advance_one calls it; expected
 *  values come from the script's contract (common/mot_scripts.h, its
 *  header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "progress_lua.h"
#include "redis_fixture.h"

#define FOLLOWUP "CAPSOI:avance-acuerdos-rtm:RTM-9"

/* Runs progress.lua as followup.c does. */
static void
record_progress (redis_fixture_t *fixture, const char *field, const char *value)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS));
    mot_call_key (&call, PROGRESS_KEY_FOLLOWUPS, MOT_KEY_FOLLOWUPS);
    mot_call_arg (&call, PROGRESS_ARG_FIELD, field);
    mot_call_arg (&call, PROGRESS_ARG_VALUE, value);
    redis_fixture_eval (fixture, &call);
}

/* Open: the new progress replaces the old; the other follow-ups stay. */
static void
test_progress_is_recorded_while_the_follow_up_is_open (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "HSET %s %s %s CAPSOI:avance-acuerdos-rtm:RTM-7 %s", MOT_KEY_FOLLOWUPS, FOLLOWUP,
                       "2026-10-01 2026-10-15", "2026-09-01 -");
    record_progress (fixture, FOLLOWUP, "2026-10-01 2026-10-31");
    redis_fixture_check_string (fixture, "2026-10-01 2026-10-31", "HGET %s %s", MOT_KEY_FOLLOWUPS, FOLLOWUP);
    redis_fixture_check_string (fixture, "2026-09-01 -", "HGET %s CAPSOI:avance-acuerdos-rtm:RTM-7",
                                MOT_KEY_FOLLOWUPS);
    redis_fixture_check_integer (fixture, 2, "HLEN %s", MOT_KEY_FOLLOWUPS);
}

/* Closed first (its field gone): nothing is written, it does not reopen. */
static void
test_progress_of_a_closed_follow_up_is_dropped (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "HSET %s CAPSOI:avance-acuerdos-rtm:RTM-7 %s", MOT_KEY_FOLLOWUPS, "2026-09-01 -");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    record_progress (fixture, FOLLOWUP, "2026-10-01 2026-10-31");
    redis_fixture_check_unchanged (fixture, before, NULL);
    redis_fixture_run (fixture, "DEL %s", MOT_KEY_FOLLOWUPS);
    record_progress (fixture, FOLLOWUP, "2026-10-01 2026-10-31");
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_FOLLOWUPS);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, progress_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_progress_is_recorded_while_the_follow_up_is_open, redis_fixture_flush),
        cmocka_unit_test_setup (test_progress_of_a_closed_follow_up_is_dropped, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
