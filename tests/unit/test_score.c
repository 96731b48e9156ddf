/*  test_score — unit tests for mot_score (MOT-SPEC §4: the 1..10 scales,
 *  their labels, and the quadrants with their colours and meanings).
 *  Every expected value is copied by hand from the spec's table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_score.h"

enum { Q_NONE = 0, Q_I = 1, Q_II = 2, Q_III = 3, Q_IV = 4 };

static void
test_valid_scores (void **state)
{
    (void) state;
    for (long score = 1; score <= 10; score++)
        assert_true (mot_score_is_valid (score));
    assert_false (mot_score_is_valid (0));
    assert_false (mot_score_is_valid (11));
    assert_false (mot_score_is_valid (-1));
}

/* "High" is > 5 on an axis: 5 is low, 6 is high. */
static void
test_quadrant_boundaries_at_five_and_six (void **state)
{
    (void) state;
    assert_int_equal (mot_score_quadrant (5, 5), Q_III);
    assert_int_equal (mot_score_quadrant (6, 5), Q_IV);
    assert_int_equal (mot_score_quadrant (5, 6), Q_II);
    assert_int_equal (mot_score_quadrant (6, 6), Q_I);
}

static void
test_quadrant_corners (void **state)
{
    (void) state;
    assert_int_equal (mot_score_quadrant (1, 1), Q_III);
    assert_int_equal (mot_score_quadrant (10, 10), Q_I);
    assert_int_equal (mot_score_quadrant (1, 10), Q_II);
    assert_int_equal (mot_score_quadrant (10, 1), Q_IV);
}

static void
test_quadrant_out_of_range_is_zero (void **state)
{
    (void) state;
    static const long bad[] = {0, 11, -1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal (mot_score_quadrant (bad[i], 5), Q_NONE);
        assert_int_equal (mot_score_quadrant (5, bad[i]), Q_NONE);
        assert_int_equal (mot_score_quadrant (bad[i], 6), Q_NONE);
        assert_int_equal (mot_score_quadrant (6, bad[i]), Q_NONE);
        assert_int_equal (mot_score_quadrant (bad[i], bad[i]), Q_NONE);
    }
}

static void
test_impact_labels (void **state)
{
    (void) state;
    static const char *const expected[11] = {
        NULL, "Menor", "Menor", "Bajo", "Bajo", "Moderado", "Moderado",
        "Grave", "Grave", "Catastrófico", "Catastrófico"};
    for (long score = 1; score <= 10; score++)
        assert_string_equal (mot_score_impact_label (score), expected[score]);
    assert_string_equal (mot_score_impact_label (0), "");
    assert_string_equal (mot_score_impact_label (11), "");
}

static void
test_vertical_labels (void **state)
{
    (void) state;
    static const char *const expected[11] = {
        NULL, "Remota", "Remota", "Inusual", "Inusual", "Probable", "Probable",
        "Muy probable", "Muy probable", "Recurrente", "Recurrente"};
    for (long score = 1; score <= 10; score++)
        assert_string_equal (mot_score_vertical_label (score), expected[score]);
    assert_string_equal (mot_score_vertical_label (0), "");
    assert_string_equal (mot_score_vertical_label (11), "");
}

static void
assert_quadrant_texts (int quadrant, const char *roman, const char *colour, const char *problematica,
                       const char *riesgo)
{
    assert_string_equal (mot_score_quadrant_roman (quadrant), roman);
    assert_string_equal (mot_score_quadrant_colour (quadrant), colour);
    assert_string_equal (mot_score_quadrant_meaning (quadrant, false), problematica);
    assert_string_equal (mot_score_quadrant_meaning (quadrant, true), riesgo);
}

static void
test_quadrant_names_colours_and_meanings (void **state)
{
    (void) state;
    assert_quadrant_texts (Q_I, "I", "rojo", "vigilancia permanente", "atención inmediata");
    assert_quadrant_texts (Q_II, "II", "naranja", "vigilancia constante", "atención periódica");
    assert_quadrant_texts (Q_III, "III", "verde", "vigilancia periódica", "controlados");
    assert_quadrant_texts (Q_IV, "IV", "amarillo", "vigilancia continua", "seguimiento");
    assert_quadrant_texts (Q_NONE, "", "", "", "");
    assert_quadrant_texts (5, "", "", "", "");
    assert_quadrant_texts (-1, "", "", "", "");
}

/* The lookup commit.lua reads the quadrant from: position impact * 11 +
 * vertical, both 0..10, '0' + the quadrant, '0' when a score is out of
 * range (the boundaries as in the spec's table). */
static void
test_quadrant_lookup_for_the_script (void **state)
{
    (void) state;
    char lookup[MOT_SCORE_QUADRANT_LOOKUP_SIZE];
    mot_score_quadrant_lookup (lookup);
    assert_int_equal (strlen (lookup), 121);
    assert_int_equal (lookup[6 * 11 + 6], '1');
    assert_int_equal (lookup[10 * 11 + 10], '1');
    assert_int_equal (lookup[5 * 11 + 6], '2');
    assert_int_equal (lookup[1 * 11 + 10], '2');
    assert_int_equal (lookup[5 * 11 + 5], '3');
    assert_int_equal (lookup[1 * 11 + 1], '3');
    assert_int_equal (lookup[6 * 11 + 5], '4');
    assert_int_equal (lookup[10 * 11 + 1], '4');
    assert_int_equal (lookup[0 * 11 + 5], '0');
    assert_int_equal (lookup[5 * 11 + 0], '0');
    for (int impact = 1; impact <= 10; impact++)
        for (int vertical = 1; vertical <= 10; vertical++)
            assert_int_equal (lookup[impact * 11 + vertical] - '0', mot_score_quadrant (impact, vertical));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_quadrant_lookup_for_the_script),
        cmocka_unit_test (test_valid_scores),
        cmocka_unit_test (test_quadrant_boundaries_at_five_and_six),
        cmocka_unit_test (test_quadrant_corners),
        cmocka_unit_test (test_quadrant_out_of_range_is_zero),
        cmocka_unit_test (test_impact_labels),
        cmocka_unit_test (test_vertical_labels),
        cmocka_unit_test (test_quadrant_names_colours_and_meanings),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
