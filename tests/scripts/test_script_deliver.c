/*  test_script_deliver — deliver.lua (services/deadline-watcher) against a
 *  real Redis: a delivery is recorded on its obligation (status,
 *  delivered_on, business days late, the delivering event), cancels the
 *  timers named, logs the late-delivery notice when there is one, and takes
 *  the event out of mot:pending:watch unless told to keep it; the same
 *  event again answers 0, another event after a delivery -1; an obligation
 *  no deadline created yet is created; one waiting for its inputs stops
 *  waiting. Called as
 *  services/deadline-watcher/obligation.c's run_deliver calls it; expected
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
#include "deliver_lua.h"
#include "redis_fixture.h"

#define NOW "1794500000"
#define OBLIGATION "UAD:quejas-gestiones:2026-10"
#define OTHER "CV:identificacion-problematicas:2026-10"

/* One delivery's arguments, as obligation.c's apply_delivery formats them. */
typedef struct {
    const char *event_id;
    const char *deadline, *deadline_day, *due_at;   /* "" unknown */
    const char *delivered_on, *status, *late;
    bool notice;                /* a DELIVERED_LATE notice to log */
    bool keep_pending;
} delivery_t;

static const delivery_t on_time = {"ev-20", "2026-11-09", "20766", "1794290399", "2026-11-06",
                                   MOT_STATUS_DELIVERED, "0", false, false};
static const delivery_t three_days_late = {"ev-21", "2026-11-09", "20766", "1794290399", "2026-11-12",
                                           MOT_STATUS_DELIVERED_LATE, "3", true, false};

static const char *
obligation_key (redis_fixture_t *fixture)
{
    return redis_fixture_keep (fixture, mot_key_obligation (OBLIGATION));
}

static const char *
timer (redis_fixture_t *fixture, const char *obligation_id, Mot__V1__NoticeKind kind, int level)
{
    return redis_fixture_keep (fixture, mot_timer_member (obligation_id, kind, level));
}

/* The late-delivery notice's batch (one notice), *size set. */
static const void *
late_notice (redis_fixture_t *fixture, size_t *size, const char **id)
{
    *id = timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__DELIVERED_LATE, 0);
    return redis_fixture_notice_batch (fixture, id, 1, size);
}

/* Runs deliver.lua for OBLIGATION, cancelling its reminder, overdue and
 * first two escalation timers, as obligation.c does; its answer. */
static long long
deliver (redis_fixture_t *fixture, const delivery_t *d)
{
    const char *cancel[] = {
        timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__REMINDER, 0),
        timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__OVERDUE, 0),
        timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 1),
        timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 2),
    };
    size_t cancels = sizeof cancel / sizeof cancel[0], size = 0;
    const char *id;
    const void *notices = d->notice ? late_notice (fixture, &size, &id) : "";
    mot_call_t call;
    assert_true (mot_call_init (&call, DELIVER_KEYS, DELIVER_ARGS + cancels * CANCEL_ARGS));
    const char *keys[DELIVER_KEYS] = {
        [DELIVER_KEY_OBLIGATION] = obligation_key (fixture), [DELIVER_KEY_OBLS] = MOT_KEY_OBLS,
        [DELIVER_KEY_TIMERS] = MOT_KEY_TIMERS, [DELIVER_KEY_PENDING] = MOT_KEY_PENDING_WATCH,
        [DELIVER_KEY_SEQ] = MOT_KEY_SEQ_NOTICE, [DELIVER_KEY_LOG] = MOT_KEY_NOTICES};
    const char *args[DELIVER_ARGS] = {
        [DELIVER_ARG_EVENT_ID] = d->event_id, [DELIVER_ARG_ID] = OBLIGATION, [DELIVER_ARG_UNIT] = "UAD",
        [DELIVER_ARG_REPORT] = "quejas-gestiones", [DELIVER_ARG_REPORT_NAME] = "Informe de quejas y gestiones",
        [DELIVER_ARG_PERIOD] = "2026-10", [DELIVER_ARG_DEADLINE] = d->deadline,
        [DELIVER_ARG_DEADLINE_DAY] = d->deadline_day, [DELIVER_ARG_DUE_AT] = d->due_at, [DELIVER_ARG_NOW] = NOW,
        [DELIVER_ARG_DELIVERED_ON] = d->delivered_on, [DELIVER_ARG_STATUS] = d->status,
        [DELIVER_ARG_BUSINESS_DAYS_LATE] = d->late, [DELIVER_ARG_KEEP_PENDING] = d->keep_pending ? "1" : "0"};
    for (size_t i = 0; i < DELIVER_KEYS; i++)
        mot_call_key (&call, i, keys[i]);
    for (size_t i = 0; i < DELIVER_ARGS; i++)
        if (i == DELIVER_ARG_NOTICES)
            mot_call_bytes (&call, i, notices, size);
        else
            mot_call_arg (&call, i, args[i]);
    for (size_t i = 0; i < cancels; i++)
        mot_call_arg (&call, DELIVER_ARGS + i * CANCEL_ARGS + CANCEL_ARG_MEMBER, cancel[i]);
    return redis_fixture_eval_integer (fixture, &call);
}

/* OBLIGATION as create.lua made it, with its reminder and overdue timers,
 * the first escalation pending, and another obligation's timer; `event`
 * waits in the pending set. */
static void
create_obligation (redis_fixture_t *fixture, const char *event)
{
    redis_fixture_run (fixture, "HSET %s %s %s %s %s %s %s %s %s %s %s", obligation_key (fixture), MOT_OBL_ID,
                       OBLIGATION, MOT_OBL_DEADLINE, "2026-11-09", MOT_OBL_DUE_AT, "1794290399", MOT_OBL_STATUS,
                       MOT_STATUS_PENDING, MOT_OBL_CREATED_AT, "1792000000");
    redis_fixture_run (fixture, "ZADD %s 20766 %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_run (fixture, "ZADD %s 1794031200 %s 1794290400 %s 1794500000 %s 1794290400 %s", MOT_KEY_TIMERS,
                       timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__REMINDER, 0),
                       timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__OVERDUE, 0),
                       timer (fixture, OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 1),
                       timer (fixture, OTHER, MOT__V1__NOTICE_KIND__OVERDUE, 0));
    redis_fixture_run (fixture, "ZADD %s 1000 %s", MOT_KEY_PENDING_WATCH, event);
}

static void
check_field (redis_fixture_t *fixture, const char *field, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s", obligation_key (fixture), field);
}

/* The delivery is recorded; the obligation's timers are gone (only the
 * other obligation's is left). */
static void
check_delivered (redis_fixture_t *fixture, const delivery_t *d)
{
    check_field (fixture, MOT_OBL_STATUS, d->status);
    check_field (fixture, MOT_OBL_DELIVERED_ON, d->delivered_on);
    check_field (fixture, MOT_OBL_BUSINESS_DAYS_LATE, d->late);
    check_field (fixture, MOT_OBL_DELIVERY_EVENT, d->event_id);
    const char *left[] = {timer (fixture, OTHER, MOT__V1__NOTICE_KIND__OVERDUE, 0)};
    redis_fixture_check_strings (fixture, 1, left, "ZRANGE %s 0 -1", MOT_KEY_TIMERS);
}

/* On time: recorded, timers cancelled, nothing logged, the event done. */
static void
test_an_on_time_delivery_is_recorded (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, on_time.event_id);
    assert_int_equal (deliver (fixture, &on_time), 1);
    check_delivered (fixture, &on_time);
    check_field (fixture, MOT_OBL_DEADLINE, "2026-11-09");
    check_field (fixture, MOT_OBL_CREATED_AT, "1792000000");
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_NOTICES);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_SEQ_NOTICE);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
}

/* Late: the late-delivery notice enters the log with the next seq. */
static void
test_a_late_delivery_logs_its_notice (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, three_days_late.event_id);
    redis_fixture_run (fixture, "SET %s 7", MOT_KEY_SEQ_NOTICE);
    assert_int_equal (deliver (fixture, &three_days_late), 1);
    check_delivered (fixture, &three_days_late);
    size_t size;
    const char *id;
    const void *notices = late_notice (fixture, &size, &id);
    redis_fixture_check_log_entry (fixture, 8, MOT_LOG_WHICH_ALL, notices, size, &id, 1);
    redis_fixture_check_string (fixture, "8", "GET %s", MOT_KEY_SEQ_NOTICE);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
}

/* After `first` was delivered, `again` arrives (re-driven into the pending
 * set): the script answers `answer`, and nothing changes but that event
 * leaving the pending set. */
static void
check_delivery_after (redis_fixture_t *fixture, const delivery_t *first, const delivery_t *again, long long answer)
{
    create_obligation (fixture, first->event_id);
    assert_int_equal (deliver (fixture, first), 1);
    redis_fixture_run (fixture, "ZADD %s 2000 %s", MOT_KEY_PENDING_WATCH, again->event_id);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    assert_int_equal (deliver (fixture, again), answer);
    redis_fixture_check_unchanged (fixture, before, MOT_KEY_PENDING_WATCH, NULL);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
    check_delivered (fixture, first);
}

/* The same event again: 0. */
static void
test_the_same_event_again_changes_nothing (void **state)
{
    check_delivery_after (*state, &three_days_late, &three_days_late, 0);
}

/* Another event after a delivery: -1, the first delivery stands and
 * nothing is logged (the late notice it brings is not). */
static void
test_another_delivery_after_one_is_refused (void **state)
{
    check_delivery_after (*state, &on_time, &three_days_late, -1);
}

/* A delivery before any deadline made the obligation creates it, listed by
 * its deadline day when one is known. */
static void
test_a_delivery_creates_an_obligation_not_made_yet (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "ZADD %s 1000 %s", MOT_KEY_PENDING_WATCH, on_time.event_id);
    assert_int_equal (deliver (fixture, &on_time), 1);
    const char *fields[][2] = {
        {MOT_OBL_ID, OBLIGATION}, {MOT_OBL_UNIT, "UAD"}, {MOT_OBL_REPORT, "quejas-gestiones"},
        {MOT_OBL_REPORT_NAME, "Informe de quejas y gestiones"}, {MOT_OBL_PERIOD, "2026-10"},
        {MOT_OBL_DEADLINE, "2026-11-09"}, {MOT_OBL_DUE_AT, "1794290399"}, {MOT_OBL_CREATED_AT, NOW},
        {MOT_OBL_STATUS, MOT_STATUS_DELIVERED}, {MOT_OBL_DELIVERED_ON, "2026-11-06"},
        {MOT_OBL_BUSINESS_DAYS_LATE, "0"}, {MOT_OBL_DELIVERY_EVENT, "ev-20"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        check_field (fixture, fields[i][0], fields[i][1]);
    redis_fixture_check_string (fixture, "20766", "ZSCORE %s %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
}

/* An event obligation whose trigger has not come: no deadline, not listed. */
static void
test_a_delivery_without_a_deadline_is_not_listed (void **state)
{
    redis_fixture_t *fixture = *state;
    delivery_t unknown = on_time;
    unknown.deadline = unknown.deadline_day = unknown.due_at = "";
    assert_int_equal (deliver (fixture, &unknown), 1);
    check_field (fixture, MOT_OBL_DEADLINE, "");
    check_field (fixture, MOT_OBL_STATUS, MOT_STATUS_DELIVERED);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_OBLS);
}

/* An after: obligation still waiting for its inputs (no deadline; listed by
 * its month's close) is delivered: recorded on time, it stops waiting (its
 * list of missing reports goes), keeps its place, logs nothing. */
static void
test_a_delivery_while_waiting_is_recorded (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "HSET %s %s %s %s %s %s %s %s %s", obligation_key (fixture), MOT_OBL_ID, OBLIGATION,
                       MOT_OBL_STATUS, MOT_STATUS_WAITING, MOT_OBL_CREATED_AT, "1792000000", MOT_OBL_WAITING_FOR,
                       "CV/identificacion-problematicas");
    redis_fixture_run (fixture, "ZADD %s 20757 %s", MOT_KEY_OBLS, OBLIGATION);
    delivery_t waiting = on_time;
    waiting.deadline = waiting.deadline_day = waiting.due_at = "";
    assert_int_equal (deliver (fixture, &waiting), 1);
    check_field (fixture, MOT_OBL_STATUS, MOT_STATUS_DELIVERED);
    check_field (fixture, MOT_OBL_BUSINESS_DAYS_LATE, "0");
    check_field (fixture, MOT_OBL_DELIVERED_ON, "2026-11-06");
    check_field (fixture, MOT_OBL_WAITING_FOR, NULL);
    check_field (fixture, MOT_OBL_CREATED_AT, "1792000000");
    redis_fixture_check_string (fixture, "20757", "ZSCORE %s %s", MOT_KEY_OBLS, OBLIGATION);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_NOTICES);
}

/* keep_pending: applied, refused or repeated, the event stays pending. */
static void
test_keep_pending_leaves_the_event_pending (void **state)
{
    redis_fixture_t *fixture = *state;
    create_obligation (fixture, on_time.event_id);
    delivery_t kept = on_time;
    kept.keep_pending = true;
    assert_int_equal (deliver (fixture, &kept), 1);
    assert_int_equal (deliver (fixture, &kept), 0);
    redis_fixture_check_string (fixture, "1000", "ZSCORE %s %s", MOT_KEY_PENDING_WATCH, kept.event_id);
    delivery_t other = three_days_late;
    other.keep_pending = true;
    redis_fixture_run (fixture, "ZADD %s 2000 %s", MOT_KEY_PENDING_WATCH, other.event_id);
    assert_int_equal (deliver (fixture, &other), -1);
    redis_fixture_check_integer (fixture, 2, "ZCARD %s", MOT_KEY_PENDING_WATCH);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, deliver_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_an_on_time_delivery_is_recorded, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_late_delivery_logs_its_notice, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_same_event_again_changes_nothing, redis_fixture_flush),
        cmocka_unit_test_setup (test_another_delivery_after_one_is_refused, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_delivery_creates_an_obligation_not_made_yet, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_delivery_without_a_deadline_is_not_listed, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_delivery_while_waiting_is_recorded, redis_fixture_flush),
        cmocka_unit_test_setup (test_keep_pending_leaves_the_event_pending, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
