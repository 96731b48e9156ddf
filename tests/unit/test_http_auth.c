/*  test_http_auth — the dashboard's accounts file (http_auth): the three
 *  columns it had before issue #12 (every unit, every register), the five
 *  columns that carry a certificate's role, units and registers, the lines
 *  refused, and a change of the file reaching a live session. Hashes are
 *  made here with crypt_r (SHA-512, a fixed salt); what each account may
 *  see is written by hand from http_auth.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http_auth.h"
#include "mot_log.h"

#include <crypt.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOW 1790000000

typedef struct {
    char dir[64];
    char path[96];
    char hash[160];
} fixture_t;

static int
set_up (void **state)
{
    fixture_t *fixture = calloc (1, sizeof *fixture);
    if (!fixture)
        return -1;
    snprintf (fixture->dir, sizeof fixture->dir, "/tmp/test_http_auth.XXXXXX");
    if (!mkdtemp (fixture->dir))
        return -1;
    snprintf (fixture->path, sizeof fixture->path, "%s/accounts.tsv", fixture->dir);
    struct crypt_data data;
    memset (&data, 0, sizeof data);
    const char *hash = crypt_r ("secreto", "$6$test.salt$", &data);
    if (!hash || hash[0] == '*')
        return -1;
    snprintf (fixture->hash, sizeof fixture->hash, "%s", hash);
    *state = fixture;
    return 0;
}

static int
tear_down (void **state)
{
    fixture_t *fixture = *state;
    unlink (fixture->path);
    rmdir (fixture->dir);
    free (fixture);
    return 0;
}

/* Writes the accounts file: each line's "HASH" replaced by the hash of
 * "secreto"; `second` moves its modification time on by that many seconds. */
static void
write_accounts (fixture_t *fixture, const char *const *lines, int second)
{
    FILE *file = fopen (fixture->path, "w");
    assert_non_null (file);
    for (size_t i = 0; lines[i]; i++) {
        const char *mark = strstr (lines[i], "HASH");
        if (mark)
            fprintf (file, "%.*s%s%s\n", (int) (mark - lines[i]), lines[i], fixture->hash, mark + 4);
        else
            fprintf (file, "%s\n", lines[i]);
    }
    assert_int_equal (fclose (file), 0);
    struct timespec times[2] = {{1700000000 + second, 0}, {1700000000 + second, 0}};
    assert_int_equal (utimensat (AT_FDCWD, fixture->path, times, 0), 0);
}

/* The accounts of `lines` (write_accounts), read by a new http_auth. */
static http_auth_t *
auth_of (fixture_t *fixture, const char *const *lines)
{
    write_accounts (fixture, lines, 0);
    http_auth_t *auth = http_auth_new (fixture->path);
    assert_non_null (auth);
    return auth;
}

/* The account `name` signs in with "secreto"; NULL when it cannot. */
static const http_account_t *
sign_in (http_auth_t *auth, const char *name, char *token)
{
    if (!http_auth_login (auth, name, "secreto", NOW, token))
        return NULL;
    return http_auth_session (auth, token, NOW + 1);
}

static void
test_three_columns_see_everything (void **state)
{
    fixture_t *fixture = *state;
    const char *lines[] = {"# before issue #12", "ana\tHASH\tanalista", "tere\tHASH\ttdoe", NULL};
    http_auth_t *auth = auth_of (fixture, lines);
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    const http_account_t *account = sign_in (auth, "ana", token);
    assert_non_null (account);
    assert_string_equal (account->name, "ana");
    assert_string_equal (account->role, "analista");
    assert_int_equal (account->units, MOT_GRANT_ALL);
    assert_int_equal (account->registers, MOT_GRANT_ALL);
    account = sign_in (auth, "tere", token);
    assert_non_null (account);
    assert_string_equal (account->role, "tdoe");
    assert_int_equal (account->units, MOT_GRANT_ALL);
    http_auth_destroy (&auth);
}

static void
test_five_columns_carry_units_and_registers (void **state)
{
    fixture_t *fixture = *state;
    const char *lines[] = {"uad\tHASH\tviewer\tUAD,CV\tmupoi,maps", "capsoi\tHASH\tanalyst\t*\t*", NULL};
    http_auth_t *auth = auth_of (fixture, lines);
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    const http_account_t *account = sign_in (auth, "uad", token);
    assert_non_null (account);
    assert_string_equal (account->role, "viewer");
    assert_true (mot_grant_has_any_unit (account->units, "UAD"));
    assert_true (mot_grant_has_any_unit (account->units, "CV"));
    assert_false (mot_grant_has_any_unit (account->units, "UEOD"));
    assert_false (mot_grant_has_any_unit (account->units, "CAPSOI"));
    assert_true (mot_grant_has_register (account->registers, MOT_REGISTER_MUPOI));
    assert_true (mot_grant_has_register (account->registers, MOT_REGISTER_MAPS));
    assert_false (mot_grant_has_register (account->registers, MOT_REGISTER_MURO));
    assert_false (mot_grant_has_register (account->registers, MOT_REGISTER_REPORTS));
    account = sign_in (auth, "capsoi", token);
    assert_non_null (account);
    assert_string_equal (account->role, "analyst");
    assert_int_equal (account->units, MOT_GRANT_ALL);
    assert_int_equal (account->registers, MOT_GRANT_ALL);
    http_auth_destroy (&auth);
}

static void
test_malformed_lines_are_skipped (void **state)
{
    fixture_t *fixture = *state;
    const char *lines[] = {
        "four\tHASH\tviewer\tUEOD",                        /* four columns */
        "six\tHASH\tviewer\tUEOD\tmupoi\textra",           /* six */
        "upstream\tHASH\tupstream\tUAD\tmupoi",           /* a program's role */
        "service\tHASH\tservice\t*\t*",
        "nada\tHASH\tanalista\tUEOD\tmupoi",               /* an old word with units */
        "badunit\tHASH\tviewer\tUEOD,XX\tmupoi",
        "nounit\tHASH\tviewer\t\tmupoi",
        "badreg\tHASH\tviewer\tUEOD\tmupoi,informe",
        "noreg\tHASH\tviewer\tUEOD\t",
        "plain\tsecreto\tviewer\tUEOD\tmupoi",             /* a password, not a hash */
        "good\tHASH\tviewer\tUEOD\tmupoi",
        NULL};
    http_auth_t *auth = auth_of (fixture, lines);
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    const char *refused[] = {"four", "six", "upstream", "service", "nada", "badunit", "nounit", "badreg", "noreg",
                             "plain"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_null (sign_in (auth, refused[i], token));
    assert_false (http_auth_login (auth, "plain", "secreto", NOW, token));
    assert_non_null (sign_in (auth, "good", token));
    http_auth_destroy (&auth);
}

static void
test_a_change_reaches_a_live_session (void **state)
{
    fixture_t *fixture = *state;
    const char *before[] = {"uad\tHASH\tviewer\tUAD\tmupoi", NULL};
    http_auth_t *auth = auth_of (fixture, before);
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    const http_account_t *account = sign_in (auth, "uad", token);
    assert_non_null (account);
    assert_false (mot_grant_has_register (account->registers, MOT_REGISTER_MURO));

    const char *after[] = {"uad\tHASH\tviewer\tUAD,UEOD\tmupoi,muro", NULL};
    write_accounts (fixture, after, 10);
    account = http_auth_session (auth, token, NOW + 2);
    assert_non_null (account);
    assert_true (mot_grant_has_register (account->registers, MOT_REGISTER_MURO));
    assert_true (mot_grant_has_any_unit (account->units, "UEOD"));

    const char *gone[] = {"otra\tHASH\tviewer\t*\t*", NULL};
    write_accounts (fixture, gone, 20);
    assert_null (http_auth_session (auth, token, NOW + 3));
    http_auth_destroy (&auth);
}

int
main (void)
{
    mot_log_init ("test_http_auth", "error");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_three_columns_see_everything, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_five_columns_carry_units_and_registers, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_malformed_lines_are_skipped, set_up, tear_down),
        cmocka_unit_test_setup_teardown (test_a_change_reaches_a_live_session, set_up, tear_down),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
