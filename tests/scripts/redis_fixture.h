/*  redis_fixture — a throwaway redis-server for the script tests.
 *
 *  Owns: one private redis-server per test program (no TCP port, a unix
 *  socket in a temporary folder, nothing saved), the mot_redis connection to
 *  it, the script under test, emptying the database between tests, stopping
 *  the server and removing its folder; and what the script tests share to
 *  check Redis with plain commands (a value, a reply's integers, a snapshot
 *  of the whole database to compare with later, an entry of the notice log
 *  as the watcher's scripts write it). What it hands a test (the
 *  strings a call borrows, replies, snapshots) it keeps until the next
 *  test, so that a test frees nothing, even one that fails half-way.
 *
 *  A script test is a cmocka group: its group setup calls
 *  redis_fixture_setup with the script's source (<stem>_lua), each test's
 *  setup is redis_fixture_flush, the group teardown redis_fixture_teardown;
 *  *state is the fixture. A test fills a mot_call_t as the script's C
 *  caller does and runs it with redis_fixture_eval.
 */
#ifndef REDIS_FIXTURE_H_INCLUDED
#define REDIS_FIXTURE_H_INCLUDED

#include "mot_call.h"
#include "mot_redis.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct _redis_fixture_t redis_fixture_t;
typedef struct _redis_snapshot_t redis_snapshot_t;

/* cmocka group setup: starts redis-server (found on PATH), waits until it
 * answers PING, connects, and sets *state. Returns -1, saying why on
 * stderr, when it cannot (redis-server missing, not starting). */
int redis_fixture_setup (void **state, const char *script_source);
/* cmocka group teardown: stops the server (SIGTERM, then waits for it),
 * removes its folder, frees everything. -1 when any of it failed. */
int redis_fixture_teardown (void **state);
/* cmocka test setup: FLUSHALL, and frees what the last test kept. */
int redis_fixture_flush (void **state);

mot_redis_t *redis_fixture_redis (redis_fixture_t *self);

/* Takes ownership of malloc'd memory (a key from mot_schema's builders, a
 * formatted argument, an array) until the next test, and returns it; fails
 * the test when it is NULL (out of memory). */
void *redis_fixture_keep (redis_fixture_t *self, void *owned);
/* A formatted string (printf), kept. */
const char *redis_fixture_text (redis_fixture_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

/* Runs the script under test with the call (EVALSHA, as the services do)
 * and frees the call; fails the test, at the test's line, when Redis is
 * unavailable, the call is incomplete or the script raised an error. The
 * reply is kept. */
#define redis_fixture_eval(self, call) redis_fixture_eval_ ((self), (call), __FILE__, __LINE__)
/* The same for a script whose answer is one integer. */
#define redis_fixture_eval_integer(self, call) redis_fixture_eval_integer_ ((self), (call), __FILE__, __LINE__)

/* Fails the test unless `reply` (a script's answer) is an array of exactly
 * these integers (count of them). */
#define redis_fixture_check_integers(reply, count, expected)                   \
    redis_fixture_check_integers_ ((reply), (count), (expected), __FILE__, __LINE__)

/* A copy of every key and its value (DUMP), to compare with later; kept. */
redis_snapshot_t *redis_fixture_snapshot (redis_fixture_t *self);
/* Fails the test unless every key holds what it held in `before`, none
 * went and none came, except the keys named (a NULL-terminated list). */
void redis_fixture_check_unchanged (redis_fixture_t *self, redis_snapshot_t *before, ...)
    __attribute__ ((sentinel));

/* A packed NoticeBatch (proto/mot.proto) of notices with these ids, the
 * bytes a watcher passes its scripts to log; kept, *size set. */
const void *redis_fixture_notice_batch (redis_fixture_t *self, const char *const *ids, size_t count, size_t *size);
/* Fails the test unless the notice log (mot:notices) has the entry
 * "<first>-0" as common/mot_notice_log.h describes it: n = count, `which`
 * ("all" or the indexes held), the batch's bytes whole; and unless
 * mot_log_entry_read finds in it the notices named `ids`, in order, with
 * the seqs first, first + 1, … */
void redis_fixture_check_log_entry (redis_fixture_t *self, unsigned long long first, const char *which,
                                    const void *batch, size_t size, const char *const *ids, size_t count);

/* Plain commands (hiredis format, through the fixture's connection). Each
 * fails the test, naming the command as sent and the test's line, when
 * Redis fails, answers an error, or (the checks) answers anything else
 * than expected. */
/* The reply, kept. */
#define redis_fixture_query(self, ...) redis_fixture_query_ (REDIS_FIXTURE_AT_ (self, __VA_ARGS__))
/* Runs a command for its effect (setting a test's state up). */
#define redis_fixture_run(self, ...) redis_fixture_run_ (REDIS_FIXTURE_AT_ (self, __VA_ARGS__))
/* A string reply equal to `expected` (NULL: a nil reply). */
#define redis_fixture_check_string(self, expected, ...)                        \
    redis_fixture_check_string_ ((expected), REDIS_FIXTURE_AT_ (self, __VA_ARGS__))
/* A string reply holding exactly these bytes. */
#define redis_fixture_check_bytes(self, data, size, ...)                       \
    redis_fixture_check_bytes_ ((data), (size), REDIS_FIXTURE_AT_ (self, __VA_ARGS__))
/* An integer reply. */
#define redis_fixture_check_integer(self, expected, ...)                       \
    redis_fixture_check_integer_ ((expected), REDIS_FIXTURE_AT_ (self, __VA_ARGS__))
/* An array reply of exactly these strings (count of them). */
#define redis_fixture_check_strings(self, count, expected, ...)                \
    redis_fixture_check_strings_ ((count), (expected), REDIS_FIXTURE_AT_ (self, __VA_ARGS__))

/* What the macros above call: a command formatted by hiredis (NULL when it
 * cannot be), run by the functions below, which free it. */
typedef struct _redis_request_t redis_request_t;
redis_request_t *redis_fixture_request_ (const char *format, ...);
#define REDIS_FIXTURE_AT_(self, ...) (self), redis_fixture_request_ (__VA_ARGS__), __FILE__, __LINE__
const redisReply *redis_fixture_keep_reply_ (redis_fixture_t *self, redisReply *reply);
const redisReply *redis_fixture_eval_ (redis_fixture_t *self, mot_call_t *call, const char *file, int line);
long long redis_fixture_eval_integer_ (redis_fixture_t *self, mot_call_t *call, const char *file, int line);
const redisReply *redis_fixture_query_ (redis_fixture_t *self, redis_request_t *request, const char *file, int line);
void redis_fixture_run_ (redis_fixture_t *self, redis_request_t *request, const char *file, int line);
void redis_fixture_check_string_ (const char *expected, redis_fixture_t *self, redis_request_t *request,
                                  const char *file, int line);
void redis_fixture_check_bytes_ (const void *data, size_t size, redis_fixture_t *self, redis_request_t *request,
                                 const char *file, int line);
void redis_fixture_check_integer_ (long long expected, redis_fixture_t *self, redis_request_t *request,
                                   const char *file, int line);
void redis_fixture_check_strings_ (size_t count, const char *const *expected, redis_fixture_t *self,
                                   redis_request_t *request, const char *file, int line);
void redis_fixture_check_integers_ (const redisReply *reply, size_t count, const long long *expected, const char *file,
                                    int line);

#endif
