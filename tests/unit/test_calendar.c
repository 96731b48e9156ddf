/*  test_calendar — unit tests for mot_calendar (MOT-SPEC §5).
 *
 *  The statutory table and every deadline below were written out by hand
 *  (from a printed calendar), not computed by the code under test.
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

#include "mot_calendar.h"

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

/* Writes `content` to a fresh temporary file; returns its malloc'd path. */
static char *
temp_file_with (const char *content)
{
    char *path = strdup ("/tmp/test_calendar_XXXXXX");
    assert_non_null (path);
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    size_t length = strlen (content);
    assert_int_equal (write (fd, content, length), (ssize_t) length);
    assert_int_equal (close (fd), 0);
    return path;
}

static void
remove_temp_file (char *path)
{
    unlink (path);
    free (path);
}

/* A calendar from `content`; fails the test if it does not load. */
static mot_calendar_t *
calendar_from_text (const char *content)
{
    char *path = temp_file_with (content);
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (path, &error);
    if (!calendar)
        fail_msg ("calendar did not load: %s", error ? error : "(no error)");
    assert_null (error);
    remove_temp_file (path);
    return calendar;
}

/* The error text for a calendar file with `content`, with the temp path
 * replaced by "F"; fails the test if the file loads. */
static char *
calendar_error_for (const char *content)
{
    char *path = temp_file_with (content);
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (path, &error);
    if (calendar)
        fail_msg ("calendar loaded but should not have:\n%s", content);
    assert_non_null (error);
    size_t path_length = strlen (path);
    if (strncmp (error, path, path_length) != 0)
        fail_msg ("error does not start with the file name: %s", error);
    char *relative = malloc (strlen (error) - path_length + 2);
    assert_non_null (relative);
    relative[0] = 'F';
    strcpy (relative + 1, error + path_length);
    free (error);
    remove_temp_file (path);
    return relative;
}

static void
assert_starts_with (const char *text, const char *prefix)
{
    if (strncmp (text, prefix, strlen (prefix)) != 0)
        fail_msg ("\"%s\" does not start with \"%s\"", text, prefix);
}

/* --------------------------------------------------------------------------
 * Statutory days (LFT art. 74), 2024..2030, written out by hand
 */

typedef struct {
    const char *date;
    const char *name;
} holiday_t;

static const holiday_t statutory[] = {
    {"2024-01-01", "Año Nuevo"},
    {"2024-02-05", "Día de la Constitución"},
    {"2024-03-18", "Natalicio de Benito Juárez"},
    {"2024-05-01", "Día del Trabajo"},
    {"2024-09-16", "Día de la Independencia"},
    {"2024-10-01", "Transmisión del Poder Ejecutivo Federal"},
    {"2024-11-18", "Revolución Mexicana"},
    {"2024-12-25", "Navidad"},

    {"2025-01-01", "Año Nuevo"},
    {"2025-02-03", "Día de la Constitución"},
    {"2025-03-17", "Natalicio de Benito Juárez"},
    {"2025-05-01", "Día del Trabajo"},
    {"2025-09-16", "Día de la Independencia"},
    {"2025-11-17", "Revolución Mexicana"},
    {"2025-12-25", "Navidad"},

    {"2026-01-01", "Año Nuevo"},
    {"2026-02-02", "Día de la Constitución"},
    {"2026-03-16", "Natalicio de Benito Juárez"},
    {"2026-05-01", "Día del Trabajo"},
    {"2026-09-16", "Día de la Independencia"},
    {"2026-11-16", "Revolución Mexicana"},
    {"2026-12-25", "Navidad"},

    {"2027-01-01", "Año Nuevo"},
    {"2027-02-01", "Día de la Constitución"},
    {"2027-03-15", "Natalicio de Benito Juárez"},
    {"2027-05-01", "Día del Trabajo"},              /* Saturday */
    {"2027-09-16", "Día de la Independencia"},
    {"2027-11-15", "Revolución Mexicana"},
    {"2027-12-25", "Navidad"},                      /* Saturday */

    {"2028-01-01", "Año Nuevo"},                    /* Saturday */
    {"2028-02-07", "Día de la Constitución"},
    {"2028-03-20", "Natalicio de Benito Juárez"},
    {"2028-05-01", "Día del Trabajo"},
    {"2028-09-16", "Día de la Independencia"},      /* Saturday */
    {"2028-11-20", "Revolución Mexicana"},
    {"2028-12-25", "Navidad"},

    {"2029-01-01", "Año Nuevo"},
    {"2029-02-05", "Día de la Constitución"},
    {"2029-03-19", "Natalicio de Benito Juárez"},
    {"2029-05-01", "Día del Trabajo"},
    {"2029-09-16", "Día de la Independencia"},      /* Sunday */
    {"2029-11-19", "Revolución Mexicana"},
    {"2029-12-25", "Navidad"},

    {"2030-01-01", "Año Nuevo"},
    {"2030-02-04", "Día de la Constitución"},
    {"2030-03-18", "Natalicio de Benito Juárez"},
    {"2030-05-01", "Día del Trabajo"},
    {"2030-09-16", "Día de la Independencia"},
    {"2030-10-01", "Transmisión del Poder Ejecutivo Federal"},
    {"2030-11-18", "Revolución Mexicana"},
    {"2030-12-25", "Navidad"},
};
#define STATUTORY_COUNT (sizeof statutory / sizeof statutory[0])

static void
test_every_statutory_day_2024_to_2030 (void **state)
{
    (void) state;
    for (size_t i = 0; i < STATUTORY_COUNT; i++) {
        const char *name = mot_calendar_statutory_holiday (day_of (statutory[i].date));
        if (!name || strcmp (name, statutory[i].name) != 0)
            fail_msg ("%s: expected \"%s\", got \"%s\"", statutory[i].date, statutory[i].name,
                      name ? name : "(none)");
    }
}

static bool
is_in_statutory_table (mot_day_t day)
{
    for (size_t i = 0; i < STATUTORY_COUNT; i++)
        if (day_of (statutory[i].date) == day)
            return true;
    return false;
}

static void
test_no_other_statutory_day_2024_to_2030 (void **state)
{
    (void) state;
    size_t found = 0;
    for (mot_day_t day = day_of ("2024-01-01"); day <= day_of ("2030-12-31"); day++) {
        if (!mot_calendar_statutory_holiday (day))
            continue;
        found++;
        if (!is_in_statutory_table (day)) {
            char text[MOT_DAY_TEXT_SIZE];
            mot_day_format (day, text);
            fail_msg ("%s is not a statutory rest day", text);
        }
    }
    assert_int_equal (found, STATUTORY_COUNT);
}

static void
test_statutory_days_are_not_business_days (void **state)
{
    (void) state;
    mot_calendar_t *calendar = mot_calendar_new (NULL, NULL);
    assert_non_null (calendar);
    for (size_t i = 0; i < STATUTORY_COUNT; i++) {
        mot_day_t day = day_of (statutory[i].date);
        assert_false (mot_calendar_is_business_day (calendar, day));
        assert_string_equal (mot_calendar_holiday_name (calendar, day), statutory[i].name);
    }
    mot_calendar_destroy (&calendar);
    assert_null (calendar);
}

static void
test_transfer_of_executive_only_every_six_years (void **state)
{
    (void) state;
    mot_calendar_t *calendar = mot_calendar_new (NULL, NULL);
    assert_non_null (calendar);
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2024-10-01")));     /* Tue */
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2030-10-01")));     /* Tue */
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2036-10-01")));     /* Wed */
    assert_string_equal (mot_calendar_statutory_holiday (day_of ("2036-10-01")),
                         "Transmisión del Poder Ejecutivo Federal");
    /* 1 Oct 2025 Wed, 2026 Thu, 2027 Fri, 2029 Mon: ordinary working days. */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2025-10-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-10-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2027-10-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2029-10-01")));
    /* 1 Oct 2028 is a Sunday: no holiday, just a weekend. */
    assert_null (mot_calendar_statutory_holiday (day_of ("2028-10-01")));
    assert_null (mot_calendar_statutory_holiday (day_of ("2018-10-01")));
    mot_calendar_destroy (&calendar);
}

static void
test_first_of_december_is_no_longer_a_holiday (void **state)
{
    (void) state;
    mot_calendar_t *calendar = mot_calendar_new (NULL, NULL);
    assert_non_null (calendar);
    /* 1 Dec 2024 fell on a Sunday: not a holiday (only a weekend), and the
     * Monday after it is a working day. */
    assert_null (mot_calendar_statutory_holiday (day_of ("2024-12-01")));
    assert_null (mot_calendar_holiday_name (calendar, day_of ("2024-12-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2024-12-02")));
    assert_int_equal (mot_calendar_add_business_days (calendar, day_of ("2024-11-29"), 1),
                      day_of ("2024-12-02"));
    /* 1 Dec on weekdays: 2025 Mon, 2026 Tue, 2027 Wed, 2028 Fri, 2030 Sun. */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2025-12-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-12-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2027-12-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2028-12-01")));
    assert_null (mot_calendar_statutory_holiday (day_of ("2030-12-01")));
    mot_calendar_destroy (&calendar);
}

static void
test_weekends_are_never_business_days (void **state)
{
    (void) state;
    mot_calendar_t *calendar = mot_calendar_new (NULL, NULL);
    assert_non_null (calendar);
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2026-04-04")));     /* Sat */
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2026-04-05")));     /* Sun */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-04-06")));      /* Mon */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-04-03")));      /* Fri */
    /* Weekends are not named. */
    assert_null (mot_calendar_holiday_name (calendar, day_of ("2026-04-04")));
    /* A statutory day on a Saturday keeps its name but adds no weekday off. */
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2027-05-01")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2027-04-30")));      /* Fri */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2027-05-03")));      /* Mon */
    /* No substitute weekday for a holiday on Sunday (16 Sep 2029). */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2029-09-17")));
    mot_calendar_destroy (&calendar);
}

/* --------------------------------------------------------------------------
 * Listing a year
 */

typedef struct {
    char lines[64][128];
    size_t count;
} listing_t;

static void
collect_holiday (mot_day_t day, const char *name, void *arg)
{
    listing_t *listing = arg;
    assert_true (listing->count < 64);
    char date[MOT_DAY_TEXT_SIZE];
    mot_day_format (day, date);
    snprintf (listing->lines[listing->count++], 128, "%s\t%s", date, name);
}

static void
assert_listing (mot_calendar_t *calendar, int year, const char *const *expected, size_t count)
{
    listing_t listing = {.count = 0};
    mot_calendar_each_holiday (calendar, year, collect_holiday, &listing);
    for (size_t i = 0; i < count && i < listing.count; i++)
        if (strcmp (listing.lines[i], expected[i]) != 0)
            fail_msg ("%d line %zu: expected \"%s\", got \"%s\"", year, i, expected[i],
                      listing.lines[i]);
    assert_int_equal (listing.count, count);
}

#define ASSERT_LISTING(calendar, year, ...)                                                    \
    do {                                                                                       \
        static const char *const expected_[] = {__VA_ARGS__};                                  \
        assert_listing (calendar, year, expected_, sizeof expected_ / sizeof expected_[0]);   \
    } while (0)

static void
test_each_holiday_lists_weekdays_only (void **state)
{
    (void) state;
    mot_calendar_t *calendar = mot_calendar_new (NULL, NULL);
    assert_non_null (calendar);
    ASSERT_LISTING (calendar, 2024, "2024-01-01\tAño Nuevo", "2024-02-05\tDía de la Constitución",
                    "2024-03-18\tNatalicio de Benito Juárez", "2024-05-01\tDía del Trabajo",
                    "2024-09-16\tDía de la Independencia",
                    "2024-10-01\tTransmisión del Poder Ejecutivo Federal",
                    "2024-11-18\tRevolución Mexicana", "2024-12-25\tNavidad");
    ASSERT_LISTING (calendar, 2027, "2027-01-01\tAño Nuevo", "2027-02-01\tDía de la Constitución",
                    "2027-03-15\tNatalicio de Benito Juárez",
                    "2027-09-16\tDía de la Independencia", "2027-11-15\tRevolución Mexicana");
    ASSERT_LISTING (calendar, 2028, "2028-02-07\tDía de la Constitución",
                    "2028-03-20\tNatalicio de Benito Juárez", "2028-05-01\tDía del Trabajo",
                    "2028-11-20\tRevolución Mexicana", "2028-12-25\tNavidad");
    ASSERT_LISTING (calendar, 2030, "2030-01-01\tAño Nuevo", "2030-02-04\tDía de la Constitución",
                    "2030-03-18\tNatalicio de Benito Juárez", "2030-05-01\tDía del Trabajo",
                    "2030-09-16\tDía de la Independencia",
                    "2030-10-01\tTransmisión del Poder Ejecutivo Federal",
                    "2030-11-18\tRevolución Mexicana", "2030-12-25\tNavidad");
    mot_calendar_destroy (&calendar);
}

static void
test_each_holiday_merges_extra_days (void **state)
{
    (void) state;
    /* Out of order; one on a Saturday; one on Christmas; two without name. */
    mot_calendar_t *calendar = calendar_from_text ("# extra days\n"
                                                   "\n"
                                                   "2026-12-25\tCierre anual\n"
                                                   "2026-11-02\n"
                                                   "2026-04-04\tSábado de Gloria\n"
                                                   "2026-04-03\tViernes Santo\n"
                                                   "2026-05-05\t\n"
                                                   "2026-04-02\tJueves Santo\n"
                                                   "2027-01-04\tCierre anual\n");
    ASSERT_LISTING (calendar, 2026, "2026-01-01\tAño Nuevo", "2026-02-02\tDía de la Constitución",
                    "2026-03-16\tNatalicio de Benito Juárez", "2026-04-02\tJueves Santo",
                    "2026-04-03\tViernes Santo", "2026-05-01\tDía del Trabajo",
                    "2026-05-05\tDía inhábil", "2026-09-16\tDía de la Independencia",
                    "2026-11-02\tDía inhábil", "2026-11-16\tRevolución Mexicana",
                    "2026-12-25\tNavidad");
    assert_string_equal (mot_calendar_holiday_name (calendar, day_of ("2026-12-25")), "Navidad");
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2026-04-04")));
    assert_false (mot_calendar_is_business_day (calendar, day_of ("2027-01-04")));
    assert_string_equal (mot_calendar_holiday_name (calendar, day_of ("2027-01-04")),
                         "Cierre anual");
    mot_calendar_destroy (&calendar);
}

/* --------------------------------------------------------------------------
 * Loading files
 */

static void
test_no_file_and_empty_file_mean_statutory_only (void **state)
{
    (void) state;
    char *error = (char *) "untouched";
    mot_calendar_t *calendar = mot_calendar_new (NULL, &error);
    assert_non_null (calendar);
    assert_null (error);
    mot_calendar_destroy (&calendar);

    calendar = calendar_from_text ("");
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-04-02")));
    ASSERT_LISTING (calendar, 2027, "2027-01-01\tAño Nuevo", "2027-02-01\tDía de la Constitución",
                    "2027-03-15\tNatalicio de Benito Juárez",
                    "2027-09-16\tDía de la Independencia", "2027-11-15\tRevolución Mexicana");
    mot_calendar_destroy (&calendar);

    calendar = calendar_from_text ("# only comments\n\n   \n#2026-04-02\tJueves Santo\n");
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-04-02")));
    mot_calendar_destroy (&calendar);

    calendar = mot_calendar_new ("/dev/null", &error);
    assert_non_null (calendar);
    assert_null (error);
    mot_calendar_destroy (&calendar);
    mot_calendar_destroy (&calendar);     /* destroying NULL is harmless */
    mot_calendar_destroy (NULL);
}

static void
test_lenient_line_endings_and_long_names (void **state)
{
    (void) state;
    /* CRLF, no newline at the end, and a name far longer than any buffer. */
    size_t long_length = 10000;
    char *content = malloc (long_length + 64);
    assert_non_null (content);
    strcpy (content, "2026-04-02\tJueves Santo\r\n2026-04-03\t");
    size_t used = strlen (content);
    memset (content + used, 'x', long_length);
    content[used + long_length] = '\0';
    mot_calendar_t *calendar = calendar_from_text (content);
    free (content);
    assert_string_equal (mot_calendar_holiday_name (calendar, day_of ("2026-04-02")),
                         "Jueves Santo");
    assert_int_equal (strlen (mot_calendar_holiday_name (calendar, day_of ("2026-04-03"))),
                      long_length);
    mot_calendar_destroy (&calendar);
}

static void
test_bad_files_name_the_line (void **state)
{
    (void) state;
    static const struct {
        const char *content;
        const char *prefix;
    } cases[] = {
        {"2026-04-02 Jueves Santo\n", "F:1: "},
        {"# ok\n\n2026-02-30\tNo existe\n", "F:3: "},
        {"2026-04-02\tJueves Santo\nhello\n", "F:2: "},
        {"2026-4-2\tJueves Santo\n", "F:1: "},
        {"2026-04-02x\tJueves Santo\n", "F:1: "},
        {"  2026-04-02\tJueves Santo\n", "F:1: "},
        {"\tJueves Santo\n", "F:1: "},
        {"1899-12-25\tNavidad\n", "F:1: "},
        {"# a\n# b\n# c\n2026-04-02\n2026-04-03\n\n2026-04-02\totra vez\n", "F:7: "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *error = calendar_error_for (cases[i].content);
        assert_starts_with (error, cases[i].prefix);
        assert_true (strlen (error) > strlen (cases[i].prefix));    /* says why */
        free (error);
    }
    /* The duplicate names the first occurrence too. */
    char *error = calendar_error_for ("2026-04-02\n2026-04-02\n");
    assert_string_equal (error, "F:2: 2026-04-02 is already listed at line 1");
    free (error);
}

static void
test_missing_file_is_an_error (void **state)
{
    (void) state;
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new ("/nonexistent/dias.tsv", &error);
    assert_null (calendar);
    assert_non_null (error);
    assert_starts_with (error, "/nonexistent/dias.tsv: ");
    free (error);
    /* A NULL error pointer is allowed and leaks nothing. */
    assert_null (mot_calendar_new ("/nonexistent/dias.tsv", NULL));
    char *path = temp_file_with ("garbage\n");
    assert_null (mot_calendar_new (path, NULL));
    remove_temp_file (path);
}

static void
test_shipped_file_has_holy_week_2024_to_2030 (void **state)
{
    (void) state;
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, &error);
    if (!calendar)
        fail_msg ("shipped calendar does not load: %s", error);
    static const char *const holy_week[][2] = {
        {"2024-03-28", "2024-03-29"}, {"2025-04-17", "2025-04-18"}, {"2026-04-02", "2026-04-03"},
        {"2027-03-25", "2027-03-26"}, {"2028-04-13", "2028-04-14"}, {"2029-03-29", "2029-03-30"},
        {"2030-04-18", "2030-04-19"},
    };
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal (mot_calendar_holiday_name (calendar, day_of (holy_week[i][0])),
                             "Jueves Santo");
        assert_string_equal (mot_calendar_holiday_name (calendar, day_of (holy_week[i][1])),
                             "Viernes Santo");
    }
    /* Nothing else: the listing is the statutory weekdays plus holy week. */
    ASSERT_LISTING (calendar, 2026, "2026-01-01\tAño Nuevo", "2026-02-02\tDía de la Constitución",
                    "2026-03-16\tNatalicio de Benito Juárez", "2026-04-02\tJueves Santo",
                    "2026-04-03\tViernes Santo", "2026-05-01\tDía del Trabajo",
                    "2026-09-16\tDía de la Independencia", "2026-11-16\tRevolución Mexicana",
                    "2026-12-25\tNavidad");
    /* 2 Nov and 12 Dec are not shipped as data. */
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2026-11-02")));
    assert_true (mot_calendar_is_business_day (calendar, day_of ("2025-12-12")));
    mot_calendar_destroy (&calendar);
}

/* --------------------------------------------------------------------------
 * Deadlines, counted by hand
 */

typedef struct {
    const char *from;
    int n;
    const char *empty_file;     /* expected with statutory days only */
    const char *shipped_file;   /* expected with the shipped extra days */
} deadline_t;

static const deadline_t deadlines[] = {
    /* 10 bd after the close of March 2026: April 1, 6-10, 13-16 (Jueves and
     * Viernes Santo 2-3 Apr off) with the shipped file; April 1-3, 6-10,
     * 13-14 without it. */
    {"2026-03-31", 10, "2026-04-14", "2026-04-16"},
    {"2026-03-31", 5, "2026-04-07", "2026-04-09"},
    {"2026-03-31", 1, "2026-04-01", "2026-04-01"},
    {"2026-03-31", 2, "2026-04-02", "2026-04-06"},
    /* Christmas (Fri) and New Year (Fri 2027): 28, 29, 30, 31 Dec, 4 Jan. */
    {"2026-12-24", 5, "2027-01-04", "2027-01-04"},
    {"2026-12-31", 5, "2027-01-08", "2027-01-08"},
    /* From a Saturday / month ending on a weekend. */
    {"2026-02-28", 5, "2026-03-06", "2026-03-06"},
    {"2026-02-28", 10, "2026-03-13", "2026-03-13"},
    /* Across Natalicio de Benito Juárez, Mon 16 Mar 2026. */
    {"2026-02-28", 15, "2026-03-23", "2026-03-23"},
    /* 1 May 2026 Fri; 5 May not shipped. */
    {"2026-04-30", 5, "2026-05-08", "2026-05-08"},
    /* 16 Sep 2026 Wed. */
    {"2026-08-31", 12, "2026-09-17", "2026-09-17"},
    /* 1 Oct 2024 off, 1 Oct 2025 working. */
    {"2024-09-30", 5, "2024-10-08", "2024-10-08"},
    {"2025-09-30", 5, "2025-10-07", "2025-10-07"},
    {"2030-09-30", 1, "2030-10-02", "2030-10-02"},
    /* 2 Nov working; Revolución Mon 16 Nov 2026. */
    {"2026-10-31", 1, "2026-11-02", "2026-11-02"},
    {"2026-10-31", 12, "2026-11-18", "2026-11-18"},
    /* 1 Dec 2025 Mon is working. */
    {"2025-11-30", 1, "2025-12-01", "2025-12-01"},
    /* Día de la Constitución Mon 1 Feb 2027. */
    {"2027-01-31", 5, "2027-02-08", "2027-02-08"},
    /* Holy week 2027 in March: 25-26 Mar, and 15 Mar Juárez. */
    {"2027-03-12", 10, "2027-03-29", "2027-03-31"},
    /* n == 0 returns the day itself, even on a weekend. */
    {"2026-04-04", 0, "2026-04-04", "2026-04-04"},
    {"2026-04-04", 1, "2026-04-06", "2026-04-06"},
};

static void
check_deadlines (mot_calendar_t *calendar, bool shipped)
{
    for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
        const deadline_t *d = &deadlines[i];
        const char *expected = shipped ? d->shipped_file : d->empty_file;
        mot_day_t due = mot_calendar_add_business_days (calendar, day_of (d->from), d->n);
        char text[MOT_DAY_TEXT_SIZE];
        mot_day_format (due, text);
        if (strcmp (text, expected) != 0)
            fail_msg ("%d bd after %s (%s file): expected %s, got %s", d->n, d->from,
                      shipped ? "shipped" : "empty", expected, text);
        /* And back: it is late by exactly n business days on the due day. */
        assert_int_equal (
            mot_calendar_business_days_between (calendar, day_of (d->from), due), d->n);
    }
}

static void
test_deadlines_with_statutory_days_only (void **state)
{
    (void) state;
    mot_calendar_t *calendar = calendar_from_text ("");
    check_deadlines (calendar, false);
    mot_calendar_destroy (&calendar);
}

static void
test_deadlines_with_shipped_file (void **state)
{
    (void) state;
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, &error);
    if (!calendar)
        fail_msg ("shipped calendar does not load: %s", error);
    check_deadlines (calendar, true);
    mot_calendar_destroy (&calendar);
}

static void
test_after_month_close (void **state)
{
    (void) state;
    mot_calendar_t *empty = mot_calendar_new (NULL, NULL);
    mot_calendar_t *shipped = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, NULL);
    assert_non_null (empty);
    assert_non_null (shipped);
    assert_int_equal (mot_calendar_after_month_close (empty, 2026, 3, 10), day_of ("2026-04-14"));
    assert_int_equal (mot_calendar_after_month_close (shipped, 2026, 3, 10),
                      day_of ("2026-04-16"));
    /* "5 bd after the close of March" is the 5th business day of April. */
    assert_int_equal (mot_calendar_after_month_close (shipped, 2026, 3, 5), day_of ("2026-04-09"));
    /* February in a leap year closes on the 29th (Thu 2024-02-29). */
    assert_int_equal (mot_calendar_after_month_close (empty, 2024, 2, 1), day_of ("2024-03-01"));
    /* December closes into the next year: 1 Jan 2027 Fri is off. */
    assert_int_equal (mot_calendar_after_month_close (empty, 2026, 12, 3), day_of ("2027-01-06"));
    /* 3rd bd after the close of September 2024: 1 Oct off → 2, 3, 4 Oct. */
    assert_int_equal (mot_calendar_after_month_close (empty, 2024, 9, 3), day_of ("2024-10-04"));
    mot_calendar_destroy (&empty);
    mot_calendar_destroy (&shipped);
}

static void
test_business_days_between (void **state)
{
    (void) state;
    mot_calendar_t *empty = mot_calendar_new (NULL, NULL);
    mot_calendar_t *shipped = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, NULL);
    assert_non_null (empty);
    assert_non_null (shipped);
    /* (31 Mar, 14 Apr 2026]: 10 weekdays, 8 without holy Thursday/Friday. */
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-03-31"),
                                                          day_of ("2026-04-14")), 10);
    assert_int_equal (mot_calendar_business_days_between (shipped, day_of ("2026-03-31"),
                                                          day_of ("2026-04-14")), 8);
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-12-24"),
                                                          day_of ("2027-01-04")), 5);
    /* Same day, backwards: 0. */
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-04-14"),
                                                          day_of ("2026-04-14")), 0);
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-04-14"),
                                                          day_of ("2026-04-01")), 0);
    /* Only the weekend in between: Fri → Sun is 0, Fri → Mon is 1. */
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-04-10"),
                                                          day_of ("2026-04-12")), 0);
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-04-10"),
                                                          day_of ("2026-04-13")), 1);
    /* A holiday-only span: (24 Dec, 27 Dec 2026] holds Christmas and a weekend. */
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2026-12-24"),
                                                          day_of ("2026-12-27")), 0);
    /* Whole year 2026 with statutory days only: 261 weekdays - 7 weekday holidays. */
    assert_int_equal (mot_calendar_business_days_between (empty, day_of ("2025-12-31"),
                                                          day_of ("2026-12-31")), 254);
    assert_int_equal (mot_calendar_business_days_between (shipped, day_of ("2025-12-31"),
                                                          day_of ("2026-12-31")), 252);
    mot_calendar_destroy (&empty);
    mot_calendar_destroy (&shipped);
}

/* What is received on a non-business day counts as received on the next
 * business day. */
static void
test_next_business_day (void **state)
{
    (void) state;
    mot_calendar_t *empty = mot_calendar_new (NULL, NULL);
    mot_calendar_t *shipped = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, NULL);
    assert_non_null (empty);
    assert_non_null (shipped);
    struct {
        mot_calendar_t *calendar;
        const char *day, *next;
    } cases[] = {
        {empty, "2026-04-13", "2026-04-13"},    /* a Monday: itself */
        {empty, "2026-04-11", "2026-04-13"},    /* Sat → Mon */
        {empty, "2026-04-12", "2026-04-13"},    /* Sun → Mon */
        {empty, "2026-11-15", "2026-11-17"},    /* Sun → Tue: Mon 16 is the third Monday of November */
        {empty, "2026-12-25", "2026-12-28"},    /* Christmas (Fri) → Mon */
        {empty, "2027-01-01", "2027-01-04"},    /* New Year (Fri) → Mon */
        {empty, "2030-10-01", "2030-10-02"},    /* change of the federal executive (Tue) → Wed */
        {empty, "2026-04-02", "2026-04-02"},    /* Holy Thursday is not statutory */
        {shipped, "2026-04-02", "2026-04-06"},  /* ... but published: Thu, Fri off → Mon */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[MOT_DAY_TEXT_SIZE];
        mot_day_format (mot_calendar_next_business_day (cases[i].calendar, day_of (cases[i].day)), text);
        if (strcmp (text, cases[i].next) != 0)
            fail_msg ("next business day from %s: expected %s, got %s", cases[i].day, cases[i].next, text);
    }
    mot_calendar_destroy (&empty);
    mot_calendar_destroy (&shipped);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_every_statutory_day_2024_to_2030),
        cmocka_unit_test (test_no_other_statutory_day_2024_to_2030),
        cmocka_unit_test (test_statutory_days_are_not_business_days),
        cmocka_unit_test (test_transfer_of_executive_only_every_six_years),
        cmocka_unit_test (test_first_of_december_is_no_longer_a_holiday),
        cmocka_unit_test (test_weekends_are_never_business_days),
        cmocka_unit_test (test_each_holiday_lists_weekdays_only),
        cmocka_unit_test (test_each_holiday_merges_extra_days),
        cmocka_unit_test (test_no_file_and_empty_file_mean_statutory_only),
        cmocka_unit_test (test_lenient_line_endings_and_long_names),
        cmocka_unit_test (test_bad_files_name_the_line),
        cmocka_unit_test (test_missing_file_is_an_error),
        cmocka_unit_test (test_shipped_file_has_holy_week_2024_to_2030),
        cmocka_unit_test (test_deadlines_with_statutory_days_only),
        cmocka_unit_test (test_deadlines_with_shipped_file),
        cmocka_unit_test (test_after_month_close),
        cmocka_unit_test (test_business_days_between),
        cmocka_unit_test (test_next_business_day),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
