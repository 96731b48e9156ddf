/*  test_resp — unit tests for mot_resp, Redis's protocol read in place:
 *  every kind of reply written by hand in RESP2 and what it must give
 *  (type, text, length, integer, elements), strings NUL-terminated inside
 *  the buffer (binary-safe: a CRLF or a NUL inside a bulk string stays), a
 *  reply cut anywhere asks for more and leaves the bytes untouched, two
 *  replies back to back, and what is refused (a bad number, a length
 *  below -1, a bulk not followed by CRLF, an unknown type, too deep).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mot_resp.h"

static int
setup (void **state)
{
    *state = mot_resp_new ();
    return *state ? 0 : -1;
}

static int
teardown (void **state)
{
    mot_resp_t *parser = *state;
    mot_resp_destroy (&parser);
    return 0;
}

/* A writable copy of `size` bytes (the parser writes its NULs into it). */
static char *
copy_of (const char *bytes, size_t size)
{
    char *copy = malloc (size ? size : 1);
    assert_non_null (copy);
    memcpy (copy, bytes, size);
    return copy;
}

/* Parses the whole of `text` as one reply; the reply, its buffer in *buffer. */
static redisReply *
parse_whole (mot_resp_t *parser, const char *text, size_t size, char **buffer)
{
    *buffer = copy_of (text, size);
    size_t used = 0;
    redisReply *reply = NULL;
    assert_int_equal (mot_resp_parse (parser, *buffer, size, &used, &reply), MOT_RESP_DONE);
    assert_int_equal (used, size);
    assert_non_null (reply);
    return reply;
}

static void
assert_string_reply (const redisReply *reply, int type, const char *bytes, size_t length)
{
    assert_int_equal (reply->type, type);
    assert_int_equal (reply->len, length);
    assert_memory_equal (reply->str, bytes, length);
    assert_int_equal (reply->str[length], '\0');
}

static void
test_each_kind_of_reply (void **state)
{
    mot_resp_t *parser = *state;
    char *buffer;
    redisReply *reply = parse_whole (parser, "+OK\r\n", 5, &buffer);
    assert_string_reply (reply, REDIS_REPLY_STATUS, "OK", 2);
    assert_ptr_equal (reply->str, buffer + 1);          /* in place, not copied */
    free (buffer);
    reply = parse_whole (parser, "-WRONGTYPE Operation\r\n", 22, &buffer);
    assert_string_reply (reply, REDIS_REPLY_ERROR, "WRONGTYPE Operation", 19);
    free (buffer);
    reply = parse_whole (parser, ":-42\r\n", 6, &buffer);
    assert_int_equal (reply->type, REDIS_REPLY_INTEGER);
    assert_int_equal (reply->integer, -42);
    free (buffer);
    reply = parse_whole (parser, "$5\r\nhello\r\n", 11, &buffer);
    assert_string_reply (reply, REDIS_REPLY_STRING, "hello", 5);
    assert_ptr_equal (reply->str, buffer + 4);
    free (buffer);
    reply = parse_whole (parser, "$0\r\n\r\n", 6, &buffer);
    assert_string_reply (reply, REDIS_REPLY_STRING, "", 0);
    free (buffer);
    reply = parse_whole (parser, "$-1\r\n", 5, &buffer);
    assert_int_equal (reply->type, REDIS_REPLY_NIL);
    free (buffer);
    reply = parse_whole (parser, "*-1\r\n", 5, &buffer);
    assert_int_equal (reply->type, REDIS_REPLY_NIL);
    free (buffer);
    reply = parse_whole (parser, "*0\r\n", 4, &buffer);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, 0);
    free (buffer);
}

static void
test_integers_at_the_ends_of_long_long (void **state)
{
    mot_resp_t *parser = *state;
    char *buffer;
    redisReply *reply = parse_whole (parser, ":-9223372036854775808\r\n", 23, &buffer);
    assert_true (reply->integer == LLONG_MIN);
    free (buffer);
    reply = parse_whole (parser, ":9223372036854775807\r\n", 22, &buffer);
    assert_true (reply->integer == LLONG_MAX);
    free (buffer);
    reply = parse_whole (parser, ":0\r\n", 4, &buffer);
    assert_int_equal (reply->integer, 0);
    free (buffer);
}

/* What HGETALL answers: field, value, field, value. */
static void
test_a_hash_as_hgetall_answers_it (void **state)
{
    mot_resp_t *parser = *state;
    const char text[] = "*4\r\n$2\r\nid\r\n$4\r\nit-1\r\n$4\r\nkind\r\n$12\r\nproblematica\r\n";
    char *buffer;
    redisReply *reply = parse_whole (parser, text, sizeof text - 1, &buffer);
    assert_int_equal (reply->type, REDIS_REPLY_ARRAY);
    assert_int_equal (reply->elements, 4);
    assert_string_reply (reply->element[0], REDIS_REPLY_STRING, "id", 2);
    assert_string_reply (reply->element[1], REDIS_REPLY_STRING, "it-1", 4);
    assert_string_reply (reply->element[2], REDIS_REPLY_STRING, "kind", 4);
    assert_string_reply (reply->element[3], REDIS_REPLY_STRING, "problematica", 12);
    assert_string_equal (reply->element[3]->str, "problematica");    /* usable as a C string */
    free (buffer);
}

static void
test_nested_arrays_of_every_kind (void **state)
{
    mot_resp_t *parser = *state;
    const char text[] = "*4\r\n:1\r\n*3\r\n+a\r\n$-1\r\n*0\r\n-E\r\n*1\r\n*1\r\n$1\r\nz\r\n";
    char *buffer;
    redisReply *reply = parse_whole (parser, text, sizeof text - 1, &buffer);
    assert_int_equal (reply->elements, 4);
    assert_int_equal (reply->element[0]->integer, 1);
    redisReply *inner = reply->element[1];
    assert_int_equal (inner->type, REDIS_REPLY_ARRAY);
    assert_int_equal (inner->elements, 3);
    assert_string_reply (inner->element[0], REDIS_REPLY_STATUS, "a", 1);
    assert_int_equal (inner->element[1]->type, REDIS_REPLY_NIL);
    assert_int_equal (inner->element[2]->type, REDIS_REPLY_ARRAY);
    assert_int_equal (inner->element[2]->elements, 0);
    assert_string_reply (reply->element[2], REDIS_REPLY_ERROR, "E", 1);
    assert_int_equal (reply->element[3]->elements, 1);
    assert_string_reply (reply->element[3]->element[0]->element[0], REDIS_REPLY_STRING, "z", 1);
    free (buffer);
}

/* Bulk strings are binary-safe: a CRLF or a NUL inside is kept, and the
 * length says where they end. */
static void
test_bulk_strings_are_binary_safe (void **state)
{
    mot_resp_t *parser = *state;
    const char text[] = "*2\r\n$4\r\na\r\nb\r\n$3\r\nx\0y\r\n";
    char *buffer;
    redisReply *reply = parse_whole (parser, text, sizeof text - 1, &buffer);
    assert_string_reply (reply->element[0], REDIS_REPLY_STRING, "a\r\nb", 4);
    assert_string_reply (reply->element[1], REDIS_REPLY_STRING, "x\0y", 3);
    free (buffer);
    /* a status line ends at the first CRLF, a lone CR is part of it (as in hiredis) */
    reply = parse_whole (parser, "+a\rb\r\n", 6, &buffer);
    assert_string_reply (reply, REDIS_REPLY_STATUS, "a\rb", 3);
    free (buffer);
}

/* Every cut of a reply, anywhere, asks for more and leaves the bytes as
 * they were (a later parse of the whole sees them intact). */
static void
test_a_cut_reply_asks_for_more_and_changes_nothing (void **state)
{
    mot_resp_t *parser = *state;
    const char text[] = "*3\r\n$5\r\nhello\r\n*2\r\n:7\r\n+OK\r\n$-1\r\n";
    size_t size = sizeof text - 1;
    for (size_t cut = 0; cut < size; cut++) {
        char *buffer = copy_of (text, cut);
        size_t used = 99;
        redisReply *reply = (redisReply *) &used;
        assert_int_equal (mot_resp_parse (parser, buffer, cut, &used, &reply), MOT_RESP_MORE);
        assert_int_equal (used, 99);
        assert_ptr_equal (reply, (redisReply *) &used);
        assert_memory_equal (buffer, text, cut);
        free (buffer);
    }
    char *buffer;
    redisReply *reply = parse_whole (parser, text, size, &buffer);
    assert_string_reply (reply->element[0], REDIS_REPLY_STRING, "hello", 5);
    assert_int_equal (reply->element[1]->element[0]->integer, 7);
    free (buffer);
}

/* Replies back to back: each parse takes one and says how many bytes. */
static void
test_replies_back_to_back (void **state)
{
    mot_resp_t *parser = *state;
    const char text[] = "$3\r\none\r\n*1\r\n$3\r\ntwo\r\n:3\r\n";
    char *buffer = copy_of (text, sizeof text - 1);
    size_t at = 0, used;
    redisReply *reply;
    assert_int_equal (mot_resp_parse (parser, buffer, sizeof text - 1, &used, &reply), MOT_RESP_DONE);
    assert_int_equal (used, 9);
    assert_string_equal (reply->str, "one");
    at += used;
    assert_int_equal (mot_resp_parse (parser, buffer + at, sizeof text - 1 - at, &used, &reply), MOT_RESP_DONE);
    assert_int_equal (used, 13);
    assert_string_equal (reply->element[0]->str, "two");
    at += used;
    assert_int_equal (mot_resp_parse (parser, buffer + at, sizeof text - 1 - at, &used, &reply), MOT_RESP_DONE);
    assert_int_equal (used, 4);
    assert_int_equal (reply->integer, 3);
    free (buffer);
}

/* A large reply after small ones: the parser makes room for its nodes. */
static void
test_a_large_array (void **state)
{
    mot_resp_t *parser = *state;
    size_t count = 5000, size = 0;
    char *text = malloc (16 + count * 16);
    assert_non_null (text);
    size += (size_t) sprintf (text, "*%zu\r\n", count);
    for (size_t i = 0; i < count; i++)
        size += (size_t) sprintf (text + size, "$%d\r\n%zu\r\n", i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4, i);
    size_t used;
    redisReply *reply;
    assert_int_equal (mot_resp_parse (parser, text, size, &used, &reply), MOT_RESP_DONE);
    assert_int_equal (used, size);
    assert_int_equal (reply->elements, count);
    assert_string_equal (reply->element[0]->str, "0");
    assert_string_equal (reply->element[4999]->str, "4999");
    free (text);
}

/* A declared length costs nothing until its bytes come. */
static void
test_huge_declared_lengths_wait_for_their_bytes (void **state)
{
    mot_resp_t *parser = *state;
    size_t used;
    redisReply *reply;
    char array[] = "*2000000000\r\n:1\r\n";
    assert_int_equal (mot_resp_parse (parser, array, sizeof array - 1, &used, &reply), MOT_RESP_MORE);
    char bulk[] = "$2000000000\r\nabc";
    assert_int_equal (mot_resp_parse (parser, bulk, sizeof bulk - 1, &used, &reply), MOT_RESP_MORE);
}

static void
assert_invalid (mot_resp_t *parser, const char *text)
{
    char *buffer = copy_of (text, strlen (text));
    size_t used;
    redisReply *reply;
    assert_int_equal (mot_resp_parse (parser, buffer, strlen (text), &used, &reply), MOT_RESP_INVALID);
    free (buffer);
}

static void
test_what_is_not_resp_is_refused (void **state)
{
    mot_resp_t *parser = *state;
    assert_invalid (parser, "?what\r\n");                   /* unknown type */
    assert_invalid (parser, ":12a\r\n");                    /* not a number */
    assert_invalid (parser, ":\r\n");
    assert_invalid (parser, ":-\r\n");
    assert_invalid (parser, ":9223372036854775808\r\n");    /* above LLONG_MAX */
    assert_invalid (parser, ":99999999999999999999999\r\n");
    assert_invalid (parser, "$-2\r\n");                     /* lengths below -1 */
    assert_invalid (parser, "*-2\r\n");
    assert_invalid (parser, "$3\r\nabcd\r\n");              /* bulk not followed by CRLF */
    assert_invalid (parser, "*2\r\n$1\r\na\r\n$x\r\n");     /* a bad element spoils the array */
}

/* Up to MOT_RESP_MAX_DEPTH (7) arrays one inside another. */
static void
test_nesting_is_bounded (void **state)
{
    mot_resp_t *parser = *state;
    char text[64] = "";
    for (int i = 0; i < 7; i++)
        strcat (text, "*1\r\n");
    strcat (text, ":5\r\n");
    char *buffer;
    redisReply *reply = parse_whole (parser, text, strlen (text), &buffer);
    for (int i = 0; i < 7; i++)
        reply = reply->element[0];
    assert_int_equal (reply->integer, 5);
    free (buffer);
    memmove (text + 4, text, strlen (text) + 1);
    memcpy (text, "*1\r\n", 4);                             /* eight */
    assert_invalid (parser, text);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_each_kind_of_reply),
        cmocka_unit_test (test_integers_at_the_ends_of_long_long),
        cmocka_unit_test (test_a_hash_as_hgetall_answers_it),
        cmocka_unit_test (test_nested_arrays_of_every_kind),
        cmocka_unit_test (test_bulk_strings_are_binary_safe),
        cmocka_unit_test (test_a_cut_reply_asks_for_more_and_changes_nothing),
        cmocka_unit_test (test_replies_back_to_back),
        cmocka_unit_test (test_a_large_array),
        cmocka_unit_test (test_huge_declared_lengths_wait_for_their_bytes),
        cmocka_unit_test (test_what_is_not_resp_is_refused),
        cmocka_unit_test (test_nesting_is_bounded),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
