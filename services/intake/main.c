/*  mot-intake — the only door for writes from outside.
 *
 *  Owns the ingress socket (ROUTER, framed as mot_request reads it): each
 *  request is one Envelope, each answer one Ack. Requests are taken in batches (all that are waiting, up to
 *  --batch): each envelope is decoded once with a size limit, validated field
 *  by field and its personal data replaced by a keyed hash; the valid ones
 *  are stored in Redis in one atomic step with their pending hand-offs
 *  (deduplicated on (source, external id)), and only then acknowledged and
 *  dispatched (PUSH) to the classifier or, for deliveries, triggers and
 *  actions, to the deadline-watcher. A timer re-drives hand-offs the next
 *  stage has not committed.
 *
 *  Endpoints follow mot_socket: by default intake binds all three; with
 *  ">" endpoints several intakes connect to a device (tools/proxy) instead.
 */
#include "mot_catalog.h"
#include "mot_endpoints.h"
#include "mot_metrics.h"
#include "mot_request.h"
#include "mot_schema.h"
#include "mot_service.h"
#include "mot_socket.h"
#include "mot_validate.h"
#include "authorise.h"
#include "mot_wire.h"
#include "pii.h"
#include "store.h"

#include <czmq.h>
#include <string.h>

static const mot_option_t options[] = {
    {"ingress", "MOT_INTAKE_INGRESS", MOT_DEFAULT_INGRESS, "ingress endpoint (ROUTER; bind, or '>' to connect to a proxy)"},
    {"classify", "MOT_INTAKE_CLASSIFY", MOT_DEFAULT_CLASSIFY, "dispatch endpoint (PUSH; bind, or '>' to connect) read by classifiers"},
    {"watch", "MOT_INTAKE_WATCH", MOT_DEFAULT_WATCH, "dispatch endpoint (PUSH; bind, or '>' to connect) read by deadline-watchers"},
    {"territories", "MOT_TERRITORIES", MOT_CATALOG_DEFAULT_FILE, "territory catalogue (TSV)"},
    {"on-catalogue", "MOT_ON_CATALOGUE", MOT_ON_CATALOG_DEFAULT_FILE, "ON catalogue (TSV: CODE<TAB>Name)"},
    {"pii-key-file", "MOT_PII_KEY_FILE", "", "file whose content keys the hash of personal data (required)"},
    {"max-message", "MOT_INTAKE_MAX_MESSAGE", "65536", "largest accepted envelope in bytes (larger: TOO_LARGE)"},
    {"batch", "MOT_INTAKE_BATCH", "256", "most requests stored in one Redis step"},
    {"redrive-ms", "MOT_INTAKE_REDRIVE_MS", "5000", "re-send a hand-off not committed after this long"},
    {"dispatch-hwm", "MOT_INTAKE_DISPATCH_HWM", "100000", "dispatches queued per next-stage peer before sends wait for the re-drive"},
    {NULL, NULL, NULL, NULL}};

#define REDRIVE_BATCH 500         /* hand-offs claimed per Redis step */
#define REDRIVE_ROUNDS 40         /* most steps per timer tick (20,000 hand-offs) */

typedef struct {
    mot_service_t *service;
    mot_catalog_t *territories;
    mot_catalog_t *ons;
    pii_t *pii;
    store_t *store;
    zsock_t *ingress;
    zsock_t *classify;
    zsock_t *watch;
    long max_message;
    long batch;
    long redrive_ms;
    long dispatch_hwm;
    mot_counter_t *accepted, *duplicates, *redriven_classify, *redriven_watch;
    mot_histogram_t *ack_seconds;
    mot_gauge_t *pending_classify, *pending_watch;
} intake_t;

#define REQUESTS_METRIC "mot_intake_requests_total"
#define REQUESTS_HELP "Requests answered, by outcome (accepted, duplicate, refused) and code (OK, or the Error code)."

/* A request that passed validation, waiting for the batch's Redis step. */
typedef struct {
    mot_request_t *request;     /* to answer through */
    Mot__V1__Envelope *envelope;
    zframe_t *packed;           /* the sanitised envelope, as stored */
    int64_t received_us;        /* when it was read (monotonic) */
} pending_t;

/* Deliveries, triggers and due dates without an item go to the watcher;
 * evidence, overrides and lifecycle commands (an action on items among
 * them: the classifier hands its due date on) to the classifier. */
static bool
goes_to_watcher (const Mot__V1__Envelope *envelope)
{
    switch (envelope->body_case) {
    case MOT__V1__ENVELOPE__BODY_DELIVERY:
    case MOT__V1__ENVELOPE__BODY_TRIGGER: return true;
    case MOT__V1__ENVELOPE__BODY_ACTION:
        return !mot_action_has_items (envelope->action);
    default: return false;
    }
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

static void
reply (mot_request_t *request, Mot__V1__Ack *ack)
{
    if (!mot_request_reply (request, &ack->base))
        mot_log_warn ("ack_not_sent", "reason=\"peer gone or not ready\"");
}

static void
reply_error (mot_request_t *request, const char *external_id, Mot__V1__ErrorCode code,
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
    mot_counter_add (mot_metrics_counter (REQUESTS_METRIC, REQUESTS_HELP, "outcome", "refused", "code",
                                          mot_error_code_name (code), NULL),
                     1);
    reply (request, &ack);
}

static void
reply_accepted (mot_request_t *request, const char *external_id, const char *event_id, bool duplicate)
{
    Mot__V1__Ack ack = MOT__V1__ACK__INIT;
    Mot__V1__Accepted accepted = MOT__V1__ACCEPTED__INIT;
    ack.external_id = (char *) external_id;
    accepted.event_id = (char *) event_id;
    accepted.has_duplicate = true;
    accepted.duplicate = duplicate;
    ack.result_case = MOT__V1__ACK__RESULT_ACCEPTED;
    ack.accepted = &accepted;
    reply (request, &ack);
}

/* Whether the certificate of the peer that sent `payload` (or, through
 * mot-proxy, of the client it forwards) allows the envelope (see
 * authorise); false after answering FORBIDDEN. A command's analyst becomes
 * the certificate's name. */
static bool
admit_sender (intake_t *self, mot_request_t *request, Mot__V1__Envelope *envelope, zframe_t *payload)
{
    mot_peer_t peer = mot_peer_of (payload);
    const char *reason = NULL;
    zframe_t *forwarded = mot_request_forwarded (request);
    authorise_result_t result = AUTHORISE_FORBIDDEN;
    if (forwarded && !mot_peer_forwarded (&peer, forwarded, &peer))
        reason = "credentials forwarded by a peer that is not a service";
    else
        result = authorise_envelope (envelope, &peer, self->service->redis, &reason);
    if (result == AUTHORISE_NO_MEMORY)
        reply_error (request, envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    if (result == AUTHORISE_UNAVAILABLE)
        reply_error (request, envelope->external_id, MOT__V1__ERROR_CODE__UNAVAILABLE, NULL,
                     "storage unavailable, nothing was stored; retry");
    if (result == AUTHORISE_FORBIDDEN) {
        reply_error (request, envelope->external_id, MOT__V1__ERROR_CODE__FORBIDDEN, "source", reason);
        mot_log_warn ("forbidden", "peer=%s role=%s source=%s type=%s", peer.name, peer.role,
                      mot_source_name (envelope->source), mot_body_name (envelope->body_case));
    }
    return result == AUTHORISE_ALLOWED;
}

/* Decodes and validates one request. Returns the envelope, sanitised, or
 * NULL after answering the error. */
static Mot__V1__Envelope *
admit_envelope (intake_t *self, mot_request_t *request, zframe_t *payload, mot_day_t today)
{
    Mot__V1__ErrorCode code;
    Mot__V1__Envelope *envelope = (Mot__V1__Envelope *) mot_wire_unpack (
        payload, &mot__v1__envelope__descriptor, (size_t) self->max_message, &code);
    if (!envelope) {
        reply_error (request, "", code, NULL,
                     code == MOT__V1__ERROR_CODE__TOO_LARGE ? "message above the size limit" : "not a mot.v1.Envelope");
        return NULL;
    }
    if (!admit_sender (self, request, envelope, payload)) {
        protobuf_c_message_free_unpacked (&envelope->base, NULL);
        return NULL;
    }
    mot_validation_t validation;
    bool ok = mot_validate_envelope (envelope, self->territories, self->ons, today, &validation);
    if (!ok)
        reply_error (request, envelope->external_id, validation.code, validation.field, validation.reason);
    else if (envelope->body_case == MOT__V1__ENVELOPE__BODY_QUEJA && !pii_pseudonymise (self->pii, envelope->queja)) {
        reply_error (request, envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        ok = false;
    }
    if (!ok)
        protobuf_c_message_free_unpacked (&envelope->base, NULL);
    return ok ? envelope : NULL;
}

/* Reads one waiting request; a valid one is added to the batch. */
static void
take_request (intake_t *self, pending_t *batch, size_t *count, mot_day_t today)
{
    mot_request_t *request = mot_request_recv (self->ingress);
    if (!request)
        return;
    zframe_t *payload = mot_request_body (request);
    Mot__V1__Envelope *envelope = NULL;
    if (!payload)
        reply_error (request, "", MOT__V1__ERROR_CODE__BAD_FRAMING, NULL, "expected one frame holding an Envelope");
    else
        envelope = admit_envelope (self, request, payload, today);
    zframe_t *packed = envelope ? mot_wire_frame (&envelope->base) : NULL;
    if (envelope && !packed)
        reply_error (request, envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    if (packed) {
        batch[*count] = (pending_t){request, envelope, packed, zclock_usecs ()};
        (*count)++;
        request = NULL;
        envelope = NULL;
    }
    if (envelope)
        protobuf_c_message_free_unpacked (&envelope->base, NULL);
    mot_request_destroy (&request);
}

static void
answer_stored (intake_t *self, pending_t *entry, const store_request_t *stored)
{
    Mot__V1__Envelope *envelope = entry->envelope;
    if (stored->result == STORE_UNAVAILABLE) {
        reply_error (entry->request, envelope->external_id, MOT__V1__ERROR_CODE__UNAVAILABLE, NULL,
                     "storage unavailable, nothing was stored; retry");
        return;
    }
    bool duplicate = stored->result == STORE_DUPLICATE;
    reply_accepted (entry->request, envelope->external_id, stored->event_id, duplicate);
    mot_counter_add (duplicate ? self->duplicates : self->accepted, 1);
    mot_histogram_observe (self->ack_seconds, (double) (zclock_usecs () - entry->received_us) / 1e6);
    mot_log_info (duplicate ? "duplicate" : "accepted", "event_id=%s source=%s type=%s", stored->event_id,
                  stored->source, stored->type);
    if (!duplicate)
        send_dispatch (goes_to_watcher (envelope) ? self->watch : self->classify, stored->event_id,
                       envelope);
}

/* The batch's one Redis step, then the answers and the dispatches. */
static void
store_batch (intake_t *self, pending_t *batch, size_t count, int64_t now)
{
    store_request_t *requests = calloc (count, sizeof *requests);
    if (!requests) {
        for (size_t i = 0; i < count; i++)
            reply_error (batch[i].request, batch[i].envelope->external_id, MOT__V1__ERROR_CODE__INTERNAL, NULL,
                         "out of memory");
        return;
    }
    for (size_t i = 0; i < count; i++) {
        Mot__V1__Envelope *envelope = batch[i].envelope;
        requests[i] = (store_request_t){
            .source = mot_source_name (envelope->source), .external_id = envelope->external_id,
            .type = mot_body_name (envelope->body_case), .envelope = zframe_data (batch[i].packed),
            .size = zframe_size (batch[i].packed),
            .pending_key = goes_to_watcher (envelope) ? MOT_KEY_PENDING_WATCH : MOT_KEY_PENDING_CLASSIFY};
    }
    store_accept_batch (self->store, requests, count, now, zclock_time ());
    for (size_t i = 0; i < count; i++) {
        answer_stored (self, &batch[i], &requests[i]);
        free (requests[i].event_id);
    }
    free (requests);
}

static void
release_batch (pending_t *batch, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        mot_request_destroy (&batch[i].request);
        zframe_destroy (&batch[i].packed);
        protobuf_c_message_free_unpacked (&batch[i].envelope->base, NULL);
    }
}

static int
on_ingress (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    (void) reader;
    intake_t *self = (intake_t *) arg;
    pending_t *batch = calloc ((size_t) self->batch, sizeof *batch);
    if (!batch)
        return 0;
    int64_t now = mot_clock_now (self->service->clock);
    mot_day_t today = mot_day_local_of (now);
    size_t count = 0;
    for (long taken = 0; taken < self->batch && (zsock_events (self->ingress) & ZMQ_POLLIN); taken++)
        take_request (self, batch, &count, today);
    store_batch (self, batch, count, now);
    release_batch (batch, count);
    free (batch);
    return 0;
}

static bool
redrive_send (const char *event_id, const uint8_t *data, size_t size, void *arg)
{
    zsock_t *socket = (zsock_t *) arg;
    Mot__V1__ErrorCode code;
    Mot__V1__Envelope *envelope =
        (Mot__V1__Envelope *) mot_wire_unpack_bytes (data, size, &mot__v1__envelope__descriptor, 0, &code);
    if (!envelope) {
        mot_log_error ("redrive_corrupt", "event_id=%s", event_id);
        return true;            /* nothing to send; go on with the others */
    }
    Mot__V1__Dispatch dispatch = MOT__V1__DISPATCH__INIT;
    dispatch.event_id = (char *) event_id;
    dispatch.envelope = envelope;
    bool sent = mot_wire_send (socket, NULL, &dispatch.base, true);
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
    return sent;
}

/* Re-sends overdue hand-offs of one pending set, batch after batch while
 * batches come full and the next stage takes them (a backlog after a
 * classifier outage drains at the classifiers' pace, not a trickle). */
static int
redrive_set (intake_t *self, const char *pending_key, zsock_t *socket)
{
    int total = 0;
    bool full = true;
    for (int round = 0; full && round < REDRIVE_ROUNDS; round++) {
        int64_t now_ms = zclock_time ();
        int sent = store_redrive (self->store, pending_key, now_ms - self->redrive_ms, now_ms, REDRIVE_BATCH,
                                  redrive_send, socket, &full);
        if (sent > 0)
            total += sent;
    }
    return total;
}

/* The re-drive timer's period: a hand-off another service recorded (the
 * classifier hands an action's due date to the watcher with score 0,
 * "never sent") goes out within this long; the others when they are
 * --redrive-ms old. */
#define HANDOFF_POLL_MS 100

static int
on_redrive (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    intake_t *self = (intake_t *) arg;
    int classify = redrive_set (self, MOT_KEY_PENDING_CLASSIFY, self->classify);
    int watch = redrive_set (self, MOT_KEY_PENDING_WATCH, self->watch);
    mot_counter_add (self->redriven_classify, (uint64_t) classify);
    mot_counter_add (self->redriven_watch, (uint64_t) watch);
    if (classify > 0 || watch > 0)
        mot_log_info ("redriven", "classify=%d watch=%d", classify, watch);
    return 0;
}

/* The gauges read from Redis, on the service's connection, from its loop. */
static int
on_gauges (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    intake_t *self = (intake_t *) arg;
    long long classify, watch;
    if (mot_health_redis_count (self->service->redis, "ZCARD", MOT_KEY_PENDING_CLASSIFY, &classify)
        && mot_health_redis_count (self->service->redis, "ZCARD", MOT_KEY_PENDING_WATCH, &watch)) {
        mot_gauge_set (self->pending_classify, (double) classify);
        mot_gauge_set (self->pending_watch, (double) watch);
    }
    return 0;
}

static void
register_metrics (intake_t *self)
{
    static const double latency[] = {MOT_METRICS_LATENCY_BUCKETS};
    self->accepted = mot_metrics_counter (REQUESTS_METRIC, REQUESTS_HELP, "outcome", "accepted", "code", "OK", NULL);
    self->duplicates = mot_metrics_counter (REQUESTS_METRIC, REQUESTS_HELP, "outcome", "duplicate", "code", "OK", NULL);
    self->ack_seconds = mot_metrics_histogram (
        "mot_intake_ack_seconds", "From reading a request to sending its Ack, for those stored (accepted or duplicate).",
        latency, sizeof latency / sizeof *latency, NULL);
    const char *redrives = "Hand-offs sent again because the next stage had not committed them, by stage.";
    self->redriven_classify = mot_metrics_counter ("mot_intake_redrives_total", redrives, "stage", "classify", NULL);
    self->redriven_watch = mot_metrics_counter ("mot_intake_redrives_total", redrives, "stage", "watch", NULL);
    const char *pending = "Hand-offs recorded and not committed yet by the next stage (Redis, read every second).";
    self->pending_classify = mot_metrics_gauge ("mot_handoffs_pending", pending, "stage", "classify", NULL);
    self->pending_watch = mot_metrics_gauge ("mot_handoffs_pending", pending, "stage", "watch", NULL);
}

static bool
intake_open (void *arg, mot_service_t *service)
{
    intake_t *self = arg;
    self->service = service;
    mot_config_t *config = service->config;
    char *error = NULL;
    if (!mot_config_get_long (config, "max-message", 64, 64 * 1024 * 1024, &self->max_message)
        || !mot_config_get_long (config, "batch", 1, 10000, &self->batch)
        || !mot_config_get_long (config, "redrive-ms", 100, 3600000, &self->redrive_ms)
        || !mot_config_get_long (config, "dispatch-hwm", 1, 10000000, &self->dispatch_hwm))
        return false;
    self->territories = mot_catalog_new (mot_config_get (config, "territories"), &error);
    if (self->territories)
        self->ons = mot_catalog_new_on (mot_config_get (config, "on-catalogue"), &error);
    if (!self->ons) {
        mot_log_error ("catalogue_failed", "reason=\"%s\"", error ? error : "out of memory");
        free (error);
        return false;
    }
    register_metrics (self);
    self->pii = pii_new (mot_config_get (config, "pii-key-file"));
    self->store = store_new (self->service->redis, (size_t) self->batch);
    /* The ingress limit is far above the accepted size so that an oversized
     * envelope still gets a TOO_LARGE answer; beyond it libzmq drops the
     * peer's connection instead of buffering without bound. */
    mot_socket_options_t ingress = {.max_size = self->max_message * 16};
    /* With CURVE, a dispatch socket is the client of the service that
     * receives it: only a holder of that service's secret key gets the
     * events, whatever certificate reaches the port. */
    mot_socket_options_t dispatch = {.sndhwm = self->dispatch_hwm, .curve_role = MOT_CURVE_ROLE_CLIENT};
    self->ingress = mot_socket_new (ZMQ_ROUTER, mot_config_get (config, "ingress"), true, "intake", &ingress, "ingress");
    self->classify = mot_socket_new (ZMQ_PUSH, mot_config_get (config, "classify"), true, "classifier", &dispatch,
                                     "classify");
    self->watch = mot_socket_new (ZMQ_PUSH, mot_config_get (config, "watch"), true, "deadline-watcher", &dispatch,
                                  "watch");
    return self->pii && self->store && self->ingress && self->classify && self->watch;
}

static bool
intake_attach (void *arg, zloop_t *loop)
{
    intake_t *self = arg;
    if (zloop_reader (loop, self->ingress, on_ingress, self) != 0
        || zloop_timer (loop, (size_t) (self->redrive_ms < 2 * HANDOFF_POLL_MS ? self->redrive_ms / 2 : HANDOFF_POLL_MS),
                        0, on_redrive, self) < 0
        || zloop_timer (loop, MOT_METRICS_REFRESH_MS, 0, on_gauges, self) < 0)
        return false;
    zloop_reader_set_tolerant (loop, self->ingress);
    mot_log_info ("serving", "ingress=%s", mot_config_get (self->service->config, "ingress"));
    return true;
}

static void
intake_close (void *arg)
{
    intake_t *self = arg;
    zsock_destroy (&self->ingress);
    zsock_destroy (&self->classify);
    zsock_destroy (&self->watch);
    store_destroy (&self->store);
    pii_destroy (&self->pii);
    mot_catalog_destroy (&self->territories);
    mot_catalog_destroy (&self->ons);
}

static const mot_service_class_t intake_service = {
    "intake", "Validates, deduplicates and stores every incoming event, then acknowledges.", options,
    intake_open, intake_attach, intake_close};

int
main (int argc, char **argv)
{
    intake_t self = {0};
    return mot_service_run (&intake_service, &self, argc, argv);
}
