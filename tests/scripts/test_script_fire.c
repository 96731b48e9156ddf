/*  test_script_fire — fire.lua (services/deadline-watcher) against a real
 *  Redis: a due timer fires exactly once (it leaves mot:timers and its
 *  notice enters the log with the next seq, in the same step), a timer gone
 *  answers 0, one moved later -1; an escalation records its level on the
 *  obligation and schedules the next one; the log entry holds only the
 *  notices fired, as common/mot_notice_log.h describes it. Called as
 *  services/deadline-watcher/timers.c's append_fire calls it; expected
 *  values come from the script's contract (common/mot_scripts.h, its
 *  header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_schema.h"
#include "mot_scripts.h"
#include "fire_lua.h"
#include "redis_fixture.h"

#define NOW "2000"
#define OBLIGATION "UEOD:accion-correctiva:AC-1"
#define OTHER "UAD:quejas-gestiones:2026-10"

/* One timer of a batch, as timers.c hands it over: member, escalation
 * level ("" none), next escalation ("" none) and its time. */
typedef struct {
    const char *obligation_id;
    Mot__V1__NoticeKind kind;
    int level;
    int next_level;             /* 0: none */
    const char *next_at;
} firing_t;

static const char *
member (redis_fixture_t *fixture, const char *obligation_id, Mot__V1__NoticeKind kind, int level)
{
    return redis_fixture_keep (fixture, mot_timer_member (obligation_id, kind, level));
}

static const char *
member_of (redis_fixture_t *fixture, const firing_t *timer)
{
    return member (fixture, timer->obligation_id, timer->kind, timer->level);
}

/* The batch's notices: one per timer, its member as its id. */
static const void *
notices_of (redis_fixture_t *fixture, const firing_t *timers, size_t count, size_t *size, const char **ids)
{
    for (size_t i = 0; i < count; i++)
        ids[i] = member_of (fixture, &timers[i]);
    return redis_fixture_notice_batch (fixture, ids, count, size);
}

/* Runs fire.lua on the timers at NOW, as timers.c does; checks its answer. */
static void
fire_and_expect (redis_fixture_t *fixture, const firing_t *timers, size_t count, const long long *expected)
{
    const char **ids = redis_fixture_keep (fixture, calloc (count + 1, sizeof *ids));
    size_t size;
    const void *notices = notices_of (fixture, timers, count, &size, ids);
    mot_call_t call;
    assert_true (mot_call_init (&call, FIRE_KEYS + count * FIRE_TIMER_KEYS, FIRE_ARGS + count * FIRE_TIMER_ARGS));
    mot_call_key (&call, FIRE_KEY_TIMERS, MOT_KEY_TIMERS);
    mot_call_key (&call, FIRE_KEY_SEQ, MOT_KEY_SEQ_NOTICE);
    mot_call_key (&call, FIRE_KEY_LOG, MOT_KEY_NOTICES);
    mot_call_arg (&call, FIRE_ARG_NOW, NOW);
    mot_call_bytes (&call, FIRE_ARG_NOTICES, notices, size);
    for (size_t i = 0; i < count; i++) {
        const firing_t *t = &timers[i];
        size_t k = FIRE_KEYS + i * FIRE_TIMER_KEYS, a = FIRE_ARGS + i * FIRE_TIMER_ARGS;
        mot_call_key (&call, k + FIRE_TIMER_KEY_OBLIGATION,
                      redis_fixture_keep (fixture, mot_key_obligation (t->obligation_id)));
        mot_call_arg (&call, a + FIRE_TIMER_ARG_MEMBER, ids[i]);
        mot_call_arg (&call, a + FIRE_TIMER_ARG_LEVEL,
                      t->kind == MOT__V1__NOTICE_KIND__ESCALATION
                          ? redis_fixture_text (fixture, "%d", t->level)
                          : "");
        mot_call_arg (&call, a + FIRE_TIMER_ARG_NEXT_MEMBER,
                      t->next_level ? member (fixture, t->obligation_id, MOT__V1__NOTICE_KIND__ESCALATION,
                                              t->next_level)
                                    : "");
        mot_call_arg (&call, a + FIRE_TIMER_ARG_NEXT_AT, t->next_at);
    }
    redis_fixture_check_integers (redis_fixture_eval (fixture, &call), count, expected);
}

/* A pending timer at `at`, and its obligation (id and status). */
static void
schedule (redis_fixture_t *fixture, const firing_t *timer, const char *at)
{
    redis_fixture_run (fixture, "HSET %s %s %s %s %s", redis_fixture_keep (fixture,
                                                                        mot_key_obligation (timer->obligation_id)),
                       MOT_OBL_ID, timer->obligation_id, MOT_OBL_STATUS, MOT_STATUS_PENDING);
    redis_fixture_run (fixture, "ZADD %s %s %s", MOT_KEY_TIMERS, at, member_of (fixture, timer));
}

static void
check_escalation_level (redis_fixture_t *fixture, const char *expected)
{
    redis_fixture_check_string (fixture, expected, "HGET %s %s",
                                redis_fixture_keep (fixture, mot_key_obligation (OBLIGATION)),
                                MOT_OBL_ESCALATION_LEVEL);
}

static void
check_timer (redis_fixture_t *fixture, const firing_t *timer, const char *at)
{
    redis_fixture_check_string (fixture, at, "ZSCORE %s %s", MOT_KEY_TIMERS, member_of (fixture, timer));
}

static const firing_t overdue = {OBLIGATION, MOT__V1__NOTICE_KIND__OVERDUE, 0, 0, ""};
static const firing_t reminder = {OBLIGATION, MOT__V1__NOTICE_KIND__REMINDER, 0, 0, ""};
static const firing_t other_overdue = {OTHER, MOT__V1__NOTICE_KIND__OVERDUE, 0, 0, ""};

/* A due timer fires: removed, its notice logged with the next seq. */
static void
test_a_due_timer_fires_once (void **state)
{
    redis_fixture_t *fixture = *state;
    schedule (fixture, &overdue, "1000");
    redis_fixture_run (fixture, "SET %s 41", MOT_KEY_SEQ_NOTICE);
    const long long fired[] = {42};
    fire_and_expect (fixture, &overdue, 1, fired);
    check_timer (fixture, &overdue, NULL);
    redis_fixture_check_string (fixture, "42", "GET %s", MOT_KEY_SEQ_NOTICE);
    size_t size;
    const char *ids[1];
    const void *notices = notices_of (fixture, &overdue, 1, &size, ids);
    redis_fixture_check_log_entry (fixture, 42, MOT_LOG_WHICH_ALL, notices, size, ids, 1);
    redis_fixture_check_integer (fixture, 1, "XLEN %s", MOT_KEY_NOTICES);
    /* a reminder or the overdue notice writes nothing to its obligation */
    redis_fixture_check_integer (fixture, 2, "HLEN %s", redis_fixture_keep (fixture, mot_key_obligation (OBLIGATION)));
    /* and it fires once: a second watcher finds it gone */
    const long long gone[] = {0};
    fire_and_expect (fixture, &overdue, 1, gone);
    redis_fixture_check_integer (fixture, 1, "XLEN %s", MOT_KEY_NOTICES);
}

/* Due at NOW exactly is due. */
static void
test_a_timer_due_now_fires (void **state)
{
    redis_fixture_t *fixture = *state;
    schedule (fixture, &reminder, NOW);
    const long long fired[] = {1};
    fire_and_expect (fixture, &reminder, 1, fired);
    check_timer (fixture, &reminder, NULL);
}

/* In one batch: the due one fires, one gone answers 0, one moved later
 * -1 and stays; the entry holds only the fired notice ("which" names it). */
static void
test_gone_and_later_timers_are_not_fired (void **state)
{
    redis_fixture_t *fixture = *state;
    schedule (fixture, &overdue, "1500");
    schedule (fixture, &other_overdue, "2001");
    redis_fixture_run (fixture, "SET %s 9", MOT_KEY_SEQ_NOTICE);
    const firing_t batch[] = {overdue, reminder, other_overdue};
    const long long expected[] = {10, 0, -1};
    fire_and_expect (fixture, batch, 3, expected);
    check_timer (fixture, &overdue, NULL);
    check_timer (fixture, &other_overdue, "2001");
    size_t size;
    const char *ids[3];
    const void *notices = notices_of (fixture, batch, 3, &size, ids);
    redis_fixture_check_log_entry (fixture, 10, "0", notices, size, ids, 1);
    redis_fixture_check_string (fixture, "10", "GET %s", MOT_KEY_SEQ_NOTICE);
}

/* Fired timers later in a batch: consecutive seqs, "which" lists their indexes. */
static void
test_the_entry_names_the_fired_notices (void **state)
{
    redis_fixture_t *fixture = *state;
    schedule (fixture, &reminder, "1000");
    schedule (fixture, &other_overdue, "1999");
    const firing_t batch[] = {overdue, reminder, other_overdue};
    const long long expected[] = {0, 1, 2};
    fire_and_expect (fixture, batch, 3, expected);
    size_t size;
    const char *ids[3];
    const void *notices = notices_of (fixture, batch, 3, &size, ids);
    const char *held[] = {ids[1], ids[2]};
    redis_fixture_check_log_entry (fixture, 1, "1,2", notices, size, held, 2);
    redis_fixture_check_integer (fixture, 0, "ZCARD %s", MOT_KEY_TIMERS);
}

/* Nothing fired: no entry, the counter does not move, nothing changes. */
static void
test_nothing_fired_logs_nothing (void **state)
{
    redis_fixture_t *fixture = *state;
    schedule (fixture, &other_overdue, "3000");
    redis_fixture_run (fixture, "SET %s 5", MOT_KEY_SEQ_NOTICE);
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const firing_t batch[] = {overdue, other_overdue};
    const long long expected[] = {0, -1};
    fire_and_expect (fixture, batch, 2, expected);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

/* The overdue notice schedules the first escalation; it records nothing on
 * the obligation. */
static void
test_the_overdue_notice_schedules_the_first_escalation (void **state)
{
    redis_fixture_t *fixture = *state;
    const firing_t escalating = {OBLIGATION, MOT__V1__NOTICE_KIND__OVERDUE, 0, 1, "5000"};
    schedule (fixture, &escalating, "1000");
    const long long fired[] = {1};
    fire_and_expect (fixture, &escalating, 1, fired);
    check_timer (fixture, &escalating, NULL);
    const firing_t first = {OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 1, 0, ""};
    check_timer (fixture, &first, "5000");
    check_escalation_level (fixture, NULL);
}

/* An escalation records its level on its obligation and schedules the next. */
static void
test_an_escalation_records_its_level_and_schedules_the_next (void **state)
{
    redis_fixture_t *fixture = *state;
    const firing_t second = {OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 2, 3, "9000"};
    schedule (fixture, &second, "1800");
    const long long fired[] = {1};
    fire_and_expect (fixture, &second, 1, fired);
    check_timer (fixture, &second, NULL);
    const firing_t third = {OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 3, 0, ""};
    check_timer (fixture, &third, "9000");
    check_escalation_level (fixture, "2");
}

/* A timer that is not fired schedules nothing and records nothing. */
static void
test_an_escalation_not_due_changes_nothing (void **state)
{
    redis_fixture_t *fixture = *state;
    const firing_t later = {OBLIGATION, MOT__V1__NOTICE_KIND__ESCALATION, 1, 2, "9000"};
    schedule (fixture, &later, "2500");
    redis_snapshot_t *before = redis_fixture_snapshot (fixture);
    const long long expected[] = {-1};
    fire_and_expect (fixture, &later, 1, expected);
    redis_fixture_check_unchanged (fixture, before, NULL);
}

static int
setup (void **state)
{
    return redis_fixture_setup (state, fire_lua);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_a_due_timer_fires_once, redis_fixture_flush),
        cmocka_unit_test_setup (test_a_timer_due_now_fires, redis_fixture_flush),
        cmocka_unit_test_setup (test_gone_and_later_timers_are_not_fired, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_entry_names_the_fired_notices, redis_fixture_flush),
        cmocka_unit_test_setup (test_nothing_fired_logs_nothing, redis_fixture_flush),
        cmocka_unit_test_setup (test_the_overdue_notice_schedules_the_first_escalation, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_escalation_records_its_level_and_schedules_the_next, redis_fixture_flush),
        cmocka_unit_test_setup (test_an_escalation_not_due_changes_nothing, redis_fixture_flush),
    };
    return cmocka_run_group_tests (tests, setup, redis_fixture_teardown);
}
