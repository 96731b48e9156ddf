/*  event_status — what became of one event (see event_status.h).
 */
#include "event_status.h"
#include "mot_schema.h"

#include <czmq.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The event's fields, in this order, then its scores in the two pending
 * sets. Every stored event has a type (accept.lua): none means no event. */
enum { F_TYPE, F_SOURCE, F_ITEM, F_OUTCOME, F_REFUSAL, F_REASON, F_REJECTED, F_DONE_AT, F_COUNT };

static const char *
text_of (const redisReply *value)
{
    return value && value->type == REDIS_REPLY_STRING ? value->str : NULL;
}

static void
set_text (json_t *object, const char *name, const char *value)
{
    if (value)
        json_object_set_new (object, name, json_string (value));
}

/* The status of the event from its fields and pending sets. */
static json_t *
status_of (const char *event_id, redisReply *fields, bool classifying, bool watching)
{
    redisReply **f = fields->element;
    const char *outcome = text_of (f[F_OUTCOME]);
    const char *status = outcome                   ? outcome
                       : text_of (f[F_REJECTED])   ? MOT_OUTCOME_REFUSED
                       : classifying || watching   ? "pending"
                                                   : MOT_OUTCOME_APPLIED;
    json_t *out = json_object ();
    if (!out)
        return NULL;
    set_text (out, "event_id", event_id);
    set_text (out, "type", text_of (f[F_TYPE]));
    set_text (out, "source", text_of (f[F_SOURCE]));
    set_text (out, "status", status);
    if (classifying || watching)
        set_text (out, "pending_at", classifying ? "classifier" : "deadline-watcher");
    if (strcmp (status, MOT_OUTCOME_REFUSED) == 0) {
        set_text (out, "refusal", text_of (f[F_REFUSAL]) ? text_of (f[F_REFUSAL]) : MOT_REFUSAL_UNKNOWN_ITEM);
        set_text (out, "reason", text_of (f[F_REASON]) ? text_of (f[F_REASON]) : text_of (f[F_REJECTED]));
    }
    else
        set_text (out, "item_id", text_of (f[F_ITEM]) && *text_of (f[F_ITEM]) ? text_of (f[F_ITEM]) : NULL);
    if (text_of (f[F_DONE_AT]))
        json_object_set_new (out, "done_at", json_integer (strtoll (text_of (f[F_DONE_AT]), NULL, 10)));
    return out;
}

static bool
is_member (redisReply *score)
{
    return score && score->type == REDIS_REPLY_STRING;
}

char *
event_status_json (mot_redis_t *redis, const char *event_id, size_t *size, Mot__V1__ErrorCode *code)
{
    if (!event_id || !*event_id) {
        *code = MOT__V1__ERROR_CODE__MISSING_FIELD;
        return NULL;
    }
    char *key = mot_key_event (event_id);
    const char *hmget[2 + F_COUNT] = {"HMGET", key, MOT_EVENT_TYPE, MOT_EVENT_SOURCE, MOT_EVENT_ITEM_ID,
                                      MOT_EVENT_OUTCOME, MOT_EVENT_REFUSAL, MOT_EVENT_REASON, MOT_EVENT_REJECTED,
                                      MOT_EVENT_DONE_AT};
    const char *classify[] = {"ZSCORE", MOT_KEY_PENDING_CLASSIFY, event_id};
    const char *watch[] = {"ZSCORE", MOT_KEY_PENDING_WATCH, event_id};
    bool sent = key && mot_redis_append (redis, 2 + F_COUNT, hmget, NULL) && mot_redis_append (redis, 3, classify, NULL)
             && mot_redis_append (redis, 3, watch, NULL);
    redisReply *r[3] = {NULL};
    for (int i = 0; sent && i < 3; i++)
        r[i] = mot_redis_read (redis);
    char *body = NULL;
    *code = MOT__V1__ERROR_CODE__UNAVAILABLE;
    if (r[0] && r[1] && r[2]) {
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        if (r[0]->type == REDIS_REPLY_ARRAY && r[0]->elements == F_COUNT) {
            bool stored = text_of (r[0]->element[F_TYPE]) != NULL;
            json_t *status = stored ? status_of (event_id, r[0], is_member (r[1]), is_member (r[2])) : NULL;
            char *text = status ? json_dumps (status, JSON_COMPACT) : NULL;
            json_decref (status);
            body = text ? zsys_sprintf ("%s\n", text) : NULL;
            free (text);
            if (!stored)
                *code = MOT__V1__ERROR_CODE__INVALID_VALUE;
        }
    }
    for (int i = 0; i < 3; i++)
        if (r[i])
            freeReplyObject (r[i]);
    free (key);
    if (body)
        *size = strlen (body);
    return body;
}
