/*  gauges — the watcher's gauges that live in Redis.
 *
 *  The overdue count reads the ids scored before today (ZRANGEBYSCORE),
 *  then their statuses in one pipeline of HGETs, a thousand at a time.
 */
#include "gauges.h"
#include "mot_date.h"
#include "mot_health.h"
#include "mot_metrics.h"
#include "mot_schema.h"

#include <stdio.h>
#include <stdlib.h>

#define STATUS_BATCH 1000

struct _gauges_t {
    mot_redis_t *redis;
    mot_gauge_t *timers;
    mot_gauge_t *overdue;
};

gauges_t *
gauges_new (mot_redis_t *redis)
{
    gauges_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->timers = mot_metrics_gauge ("mot_timers_pending", "Timers waiting in mot:timers (Redis, read every second).",
                                      NULL);
    self->overdue = mot_metrics_gauge (
        "mot_obligations_overdue", "Obligations still pending after their deadline day (Redis, read every second).",
        NULL);
    return self;
}

void
gauges_destroy (gauges_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

static void
refresh_timers (gauges_t *self)
{
    long long timers;
    if (mot_health_redis_count (self->redis, "ZCARD", MOT_KEY_TIMERS, &timers))
        mot_gauge_set (self->timers, (double) timers);
}

/* Of ids[from, to), how many are pending; -1 when Redis failed. */
static long
count_pending (gauges_t *self, redisReply *ids, size_t from, size_t to)
{
    size_t asked = 0;
    for (size_t i = from; i < to; i++) {
        char *key = mot_key_obligation (ids->element[i]->str);
        const char *argv[] = {"HGET", key, MOT_OBL_STATUS};
        bool appended = key && mot_redis_append (self->redis, 3, argv, NULL);
        free (key);
        if (!appended)
            break;
        asked++;
    }
    long pending = asked == to - from ? 0 : -1;
    for (size_t i = 0; i < asked; i++) {
        redisReply *status = mot_redis_read (self->redis);
        if (!status) {
            mot_redis_disconnect (self->redis);
            return -1;
        }
        if (status->type == REDIS_REPLY_STRING && mot_status_is_pending (status->str) && pending >= 0)
            pending++;
        freeReplyObject (status);
    }
    return pending;
}

static void
refresh_overdue (gauges_t *self, int64_t now)
{
    char yesterday[16];
    snprintf (yesterday, sizeof yesterday, "%d", (int) (mot_day_local_of (now) - 1));
    redisReply *ids = mot_redis_command (self->redis, "ZRANGEBYSCORE %s -inf %s", MOT_KEY_OBLS, yesterday);
    long overdue = mot_reply_ok (ids) && ids->type == REDIS_REPLY_ARRAY ? 0 : -1;
    for (size_t from = 0; overdue >= 0 && ids && from < ids->elements; from += STATUS_BATCH) {
        size_t to = from + STATUS_BATCH < ids->elements ? from + STATUS_BATCH : ids->elements;
        long pending = count_pending (self, ids, from, to);
        overdue = pending >= 0 ? overdue + pending : -1;
    }
    if (overdue >= 0)
        mot_gauge_set (self->overdue, (double) overdue);
    if (ids)
        freeReplyObject (ids);
}

void
gauges_refresh (gauges_t *self, int64_t now)
{
    refresh_timers (self);
    refresh_overdue (self, now);
}
