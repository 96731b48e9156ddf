/*  test_register_table — the reporter's table and its two renderings
 *  (services/reporter/register_table.h), written without jansson: the JSON
 *  must stay what jansson wrote (compact, keys in column order, UTF-8 kept,
 *  '"' '\\' and control characters escaped, empty cells null) and the CSV
 *  RFC 4180 as mot_csv quotes it. Expected texts are written by hand; the
 *  JSON is also compared with jansson's own dump of the same rows. A
 *  streaming table (register_table_stream_csv) writes the same CSV byte for
 *  byte, hands it over once, and refuses what it cannot do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "register_table.h"

static register_table_t *
three_columns (void)
{
    register_table_t *table = register_table_new ("MUPOI", "items");
    assert_non_null (table);
    assert_true (register_table_add_column (table, "id"));
    assert_true (register_table_add_column (table, "n"));
    assert_true (register_table_add_column (table, "tema"));
    return table;
}

static register_table_t *
three_columns_streaming (void)
{
    register_table_t *table = three_columns ();
    assert_true (register_table_stream_csv (table));
    return table;
}

/* The two rows below, in `table`. */
static register_table_t *
fill_tricky (register_table_t *table)
{
    assert_true (register_table_add_row (table));
    assert_true (register_table_set_text (table, "id", "it-1"));
    assert_true (register_table_set_number (table, "n", -42));
    assert_true (register_table_set_text (table, "tema", "Baño \"A\", piso\\2\n\t\x01/x"));
    assert_true (register_table_add_row (table));
    /* set out of column order; an invalid UTF-8 text leaves its cell empty */
    assert_true (register_table_set_text (table, "tema", " lead"));
    assert_true (register_table_set_text (table, "id", "bad\xff"));
    return table;
}

/* Two rows: every kind of cell and every character that needs care. */
static register_table_t *
tricky_table (void)
{
    return fill_tricky (three_columns ());
}

static void
test_json_as_jansson_wrote_it (void **state)
{
    (void) state;
    register_table_t *table = tricky_table ();
    size_t size = 0;
    char *json = register_table_json (table, "2026-11-22T09:00:00-06:00", &size);
    assert_non_null (json);
    const char *expected = "{\"register\":\"MUPOI\",\"generated_at\":\"2026-11-22T09:00:00-06:00\",\"items\":["
                           "{\"id\":\"it-1\",\"n\":-42,\"tema\":\"Baño \\\"A\\\", piso\\\\2\\n\\t\\u0001/x\"},"
                           "{\"id\":null,\"n\":null,\"tema\":\" lead\"}]}\n";
    assert_string_equal (json, expected);
    assert_int_equal (size, strlen (expected));

    /* jansson's dump of the same rows, as the table used to be rendered */
    json_t *rows = json_pack ("[{s:s,s:i,s:s},{s:n,s:n,s:s}]", "id", "it-1", "n", -42, "tema",
                              "Baño \"A\", piso\\2\n\t\x01/x", "id", "n", "tema", " lead");
    json_t *root = json_pack ("{s:s,s:s,s:o}", "register", "MUPOI", "generated_at", "2026-11-22T09:00:00-06:00",
                              "items", rows);
    char *theirs = json_dumps (root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null (theirs);
    assert_memory_equal (json, theirs, strlen (theirs));
    assert_int_equal (size, strlen (theirs) + 1);
    free (theirs);
    json_decref (root);
    free (json);
    register_table_destroy (&table);
    assert_null (table);
}

/* The tricky rows' CSV, from a whole table or a streamed one alike. */
static void
assert_tricky_csv (register_table_t *table)
{
    size_t size = 0;
    char *csv = register_table_csv (table, &size);
    assert_non_null (csv);
    const char *expected = "id,n,tema\r\n"
                           "it-1,-42,\"Baño \"\"A\"\", piso\\2\n\t\x01/x\"\r\n"
                           ",,\" lead\"\r\n";
    assert_string_equal (csv, expected);
    assert_int_equal (size, strlen (expected));
    assert_int_equal (register_table_rows (table), 2);
    free (csv);
}

static void
test_csv_quotes_as_rfc_4180 (void **state)
{
    (void) state;
    register_table_t *table = tricky_table ();
    assert_tricky_csv (table);
    register_table_destroy (&table);
}

/* Streaming: the same bytes as the whole table, once. */
static void
test_streamed_csv_is_the_same_csv (void **state)
{
    (void) state;
    register_table_t *table = fill_tricky (three_columns_streaming ());
    assert_tricky_csv (table);
    /* handed over once: no second CSV, no more rows or cells */
    size_t size = 99;
    assert_null (register_table_csv (table, &size));
    assert_int_equal (size, 0);
    assert_false (register_table_add_row (table));
    assert_false (register_table_set_text (table, "id", "x"));
    register_table_destroy (&table);
}

static void
test_streaming_refuses_what_it_cannot_do (void **state)
{
    (void) state;
    register_table_t *table = three_columns_streaming ();
    /* no column once streaming, no second start, no JSON */
    assert_false (register_table_add_column (table, "late"));
    assert_false (register_table_stream_csv (table));
    size_t size = 99;
    assert_null (register_table_json (table, "t", &size));
    assert_int_equal (size, 0);
    register_table_destroy (&table);
    /* no streaming once a row exists */
    table = three_columns ();
    assert_true (register_table_add_row (table));
    assert_false (register_table_stream_csv (table));
    register_table_destroy (&table);
    /* an empty streamed table is its header; destroyed without being taken */
    table = three_columns_streaming ();
    char *csv = register_table_csv (table, &size);
    assert_string_equal (csv, "id,n,tema\r\n");
    free (csv);
    register_table_destroy (&table);
    table = three_columns_streaming ();
    assert_true (register_table_add_row (table));
    assert_true (register_table_set_text (table, "id", "never taken"));
    register_table_destroy (&table);
}

static void
test_empty_table (void **state)
{
    (void) state;
    register_table_t *table = three_columns ();
    size_t size = 0;
    char *json = register_table_json (table, "t", &size);
    assert_string_equal (json, "{\"register\":\"MUPOI\",\"generated_at\":\"t\",\"items\":[]}\n");
    char *csv = register_table_csv (table, &size);
    assert_string_equal (csv, "id,n,tema\r\n");
    assert_int_equal (size, 11);
    assert_int_equal (register_table_rows (table), 0);
    assert_string_equal (register_table_name (table), "MUPOI");
    free (json);
    free (csv);
    register_table_destroy (&table);
    register_table_destroy (&table);    /* twice: nothing happens */
    register_table_destroy (NULL);
}

static void
test_misuse_refused (void **state)
{
    (void) state;
    register_table_t *table = three_columns ();
    /* no row yet */
    assert_false (register_table_set_text (table, "id", "x"));
    assert_false (register_table_set_number (table, "n", 1));
    assert_true (register_table_add_row (table));
    /* no such column; no column after the first row */
    assert_false (register_table_set_text (table, "nope", "x"));
    assert_false (register_table_set_number (table, "nope", 1));
    assert_false (register_table_add_column (table, "late"));
    /* NULL empties a cell set before; the last value set wins */
    assert_true (register_table_set_text (table, "id", "x"));
    assert_true (register_table_set_text (table, "id", NULL));
    assert_true (register_table_set_number (table, "n", 1));
    assert_true (register_table_set_number (table, "n", 9223372036854775807LL));
    size_t size = 0;
    char *csv = register_table_csv (table, &size);
    assert_string_equal (csv, "id,n,tema\r\n,9223372036854775807,\r\n");
    free (csv);
    register_table_destroy (&table);
}

/* Numbers are written as printf's %lld writes them, to both ends. */
static void
test_numbers_as_printf_writes_them (void **state)
{
    (void) state;
    const long long values[] = {0, 7, -1, 10, -90, 1234567890123LL, -9223372036854775807LL - 1,
                                9223372036854775807LL};
    const char *expected = "id,n,tema\r\n,0,\r\n,7,\r\n,-1,\r\n,10,\r\n,-90,\r\n,1234567890123,\r\n"
                           ",-9223372036854775808,\r\n,9223372036854775807,\r\n";
    register_table_t *table = three_columns ();
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_true (register_table_add_row (table));
        assert_true (register_table_set_number (table, "n", values[i]));
    }
    size_t size = 0;
    char *csv = register_table_csv (table, &size);
    assert_string_equal (csv, expected);
    free (csv);
    register_table_destroy (&table);
}

/* 5,000 rows it-0,0, … it-4999,4999 (tema empty). */
static register_table_t *
fill_many (register_table_t *table)
{
    for (int i = 0; i < 5000; i++) {
        char id[16];
        snprintf (id, sizeof id, "it-%d", i);
        assert_true (register_table_add_row (table));
        assert_true (register_table_set_text (table, "id", id));
        assert_true (register_table_set_number (table, "n", i));
    }
    assert_int_equal (register_table_rows (table), 5000);
    return table;
}

/* Many rows: the stores grow past their first sizes and keep every cell;
 * streamed, the same CSV. */
static void
test_many_rows (void **state)
{
    (void) state;
    register_table_t *table = fill_many (three_columns ());
    register_table_t *streamed = three_columns_streaming ();
    register_table_expect_rows (streamed, 5000);    /* taken at once: 1.25 × 5,000 × the first row */
    fill_many (streamed);
    size_t size = 0, streamed_size = 0;
    char *streamed_csv = register_table_csv (streamed, &streamed_size);
    register_table_destroy (&streamed);
    char *csv = register_table_csv (table, &size);
    assert_non_null (streamed_csv);
    assert_int_equal (streamed_size, size);
    assert_memory_equal (streamed_csv, csv, size);
    free (streamed_csv);
    assert_non_null (strstr (csv, "\r\nit-0,0,\r\n"));
    assert_non_null (strstr (csv, "\r\nit-2500,2500,\r\n"));
    const char *tail = "\r\nit-4999,4999,\r\n";
    assert_string_equal (csv + size - strlen (tail), tail);
    free (csv);
    char *json = register_table_json (table, "t", &size);
    json_t *parsed = json_loadb (json, size, 0, NULL);
    json_t *items = json_object_get (parsed, "items");
    assert_int_equal (json_array_size (items), 5000);
    assert_string_equal (json_string_value (json_object_get (json_array_get (items, 4321), "id")), "it-4321");
    assert_int_equal (json_integer_value (json_object_get (json_array_get (items, 4321), "n")), 4321);
    json_decref (parsed);
    free (json);
    register_table_destroy (&table);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_json_as_jansson_wrote_it),
        cmocka_unit_test (test_csv_quotes_as_rfc_4180),
        cmocka_unit_test (test_streamed_csv_is_the_same_csv),
        cmocka_unit_test (test_streaming_refuses_what_it_cannot_do),
        cmocka_unit_test (test_empty_table),
        cmocka_unit_test (test_numbers_as_printf_writes_them),
        cmocka_unit_test (test_misuse_refused),
        cmocka_unit_test (test_many_rows),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
