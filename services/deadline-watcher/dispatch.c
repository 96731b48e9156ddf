/*  dispatch — decoding Dispatch messages from intake and applying deliveries,
 *  triggers and action due dates to obligations (see dispatch.h).
 */
#include "dispatch.h"
#include "mot_schema.h"
#include "mot_log.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

/* An action waiting in the batch: its spec points into `dispatch`. */
typedef struct {
    Mot__V1__Dispatch *dispatch;
    obligation_spec_t spec;
    char *territory;                /* malloc'd, read at flush */
} queued_action_t;

struct _dispatch_t {
    mot_redis_t *redis;
    mot_obligations_t *catalogue;
    obligation_store_t *store;
    followup_t *followup;
    queued_action_t queue[DISPATCH_BATCH];
    size_t queued;
};

dispatch_t *
dispatch_new (mot_redis_t *redis, mot_obligations_t *catalogue, obligation_store_t *store, followup_t *followup)
{
    dispatch_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->catalogue = catalogue;
    self->store = store;
    self->followup = followup;
    return self;
}

static void
release_queue (dispatch_t *self)
{
    for (size_t i = 0; i < self->queued; i++) {
        protobuf_c_message_free_unpacked (&self->queue[i].dispatch->base, NULL);
        free (self->queue[i].territory);
    }
    memset (self->queue, 0, self->queued * sizeof self->queue[0]);
    self->queued = 0;
}

void
dispatch_destroy (dispatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    release_queue (*self_p);        /* not committed: intake re-sends them */
    free (*self_p);
    *self_p = NULL;
}

static void
skip_event (dispatch_t *self, const char *event_id, const char *reason)
{
    mot_log_warn ("event_skipped", "event_id=%s reason=%s", event_id, reason);
    obligation_store_commit_event (self->store, event_id);
}

/* The period names a month for monthly and after: rules, a quarter
 * (YYYY-Qn) for quarterly ones, a safe reference otherwise. */
static bool
period_fits_rule (const mot_obligation_def_t *def, const char *period)
{
    mot_day_t close;
    if (mot_obligation_is_monthly (def) || mot_obligation_is_quarterly (def) || def->rule == MOT_RULE_AFTER)
        return mot_obligation_period_close (def, period, &close);
    return mot_obligation_ref_is_safe (period);
}

/* ---- after: rules ------------------------------------------------------ */

/* True when some after: rule waits for `def`. */
static bool
awaited_by_after_rule (dispatch_t *self, const mot_obligation_def_t *def)
{
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++) {
        const mot_obligation_def_t *after = mot_obligations_at (self->catalogue, i);
        if (after->rule == MOT_RULE_AFTER && mot_obligation_depends_on (after, def->unit, def->code))
            return true;
    }
    return false;
}

/* Brings the after: obligations of `period` that wait for `def` up to date
 * with its delivery: still waiting (for fewer reports), or owed now. Only
 * once the month has closed: until then the month's close creates them
 * (monthly.c). False when Redis failed. */
static bool
update_after_rules (dispatch_t *self, const mot_obligation_def_t *def, const char *period, int64_t now)
{
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++) {
        const mot_obligation_def_t *after = mot_obligations_at (self->catalogue, i);
        mot_day_t close;
        if (after->rule != MOT_RULE_AFTER || !mot_obligation_depends_on (after, def->unit, def->code)
            || !mot_obligation_period_close (after, period, &close) || mot_day_local_of (now) <= close)
            continue;
        if (obligation_store_await (self->store, after, period, close, now) == OBLIGATION_FAILED)
            return false;
    }
    return true;
}

static void
apply_delivery (dispatch_t *self, const char *event_id, const mot_obligation_def_t *def, const char *period,
                mot_day_t delivered_on, int64_t now)
{
    bool awaited = awaited_by_after_rule (self, def);
    obligation_result_t result = obligation_store_deliver (self->store, def, period, delivered_on, event_id,
                                                           awaited, now);
    if (awaited && result != OBLIGATION_FAILED && update_after_rules (self, def, period, now))
        obligation_store_commit_event (self->store, event_id);
}

static void
handle_delivery (dispatch_t *self, const char *event_id, Mot__V1__Source source,
                 const Mot__V1__ReportDelivery *delivery, int64_t now)
{
    if (!delivery->report || !delivery->period || !delivery->delivered_on) {
        skip_event (self, event_id, "delivery_incomplete");
        return;
    }
    const mot_obligation_def_t *def = mot_obligations_find (self->catalogue, source, delivery->report);
    mot_day_t delivered_on;
    if (!def)
        skip_event (self, event_id, "report_not_in_catalogue");
    else
    if (!period_fits_rule (def, delivery->period))
        skip_event (self, event_id, "period_does_not_fit_rule");
    else
    if (!mot_day_parse (delivery->delivered_on, &delivered_on))
        skip_event (self, event_id, "bad_delivered_on");
    else
        apply_delivery (self, event_id, def, delivery->period, delivered_on, now);
}

/* ---- triggers ---------------------------------------------------------- */

typedef struct {
    const Mot__V1__TriggerEvent *trigger;
    mot_day_t occurred_on;
    int64_t now;
    int matched;
    const char *unusable;           /* why a matching row could not use the ref */
} trigger_t;

/* last_update: the month's instance, created or with its deadline moved later. */
static bool
record_update (dispatch_t *self, const mot_obligation_def_t *def, trigger_t *t)
{
    int year, month;
    if (!mot_period_parse (t->trigger->ref, &year, &month)) {
        t->unusable = "update_ref_is_not_a_month";
        return true;
    }
    mot_day_t close = mot_obligation_month_close (year, month);
    mot_day_t anchor = t->occurred_on > close ? t->occurred_on : close;
    obligation_spec_t spec = {.def = def, .period = t->trigger->ref, .anchor = anchor, .n = def->n};
    obligation_result_t result = obligation_store_create (self->store, &spec, t->now);
    if (result == OBLIGATION_UNCHANGED) {
        char *id = mot_obligation_id (def, t->trigger->ref);
        result = id ? obligation_store_move_anchor (self->store, id, anchor, "last_update", t->now)
                    : OBLIGATION_FAILED;
        free (id);
    }
    return result != OBLIGATION_FAILED;
}

/* fortnight: opening or closing a follow-up. */
static bool
record_followup (dispatch_t *self, const mot_obligation_def_t *def, trigger_t *t, bool open)
{
    if (strlen (t->trigger->ref) > FOLLOWUP_MAX_REF) {
        t->unusable = "followup_ref_too_long";
        return true;
    }
    return open ? followup_open (self->followup, def, t->trigger->ref, t->occurred_on)
                : followup_close (self->followup, def, t->trigger->ref, t->occurred_on, t->now);
}

/* Whether `name` is "<stem><suffix>". */
static bool
is_stem_with (const char *name, const char *stem, const char *suffix)
{
    size_t length = strlen (stem);
    return strncmp (name, stem, length) == 0 && strcmp (name + length, suffix) == 0;
}

/* Applies the trigger to one catalogue row; false when Redis failed. */
static bool
apply_trigger_to (dispatch_t *self, const mot_obligation_def_t *def, trigger_t *t)
{
    const char *name = t->trigger->trigger;
    if ((def->rule == MOT_RULE_EVENT || def->rule == MOT_RULE_LAST_UPDATE) && strcmp (def->trigger, name) == 0) {
        t->matched++;
        if (def->rule == MOT_RULE_LAST_UPDATE)
            return record_update (self, def, t);
        obligation_spec_t spec = {.def = def, .period = t->trigger->ref, .anchor = t->occurred_on, .n = def->n};
        return obligation_store_create (self->store, &spec, t->now) != OBLIGATION_FAILED;
    }
    if (def->rule == MOT_RULE_FORTNIGHT) {
        bool opens = is_stem_with (name, def->trigger, "_opened");
        bool closes = is_stem_with (name, def->trigger, "_closed");
        if (opens || closes) {
            t->matched++;
            return record_followup (self, def, t, opens);
        }
    }
    return true;
}

static void
handle_trigger (dispatch_t *self, const char *event_id, Mot__V1__Source source,
                const Mot__V1__TriggerEvent *trigger, int64_t now)
{
    trigger_t t = {.trigger = trigger, .now = now};
    if (!trigger->trigger || !trigger->ref || !trigger->occurred_on) {
        skip_event (self, event_id, "trigger_incomplete");
        return;
    }
    if (!mot_obligation_ref_is_safe (trigger->ref)) {
        skip_event (self, event_id, "ref_unusable_in_id");
        return;
    }
    if (!mot_day_parse (trigger->occurred_on, &t.occurred_on)) {
        skip_event (self, event_id, "bad_occurred_on");
        return;
    }
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++) {
        const mot_obligation_def_t *def = mot_obligations_at (self->catalogue, i);
        if (def->unit == source && !apply_trigger_to (self, def, &t))
            return;                 /* Redis failed: stays pending, re-sent */
    }
    if (t.matched == 0)
        skip_event (self, event_id, "trigger_not_in_catalogue");
    else
    if (t.unusable)
        skip_event (self, event_id, t.unusable);
    else
        obligation_store_commit_event (self->store, event_id);
}

/* ---- action due dates -------------------------------------------------- */

/* Reads the territory of each queued action's item in one pipelined round
 * trip (a reference unusable in an id counts as unknown). False when Redis
 * failed. */
static bool
read_territories (dispatch_t *self)
{
    size_t appended = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < self->queued; i++) {
        const char *item_id = self->queue[i].dispatch->envelope->action->item_id;
        if (!item_id || !*item_id)
            continue;
        char *key = mot_key_item (item_id);
        const char *argv[] = {"HGET", key, MOT_ITEM_TERRITORY};
        ok = key && mot_redis_append (self->redis, 3, argv, NULL);
        appended += ok;
        free (key);
    }
    for (size_t i = 0; appended > 0 && i < self->queued; i++) {
        const char *item_id = self->queue[i].dispatch->envelope->action->item_id;
        if (!item_id || !*item_id)
            continue;
        redisReply *reply = mot_redis_read (self->redis);
        appended--;
        ok = ok && mot_reply_ok (reply);
        if (ok && reply->type == REDIS_REPLY_STRING && mot_obligation_ref_is_safe (reply->str))
            self->queue[i].territory = strdup (reply->str);
        self->queue[i].spec.territory = self->queue[i].territory;
        if (reply)
            freeReplyObject (reply);
    }
    return ok;
}

void
dispatch_flush (dispatch_t *self, int64_t now)
{
    if (self->queued == 0)
        return;
    obligation_spec_t specs[DISPATCH_BATCH];
    obligation_result_t results[DISPATCH_BATCH];
    if (read_territories (self)) {
        for (size_t i = 0; i < self->queued; i++)
            specs[i] = self->queue[i].spec;
        obligation_store_create_many (self->store, specs, self->queued, now, results);
    }
    release_queue (self);           /* failed ones stay pending: intake re-sends them */
}

/* Queues a valid action for the batched create; takes the Dispatch. */
static void
queue_action (dispatch_t *self, Mot__V1__Dispatch **dispatch_p, const mot_obligation_def_t *def, mot_day_t due_on,
              int64_t now)
{
    Mot__V1__Dispatch *dispatch = *dispatch_p;
    const Mot__V1__ActionDue *action = dispatch->envelope->action;
    queued_action_t *queued = &self->queue[self->queued++];
    queued->dispatch = dispatch;
    queued->spec = (obligation_spec_t) {
        .def = def, .period = action->action_id, .anchor = due_on, .n = 0, .event_id = dispatch->event_id,
        .responsible = action->responsible && mot_obligation_ref_is_safe (action->responsible) ? action->responsible
                                                                                               : NULL};
    *dispatch_p = NULL;
    if (self->queued == DISPATCH_BATCH)
        dispatch_flush (self, now);
}

/* Validates an action; a valid one is queued (taking the Dispatch). */
static void
handle_action (dispatch_t *self, Mot__V1__Dispatch **dispatch_p, Mot__V1__Source source, int64_t now)
{
    const char *event_id = (*dispatch_p)->event_id;
    const Mot__V1__ActionDue *action = (*dispatch_p)->envelope->action;
    const mot_obligation_def_t *def = action->kind ? mot_obligations_find (self->catalogue, source, action->kind)
                                                   : NULL;
    mot_day_t due_on;
    if (!action->action_id || !action->kind || !action->due_on)
        skip_event (self, event_id, "action_incomplete");
    else
    if (!def || def->rule != MOT_RULE_ACTION)
        skip_event (self, event_id, "action_kind_not_in_catalogue");
    else
    if (!mot_obligation_ref_is_safe (action->action_id))
        skip_event (self, event_id, "action_id_unusable_in_id");
    else
    if (!mot_day_parse (action->due_on, &due_on))
        skip_event (self, event_id, "bad_due_on");
    else
        queue_action (self, dispatch_p, def, due_on, now);
}

/* ---- hand-offs of the item lifecycle (the classifier applied them) ------ */

/* A verified 100 % progress report completed an action, agreement or
 * recommendation: its obligation is delivered on the report's cut-off. */
static void
handle_completion (dispatch_t *self, const char *event_id, Mot__V1__Source source,
                   const Mot__V1__Verification *verification, int64_t now)
{
    Mot__V1__ReportDelivery delivery = MOT__V1__REPORT_DELIVERY__INIT;
    delivery.report = verification->kind;
    delivery.period = verification->action_id;
    delivery.delivered_on = verification->cut_off;
    handle_delivery (self, event_id, source, &delivery, now);
}

/* A new due date: the obligation's deadline moves (earlier or later). */
static void
handle_reschedule (dispatch_t *self, const char *event_id, Mot__V1__Source source,
                   const Mot__V1__Reschedule *reschedule, int64_t now)
{
    const mot_obligation_def_t *def = reschedule->kind ? mot_obligations_find (self->catalogue, source, reschedule->kind)
                                                       : NULL;
    mot_day_t due_on;
    if (!def || def->rule != MOT_RULE_ACTION || !reschedule->action_id
        || !mot_obligation_ref_is_safe (reschedule->action_id))
        skip_event (self, event_id, "reschedule_of_no_action");
    else
    if (!reschedule->due_on || !mot_day_parse (reschedule->due_on, &due_on))
        skip_event (self, event_id, "bad_due_on");
    else {
        char *id = mot_obligation_id (def, reschedule->action_id);
        obligation_result_t result = id ? obligation_store_set_anchor (self->store, id, due_on, "rescheduled", now)
                                        : OBLIGATION_FAILED;
        free (id);
        if (result != OBLIGATION_FAILED)
            obligation_store_commit_event (self->store, event_id);
    }
}

/* ---- messages ---------------------------------------------------------- */

/* Applies one Dispatch; an action is queued instead (and the Dispatch taken). */
static void
apply_dispatch (dispatch_t *self, Mot__V1__Dispatch **dispatch_p, int64_t now)
{
    const Mot__V1__Dispatch *dispatch = *dispatch_p;
    const Mot__V1__Envelope *envelope = dispatch->envelope;
    Mot__V1__Source source = envelope->has_source ? envelope->source : MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
    if (envelope->body_case == MOT__V1__ENVELOPE__BODY_ACTION) {
        handle_action (self, dispatch_p, source, now);
        return;
    }
    dispatch_flush (self, now);     /* keep the order of intake's events */
    switch (envelope->body_case) {
        case MOT__V1__ENVELOPE__BODY_DELIVERY:
            handle_delivery (self, dispatch->event_id, source, envelope->delivery, now);
            break;
        case MOT__V1__ENVELOPE__BODY_TRIGGER:
            handle_trigger (self, dispatch->event_id, source, envelope->trigger, now);
            break;
        case MOT__V1__ENVELOPE__BODY_VERIFICATION:
            handle_completion (self, dispatch->event_id, source, envelope->verification, now);
            break;
        case MOT__V1__ENVELOPE__BODY_RESCHEDULE:
            handle_reschedule (self, dispatch->event_id, source, envelope->reschedule, now);
            break;
        default:
            skip_event (self, dispatch->event_id, "not_for_the_watcher");
            break;
    }
}

void
dispatch_handle (dispatch_t *self, zmsg_t **msg_p, int64_t now)
{
    zmsg_t *msg = *msg_p;
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__BAD_FRAMING;
    Mot__V1__Dispatch *dispatch = NULL;
    if (msg && zmsg_size (msg) == 1)
        dispatch = (Mot__V1__Dispatch *) mot_wire_unpack (zmsg_first (msg), &mot__v1__dispatch__descriptor,
                                                          DISPATCH_LIMIT, &code);
    if (dispatch && dispatch->envelope)
        apply_dispatch (self, &dispatch, now);
    else
        mot_log_warn ("dispatch_dropped", "reason=%s frames=%zu", mot_error_code_name (code),
                      msg ? zmsg_size (msg) : 0);
    if (dispatch)
        protobuf_c_message_free_unpacked (&dispatch->base, NULL);
    zmsg_destroy (msg_p);
}
