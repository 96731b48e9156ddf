/*  test_classifier_rules — unit tests for the classifier's rules module
 *  (services/classifier/rules.c): keyword matching (first match wins,
 *  "sin clasificar" otherwise), the frequency table handed to the commit
 *  script, the impact combination of impact.tsv (keyword else origin else
 *  default, media reach as a maximum, territory code before kind, capped
 *  1..10, a unit's own impact as is), the shipped files, and the errors a bad
 *  file gives (NULL and a message naming the file and line). Expected values
 *  are worked out by hand from the small rule files written here.
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

#include "rules.h"

#define KEYWORDS "# comment\n\nmuerte materna\tLegal\tDPM\t10\nmuerte\tLegal\tDPM\t9\nabasto\tAdministrativo\tDA\t8\n"
#define STEPS "1\t1\n2\t4\n3\t7\n"
#define IMPACTS                                                                                            \
    "origin\tUAD\t3\norigin\tUCS\t4\nreach\t1000\t6\nreach\t50000\t9\nterritory\tUMAE\t+2\n"                 \
    "territory\tOOAD-21\t-1\nterritory\tUMAE-07\t0\n"

/* Writes `content` to a new temporary file; `path` receives its name. */
static void
write_temp (const char *content, char path[64])
{
    snprintf (path, 64, "/tmp/test_classifier_rules_XXXXXX");
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    size_t length = strlen (content);
    assert_int_equal (write (fd, content, length), (ssize_t) length);
    assert_int_equal (close (fd), 0);
}

/* Loads the three files from texts; *error gets the error (or NULL). */
static rules_t *
load (const char *keywords, const char *steps, const char *impacts, char **error)
{
    char k[64], s[64], i[64];
    write_temp (keywords, k);
    write_temp (steps, s);
    write_temp (impacts, i);
    rules_t *rules = rules_new (k, s, i, 5, error);
    unlink (k);
    unlink (s);
    unlink (i);
    return rules;
}

static rules_t *
load_good (void)
{
    char *error = NULL;
    rules_t *rules = load (KEYWORDS, STEPS, IMPACTS, &error);
    if (!rules)
        fail_msg ("%s", error ? error : "no error text");
    return rules;
}

static void
test_first_keyword_wins (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    rules_match_t match = rules_match (rules, "caso de muerte materna en el hospital");
    assert_string_equal (match.keyword, "muerte materna");
    assert_int_equal (match.impact, 10);
    match = rules_match (rules, "muerte de un paciente");
    assert_string_equal (match.keyword, "muerte");
    assert_int_equal (match.impact, 9);
    match = rules_match (rules, "desabasto de insulina");
    assert_string_equal (match.category, "Administrativo");
    assert_string_equal (match.on, "DA");
    rules_destroy (&rules);
    assert_null (rules);
}

static void
test_no_match_is_unclassified (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    rules_match_t match = rules_match (rules, "trato indigno");
    assert_string_equal (match.category, "sin clasificar");
    assert_string_equal (match.on, "sin clasificar");
    assert_int_equal (match.impact, 0);
    assert_null (match.keyword);
    rules_destroy (&rules);
}

/* The rows 1→1, 2→4, 3→7: the score of the last row reached, and the
 * lookup the commit script indexes ('0' + score for 0, 1, 2, 3 events; the
 * last stands for more). */
static void
test_frequency_table_for_the_script (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    assert_int_equal (rules_frequency (rules, 0), 1);
    assert_int_equal (rules_frequency (rules, 2), 4);
    assert_int_equal (rules_frequency (rules, 1000), 7);
    assert_string_equal (rules_frequency_lookup (rules), "1147");
    rules_destroy (&rules);
}

/* The impact and its basis for one input. */
static void
expect_impact (rules_t *rules, rules_impact_input_t input, int impact, const char *basis)
{
    char *text = NULL;
    assert_int_equal (rules_impact (rules, &input, &text), impact);
    assert_non_null (text);
    assert_string_equal (text, basis);
    free (text);
}

static void
test_impact_base_keyword_else_origin_else_default (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    expect_impact (rules, (rules_impact_input_t){"UAD", "OOAD-01", 8, false, 0, 0}, 8, "keyword 8");
    expect_impact (rules, (rules_impact_input_t){"UAD", "OOAD-01", 0, false, 0, 0}, 3, "origin UAD 3");
    expect_impact (rules, (rules_impact_input_t){"UEOD", "OOAD-01", 0, false, 0, 0}, 5, "default 5");
    /* a keyword below the origin still wins: the origin is only a default */
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 2, false, 0, 0}, 2, "keyword 2");
    assert_int_equal (rules_impact (rules, &(rules_impact_input_t){"UAD", "OOAD-01", 0, false, 0, 0}, NULL), 3);
    rules_destroy (&rules);
}

static void
test_impact_reach_is_a_maximum_of_the_highest_threshold (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 0, true, 999, 0}, 4, "origin UCS 4");
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 0, true, 1000, 0}, 6,
                   "origin UCS 4; reach>=1000 6");
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 0, true, 4000000000u, 0}, 9,
                   "origin UCS 4; reach>=50000 9");
    /* a keyword above the reach rule keeps its value */
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 8, true, 5000, 0}, 8, "keyword 8");
    /* without an audience estimate, no reach rule */
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-01", 0, false, 60000, 0}, 4, "origin UCS 4");
    rules_destroy (&rules);
}

static void
test_impact_territory_code_before_kind_and_capped (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    expect_impact (rules, (rules_impact_input_t){"UAD", "UMAE-03", 0, false, 0, 0}, 5,
                   "origin UAD 3; territory UMAE +2");
    expect_impact (rules, (rules_impact_input_t){"UAD", "UMAE-03", 9, false, 0, 0}, 10,
                   "keyword 9; territory UMAE +2");
    /* the code's own row (0) replaces the kind's */
    expect_impact (rules, (rules_impact_input_t){"UAD", "UMAE-07", 0, false, 0, 0}, 3, "origin UAD 3");
    expect_impact (rules, (rules_impact_input_t){"UCS", "OOAD-21", 0, true, 60000, 0}, 8,
                   "origin UCS 4; reach>=50000 9; territory OOAD-21 -1");
    expect_impact (rules, (rules_impact_input_t){"UAD", "OOAD-21", 1, false, 0, 0}, 1,
                   "keyword 1; territory OOAD-21 -1");
    rules_destroy (&rules);
}

static void
test_impact_given_by_the_unit_is_taken_as_is (void **state)
{
    (void) state;
    rules_t *rules = load_good ();
    expect_impact (rules, (rules_impact_input_t){"UEOD", "UMAE-03", 8, false, 0, 2}, 2, "given 2");
    rules_destroy (&rules);
}

static void
test_shipped_files_load (void **state)
{
    (void) state;
    char *error = NULL;
    rules_t *rules = rules_new (MOT_DEPLOY_DIR "/rules/classification.tsv", MOT_DEPLOY_DIR "/rules/frequency.tsv",
                                MOT_DEPLOY_DIR "/rules/impact.tsv", 5, &error);
    if (!rules)
        fail_msg ("%s", error ? error : "no error text");
    /* the examples of impact.tsv's header */
    expect_impact (rules, (rules_impact_input_t){"UCS", "UMAE-03", 0, true, 250000, 0}, 7,
                   "origin UCS 5; reach>=100000 6; territory UMAE +1");
    expect_impact (rules, (rules_impact_input_t){"UAD", "OOAD-15", 0, false, 0, 0}, 4, "origin UAD 4");
    /* frequency.tsv: 1 1, 2 2, 3 3, 5 4, 8 5, 12 6, 20 7, 35 8, 60 9, 100 10 */
    const int expected[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 3}, {5, 4}, {7, 4}, {8, 5}, {11, 5}, {12, 6},
                               {20, 7}, {34, 7}, {35, 8}, {60, 9}, {99, 9}, {100, 10}, {5000, 10}};
    const char *lookup = rules_frequency_lookup (rules);
    assert_int_equal (strlen (lookup), 101);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        int count = expected[i][0], score = expected[i][1];
        assert_int_equal (rules_frequency (rules, count), score);
        assert_int_equal (lookup[count < 100 ? count : 100] - '0', score);
    }
    rules_destroy (&rules);
}

/* The file is refused with an error naming `where` (a file:line suffix). */
static void
expect_refused (const char *keywords, const char *steps, const char *impacts, const char *where, const char *reason)
{
    char *error = NULL;
    rules_t *rules = load (keywords, steps, impacts, &error);
    assert_null (rules);
    assert_non_null (error);
    if (!strstr (error, where) || !strstr (error, reason))
        fail_msg ("error '%s' does not name '%s' and '%s'", error, where, reason);
    free (error);
}

static void
test_bad_files_are_refused_naming_the_line (void **state)
{
    (void) state;
    expect_refused ("abasto\tAdministrativo\tDA\t8\nx\tOtra\tDA\t5\n", STEPS, IMPACTS, ":2:", "CATEGORY");
    expect_refused ("abasto\tLegal\tDA\t11\n", STEPS, IMPACTS, ":1:", "IMPACT must be 1..10");
    expect_refused (KEYWORDS, "1\t1\n3\t2\n2\t3\n", IMPACTS, ":3:", "must increase");
    expect_refused (KEYWORDS, "2\t1\n", IMPACTS, ":1:", "first row");
    expect_refused (KEYWORDS, "1\t1\n10001\t2\n", IMPACTS, ":2:", "1..10000");
    expect_refused (KEYWORDS, STEPS, "origin\tIMSS\t3\n", ":1:", "origin SOURCE");
    expect_refused (KEYWORDS, STEPS, "# c\nsize\tUMAE\t1\n", ":2:", "origin, reach or territory");
    expect_refused (KEYWORDS, STEPS, "reach\t0\t5\n", ":1:", "reach MIN");
    expect_refused (KEYWORDS, STEPS, "reach\t100\t0\n", ":1:", "IMPACT must be 1..10");
    expect_refused (KEYWORDS, STEPS, "territory\tUMAE\t+10\n", ":1:", "ADJUST");
    expect_refused (KEYWORDS, STEPS, "territory\tUMAE\tuno\n", ":1:", "whole number");
    expect_refused (KEYWORDS, STEPS, "origin\tUAD\t3\norigin\tUAD\t4\n", ":2:", "already");
    expect_refused (KEYWORDS, STEPS, "origin\tUAD\n", ":1:", "expected");
}

static void
test_missing_file_is_refused (void **state)
{
    (void) state;
    char *error = NULL;
    rules_t *rules = rules_new ("/nonexistent/classification.tsv", "/nonexistent/f.tsv", "/nonexistent/i.tsv", 5,
                                &error);
    assert_null (rules);
    assert_non_null (error);
    assert_non_null (strstr (error, "/nonexistent/classification.tsv"));
    free (error);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_first_keyword_wins),
        cmocka_unit_test (test_no_match_is_unclassified),
        cmocka_unit_test (test_frequency_table_for_the_script),
        cmocka_unit_test (test_impact_base_keyword_else_origin_else_default),
        cmocka_unit_test (test_impact_reach_is_a_maximum_of_the_highest_threshold),
        cmocka_unit_test (test_impact_territory_code_before_kind_and_capped),
        cmocka_unit_test (test_impact_given_by_the_unit_is_taken_as_is),
        cmocka_unit_test (test_shipped_files_load),
        cmocka_unit_test (test_bad_files_are_refused_naming_the_line),
        cmocka_unit_test (test_missing_file_is_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
