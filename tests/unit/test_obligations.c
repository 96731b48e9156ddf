/*  test_obligations — unit tests for mot_obligations: the catalogue parser
 *  (every rule: month_close, quarter_close, event, action, last_update,
 *  fortnight, after), the shipped deploy/obligations.tsv (the six quarterly
 *  IAT rows), deadlines, quarters and periods, business days late of a
 *  delivery (one on a non-business day counts on the next business day),
 *  fortnightly cut-offs and escalation days.
 *
 *  Every expected date below was counted by hand on a printed calendar
 *  (weekdays checked with `date -d`), not computed by the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mot_obligations.h"
#include "mot_wire.h"

/* --------------------------------------------------------------------------
 * Helpers
 */

static mot_day_t
day_of (const char *text)
{
    mot_day_t day;
    if (!mot_day_parse (text, &day))
        fail_msg ("bad date in test: %s", text);
    return day;
}

static void
assert_day_is (mot_day_t day, const char *expected)
{
    char text[MOT_DAY_TEXT_SIZE];
    mot_day_format (day, text);
    assert_string_equal (text, expected);
}

/* Writes `content` to a fresh temporary file; returns its malloc'd path. */
static char *
temp_file_with (const char *content)
{
    char *path = strdup ("/tmp/test_obligations_XXXXXX");
    assert_non_null (path);
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    size_t length = strlen (content);
    assert_int_equal (write (fd, content, length), (ssize_t) length);
    assert_int_equal (close (fd), 0);
    return path;
}

static mot_obligations_t *
catalogue_from_text (const char *content)
{
    char *path = temp_file_with (content);
    char *error = NULL;
    mot_obligations_t *catalogue = mot_obligations_new (path, &error);
    if (!catalogue)
        fail_msg ("catalogue did not load: %s", error ? error : "(no error)");
    unlink (path);
    free (path);
    return catalogue;
}

/* Loads `content`, expects failure, and checks the error ends with
 * ":<line>: " followed by text containing `reason_part`. */
static void
assert_rejected (const char *content, int line, const char *reason_part)
{
    char *path = temp_file_with (content);
    char *error = NULL;
    mot_obligations_t *catalogue = mot_obligations_new (path, &error);
    if (catalogue) {
        mot_obligations_destroy (&catalogue);
        unlink (path);
        free (path);
        fail_msg ("accepted a catalogue that should fail with '%s':\n%s", reason_part, content);
    }
    assert_non_null (error);
    char where[32];
    snprintf (where, sizeof where, ":%d: ", line);
    if (!strstr (error, where) || !strstr (error, reason_part))
        fail_msg ("error '%s' does not name line %d and '%s'", error, line, reason_part);
    assert_true (strncmp (error, path, strlen (path)) == 0);
    free (error);
    unlink (path);
    free (path);
}

/* A calendar with only the statutory days of LFT art. 74. */
static mot_calendar_t *
statutory_calendar (void)
{
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (NULL, &error);
    assert_non_null (calendar);
    free (error);
    return calendar;
}

static const char *good_file =
    "# a comment\n"
    "\n"
    "UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme de quejas y gestiones (OOAD, UMAE)\n"
    "   # an indented comment\n"
    "CAPSOI\tminuta-rtm\tidentificacion\tevent:rtm_held\t5\tMinuta de la RTM\r\n"
    "UCS\ttemas-mediaticos\tseguimiento\tmonth_close\t5\tReporte de temas coyunturales de impacto mediático\n";

/* --------------------------------------------------------------------------
 * Parser
 */

static void
test_good_file_parses_in_order (void **state)
{
    (void) state;
    mot_obligations_t *catalogue = catalogue_from_text (good_file);
    assert_int_equal (mot_obligations_size (catalogue), 3);

    const mot_obligation_def_t *uad = mot_obligations_at (catalogue, 0);
    assert_int_equal (uad->unit, MOT__V1__SOURCE__UAD);
    assert_string_equal (uad->unit_name, "UAD");
    assert_string_equal (uad->code, "quejas-gestiones");
    assert_string_equal (uad->stage, "identificacion");
    assert_int_equal (uad->rule, MOT_RULE_MONTH_CLOSE);
    assert_null (uad->trigger);
    assert_int_equal (uad->n, 10);
    assert_string_equal (uad->name, "Informe de quejas y gestiones (OOAD, UMAE)");
    assert_int_equal (uad->line, 3);

    const mot_obligation_def_t *rtm = mot_obligations_at (catalogue, 1);
    assert_int_equal (rtm->unit, MOT__V1__SOURCE__CAPSOI);
    assert_int_equal (rtm->rule, MOT_RULE_EVENT);
    assert_string_equal (rtm->trigger, "rtm_held");
    assert_string_equal (rtm->name, "Minuta de la RTM");      /* CR stripped */
    assert_int_equal (rtm->line, 5);

    const mot_obligation_def_t *ucs = mot_obligations_at (catalogue, 2);
    assert_string_equal (ucs->name, "Reporte de temas coyunturales de impacto mediático");
    assert_null (mot_obligations_at (catalogue, 3));
    mot_obligations_destroy (&catalogue);
    assert_null (catalogue);
}

static void
test_find_by_unit_and_code (void **state)
{
    (void) state;
    mot_obligations_t *catalogue = catalogue_from_text (good_file);
    const mot_obligation_def_t *def = mot_obligations_find (catalogue, MOT__V1__SOURCE__CAPSOI, "minuta-rtm");
    assert_non_null (def);
    assert_string_equal (def->code, "minuta-rtm");
    assert_null (mot_obligations_find (catalogue, MOT__V1__SOURCE__UAD, "minuta-rtm"));
    assert_null (mot_obligations_find (catalogue, MOT__V1__SOURCE__UAD, "nope"));
    assert_null (mot_obligations_find (catalogue, MOT__V1__SOURCE__UAD, NULL));
    mot_obligations_destroy (&catalogue);
}

static void
test_bad_lines_name_their_line (void **state)
{
    (void) state;
    const char *ok = "UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme\n";
    char content[512];
    struct {
        const char *line;
        const char *reason;
    } cases[] = {
        {"XYZ\tcode\tidentificacion\tmonth_close\t5\tName\n", "unknown unit"},
        {"UAD\tCode\tidentificacion\tmonth_close\t5\tName\n", "code"},
        {"UAD\tcode\tmejora\tmonth_close\t5\tName\n", "stage"},
        {"UAD\tcode\tplan\tmonth_start\t5\tName\n", "rule"},
        {"UAD\tcode\tplan\tevent:\t5\tName\n", "trigger"},
        {"UAD\tcode\tplan\tevent:Bad-Name\t5\tName\n", "trigger"},
        {"UAD\tcode\tplan\tmonth_close\t0\tName\n", "business days"},
        {"UAD\tcode\tplan\tmonth_close\t61\tName\n", "business days"},
        {"UAD\tcode\tplan\tmonth_close\t5x\tName\n", "business days"},
        {"UAD\tcode\tplan\tmonth_close\t5\t\n", "name"},
        {"UAD\tcode\tplan\tmonth_close\t5\tBad \xff name\n", "UTF-8"},
        {"UAD\tcode\tplan\tmonth_close\t5\n", "6 tab-separated columns"},
        {"UAD code plan month_close 5 Name\n", "6 tab-separated columns"},
        {"UAD\tcode\tplan\tmonth_close\t5\tName\textra\n", "6 tab-separated columns"},
        {"UAD\tquejas-gestiones\tplan\tmonth_close\t5\tAgain\n", "duplicate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf (content, sizeof content, "# header\n%s\n%s", ok, cases[i].line);
        assert_rejected (content, 4, cases[i].reason);
    }
}

static void
test_empty_or_missing_file_is_an_error (void **state)
{
    (void) state;
    assert_rejected ("# only comments\n\n", 2, "no obligations");
    char *error = NULL;
    assert_null (mot_obligations_new ("/nonexistent/obligations.tsv", &error));
    assert_non_null (error);
    assert_non_null (strstr (error, "/nonexistent/obligations.tsv:0: cannot open"));
    free (error);
}

static void
test_shipped_catalogue_parses (void **state)
{
    (void) state;
    char *error = NULL;
    mot_obligations_t *catalogue = mot_obligations_new (MOT_OBLIGATIONS_DEFAULT_FILE, &error);
    if (!catalogue)
        fail_msg ("shipped catalogue: %s", error);

    const mot_obligation_def_t *uad = mot_obligations_find (catalogue, MOT__V1__SOURCE__UAD, "quejas-gestiones");
    assert_non_null (uad);
    assert_int_equal (uad->rule, MOT_RULE_MONTH_CLOSE);
    assert_int_equal (uad->n, 10);
    assert_string_equal (uad->name, "Informe de quejas y gestiones (OOAD, UMAE)");

    const mot_obligation_def_t *ucs = mot_obligations_find (catalogue, MOT__V1__SOURCE__UCS, "temas-mediaticos");
    assert_non_null (ucs);
    assert_int_equal (ucs->rule, MOT_RULE_MONTH_CLOSE);
    assert_int_equal (ucs->n, 5);
    assert_string_equal (ucs->name, "Reporte de temas coyunturales de impacto mediático");

    const mot_obligation_def_t *rtm = mot_obligations_find (catalogue, MOT__V1__SOURCE__CAPSOI, "minuta-rtm");
    assert_non_null (rtm);
    assert_int_equal (rtm->rule, MOT_RULE_EVENT);
    assert_string_equal (rtm->trigger, "rtm_held");
    assert_int_equal (rtm->n, 5);
    assert_string_equal (rtm->name, "Minuta de la RTM");

    const mot_obligation_def_t *especifica
        = mot_obligations_find (catalogue, MOT__V1__SOURCE__UEOD, "evaluacion-especifica");
    assert_non_null (especifica);
    assert_string_equal (especifica->trigger, "evaluation_concluded");
    mot_obligations_destroy (&catalogue);
}

/* --------------------------------------------------------------------------
 * Deadlines (statutory calendar unless said otherwise)
 */

static void
test_month_close_deadlines (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    mot_obligation_def_t ten = {.rule = MOT_RULE_MONTH_CLOSE, .n = 10};
    mot_obligation_def_t five = {.rule = MOT_RULE_MONTH_CLOSE, .n = 5};
    /* Oct 2026 closes on Sat 31; Nov 2 (Mon, not statutory) .. Nov 13 (Fri) is the 10th. */
    assert_day_is (mot_obligation_deadline_for_month (&ten, calendar, 2026, 10), "2026-11-13");
    /* Mar 2026 closes Tue 31: Apr 1,2,3,6,7 (Holy week is not statutory). */
    assert_day_is (mot_obligation_deadline_for_month (&five, calendar, 2026, 3), "2026-04-07");
    /* Dec 2026: Jan 1 2027 (Fri) is a rest day; Jan 4..8. */
    assert_day_is (mot_obligation_deadline_for_month (&five, calendar, 2026, 12), "2027-01-08");
    /* Jan 2026 closes Sat 31; Mon Feb 2 is the first Monday of February: Feb 3,4,5,6,9. */
    assert_day_is (mot_obligation_deadline_for_month (&five, calendar, 2026, 1), "2026-02-09");
    mot_calendar_destroy (&calendar);
}

static void
test_month_close_with_published_days (void **state)
{
    (void) state;
    char *path = temp_file_with ("2026-04-02\tJueves Santo\n2026-04-03\tViernes Santo\n");
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (path, &error);
    assert_non_null (calendar);
    mot_obligation_def_t five = {.rule = MOT_RULE_MONTH_CLOSE, .n = 5};
    /* Apr 1, 6, 7, 8, 9 once Holy Thursday and Good Friday are non-working. */
    assert_day_is (mot_obligation_deadline_for_month (&five, calendar, 2026, 3), "2026-04-09");
    mot_calendar_destroy (&calendar);
    unlink (path);
    free (path);
}

static void
test_event_deadlines (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    mot_obligation_def_t five = {.rule = MOT_RULE_EVENT, .trigger = "rtm_held", .n = 5};
    /* RTM on Fri 2026-09-11: Sep 14, 15, (16 is a rest day) 17, 18, 21. */
    assert_day_is (mot_obligation_deadline_after_event (&five, calendar, day_of ("2026-09-11")), "2026-09-21");
    /* Mon 2030-09-30 + 1: Oct 1 2030 is the change of the federal executive. */
    mot_obligation_def_t one = {.rule = MOT_RULE_EVENT, .trigger = "x", .n = 1};
    assert_day_is (mot_obligation_deadline_after_event (&one, calendar, day_of ("2030-09-30")), "2030-10-02");
    /* An event on a Saturday: the count starts on Monday. 2026-10-31 + 5 = Nov 6. */
    assert_day_is (mot_obligation_deadline_after_event (&five, calendar, day_of ("2026-10-31")), "2026-11-06");
    mot_calendar_destroy (&calendar);
}

static void
test_reminder_days (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    /* Fri Nov 13 2026: Thu 12 is 1 before, Wed 11 is 2 before. */
    assert_day_is (mot_obligation_reminder_day (calendar, day_of ("2026-11-13"), 2), "2026-11-11");
    /* Mon Feb 9 2026: Fri 6, Thu 5. */
    assert_day_is (mot_obligation_reminder_day (calendar, day_of ("2026-02-09"), 2), "2026-02-05");
    /* Thu Sep 17 2026: Tue 15 (Wed 16 is a rest day), Mon 14. */
    assert_day_is (mot_obligation_reminder_day (calendar, day_of ("2026-09-17"), 2), "2026-09-14");
    assert_day_is (mot_obligation_reminder_day (calendar, day_of ("2026-09-17"), 0), "2026-09-17");
    mot_calendar_destroy (&calendar);
}

/* --------------------------------------------------------------------------
 * Ids
 */

static void
test_ids_and_refs (void **state)
{
    (void) state;
    mot_obligation_def_t def = {.unit_name = "UAD", .code = "quejas-gestiones"};
    char *id = mot_obligation_id (&def, "2026-10");
    assert_string_equal (id, "UAD:quejas-gestiones:2026-10");
    free (id);
    assert_true (mot_obligation_ref_is_safe ("RTM-2026-10-15"));
    assert_true (mot_obligation_ref_is_safe ("2026-10"));
    assert_false (mot_obligation_ref_is_safe (""));
    assert_false (mot_obligation_ref_is_safe (NULL));
    assert_false (mot_obligation_ref_is_safe ("a|b"));
    assert_false (mot_obligation_ref_is_safe ("a{b}"));
    assert_false (mot_obligation_ref_is_safe ("a b"));
    assert_false (mot_obligation_ref_is_safe ("reunión"));
    char long_ref[MOT_OBLIGATION_MAX_REF + 2];
    memset (long_ref, 'a', sizeof long_ref - 1);
    long_ref[sizeof long_ref - 1] = 0;
    assert_false (mot_obligation_ref_is_safe (long_ref));
    long_ref[MOT_OBLIGATION_MAX_REF] = 0;
    assert_true (mot_obligation_ref_is_safe (long_ref));
}


/* --------------------------------------------------------------------------
 * Rules: action, last_update, fortnight, after
 */

static const char *rules_file =
    "UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme de quejas\n"
    "CAPSOI\tinforme-operativo\tidentificacion\tlast_update:informe_operativo_update\t5\tInforme Operativo\n"
    "CAPSOI\tavance-acuerdos-rtm\tseguimiento\tfortnight:rtm_followup\t5\tReporte de avance\n"
    "CAPSOI\tcomportamiento\tmonitoreo\tafter:UAD/quejas-gestiones,CAPSOI/informe-operativo\t5\tComportamiento\n"
    "CV\tacuerdo\tseguimiento\taction\t0\tAcuerdo\n";

static void
test_new_rules_parse (void **state)
{
    (void) state;
    mot_obligations_t *catalogue = catalogue_from_text (rules_file);
    assert_int_equal (mot_obligations_size (catalogue), 5);
    const mot_obligation_def_t *update = mot_obligations_at (catalogue, 1);
    assert_int_equal (update->rule, MOT_RULE_LAST_UPDATE);
    assert_string_equal (update->trigger, "informe_operativo_update");
    assert_true (mot_obligation_is_monthly (update));
    const mot_obligation_def_t *fortnight = mot_obligations_at (catalogue, 2);
    assert_int_equal (fortnight->rule, MOT_RULE_FORTNIGHT);
    assert_string_equal (fortnight->trigger, "rtm_followup");
    assert_false (mot_obligation_is_monthly (fortnight));
    const mot_obligation_def_t *after = mot_obligations_at (catalogue, 3);
    assert_int_equal (after->rule, MOT_RULE_AFTER);
    assert_int_equal (after->dep_count, 2);
    assert_int_equal (after->deps[0].unit, MOT__V1__SOURCE__UAD);
    assert_string_equal (after->deps[0].code, "quejas-gestiones");
    assert_int_equal (after->deps[1].unit, MOT__V1__SOURCE__CAPSOI);
    assert_string_equal (after->deps[1].code, "informe-operativo");
    assert_true (mot_obligation_depends_on (after, MOT__V1__SOURCE__CAPSOI, "informe-operativo"));
    assert_false (mot_obligation_depends_on (after, MOT__V1__SOURCE__UAD, "informe-operativo"));
    assert_false (mot_obligation_depends_on (update, MOT__V1__SOURCE__UAD, "quejas-gestiones"));
    const mot_obligation_def_t *action = mot_obligations_at (catalogue, 4);
    assert_int_equal (action->rule, MOT_RULE_ACTION);
    assert_int_equal (action->n, 0);
    assert_null (action->trigger);
    mot_obligations_destroy (&catalogue);
}

static void
test_bad_new_rules_name_their_line (void **state)
{
    (void) state;
    const char *ok = "UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme\n"
                     "UAD\tminuta\tidentificacion\tevent:held\t5\tMinuta\n";
    char content[512];
    struct {
        const char *line;
        const char *reason;
    } cases[] = {
        {"CV\tacuerdo\tseguimiento\taction\t5\tAcuerdo\n", "n must be 0"},
        {"CV\tx\tseguimiento\tlast_update:\t5\tX\n", "trigger"},
        {"CV\tx\tseguimiento\tfortnight:Bad\t5\tX\n", "trigger"},
        {"CV\tx\tmonitoreo\tafter:\t5\tX\n", "<UNIT>/<code>"},
        {"CV\tx\tmonitoreo\tafter:UAD\t5\tX\n", "<UNIT>/<code>"},
        {"CV\tx\tmonitoreo\tafter:XYZ/quejas-gestiones\t5\tX\n", "<UNIT>/<code>"},
        {"CV\tx\tmonitoreo\tafter:UAD/quejas-gestiones,\t5\tX\n", "<UNIT>/<code>"},
        {"CV\tx\tmonitoreo\tafter:UAD/nope\t5\tX\n", "not in the catalogue"},
        {"CV\tx\tmonitoreo\tafter:UAD/minuta\t5\tX\n", "only name monthly"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf (content, sizeof content, "# header\n%s\n%s", ok, cases[i].line);
        assert_rejected (content, 5, cases[i].reason);
    }
}

static void
test_shipped_catalogue_has_every_rule (void **state)
{
    (void) state;
    char *error = NULL;
    mot_obligations_t *catalogue = mot_obligations_new (MOT_OBLIGATIONS_DEFAULT_FILE, &error);
    if (!catalogue)
        fail_msg ("shipped catalogue: %s", error);
    const mot_obligation_def_t *operativo
        = mot_obligations_find (catalogue, MOT__V1__SOURCE__CAPSOI, "informe-operativo");
    assert_non_null (operativo);
    assert_int_equal (operativo->rule, MOT_RULE_LAST_UPDATE);
    assert_string_equal (operativo->trigger, "informe_operativo_update");
    assert_int_equal (operativo->n, 5);
    const mot_obligation_def_t *avance
        = mot_obligations_find (catalogue, MOT__V1__SOURCE__CAPSOI, "avance-acuerdos-rtm");
    assert_non_null (avance);
    assert_int_equal (avance->rule, MOT_RULE_FORTNIGHT);
    assert_string_equal (avance->trigger, "rtm_followup");
    const mot_obligation_def_t *monthly = mot_obligations_find (catalogue, MOT__V1__SOURCE__CAPSOI,
                                                                "comportamiento-mensual");
    assert_non_null (monthly);
    assert_int_equal (monthly->rule, MOT_RULE_AFTER);
    assert_string_equal (monthly->stage, "monitoreo");
    assert_int_equal (monthly->dep_count, 10);
    assert_true (mot_obligation_depends_on (monthly, MOT__V1__SOURCE__UAD, "quejas-gestiones"));
    assert_true (mot_obligation_depends_on (monthly, MOT__V1__SOURCE__CAPSOI, "seguimiento-riesgos-rtr"));
    assert_false (mot_obligation_depends_on (monthly, MOT__V1__SOURCE__UAD, "avance-iat"));
    const char *units[] = {"UEOD", "UAD", "UCS", "CV", "CAPSOI"};
    const char *kinds[] = {"accion-correctiva", "acuerdo", "recomendacion"};
    for (int u = 0; u < 5; u++)
        for (int k = 0; k < 3; k++) {
            Mot__V1__Source unit;
            assert_true (mot_source_parse (units[u], &unit));
            const mot_obligation_def_t *action = mot_obligations_find (catalogue, unit, kinds[k]);
            assert_non_null (action);
            assert_int_equal (action->rule, MOT_RULE_ACTION);
        }
    mot_obligations_destroy (&catalogue);
}

static void
test_fortnight_cut_offs (void **state)
{
    (void) state;
    struct {
        const char *day, *next;
    } cases[] = {
        {"2026-10-10", "2026-10-15"}, {"2026-10-15", "2026-10-31"}, {"2026-10-16", "2026-10-31"},
        {"2026-10-31", "2026-11-15"}, {"2026-02-15", "2026-02-28"}, {"2026-12-31", "2027-01-15"},
        {"2028-02-15", "2028-02-29"}, {"2026-11-30", "2026-12-15"}, {"2026-11-01", "2026-11-15"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_day_is (mot_obligation_fortnight_cut_after (day_of (cases[i].day)), cases[i].next);
}

static void
test_escalation_days (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    /* Deadline Fri 2026-11-13; Mon 16 is the third Monday of November. Every 5 bd:
     * 17, 18, 19, 20, 23 → level 1 on Mon 23; 24, 25, 26, 27, 30 → level 2 on Mon 30. */
    assert_day_is (mot_obligation_escalation_day (calendar, day_of ("2026-11-13"), 1, 5), "2026-11-23");
    assert_day_is (mot_obligation_escalation_day (calendar, day_of ("2026-11-13"), 2, 5), "2026-11-30");
    /* Every 2 bd from Tue 2026-11-03: Thu 5 (level 1), Mon 9 (level 2). */
    assert_day_is (mot_obligation_escalation_day (calendar, day_of ("2026-11-03"), 1, 2), "2026-11-05");
    assert_day_is (mot_obligation_escalation_day (calendar, day_of ("2026-11-03"), 2, 2), "2026-11-09");
    assert_day_is (mot_obligation_month_close (2028, 2), "2028-02-29");
    mot_calendar_destroy (&calendar);
}

/* --------------------------------------------------------------------------
 * Quarters (the IAT, Apéndice B 7.1.13)
 */

static void
test_quarter_close_rule_parses (void **state)
{
    (void) state;
    mot_obligations_t *catalogue = catalogue_from_text (
        "CA\tavance-iat\tplan\tquarter_close\t3\tInforme de Avance Trimestral\n"
        "UAD\tquejas-gestiones\tidentificacion\tmonth_close\t10\tInforme de quejas\n");
    const mot_obligation_def_t *iat = mot_obligations_at (catalogue, 0);
    assert_int_equal (iat->unit, MOT__V1__SOURCE__CA);
    assert_string_equal (iat->unit_name, "CA");
    assert_int_equal (iat->rule, MOT_RULE_QUARTER_CLOSE);
    assert_int_equal (iat->n, 3);
    assert_null (iat->trigger);
    assert_true (mot_obligation_is_quarterly (iat));
    assert_false (mot_obligation_is_monthly (iat));
    assert_false (mot_obligation_is_quarterly (mot_obligations_at (catalogue, 1)));
    mot_obligations_destroy (&catalogue);
    /* An after: rule may not wait for a quarterly report; n 1..60 as for any rule. */
    assert_rejected ("CA\tavance-iat\tplan\tquarter_close\t3\tIAT\n"
                     "CAPSOI\tx\tmonitoreo\tafter:CA/avance-iat\t5\tX\n", 2, "only name monthly");
    assert_rejected ("CA\tavance-iat\tplan\tquarter_close\t0\tIAT\n", 1, "n must be");
    assert_rejected ("CA\tavance-iat\tplan\tquarterly\t3\tIAT\n", 1, "quarter_close");
}

static void
test_quarter_periods (void **state)
{
    (void) state;
    int year = 0, quarter = 0;
    assert_true (mot_obligation_quarter_parse ("2027-Q1", &year, &quarter));
    assert_int_equal (year, 2027);
    assert_int_equal (quarter, 1);
    assert_true (mot_obligation_quarter_parse ("2026-Q4", &year, &quarter));
    assert_int_equal (quarter, 4);
    const char *bad[] = {"2027-Q0", "2027-Q5", "2027-q1", "2027Q1", "2027-03", "2027-Q12", "2027-Q1 ", "27-Q1",
                         "1899-Q4", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mot_obligation_quarter_parse (bad[i], NULL, NULL))
            fail_msg ("'%s' parsed as a quarter", bad[i] ? bad[i] : "(null)");
    /* The months that close a quarter: March, June, September, December. */
    int expected[13] = {0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4};
    for (int month = 1; month <= 12; month++)
        assert_int_equal (mot_obligation_quarter_closed_by (month), expected[month]);
    assert_int_equal (mot_obligation_quarter_closed_by (0), 0);
    assert_int_equal (mot_obligation_quarter_closed_by (15), 0);
    /* The day each rule's period closes. */
    mot_obligation_def_t quarterly = {.rule = MOT_RULE_QUARTER_CLOSE, .n = 3};
    mot_obligation_def_t monthly = {.rule = MOT_RULE_MONTH_CLOSE, .n = 5};
    mot_obligation_def_t update = {.rule = MOT_RULE_LAST_UPDATE, .trigger = "x", .n = 5};
    mot_obligation_def_t after = {.rule = MOT_RULE_AFTER, .n = 5};
    mot_obligation_def_t event = {.rule = MOT_RULE_EVENT, .trigger = "x", .n = 5};
    mot_day_t close = 0;
    assert_true (mot_obligation_period_close (&quarterly, "2027-Q1", &close));
    assert_day_is (close, "2027-03-31");
    assert_true (mot_obligation_period_close (&quarterly, "2026-Q2", &close));
    assert_day_is (close, "2026-06-30");
    assert_true (mot_obligation_period_close (&quarterly, "2027-Q4", &close));
    assert_day_is (close, "2027-12-31");
    assert_true (mot_obligation_period_close (&monthly, "2028-02", &close));
    assert_day_is (close, "2028-02-29");
    assert_true (mot_obligation_period_close (&update, "2026-10", &close));
    assert_day_is (close, "2026-10-31");
    assert_true (mot_obligation_period_close (&after, "2026-11", &close));
    assert_day_is (close, "2026-11-30");
    assert_false (mot_obligation_period_close (&quarterly, "2027-03", &close));
    assert_false (mot_obligation_period_close (&monthly, "2027-Q1", &close));
    assert_false (mot_obligation_period_close (&after, "2027-Q1", &close));
    assert_false (mot_obligation_period_close (&event, "2026-10", &close));
}

static void
test_quarter_deadlines (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    mot_obligation_def_t iat = {.rule = MOT_RULE_QUARTER_CLOSE, .n = 3};
    /* Q1 2027 closes Wed Mar 31: Thu Apr 1, Fri 2, Mon 5. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2027, 1), "2027-04-05");
    /* Q2 2027 closes Wed Jun 30: Thu Jul 1, Fri 2, Mon 5. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2027, 2), "2027-07-05");
    /* Q3 2027 closes Thu Sep 30: Fri Oct 1 (not 2027's to change the executive), Mon 4, Tue 5. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2027, 3), "2027-10-05");
    /* Q4 2027 closes Fri Dec 31: Jan 1 2028 is a Saturday; Mon 3, Tue 4, Wed 5. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2027, 4), "2028-01-05");
    /* Q4 2026 closes Thu Dec 31: Fri Jan 1 is a rest day; Mon 4, Tue 5, Wed 6. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2026, 4), "2027-01-06");
    /* Q3 2030 closes Mon Sep 30: Tue Oct 1 2030 changes the executive; Wed 2, Thu 3, Fri 4. */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2030, 3), "2030-10-04");
    /* Q1 2026 closes Tue Mar 31: Apr 1, 2, 3 (Holy week is not statutory) ... */
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, calendar, 2026, 1), "2026-04-03");
    mot_calendar_destroy (&calendar);
    /* ... and Apr 1, 6, 7 once Holy Thursday and Good Friday are published (the shipped file). */
    char *error = NULL;
    mot_calendar_t *shipped = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, &error);
    assert_non_null (shipped);
    assert_day_is (mot_obligation_deadline_for_quarter (&iat, shipped, 2026, 1), "2026-04-07");
    mot_calendar_destroy (&shipped);
}

static void
test_shipped_iat_is_quarterly_for_six_units (void **state)
{
    (void) state;
    char *error = NULL;
    mot_obligations_t *catalogue = mot_obligations_new (MOT_OBLIGATIONS_DEFAULT_FILE, &error);
    if (!catalogue)
        fail_msg ("shipped catalogue: %s", error);
    const char *units[] = {"UEOD", "UAD", "UCS", "CV", "CAPSOI", "CA"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        Mot__V1__Source unit;
        assert_true (mot_source_parse (units[u], &unit));
        const mot_obligation_def_t *iat = mot_obligations_find (catalogue, unit, "avance-iat");
        if (!iat)
            fail_msg ("no avance-iat row for %s", units[u]);
        assert_int_equal (iat->rule, MOT_RULE_QUARTER_CLOSE);
        assert_int_equal (iat->n, 3);
        assert_string_equal (iat->stage, "plan");
        assert_string_equal (iat->name, "Informe de Avance Trimestral del PAT de la DOE (Anexos 3 y 4)");
    }
    /* Six quarterly rows in all, and CA owes nothing else (it publishes no findings). */
    size_t quarterly = 0, of_ca = 0;
    for (size_t i = 0; i < mot_obligations_size (catalogue); i++) {
        const mot_obligation_def_t *def = mot_obligations_at (catalogue, i);
        quarterly += mot_obligation_is_quarterly (def);
        of_ca += def->unit == MOT__V1__SOURCE__CA;
    }
    assert_int_equal (quarterly, 6);
    assert_int_equal (of_ca, 1);
    mot_obligations_destroy (&catalogue);
}

/* --------------------------------------------------------------------------
 * Business days late, and the after: anchor
 */

static void
test_business_days_late (void **state)
{
    (void) state;
    mot_calendar_t *calendar = statutory_calendar ();
    struct {
        const char *deadline, *delivered;
        int late;
    } cases[] = {
        {"2026-11-13", "2026-11-12", 0},    /* Fri deadline, delivered Thu: early */
        {"2026-11-13", "2026-11-13", 0},    /* on the day */
        {"2026-11-13", "2026-11-14", 1},    /* Sat: received Tue 17 (Mon 16 is a rest day) */
        {"2026-11-13", "2026-11-15", 1},    /* Sun: the same */
        {"2026-11-13", "2026-11-16", 1},    /* the rest day itself: the same */
        {"2026-11-13", "2026-11-17", 1},    /* Tue */
        {"2026-11-13", "2026-11-18", 2},    /* Wed */
        {"2026-11-06", "2026-11-07", 1},    /* Fri deadline, Sat delivery: received Mon 9 */
        {"2026-11-09", "2026-11-07", 0},    /* Mon deadline, Sat delivery: on time */
        {"2026-11-09", "2026-11-08", 0},    /* Mon deadline, Sun delivery: on time */
        {"2026-11-07", "2026-11-07", 0},    /* an action due on a Saturday, delivered that day */
        {"2026-11-07", "2026-11-08", 1},    /* ... the next day (Sun): received Mon 9 */
        {"2026-12-24", "2026-12-25", 1},    /* Thu deadline, Christmas delivery: received Mon 28 */
        {"2026-12-24", "2026-12-27", 1},    /* ... or on the Sunday */
        {"2026-12-24", "2026-12-28", 1},
        {"2026-12-24", "2026-12-29", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int late = mot_obligation_business_days_late (calendar, day_of (cases[i].deadline), day_of (cases[i].delivered));
        if (late != cases[i].late)
            fail_msg ("deadline %s, delivered %s: expected %d business days late, got %d", cases[i].deadline,
                      cases[i].delivered, cases[i].late, late);
    }
    mot_calendar_destroy (&calendar);
}

static void
test_after_anchor (void **state)
{
    (void) state;
    /* The last input delivered after the close: that day. */
    assert_day_is (mot_obligation_after_anchor (day_of ("2026-10-31"), day_of ("2026-11-12")), "2026-11-12");
    /* Every input delivered before the month closed: the close. */
    assert_day_is (mot_obligation_after_anchor (day_of ("2026-10-31"), day_of ("2026-10-30")), "2026-10-31");
    assert_day_is (mot_obligation_after_anchor (day_of ("2026-10-31"), day_of ("2026-10-31")), "2026-10-31");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_file_parses_in_order),
        cmocka_unit_test (test_find_by_unit_and_code),
        cmocka_unit_test (test_bad_lines_name_their_line),
        cmocka_unit_test (test_empty_or_missing_file_is_an_error),
        cmocka_unit_test (test_shipped_catalogue_parses),
        cmocka_unit_test (test_month_close_deadlines),
        cmocka_unit_test (test_month_close_with_published_days),
        cmocka_unit_test (test_event_deadlines),
        cmocka_unit_test (test_reminder_days),
        cmocka_unit_test (test_ids_and_refs),
        cmocka_unit_test (test_new_rules_parse),
        cmocka_unit_test (test_bad_new_rules_name_their_line),
        cmocka_unit_test (test_shipped_catalogue_has_every_rule),
        cmocka_unit_test (test_fortnight_cut_offs),
        cmocka_unit_test (test_escalation_days),
        cmocka_unit_test (test_quarter_close_rule_parses),
        cmocka_unit_test (test_quarter_periods),
        cmocka_unit_test (test_quarter_deadlines),
        cmocka_unit_test (test_shipped_iat_is_quarterly_for_six_units),
        cmocka_unit_test (test_business_days_late),
        cmocka_unit_test (test_after_anchor),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
