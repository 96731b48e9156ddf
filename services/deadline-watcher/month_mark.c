/*  month_mark — how far a once-a-month job of the watcher got (see
 *  month_mark.h).
 */
#include "month_mark.h"
#include "mot_call.h"
#include "mot_date.h"
#include "mot_log.h"
#include "mot_scripts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advance_lua.h"

struct _month_mark_t {
    mot_redis_t *redis;
    char *key;
    int from;                           /* -1: the month before today */
    mot_script_t *advance;
};

month_mark_t *
month_mark_new (mot_redis_t *redis, const char *key, const char *watch_from)
{
    month_mark_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->from = -1;
    int year, month;
    if (watch_from && *watch_from) {
        if (!mot_period_parse (watch_from, &year, &month)) {
            mot_log_error ("bad_option", "option=watch-from expected=YYYY-MM");
            free (self);
            return NULL;
        }
        self->from = mot_month_index (year, month);
    }
    self->key = strdup (key);
    self->advance = mot_script_new (advance_lua);
    if (!self->key || !self->advance)
        month_mark_destroy (&self);
    return self;
}

void
month_mark_destroy (month_mark_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->advance);
    free ((*self_p)->key);
    free (*self_p);
    *self_p = NULL;
}

bool
month_mark_next (month_mark_t *self, int64_t now, int *first, int *last_closed)
{
    int year, month;
    *last_closed = mot_month_index_local_of (now) - 1;
    redisReply *reply = mot_redis_command (self->redis, "GET %s", self->key);
    if (!mot_reply_ok (reply)) {
        if (reply)
            freeReplyObject (reply);
        return false;
    }
    if (reply->type == REDIS_REPLY_STRING && mot_period_parse (reply->str, &year, &month))
        *first = mot_month_index (year, month) + 1;
    else
        *first = self->from >= 0 ? self->from : *last_closed;
    if (self->from > *first)
        *first = self->from;
    freeReplyObject (reply);
    return true;
}

bool
month_mark_advance (month_mark_t *self, int month)
{
    char text[16];
    mot_month_index_text (month, text, sizeof text);
    mot_call_t call;
    mot_call_init (&call, ADVANCE_KEYS, ADVANCE_ARGS);
    mot_call_key (&call, ADVANCE_KEY_GENERATED, self->key);
    mot_call_arg (&call, ADVANCE_ARG_PERIOD, text);
    redisReply *reply = mot_call_eval (&call, self->redis, self->advance);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    return ok;
}
