/*  authorise — what intake lets a certified peer submit (see authorise.h).
 */
#include "authorise.h"
#include "mot_grant.h"
#include "mot_schema.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

/* The `analyst` field of an analyst command, NULL for an event. */
static char **
analyst_of (Mot__V1__Envelope *envelope)
{
    switch (envelope->body_case) {
    case MOT__V1__ENVELOPE__BODY_OVERRIDE: return &envelope->override->analyst;
    case MOT__V1__ENVELOPE__BODY_ACTION: return &envelope->action->analyst;
    case MOT__V1__ENVELOPE__BODY_PROGRESS: return &envelope->progress->analyst;
    case MOT__V1__ENVELOPE__BODY_VERIFICATION: return &envelope->verification->analyst;
    case MOT__V1__ENVELOPE__BODY_RESCHEDULE: return &envelope->reschedule->analyst;
    case MOT__V1__ENVELOPE__BODY_START_MONITORING: return &envelope->start_monitoring->analyst;
    case MOT__V1__ENVELOPE__BODY_VALUATION: return &envelope->valuation->analyst;
    case MOT__V1__ENVELOPE__BODY_SESSION: return &envelope->session->analyst;
    case MOT__V1__ENVELOPE__BODY_CLOSURE: return &envelope->closure->analyst;
    case MOT__V1__ENVELOPE__BODY_REOPEN: return &envelope->reopen->analyst;
    default: return NULL;
    }
}

/* The items a command is about: its item and further items, or a
 * session's; *one is the single one, *many and *n_many the list. */
static void
items_of (const Mot__V1__Envelope *envelope, const char **one, char ***many, size_t *n_many)
{
    *one = NULL;
    *many = NULL;
    *n_many = 0;
    switch (envelope->body_case) {
    case MOT__V1__ENVELOPE__BODY_OVERRIDE: *one = envelope->override->item_id; break;
    case MOT__V1__ENVELOPE__BODY_ACTION:
        *one = envelope->action->item_id;
        *many = envelope->action->item_ids;
        *n_many = envelope->action->n_item_ids;
        break;
    case MOT__V1__ENVELOPE__BODY_START_MONITORING: *one = envelope->start_monitoring->item_id; break;
    case MOT__V1__ENVELOPE__BODY_VALUATION: *one = envelope->valuation->item_id; break;
    case MOT__V1__ENVELOPE__BODY_SESSION:
        *many = envelope->session->item_ids;
        *n_many = envelope->session->n_item_ids;
        break;
    case MOT__V1__ENVELOPE__BODY_CLOSURE: *one = envelope->closure->item_id; break;
    case MOT__V1__ENVELOPE__BODY_REOPEN: *one = envelope->reopen->item_id; break;
    default: break;
    }
}

/* Asks for the units of `item_id` (pipelined); false when it could not. */
static bool
ask_units (mot_redis_t *redis, const char *item_id)
{
    char *key = item_id ? mot_key_item (item_id) : NULL;
    const char *argv[] = {"HGET", key, MOT_ITEM_UNITS};
    bool ok = key && mot_redis_append (redis, 3, argv, NULL);
    free (key);
    return ok;
}

/* Whether one of the peer's units found each item: one pipelined HGET per
 * item, all sent, then all read (an unknown item passes: the classifier
 * refuses it as UNKNOWN_ITEM). */
static authorise_result_t
check_items (const Mot__V1__Envelope *envelope, mot_grant_set_t units, mot_redis_t *redis, const char **reason)
{
    const char *one;
    char **many;
    size_t n_many, asked = 0;
    items_of (envelope, &one, &many, &n_many);
    bool ok = true;
    if (one && *one)
        ok = ask_units (redis, one) && ++asked;
    for (size_t i = 0; ok && i < n_many; i++)
        ok = ask_units (redis, many[i]) && ++asked;
    authorise_result_t result = ok ? AUTHORISE_ALLOWED : AUTHORISE_UNAVAILABLE;
    for (size_t i = 0; i < asked; i++) {
        redisReply *reply = mot_redis_read (redis);
        if (!reply || reply->type == REDIS_REPLY_ERROR)
            result = AUTHORISE_UNAVAILABLE;
        else
        if (result == AUTHORISE_ALLOWED && reply->type == REDIS_REPLY_STRING
            && !mot_grant_has_any_unit (units, reply->str)) {
            *reason = "none of this certificate's units found the item";
            result = AUTHORISE_FORBIDDEN;
        }
        if (!reply) {
            mot_redis_disconnect (redis);       /* the replies still on their way are dropped */
            break;
        }
        freeReplyObject (reply);
    }
    if (!ok)
        mot_redis_disconnect (redis);
    return result;
}

authorise_result_t
authorise_envelope (Mot__V1__Envelope *envelope, const mot_peer_t *peer, mot_redis_t *redis, const char **reason)
{
    const char *unit = envelope->has_source ? mot_source_name (envelope->source) : NULL;
    char **analyst = envelope->body_case == MOT__V1__ENVELOPE__BODY__NOT_SET ? NULL : analyst_of (envelope);
    if (!peer->certified)
        return AUTHORISE_ALLOWED;       /* CURVE off: what the client wrote stands */
    if (!unit || !*unit)
        return AUTHORISE_ALLOWED;       /* no source: validation refuses it */
    if (analyst && !mot_peer_may_command_for (peer, unit)) {
        *reason = "this certificate may not record analyst commands for this unit";
        return AUTHORISE_FORBIDDEN;
    }
    if (!analyst && !mot_peer_may_publish_as (peer, unit)) {
        *reason = "this certificate may not publish as this unit";
        return AUTHORISE_FORBIDDEN;
    }
    mot_grant_set_t units;
    if (analyst && !mot_peer_is_service (peer) && mot_grant_read_units (peer->units, &units)
        && units != MOT_GRANT_ALL) {
        authorise_result_t items = check_items (envelope, units, redis, reason);
        if (items != AUTHORISE_ALLOWED)
            return items;
    }
    if (analyst && !mot_peer_is_service (peer)) {       /* a service relays: its analyst stands */
        char *name = strdup (peer->name);
        if (!name)
            return AUTHORISE_NO_MEMORY;
        free (*analyst);
        *analyst = name;
    }
    return AUTHORISE_ALLOWED;
}
