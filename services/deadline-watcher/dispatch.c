/*  dispatch — decoding Dispatch messages from intake and applying deliveries
 *  and triggers to obligations (see dispatch.h).
 */
#include "dispatch.h"
#include "mot_keys.h"
#include "mot_log.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

struct _dispatch_t {
    mot_redis_t *redis;
    mot_obligations_t *catalogue;
    mot_calendar_t *calendar;
    obligation_store_t *store;
};

dispatch_t *
dispatch_new (mot_redis_t *redis, mot_obligations_t *catalogue, mot_calendar_t *calendar,
              obligation_store_t *store)
{
    dispatch_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->catalogue = catalogue;
    self->calendar = calendar;
    self->store = store;
    return self;
}

void
dispatch_destroy (dispatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

/* The event needs no (more) work here: take it out of the pending set. */
static void
commit_event (dispatch_t *self, const char *event_id)
{
    redisReply *reply = mot_redis_command (self->redis, "ZREM %s %s", MOT_KEY_PENDING_WATCH, event_id);
    if (reply)
        freeReplyObject (reply);
}

static void
skip_event (dispatch_t *self, const char *event_id, const char *reason)
{
    mot_log_warn ("event_skipped", "event_id=%s reason=%s", event_id, reason);
    commit_event (self, event_id);
}

/* The period names a month for monthly rules, a safe reference otherwise. */
static bool
period_fits_rule (const mot_obligation_def_t *def, const char *period)
{
    int year, month;
    if (def->rule == MOT_RULE_MONTH_CLOSE)
        return mot_period_parse (period, &year, &month);
    return mot_obligation_ref_is_safe (period);
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
        obligation_store_deliver (self->store, def, delivery->period, delivered_on, event_id, now);
}

/* Creates every event obligation `trigger` starts; false when Redis failed. */
static bool
create_triggered (dispatch_t *self, Mot__V1__Source source, const Mot__V1__TriggerEvent *trigger,
                  mot_day_t occurred_on, int64_t now, int *matched)
{
    *matched = 0;
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++) {
        const mot_obligation_def_t *def = mot_obligations_at (self->catalogue, i);
        if (def->rule != MOT_RULE_EVENT || def->unit != source || strcmp (def->trigger, trigger->trigger) != 0)
            continue;
        (*matched)++;
        mot_day_t deadline = mot_obligation_deadline_after_event (def, self->calendar, occurred_on);
        if (obligation_store_create (self->store, def, trigger->ref, deadline, now) == OBLIGATION_FAILED)
            return false;
    }
    return true;
}

static void
handle_trigger (dispatch_t *self, const char *event_id, Mot__V1__Source source,
                const Mot__V1__TriggerEvent *trigger, int64_t now)
{
    mot_day_t occurred_on;
    int matched = 0;
    if (!trigger->trigger || !trigger->ref || !trigger->occurred_on)
        skip_event (self, event_id, "trigger_incomplete");
    else
    if (!mot_obligation_ref_is_safe (trigger->ref))
        skip_event (self, event_id, "ref_unusable_in_id");
    else
    if (!mot_day_parse (trigger->occurred_on, &occurred_on))
        skip_event (self, event_id, "bad_occurred_on");
    else
    if (create_triggered (self, source, trigger, occurred_on, now, &matched)) {
        if (matched == 0)
            skip_event (self, event_id, "trigger_not_in_catalogue");
        else
            commit_event (self, event_id);
    }
}

static void
apply_dispatch (dispatch_t *self, const Mot__V1__Dispatch *dispatch, int64_t now)
{
    const Mot__V1__Envelope *envelope = dispatch->envelope;
    Mot__V1__Source source = envelope->has_source ? envelope->source : MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
    switch (envelope->body_case) {
        case MOT__V1__ENVELOPE__BODY_DELIVERY:
            handle_delivery (self, dispatch->event_id, source, envelope->delivery, now);
            break;
        case MOT__V1__ENVELOPE__BODY_TRIGGER:
            handle_trigger (self, dispatch->event_id, source, envelope->trigger, now);
            break;
        case MOT__V1__ENVELOPE__BODY__NOT_SET:
        default:
            skip_event (self, dispatch->event_id, "not_a_delivery_or_trigger");
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
        apply_dispatch (self, dispatch, now);
    else
        mot_log_warn ("dispatch_dropped", "reason=%s frames=%zu", mot_error_code_name (code),
                      msg ? zmsg_size (msg) : 0);
    if (dispatch)
        protobuf_c_message_free_unpacked (&dispatch->base, NULL);
    zmsg_destroy (msg_p);
}
