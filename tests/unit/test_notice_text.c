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
#include "mot_wire.h"

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

/* A notice about problemática it-4 «Desabasto de medicamentos» in
 * OOAD-15, whose ON is DPM, now in quadrant II with impact 3, frequency 7. */
static Mot__V1__Notice
item_notice (Mot__V1__NoticeKind kind)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) "it-4|item|ev-9";
    notice.kind = kind;
    notice.unit = MOT__V1__SOURCE__UEOD;
    notice.report = (char *) "problematica";
    notice.report_name = (char *) "Desabasto de medicamentos";
    notice.period = (char *) "it-4";
    notice.deadline = (char *) "";
    notice.item_id = (char *) "it-4";
    notice.territory = (char *) "OOAD-15";
    notice.responsible = (char *) "DPM";
    notice.has_quadrant = notice.has_previous_quadrant = notice.has_impact = notice.has_vertical = true;
    notice.quadrant = 2;
    notice.previous_quadrant = 3;
    notice.impact = 3;
    notice.vertical = 7;
    return notice;
}

/* The item notices name the item, the quadrant by its number, colour and
 * the norm's reading for problemáticas (riesgos: "atención …",
 * "probabilidad", masculine), and the scores. */
static void
test_item_notices_read_as_the_norm_says (void **state)
{
    (void) state;
    Mot__V1__Notice notice = item_notice (MOT__V1__NOTICE_KIND__ITEM_WORSE);
    expect_text (&notice, "Empeora: la problemática it-4 «Desabasto de medicamentos» pasó del cuadrante III "
                          "(verde, vigilancia periódica) al cuadrante II (naranja, vigilancia constante); impacto 3, "
                          "frecuencia 7. Territorio: OOAD-15. Responsable: DPM.");
    notice = item_notice (MOT__V1__NOTICE_KIND__ITEM_QUADRANT_I);
    notice.quadrant = 1;
    notice.impact = 8;
    expect_text (&notice, "Cuadrante I: la problemática it-4 «Desabasto de medicamentos» entró al cuadrante I "
                          "(rojo, vigilancia permanente); impacto 8, frecuencia 7. Territorio: OOAD-15. "
                          "Responsable: DPM.");
    notice.report = (char *) "riesgo";
    expect_text (&notice, "Cuadrante I: el riesgo it-4 «Desabasto de medicamentos» entró al cuadrante I "
                          "(rojo, atención inmediata); impacto 8, probabilidad 7. Territorio: OOAD-15. "
                          "Responsable: DPM.");
    notice = item_notice (MOT__V1__NOTICE_KIND__ITEM_RESIDUAL);
    notice.deadline = (char *) "2026-11-03";
    notice.quadrant = 3;
    notice.vertical = 2;
    notice.responsible = NULL;
    expect_text (&notice, "Residual: la problemática it-4 «Desabasto de medicamentos» quedó registrada como "
                          "residual en su valoración del 2026-11-03; cuadrante III (verde, vigilancia periódica); "
                          "impacto 3, frecuencia 2. Territorio: OOAD-15.");
    notice.report = (char *) "riesgo";
    notice.kind = MOT__V1__NOTICE_KIND__ITEM_CLOSED;
    expect_text (&notice, "Cerrado: el riesgo it-4 «Desabasto de medicamentos» se cerró. Territorio: OOAD-15.");
    notice = item_notice (MOT__V1__NOTICE_KIND__RECOMMENDATION_ISSUED);
    notice.unit = MOT__V1__SOURCE__CAPSOI;
    notice.recommendation_type = (char *) "preventiva";
    notice.action_id = (char *) "REC-1";
    notice.deadline = (char *) "2026-12-20";
    expect_text (&notice, "Recomendación preventiva REC-1 de CAPSOI sobre la problemática it-4 «Desabasto de "
                          "medicamentos»; vence el 2026-12-20. Territorio: OOAD-15. Responsable: DPM.");
}

/* An item notice needs no deadline, but a quadrant where it names one. */
static void
test_item_notices_are_publishable_without_a_deadline (void **state)
{
    (void) state;
    const char *reason = NULL;
    Mot__V1__Notice notice = item_notice (MOT__V1__NOTICE_KIND__ITEM_WORSE);
    assert_true (mot_notice_text_is_publishable (&notice, &reason));
    notice.quadrant = 5;
    assert_false (mot_notice_text_is_publishable (&notice, &reason));
    assert_string_equal (reason, "bad_quadrant");
    notice = item_notice (MOT__V1__NOTICE_KIND__ITEM_CLOSED);
    notice.has_quadrant = false;
    assert_true (mot_notice_text_is_publishable (&notice, &reason));
    notice = overdue_notice ();
    notice.deadline = (char *) "";
    assert_false (mot_notice_text_is_publishable (&notice, &reason));    /* a report's notice still needs one */
}

/* CAPSOI's monthly report for October 2026, generated once its inputs were
 * all delivered: to the TDOE (norm 7.2.4.14). */
static Mot__V1__Notice
report_notice (char **recipients)
{
    Mot__V1__Notice notice = MOT__V1__NOTICE__INIT;
    notice.notice_id = (char *) "CAPSOI:comportamiento-mensual:2026-10|report_available";
    notice.kind = MOT__V1__NOTICE_KIND__REPORT_AVAILABLE;
    notice.unit = MOT__V1__SOURCE__CAPSOI;
    notice.report = (char *) "comportamiento-mensual";
    notice.report_name = (char *) "Comportamiento mensual de las problemáticas y riesgos operativos registrados";
    notice.period = (char *) "2026-10";
    notice.deadline = (char *) "2026-11-20";
    notice.n_recipients = 1;
    notice.recipients = recipients;
    return notice;
}

static void
test_a_report_is_announced_to_its_addressee (void **state)
{
    (void) state;
    char *tdoe[] = {(char *) "TDOE"};
    Mot__V1__Notice notice = report_notice (tdoe);
    expect_text (&notice, "Informe disponible: «Comportamiento mensual de las problemáticas y riesgos operativos "
                          "registrados» de CAPSOI, periodo 2026-10; se entrega a más tardar el 2026-11-20. "
                          "Destinatarios: TDOE.");
    const char *reason = NULL;
    assert_true (mot_notice_text_is_publishable (&notice, &reason));
    char *topic = mot_notice_topic (&notice);
    assert_string_equal (topic, "report/TDOE/CAPSOI/comportamiento-mensual");
    free (topic);
    /* delivered before it was generated, the obligation has no deadline */
    notice.deadline = (char *) "";
    assert_true (mot_notice_text_is_publishable (&notice, &reason));
    expect_text (&notice, "Informe disponible: «Comportamiento mensual de las problemáticas y riesgos operativos "
                          "registrados» de CAPSOI, periodo 2026-10. Destinatarios: TDOE.");
    /* without an addressee, or one that would split the topic, it goes nowhere */
    notice.n_recipients = 0;
    assert_false (mot_notice_text_is_publishable (&notice, &reason));
    assert_string_equal (reason, "bad_addressee");
    char *split[] = {(char *) "TDOE/UAD"};
    notice.n_recipients = 1;
    notice.recipients = split;
    assert_false (mot_notice_text_is_publishable (&notice, &reason));
    assert_string_equal (reason, "bad_addressee");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_each_kind_reads_as_the_norm_says),
        cmocka_unit_test (test_territory_responsible_and_a_late_firing_are_said),
        cmocka_unit_test (test_only_well_formed_notices_are_publishable),
        cmocka_unit_test (test_item_notices_read_as_the_norm_says),
        cmocka_unit_test (test_item_notices_are_publishable_without_a_deadline),
        cmocka_unit_test (test_a_report_is_announced_to_its_addressee),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
