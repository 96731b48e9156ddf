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

/* The accept step, in accept.lua beside this file: KEYS[1] the event
 * counter; ARGV count, event key prefix, received_at, sent_ms, then per
 * envelope: dedup key, pending set, envelope, source, type. */
#include "accept_lua.h"
#include "redrive_lua.h"

#define ARGS_HEAD 5             /* KEYS[1] + count, prefix, received, sent */
#define ARGS_PER_REQUEST 5

struct _store_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *accept;
    mot_script_t *redrive;
};

store_t *
store_new (mot_redis_t *redis)
{
    store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->accept = mot_script_new (accept_lua);
    self->redrive = mot_script_new (redrive_lua);
    if (!self->accept || !self->redrive)
        store_destroy (&self);
    return self;
}

void
store_destroy (store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->accept);
    mot_script_destroy (&(*self_p)->redrive);
    free (*self_p);
    *self_p = NULL;
}

static bool
reply_fits_batch (const redisReply *reply, size_t count)
{
    if (!mot_reply_ok (reply) || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 * count)
        return false;
    for (size_t i = 0; i < count; i++)
        if (reply->element[2 * i]->type != REDIS_REPLY_STRING || reply->element[2 * i + 1]->type != REDIS_REPLY_INTEGER)
            return false;
    return true;
}

static void
read_results (store_request_t *requests, size_t count, const redisReply *reply)
{
    for (size_t i = 0; i < count; i++) {
        requests[i].event_id = strdup (reply->element[2 * i]->str);
        requests[i].result = !requests[i].event_id ? STORE_UNAVAILABLE
                             : reply->element[2 * i + 1]->integer ? STORE_DUPLICATE
                                                                  : STORE_ACCEPTED;
    }
}

/* The script's arguments; dedup keys are built into `keys` (caller frees). */
static bool
build_arguments (store_request_t *requests, size_t count, const char **argv, size_t *lengths, char **keys,
                 const char *head[4])
{
    argv[0] = MOT_KEY_SEQ_EVENT;
    for (int i = 0; i < 4; i++)
        argv[1 + i] = head[i];
    for (size_t i = 0; i < count; i++) {
        keys[i] = zsys_sprintf ("%s%s:%s", MOT_KEY_DEDUP_PREFIX, requests[i].source, requests[i].external_id);
        if (!keys[i])
            return false;
        const char **slot = argv + ARGS_HEAD + i * ARGS_PER_REQUEST;
        slot[0] = keys[i];
        slot[1] = requests[i].pending_key;
        slot[2] = (const char *) requests[i].envelope;
        slot[3] = requests[i].source;
        slot[4] = requests[i].type;
    }
    size_t total = ARGS_HEAD + count * ARGS_PER_REQUEST;
    for (size_t i = 0; i < total; i++) {
        bool is_envelope = i >= ARGS_HEAD && (i - ARGS_HEAD) % ARGS_PER_REQUEST == 2;
        lengths[i] = is_envelope ? requests[(i - ARGS_HEAD) / ARGS_PER_REQUEST].size : strlen (argv[i]);
    }
    return true;
}

void
store_accept_batch (store_t *self, store_request_t *requests, size_t count, int64_t received_at, int64_t sent_ms)
{
    for (size_t i = 0; i < count; i++) {
        requests[i].result = STORE_UNAVAILABLE;
        requests[i].event_id = NULL;
    }
    if (count == 0)
        return;
    size_t total = ARGS_HEAD + count * ARGS_PER_REQUEST;
    const char **argv = calloc (total, sizeof *argv);
    size_t *lengths = calloc (total, sizeof *lengths);
    char **keys = calloc (count, sizeof *keys);
    char count_text[24], received_text[24], sent_text[24];
    snprintf (count_text, sizeof count_text, "%zu", count);
    snprintf (received_text, sizeof received_text, "%lld", (long long) received_at);
    snprintf (sent_text, sizeof sent_text, "%lld", (long long) sent_ms);
    const char *head[4] = {count_text, MOT_KEY_EVENT_PREFIX, received_text, sent_text};
    if (argv && lengths && keys && build_arguments (requests, count, argv, lengths, keys, head)) {
        redisReply *reply = mot_redis_eval (self->redis, self->accept, 1, (int) total, argv, lengths);
        if (reply_fits_batch (reply, count))
            read_results (requests, count, reply);
        if (reply)
            freeReplyObject (reply);
    }
    for (size_t i = 0; keys && i < count; i++)
        zstr_free (&keys[i]);
    free (keys);
    free (argv);
    free (lengths);
}

/* Hands back claimed hand-offs that could not be sent: score 0 sorts them
 * first for the next claim. */
static void
unclaim (store_t *self, const char *pending_key, redisReply *claimed, size_t from)
{
    for (size_t i = from; i + 1 < claimed->elements; i += 2) {
        redisReply *reply = mot_redis_command (self->redis, "ZADD %s XX 0 %s", pending_key, claimed->element[i]->str);
        if (reply)
            freeReplyObject (reply);
    }
}

int
store_redrive (store_t *self, const char *pending_key, int64_t older_than_ms, int64_t now_ms, int limit,
               store_redrive_fn *fn, void *arg, bool *full)
{
    char older[24], now[24], most[16];
    snprintf (older, sizeof older, "%lld", (long long) older_than_ms);
    snprintf (now, sizeof now, "%lld", (long long) now_ms);
    snprintf (most, sizeof most, "%d", limit);
    const char *argv[] = {pending_key, older, now, most, MOT_KEY_EVENT_PREFIX};
    redisReply *claimed = mot_redis_eval (self->redis, self->redrive, 1, 5, argv, NULL);
    int sent = -1;
    *full = false;
    if (mot_reply_ok (claimed) && claimed->type == REDIS_REPLY_ARRAY && claimed->elements % 2 == 0) {
        size_t i = 0;
        for (sent = 0; i + 1 < claimed->elements; i += 2, sent++)
            if (!fn (claimed->element[i]->str, (const uint8_t *) claimed->element[i + 1]->str,
                     claimed->element[i + 1]->len, arg))
                break;
        if (i < claimed->elements)
            unclaim (self, pending_key, claimed, i);
        *full = i == claimed->elements && (int) (claimed->elements / 2) == limit;
    }
    if (claimed)
        freeReplyObject (claimed);
    return sent;
}
