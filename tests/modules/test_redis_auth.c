/*  test_redis_auth — mot_redis authenticating as a Redis ACL user
 *  (common/mot_redis.c) against a throwaway redis-server: the password is
 *  the first line of SECRETS/<user>.password (a CRLF or LF line end is not
 *  part of it); a missing or empty file, or a name that is not a user's,
 *  is refused before connecting; a password Redis refuses makes the
 *  connection fail; no secrets folder means no AUTH; a copy and a
 *  reconnection authenticate as the same user.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redis_fixture.h"

#define USER "tester"
#define PASSWORD "s3cret-passw0rd"

typedef struct {
    redis_fixture_t *fixture;
    char secrets[64];           /* a folder of the test's own */
    char *address;              /* the fixture's, "unix:/…" */
} context_t;

static void
write_file (context_t *self, const char *name, const char *content)
{
    char path[256];
    snprintf (path, sizeof path, "%s/%s", self->secrets, name);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    assert_int_equal (fputs (content, file) >= 0, 1);
    assert_int_equal (fclose (file), 0);
}

static void
remove_file (context_t *self, const char *name)
{
    char path[256];
    snprintf (path, sizeof path, "%s/%s", self->secrets, name);
    unlink (path);
}

/* A connection as set up (not yet connected). */
static mot_redis_t *
new_redis (context_t *self)
{
    mot_redis_t *redis = mot_redis_new (self->address);
    assert_non_null (redis);
    return redis;
}

/* Whom Redis says the connection runs as. */
static void
assert_whoami (mot_redis_t *redis, const char *expected)
{
    redisReply *reply = mot_redis_command (redis, "ACL WHOAMI");
    assert_non_null (reply);
    assert_int_equal (reply->type, REDIS_REPLY_STRING);
    assert_string_equal (reply->str, expected);
    freeReplyObject (reply);
}

static void
test_the_first_line_is_the_password (void **state)
{
    context_t *self = *state;
    const char *contents[] = {PASSWORD "\n", PASSWORD "\r\n", PASSWORD, PASSWORD "\nsecond line\n"};
    for (size_t i = 0; i < sizeof contents / sizeof contents[0]; i++) {
        write_file (self, USER ".password", contents[i]);
        mot_redis_t *redis = new_redis (self);
        assert_true (mot_redis_authenticate_as (redis, USER, self->secrets));
        assert_string_equal (mot_redis_user (redis), USER);
        assert_true (mot_redis_connect (redis, 1, 0));
        assert_whoami (redis, USER);
        mot_redis_destroy (&redis);
    }
}

static void
test_a_refused_password_fails_the_connection (void **state)
{
    context_t *self = *state;
    write_file (self, USER ".password", "not-" PASSWORD "\n");
    mot_redis_t *redis = new_redis (self);
    assert_true (mot_redis_authenticate_as (redis, USER, self->secrets));
    assert_false (mot_redis_connect (redis, 2, 10));
    assert_null (mot_redis_command (redis, "PING"));
    mot_redis_destroy (&redis);
}

static void
test_no_usable_password_file_is_refused_before_connecting (void **state)
{
    context_t *self = *state;
    remove_file (self, USER ".password");
    mot_redis_t *redis = new_redis (self);
    assert_false (mot_redis_authenticate_as (redis, USER, self->secrets));
    assert_null (mot_redis_user (redis));
    write_file (self, USER ".password", "");
    assert_false (mot_redis_authenticate_as (redis, USER, self->secrets));
    write_file (self, USER ".password", "\n");
    assert_false (mot_redis_authenticate_as (redis, USER, self->secrets));
    write_file (self, USER ".password", PASSWORD "\n");
    assert_false (mot_redis_authenticate_as (redis, "../" USER, self->secrets));
    assert_false (mot_redis_authenticate_as (redis, "", self->secrets));
    assert_false (mot_redis_authenticate_as (redis, NULL, self->secrets));
    assert_null (mot_redis_user (redis));
    mot_redis_destroy (&redis);
}

static void
test_no_secrets_folder_means_no_auth (void **state)
{
    context_t *self = *state;
    mot_redis_t *redis = new_redis (self);
    assert_true (mot_redis_authenticate_as (redis, USER, ""));
    assert_true (mot_redis_authenticate_as (redis, USER, NULL));
    assert_null (mot_redis_user (redis));
    assert_true (mot_redis_connect (redis, 1, 0));
    assert_whoami (redis, "default");
    mot_redis_destroy (&redis);
}

static void
test_a_copy_and_a_reconnection_are_the_same_user (void **state)
{
    context_t *self = *state;
    write_file (self, USER ".password", PASSWORD "\n");
    mot_redis_t *redis = new_redis (self);
    assert_true (mot_redis_authenticate_as (redis, USER, self->secrets));
    remove_file (self, USER ".password");       /* read once: neither needs it again */
    mot_redis_t *copy = mot_redis_dup (redis);
    assert_non_null (copy);
    assert_string_equal (mot_redis_user (copy), USER);
    assert_string_equal (mot_redis_address (copy), self->address);
    assert_whoami (copy, USER);
    assert_whoami (redis, USER);
    redis_fixture_run (self->fixture, "CLIENT KILL USER %s", USER);
    assert_whoami (redis, USER);                /* the command after a drop reconnects */
    mot_redis_destroy (&copy);
    mot_redis_destroy (&redis);
}

static int
setup (void **state)
{
    signal (SIGPIPE, SIG_IGN);      /* as the services: a write to a killed connection is an error */
    context_t *self = calloc (1, sizeof *self);
    if (!self || redis_fixture_setup ((void **) &self->fixture, "return 0") != 0)
        return -1;
    snprintf (self->secrets, sizeof self->secrets, "/tmp/mot-redis-auth.XXXXXX");
    const redisReply *socket = NULL;
    if (!mkdtemp (self->secrets))
        return -1;
    socket = redis_fixture_query (self->fixture, "CONFIG GET unixsocket");
    if (socket->type != REDIS_REPLY_ARRAY || socket->elements != 2)
        return -1;
    size_t size = strlen (socket->element[1]->str) + sizeof "unix:";
    self->address = malloc (size);
    if (!self->address)
        return -1;
    snprintf (self->address, size, "unix:%s", socket->element[1]->str);
    redis_fixture_run (self->fixture, "ACL SETUSER %s on >%s ~* +@all", USER, PASSWORD);
    *state = self;
    return 0;
}

static int
teardown (void **state)
{
    context_t *self = *state;
    if (!self)
        return 0;
    remove_file (self, USER ".password");
    rmdir (self->secrets);
    free (self->address);
    int rc = redis_fixture_teardown ((void **) &self->fixture);
    free (self);
    return rc;
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_the_first_line_is_the_password),
        cmocka_unit_test (test_a_refused_password_fails_the_connection),
        cmocka_unit_test (test_no_usable_password_file_is_refused_before_connecting),
        cmocka_unit_test (test_no_secrets_folder_means_no_auth),
        cmocka_unit_test (test_a_copy_and_a_reconnection_are_the_same_user),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
