/*  test_catalog — unit tests for mot_catalog: the shipped territory file
 *  (35 OOAD, 25 UMAE; names from MOT-SPEC §2), the shipped ON file (the ON
 *  MOT-SPEC §2 names, plus the DOE), and the errors a bad file gives (NULL,
 *  and a message naming the offending line).
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

#include "mot_catalog.h"

/* Writes `content` to a new temporary file; `path` receives its name. */
static void
write_temp (const char *content, char path[64])
{
    snprintf (path, 64, "/tmp/test_catalog_XXXXXX");
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    size_t length = strlen (content);
    assert_int_equal (write (fd, content, length), (ssize_t) length);
    assert_int_equal (close (fd), 0);
}

static mot_catalog_t *
load_shipped (void)
{
    char *error = NULL;
    mot_catalog_t *catalog = mot_catalog_new (MOT_CATALOG_DEFAULT_FILE, &error);
    if (!catalog)
        fail_msg ("%s", error ? error : "no error text");
    assert_null (error);
    return catalog;
}

/* How many of PREFIX-01..PREFIX-<last> are in the catalogue with `kind`. */
static int
count_kind (mot_catalog_t *catalog, const char *prefix, int last, const char *kind)
{
    int count = 0;
    for (int i = 1; i <= last; i++) {
        char code[16];
        snprintf (code, sizeof code, "%s-%02d", prefix, i);
        const char *found = mot_catalog_kind (catalog, code);
        if (found && strcmp (found, kind) == 0)
            count++;
        else
            print_message ("%s: kind %s, expected %s\n", code, found ? found : "(none)", kind);
    }
    return count;
}

static void
test_shipped_file_has_35_ooad_and_25_umae (void **state)
{
    (void) state;
    mot_catalog_t *catalog = load_shipped ();
    assert_int_equal (count_kind (catalog, "OOAD", 35, "OOAD"), 35);
    assert_int_equal (count_kind (catalog, "UMAE", 25, "UMAE"), 25);
    assert_int_equal (mot_catalog_size (catalog), 60);
    assert_false (mot_catalog_has (catalog, "OOAD-36"));
    assert_false (mot_catalog_has (catalog, "UMAE-26"));
    assert_false (mot_catalog_has (catalog, "OOAD-00"));
    assert_false (mot_catalog_has (catalog, "ooad-15"));
    assert_null (mot_catalog_kind (catalog, "OOAD-36"));
    mot_catalog_destroy (&catalog);
    assert_null (catalog);
}

static void
test_shipped_file_names (void **state)
{
    (void) state;
    mot_catalog_t *catalog = load_shipped ();
    assert_string_equal (mot_catalog_name (catalog, "OOAD-01"), "Aguascalientes");
    assert_string_equal (mot_catalog_name (catalog, "OOAD-09"), "Ciudad de México Norte");
    assert_string_equal (mot_catalog_name (catalog, "OOAD-10"), "Ciudad de México Sur");
    assert_string_equal (mot_catalog_name (catalog, "OOAD-15"), "Jalisco");
    assert_string_equal (mot_catalog_name (catalog, "OOAD-18"), "Michoacán");
    assert_string_equal (mot_catalog_name (catalog, "OOAD-35"), "Zacatecas");
    assert_true (mot_catalog_has (catalog, "UMAE-01"));
    assert_non_null (mot_catalog_name (catalog, "UMAE-25"));
    assert_null (mot_catalog_name (catalog, "OOAD-36"));
    assert_null (mot_catalog_name (catalog, NULL));
    assert_false (mot_catalog_has (catalog, NULL));
    mot_catalog_destroy (&catalog);
}

static void
test_small_file_with_comments_and_blank_lines (void **state)
{
    (void) state;
    char path[64];
    write_temp ("# a comment\n"
                "\n"
                "OOAD-01\tOOAD\tAguascalientes\n"
                "   \n"
                "# UMAE\n"
                "UMAE-03\tUMAE\tHospital de Especialidades CMN Siglo XXI\n"
                "X-1\tOOAD\tNuevo León",   /* last line without a newline */
                path);
    char *error = NULL;
    mot_catalog_t *catalog = mot_catalog_new (path, &error);
    unlink (path);
    assert_non_null (catalog);
    assert_null (error);
    assert_int_equal (mot_catalog_size (catalog), 3);
    assert_string_equal (mot_catalog_kind (catalog, "OOAD-01"), "OOAD");
    assert_string_equal (mot_catalog_kind (catalog, "UMAE-03"), "UMAE");
    assert_string_equal (mot_catalog_name (catalog, "UMAE-03"), "Hospital de Especialidades CMN Siglo XXI");
    assert_string_equal (mot_catalog_name (catalog, "X-1"), "Nuevo León");
    assert_false (mot_catalog_has (catalog, "OOAD-02"));
    mot_catalog_destroy (&catalog);
}

/* Loading `content` with `load` fails, and the error names the path and `line`. */
static void
assert_bad_file_for (mot_catalog_t *(*load) (const char *, char **), const char *content, int line)
{
    char path[64];
    write_temp (content, path);
    char *error = NULL;
    mot_catalog_t *catalog = load (path, &error);
    unlink (path);
    assert_null (catalog);
    assert_non_null (error);
    char colon_form[32], word_form[32];
    snprintf (colon_form, sizeof colon_form, ":%d:", line);
    snprintf (word_form, sizeof word_form, "line %d", line);
    if (!strstr (error, colon_form) && !strstr (error, word_form))
        fail_msg ("error '%s' does not name line %d", error, line);
    if (!strstr (error, path))
        fail_msg ("error '%s' does not name the file %s", error, path);
    free (error);
}

#define assert_bad_file(content, line) assert_bad_file_for (mot_catalog_new, content, line)

static void
test_bad_files_name_the_line (void **state)
{
    (void) state;
    /* Missing tabs. */
    assert_bad_file ("# c\nOOAD-01\tOOAD\tAguascalientes\nOOAD-02 OOAD Baja California\n", 3);
    assert_bad_file ("OOAD-01\tOOAD\n", 1);
    /* A kind other than OOAD or UMAE (case matters). */
    assert_bad_file ("\nOOAD-01\tOOAD\tAguascalientes\nUMAE-01\tumae\tLa Raza\n", 3);
    assert_bad_file ("OOAD-01\tOOD\tAguascalientes\n", 1);
    /* A duplicate code, even with another kind and name. */
    assert_bad_file ("OOAD-01\tOOAD\tAguascalientes\n# c\n\nOOAD-01\tUMAE\tOtro\n", 4);
    /* Empty code or name. */
    assert_bad_file ("OOAD-01\tOOAD\tA\n\tOOAD\tB\n", 2);
    assert_bad_file ("OOAD-01\tOOAD\t\n", 1);
}

static void
test_shipped_on_file (void **state)
{
    (void) state;
    char *error = NULL;
    mot_catalog_t *ons = mot_catalog_new_on (MOT_ON_CATALOG_DEFAULT_FILE, &error);
    if (!ons)
        fail_msg ("%s", error ? error : "no error text");
    /* The ON MOT-SPEC §2 names, and the DOE (the norm's 5.7). */
    const char *codes[] = {"DPM", "DPES", "DIR", "DA", "DF", "DJ", "DIDT", "DPTI", "DOE"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_true (mot_catalog_has (ons, codes[i]));
        assert_string_equal (mot_catalog_kind (ons, codes[i]), "ON");
    }
    assert_int_equal (mot_catalog_size (ons), 9);
    assert_string_equal (mot_catalog_name (ons, "DJ"), "Dirección Jurídica");
    assert_false (mot_catalog_has (ons, "OOAD-15"));
    assert_false (mot_catalog_has (ons, "dj"));
    mot_catalog_destroy (&ons);
}

static void
test_small_on_file_and_bad_ones (void **state)
{
    (void) state;
    char path[64];
    write_temp ("# ON\n\nDA\tDirección de Administración\nX-1\tOtro órgano", path);
    char *error = NULL;
    mot_catalog_t *ons = mot_catalog_new_on (path, &error);
    unlink (path);
    assert_non_null (ons);
    assert_null (error);
    assert_int_equal (mot_catalog_size (ons), 2);
    assert_string_equal (mot_catalog_name (ons, "X-1"), "Otro órgano");
    mot_catalog_destroy (&ons);
    /* A territory line (three columns) is not an ON line; no tab; empty
     * code or name; a duplicate code. */
    assert_bad_file_for (mot_catalog_new_on, "DA\tDirección\nOOAD-01\tOOAD\tAguascalientes\n", 2);
    assert_bad_file_for (mot_catalog_new_on, "DA Dirección de Administración\n", 1);
    assert_bad_file_for (mot_catalog_new_on, "# c\n\tSin código\n", 2);
    assert_bad_file_for (mot_catalog_new_on, "DA\t\n", 1);
    assert_bad_file_for (mot_catalog_new_on, "DA\tUna\nDJ\tOtra\nDA\tOtra vez\n", 3);
    /* And an ON line is not a territory line. */
    assert_bad_file ("DA\tDirección de Administración\n", 1);
}

static void
test_missing_file (void **state)
{
    (void) state;
    char *error = NULL;
    mot_catalog_t *catalog = mot_catalog_new ("/nonexistent/territories.tsv", &error);
    assert_null (catalog);
    assert_non_null (error);
    free (error);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_shipped_file_has_35_ooad_and_25_umae),
        cmocka_unit_test (test_shipped_file_names),
        cmocka_unit_test (test_small_file_with_comments_and_blank_lines),
        cmocka_unit_test (test_bad_files_name_the_line),
        cmocka_unit_test (test_shipped_on_file),
        cmocka_unit_test (test_small_on_file_and_bad_ones),
        cmocka_unit_test (test_missing_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
