/*  test_schema — unit tests for mot_schema (the Redis data layout) and
 *  mot_call (a script call laid out by position). The expected key names
 *  are the ones the README and MOT-SPEC document, written by hand: a change
 *  of the layout must show up here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_call.h"
#include "mot_schema.h"
#include "mot_scripts.h"

static void
expect_key (char *key, const char *expected)
{
    assert_non_null (key);
    assert_string_equal (key, expected);
    free (key);
}

static void
test_keys_are_as_documented (void **state)
{
    (void) state;
    expect_key (mot_key_dedup ("UAD", "SIQ-2026-0001234"), "mot:dedup:UAD:SIQ-2026-0001234");
    expect_key (mot_key_event ("ev-7"), "mot:event:ev-7");
    expect_key (mot_key_item_index ("riesgo", "OOAD-30", "elevadores"), "mot:itemidx:riesgo:OOAD-30:elevadores");
    expect_key (mot_key_items ("problematica"), "mot:items:problematica");
}

/* The keys of one item, and of one obligation, share a hash tag: a step on
 * them stays in one Redis Cluster slot. */
static void
test_keys_of_one_item_share_a_hash_tag (void **state)
{
    (void) state;
    expect_key (mot_key_item ("it-42"), "mot:item:{it-42}");
    expect_key (mot_key_item_audit ("it-42"), "mot:item:{it-42}:audit");
    expect_key (mot_key_item_positions ("it-42"), "mot:item:{it-42}:positions");
    expect_key (mot_key_report_monthly ("2026-10"), "mot:report:monthly:{2026-10}");
    expect_key (mot_key_report_monthly_lease ("2026-10"), "mot:report:monthly:{2026-10}:lease");
    expect_key (mot_key_obligation ("UAD:quejas-gestiones:2026-10"), "mot:obl:{UAD:quejas-gestiones:2026-10}");
    expect_key (mot_key_obligation_audit ("UAD:quejas-gestiones:2026-10"),
                "mot:obl:{UAD:quejas-gestiones:2026-10}:audit");
}

static void
test_ids (void **state)
{
    (void) state;
    expect_key (mot_event_id (7), "ev-7");
    expect_key (mot_item_id (42), "it-42");
    long long number = 0;
    assert_true (mot_item_number ("it-42", &number));
    assert_int_equal (number, 42);
    assert_false (mot_item_number ("it-", &number));
    assert_false (mot_item_number ("it-4x", &number));
    assert_false (mot_item_number ("ev-4", &number));
    assert_false (mot_item_number ("it--4", &number));
    assert_false (mot_item_number (NULL, &number));
}

/* CAPSOI finds riesgos, every other unit problemáticas (MOT-SPEC §2). */
static void
test_kinds_follow_the_source (void **state)
{
    (void) state;
    assert_string_equal (mot_item_kind_of (MOT__V1__SOURCE__CAPSOI), "riesgo");
    assert_string_equal (mot_item_kind_of (MOT__V1__SOURCE__UAD), "problematica");
    assert_string_equal (mot_item_kind_of (MOT__V1__SOURCE__UEOD), "problematica");
    assert_string_equal (mot_item_kind_of (MOT__V1__SOURCE__CV), "problematica");
    assert_string_equal (mot_item_kind_of (MOT__V1__SOURCE__UCS), "problematica");
}

/* Overdue is not stored; "overdue" stored by older versions reads as pending. */
static void
test_pending_statuses (void **state)
{
    (void) state;
    assert_true (mot_status_is_pending ("pending"));
    assert_true (mot_status_is_pending ("overdue"));
    assert_false (mot_status_is_pending ("delivered"));
    assert_false (mot_status_is_pending ("delivered_late"));
    assert_false (mot_status_is_pending ("waiting"));   /* an after: report without its inputs: no timers */
    assert_false (mot_status_is_pending (""));
    assert_false (mot_status_is_pending (NULL));
}

static void
expect_member (const char *id, Mot__V1__NoticeKind kind, int level, const char *expected)
{
    char *member = mot_timer_member (id, kind, level);
    assert_non_null (member);
    assert_string_equal (member, expected);
    char *parsed_id = NULL;
    Mot__V1__NoticeKind parsed_kind;
    int parsed_level = -1;
    if (kind == MOT__V1__NOTICE_KIND__DELIVERED_LATE)
        assert_false (mot_timer_member_parse (member, &parsed_id, &parsed_kind, &parsed_level));
    else {
        assert_true (mot_timer_member_parse (member, &parsed_id, &parsed_kind, &parsed_level));
        assert_string_equal (parsed_id, id);
        assert_int_equal (parsed_kind, kind);
        assert_int_equal (parsed_level, kind == MOT__V1__NOTICE_KIND__ESCALATION ? level : 0);
    }
    free (parsed_id);
    free (member);
}

static void
test_timer_members_round_trip (void **state)
{
    (void) state;
    const char *id = "UAD:quejas-gestiones:2026-10";
    expect_member (id, MOT__V1__NOTICE_KIND__REMINDER, 0, "UAD:quejas-gestiones:2026-10|reminder");
    expect_member (id, MOT__V1__NOTICE_KIND__OVERDUE, 0, "UAD:quejas-gestiones:2026-10|overdue");
    expect_member (id, MOT__V1__NOTICE_KIND__ESCALATION, 1, "UAD:quejas-gestiones:2026-10|escalation|1");
    expect_member (id, MOT__V1__NOTICE_KIND__ESCALATION, 12, "UAD:quejas-gestiones:2026-10|escalation|12");
    /* a late delivery's notice id has the same shape, but is no timer */
    expect_member (id, MOT__V1__NOTICE_KIND__DELIVERED_LATE, 0, "UAD:quejas-gestiones:2026-10|delivered_late");
}

static void
test_bad_members_are_refused (void **state)
{
    (void) state;
    const char *bad[] = {"UAD:x:2026-10", "UAD:x:2026-10|", "UAD:x:2026-10|later", "UAD:x:2026-10|escalation",
                         "UAD:x:2026-10|escalation|0", "UAD:x:2026-10|escalation|201", "UAD:x:2026-10|escalation|2x",
                         "UAD:x:2026-10|overdue|3", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *id = NULL;
        Mot__V1__NoticeKind kind;
        int level;
        if (mot_timer_member_parse (bad[i], &id, &kind, &level))
            fail_msg ("accepted '%s'", bad[i]);
        assert_null (id);
    }
    assert_null (mot_timer_member ("X", MOT__V1__NOTICE_KIND__ESCALATION, 0));
    assert_null (mot_timer_member ("X", MOT__V1__NOTICE_KIND__ESCALATION, MOT_TIMER_MAX_LEVEL + 1));
    assert_null (mot_timer_member ("X", (Mot__V1__NoticeKind) 99, 0));
}

/* A script call refuses to run with a position unset or set twice, so a
 * caller that disagrees with the layout fails at once (without Redis). */
static void
test_a_call_runs_only_when_every_position_is_set_once (void **state)
{
    (void) state;
    mot_call_t call;
    assert_true (mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS));
    mot_call_key (&call, PROGRESS_KEY_FOLLOWUPS, "k");
    mot_call_arg (&call, PROGRESS_ARG_FIELD, "f");
    assert_null (mot_call_eval (&call, NULL, NULL));            /* VALUE unset */
    mot_call_free (&call);

    assert_true (mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS));
    mot_call_key (&call, PROGRESS_KEY_FOLLOWUPS, "k");
    mot_call_arg (&call, PROGRESS_ARG_FIELD, "f");
    mot_call_arg (&call, PROGRESS_ARG_FIELD, "g");              /* twice */
    mot_call_arg (&call, PROGRESS_ARG_VALUE, "v");
    assert_true (call.failed);
    assert_null (mot_call_eval (&call, NULL, NULL));
    mot_call_free (&call);

    assert_true (mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS));
    mot_call_key (&call, PROGRESS_KEYS, "beyond the keys");
    assert_true (call.failed);
    mot_call_free (&call);

    /* all set: keys first, then the arguments, in layout order */
    assert_true (mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS));
    mot_call_arg (&call, PROGRESS_ARG_VALUE, "v");
    mot_call_key (&call, PROGRESS_KEY_FOLLOWUPS, "k");
    mot_call_arg (&call, PROGRESS_ARG_FIELD, "f");
    assert_false (call.failed);
    assert_string_equal (call.argv[0], "k");
    assert_string_equal (call.argv[1 + PROGRESS_ARG_FIELD], "f");
    assert_string_equal (call.argv[1 + PROGRESS_ARG_VALUE], "v");
    mot_call_free (&call);
}

/* A position is "impact,vertical,quadrant,stage"; the quadrant must be the
 * scores' own (MOT-SPEC §4: 8/7 is I, 3/2 is III, 5/6 is II, 6/5 is IV). */
static void
test_positions_round_trip (void **state)
{
    (void) state;
    mot_position_t position = {8, 7, 1, "seguimiento"};
    char *text = mot_position_format (&position);
    assert_non_null (text);
    assert_string_equal (text, "8,7,1,seguimiento");
    mot_position_t back;
    assert_true (mot_position_parse (text, &back));
    assert_int_equal (back.impact, 8);
    assert_int_equal (back.vertical, 7);
    assert_int_equal (back.quadrant, 1);
    assert_string_equal (back.stage, "seguimiento");
    free (text);
    assert_true (mot_position_parse ("5,6,2,monitoreo", &back));
    assert_true (mot_position_parse ("6,5,4,mejora_continua", &back));
    assert_true (mot_position_parse ("3,2,3,identificacion", &back));
}

static void
test_bad_positions_are_refused (void **state)
{
    (void) state;
    mot_position_t position;
    const char *bad[] = {"", "8,7,1", "8,7,1,", "8,7,3,seguimiento" /* 8/7 is I */, "11,7,1,seguimiento",
                         "0,7,2,seguimiento", "8,7,1,cerrada", "8;7;1;seguimiento", "x,7,1,seguimiento",
                         "8,7,1,seguimientoseguimientoseguimientoseguimiento"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false (mot_position_parse (bad[i], &position));
    assert_false (mot_position_parse (NULL, &position));
    mot_position_t wrong = {8, 7, 3, "seguimiento"};
    assert_null (mot_position_format (&wrong));
    mot_position_t unknown_stage = {8, 7, 1, "abierta"};
    assert_null (mot_position_format (&unknown_stage));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_keys_are_as_documented),
        cmocka_unit_test (test_keys_of_one_item_share_a_hash_tag),
        cmocka_unit_test (test_ids),
        cmocka_unit_test (test_kinds_follow_the_source),
        cmocka_unit_test (test_pending_statuses),
        cmocka_unit_test (test_timer_members_round_trip),
        cmocka_unit_test (test_bad_members_are_refused),
        cmocka_unit_test (test_a_call_runs_only_when_every_position_is_set_once),
        cmocka_unit_test (test_positions_round_trip),
        cmocka_unit_test (test_bad_positions_are_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
