/*  mot-intake — the only door for writes from outside.
 *
 *  Owns the ingress socket (ROUTER, bound): each request is one Envelope,
 *  each answer one Ack. An envelope is decoded once with a size limit,
 *  validated field by field, its personal data replaced by a keyed hash,
 *  stored in Redis with its pending hand-off (deduplicated on (source,
 *  external id)), and only then acknowledged and dispatched (PUSH, bound) to
 *  the classifier or, for deliveries and triggers, to the deadline-watcher.
 *  A timer re-drives hand-offs the next stage has not committed.
 */
#include "mot_catalog.h"
#include "mot_keys.h"
#include "mot_service.h"
#include "mot_validate.h"
#include "mot_wire.h"
#include "pii.h"
#include "store.h"

#include <czmq.h>
#include <string.h>

static const mot_option_t options[] = {
    {"ingress", "MOT_INTAKE_INGRESS", "tcp://127.0.0.1:5550", "ingress endpoint (ROUTER, bind) for upstreams and motctl"},
    {"classify", "MOT_INTAKE_CLASSIFY", "tcp://127.0.0.1:5551", "dispatch endpoint (PUSH, bind) read by classifiers"},
    {"watch", "MOT_INTAKE_WATCH", "tcp://127.0.0.1:5552", "dispatch endpoint (PUSH, bind) read by deadline-watchers"},
    {"territories", "MOT_TERRITORIES", MOT_CATALOG_DEFAULT_FILE, "territory catalogue (TSV)"},
    {"pii-key-file", "MOT_PII_KEY_FILE", "", "file whose content keys the hash of personal data (required)"},
    {"max-message", "MOT_INTAKE_MAX_MESSAGE", "65536", "largest accepted envelope in bytes (larger: TOO_LARGE)"},
    {"dedup-days", "MOT_INTAKE_DEDUP_DAYS", "400", "how long (source, external id) is remembered"},
    {"redrive-ms", "MOT_INTAKE_REDRIVE_MS", "5000", "re-send a hand-off not committed after this long"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    mot_catalog_t *territories;
    pii_t *pii;
    store_t *store;
    zsock_t *ingress;
    zsock_t *classify;
    zsock_t *watch;
    long max_message;
    long redrive_ms;
} intake_t;

static bool
goes_to_watcher (Mot__V1__Envelope__BodyCase body)
{
    return body == MOT__V1__ENVELOPE__BODY_DELIVERY || body == MOT__V1__ENVELOPE__BODY_TRIGGER
           || body == MOT__V1__ENVELOPE__BODY_ACTION;
}

static void
send_dispatch (zsock_t *socket, const char *event_id, Mot__V1__Envelope *envelope)
{
    Mot__V1__Dispatch dispatch = MOT__V1__DISPATCH__INIT;
    dispatch.event_id = (char *) event_id;
    dispatch.envelope = envelope;
    if (!mot_wire_send (socket, NULL, &dispatch.base, true))
        mot_log_debug ("dispatch_deferred", "event_id=%s reason=\"no ready peer; re-driven later\"", event_id);
}

/* Sends the Ack after the routing frames of the request. */
static void
reply (intake_t *self, zmsg_t *route, Mot__V1__Ack *ack)
{
    if (!mot_wire_send (self->ingress, route, &ack->base, true))
        mot_log_warn ("ack_not_sent", "reason=\"peer gone or not ready\"");
}

static void
reply_error (intake_t *self, zmsg_t *route, const char *external_id, Mot__V1__ErrorCode code,
             const char *field, const char *reason)
{
    Mot__V1__Ack ack = MOT__V1__ACK__INIT;
    Mot__V1__Error error = MOT__V1__ERROR__INIT;
    ack.external_id = (char *) (external_id ? external_id : "");
    error.code = code;
    error.reason = (char *) reason;
    error.field = (char *) field;
    ack.result_case = MOT__V1__ACK__RESULT_ERROR;
    ack.error = &error;
    mot_log_info ("rejected", "code=%s field=%s", mot_error_code_name (code), field ? field : "-");
    reply (self, route, &ack);
}

static void
reply_accepted (intake_t *self, zmsg_t *route, const char *external_id, const char *event_id, bool duplicate)
{
    Mot__V1__Ack ack = MOT__V1__ACK__INIT;
    Mot__V1__Accepted accepted = MOT__V1__ACCEPTED__INIT;
    ack.external_id = (char *) external_id;
    accepted.event_id = (char *) event_id;
    accepted.has_duplicate = true;
    accepted.duplicate = duplicate;
    ack.result_case = MOT__V1__ACK__RESULT_ACCEPTED;
    ack.accepted = &accepted;
    reply (self, route, &ack);
}

/* Validated and sanitised: store, acknowledge, dispatch. */
static void
accept_envelope (intake_t *self, zmsg_t *route, Mot__V1__Envelope *envelope)
{
    zframe_t *packed = mot_wire_frame (&envelope->base);
    if (!packed) {
        reply_error (self, route, envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        return;
    }
    bool to_watcher = goes_to_watcher (envelope->body_case);
    const char *source = mot_source_name (envelope->source);
    char *event_id = NULL;
    store_result_t result = store_accept (
        self->store, source, envelope->external_id, mot_body_name (envelope->body_case), zframe_data (packed),
        zframe_size (packed), to_watcher ? MOT_KEY_PENDING_WATCH : MOT_KEY_PENDING_CLASSIFY,
        mot_clock_now (self->service->clock), zclock_time (), &event_id);
    zframe_destroy (&packed);
    if (result == STORE_UNAVAILABLE)
        reply_error (self, route, envelope->external_id, MOT__V1__ERROR_CODE__UNAVAILABLE, NULL,
                     "storage unavailable, nothing was stored; retry");
    else {
        bool duplicate = result == STORE_DUPLICATE;
        reply_accepted (self, route, envelope->external_id, event_id, duplicate);
        mot_log_info (duplicate ? "duplicate" : "accepted", "event_id=%s source=%s type=%s", event_id, source,
                      mot_body_name (envelope->body_case));
        if (!duplicate)
            send_dispatch (to_watcher ? self->watch : self->classify, event_id, envelope);
    }
    free (event_id);
}

static void
handle_envelope (intake_t *self, zmsg_t *route, zframe_t *payload)
{
    Mot__V1__ErrorCode code;
    Mot__V1__Envelope *envelope = (Mot__V1__Envelope *) mot_wire_unpack (
        payload, &mot__v1__envelope__descriptor, (size_t) self->max_message, &code);
    if (!envelope) {
        reply_error (self, route, "", code, NULL,
                     code == MOT__V1__ERROR_CODE__TOO_LARGE ? "message above the size limit"
                                                            : "not a mot.v1.Envelope");
        return;
    }
    mot_validation_t validation;
    mot_day_t today = mot_day_local_of (mot_clock_now (self->service->clock));
    if (!mot_validate_envelope (envelope, self->territories, today, &validation))
        reply_error (self, route, envelope->external_id, validation.code, validation.field, validation.reason);
    else if (envelope->body_case == MOT__V1__ENVELOPE__BODY_QUEJA && !pii_pseudonymise (self->pii, envelope->queja))
        reply_error (self, route, envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    else
        accept_envelope (self, route, envelope);
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
}

/* Request frames: [identity]["" if REQ][envelope]. Anything else gets a
 * BAD_FRAMING error when there is an identity to answer. */
static int
on_ingress (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    intake_t *self = (intake_t *) arg;
    zmsg_t *msg = zmsg_recv (reader);
    if (!msg)
        return 0;
    zmsg_t *route = zmsg_new ();
    zframe_t *identity = zmsg_pop (msg);
    if (route && identity) {
        zmsg_append (route, &identity);
        zframe_t *next = zmsg_first (msg);
        if (next && zframe_size (next) == 0 && zmsg_size (msg) > 1) {
            zframe_t *delimiter = zmsg_pop (msg);
            zmsg_append (route, &delimiter);
        }
        if (zmsg_size (msg) == 1)
            handle_envelope (self, route, zmsg_first (msg));
        else
            reply_error (self, route, "", MOT__V1__ERROR_CODE__BAD_FRAMING, NULL,
                         "expected one frame holding an Envelope");
    }
    zframe_destroy (&identity);
    zmsg_destroy (&route);
    zmsg_destroy (&msg);
    return 0;
}

static void
redrive_send (const char *event_id, const uint8_t *data, size_t size, void *arg)
{
    zsock_t *socket = (zsock_t *) arg;
    Mot__V1__ErrorCode code;
    Mot__V1__Envelope *envelope =
        (Mot__V1__Envelope *) mot_wire_unpack_bytes (data, size, &mot__v1__envelope__descriptor, 0, &code);
    if (!envelope) {
        mot_log_error ("redrive_corrupt", "event_id=%s", event_id);
        return;
    }
    send_dispatch (socket, event_id, envelope);
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
}

static int
on_redrive (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    intake_t *self = (intake_t *) arg;
    int64_t now_ms = zclock_time ();
    int64_t older = now_ms - self->redrive_ms;
    int classify = store_redrive (self->store, MOT_KEY_PENDING_CLASSIFY, older, now_ms, 500, redrive_send, self->classify);
    int watch = store_redrive (self->store, MOT_KEY_PENDING_WATCH, older, now_ms, 500, redrive_send, self->watch);
    if (classify > 0 || watch > 0)
        mot_log_info ("redriven", "classify=%d watch=%d", classify, watch);
    return 0;
}

/* max_size > 0 limits incoming messages; libzmq applies socket options to
 * connections accepted after they are set, so they go before the bind. */
static zsock_t *
bind_socket (int type, const char *endpoint, const char *what, long max_size)
{
    zsock_t *socket = zsock_new (type);
    if (socket && max_size > 0)
        zsock_set_maxmsgsize (socket, (int) max_size);
    if (socket && zsock_bind (socket, "%s", endpoint) < 0) {
        mot_log_error ("bind_failed", "socket=%s endpoint=%s reason=\"%s\"", what, endpoint, zmq_strerror (zmq_errno ()));
        zsock_destroy (&socket);
    }
    return socket;
}

static bool
intake_open (intake_t *self)
{
    mot_config_t *config = self->service->config;
    char *error = NULL;
    if (!mot_config_get_long (config, "max-message", 64, 64 * 1024 * 1024, &self->max_message)
        || !mot_config_get_long (config, "redrive-ms", 100, 3600000, &self->redrive_ms))
        return false;
    long dedup_days;
    if (!mot_config_get_long (config, "dedup-days", 90, 3650, &dedup_days))
        return false;
    self->territories = mot_catalog_new (mot_config_get (config, "territories"), &error);
    if (!self->territories) {
        mot_log_error ("catalogue_failed", "reason=\"%s\"", error ? error : "out of memory");
        free (error);
        return false;
    }
    self->pii = pii_new (mot_config_get (config, "pii-key-file"));
    self->store = store_new (self->service->redis, dedup_days);
    /* Far above the accepted size so an oversized envelope still gets a
     * TOO_LARGE answer; beyond this libzmq drops the peer's connection. */
    self->ingress = bind_socket (ZMQ_ROUTER, mot_config_get (config, "ingress"), "ingress", self->max_message * 16);
    self->classify = bind_socket (ZMQ_PUSH, mot_config_get (config, "classify"), "classify", 0);
    self->watch = bind_socket (ZMQ_PUSH, mot_config_get (config, "watch"), "watch", 0);
    if (!self->pii || !self->store || !self->ingress || !self->classify || !self->watch)
        return false;
    return true;
}

static void
intake_close (intake_t *self)
{
    zsock_destroy (&self->ingress);
    zsock_destroy (&self->classify);
    zsock_destroy (&self->watch);
    store_destroy (&self->store);
    pii_destroy (&self->pii);
    mot_catalog_destroy (&self->territories);
}

int
main (int argc, char **argv)
{
    int rc;
    intake_t self = {0};
    self.service = mot_service_new ("intake", "Validates, deduplicates and stores every incoming event, then acknowledges.",
                                    options, argc, argv, &rc);
    if (!self.service)
        return rc;
    rc = 1;
    if (intake_open (&self)) {
        zloop_t *loop = zloop_new ();
        if (loop) {
            zloop_reader (loop, self.ingress, on_ingress, &self);
            zloop_reader_set_tolerant (loop, self.ingress);
            zloop_timer (loop, (size_t) (self.redrive_ms / 2), 0, on_redrive, &self);
            mot_log_info ("serving", "ingress=%s", mot_config_get (self.service->config, "ingress"));
            zloop_start (loop);
            zloop_destroy (&loop);
            rc = 0;
        }
    }
    intake_close (&self);
    mot_log_info ("stopped", "rc=%d", rc);
    mot_service_destroy (&self.service);
    return rc;
}
