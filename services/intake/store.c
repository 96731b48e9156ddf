/*  store — intake's side of Redis: accept once, remember the hand-off.
 *
 *  Keys (see common/mot_schema.h): mot:dedup:<source>:<external id> → event
 *  id, mot:event:<event id> hash, and the pending zsets
 *  mot:pending:classify / mot:pending:watch (score: last send, milliseconds
 *  of real time — transport bookkeeping, not business time).
 *  A batch is accepted in two script calls (layouts in mot_scripts.h):
 *  reserve.lua tells which envelopes are new and reserves their event
 *  numbers, accept.lua stores those under their keys. Only the second
 *  writes, atomically for the whole batch; a number reserved for an
 *  envelope that another intake stored in between is left unused.
 */
#include "store.h"
#include "mot_call.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_log.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#include "accept_lua.h"
#include "redrive_lua.h"
#include "reserve_lua.h"

struct _store_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *reserve;
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
    self->reserve = mot_script_new (reserve_lua);
    self->accept = mot_script_new (accept_lua);
    self->redrive = mot_script_new (redrive_lua);
    if (!self->reserve || !self->accept || !self->redrive)
        store_destroy (&self);
    return self;
}

void
store_destroy (store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->reserve);
    mot_script_destroy (&(*self_p)->accept);
    mot_script_destroy (&(*self_p)->redrive);
    free (*self_p);
    *self_p = NULL;
}

/* One request on its way through the two steps. */
typedef struct {
    char *dedup_key;
    char *event_key;
    long long number;           /* reserved for it; 0: a duplicate (or a repeat) */
    size_t first;               /* a repeat in the batch: the index of its first occurrence */
    bool repeat;
} pass_t;

static void
passes_free (pass_t *passes, size_t count)
{
    for (size_t i = 0; passes && i < count; i++) {
        zstr_free (&passes[i].dedup_key);
        zstr_free (&passes[i].event_key);
    }
    free (passes);
}

/* Runs reserve.lua: duplicates get their stored id, new requests a number,
 * repeats the index of their first occurrence. False when Redis failed. */
static bool
reserve_numbers (store_t *self, store_request_t *requests, pass_t *passes, size_t count)
{
    mot_call_t call;
    mot_call_init (&call, RESERVE_KEYS + count * RESERVE_LOOKUP_KEYS, RESERVE_ARGS + count * RESERVE_LOOKUP_ARGS);
    mot_call_key (&call, RESERVE_KEY_SEQ, MOT_KEY_SEQ_EVENT);
    for (size_t i = 0; i < count; i++)
        mot_call_key (&call, RESERVE_KEYS + i * RESERVE_LOOKUP_KEYS + RESERVE_LOOKUP_KEY_LOOKUP,
                      passes[i].dedup_key);
    redisReply *reply = mot_call_eval (&call, self->redis, self->reserve);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == count;
    /* The numbers of first occurrences are consecutive, in request order:
     * firsts[k] is the request that got the k-th of them. */
    size_t *firsts = ok ? calloc (count, sizeof *firsts) : NULL;
    size_t fresh = 0;
    long long first_number = 0;
    ok = ok && firsts;
    for (size_t i = 0; ok && i < count; i++) {
        redisReply *element = reply->element[i];
        long long offset = element->type == REDIS_REPLY_INTEGER ? element->integer - first_number : -1;
        if (element->type == REDIS_REPLY_STRING) {
            requests[i].event_id = strdup (element->str);
            requests[i].result = requests[i].event_id ? STORE_DUPLICATE : STORE_UNAVAILABLE;
        }
        else
        if (element->type == REDIS_REPLY_INTEGER && (fresh == 0 || offset == (long long) fresh)) {
            first_number = fresh == 0 ? element->integer : first_number;
            passes[i].number = element->integer;
            firsts[fresh++] = i;
        }
        else
        if (element->type == REDIS_REPLY_INTEGER && offset >= 0 && offset < (long long) fresh) {
            passes[i].repeat = true;
            passes[i].first = firsts[offset];
        }
        else
            ok = false;
    }
    free (firsts);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* Runs accept.lua on the requests that reserve_numbers found new. */
static void
accept_new (store_t *self, store_request_t *requests, pass_t *passes, size_t count, const char *received,
            const char *sent)
{
    size_t fresh = 0;
    for (size_t i = 0; i < count; i++)
        if (passes[i].number > 0) {
            requests[i].event_id = mot_event_id (passes[i].number);
            passes[i].event_key = requests[i].event_id ? mot_key_event (requests[i].event_id) : NULL;
            if (!passes[i].event_key)
                return;
            fresh++;
        }
    if (fresh == 0)
        return;
    mot_call_t call;
    mot_call_init (&call, ACCEPT_KEYS + fresh * ACCEPT_REQUEST_KEYS, ACCEPT_ARGS + fresh * ACCEPT_REQUEST_ARGS);
    mot_call_arg (&call, ACCEPT_ARG_RECEIVED_AT, received);
    mot_call_arg (&call, ACCEPT_ARG_SENT_MS, sent);
    for (size_t i = 0, n = 0; i < count; i++) {
        if (passes[i].number == 0)
            continue;
        size_t k = ACCEPT_KEYS + n * ACCEPT_REQUEST_KEYS, a = ACCEPT_ARGS + n * ACCEPT_REQUEST_ARGS;
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_DEDUP, passes[i].dedup_key);
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_EVENT, passes[i].event_key);
        mot_call_key (&call, k + ACCEPT_REQUEST_KEY_PENDING, requests[i].pending_key);
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_EVENT_ID, requests[i].event_id);
        mot_call_bytes (&call, a + ACCEPT_REQUEST_ARG_ENVELOPE, requests[i].envelope, requests[i].size);
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_SOURCE, requests[i].source);
        mot_call_arg (&call, a + ACCEPT_REQUEST_ARG_TYPE, requests[i].type);
        n++;
    }
    redisReply *reply = mot_call_eval (&call, self->redis, self->accept);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 * fresh;
    for (size_t i = 0, n = 0; ok && i < count; i++) {
        if (passes[i].number == 0)
            continue;
        redisReply *id = reply->element[2 * n], *duplicate = reply->element[2 * n + 1];
        n++;
        if (id->type != REDIS_REPLY_STRING || duplicate->type != REDIS_REPLY_INTEGER)
            continue;
        zstr_free (&requests[i].event_id);
        requests[i].event_id = strdup (id->str);
        requests[i].result = !requests[i].event_id ? STORE_UNAVAILABLE
                           : duplicate->integer   ? STORE_DUPLICATE
                                                  : STORE_ACCEPTED;
    }
    if (reply)
        freeReplyObject (reply);
}

/* A request repeated in the batch answers as a duplicate of its first
 * occurrence, once that one is settled. */
static void
settle_repeats (store_request_t *requests, pass_t *passes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        store_request_t *first = &requests[passes[i].first];
        if (!passes[i].repeat || first->result == STORE_UNAVAILABLE)
            continue;
        requests[i].event_id = strdup (first->event_id);
        requests[i].result = requests[i].event_id ? STORE_DUPLICATE : STORE_UNAVAILABLE;
    }
}

void
store_accept_batch (store_t *self, store_request_t *requests, size_t count, int64_t received_at, int64_t sent_ms)
{
    for (size_t i = 0; i < count; i++) {
        requests[i].result = STORE_UNAVAILABLE;
        requests[i].event_id = NULL;
    }
    pass_t *passes = calloc (count + 1, sizeof *passes);
    bool ok = passes != NULL;
    for (size_t i = 0; ok && i < count; i++)
        ok = (passes[i].dedup_key = mot_key_dedup (requests[i].source, requests[i].external_id)) != NULL;
    if (ok && count > 0 && reserve_numbers (self, requests, passes, count)) {
        char received[24], sent[24];
        snprintf (received, sizeof received, "%lld", (long long) received_at);
        snprintf (sent, sizeof sent, "%lld", (long long) sent_ms);
        accept_new (self, requests, passes, count, received, sent);
        settle_repeats (requests, passes, count);
    }
    for (size_t i = 0; i < count; i++)
        if (requests[i].result == STORE_UNAVAILABLE)
            zstr_free (&requests[i].event_id);
    passes_free (passes, count);
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

/* Claims, with redrive.lua, those of the candidate ids (a ZRANGEBYSCORE
 * reply) still pending and still last sent before `older`. */
static redisReply *
claim (store_t *self, const char *pending_key, redisReply *candidates, const char *older, const char *now)
{
    size_t count = candidates->elements;
    char **keys = calloc (count + 1, sizeof *keys);
    mot_call_t call;
    mot_call_init (&call, REDRIVE_KEYS + count * REDRIVE_EVENT_KEYS, REDRIVE_ARGS + count * REDRIVE_EVENT_ARGS);
    mot_call_key (&call, REDRIVE_KEY_PENDING, pending_key);
    mot_call_arg (&call, REDRIVE_ARG_SENT_BEFORE, older);
    mot_call_arg (&call, REDRIVE_ARG_NOW, now);
    for (size_t i = 0; keys && i < count; i++) {
        const char *id = candidates->element[i]->type == REDIS_REPLY_STRING ? candidates->element[i]->str : "";
        keys[i] = mot_key_event (id);
        mot_call_key (&call, REDRIVE_KEYS + i * REDRIVE_EVENT_KEYS + REDRIVE_EVENT_KEY_EVENT, keys[i]);
        mot_call_arg (&call, REDRIVE_ARGS + i * REDRIVE_EVENT_ARGS + REDRIVE_EVENT_ARG_EVENT_ID, id);
    }
    redisReply *claimed = keys ? mot_call_eval (&call, self->redis, self->redrive) : NULL;
    mot_call_free (&call);
    for (size_t i = 0; keys && i < count; i++)
        zstr_free (&keys[i]);
    free (keys);
    return claimed;
}

int
store_redrive (store_t *self, const char *pending_key, int64_t older_than_ms, int64_t now_ms, int limit,
               store_redrive_fn *fn, void *arg, bool *full)
{
    char older[24], now[24];
    snprintf (older, sizeof older, "%lld", (long long) older_than_ms);
    snprintf (now, sizeof now, "%lld", (long long) now_ms);
    *full = false;
    redisReply *candidates
        = mot_redis_command (self->redis, "ZRANGEBYSCORE %s -inf (%s LIMIT 0 %d", pending_key, older, limit);
    if (!mot_reply_ok (candidates) || candidates->type != REDIS_REPLY_ARRAY) {
        if (candidates)
            freeReplyObject (candidates);
        return -1;
    }
    redisReply *claimed = candidates->elements ? claim (self, pending_key, candidates, older, now) : NULL;
    int sent = candidates->elements ? -1 : 0;
    if (mot_reply_ok (claimed) && claimed->type == REDIS_REPLY_ARRAY && claimed->elements % 2 == 0) {
        size_t i = 0;
        for (sent = 0; i + 1 < claimed->elements; i += 2, sent++)
            if (!fn (claimed->element[i]->str, (const uint8_t *) claimed->element[i + 1]->str,
                     claimed->element[i + 1]->len, arg))
                break;
        if (i < claimed->elements)
            unclaim (self, pending_key, claimed, i);
        *full = i == claimed->elements && (int) candidates->elements == limit;
    }
    if (claimed)
        freeReplyObject (claimed);
    freeReplyObject (candidates);
    return sent;
}
