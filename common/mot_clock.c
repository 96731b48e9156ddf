/*  mot_clock — the one clock every service reads.
 */
#include "mot_clock.h"
#include "mot_schema.h"
#include "mot_log.h"

#include <stdlib.h>
#include <time.h>

struct _mot_clock_t {
    mot_redis_t *redis;         /* not owned */
    bool test_clock;
};

mot_clock_t *
mot_clock_new (mot_redis_t *redis, bool test_clock)
{
    mot_clock_t *self = calloc (1, sizeof *self);
    if (self) {
        self->redis = redis;
        self->test_clock = test_clock;
    }
    return self;
}

void
mot_clock_destroy (mot_clock_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

bool
mot_clock_is_test (mot_clock_t *self)
{
    return self->test_clock;
}

static int64_t
real_now (void)
{
    return (int64_t) time (NULL);
}

int64_t
mot_clock_now (mot_clock_t *self)
{
    if (!self->test_clock || !self->redis)
        return real_now ();
    redisReply *reply = mot_redis_command (self->redis, "GET %s", MOT_KEY_CLOCK);
    int64_t now = real_now ();
    if (reply && reply->type == REDIS_REPLY_STRING) {
        char *end = NULL;
        long long value = strtoll (reply->str, &end, 10);
        if (end && *end == 0 && value > 0)
            now = (int64_t) value;
        else
            mot_log_warn ("test_clock_invalid", "value_ignored=1");
    }
    if (reply)
        freeReplyObject (reply);
    return now;
}
