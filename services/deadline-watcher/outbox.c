/*  outbox — notices from the deadline-watcher to the notifier: pushing them,
 *  and re-driving those the notifier has not acknowledged (see outbox.h).
 */
#include "outbox.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REDRIVE_BATCH 100

struct _outbox_t {
    mot_redis_t *redis;
    zsock_t *notifier;
};

outbox_t *
outbox_new (mot_redis_t *redis, zsock_t *notifier)
{
    outbox_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->notifier = notifier;
    return self;
}

void
outbox_destroy (outbox_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

char *
outbox_notice_id (const char *obligation_id, Mot__V1__NoticeKind kind)
{
    const char *word = mot_notice_kind_name (kind);
    size_t size = strlen (obligation_id) + 1 + strlen (word) + 1;
    char *id = malloc (size);
    if (id)
        snprintf (id, size, "%s|%s", obligation_id, word);
    return id;
}

uint8_t *
outbox_pack (const Mot__V1__Notice *notice, size_t *size)
{
    *size = mot__v1__notice__get_packed_size (notice);
    uint8_t *packed = malloc (*size ? *size : 1);
    if (packed)
        mot__v1__notice__pack (notice, packed);
    return packed;
}

bool
outbox_push (outbox_t *self, const uint8_t *packed, size_t size)
{
    void *handle = zsock_resolve (self->notifier);
    return zmq_send (handle, packed, size, ZMQ_DONTWAIT) >= 0;
}

/* Re-sends one outbox entry; drops it from the outbox when its notice is gone. */
static void
redrive_one (outbox_t *self, const char *notice_id, int64_t now)
{
    redisReply *notice = mot_redis_command (self->redis, "HGET %s %s", MOT_KEY_OUTBOX_NOTICES, notice_id);
    if (!mot_reply_ok (notice)) {
        if (notice)
            freeReplyObject (notice);
        return;
    }
    redisReply *update = NULL;
    if (notice->type != REDIS_REPLY_STRING) {
        mot_log_info ("outbox_taken", "notice_id=%s", notice_id);   /* published meanwhile */
        update = mot_redis_command (self->redis, "ZREM %s %s", MOT_KEY_OUTBOX, notice_id);
    }
    else
    if (outbox_push (self, (const uint8_t *) notice->str, notice->len)) {
        mot_log_info ("notice_redriven", "notice_id=%s", notice_id);
        update = mot_redis_command (self->redis, "ZADD %s XX %lld %s", MOT_KEY_OUTBOX, (long long) now,
                                    notice_id);
    }
    if (update)
        freeReplyObject (update);
    freeReplyObject (notice);
}

void
outbox_redrive (outbox_t *self, int64_t older_than)
{
    int64_t now;
    if (!mot_redis_server_time (self->redis, &now))
        return;
    redisReply *due = mot_redis_command (self->redis, "ZRANGEBYSCORE %s -inf %lld LIMIT 0 %d", MOT_KEY_OUTBOX,
                                         (long long) (now - older_than), REDRIVE_BATCH);
    if (mot_reply_ok (due) && due->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < due->elements; i++)
            if (due->element[i]->type == REDIS_REPLY_STRING)
                redrive_one (self, due->element[i]->str, now);
    if (due)
        freeReplyObject (due);
}
