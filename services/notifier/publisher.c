/*  publisher — once-per-notice publication with seq and replay log, one
 *  script call per batch (see publisher.h; the script is publish.lua beside
 *  this file).
 */
#include "publisher.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: mot:seq:notice, mot:notices, mot:outbox, mot:outbox:notices. ARGV:
 * count, log size, then per notice: notice_id, packed Notice without seq.
 * Returns {seq, packed Notice with seq} per notice, {0, ""} when it is not
 * published now. */
#include "publish_lua.h"

#define ARGS_HEAD 6             /* 4 KEYS + count, log size */
#define ARGS_PER_NOTICE 2       /* notice_id, packed Notice */

struct _publisher_t {
    mot_redis_t *redis;         /* not owned */
    zsock_t *pub;               /* not owned */
    long log_size;
    mot_script_t *publish;
};

publisher_t *
publisher_new (mot_redis_t *redis, zsock_t *pub, long log_size)
{
    publisher_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->pub = pub;
    self->log_size = log_size;
    self->publish = mot_script_new (publish_lua);
    if (!self->publish)
        publisher_destroy (&self);
    return self;
}

void
publisher_destroy (publisher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->publish);
    free (*self_p);
    *self_p = NULL;
}

static bool
send_frames (publisher_t *self, const char *topic, const char *packed, size_t size)
{
    void *handle = zsock_resolve (self->pub);
    return zmq_send (handle, topic, strlen (topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0
        && zmq_send (handle, packed, size, ZMQ_DONTWAIT) >= 0;
}

/* Packs every notice, without seq, into one buffer (returned, caller frees)
 * and points its slots of argv/lengths at it; NULL on allocation failure. */
static uint8_t *
pack_notices (Mot__V1__Notice **notices, size_t count, const char **argv, size_t *lengths)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        notices[i]->has_seq = false;
        notices[i]->seq = 0;
        total += mot__v1__notice__get_packed_size (notices[i]);
    }
    uint8_t *buffer = malloc (total ? total : 1);
    size_t offset = 0;
    for (size_t i = 0; buffer && i < count; i++) {
        const char **slot = argv + ARGS_HEAD + i * ARGS_PER_NOTICE;
        size_t *length = lengths + ARGS_HEAD + i * ARGS_PER_NOTICE;
        slot[0] = notices[i]->notice_id;
        length[0] = strlen (notices[i]->notice_id);
        slot[1] = (const char *) buffer + offset;
        length[1] = mot__v1__notice__pack (notices[i], buffer + offset);
        offset += length[1];
    }
    return buffer;
}

static bool
reply_fits_batch (const redisReply *reply, size_t count)
{
    if (!mot_reply_ok (reply) || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 * count)
        return false;
    for (size_t i = 0; i < count; i++)
        if (reply->element[2 * i]->type != REDIS_REPLY_INTEGER || reply->element[2 * i]->integer < 0
            || reply->element[2 * i + 1]->type != REDIS_REPLY_STRING)
            return false;
    return true;
}

/* Runs the script on the batch: the reply (checked: it fits the batch, or it
 * is a Redis error) or NULL when Redis is unavailable or memory ran out. */
static redisReply *
record_notices (publisher_t *self, Mot__V1__Notice **notices, size_t count)
{
    size_t total = ARGS_HEAD + count * ARGS_PER_NOTICE;
    const char **argv = calloc (total, sizeof *argv);
    size_t *lengths = calloc (total, sizeof *lengths);
    uint8_t *packed = argv && lengths ? pack_notices (notices, count, argv, lengths) : NULL;
    char count_text[24], log_size_text[24];
    snprintf (count_text, sizeof count_text, "%zu", count);
    snprintf (log_size_text, sizeof log_size_text, "%ld", self->log_size);
    const char *head[ARGS_HEAD] = {MOT_KEY_SEQ_NOTICE, MOT_KEY_NOTICES, MOT_KEY_OUTBOX, MOT_KEY_OUTBOX_NOTICES,
                                   count_text, log_size_text};
    redisReply *reply = NULL;
    if (packed) {
        for (size_t i = 0; i < ARGS_HEAD; i++) {
            argv[i] = head[i];
            lengths[i] = strlen (head[i]);
        }
        reply = mot_redis_eval (self->redis, self->publish, 4, (int) total, argv, lengths);
    }
    free (packed);
    free (lengths);
    free (argv);
    if (reply && reply->type != REDIS_REPLY_ERROR && !reply_fits_batch (reply, count)) {
        mot_log_error ("publish_reply_invalid", "notices=%zu", count);
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

/* The script's outcome per notice; the new ones go out on PUB, in order
 * (which is seq order). */
static void
send_new (publisher_t *self, Mot__V1__Notice **notices, char **topics, size_t count, const redisReply *reply,
          uint64_t *seqs, publish_result_t *results)
{
    for (size_t i = 0; i < count; i++) {
        const redisReply *packed = reply->element[2 * i + 1];
        seqs[i] = (uint64_t) reply->element[2 * i]->integer;
        results[i] = packed->len > 0 ? PUBLISH_SENT : PUBLISH_DUPLICATE;
        if (results[i] == PUBLISH_SENT && !send_frames (self, topics[i], packed->str, packed->len))
            mot_log_warn ("publish_dropped", "notice_id=%s seq=%llu in_log=1", notices[i]->notice_id,
                          (unsigned long long) seqs[i]);
    }
}

void
publisher_publish_batch (publisher_t *self, Mot__V1__Notice **notices, char **topics, size_t count,
                         uint64_t *seqs, publish_result_t *results)
{
    for (size_t i = 0; i < count; i++)
        results[i] = PUBLISH_FAILED;
    if (count == 0)
        return;
    redisReply *reply = record_notices (self, notices, count);
    if (reply && reply->type != REDIS_REPLY_ERROR)
        send_new (self, notices, topics, count, reply, seqs, results);
    if (reply)
        freeReplyObject (reply);
}
