/*  test_csv — RFC 4180 quoting of mot_csv.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_csv.h"

#include <stdlib.h>
#include <string.h>

static void
assert_quoted (const char *field, const char *expected)
{
    char *quoted = mot_csv_quote (field);
    assert_non_null (quoted);
    assert_string_equal (quoted, expected);
    free (quoted);
}

static void
test_plain_fields_stay_as_they_are (void **state)
{
    (void) state;
    assert_quoted ("OOAD-15", "OOAD-15");
    assert_quoted ("", "");
    assert_quoted (NULL, "");
    assert_false (mot_csv_needs_quotes ("vigilancia permanente"));
}

static void
test_separators_and_line_ends_are_quoted (void **state)
{
    (void) state;
    assert_quoted ("Trato, oportunidad", "\"Trato, oportunidad\"");
    assert_quoted ("dos\nlíneas", "\"dos\nlíneas\"");
    assert_quoted ("cr\rhere", "\"cr\rhere\"");
    assert_quoted ("crlf\r\n", "\"crlf\r\n\"");
}

static void
test_quotes_are_doubled (void **state)
{
    (void) state;
    assert_quoted ("el \"IMSS\"", "\"el \"\"IMSS\"\"\"");
    assert_quoted ("\"", "\"\"\"\"");
}

static void
test_edge_spaces_are_quoted (void **state)
{
    (void) state;
    assert_quoted (" leading", "\" leading\"");
    assert_quoted ("trailing ", "\"trailing \"");
}

static void
test_utf8_is_kept_byte_for_byte (void **state)
{
    (void) state;
    assert_quoted ("Michoacán", "Michoacán");
    assert_quoted ("Estratégico, año", "\"Estratégico, año\"");
}

static void
test_record_has_commas_and_crlf (void **state)
{
    (void) state;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert_non_null (out);
    const char *fields[] = {"it-1", "a,b", NULL, "x\"y"};
    assert_true (mot_csv_write_record (out, fields, 4));
    assert_int_equal (fclose (out), 0);
    assert_string_equal (text, "it-1,\"a,b\",,\"x\"\"y\"\r\n");
    free (text);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_plain_fields_stay_as_they_are),
        cmocka_unit_test (test_separators_and_line_ends_are_quoted),
        cmocka_unit_test (test_quotes_are_doubled),
        cmocka_unit_test (test_edge_spaces_are_quoted),
        cmocka_unit_test (test_utf8_is_kept_byte_for_byte),
        cmocka_unit_test (test_record_has_commas_and_crlf),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
