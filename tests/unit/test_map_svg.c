/*  test_map_svg — the map renderer's API at its edges (services/reporter/
 *  map_svg.h): scores out of 1..10 refused with nothing added, periods that
 *  are not YYYY-MM refused with nothing changed, NULL everywhere, destroy
 *  twice, ids kept only as needed (ASan and valgrind watch the memory). What
 *  the document shows is checked by parsing it, in tests/e2e/test_map_svg.sh.
 *  "Nothing added" is checked as "renders exactly as a map that never saw
 *  the call".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "map_svg.h"

static char *
rendered (map_svg_t *map)
{
    size_t size = 0;
    char *svg = map_svg_render (map, &size);
    assert_non_null (svg);
    assert_int_equal (size, strlen (svg));
    return svg;
}

static void
assert_same_document (map_svg_t *a, map_svg_t *b)
{
    char *first = rendered (a), *second = rendered (b);
    assert_string_equal (first, second);
    free (first);
    free (second);
}

static void
test_new_and_destroy (void **state)
{
    (void) state;
    map_svg_t *map = map_svg_new (MAP_SVG_MUPOI);
    assert_non_null (map);
    map_svg_destroy (&map);
    assert_null (map);
    map_svg_destroy (&map);                  /* twice: nothing happens */
    map_svg_destroy (NULL);
    assert_null (map_svg_new ((map_svg_kind_t) 7));
}

static void
test_null_self_is_refused (void **state)
{
    (void) state;
    assert_false (map_svg_set_periods (NULL, "2026-11", NULL));
    assert_false (map_svg_set_link (NULL, "/x?"));
    assert_false (map_svg_add_item (NULL, "it-1", 5, 5, 0, 0));
    assert_false (map_svg_add_closed (NULL, "it-1", 5, 5));
    assert_int_equal (map_svg_items (NULL), 0);
    size_t size = 99;
    assert_null (map_svg_render (NULL, &size));
}

/* Both scores 1..10; an earlier position both 0 (none) or both 1..10. */
static void
test_scores_out_of_range_add_nothing (void **state)
{
    (void) state;
    static const int bad[][4] = {
        {0, 5, 0, 0},   {11, 5, 0, 0}, {5, 0, 0, 0},  {5, 11, 0, 0},  {-1, 5, 0, 0}, {5, -1, 0, 0},
        {5, 5, 0, 5},   {5, 5, 5, 0},  {5, 5, 11, 5}, {5, 5, 5, 11},  {5, 5, -1, 5}, {0, 0, 0, 0},
    };
    map_svg_t *map = map_svg_new (MAP_SVG_MURO), *untouched = map_svg_new (MAP_SVG_MURO);
    assert_true (map_svg_set_periods (map, "2026-11", "2026-10"));
    assert_true (map_svg_set_periods (untouched, "2026-11", "2026-10"));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false (map_svg_add_item (map, "it-1", bad[i][0], bad[i][1], bad[i][2], bad[i][3]));
    static const int bad_closed[][2] = {{0, 5}, {5, 0}, {11, 1}, {1, 11}, {0, 0}, {-3, 4}};
    for (size_t i = 0; i < sizeof bad_closed / sizeof bad_closed[0]; i++)
        assert_false (map_svg_add_closed (map, "it-2", bad_closed[i][0], bad_closed[i][1]));
    assert_int_equal (map_svg_items (map), 0);
    assert_same_document (map, untouched);
    map_svg_destroy (&map);
    map_svg_destroy (&untouched);
}

static void
test_scores_at_the_edges_are_taken (void **state)
{
    (void) state;
    map_svg_t *map = map_svg_new (MAP_SVG_MUPOI);
    assert_true (map_svg_add_item (map, "a", 1, 1, 0, 0));
    assert_true (map_svg_add_item (map, "b", 10, 10, 1, 10));
    assert_true (map_svg_add_item (map, "c", 1, 10, 10, 1));
    assert_true (map_svg_add_item (map, NULL, 10, 1, 10, 1));     /* no id: no tooltip */
    assert_true (map_svg_add_closed (map, "d", 10, 10));
    assert_true (map_svg_add_closed (map, NULL, 1, 1));
    assert_int_equal (map_svg_items (map), 4);                    /* closed ones not counted */
    free (rendered (map));
    map_svg_destroy (&map);
}

static void
test_periods_must_be_year_and_month (void **state)
{
    (void) state;
    static const char *const bad[] = {"2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "", "noviembre", "2026/11"};
    map_svg_t *map = map_svg_new (MAP_SVG_MUPOI), *expected = map_svg_new (MAP_SVG_MUPOI);
    assert_true (map_svg_set_periods (map, "2026-11", "2026-10"));
    assert_true (map_svg_set_periods (expected, "2026-11", "2026-10"));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false (map_svg_set_periods (map, bad[i], NULL));
        assert_false (map_svg_set_periods (map, NULL, bad[i]));
        assert_false (map_svg_set_periods (map, "2026-11", bad[i]));
    }
    assert_same_document (map, expected);           /* the refused calls changed nothing */
    assert_true (map_svg_set_periods (map, NULL, NULL));
    assert_true (map_svg_set_periods (map, "1999-01", "2030-12"));
    map_svg_destroy (&map);
    map_svg_destroy (&expected);
}

/* A map's periods and link are replaced by the last call; NULL takes the
 * link away again. */
static void
test_last_setting_wins (void **state)
{
    (void) state;
    map_svg_t *map = map_svg_new (MAP_SVG_MUPOI), *expected = map_svg_new (MAP_SVG_MUPOI);
    assert_true (map_svg_add_item (map, "it-1", 7, 8, 6, 6));
    assert_true (map_svg_add_item (expected, "it-1", 7, 8, 6, 6));
    assert_true (map_svg_set_periods (map, "2026-01", "2025-12"));
    assert_true (map_svg_set_link (map, "/mupoi?periodo=2026-01&"));
    assert_true (map_svg_set_link (map, "/muro?"));
    assert_true (map_svg_set_link (map, NULL));
    assert_true (map_svg_set_periods (map, NULL, NULL));
    assert_same_document (map, expected);
    map_svg_destroy (&map);
    map_svg_destroy (&expected);
}

/* A render does not consume the map, and the size may be left out. */
static void
test_render_twice_and_without_size (void **state)
{
    (void) state;
    map_svg_t *map = map_svg_new (MAP_SVG_MURO);
    assert_true (map_svg_set_periods (map, "2026-11", "2026-10"));
    for (int i = 0; i < 1000; i++)                  /* a dense cell: its ids beyond the dots are not kept */
        assert_true (map_svg_add_item (map, "it-dense", 9, 9, 1 + i % 10, 1 + i / 100));
    for (int i = 0; i < 20; i++)
        assert_true (map_svg_add_closed (map, "it-gone", 2, 2));
    assert_int_equal (map_svg_items (map), 1000);
    char *first = map_svg_render (map, NULL);
    assert_non_null (first);
    assert_memory_equal (first, "<?xml ", 6);
    assert_string_equal (first + strlen (first) - 7, "</svg>\n");
    char *second = rendered (map);
    assert_string_equal (first, second);
    free (first);
    free (second);
    map_svg_destroy (&map);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_new_and_destroy),
        cmocka_unit_test (test_null_self_is_refused),
        cmocka_unit_test (test_scores_out_of_range_add_nothing),
        cmocka_unit_test (test_scores_at_the_edges_are_taken),
        cmocka_unit_test (test_periods_must_be_year_and_month),
        cmocka_unit_test (test_last_setting_wins),
        cmocka_unit_test (test_render_twice_and_without_size),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
