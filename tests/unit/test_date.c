/*  test_date — unit tests for mot_date (day numbers, strict parsing, local
 *  time zone UTC-06:00). Expected values were worked out independently of
 *  the code under test (known weekdays, `date -u`).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_date.h"

static void
test_day_numbers_of_known_dates (void **state)
{
    (void) state;
    assert_int_equal (mot_day_from_ymd (1970, 1, 1), 0);
    assert_int_equal (mot_day_from_ymd (1969, 12, 31), -1);
    assert_int_equal (mot_day_from_ymd (2000, 3, 1), 11017);
    assert_int_equal (mot_day_from_ymd (1900, 1, 1), -25567);
    assert_int_equal (mot_day_from_ymd (9999, 12, 31), 2932896);
    assert_int_equal (mot_day_from_ymd (2024, 2, 29), 19782);
    assert_int_equal (mot_day_from_ymd (2026, 3, 31), 20543);
    assert_int_equal (mot_day_from_ymd (2026, 11, 22), 20779);
}

static void
assert_ymd (mot_day_t day, int year, int month, int dom)
{
    int y = 0, m = 0, d = 0;
    mot_day_to_ymd (day, &y, &m, &d);
    assert_int_equal (y, year);
    assert_int_equal (m, month);
    assert_int_equal (d, dom);
}

static void
test_ymd_of_known_day_numbers (void **state)
{
    (void) state;
    assert_ymd (0, 1970, 1, 1);
    assert_ymd (-1, 1969, 12, 31);
    assert_ymd (11017, 2000, 3, 1);
    assert_ymd (11016, 2000, 2, 29);
    assert_ymd (-25567, 1900, 1, 1);
    assert_ymd (2932896, 9999, 12, 31);
    assert_ymd (20779, 2026, 11, 22);
}

/* Walks every day 1900..9999: each next day is the next calendar date. */
static void
test_every_day_follows_the_previous_one (void **state)
{
    (void) state;
    int year = 1900, month = 1, dom = 1;
    mot_day_t last = mot_day_from_ymd (9999, 12, 31);
    for (mot_day_t day = mot_day_from_ymd (1900, 1, 1); day <= last; day++) {
        int y, m, d;
        mot_day_to_ymd (day, &y, &m, &d);
        if (y != year || m != month || d != dom)
            fail_msg ("day %d is %04d-%02d-%02d, expected %04d-%02d-%02d", (int) day, y, m, d,
                      year, month, dom);
        if (mot_day_from_ymd (y, m, d) != day)
            fail_msg ("day %d does not round-trip", (int) day);
        if (++dom > mot_days_in_month (year, month)) {
            dom = 1;
            if (++month > 12) {
                month = 1;
                year++;
            }
        }
    }
}

static void
test_weekdays (void **state)
{
    (void) state;
    assert_int_equal (mot_day_weekday (0), 4);                                  /* Thu */
    assert_int_equal (mot_day_weekday (-1), 3);                                 /* Wed */
    assert_int_equal (mot_day_weekday (mot_day_from_ymd (1900, 1, 1)), 1);      /* Mon */
    assert_int_equal (mot_day_weekday (mot_day_from_ymd (2000, 1, 1)), 6);      /* Sat */
    assert_int_equal (mot_day_weekday (mot_day_from_ymd (2026, 11, 22)), 0);    /* Sun */
    assert_int_equal (mot_day_weekday (mot_day_from_ymd (2026, 11, 23)), 1);    /* Mon */
    assert_int_equal (mot_day_weekday (mot_day_from_ymd (9999, 12, 31)), 5);    /* Fri */
    assert_true (mot_day_is_weekend (mot_day_from_ymd (2026, 4, 4)));
    assert_true (mot_day_is_weekend (mot_day_from_ymd (2026, 4, 5)));
    assert_false (mot_day_is_weekend (mot_day_from_ymd (2026, 4, 3)));
    assert_false (mot_day_is_weekend (mot_day_from_ymd (2026, 4, 6)));
    /* Seven consecutive days cover every weekday once. */
    int seen = 0;
    for (mot_day_t day = -10; day < -3; day++)
        seen |= 1 << mot_day_weekday (day);
    assert_int_equal (seen, 0x7f);
}

static void
test_month_lengths_and_leap_years (void **state)
{
    (void) state;
    assert_int_equal (mot_days_in_month (2024, 2), 29);
    assert_int_equal (mot_days_in_month (2026, 2), 28);
    assert_int_equal (mot_days_in_month (2028, 2), 29);
    assert_int_equal (mot_days_in_month (2000, 2), 29);
    assert_int_equal (mot_days_in_month (1900, 2), 28);
    assert_int_equal (mot_days_in_month (2100, 2), 28);
    assert_int_equal (mot_days_in_month (2026, 1), 31);
    assert_int_equal (mot_days_in_month (2026, 4), 30);
    assert_int_equal (mot_days_in_month (2026, 12), 31);
    assert_int_equal (mot_days_in_month (2026, 0), 0);
    assert_int_equal (mot_days_in_month (2026, 13), 0);
    assert_int_equal (mot_day_last_of_month (2024, 2), mot_day_from_ymd (2024, 2, 29));
    assert_int_equal (mot_day_last_of_month (2026, 3), 20543);
    assert_int_equal (mot_day_last_of_month (2026, 12), mot_day_from_ymd (2026, 12, 31));
}

static void
test_parse_accepts_real_dates (void **state)
{
    (void) state;
    mot_day_t day = -12345;
    assert_true (mot_day_parse ("2026-03-31", &day));
    assert_int_equal (day, 20543);
    assert_true (mot_day_parse ("2024-02-29", &day));
    assert_int_equal (day, 19782);
    assert_true (mot_day_parse ("2000-02-29", &day));
    assert_true (mot_day_parse ("1900-01-01", &day));
    assert_int_equal (day, -25567);
    assert_true (mot_day_parse ("9999-12-31", &day));
    assert_int_equal (day, 2932896);
    assert_true (mot_day_parse ("2026-04-30", &day));
}

static void
test_parse_rejects_anything_else (void **state)
{
    (void) state;
    static const char *bad[] = {
        "2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31",
        "2026-2-3", "2026-02-3", "2026-2-03", "26-02-03", "02026-02-03",
        "2026-02-03x", "2026-02-03 ", " 2026-02-03", "2026-02-03\n", "2026/02/03",
        "2026-02", "", "2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32",
        "1899-12-31", "10000-01-01", "0000-01-01", "+026-01-01", "2026-01-1a",
        "2026-0a-01", "-026-01-01", "2026--1-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mot_day_t day = 777;
        if (mot_day_parse (bad[i], &day))
            fail_msg ("accepted \"%s\"", bad[i]);
        assert_int_equal (day, 777);    /* untouched on failure */
    }
    mot_day_t day;
    assert_false (mot_day_parse (NULL, &day));
}

static void
test_format_round_trips (void **state)
{
    (void) state;
    char text[MOT_DAY_TEXT_SIZE];
    mot_day_format (20543, text);
    assert_string_equal (text, "2026-03-31");
    mot_day_format (mot_day_from_ymd (1900, 1, 1), text);
    assert_string_equal (text, "1900-01-01");
    mot_day_format (mot_day_from_ymd (9999, 12, 31), text);
    assert_string_equal (text, "9999-12-31");
    mot_day_format (mot_day_from_ymd (2024, 2, 29), text);
    assert_string_equal (text, "2024-02-29");
    /* Out of range: an unparseable marker, never a wrong date. */
    mot_day_format (mot_day_from_ymd (9999, 12, 31) + 1, text);
    assert_string_equal (text, "0000-00-00");

    mot_day_t last = mot_day_from_ymd (9999, 12, 31);
    for (mot_day_t day = mot_day_from_ymd (1900, 1, 1); day <= last; day++) {
        mot_day_t parsed;
        mot_day_format (day, text);
        if (strlen (text) != 10 || !mot_day_parse (text, &parsed) || parsed != day)
            fail_msg ("day %d formats as \"%s\" which does not parse back", (int) day, text);
    }
}

static void
test_period_parse (void **state)
{
    (void) state;
    int year = 0, month = 0;
    assert_true (mot_period_parse ("2026-03", &year, &month));
    assert_int_equal (year, 2026);
    assert_int_equal (month, 3);
    assert_true (mot_period_parse ("2026-12", &year, &month));
    assert_int_equal (month, 12);
    static const char *bad[] = {"2026-3", "2026-13", "2026-00", "2026-03-01", "", "2026-03 ",
                                "26-03", "2026/03", "1899-12", "2026-0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mot_period_parse (bad[i], &year, &month))
            fail_msg ("accepted period \"%s\"", bad[i]);
    assert_false (mot_period_parse (NULL, &year, &month));
}

/* Spanish month names, lower case as in a date ("1 de noviembre de 2026"). */
static void
test_period_names (void **state)
{
    (void) state;
    char out[40];
    assert_true (mot_period_name ("2026-11", out, sizeof out));
    assert_string_equal (out, "noviembre de 2026");
    assert_true (mot_period_name ("2027-01", out, sizeof out));
    assert_string_equal (out, "enero de 2027");
    assert_true (mot_period_name ("2026-09", out, sizeof out));
    assert_string_equal (out, "septiembre de 2026");
    assert_false (mot_period_name ("2026-13", out, sizeof out));
    assert_string_equal (out, "");
    assert_false (mot_period_name ("2026-11", out, 8));   /* too small: nothing half written */
    assert_string_equal (out, "");
    assert_string_equal (mot_month_name (12), "diciembre");
    assert_string_equal (mot_month_name (0), "");
}

static void
test_local_day_around_midnight (void **state)
{
    (void) state;
    mot_day_t nov22 = mot_day_from_ymd (2026, 11, 22);
    /* 2026-11-23T05:59:59Z = 1795413599 is 23:59:59 on the 22nd in Mexico City. */
    assert_int_equal (mot_day_local_of (1795413599), nov22);
    assert_int_equal (mot_day_local_of (1795413600), nov22 + 1);
    /* 2026-11-22T06:00:00Z = 1795327200 is local midnight starting the 22nd. */
    assert_int_equal (mot_day_local_of (1795327200), nov22);
    assert_int_equal (mot_day_local_of (1795327199), nov22 - 1);
    /* Before the epoch: floor, not truncation. */
    assert_int_equal (mot_day_local_of (0), -1);            /* 1969-12-31 18:00 local */
    assert_int_equal (mot_day_local_of (21599), -1);
    assert_int_equal (mot_day_local_of (21600), 0);
    assert_int_equal (mot_day_local_of (-1), -1);
    assert_int_equal (mot_day_local_of (-86400 + 21599), -2);
}

static void
test_local_day_start_and_end (void **state)
{
    (void) state;
    mot_day_t nov22 = mot_day_from_ymd (2026, 11, 22);
    assert_int_equal (mot_day_start_local (nov22), 1795327200);
    assert_int_equal (mot_day_end_local (nov22), 1795413599);
    assert_int_equal (mot_day_start_local (0), 21600);
    assert_int_equal (mot_day_end_local (-1), 21599);
    for (mot_day_t day = nov22 - 400; day <= nov22 + 400; day++) {
        assert_int_equal (mot_day_local_of (mot_day_start_local (day)), day);
        assert_int_equal (mot_day_local_of (mot_day_end_local (day)), day);
        assert_int_equal (mot_day_end_local (day) + 1, mot_day_start_local (day + 1));
    }
}

/* Months as numbers: consecutive across a year's end, back to the same
 * year, month and text, and an instant's local month (Mexico City, UTC-6). */
static void
test_month_index (void **state)
{
    (void) state;
    assert_int_equal (mot_month_index (2026, 12) + 1, mot_month_index (2027, 1));
    int index = mot_month_index (2026, 10);
    assert_int_equal (mot_month_index_year (index), 2026);
    assert_int_equal (mot_month_index_month (index), 10);
    assert_int_equal (mot_month_index_month (mot_month_index (2027, 1)), 1);
    char text[16];
    mot_month_index_text (index, text, sizeof text);
    assert_string_equal (text, "2026-10");
    mot_month_index_text (mot_month_index (2026, 12) + 1, text, sizeof text);
    assert_string_equal (text, "2027-01");
    /* 2026-11-01 03:00 UTC is still 31 October in Mexico City */
    assert_int_equal (mot_month_index_local_of (1793502000), mot_month_index (2026, 10));
    assert_int_equal (mot_month_index_local_of (1793502000 + 4 * 3600), mot_month_index (2026, 11));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_day_numbers_of_known_dates),
        cmocka_unit_test (test_ymd_of_known_day_numbers),
        cmocka_unit_test (test_every_day_follows_the_previous_one),
        cmocka_unit_test (test_weekdays),
        cmocka_unit_test (test_period_names),
        cmocka_unit_test (test_month_lengths_and_leap_years),
        cmocka_unit_test (test_parse_accepts_real_dates),
        cmocka_unit_test (test_parse_rejects_anything_else),
        cmocka_unit_test (test_format_round_trips),
        cmocka_unit_test (test_period_parse),
        cmocka_unit_test (test_month_index),
        cmocka_unit_test (test_local_day_around_midnight),
        cmocka_unit_test (test_local_day_start_and_end),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
