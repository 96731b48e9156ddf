/*  test_dashboard_snapshot — the dashboard's in-memory register: reading
 *  the register's CSV, filtering, sorting (ties in the register's order,
 *  empty cells last ascending and first descending) over a hand-written
 *  register of four rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dashboard_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows, in the register's order: 0 id "10", 1 id "9", 2 id "11", 3 id "2".
 * The column "extra" is not kept; row 3 has no territory, row 1 no events. */
static const char CSV[] =
    "id,territorio,tema,impacto,extra,eventos,etapa,unidades\r\n"
    "10,OOAD-01,\"Tema, con coma\",8,x,3,identificacion,UEOD\r\n"
    "9,OOAD-02,\"Dice \"\"hola\"\"\",3,y,,seguimiento,\"UEOD,CV\"\r\n"
    "11,OOAD-01,Tema c,10,z,12,cerrado,CV\r\n"
    "2,,\"\",3,,1,monitoreo,CAPSOI\r\n";

static const dashboard_column_t COLUMNS[] = {
    {"id", false}, {"territorio", false}, {"tema", false}, {"impacto", true},
    {"eventos", true}, {"etapa", false}, {"unidades", false},
};
#define COLUMN_COUNT (sizeof COLUMNS / sizeof COLUMNS[0])
enum { ID, TERRITORIO, TEMA, IMPACTO, EVENTOS, ETAPA, UNIDADES };

static int
set_up (void **state)
{
    *state = dashboard_snapshot_new (CSV, strlen (CSV), COLUMNS, COLUMN_COUNT, 1700000000);
    return *state ? 0 : -1;
}

static int
tear_down (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_snapshot_destroy (&snapshot);
    return 0;
}

/* The selection's rows as "r0 r2 …" (or "" for none). */
static void
assert_rows (dashboard_snapshot_t *snapshot, const dashboard_selection_t *selection, const char *expected)
{
    size_t count = 99;
    uint32_t *rows = dashboard_snapshot_select (snapshot, selection, &count);
    assert_non_null (rows);
    char text[256] = "";
    for (size_t i = 0; i < count; i++)
        snprintf (text + strlen (text), sizeof text - strlen (text), "%sr%u", i ? " " : "", (unsigned) rows[i]);
    free (rows);
    assert_string_equal (text, expected);
}

static void
test_the_csv_is_read_with_its_quotes (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    assert_int_equal (dashboard_snapshot_rows (snapshot), 4);
    assert_int_equal (dashboard_snapshot_taken_at (snapshot), 1700000000);
    assert_int_equal (dashboard_snapshot_column (snapshot, "tema"), TEMA);
    assert_int_equal (dashboard_snapshot_column (snapshot, "extra"), -1);
    assert_string_equal (dashboard_snapshot_cell (snapshot, 0, TEMA), "Tema, con coma");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 1, TEMA), "Dice \"hola\"");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 1, UNIDADES), "UEOD,CV");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 2, ETAPA), "cerrado");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 3, TERRITORIO), "");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 3, TEMA), "");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 1, EVENTOS), "");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 3, UNIDADES), "CAPSOI");
    assert_string_equal (dashboard_snapshot_cell (snapshot, 4, ID), "");
    /* equal values share their text */
    assert_ptr_equal (dashboard_snapshot_cell (snapshot, 0, TERRITORIO), dashboard_snapshot_cell (snapshot, 2, TERRITORIO));
    assert_true (dashboard_snapshot_bytes (snapshot) > 4 * COLUMN_COUNT * 8);
}

static void
test_filters_combine (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    assert_rows (snapshot, &selection, "r0 r1 r2 r3");

    selection.differ = (dashboard_condition_t) {ETAPA, "cerrado"};
    assert_rows (snapshot, &selection, "r0 r1 r3");

    assert_true (dashboard_selection_require (&selection, TERRITORIO, "OOAD-01"));
    assert_rows (snapshot, &selection, "r0");

    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, TERRITORIO, "OOAD-01"));
    assert_rows (snapshot, &selection, "r0 r2");

    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, TERRITORIO, "OOAD-99"));
    assert_rows (snapshot, &selection, "");
}

static void
test_numbers_match_as_numbers (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, IMPACTO, "3"));
    assert_rows (snapshot, &selection, "r1 r3");
    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, IMPACTO, "03"));
    assert_rows (snapshot, &selection, "r1 r3");
    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, IMPACTO, "tres"));
    assert_rows (snapshot, &selection, "");
    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, IMPACTO, "3"));
    assert_true (dashboard_selection_require (&selection, EVENTOS, "1"));
    assert_rows (snapshot, &selection, "r3");
}

static void
test_a_unit_is_one_of_the_listed (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.listed = (dashboard_condition_t) {UNIDADES, "CV"};
    assert_rows (snapshot, &selection, "r1 r2");
    selection.listed = (dashboard_condition_t) {UNIDADES, "UEOD"};
    assert_rows (snapshot, &selection, "r0 r1");
    selection.listed = (dashboard_condition_t) {UNIDADES, "UE"};
    assert_rows (snapshot, &selection, "");
}

/* An account's units: rows that one of them detected (r0 UEOD, r1 UEOD+CV,
 * r2 CV, r3 CAPSOI), alone and with a unit filter. */
static void
test_an_accounts_units_share_one_with_the_row (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.shared = (dashboard_condition_t) {UNIDADES, "CAPSOI,CV"};
    assert_rows (snapshot, &selection, "r1 r2 r3");
    selection.shared = (dashboard_condition_t) {UNIDADES, "UEOD"};
    assert_rows (snapshot, &selection, "r0 r1");
    selection.shared = (dashboard_condition_t) {UNIDADES, "UAD,UCS"};
    assert_rows (snapshot, &selection, "");
    selection.shared = (dashboard_condition_t) {UNIDADES, "UE,CAPS"};   /* parts, not prefixes */
    assert_rows (snapshot, &selection, "");

    selection.shared = (dashboard_condition_t) {UNIDADES, "UEOD,CAPSOI"};
    selection.listed = (dashboard_condition_t) {UNIDADES, "CV"};       /* the page's unit filter: both hold */
    assert_rows (snapshot, &selection, "r1");
    selection.differ = (dashboard_condition_t) {ETAPA, "seguimiento"};
    assert_rows (snapshot, &selection, "");
}

static void
test_text_sorts_byte_by_byte (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.order = ID;                   /* "10" < "11" < "2" < "9" */
    assert_rows (snapshot, &selection, "r0 r2 r3 r1");
    selection.direction = -1;
    assert_rows (snapshot, &selection, "r1 r3 r2 r0");
}

static void
test_ties_keep_the_register_order_both_ways (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.order = IMPACTO;              /* 8, 3, 10, 3 */
    assert_rows (snapshot, &selection, "r1 r3 r0 r2");
    selection.direction = -1;
    assert_rows (snapshot, &selection, "r2 r0 r1 r3");
    dashboard_selection_init (&selection);
    selection.order = TERRITORIO;           /* OOAD-01, OOAD-02, OOAD-01, empty */
    assert_rows (snapshot, &selection, "r0 r2 r1 r3");
}

static void
test_empty_cells_last_ascending_first_descending (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.order = EVENTOS;              /* 3, empty, 12, 1 */
    assert_rows (snapshot, &selection, "r3 r0 r2 r1");
    selection.direction = -1;
    assert_rows (snapshot, &selection, "r1 r2 r0 r3");
}

static void
test_filter_then_sort (void **state)
{
    dashboard_snapshot_t *snapshot = *state;
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.differ = (dashboard_condition_t) {ETAPA, "cerrado"};
    selection.order = IMPACTO;
    selection.direction = -1;
    assert_rows (snapshot, &selection, "r0 r1 r3");
}

static void
test_a_bad_register_is_refused (void **state)
{
    (void) state;
    const char *unclosed = "id,territorio,tema\r\n1,OOAD-01,\"sin cerrar\r\n";
    assert_null (dashboard_snapshot_new (unclosed, strlen (unclosed), COLUMNS, 3, 0));
    const char *missing = "id,territorio\r\n1,OOAD-01\r\n";
    assert_null (dashboard_snapshot_new (missing, strlen (missing), COLUMNS, 3, 0));
    const char *header_only = "id,territorio,tema\r\n";
    dashboard_snapshot_t *empty = dashboard_snapshot_new (header_only, strlen (header_only), COLUMNS, 3, 0);
    assert_non_null (empty);
    assert_int_equal (dashboard_snapshot_rows (empty), 0);
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    selection.order = 0;
    assert_rows (empty, &selection, "");
    dashboard_snapshot_destroy (&empty);
}

static void
test_references_keep_it_alive (void **state)
{
    (void) state;
    dashboard_snapshot_t *first = dashboard_snapshot_new (CSV, strlen (CSV), COLUMNS, COLUMN_COUNT, 0);
    assert_non_null (first);
    dashboard_snapshot_t *second = dashboard_snapshot_ref (first);
    dashboard_snapshot_destroy (&first);
    assert_null (first);
    assert_string_equal (dashboard_snapshot_cell (second, 2, ID), "11");
    dashboard_snapshot_destroy (&second);
}

/* Many rows: the text and the cells grow past their first allocation. */
static void
test_a_large_register (void **state)
{
    (void) state;
    size_t rows = 20000, size = 0;
    char *csv = NULL;
    FILE *out = open_memstream (&csv, &size);
    assert_non_null (out);
    fprintf (out, "id,territorio,tema,impacto,eventos,etapa,unidades\r\n");
    for (size_t i = 0; i < rows; i++)
        fprintf (out, "%zu,OOAD-%02zu,Tema %zu,%zu,%zu,identificacion,UEOD\r\n", i, i % 35 + 1, i, i % 10 + 1, i);
    fclose (out);
    dashboard_snapshot_t *snapshot = dashboard_snapshot_new (csv, size, COLUMNS, COLUMN_COUNT, 0);
    free (csv);
    assert_non_null (snapshot);
    assert_int_equal (dashboard_snapshot_rows (snapshot), rows);
    dashboard_selection_t selection;
    dashboard_selection_init (&selection);
    assert_true (dashboard_selection_require (&selection, TERRITORIO, "OOAD-07"));
    assert_true (dashboard_selection_require (&selection, IMPACTO, "7"));
    selection.order = EVENTOS;
    selection.direction = -1;
    size_t count = 0;
    uint32_t *found = dashboard_snapshot_select (snapshot, &selection, &count);
    assert_non_null (found);
    /* i % 35 == 6 and i % 10 == 6: i ≡ 6 (mod 70), 286 of them below 20,000; the largest 19,956 */
    assert_int_equal (count, 286);
    assert_int_equal (found[0], 19956);
    assert_int_equal (found[count - 1], 6);
    free (found);
    dashboard_snapshot_destroy (&snapshot);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_the_csv_is_read_with_its_quotes, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_filters_combine, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_numbers_match_as_numbers, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_a_unit_is_one_of_the_listed, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_an_accounts_units_share_one_with_the_row, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_text_sorts_byte_by_byte, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_ties_keep_the_register_order_both_ways, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_empty_cells_last_ascending_first_descending, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_filter_then_sort, set_up, tear_down),
        cmocka_unit_test (test_a_bad_register_is_refused),
        cmocka_unit_test (test_references_keep_it_alive),
        cmocka_unit_test (test_a_large_register),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
