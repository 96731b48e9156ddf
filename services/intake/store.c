/*  store — intake's side of Redis: accept once, remember the hand-off.
 *
 *  Keys (see common/mot_schema.h): mot:dedup:<source>:<external id> → event
 *  id, mot:event:<event id> hash, and the pending zsets
 *  mot:pending:classify / mot:pending:watch (score: last send, milliseconds
 *  of real time — transport bookkeeping, not business time).
 *
 *  Event numbers: accept.lua must receive each new event's key, so intake
 *  keeps event numbers reserved ahead (INCRBY on mot:seq:event) in a pool.
 *  A batch takes numbers for its envelopes from the pool, and accept.lua
 *  stores the new ones under them in one atomic step, with an INCRBY that
 *  refills the pool pipelined behind it: one round trip per batch. A number
 *  accept.lua did not use (the envelope was a duplicate) goes back to the
 *  pool; numbers still in the pool when intake stops are never used, so
 *  event ids can have gaps, and with several intakes they follow each
 *  intake's pool rather than the arrival order.
 *
 *  With --redis-wait, nothing this module stored leaves intake before
 *  enough replicas have it (mot_redis_wait): a batch whose WAIT falls short
 *  is answered UNAVAILABLE (it may be stored: the client's retry is then
 *  answered DUPLICATE once replicated, or, after a failover that lost it,
 *  stored anew) and not dispatched; re-driven hand-offs are sent only once
 *  their claim is replicated. WAIT covers a connection's last write, and a
 *  batch of duplicates writes nothing: the pool's INCRBY is then sent with 0,
 *  a write that moves the connection's mark past every write before it
 *  (another intake's storing of the original among them). Numbers join the
 *  pool only once their INCRBY is replicated: a failover that lost it would
 *  hand the same numbers out again from the new master's counter, and two
 *  events would share one id.
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

struct _store_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *accept;
    mot_script_t *redrive;
    long long *pool;            /* reserved event numbers, increasing */
    size_t pooled, capacity;
    size_t pool_size;           /* how many the pool is refilled to */
};

store_t *
store_new (mot_redis_t *redis, size_t pool_size)
{
    store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->pool_size = pool_size;
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
    free ((*self_p)->pool);
    free (*self_p);
    *self_p = NULL;
}

/* ---- the pool of event numbers ------------------------------------------ */

static bool
pool_make_room (store_t *self, size_t more)
{
    if (self->pooled + more <= self->capacity)
        return true;
    size_t capacity = (self->pooled + more) * 2;
    long long *pool = realloc (self->pool, capacity * sizeof *pool);
    if (!pool)
        return false;
    self->pool = pool;
    self->capacity = capacity;
    return true;
}

/* Adds the `count` numbers that end at `last` (what INCRBY count gave). */
static void
pool_add_range (store_t *self, long long last, long long count)
{
    if (count <= 0 || !pool_make_room (self, (size_t) count))
        return;                 /* out of memory: those numbers stay unused */
    for (long long n = last - count + 1; n <= last; n++)
        self->pool[self->pooled++] = n;
}

/* Takes the `count` smallest numbers (count <= pooled). */
static void
pool_take (store_t *self, size_t count, long long *out)
{
    memcpy (out, self->pool, count * sizeof *out);
    memmove (self->pool, self->pool + count, (self->pooled - count) * sizeof *self->pool);
    self->pooled -= count;
}

/* Gives back numbers taken and not used (increasing, and all below what
 * the pool holds: they were its smallest). */
static void
pool_give_back (store_t *self, const long long *numbers, size_t count)
{
    if (count == 0 || !pool_make_room (self, count))
        return;
    memmove (self->pool + count, self->pool, self->pooled * sizeof *self->pool);
    memcpy (self->pool, numbers, count * sizeof *numbers);
    self->pooled += count;
}

/* Reserves `count` more numbers now (a round trip of its own: at start, or
 * when a batch needs more than the pool holds). */
static bool
pool_fill (store_t *self, long long count)
{
    redisReply *reply = mot_redis_command (self->redis, "INCRBY %s %lld", MOT_KEY_SEQ_EVENT, count);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER && mot_redis_wait (self->redis);
    if (ok)
        pool_add_range (self, reply->integer, count);
    if (reply)
        freeReplyObject (reply);
    return ok && self->pooled >= (size_t) count;
}

/* ---- accepting a batch --------------------------------------------------- */

/* One request on its way through the batch. */
typedef struct {
    char *dedup_key;
    char *event_key;
    long long number;           /* taken from the pool for it; 0: a repeat */
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

/* Builds the dedup keys and marks the requests repeated in the batch;
 * returns how many are not repeats, or -1 when out of memory. */
static long
find_repeats (store_request_t *requests, pass_t *passes, size_t count)
{
    zhashx_t *seen = zhashx_new ();
    long fresh = seen ? 0 : -1;
    for (size_t i = 0; fresh >= 0 && i < count; i++) {
        passes[i].dedup_key = mot_key_dedup (requests[i].source, requests[i].external_id);
        if (!passes[i].dedup_key) {
            fresh = -1;
            break;
        }
        size_t *first = zhashx_lookup (seen, passes[i].dedup_key);
        passes[i].repeat = first != NULL;
        passes[i].first = first ? *first : i;
        if (!first && zhashx_insert (seen, passes[i].dedup_key, &passes[i].first) != 0)
            fresh = -1;
        else if (!first)
            fresh++;
    }
    zhashx_destroy (&seen);
    return fresh;
}

/* Gives each request that is not a repeat a number from the pool, its event
 * id and its event key. False when out of memory. */
static bool
give_numbers (store_t *self, store_request_t *requests, pass_t *passes, size_t count, size_t fresh)
{
    long long *numbers = calloc (fresh + 1, sizeof *numbers);
    if (!numbers)
        return false;
    pool_take (self, fresh, numbers);
    bool ok = true;
    for (size_t i = 0, n = 0; i < count; i++) {
        if (passes[i].repeat)
            continue;
        passes[i].number = numbers[n++];
        requests[i].event_id = mot_event_id (passes[i].number);
        passes[i].event_key = requests[i].event_id ? mot_key_event (requests[i].event_id) : NULL;
        ok = ok && passes[i].event_key;
    }
    free (numbers);
    return ok;
}

/* Lays out accept.lua's call for the requests that are not repeats. */
static void
fill_accept (mot_call_t *call, store_request_t *requests, pass_t *passes, size_t count, const char *received,
             const char *sent)
{
    mot_call_arg (call, ACCEPT_ARG_RECEIVED_AT, received);
    mot_call_arg (call, ACCEPT_ARG_SENT_MS, sent);
    for (size_t i = 0, n = 0; i < count; i++) {
        if (passes[i].repeat)
            continue;
        size_t k = ACCEPT_KEYS + n * ACCEPT_REQUEST_KEYS, a = ACCEPT_ARGS + n * ACCEPT_REQUEST_ARGS;
        n++;
        mot_call_key (call, k + ACCEPT_REQUEST_KEY_DEDUP, passes[i].dedup_key);
        mot_call_key (call, k + ACCEPT_REQUEST_KEY_EVENT, passes[i].event_key);
        mot_call_key (call, k + ACCEPT_REQUEST_KEY_PENDING, requests[i].pending_key);
        mot_call_arg (call, a + ACCEPT_REQUEST_ARG_EVENT_ID, requests[i].event_id);
        mot_call_bytes (call, a + ACCEPT_REQUEST_ARG_ENVELOPE, requests[i].envelope, requests[i].size);
        mot_call_arg (call, a + ACCEPT_REQUEST_ARG_SOURCE, requests[i].source);
        mot_call_arg (call, a + ACCEPT_REQUEST_ARG_TYPE, requests[i].type);
    }
}

/* Runs the accept call with, pipelined behind it, an INCRBY of `refill`
 * numbers (0: none), the last of which goes to *refilled_last (0: none).
 * Returns accept.lua's reply (NULL when the outcome is unknown: Redis went
 * away). A script Redis forgot (it restarted) is loaded and run again on
 * its own. */
static redisReply *
run_accept (store_t *self, mot_call_t *call, long long refill, long long *refilled_last)
{
    *refilled_last = 0;
    char refill_text[24];
    snprintf (refill_text, sizeof refill_text, "%lld", refill);
    const char *incrby[] = {"INCRBY", MOT_KEY_SEQ_EVENT, refill_text};
    bool increment = refill > 0 || mot_redis_waits (self->redis);
    bool sent = mot_redis_script_load (self->redis, self->accept) && mot_call_append (call, self->redis, self->accept)
             && (!increment || mot_redis_append (self->redis, 3, incrby, NULL));
    redisReply *reply = sent ? mot_redis_read (self->redis) : NULL;
    redisReply *refilled = sent && increment ? mot_redis_read (self->redis) : NULL;
    if (!sent || (!reply || (increment && !refilled)))
        mot_redis_disconnect (self->redis);     /* replies half read: start afresh */
    if (mot_reply_ok (refilled) && refilled->type == REDIS_REPLY_INTEGER)
        *refilled_last = refilled->integer;
    if (refilled)
        freeReplyObject (refilled);
    if (mot_reply_is_noscript (reply)) {
        mot_redis_script_check (self->accept, reply);
        freeReplyObject (reply);
        reply = mot_call_eval (call, self->redis, self->accept);
    }
    return reply;
}

/* Reads accept.lua's answers; the numbers of duplicates go back to the pool. */
static void
read_answers (store_t *self, store_request_t *requests, pass_t *passes, size_t count, size_t fresh,
              const redisReply *reply)
{
    long long *unused = calloc (fresh + 1, sizeof *unused);
    size_t unused_count = 0;
    for (size_t i = 0, n = 0; i < count; i++) {
        if (passes[i].repeat)
            continue;
        const redisReply *id = reply->element[2 * n], *duplicate = reply->element[2 * n + 1];
        n++;
        if (id->type != REDIS_REPLY_STRING || duplicate->type != REDIS_REPLY_INTEGER)
            continue;
        zstr_free (&requests[i].event_id);
        requests[i].event_id = strdup (id->str);
        requests[i].result = !requests[i].event_id ? STORE_UNAVAILABLE
                           : duplicate->integer   ? STORE_DUPLICATE
                                                  : STORE_ACCEPTED;
        if (duplicate->integer && unused)
            unused[unused_count++] = passes[i].number;
    }
    pool_give_back (self, unused, unused_count);
    free (unused);
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

/* Takes numbers, runs accept.lua (refilling the pool) and reads the answers. */
static void
accept_fresh (store_t *self, store_request_t *requests, pass_t *passes, size_t count, size_t fresh,
              const char *received, const char *sent)
{
    size_t target = fresh > self->pool_size ? fresh : self->pool_size;
    if (self->pooled < fresh && !pool_fill (self, (long long) (target + fresh - self->pooled)))
        return;
    if (!give_numbers (self, requests, passes, count, fresh))
        return;                 /* out of memory: the numbers taken stay unused */
    long long refill = self->pooled < target ? (long long) (target - self->pooled) : 0;
    mot_call_t call;
    mot_call_init (&call, ACCEPT_KEYS + fresh * ACCEPT_REQUEST_KEYS, ACCEPT_ARGS + fresh * ACCEPT_REQUEST_ARGS);
    fill_accept (&call, requests, passes, count, received, sent);
    long long refilled_last;
    redisReply *reply = run_accept (self, &call, refill, &refilled_last);
    mot_call_free (&call);
    /* With --redis-wait: what was stored, and the refill, count only once
     * replicated (a reply that is no answer, a failure, needs no wait). */
    bool wrote = mot_reply_ok (reply) || refilled_last > 0;
    bool durable = !wrote || mot_redis_wait (self->redis);
    if (durable && refilled_last > 0)
        pool_add_range (self, refilled_last, refill);
    if (!durable)
        mot_log_warn ("accept_unreplicated", "requests=%zu answer=UNAVAILABLE", fresh);
    if (durable && mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 * fresh)
        read_answers (self, requests, passes, count, fresh, reply);
    else if (reply && reply->type == REDIS_REPLY_ERROR)
        mot_log_warn ("accept_refused", "requests=%zu reason=\"%s\"", fresh, reply->str);
    if (reply)
        freeReplyObject (reply);
}

void
store_accept_batch (store_t *self, store_request_t *requests, size_t count, int64_t received_at, int64_t sent_ms)
{
    for (size_t i = 0; i < count; i++) {
        requests[i].result = STORE_UNAVAILABLE;
        requests[i].event_id = NULL;
    }
    pass_t *passes = calloc (count + 1, sizeof *passes);
    long fresh = passes ? find_repeats (requests, passes, count) : -1;
    if (fresh > 0) {
        char received[24], sent[24];
        snprintf (received, sizeof received, "%lld", (long long) received_at);
        snprintf (sent, sizeof sent, "%lld", (long long) sent_ms);
        accept_fresh (self, requests, passes, count, (size_t) fresh, received, sent);
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
    /* A claim not replicated in time is left as it is: re-driven again
     * once it is stale (nothing unreplicated is sent). */
    if (mot_reply_ok (claimed) && claimed->type == REDIS_REPLY_ARRAY && claimed->elements % 2 == 0
        && (claimed->elements == 0 || mot_redis_wait (self->redis))) {
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
