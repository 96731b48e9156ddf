/*  test_redis_lent — mot_redis's lent replies (mot_redis_read_lent)
 *  against a throwaway redis-server: a pipeline of 5,000 HGETALLs read lent
 *  gives every hash's fields and values as stored; lent and hiredis reads
 *  mixed in one pipeline, in both orders, each getting its own reply
 *  although the other read ahead; a reply larger than the lent buffer; an
 *  error reply; commands appended but not flushed are sent by the read;
 *  a connection Redis closes gives NULL and the next command reconnects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis_fixture.h"

static int
setup (void **state)
{
    return redis_fixture_setup (state, "return 0");
}

static int
teardown (void **state)
{
    return redis_fixture_teardown (state);
}

static int
flush (void **state)
{
    return redis_fixture_flush (state);
}

static mot_redis_t *
redis_of (void **state)
{
    return redis_fixture_redis (*state);
}

/* Appends one command of `argc` words. */
static void
append (mot_redis_t *redis, int argc, const char **argv)
{
    assert_true (mot_redis_append (redis, argc, argv, NULL));
}

static void
append_hgetall (mot_redis_t *redis, int number)
{
    char key[32];
    snprintf (key, sizeof key, "h:%d", number);
    const char *argv[] = {"HGETALL", key};
    append (redis, 2, argv);
}

static void
append_get (mot_redis_t *redis, const char *key)
{
    const char *argv[] = {"GET", key};
    append (redis, 2, argv);
}

/* Hash h:<n> holds id → "item-<n>" and size → "<n * 7>", and, for odd n, a
 * field with a value of n + 1 bytes ('a'…), so replies differ in size. */
static void
store_hashes (redis_fixture_t *fixture, int count)
{
    for (int n = 0; n < count; n++) {
        char *long_value = malloc ((size_t) n + 2);
        assert_non_null (long_value);
        memset (long_value, 'a' + n % 26, (size_t) n + 1);
        long_value[n + 1] = '\0';
        if (n % 2)
            redis_fixture_run (fixture, "HSET h:%d id item-%d size %d long %s", n, n, n * 7, long_value);
        else
            redis_fixture_run (fixture, "HSET h:%d id item-%d size %d", n, n, n * 7);
        free (long_value);
    }
}

/* The value of `field` in an HGETALL reply, NULL when absent. */
static const char *
field_of (const redisReply *reply, const char *field)
{
    for (size_t i = 0; i + 1 < reply->elements; i += 2)
        if (strcmp (reply->element[i]->str, field) == 0)
            return reply->element[i + 1]->str;
    return NULL;
}

static void
assert_hash (const redisReply *reply, int n)
{
    char id[32], size[32];
    snprintf (id, sizeof id, "item-%d", n);
    snprintf (size, sizeof size, "%d", n * 7);
    assert_non_null (reply);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, n % 2 ? 6 : 4);
    assert_string_equal (field_of (reply, "id"), id);
    assert_string_equal (field_of (reply, "size"), size);
    const char *long_value = field_of (reply, "long");
    if (n % 2) {
        assert_non_null (long_value);
        assert_int_equal (strlen (long_value), (size_t) n + 1);
        assert_int_equal (long_value[n], 'a' + n % 26);
    }
    else
        assert_null (long_value);
}

static void
test_a_pipeline_read_lent (void **state)
{
    mot_redis_t *redis = redis_of (state);
    store_hashes (*state, 5000);
    for (int n = 0; n < 5000; n++)
        append_hgetall (redis, n);
    for (int n = 0; n < 5000; n++)
        assert_hash (mot_redis_read_lent (redis), n);
    /* the connection goes on as usual */
    redis_fixture_check_string (*state, "item-3", "HGET h:3 id");
}

/* hiredis reads 16 KB at a time, so its first read takes replies that
 * follow; lent reads must find them. */
static void
test_hiredis_then_lent (void **state)
{
    mot_redis_t *redis = redis_of (state);
    store_hashes (*state, 400);
    for (int n = 0; n < 400; n++)
        append_hgetall (redis, n);
    redisReply *first = mot_redis_read (redis);
    assert_hash (first, 0);
    freeReplyObject (first);
    for (int n = 1; n < 400; n++)
        assert_hash (mot_redis_read_lent (redis), n);
}

/* A lent read takes all that has come; a hiredis read after it must get
 * the replies that follow, then lent reads again. */
static void
test_lent_then_hiredis_then_lent (void **state)
{
    mot_redis_t *redis = redis_of (state);
    store_hashes (*state, 400);
    for (int n = 0; n < 400; n++)
        append_hgetall (redis, n);
    assert_hash (mot_redis_read_lent (redis), 0);
    for (int n = 1; n < 200; n++) {
        redisReply *reply = mot_redis_read (redis);
        assert_hash (reply, n);
        freeReplyObject (reply);
    }
    for (int n = 200; n < 400; n++)
        assert_hash (mot_redis_read_lent (redis), n);
    /* and a command after lent reads: its own reply */
    redis_fixture_check_string (*state, "item-399", "HGET h:399 id");
}

/* Four megabytes and a bit, in one reply, then a small one. */
static void
test_a_reply_larger_than_the_buffer (void **state)
{
    mot_redis_t *redis = redis_of (state);
    size_t size = 4 * 1024 * 1024 + 3;
    char *value = malloc (size);
    assert_non_null (value);
    for (size_t i = 0; i < size; i++)
        value[i] = (char) ('0' + i % 10);
    const char *set[] = {"SET", "big", value};
    size_t lengths[] = {3, 3, size};
    redisReply *stored = mot_redis_commandv (redis, 3, set, lengths);
    assert_true (mot_reply_ok (stored));
    freeReplyObject (stored);
    redis_fixture_run (*state, "SET small tiny");
    append_get (redis, "big");
    append_get (redis, "small");
    const redisReply *big = mot_redis_read_lent (redis);
    assert_non_null (big);
    assert_int_equal (big->type, REDIS_REPLY_STRING);
    assert_int_equal (big->len, size);
    assert_memory_equal (big->str, value, size);
    const redisReply *small = mot_redis_read_lent (redis);
    assert_non_null (small);
    assert_string_equal (small->str, "tiny");
    free (value);
}

static void
test_an_error_reply_is_a_reply (void **state)
{
    mot_redis_t *redis = redis_of (state);
    redis_fixture_run (*state, "SET text hello");
    const char *argv[] = {"HGETALL", "text"};
    append (redis, 2, argv);
    append_get (redis, "text");
    const redisReply *error = mot_redis_read_lent (redis);
    assert_non_null (error);
    assert_int_equal (error->type, REDIS_REPLY_ERROR);
    assert_non_null (strstr (error->str, "WRONGTYPE"));
    const redisReply *text = mot_redis_read_lent (redis);
    assert_non_null (text);
    assert_string_equal (text->str, "hello");
}

/* Redis closes the connection after QUIT: the read after its +OK finds it
 * closed (NULL), and the next command connects again. */
static void
test_a_closed_connection_gives_null_then_reconnects (void **state)
{
    mot_redis_t *redis = redis_of (state);
    const char *quit[] = {"QUIT"};
    append (redis, 1, quit);
    const redisReply *ok = mot_redis_read_lent (redis);
    assert_non_null (ok);
    assert_int_equal (ok->type, REDIS_REPLY_STATUS);
    assert_string_equal (ok->str, "OK");
    assert_null (mot_redis_read_lent (redis));
    assert_null (mot_redis_read_lent (redis));      /* still no connection: no read */
    redis_fixture_run (*state, "SET after again");
    redis_fixture_check_string (*state, "again", "GET after");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_a_pipeline_read_lent, flush),
        cmocka_unit_test_setup (test_hiredis_then_lent, flush),
        cmocka_unit_test_setup (test_lent_then_hiredis_then_lent, flush),
        cmocka_unit_test_setup (test_a_reply_larger_than_the_buffer, flush),
        cmocka_unit_test_setup (test_an_error_reply_is_a_reply, flush),
        cmocka_unit_test_setup (test_a_closed_connection_gives_null_then_reconnects, flush),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
