/*  test_script_reschedule — reschedule.lua (services/deadline-watcher)
 *  against a real Redis: a deadline moves (deadline, due_at, anchor, its
 *  day in mot:obls) with the timers still pending and only those (a
 *  cancelled or fired timer is not brought back), and the move is
 *  appended to the obligation's audit list; a deadline changed meanwhile
 *  answers 0 and a status other than the one required -1, both changing
 *  nothing. Called as services/deadline-watcher/obligation.c's
 *  run_reschedule calls it; expected values come from the script's
 *  contract (common/mot_scripts.h, its header).
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
#include "reschedule_lua.h"

#define OBLIGATION "UAD:quejas-gestiones:2026-10"
#define ENTRY                                                                  \
    "{\"at\":1794000000,\"what\":\"deadline_moved\",\"reason\":\"calendar_changed\",\"old_deadline\":\"2026-11-09\"," \
    "\"new_deadline\":\"2026-11-10\",\"anchor\":\"2026-10-31\"}"

/* A move's arguments, as obligation.c's move_prepare formats them. */
typedef struct {
    const char *old_deadline, *deadline, *deadline_day, *due_at, *anchor;
    const char *overdue_at, *reminder_at, *escalation_at;   /* "" none */
    const char *required_status;                              /* "" any */
} move_t;

/* A holiday on 2026-11-05 moves the deadline by a business day. */
static const move_t by_a_holiday = {"2026-11-09", "2026-11-10", "20767", "1794376799", "2026-10-31",
                                    "1794376800", "1794117600", "1794808800", MOT_STATUS_PENDING};

static const char *
timer (redis_fixture_t *fixture, Mot__V1__NoticeKind kind, int level)
{
    return redis_fixture_keep (fixture, mot_timer_member (OBLIGATION, kind, level));
}

static const char *
obligation_key (redis_fixture_t *fixture)
{
    return redis_fixture_keep (fixture, mot_key_obligation (OBLIGATION));
}

static const char *
audit_key (redis_fixture_t *fixture)
{
    return redis_fixture_keep (fixture, mot_key_obligation_audit (OBLIGATION));
}

/* Runs reschedule.lua, as obligation.c does (the next escalation: level 1). */
static long long
reschedule (redis_fixture_t *fixture, const move_t *m)
{
    const char *keys[RESCHEDULE_KEYS] = {
        [RESCHEDULE_KEY_OBLIGATION] = obligation_key (fixture), [RESCHEDULE_KEY_OBLS] = MOT_KEY_OBLS,
        [RESCHEDULE_KEY_TIMERS] = MOT_KEY_TIMERS, [RESCHEDULE_KEY_AUDIT] = audit_key (fixture)};
    const char *args[RESCHEDULE_ARGS] = {
        [RESCHEDULE_ARG_ID] = OBLIGATION, [RESCHEDULE_ARG_OLD_DEADLINE] = m->old_deadline,
        [RESCHEDULE_ARG_DEADLINE] = m->deadline, [RESCHEDULE_ARG_DEADLINE_DAY] = m->deadline_day,
        [RESCHEDULE_ARG_DUE_AT] = m->due_at, [RESCHEDULE_ARG_ANCHOR] = m->anchor,
        [RESCHEDULE_ARG_OVERDUE_MEMBER] = timer (fixture, MOT__V1__NOTICE_KIND__OVERDUE, 0),
        [RESCHEDULE_ARG_OVERDUE_AT] = m->overdue_at,
        [RESCHEDULE_ARG_REMINDER_MEMBER] = timer (fixture, MOT__V1__NOTICE_KIND__REMINDER, 0),
        [RESCHEDULE_ARG_REMINDER_AT] = m->reminder_at,
        [RESCHEDULE_ARG_ESCALATION_MEMBER] = *m->escalation_at ? timer (fixture, MOT__V1__NOTICE_KIND__ESCALATION, 1)
                                                               : "",
        [RESCHEDULE_ARG_ESCALATION_AT] = m->escalation_at, [RESCHEDULE_ARG_ENTRY] = ENTRY,
        [RESCHEDULE_ARG_REQUIRED_STATUS] = m->required_status};
    mot_call_t call;
    assert_true (mot_call_init (&call, RESCHEDULE_KEYS, RESCHEDULE_ARGS));
    for (size_t i = 0; i < RESCHEDULE_KEYS; i++)
        mot_call_key (&call, i, keys[i]);
    for (size_t i = 0; i < RESCHEDULE_ARGS; i++)
        mot_call_arg (&call, i, args[i]);
    return redis_fixture_eval_integer (fixture, &call);
}

/* OBLIGATION due 2026-11-09 with `status`; its overdue timer pending, its
 * reminder already fired (gone). */
static void
create_obligation (redis_fixture_t *fixture, const char *status)
{
    redis_fixture_run (fixture, "HSET %s %s %s %s 2026-11-09 %s 1794290399 %s 2026-10-31 %s 5 %s %s",
                       obligation_key (fixture), MOT_OBL_ID, OBLIGATION, MOT_OBL_DEADLINE, MOT_OBL_DUE_AT,
                       MOT_OBL_ANCHOR, MOT_OBL_N, MOT_OBL_STATUS, status);
    redis_fixture_run (fixture, "ZADD %s 20766 %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_run (fixture, "ZADD %s 1794290400 %s", MOT_KEY_TIMERS,
                       timer (fixture, MOT__V1__NOTICE_KIND__OVERDUE, 0));
}

static void
check_field (redis_fixture_t *fixture, const char *field, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s", obligation_key (fixture), field);
}

static void
check_timer (redis_fixture_t *fixture, Mot__V1__NoticeKind kind, int level, const char *at)
{
    redis_fixture_check_string (fixture, at, "ZSCORE %s %s", MOT_KEY_TIMERS, timer (fixture, kind, level));
}

/* Moved: the deadline fields, its day, the overdue timer; the fired
 * reminder and the escalation never scheduled stay absent; audited. */
static void
test_a_deadline_moves_with_its_pending_timers (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, MOT_STATUS_PENDING);
    assert_int_equal (reschedule (fixture, &by_a_holiday), 1);
    check_field (fixture, MOT_OBL_DEADLINE, "2026-11-10");
    check_field (fixture, MOT_OBL_DUE_AT, "1794376799");
    check_field (fixture, MOT_OBL_ANCHOR, "2026-10-31");
    check_field (fixture, MOT_OBL_N, "5");
    check_field (fixture, MOT_OBL_STATUS, MOT_STATUS_PENDING);
    redis_fixture_check_string (fixture, "20767", "ZSCORE %s %s", MOT_KEY_OBLS, OBLIGATION);
    check_timer (fixture, MOT__V1__NOTICE_KIND__OVERDUE, 0, "1794376800");
    check_timer (fixture, MOT__V1__NOTICE_KIND__REMINDER, 0, NULL);
    check_timer (fixture, MOT__V1__NOTICE_KIND__ESCALATION, 1, NULL);
    const char *audit[] = {ENTRY};
    redis_fixture_check_strings (fixture, 1, audit, "LRANGE %s 0 -1", audit_key (fixture));
}

/* Pending reminder and escalation timers move too; "" leaves a timer alone. */
static void
test_every_pending_timer_named_moves (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, MOT_STATUS_PENDING);
    redis_fixture_run (fixture, "ZADD %s 1794031200 %s 1794722400 %s", MOT_KEY_TIMERS,
                       timer (fixture, MOT__V1__NOTICE_KIND__REMINDER, 0),
                       timer (fixture, MOT__V1__NOTICE_KIND__ESCALATION, 1));
    assert_int_equal (reschedule (fixture, &by_a_holiday), 1);
    check_timer (fixture, MOT__V1__NOTICE_KIND__REMINDER, 0, "1794117600");
    check_timer (fixture, MOT__V1__NOTICE_KIND__ESCALATION, 1, "1794808800");

    move_t back = {"2026-11-10", "2026-11-09", "20766", "1794290399", "2026-10-31", "1794290400", "", "",
                   MOT_STATUS_PENDING};
    assert_int_equal (reschedule (fixture, &back), 1);
    check_timer (fixture, MOT__V1__NOTICE_KIND__OVERDUE, 0, "1794290400");
    check_timer (fixture, MOT__V1__NOTICE_KIND__REMINDER, 0, "1794117600");
    check_timer (fixture, MOT__V1__NOTICE_KIND__ESCALATION, 1, "1794808800");
    redis_fixture_check_integer (fixture, 2, "LLEN %s", audit_key (fixture));
}

/* A timer no longer pending is not brought back: after the overdue notice
 * went out, a calendar change (which requires no status: "") moves the
 * deadline but does not send the notice again. */
static void
test_a_timer_gone_is_not_resurrected (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, MOT_STATUS_PENDING);
    redis_fixture_run (fixture, "ZREM %s %s", MOT_KEY_TIMERS, timer (fixture, MOT__V1__NOTICE_KIND__OVERDUE, 0));
    move_t any = by_a_holiday;
    any.required_status = "";
    assert_int_equal (reschedule (fixture, &any), 1);
    check_field (fixture, MOT_OBL_DEADLINE, "2026-11-10");
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_TIMERS);
}

/* The deadline is no longer the old one: 0, nothing changes. */
static void
test_a_deadline_changed_meanwhile_is_left_alone (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, MOT_STATUS_PENDING);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    move_t stale = by_a_holiday;
    stale.old_deadline = "2026-11-06";
    assert_int_equal (reschedule (fixture, &stale), 0);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* The status is not the one required: -1, nothing changes. */
static void
test_a_status_other_than_required_is_refused (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, MOT_STATUS_DELIVERED_LATE);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    assert_int_equal (reschedule (fixture, &by_a_holiday), -1);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, reschedule_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_a_deadline_moves_with_its_pending_timers, redis_fixture_flush),
        cmocka_unit_test_setup (test_every_pending_timer_named_moves, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_timer_gone_is_not_resurrected, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_deadline_changed_meanwhile_is_left_alone, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_status_other_than_required_is_refused, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
