/*  test_notice_text — unit tests for mot_notice_text: the Spanish text of
 *  each kind of notice, as the README shows it to subscribers, and which
 *  notices are publishable at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_notice_text.h"

/* An overdue notice of UAD's complaints report for October 2026. */
static Mot__V1__Notice
overdue_notice (void)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) "UAD:quejas-gestiones:2026-10|overdue";
    notice.kind = MOT__V1__NOTICE_KIND__OVERDUE;
    notice.unit = MOT__V1__SOURCE__UAD;
    notice.report = (char *) "quejas-gestiones";
    notice.report_name = (char *) "Informe de quejas y gestiones (OOAD, UMAE)";
    notice.period = (char *) "2026-10";
    notice.deadline = (char *) "2026-11-13";
    notice.has_business_days_late = true;
    notice.business_days_late = 1;
    return notice;
}

static void
expect_text (const Mot__V1__Notice *notice, const char *expected)
{
    char *text = mot_notice_text_render (notice);
    assert_non_null (text);
    assert_string_equal (text, expected);
    free (text);
}

static void
test_each_kind_reads_as_the_norm_says (void **state)
{
    (void) state;
    Mot__V1__Notice notice = overdue_notice ();
    expect_text (&notice, "Vencido: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo 2026-10, "
                          "venció el 2026-11-13; 1 día hábil de atraso.");
    notice.kind = MOT__V1__NOTICE_KIND__REMINDER;
    notice.has_business_days_late = false;
    expect_text (&notice, "Recordatorio: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo 2026-10, "
                          "vence el 2026-11-13.");
    char *recipients[] = {(char *) "TDOE", (char *) "CAPSOI"};
    notice.kind = MOT__V1__NOTICE_KIND__ESCALATION;
    notice.has_business_days_late = true;
    notice.business_days_late = 10;
    notice.has_escalation_level = true;
    notice.escalation_level = 2;
    notice.n_recipients = 2;
    notice.recipients = recipients;
    expect_text (&notice, "Escalamiento nivel 2: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo "
                          "2026-10, venció el 2026-11-13; 10 días hábiles de atraso. Destinatarios: TDOE; CAPSOI.");
    notice = overdue_notice ();
    notice.kind = MOT__V1__NOTICE_KIND__DELIVERED_LATE;
    notice.business_days_late = 3;
    expect_text (&notice, "Entregado con atraso de 3 días hábiles: «Informe de quejas y gestiones (OOAD, UMAE)» "
                          "de UAD, periodo 2026-10, venció el 2026-11-13.");
}

static void
test_territory_responsible_and_a_late_firing_are_said (void **state)
{
    (void) state;
    Mot__V1__Notice notice = overdue_notice ();
    notice.territory = (char *) "OOAD-15";
    notice.responsible = (char *) "DA";
    notice.has_catch_up = true;
    notice.catch_up = true;
    expect_text (&notice, "Vencido: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo 2026-10, "
                          "venció el 2026-11-13; 1 día hábil de atraso. Territorio: OOAD-15. Responsable: DA. "
                          "(notificación tardía)");
    assert_true (mot_notice_text_is_catch_up (&notice));
    notice.catch_up = false;
    assert_false (mot_notice_text_is_catch_up (&notice));
    notice.has_catch_up = false;
    assert_false (mot_notice_text_is_catch_up (&notice));
}

static void
expect_refused (const Mot__V1__Notice *notice, const char *reason)
{
    const char *why = NULL;
    assert_false (mot_notice_text_is_publishable (notice, &why));
    assert_non_null (why);
    assert_string_equal (why, reason);
}

static void
test_only_well_formed_notices_are_publishable (void **state)
{
    (void) state;
    Mot__V1__Notice notice = overdue_notice ();
    const char *why = "unset";
    assert_true (mot_notice_text_is_publishable (&notice, &why));
    assert_null (why);

    notice.notice_id = (char *) "has space";
    expect_refused (&notice, "bad_notice_id");
    notice = overdue_notice ();
    notice.kind = (Mot__V1__NoticeKind) 99;
    expect_refused (&notice, "unknown_kind");
    notice = overdue_notice ();
    notice.unit = MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
    expect_refused (&notice, "unknown_unit");
    notice = overdue_notice ();
    notice.report = (char *) "a/b";
    expect_refused (&notice, "bad_report");
    notice = overdue_notice ();
    notice.report_name = (char *) "Informe \xff\xfe";
    expect_refused (&notice, "bad_text_field");
    notice = overdue_notice ();
    notice.territory = (char *) "OOAD/15";
    expect_refused (&notice, "bad_territory_or_responsible");
    char *bad[] = {(char *) ""};
    notice = overdue_notice ();
    notice.n_recipients = 1;
    notice.recipients = bad;
    expect_refused (&notice, "bad_recipients");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_each_kind_reads_as_the_norm_says),
        cmocka_unit_test (test_territory_responsible_and_a_late_firing_are_said),
        cmocka_unit_test (test_only_well_formed_notices_are_publishable),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
