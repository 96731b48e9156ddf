/*  test_script_create — create.lua (services/deadline-watcher) against a
 *  real Redis: a new obligation instance gets its hash, its place in
 *  mot:obls by deadline day and its overdue and reminder timers; creating
 *  twice creates once; an after: obligation waiting for its inputs (as
 *  await.lua leaves it) becomes pending with its deadline and timers,
 *  keeping when it was created and dropping its list of missing reports;
 *  the intake event leaves mot:pending:watch either way. Called as services/deadline-watcher/obligation.c's
 *  run_create_script calls it; expected values come from the script's
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
#include "create_lua.h"
#include "redis_fixture.h"

#define NOW "1792000000"

/* An instance's arguments, as obligation.c's creation_prepare formats them. */
typedef struct {
    const char *id, *unit, *report, *report_name, *period;
    const char *deadline, *deadline_day, *due_at, *anchor, *days;
    const char *territory, *responsible, *event_id;
    const char *overdue_at, *reminder_at;
} instance_t;

/* A corrective action of UEOD on an item of OOAD-15, recorded by event ev-4. */
static const instance_t action = {
    .id = "UEOD:accion-correctiva:AC-2026-001", .unit = "UEOD", .report = "accion-correctiva",
    .report_name = "Acción correctiva", .period = "AC-2026-001", .deadline = "2026-11-10",
    .deadline_day = "20767", .due_at = "1794376799", .anchor = "2026-11-10", .days = "0",
    .territory = "OOAD-15", .responsible = "DA", .event_id = "ev-4", .overdue_at = "1794376800",
    .reminder_at = "1794117600"};
/* A monthly report: no territory, no responsible, no intake event. */
static const instance_t monthly = {
    .id = "UAD:quejas-gestiones:2026-10", .unit = "UAD", .report = "quejas-gestiones",
    .report_name = "Informe de quejas y gestiones", .period = "2026-10", .deadline = "2026-11-09",
    .deadline_day = "20766", .due_at = "1794290399", .anchor = "2026-10-31", .days = "5", .territory = "",
    .responsible = "", .event_id = "", .overdue_at = "1794290400", .reminder_at = "1794031200"};

static const char *
obligation_key (redis_fixture_t *fixture, const instance_t *instance)
{
    return redis_fixture_keep (fixture, mot_key_obligation (instance->id));
}

static const char *
timer (redis_fixture_t *fixture, const instance_t *instance, Mot__V1__NoticeKind kind)
{
    return redis_fixture_keep (fixture, mot_timer_member (instance->id, kind, 0));
}

/* Runs create.lua on the instances, as obligation.c does; checks its answer. */
static void
create_and_expect (redis_fixture_t *fixture, const instance_t *instances, size_t count, const long long *expected)
{
    mot_call_t call;
    assert_true (mot_call_init (&call, CREATE_KEYS + count * INSTANCE_KEYS, CREATE_ARGS + count * INSTANCE_ARGS));
    mot_call_key (&call, CREATE_KEY_OBLS, MOT_KEY_OBLS);
    mot_call_key (&call, CREATE_KEY_TIMERS, MOT_KEY_TIMERS);
    mot_call_key (&call, CREATE_KEY_PENDING, MOT_KEY_PENDING_WATCH);
    mot_call_arg (&call, CREATE_ARG_NOW, NOW);
    for (size_t i = 0; i < count; i++) {
        const instance_t *c = &instances[i];
        size_t k = CREATE_KEYS + i * INSTANCE_KEYS, a = CREATE_ARGS + i * INSTANCE_ARGS;
        mot_call_key (&call, k + INSTANCE_KEY_OBLIGATION, obligation_key (fixture, c));
        const char *args[INSTANCE_ARGS] = {
            [INSTANCE_ARG_ID] = c->id, [INSTANCE_ARG_UNIT] = c->unit, [INSTANCE_ARG_REPORT] = c->report,
            [INSTANCE_ARG_REPORT_NAME] = c->report_name, [INSTANCE_ARG_PERIOD] = c->period,
            [INSTANCE_ARG_DEADLINE] = c->deadline, [INSTANCE_ARG_DEADLINE_DAY] = c->deadline_day,
            [INSTANCE_ARG_DUE_AT] = c->due_at, [INSTANCE_ARG_ANCHOR] = c->anchor, [INSTANCE_ARG_DAYS] = c->days,
            [INSTANCE_ARG_TERRITORY] = c->territory, [INSTANCE_ARG_RESPONSIBLE] = c->responsible,
            [INSTANCE_ARG_EVENT_ID] = c->event_id,
            [INSTANCE_ARG_OVERDUE_MEMBER] = timer (fixture, c, MOT__V1__NOTICE_KIND__OVERDUE),
            [INSTANCE_ARG_OVERDUE_AT] = c->overdue_at,
            [INSTANCE_ARG_REMINDER_MEMBER] = timer (fixture, c, MOT__V1__NOTICE_KIND__REMINDER),
            [INSTANCE_ARG_REMINDER_AT] = c->reminder_at};
        for (size_t j = 0; j < INSTANCE_ARGS; j++)
            mot_call_arg (&call, a + j, args[j]);
    }
    redis_fixture_check_integers (redis_fixture_eval (fixture, &call), count, expected);
}

static void
check_field (redis_fixture_t *fixture, const instance_t *instance, const char *field, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s", obligation_key (fixture, instance), field);
}

/* The instance is created: its hash, its deadline day in mot:obls, its timers. */
static void
check_created (redis_fixture_t *fixture, const instance_t *c)
{
    const char *fields[][2] = {
        {MOT_OBL_ID, c->id}, {MOT_OBL_UNIT, c->unit}, {MOT_OBL_REPORT, c->report},
        {MOT_OBL_REPORT_NAME, c->report_name}, {MOT_OBL_PERIOD, c->period}, {MOT_OBL_DEADLINE, c->deadline},
        {MOT_OBL_DUE_AT, c->due_at}, {MOT_OBL_ANCHOR, c->anchor}, {MOT_OBL_N, c->days},
        {MOT_OBL_STATUS, MOT_STATUS_PENDING}, {MOT_OBL_CREATED_AT, NOW},
    };
    size_t count = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < count; i++)
        check_field (fixture, c, fields[i][0], fields[i][1]);
    check_field (fixture, c, MOT_OBL_TERRITORY, *c->territory ? c->territory : NULL);
    check_field (fixture, c, MOT_OBL_RESPONSIBLE, *c->responsible ? c->responsible : NULL);
    redis_fixture_check_integer (fixture, (long long) count + (*c->territory != 0) + (*c->responsible != 0),
                                 "HLEN %s", obligation_key (fixture, c));
    redis_fixture_check_string (fixture, c->deadline_day, "ZSCORE %s %s", MOT_KEY_OBLS, c->id);
    redis_fixture_check_string (fixture, c->overdue_at, "ZSCORE %s %s", MOT_KEY_TIMERS,
                                timer (fixture, c, MOT__V1__NOTICE_KIND__OVERDUE));
    redis_fixture_check_string (fixture, *c->reminder_at ? c->reminder_at : NULL, "ZSCORE %s %s", MOT_KEY_TIMERS,
                                timer (fixture, c, MOT__V1__NOTICE_KIND__REMINDER));
}

/* An agreement recorded through intake: created with its territory and
 * responsible; its event leaves the pending set. */
static void
test_an_instance_is_created_with_its_timers (void **state)
{
    redis_fixture_t *fixture = *state;
    redis_fixture_run (fixture, "ZADD %s 1000 ev-4 1000 ev-5", MOT_KEY_PENDING_WATCH);
    const long long created[] = {1};
    create_and_expect (fixture, &action, 1, created);
    check_created (fixture, &action);
    redis_fixture_check_integer (fixture, 2, "ZCARD %s", MOT_KEY_TIMERS);
    const char *pending[] = {"ev-5"};
    redis_fixture_check_strings (fixture, 1, pending, "ZRANGE %s 0 -1", MOT_KEY_PENDING_WATCH);
}

/* Creating twice creates once: 0, nothing changes (not even with another
 * deadline), but the second event also leaves the pending set. */
static void
test_creating_twice_creates_once (void **state)
{
    redis_fixture_t *fixture = *state;
    const long long created[] = {1}, existed[] = {0};
    create_and_expect (fixture, &action, 1, created);
    instance_t again = action;
    again.deadline = "2026-12-15";
    again.deadline_day = "20802";
    again.overdue_at = "1797400800";
    again.event_id = "ev-9";
    redis_fixture_run (fixture, "ZADD %s 2000 ev-9", MOT_KEY_PENDING_WATCH);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    create_and_expect (fixture, &again, 1, existed);
    redis_fixture_check_unchanged (fixture, before, MOT_KEY_PENDING_WATCH, NULL);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
    check_created (fixture, &action);
}

/* No reminder when its time is "" (the deadline is too near); no
 * territory, responsible or event when they are "". */
static void
test_no_reminder_when_its_time_is_empty (void **state)
{
    redis_fixture_t *fixture = *state;
    instance_t late = monthly;
    late.reminder_at = "";
    redis_fixture_run (fixture, "ZADD %s 1000 ev-4", MOT_KEY_PENDING_WATCH);
    const long long created[] = {1};
    create_and_expect (fixture, &late, 1, created);
    check_created (fixture, &late);
    redis_fixture_check_integer (fixture, 1, "ZCARD %s", MOT_KEY_TIMERS);
    redis_fixture_check_string (fixture, "1000", "ZSCORE %s ev-4", MOT_KEY_PENDING_WATCH);
}

/* A batch: one answer per instance, in order; an existing one in the
 * middle costs only itself. */
static void
test_a_batch_answers_each_instance (void **state)
{
    redis_fixture_t *fixture = *state;
    const long long first[] = {1};
    create_and_expect (fixture, &monthly, 1, first);
    instance_t third = action;
    third.id = "UEOD:accion-correctiva:AC-2026-002";
    third.period = "AC-2026-002";
    third.event_id = "ev-6";
    redis_fixture_run (fixture, "ZADD %s 1000 ev-4 1000 ev-6", MOT_KEY_PENDING_WATCH);
    const instance_t batch[] = {action, monthly, third};
    const long long expected[] = {1, 0, 1};
    create_and_expect (fixture, batch, 3, expected);
    check_created (fixture, &action);
    check_created (fixture, &monthly);
    check_created (fixture, &third);
    redis_fixture_check_integer (fixture, 3, "ZCARD %s", MOT_KEY_OBLS);
    redis_fixture_check_integer (fixture, 6, "ZCARD %s", MOT_KEY_TIMERS);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_PENDING_WATCH);
}

/* The monthly behaviour report of October, due 5 bd after Thu 2026-11-12
 * (its last input): Fri 13, (Mon 16 is a rest day) Tue 17, 18, 19, Fri 20. */
static const instance_t behaviour = {
    .id = "CAPSOI:comportamiento-mensual:2026-10", .unit = "CAPSOI", .report = "comportamiento-mensual",
    .report_name = "Comportamiento mensual", .period = "2026-10", .deadline = "2026-11-20",
    .deadline_day = "20777", .due_at = "1795240799", .anchor = "2026-11-12", .days = "5", .territory = "",
    .responsible = "", .event_id = "", .overdue_at = "1795240800", .reminder_at = "1794981600"};
#define WAITING_SINCE "1793600000"

/* `behaviour` as await.lua leaves it while inputs are missing: waiting,
 * no deadline, in mot:obls by the month's close (Sat 2026-10-31, day 20757). */
static void
create_waiting (redis_fixture_t *fixture, const char *status)
{
    const instance_t *c = &behaviour;
    redis_fixture_run (fixture, "HSET %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s",
                       obligation_key (fixture, c), MOT_OBL_ID, c->id, MOT_OBL_UNIT, c->unit, MOT_OBL_REPORT,
                       c->report, MOT_OBL_REPORT_NAME, c->report_name, MOT_OBL_PERIOD, c->period, MOT_OBL_STATUS,
                       status, MOT_OBL_CREATED_AT, WAITING_SINCE, MOT_OBL_N, c->days, MOT_OBL_WAITING_FOR,
                       "UAD/quejas-gestiones-seguimiento");
    redis_fixture_run (fixture, "ZADD %s 20757 %s", MOT_KEY_OBLS, c->id);
}

/* A waiting obligation becomes pending: 1, its deadline and timers as for a
 * new one, its place in mot:obls now its deadline day, created_at kept,
 * waiting_for gone. */
static void
test_a_waiting_instance_becomes_pending (void **state)
{
    redis_fixture_t *fixture = *state;
    create_waiting (fixture, MOT_STATUS_WAITING);
    const long long created[] = {1};
    create_and_expect (fixture, &behaviour, 1, created);
    const char *fields[][2] = {
        {MOT_OBL_ID, behaviour.id}, {MOT_OBL_STATUS, MOT_STATUS_PENDING}, {MOT_OBL_DEADLINE, "2026-11-20"},
        {MOT_OBL_DUE_AT, "1795240799"}, {MOT_OBL_ANCHOR, "2026-11-12"}, {MOT_OBL_N, "5"},
        {MOT_OBL_CREATED_AT, WAITING_SINCE}, {MOT_OBL_WAITING_FOR, NULL}, {MOT_OBL_PERIOD, "2026-10"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        check_field (fixture, &behaviour, fields[i][0], fields[i][1]);
    redis_fixture_check_integer (fixture, 11, "HLEN %s", obligation_key (fixture, &behaviour));
    redis_fixture_check_string (fixture, "20777", "ZSCORE %s %s", MOT_KEY_OBLS, behaviour.id);
    redis_fixture_check_string (fixture, "1795240800", "ZSCORE %s %s", MOT_KEY_TIMERS,
                                timer (fixture, &behaviour, MOT__V1__NOTICE_KIND__OVERDUE));
    redis_fixture_check_string (fixture, "1794981600", "ZSCORE %s %s", MOT_KEY_TIMERS,
                                timer (fixture, &behaviour, MOT__V1__NOTICE_KIND__REMINDER));
    /* Twice: it is pending now, so nothing changes. */
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const long long existed[] = {0};
    create_and_expect (fixture, &behaviour, 1, existed);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* One delivered while it waited (deliver.lua) stays as it is: 0, no timers. */
static void
test_a_delivered_instance_is_not_made_pending (void **state)
{
    redis_fixture_t *fixture = *state;
    create_waiting (fixture, MOT_STATUS_DELIVERED);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const long long existed[] = {0};
    create_and_expect (fixture, &behaviour, 1, existed);
    redis_fixture_check_unchanged (fixture, before, NULL);
    redis_fixture_check_integer (fixture, 0, "EXISTS %s", MOT_KEY_TIMERS);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, create_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_an_instance_is_created_with_its_timers, redis_fixture_flush),
        cmocka_unit_test_setup (test_creating_twice_creates_once, redis_fixture_flush),
        cmocka_unit_test_setup (test_no_reminder_when_its_time_is_empty, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_batch_answers_each_instance, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_waiting_instance_becomes_pending, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_delivered_instance_is_not_made_pending, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
