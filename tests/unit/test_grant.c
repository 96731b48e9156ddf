/*  test_grant — the roles, unit lists and register lists that the CURVE
 *  certificates' metadata and the dashboard's accounts share (mot_grant),
 *  with the lists written by hand from motctl_cert.c's header: names
 *  separated by commas, or "*" alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_grant.h"

static void
test_the_five_roles (void **state)
{
    (void) state;
    const char *roles[] = {"upstream", "analyst", "subscriber", "viewer", "service"};
    for (size_t i = 0; i < 5; i++)
        assert_true (mot_grant_is_role (roles[i]));
    assert_false (mot_grant_is_role ("analista"));     /* the accounts' old words are not roles */
    assert_false (mot_grant_is_role ("Viewer"));
    assert_false (mot_grant_is_role (""));
    assert_false (mot_grant_is_role (NULL));
}

static void
test_unit_lists (void **state)
{
    (void) state;
    mot_grant_set_t units = 0;
    assert_true (mot_grant_read_units ("UEOD", &units));
    assert_true (mot_grant_has_any_unit (units, "UEOD"));
    assert_false (mot_grant_has_any_unit (units, "UAD"));

    assert_true (mot_grant_read_units ("UAD,CV", &units));
    assert_true (mot_grant_has_any_unit (units, "UAD"));
    assert_true (mot_grant_has_any_unit (units, "CV"));
    assert_false (mot_grant_has_any_unit (units, "UEOD"));
    assert_false (mot_grant_has_any_unit (units, "CAPSOI"));

    assert_true (mot_grant_read_units ("*", &units));
    assert_int_equal (units, MOT_GRANT_ALL);
    assert_true (mot_grant_read_units ("CA,CAPSOI,UCS", &units));
    assert_true (mot_grant_has_any_unit (units, "CA"));

    const char *refused[] = {"", ",", "UEOD,", ",UEOD", "UEOD,,UAD", "UEOD, UAD", "ueod", "XYZ", "UEOD,*",
                             "**", "SOURCE_UNSPECIFIED", "UEODUEODUEODUEODUEOD"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_false (mot_grant_read_units (refused[i], &units));
    assert_false (mot_grant_read_units (NULL, &units));
}

static void
test_an_items_units_against_a_set (void **state)
{
    (void) state;
    mot_grant_set_t units = 0;
    assert_true (mot_grant_read_units ("UEOD,CAPSOI", &units));
    /* an item's units as the registers write them: every unit that detected it */
    assert_true (mot_grant_has_any_unit (units, "UAD,UEOD"));
    assert_true (mot_grant_has_any_unit (units, "CAPSOI"));
    assert_false (mot_grant_has_any_unit (units, "UAD,CV"));
    assert_false (mot_grant_has_any_unit (units, "UE"));           /* a part, not a prefix */
    assert_false (mot_grant_has_any_unit (units, "UEODX"));
    assert_false (mot_grant_has_any_unit (units, ""));
    assert_false (mot_grant_has_any_unit (units, NULL));
    assert_true (mot_grant_has_any_unit (MOT_GRANT_ALL, "CV"));
    assert_false (mot_grant_has_any_unit (MOT_GRANT_ALL, ""));     /* no unit at all: nobody's */
}

static void
test_register_lists (void **state)
{
    (void) state;
    mot_grant_set_t registers = 0;
    assert_true (mot_grant_read_registers ("mupoi,maps", &registers));
    assert_true (mot_grant_has_register (registers, MOT_REGISTER_MUPOI));
    assert_true (mot_grant_has_register (registers, MOT_REGISTER_MAPS));
    assert_false (mot_grant_has_register (registers, MOT_REGISTER_MURO));
    assert_false (mot_grant_has_register (registers, MOT_REGISTER_REPORTS));

    assert_true (mot_grant_read_registers (
        "mupoi,muro,items,unclassified,obligations,audit,positions,status,maps,reports", &registers));
    for (int which = 0; which < MOT_REGISTER_COUNT; which++)
        assert_true (mot_grant_has_register (registers, (mot_register_t) which));
    assert_true (mot_grant_read_registers ("*", &registers));
    assert_int_equal (registers, MOT_GRANT_ALL);
    assert_false (mot_grant_has_register (registers, MOT_REGISTER_COUNT));

    const char *refused[] = {"", "map", "mupoi,", "MUPOI", "mupoi maps", "reports,*", "informe"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_false (mot_grant_read_registers (refused[i], &registers));
}

static void
test_register_names (void **state)
{
    (void) state;
    assert_string_equal (mot_register_name (MOT_REGISTER_MUPOI), "mupoi");
    assert_string_equal (mot_register_name (MOT_REGISTER_OBLIGATIONS), "obligations");
    assert_string_equal (mot_register_name (MOT_REGISTER_REPORTS), "reports");
    assert_string_equal (mot_register_name (MOT_REGISTER_COUNT), "");
}

static void
test_topic_lists (void **state)
{
    (void) state;
    assert_true (mot_grant_is_topics ("overdue/UAD,report/"));
    assert_true (mot_grant_is_topics ("*"));
    assert_false (mot_grant_is_topics (""));
    assert_false (mot_grant_is_topics ("overdue/,"));
    assert_false (mot_grant_is_topics ("over due"));
    assert_false (mot_grant_is_topics (NULL));
}

static void
test_a_unit_set_as_text (void **state)
{
    (void) state;
    char text[MOT_GRANT_UNITS_TEXT];
    mot_grant_set_t units = 0;
    assert_true (mot_grant_read_units ("CV,UEOD", &units));
    mot_grant_units_text (units, text);
    assert_string_equal (text, "UEOD,CV");       /* the contract's order */
    assert_true (mot_grant_read_units ("CA,CAPSOI,CV,UCS,UAD,UEOD", &units));
    mot_grant_units_text (units, text);
    assert_string_equal (text, "UEOD,UAD,UCS,CV,CAPSOI,CA");
    mot_grant_units_text (MOT_GRANT_ALL, text);
    assert_string_equal (text, "*");
    mot_grant_units_text (0, text);
    assert_string_equal (text, "");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_the_five_roles),          cmocka_unit_test (test_unit_lists),
        cmocka_unit_test (test_an_items_units_against_a_set), cmocka_unit_test (test_register_lists),
        cmocka_unit_test (test_register_names),          cmocka_unit_test (test_topic_lists),
        cmocka_unit_test (test_a_unit_set_as_text),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
