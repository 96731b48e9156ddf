/*  store — intake's side of Redis: accept once, remember the hand-off.
 *
 *  Keys (see common/mot_keys.h): mot:dedup:<source>:<external id> → event id
 *  (expires after the dedup window), mot:event:<event id> hash, and the
 *  pending zsets mot:pending:classify / mot:pending:watch (score: last send,
 *  milliseconds of real time — transport bookkeeping, not business time).
 */
#include "store.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: dedup, event counter, pending set.
 * ARGV: envelope, source, type, received_at, sent_ms, event key prefix, dedup ttl (s). */
static const char *accept_lua =
    "local existing = redis.call('GET', KEYS[1])\n"
    "if existing then return {existing, 1} end\n"
    "local id = 'ev-' .. redis.call('INCR', KEYS[2])\n"
    "redis.call('HSET', ARGV[6] .. id, 'envelope', ARGV[1], 'source', ARGV[2], 'type', ARGV[3],\n"
    "           'received_at', ARGV[4])\n"
    "redis.call('SET', KEYS[1], id, 'EX', ARGV[7])\n"
    "redis.call('ZADD', KEYS[3], ARGV[5], id)\n"
    "return {id, 0}\n";

struct _store_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *accept;
    long dedup_seconds;
};

store_t *
store_new (mot_redis_t *redis, long dedup_days)
{
    store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->dedup_seconds = dedup_days * 86400;
    self->accept = mot_script_new (accept_lua);
    if (!self->accept)
        store_destroy (&self);
    return self;
}

void
store_destroy (store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->accept);
    free (*self_p);
    *self_p = NULL;
}

static bool
reply_is_accept_pair (const redisReply *reply)
{
    return mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
           && reply->element[0]->type == REDIS_REPLY_STRING && reply->element[1]->type == REDIS_REPLY_INTEGER;
}

store_result_t
store_accept (store_t *self, const char *source, const char *external_id, const char *type,
              const uint8_t *envelope, size_t size, const char *pending_key, int64_t received_at,
              int64_t sent_ms, char **event_id)
{
    *event_id = NULL;
    char *dedup_key = zsys_sprintf ("%s%s:%s", MOT_KEY_DEDUP_PREFIX, source, external_id);
    char *received_text = zsys_sprintf ("%lld", (long long) received_at);
    char *sent_text = zsys_sprintf ("%lld", (long long) sent_ms);
    char *ttl_text = zsys_sprintf ("%ld", self->dedup_seconds);
    store_result_t result = STORE_UNAVAILABLE;
    if (dedup_key && received_text && sent_text && ttl_text) {
        const char *argv[] = {dedup_key, MOT_KEY_SEQ_EVENT, pending_key, (const char *) envelope, source,
                              type, received_text, sent_text, MOT_KEY_EVENT_PREFIX, ttl_text};
        size_t lengths[10];
        for (int i = 0; i < 10; i++)
            lengths[i] = i == 3 ? size : strlen (argv[i]);
        redisReply *reply = mot_redis_eval (self->redis, self->accept, 3, 10, argv, lengths);
        if (reply_is_accept_pair (reply)) {
            *event_id = strdup (reply->element[0]->str);
            if (*event_id)
                result = reply->element[1]->integer ? STORE_DUPLICATE : STORE_ACCEPTED;
        }
        if (reply)
            freeReplyObject (reply);
    }
    zstr_free (&dedup_key);
    zstr_free (&received_text);
    zstr_free (&sent_text);
    zstr_free (&ttl_text);
    return result;
}

static void
redrive_one (store_t *self, const char *pending_key, const char *event_id, int64_t now_ms,
             store_redrive_fn *fn, void *arg)
{
    redisReply *envelope = mot_redis_command (self->redis, "HGET %s%s envelope", MOT_KEY_EVENT_PREFIX, event_id);
    if (envelope && envelope->type == REDIS_REPLY_STRING) {
        redisReply *touched = mot_redis_command (self->redis, "ZADD %s XX %lld %s", pending_key,
                                                 (long long) now_ms, event_id);
        if (touched)
            freeReplyObject (touched);
        fn (event_id, (const uint8_t *) envelope->str, envelope->len, arg);
    }
    else if (envelope && envelope->type == REDIS_REPLY_NIL) {
        /* The event is gone (expired or deleted by hand): nothing to re-drive. */
        mot_log_warn ("redrive_orphan", "event_id=%s pending=%s", event_id, pending_key);
        redisReply *removed = mot_redis_command (self->redis, "ZREM %s %s", pending_key, event_id);
        if (removed)
            freeReplyObject (removed);
    }
    if (envelope)
        freeReplyObject (envelope);
}

int
store_redrive (store_t *self, const char *pending_key, int64_t older_than_ms, int64_t now_ms, int limit,
               store_redrive_fn *fn, void *arg)
{
    redisReply *due = mot_redis_command (self->redis, "ZRANGEBYSCORE %s -inf (%lld LIMIT 0 %d", pending_key,
                                         (long long) older_than_ms, limit);
    if (!mot_reply_ok (due) || due->type != REDIS_REPLY_ARRAY) {
        if (due)
            freeReplyObject (due);
        return -1;
    }
    int count = 0;
    for (size_t i = 0; i < due->elements; i++)
        if (due->element[i]->type == REDIS_REPLY_STRING) {
            redrive_one (self, pending_key, due->element[i]->str, now_ms, fn, arg);
            count++;
        }
    freeReplyObject (due);
    return count;
}
