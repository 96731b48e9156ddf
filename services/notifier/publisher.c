/*  publisher — tailing the notice log and publishing it, a batch per script
 *  call (see publisher.h; the script is tail.lua beside this file).
 */
#include "publisher.h"
#include "mot_keys.h"
#include "mot_log.h"
#include "mot_notice_text.h"
#include "mot_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tail_lua.h"

/* A packed Notice is small; a log entry larger than this is not one of ours. */
#define NOTICE_LIMIT (16 * 1024)

struct _publisher_t {
    mot_redis_t *redis;         /* not owned */
    zsock_t *pub;               /* not owned */
    long log_size;
    long batch;
    mot_script_t *tail;
};

publisher_t *
publisher_new (mot_redis_t *redis, zsock_t *pub, long log_size, long batch)
{
    publisher_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->pub = pub;
    self->log_size = log_size;
    self->batch = batch;
    self->tail = mot_script_new (tail_lua);
    if (!self->tail)
        publisher_destroy (&self);
    return self;
}

void
publisher_destroy (publisher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->tail);
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

/* The entry as a publishable Notice carrying `seq`, or NULL with *reason set. */
static Mot__V1__Notice *
read_entry (const redisReply *entry, uint64_t seq, const char **reason)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__BAD_FRAMING;
    Mot__V1__Notice *notice = entry->type != REDIS_REPLY_STRING ? NULL
        : (Mot__V1__Notice *) mot_wire_unpack_bytes ((const uint8_t *) entry->str, entry->len,
                                                     &mot__v1__notice__descriptor, NOTICE_LIMIT, &code);
    *reason = NULL;
    if (!notice)
        *reason = mot_error_code_name (code);
    else
    if (!notice->has_seq || notice->seq != seq)
        *reason = "wrong_seq";
    else
    if (!notice->text || !*notice->text)
        *reason = "no_text";
    else {
        const char *why = NULL;
        if (!mot_notice_text_is_publishable (notice, &why))
            *reason = why;
    }
    if (*reason && notice) {
        protobuf_c_message_free_unpacked (&notice->base, NULL);
        notice = NULL;
    }
    return notice;
}

/* Publishes one log entry, the notice with sequence number `seq`. */
static void
publish_entry (publisher_t *self, const redisReply *entry, uint64_t seq)
{
    const char *reason = NULL;
    Mot__V1__Notice *notice = read_entry (entry, seq, &reason);
    char *topic = notice ? mot_notice_topic (notice) : NULL;
    if (!notice)
        mot_log_warn ("notice_dropped", "seq=%llu reason=%s", (unsigned long long) seq, reason);
    else
    if (!topic)
        mot_log_error ("notice_not_published", "notice_id=%s seq=%llu in_log=1", notice->notice_id,
                       (unsigned long long) seq);
    else
    if (send_frames (self, topic, entry->str, entry->len))
        mot_log_info ("notice_published", "notice_id=%s seq=%llu topic=%s catch_up=%d", notice->notice_id,
                      (unsigned long long) seq, topic, mot_notice_text_is_catch_up (notice) ? 1 : 0);
    else
        mot_log_warn ("publish_dropped", "notice_id=%s seq=%llu in_log=1", notice->notice_id,
                      (unsigned long long) seq);
    free (topic);
    if (notice)
        protobuf_c_message_free_unpacked (&notice->base, NULL);
}

/* Whether the script's reply has its shape: {first_seq, skipped, entries...}. */
static bool
reply_is_tail (const redisReply *reply)
{
    return mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements >= 2
        && reply->element[0]->type == REDIS_REPLY_INTEGER && reply->element[0]->integer >= 1
        && reply->element[1]->type == REDIS_REPLY_INTEGER && reply->element[1]->integer >= 0;
}

long
publisher_publish_next (publisher_t *self)
{
    char batch_text[24], log_size_text[24];
    snprintf (batch_text, sizeof batch_text, "%ld", self->batch);
    snprintf (log_size_text, sizeof log_size_text, "%ld", self->log_size);
    const char *argv[] = {MOT_KEY_SEQ_NOTICE, MOT_KEY_NOTICES, MOT_KEY_NOTICES_PUBLISHED, batch_text, log_size_text};
    redisReply *reply = mot_redis_eval (self->redis, self->tail, 3, 5, argv, NULL);
    if (!reply_is_tail (reply)) {
        if (reply && reply->type != REDIS_REPLY_ERROR)
            mot_log_error ("tail_reply_invalid", "type=%d", reply->type);
        if (reply)
            freeReplyObject (reply);
        return -1;
    }
    uint64_t first = (uint64_t) reply->element[0]->integer;
    if (reply->element[1]->integer > 0)
        mot_log_warn ("notices_skipped", "count=%lld before_seq=%llu reason=left_the_log_unpublished",
                      reply->element[1]->integer, (unsigned long long) first);
    long taken = (long) reply->elements - 2;
    for (long i = 0; i < taken; i++)
        publish_entry (self, reply->element[2 + i], first + (uint64_t) i);
    freeReplyObject (reply);
    return taken;
}
