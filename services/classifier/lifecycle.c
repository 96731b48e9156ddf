/*  lifecycle — the lifecycle commands as commit.lua receives them (see
 *  lifecycle.h).
 *
 *  A command is its LIFECYCLE record (event key; tag, event id, command
 *  name, source, the body as JSON, how many REF records follow) and its
 *  REF records, one per key: the items it names with their trail,
 *  valuations and work keys; the work (action, agreement, recommendation)
 *  with its reports; the session. Keys the envelope does not name are
 *  looked up first: the items of a work (they never change once it is
 *  recorded), and a closing or reopening item's index key (from its kind,
 *  territory and topic, which never change) with the dedup keys of its
 *  events.
 */
#include "lifecycle.h"
#include "mot_json.h"
#include "mot_log.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *role;               /* MOT_REF_ROLES */
    char *key;                      /* owned */
    char *id;                       /* owned */
    char *number;                   /* owned */
} ref_t;

typedef enum {
    LOOK_UP_NOTHING,
    LOOK_UP_WORK_ITEMS,             /* the items of `work_id` */
    LOOK_UP_ITEM_INDEX              /* the index and dedup keys of `item_id` */
} look_up_t;

struct _lifecycle_command_t {
    char *event_id, *event_key, *source, *body;
    const char *command;            /* MOT_COMMANDS */
    char *work_id;                  /* commands on a work */
    char *item_id;                  /* LOOK_UP_ITEM_INDEX */
    look_up_t look_up;
    ref_t *refs;
    size_t n_refs;
    char tag[16], refs_count[24];   /* the call borrows them */
};

static void
ref_clear (ref_t *ref)
{
    free (ref->key);
    free (ref->id);
    free (ref->number);
}

void
lifecycle_command_destroy (lifecycle_command_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lifecycle_command_t *self = *self_p;
    for (size_t i = 0; i < self->n_refs; i++)
        ref_clear (&self->refs[i]);
    free (self->refs);
    free (self->event_id);
    free (self->event_key);
    free (self->source);
    free (self->body);
    free (self->work_id);
    free (self->item_id);
    free (self);
    *self_p = NULL;
}

const char *
lifecycle_command_event_id (const lifecycle_command_t *self)
{
    return self->event_id;
}

/* Adds a REF; takes `key` (NULL: out of memory). */
static bool
add_ref (lifecycle_command_t *self, const char *role, char *key, const char *id)
{
    ref_t *refs = key ? realloc (self->refs, (self->n_refs + 1) * sizeof *refs) : NULL;
    if (!refs) {
        free (key);
        return false;
    }
    self->refs = refs;
    long long number = 0;
    if (!mot_item_number (id, &number))
        number = 0;
    ref_t *ref = &refs[self->n_refs];
    *ref = (ref_t){role, key, strdup (id), zsys_sprintf ("%lld", number)};
    if (!ref->id || !ref->number) {
        ref_clear (ref);
        return false;
    }
    self->n_refs++;
    return true;
}

/* An item's keys: the hash and its trail, its valuations for a valuation,
 * its work for an action (no other command touches those two; every key
 * named costs the script call its share). The command is set first. */
static bool
add_item (lifecycle_command_t *self, const char *item_id)
{
    for (size_t i = 0; i < self->n_refs; i++)
        if (self->refs[i].role == MOT_ROLE_ITEM && strcmp (self->refs[i].id, item_id) == 0)
            return true;        /* named twice: once is enough */
    return add_ref (self, MOT_ROLE_ITEM, mot_key_item (item_id), item_id)
        && add_ref (self, MOT_ROLE_AUDIT, mot_key_item_audit (item_id), item_id)
        && (self->command != MOT_COMMAND_VALUATION
            || add_ref (self, MOT_ROLE_VALUATIONS, mot_key_item_valuations (item_id), item_id))
        && (self->command != MOT_COMMAND_ACTION
            || add_ref (self, MOT_ROLE_ITEM_WORK, mot_key_item_work (item_id), item_id));
}

static bool
add_items (lifecycle_command_t *self, char **ids, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!add_item (self, ids[i]))
            return false;
    return true;
}

/* The work named by (source, kind, action_id), with its reports. */
static bool
add_work (lifecycle_command_t *self, const char *kind, const char *action_id)
{
    self->work_id = mot_obligation_id_of (self->source, kind, action_id);
    return self->work_id && add_ref (self, MOT_ROLE_WORK, mot_key_work (self->work_id), self->work_id)
        && add_ref (self, MOT_ROLE_REPORTS, mot_key_work_reports (self->work_id), self->work_id);
}

bool
lifecycle_is_command (const Mot__V1__Envelope *envelope)
{
    switch (envelope->body_case) {
    case MOT__V1__ENVELOPE__BODY_ACTION: return mot_action_has_items (envelope->action);
    case MOT__V1__ENVELOPE__BODY_PROGRESS:
    case MOT__V1__ENVELOPE__BODY_VERIFICATION:
    case MOT__V1__ENVELOPE__BODY_RESCHEDULE:
    case MOT__V1__ENVELOPE__BODY_START_MONITORING:
    case MOT__V1__ENVELOPE__BODY_VALUATION:
    case MOT__V1__ENVELOPE__BODY_SESSION:
    case MOT__V1__ENVELOPE__BODY_CLOSURE:
    case MOT__V1__ENVELOPE__BODY_REOPEN: return true;
    default: return false;
    }
}

/* The command's name, body and the keys its envelope names. */
static bool
name_keys (lifecycle_command_t *self, const Mot__V1__Envelope *e)
{
    switch (e->body_case) {
    case MOT__V1__ENVELOPE__BODY_ACTION: {
        const Mot__V1__ActionDue *b = e->action;
        self->command = MOT_COMMAND_ACTION;
        bool ok = add_work (self, b->kind, b->action_id) && (!b->item_id || !*b->item_id || add_item (self, b->item_id))
               && add_items (self, b->item_ids, b->n_item_ids);
        if (ok && b->session_id && *b->session_id)
            ok = add_ref (self, MOT_ROLE_SESSION, mot_key_session (b->session_id), b->session_id);
        return ok;
    }
    case MOT__V1__ENVELOPE__BODY_PROGRESS:
        self->command = MOT_COMMAND_PROGRESS;
        self->look_up = LOOK_UP_WORK_ITEMS;
        return add_work (self, e->progress->kind, e->progress->action_id);
    case MOT__V1__ENVELOPE__BODY_VERIFICATION:
        self->command = MOT_COMMAND_VERIFICATION;
        self->look_up = LOOK_UP_WORK_ITEMS;
        return add_work (self, e->verification->kind, e->verification->action_id);
    case MOT__V1__ENVELOPE__BODY_RESCHEDULE:
        self->command = MOT_COMMAND_RESCHEDULE;
        self->look_up = LOOK_UP_WORK_ITEMS;
        return add_work (self, e->reschedule->kind, e->reschedule->action_id);
    case MOT__V1__ENVELOPE__BODY_START_MONITORING:
        self->command = MOT_COMMAND_START_MONITORING;
        return add_item (self, e->start_monitoring->item_id);
    case MOT__V1__ENVELOPE__BODY_VALUATION:
        self->command = MOT_COMMAND_VALUATION;
        return add_item (self, e->valuation->item_id);
    case MOT__V1__ENVELOPE__BODY_SESSION:
        self->command = MOT_COMMAND_SESSION;
        return add_ref (self, MOT_ROLE_SESSION, mot_key_session (e->session->session_id), e->session->session_id)
            && add_items (self, e->session->item_ids, e->session->n_item_ids);
    case MOT__V1__ENVELOPE__BODY_CLOSURE:
        self->command = MOT_COMMAND_CLOSURE;
        self->look_up = LOOK_UP_ITEM_INDEX;
        return (self->item_id = strdup (e->closure->item_id)) && add_item (self, e->closure->item_id);
    case MOT__V1__ENVELOPE__BODY_REOPEN:
        self->command = MOT_COMMAND_REOPEN;
        self->look_up = LOOK_UP_ITEM_INDEX;
        return (self->item_id = strdup (e->reopen->item_id)) && add_item (self, e->reopen->item_id);
    default: return false;
    }
}

/* The body message of the envelope (its oneof member). */
static const ProtobufCMessage *
body_of (const Mot__V1__Envelope *e)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field (&mot__v1__envelope__descriptor, e->body_case);
    return field && field->type == PROTOBUF_C_TYPE_MESSAGE
        ? *(ProtobufCMessage *const *) ((const char *) e + field->offset)
        : NULL;
}

lifecycle_command_t *
lifecycle_command_new (const char *event_id, const Mot__V1__Envelope *envelope)
{
    const ProtobufCMessage *body = lifecycle_is_command (envelope) ? body_of (envelope) : NULL;
    lifecycle_command_t *self = body ? calloc (1, sizeof *self) : NULL;
    if (!self)
        return NULL;
    self->event_id = strdup (event_id);
    self->event_key = mot_key_event (event_id);
    self->source = strdup (mot_source_name (envelope->source));
    self->body = mot_json_text_of_message (body);
    if (!self->event_id || !self->event_key || !self->source || !self->body || !name_keys (self, envelope))
        lifecycle_command_destroy (&self);
    return self;
}

/* ---- looking up what the envelope does not name ------------------------ */

static bool
append_look_up (mot_redis_t *redis, const lifecycle_command_t *self)
{
    const char *field = self->look_up == LOOK_UP_WORK_ITEMS ? MOT_WORK_ITEMS : NULL;
    if (field) {
        const char *key = self->refs[0].key;           /* the work: named first */
        const char *argv[] = {"HGET", key, field};
        return mot_redis_append (redis, 3, argv, NULL);
    }
    char *item = mot_key_item (self->item_id), *dedup = mot_key_item_dedup (self->item_id);
    const char *hmget[] = {"HMGET", item, MOT_ITEM_KIND, MOT_ITEM_TERRITORY, MOT_ITEM_TOPIC_KEY};
    const char *lrange[] = {"LRANGE", dedup, "0", "-1"};
    bool ok = item && dedup && mot_redis_append (redis, 5, hmget, NULL) && mot_redis_append (redis, 4, lrange, NULL);
    free (item);
    free (dedup);
    return ok;
}

/* The items of a work, from its `items` field ("it-1,it-2"). */
static bool
take_items_text (lifecycle_command_t *self, const char *items)
{
    char *copy = strdup (items);
    bool ok = copy != NULL;
    char *rest = copy;
    for (char *id = copy ? strsep (&rest, ",") : NULL; ok && id; id = strsep (&rest, ","))
        if (*id)
            ok = add_item (self, id);
    free (copy);
    return ok;
}

/* The items of a work as Redis answered (remembered in `known`). */
static bool
take_work_items (lifecycle_command_t *self, redisReply *reply, zhashx_t *known)
{
    if (reply->type != REDIS_REPLY_STRING)
        return reply->type == REDIS_REPLY_NIL;     /* no such work: the script refuses */
    lifecycle_remember_items (known, self->work_id, reply->str);
    return take_items_text (self, reply->str);
}

void
lifecycle_remember_items (zhashx_t *known, const char *work_id, const char *items)
{
    if (zhashx_lookup (known, work_id))
        return;
    if (zhashx_size (known) >= LIFECYCLE_KNOWN_MAX)
        zhashx_purge (known);
    char *copy = strdup (items);
    if (copy && zhashx_insert (known, work_id, copy) != 0)
        free (copy);
}

void
lifecycle_command_remember (const lifecycle_command_t *self, zhashx_t *known)
{
    if (self->command != MOT_COMMAND_ACTION || !self->work_id)
        return;
    char *items = NULL;
    for (size_t r = 0; r < self->n_refs; r++)
        if (self->refs[r].role == MOT_ROLE_ITEM) {
            char *longer = items ? zsys_sprintf ("%s,%s", items, self->refs[r].id) : strdup (self->refs[r].id);
            free (items);
            items = longer;
            if (!items)
                return;
        }
    if (items)
        lifecycle_remember_items (known, self->work_id, items);
    free (items);
}

static bool
take_item_index (lifecycle_command_t *self, redisReply *fields, redisReply *dedups)
{
    if (fields->type != REDIS_REPLY_ARRAY || fields->elements != 3 || dedups->type != REDIS_REPLY_ARRAY)
        return false;
    bool known = true;
    for (size_t i = 0; i < 3; i++)
        known = known && fields->element[i]->type == REDIS_REPLY_STRING;
    if (known && !add_ref (self, MOT_ROLE_INDEX,
                           mot_key_item_index (fields->element[0]->str, fields->element[1]->str,
                                               fields->element[2]->str),
                           self->item_id))
        return false;
    for (size_t i = 0; i < dedups->elements; i++)
        if (dedups->element[i]->type == REDIS_REPLY_STRING
            && !add_ref (self, MOT_ROLE_DEDUP, strdup (dedups->element[i]->str), self->item_id))
            return false;
    return true;
}

/* A work recorded by an earlier command of the batch names its items
 * itself (Redis does not hold it yet). */
static bool
take_items_from_batch (lifecycle_command_t *self, lifecycle_command_t **earlier, size_t count, bool *found)
{
    *found = false;
    for (size_t i = 0; i < count; i++) {
        const lifecycle_command_t *other = earlier[i];
        if (other->command != MOT_COMMAND_ACTION || strcmp (other->work_id, self->work_id) != 0)
            continue;
        *found = true;
        for (size_t r = 0; r < other->n_refs; r++)
            if (other->refs[r].role == MOT_ROLE_ITEM && !add_item (self, other->refs[r].id))
                return false;
        self->look_up = LOOK_UP_NOTHING;
        return true;
    }
    return true;
}

bool
lifecycle_look_up (mot_redis_t *redis, lifecycle_command_t **commands, size_t count, zhashx_t *known)
{
    size_t sent = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        bool found = false;
        const char *items = commands[i]->look_up == LOOK_UP_WORK_ITEMS ? zhashx_lookup (known, commands[i]->work_id)
                                                                      : NULL;
        if (items) {
            ok = take_items_text (commands[i], items);
            commands[i]->look_up = LOOK_UP_NOTHING;
            continue;
        }
        if (commands[i]->look_up == LOOK_UP_WORK_ITEMS)
            ok = take_items_from_batch (commands[i], commands, i, &found);
        if (ok && !found && commands[i]->look_up != LOOK_UP_NOTHING)
            ok = append_look_up (redis, commands[i]) && ++sent;
    }
    for (size_t i = 0; i < count && sent > 0; i++) {
        lifecycle_command_t *self = commands[i];
        if (self->look_up == LOOK_UP_NOTHING)
            continue;
        sent--;
        redisReply *first = mot_redis_read (redis);
        redisReply *second = self->look_up == LOOK_UP_ITEM_INDEX && first ? mot_redis_read (redis) : NULL;
        bool read = first && mot_reply_ok (first) && (self->look_up != LOOK_UP_ITEM_INDEX || (second && mot_reply_ok (second)));
        if (ok && read)
            ok = self->look_up == LOOK_UP_WORK_ITEMS ? take_work_items (self, first, known)
                                                     : take_item_index (self, first, second);
        else
            ok = false;
        if (ok)
            self->look_up = LOOK_UP_NOTHING;        /* done: a retry does not add them twice */
        if (first)
            freeReplyObject (first);
        if (second)
            freeReplyObject (second);
        if (!first)
            break;              /* the connection failed: nothing more to read */
    }
    return ok;
}

const char *
lifecycle_command_item_step (const lifecycle_command_t *self)
{
    return self->command == MOT_COMMAND_CLOSURE || self->command == MOT_COMMAND_REOPEN ? self->item_id : NULL;
}

bool
lifecycle_command_add_dedup (lifecycle_command_t *self, const char *dedup_key)
{
    for (size_t i = 0; i < self->n_refs; i++)
        if (self->refs[i].role == MOT_ROLE_DEDUP && strcmp (self->refs[i].key, dedup_key) == 0)
            return true;
    return add_ref (self, MOT_ROLE_DEDUP, strdup (dedup_key), self->item_id);
}

/* ---- the call --------------------------------------------------------- */

size_t
lifecycle_command_keys (const lifecycle_command_t *self)
{
    return LIFECYCLE_KEYS + self->n_refs * REF_KEYS;
}

size_t
lifecycle_command_args (const lifecycle_command_t *self)
{
    return LIFECYCLE_ARGS + self->n_refs * REF_ARGS;
}

void
lifecycle_command_fill (lifecycle_command_t *self, mot_call_t *call, size_t *k, size_t *a)
{
    snprintf (self->tag, sizeof self->tag, "%d", LIFECYCLE_TAG_VALUE);
    snprintf (self->refs_count, sizeof self->refs_count, "%zu", self->n_refs);
    mot_call_key (call, *k + LIFECYCLE_KEY_EVENT, self->event_key);
    mot_call_arg (call, *a + LIFECYCLE_ARG_TAG, self->tag);
    mot_call_arg (call, *a + LIFECYCLE_ARG_EVENT_ID, self->event_id);
    mot_call_arg (call, *a + LIFECYCLE_ARG_COMMAND, self->command);
    mot_call_arg (call, *a + LIFECYCLE_ARG_SOURCE, self->source);
    mot_call_arg (call, *a + LIFECYCLE_ARG_BODY, self->body);
    mot_call_arg (call, *a + LIFECYCLE_ARG_REFS, self->refs_count);
    *k += LIFECYCLE_KEYS;
    *a += LIFECYCLE_ARGS;
    for (size_t i = 0; i < self->n_refs; i++, *k += REF_KEYS, *a += REF_ARGS) {
        const ref_t *ref = &self->refs[i];
        mot_call_key (call, *k + REF_KEY_KEY, ref->key);
        mot_call_arg (call, *a + REF_ARG_ROLE, ref->role);
        mot_call_arg (call, *a + REF_ARG_ID, ref->id);
        mot_call_arg (call, *a + REF_ARG_NUMBER, ref->number);
    }
}
