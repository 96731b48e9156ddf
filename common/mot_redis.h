/*  mot_redis — the one way every module talks to Redis.
 *
 *  Owns: connecting (host:port, unix:/path, or through Redis Sentinel:
 *  sentinel:HOST:PORT[,HOST:PORT…]/MASTER, mot_redis_address) with retries
 *  and clear errors, following the master after a failover (a connection
 *  error, a READONLY reply or a master that ROLE shows demoted makes the
 *  next command ask the sentinels again, mot_sentinel),
 *  authenticating each connection as the process's Redis ACL user (the
 *  password read from a file, never logged), reconnecting after a failure,
 *  and running Lua scripts by SHA with a reload on NOSCRIPT (Redis forgets
 *  scripts on restart). A NULL reply means the outcome is unknown: callers
 *  retry idempotently.
 */
#ifndef MOT_REDIS_H_INCLUDED
#define MOT_REDIS_H_INCLUDED

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _mot_redis_t mot_redis_t;

/* Does not connect yet. */
mot_redis_t *mot_redis_new (const char *address);
void mot_redis_destroy (mot_redis_t **self_p);
/* Connects, trying `attempts` times `delay_ms` apart (attempts <= 0: forever),
 * logging each failure with the address. */
bool mot_redis_connect (mot_redis_t *self, int attempts, int delay_ms);
const char *mot_redis_address (mot_redis_t *self);

/* Every connection from now on authenticates as `user` (AUTH user
 * password) with the password in SECRETS/<user>.password (its first line;
 * deploy/redis/users.acl lists the users). An empty or NULL `secrets`: no
 * AUTH (a Redis without ACL users). False, logged as
 * redis_password_unreadable with the file and why, when the file cannot be
 * read or is empty: the password itself is never logged. A password Redis
 * refuses is logged redis_auth_failed at each try and counts as Redis
 * being unavailable. */
bool mot_redis_authenticate_as (mot_redis_t *self, const char *user, const char *secrets);
/* The user it authenticates as; NULL when it does not. */
const char *mot_redis_user (mot_redis_t *self);
/* A new, unconnected mot_redis_t on the same address with the same user
 * and password (for a module that needs a connection of its own, e.g. on
 * another thread); NULL when out of memory. */
mot_redis_t *mot_redis_dup (mot_redis_t *self);

/* Runs a command (hiredis format). On a connection error reconnects once and
 * retries. Returns NULL when Redis is unavailable; a Redis error comes back as
 * a REDIS_REPLY_ERROR reply (also logged). Caller frees with freeReplyObject. */
redisReply *mot_redis_command (mot_redis_t *self, const char *format, ...);
redisReply *mot_redis_commandv (mot_redis_t *self, int argc, const char **argv, const size_t *argvlen);

/* A Lua script, loaded lazily. `source` must outlive the script object. */
typedef struct _mot_script_t mot_script_t;
mot_script_t *mot_script_new (const char *source);
void mot_script_destroy (mot_script_t **self_p);
/* EVALSHA with numkeys keys followed by args (argc entries in total,
 * lengths may be NULL for C strings); loads the script on NOSCRIPT. */
redisReply *mot_redis_eval (mot_redis_t *self, mot_script_t *script, int numkeys,
                            int argc, const char **argv, const size_t *argvlen);

/* Pipelining, for batches: append then read replies in order. Reading
 * sends whatever was appended first; flush sends it without reading, so
 * that Redis works while the caller does. */
bool mot_redis_append (mot_redis_t *self, int argc, const char **argv, const size_t *argvlen);
redisReply *mot_redis_read (mot_redis_t *self);
bool mot_redis_flush (mot_redis_t *self);
/* A reply read without an allocation of its own (mot_resp): replies come
 * in large reads into the connection's own buffer and are parsed in place,
 * so a pipeline of thousands of small replies costs neither a malloc and
 * free per element nor hiredis's move of its buffer after each reply. The
 * reply is lent: valid until the next read or command on this connection,
 * never freed by the caller. NULL when Redis is unavailable or answers
 * something that is not RESP (the connection is then dropped, as
 * mot_redis_read does). Mixes with every other read in any order. Meant
 * for many small replies: one large one is better read by
 * mot_redis_read. */
const redisReply *mot_redis_read_lent (mot_redis_t *self);
/* Drops the connection (the next command reconnects): how a pipeline that
 * stopped half-way discards the replies still on their way. */
void mot_redis_disconnect (mot_redis_t *self);
/* A pipelined script call: mot_redis_script_load first, while no reply is
 * pending (it waits for its own); then append its EVALSHA. A NOSCRIPT reply
 * read later (someone flushed the scripts) makes the next load run again:
 * pass every such reply to mot_redis_script_check. */
bool mot_redis_script_load (mot_redis_t *self, mot_script_t *script);
bool mot_redis_append_eval (mot_redis_t *self, mot_script_t *script, int numkeys, int argc, const char **argv,
                            const size_t *argvlen);
void mot_redis_script_check (mot_script_t *script, const redisReply *reply);
/* Whether a reply is Redis's NOSCRIPT error (the script did not run). */
bool mot_reply_is_noscript (const redisReply *reply);

/* Reads `count` things a batch of `batch` at a time, one batch ahead, so
 * that Redis answers the next batch while the caller handles this one:
 * `ask` appends the commands of things [from, to) and returns how many it
 * appended; `take` reads the replies of the `asked` things from `from` on.
 * A batch not asked in full (*unasked set) or a take that fails stops the
 * reading; the connection is then dropped, with the replies still coming.
 * True when every thing was taken. */
typedef size_t (mot_redis_ask_fn) (void *arg, size_t from, size_t to);
typedef bool (mot_redis_take_fn) (void *arg, size_t from, size_t asked);
bool mot_redis_batches (mot_redis_t *self, size_t count, size_t batch, mot_redis_ask_fn *ask, mot_redis_take_fn *take,
                        void *arg, bool *unasked);

/* Durability beyond one Redis (--redis-wait): after a write, wait until
 * `replicas` replicas acknowledge everything this connection has written,
 * for at most `timeout_ms` (WAIT). 0 replicas: off (the default). */
void mot_redis_set_wait (mot_redis_t *self, int replicas, int timeout_ms);
bool mot_redis_waits (mot_redis_t *self);
/* Call right after the write whose result is about to leave the process
 * (an acknowledgement, a dispatch, a published notice): true when waiting
 * is off or enough replicas have it; false, logged redis_wait_short, when
 * fewer acknowledged in time or the connection is gone — the caller must
 * then not let that result out (Redis may lose it in a failover). Never
 * reconnects: a WAIT on a new connection would not cover the old one's
 * writes. Only a write that changed something counts (WAIT waits for the
 * connection's last propagated write). */
bool mot_redis_wait (mot_redis_t *self);

/* Redis's own wall-clock time in unix seconds (false when unavailable). For
 * transport bookkeeping shared by several processes, never business time. */
bool mot_redis_server_time (mot_redis_t *self, int64_t *seconds);

/* Helpers on replies: true when the reply is not NULL and not an error. */
bool mot_reply_ok (const redisReply *reply);
/* The value of `name` in a field/value array (an HGETALL reply, a stream
 * entry's fields); NULL when absent. */
const redisReply *mot_reply_field (const redisReply *pairs, const char *name);

#endif
