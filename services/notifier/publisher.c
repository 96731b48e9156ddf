/*  publisher — once-per-notice publication with seq and replay log (see
 *  publisher.h).
 */
#include "publisher.h"
#include "mot_keys.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: mot:notice:<notice_id>, mot:seq:notice, mot:notices, mot:outbox.
 * ARGV: notice_id, packed Notice without seq, log size.
 * Returns {seq, packed Notice with seq} when published now, {seq, ""} when
 * it had been published before. Field 11 (seq) is tag 0x58 + varint. */
static const char *publish_lua =
    "local seq = redis.call('HGET', KEYS[1], 'seq')\n"
    "if seq then\n"
    "  redis.call('ZREM', KEYS[4], ARGV[1])\n"
    "  return {tonumber(seq), ''}\n"
    "end\n"
    "seq = redis.call('INCR', KEYS[2])\n"
    "local n, bytes = seq, {}\n"
    "while n >= 128 do\n"
    "  bytes[#bytes + 1] = string.char(n % 128 + 128)\n"
    "  n = math.floor(n / 128)\n"
    "end\n"
    "bytes[#bytes + 1] = string.char(n)\n"
    "local packed = ARGV[2] .. string.char(88) .. table.concat(bytes)\n"
    "redis.call('HSET', KEYS[1], 'seq', seq)\n"
    "redis.call('LPUSH', KEYS[3], packed)\n"
    "redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)\n"
    "redis.call('ZREM', KEYS[4], ARGV[1])\n"
    "return {seq, packed}\n";

struct _publisher_t {
    mot_redis_t *redis;
    zsock_t *pub;
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

/* Runs the script on the packed notice; the reply or NULL when it failed. */
static redisReply *
record_notice (publisher_t *self, const Mot__V1__Notice *notice, const uint8_t *packed, size_t size)
{
    size_t key_size = strlen (MOT_KEY_NOTICE_PREFIX) + strlen (notice->notice_id) + 1;
    char *key = malloc (key_size);
    if (!key)
        return NULL;
    snprintf (key, key_size, "%s%s", MOT_KEY_NOTICE_PREFIX, notice->notice_id);
    char log_size[24];
    snprintf (log_size, sizeof log_size, "%ld", self->log_size);
    const char *argv[] = {key, MOT_KEY_SEQ_NOTICE, MOT_KEY_NOTICES, MOT_KEY_OUTBOX, notice->notice_id,
                          (const char *) packed, log_size};
    size_t lengths[7];
    for (int i = 0; i < 7; i++)
        lengths[i] = i == 5 ? size : strlen (argv[i]);   /* argv[5] is binary */
    redisReply *reply = mot_redis_eval (self->redis, self->publish, 4, 7, argv, lengths);
    free (key);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
           && reply->element[0]->type == REDIS_REPLY_INTEGER && reply->element[1]->type == REDIS_REPLY_STRING;
    if (!ok && reply) {
        freeReplyObject (reply);
        reply = NULL;
    }
    return reply;
}

publish_result_t
publisher_publish (publisher_t *self, Mot__V1__Notice *notice, const char *topic, uint64_t *seq)
{
    notice->has_seq = false;
    notice->seq = 0;
    size_t size = mot__v1__notice__get_packed_size (notice);
    uint8_t *packed = malloc (size ? size : 1);
    if (!packed)
        return PUBLISH_FAILED;
    mot__v1__notice__pack (notice, packed);
    redisReply *reply = record_notice (self, notice, packed, size);
    free (packed);
    if (!reply)
        return PUBLISH_FAILED;
    *seq = (uint64_t) reply->element[0]->integer;
    publish_result_t result = PUBLISH_DUPLICATE;
    if (reply->element[1]->len > 0) {
        result = PUBLISH_SENT;
        if (!send_frames (self, topic, reply->element[1]->str, reply->element[1]->len))
            mot_log_warn ("publish_dropped", "notice_id=%s seq=%llu in_log=1", notice->notice_id,
                          (unsigned long long) *seq);
    }
    freeReplyObject (reply);
    return result;
}
