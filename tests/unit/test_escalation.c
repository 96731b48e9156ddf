/*  test_escalation — unit tests for the deadline-watcher's escalation module
 *  (services/deadline-watcher/escalation.c): the shipped file (two levels,
 *  two distinct offices), files that name an office at two levels (or twice
 *  in one) refused with the line, no recipients above the last level, and
 *  the highest level sent capped to the file's last line.
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

#include "escalation.h"

/* Loads `content` from a temporary file; NULL with *error when refused. */
static escalation_t *
load_text (const char *content, char **error, char path[64])
{
    snprintf (path, 64, "/tmp/test_escalation_XXXXXX");
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    size_t length = strlen (content);
    assert_int_equal (write (fd, content, length), (ssize_t) length);
    assert_int_equal (close (fd), 0);
    escalation_t *escalation = escalation_new (path, error);
    unlink (path);
    return escalation;
}

/* The file is refused at `line` with a reason containing `part`. */
static void
assert_refused (const char *content, int line, const char *part)
{
    char *error = NULL, path[64], where[80];
    escalation_t *escalation = load_text (content, &error, path);
    if (escalation) {
        escalation_destroy (&escalation);
        fail_msg ("accepted:\n%s", content);
    }
    snprintf (where, sizeof where, "%s:%d: ", path, line);
    if (!error || strncmp (error, where, strlen (where)) != 0 || !strstr (error, part))
        fail_msg ("error '%s' does not start with '%s' or lacks '%s'", error ? error : "(none)", where, part);
    free (error);
}

static void
test_shipped_file_names_two_distinct_offices (void **state)
{
    (void) state;
    char *error = NULL;
    escalation_t *escalation = escalation_new (ESCALATION_DEFAULT_FILE, &error);
    if (!escalation)
        fail_msg ("shipped escalation file: %s", error ? error : "?");
    assert_int_equal (escalation_levels (escalation), 2);
    size_t count = 0;
    char **names = escalation_recipients (escalation, 1, &count);
    assert_int_equal (count, 1);
    assert_string_equal (names[0], "Titular de la unidad");
    names = escalation_recipients (escalation, 2, &count);
    assert_int_equal (count, 1);
    assert_string_equal (names[0], "TDOE");
    /* No level above the last line. */
    assert_null (escalation_recipients (escalation, 3, &count));
    assert_int_equal (count, 0);
    assert_null (escalation_recipients (escalation, 0, &count));
    escalation_destroy (&escalation);
}

static void
test_an_office_at_two_levels_is_refused (void **state)
{
    (void) state;
    assert_refused ("1\tTitular de la unidad\n2\tTDOE\n3\tTDOE\n", 3, "\"TDOE\" is already named at level 2");
    assert_refused ("# c\n1\tA;TDOE\n2\tB\n\n3\tC;tdoe\n", 5, "already named at level 1");
    assert_refused ("1\tA;B;A\n", 1, "\"A\" is already named at level 1");
    /* Distinct offices load, in order. */
    char *error = NULL, path[64];
    escalation_t *escalation = load_text ("1\tA;B\n2\tC\n3\tD;E\n", &error, path);
    assert_non_null (escalation);
    assert_int_equal (escalation_levels (escalation), 3);
    size_t count = 0;
    char **names = escalation_recipients (escalation, 3, &count);
    assert_int_equal (count, 2);
    assert_string_equal (names[1], "E");
    escalation_destroy (&escalation);
}

static void
test_highest_level_is_the_last_line (void **state)
{
    (void) state;
    char *error = NULL, path[64];
    escalation_t *escalation = load_text ("1\tA\n2\tB\n", &error, path);
    assert_non_null (escalation);
    bool capped = true;
    assert_int_equal (escalation_highest_level (escalation, -1, &capped), 2);   /* not set: the file's */
    assert_false (capped);
    assert_int_equal (escalation_highest_level (escalation, 0, &capped), 0);    /* none */
    assert_false (capped);
    assert_int_equal (escalation_highest_level (escalation, 1, &capped), 1);
    assert_false (capped);
    assert_int_equal (escalation_highest_level (escalation, 2, &capped), 2);
    assert_false (capped);
    assert_int_equal (escalation_highest_level (escalation, 3, &capped), 2);    /* never beyond the file */
    assert_true (capped);
    assert_int_equal (escalation_highest_level (escalation, 20, &capped), 2);
    assert_true (capped);
    escalation_destroy (&escalation);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_shipped_file_names_two_distinct_offices),
        cmocka_unit_test (test_an_office_at_two_levels_is_refused),
        cmocka_unit_test (test_highest_level_is_the_last_line),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
