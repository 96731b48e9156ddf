/*  mot-classifier — turns accepted events into items, applies analysts'
 *  overrides and moves items through their lifecycle.
 *
 *  Owns the classification of one dispatched event: its kind from its source
 *  (CAPSOI findings are riesgos, every other unit's are problemáticas, MOT-SPEC
 *  §2), its topic (the complaint reason, media theme or finding topic), the
 *  category, responsible ON and keyword impact from the keyword rules, the
 *  proposed impact from the impact rules (rules.c), and the
 *  frequency/probability the unit gave, if any. Override dispatches carry an
 *  analyst's values for an item. Each wake-up drains up to --batch queued
 *  dispatches and commits them with one atomic, idempotent Redis script call
 *  (commit.c). Items start in stage Identificación; lifecycle commands
 *  (lifecycle.h) move them on, in the same step as the batch's evidence.
 */
#include "announce.h"
#include "commit.h"
#include "lifecycle.h"
#include "mot_schema.h"
#include "mot_date.h"
#include "mot_endpoints.h"
#include "mot_metrics.h"
#include "mot_service.h"
#include "mot_socket.h"
#include "mot_text.h"
#include "mot_wire.h"
#include "rules.h"

#include <czmq.h>
#include <string.h>

static const mot_option_t options[] = {
    {"intake", "MOT_CLASSIFIER_INTAKE", MOT_DEFAULT_CLASSIFY, "intake's classify endpoint (PULL, connect); comma-separated for several"},
    {"rules", "MOT_CLASSIFICATION_RULES", MOT_DEPLOY_DIR "/rules/classification.tsv", "keyword rules: category, ON, impact"},
    {"frequency", "MOT_FREQUENCY_RULES", MOT_DEPLOY_DIR "/rules/frequency.tsv", "events in the window → frequency mapping"},
    {"impact", "MOT_IMPACT_RULES", MOT_DEPLOY_DIR "/rules/impact.tsv", "impact rules: origin, media reach, territory"},
    {"default-impact", "MOT_DEFAULT_IMPACT", "5", "impact base when no keyword and no origin rule applies"},
    {"window-months", "MOT_WINDOW_MONTHS", "3", "frequency window: the N calendar months ending with the item's latest event month"},
    {"batch", "MOT_CLASSIFIER_BATCH", "100", "dispatches drained and committed with one script call per wake-up (1..1000)"},
    {"rcvhwm", "MOT_CLASSIFIER_RCVHWM", "100000", "dispatches queued in this classifier before intake's sends to it block or drop"},
    {"announce-ms", "MOT_CLASSIFIER_ANNOUNCE_MS", "100", "how often the facts about items in the outbox are logged as notices"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    rules_t *rules;
    commit_t *commit;
    announce_t *announce;
    zsock_t *intake;
    long announce_ms;
    long batch;
    size_t applied, already, rejected, refused;   /* of the batch being reported */
    zhashx_t *commands;          /* the batch's lifecycle commands, by event id */
    mot_counter_t *classified, *duplicates, *rejections, *uncommitted, *transitions_applied, *transitions_refused;
    mot_histogram_t *classify_seconds;
} classifier_t;

/* The parts of an event that classification reads, whatever its body. */
typedef struct {
    const char *territory;
    const char *topic;
    const char *description;
    const char *day;
    int given_impact;
    int given_vertical;
    bool has_reach;
    uint32_t reach;
} event_view_t;

static bool
view_event (const Mot__V1__Envelope *e, event_view_t *view)
{
    memset (view, 0, sizeof *view);
    switch (e->body_case) {
    case MOT__V1__ENVELOPE__BODY_QUEJA:
        *view = (event_view_t){e->queja->territory, e->queja->reason, e->queja->description, e->queja->received_on,
                               0, 0, false, 0};
        return true;
    case MOT__V1__ENVELOPE__BODY_MEDIA:
        *view = (event_view_t){e->media->territory, e->media->theme, e->media->headline, e->media->published_on,
                               0, 0, e->media->has_reach, e->media->reach};
        return true;
    case MOT__V1__ENVELOPE__BODY_FINDING:
        *view = (event_view_t){e->finding->territory, e->finding->topic, e->finding->description, e->finding->found_on,
                               e->finding->has_impact ? (int) e->finding->impact : 0,
                               e->finding->has_frequency ? (int) e->finding->frequency : 0, false, 0};
        return true;
    case MOT__V1__ENVELOPE__BODY_RISK:
        *view = (event_view_t){e->risk->territory, e->risk->topic, e->risk->description, e->risk->found_on,
                               e->risk->has_impact ? (int) e->risk->impact : 0,
                               e->risk->has_probability ? (int) e->risk->probability : 0, false, 0};
        return true;
    default:
        return false;
    }
}

static char *
rule_text (const event_view_t *view)
{
    char *joined = zsys_sprintf ("%s %s", view->topic ? view->topic : "", view->description ? view->description : "");
    char *normalised = joined ? mot_text_normalise (joined) : NULL;
    zstr_free (&joined);
    return normalised;
}

/* Adds one piece of evidence to the batch. */
static void
add_evidence (classifier_t *self, const char *event_id, const Mot__V1__Envelope *envelope)
{
    event_view_t view;
    if (!view_event (envelope, &view) || !view.territory || !view.topic || !view.day) {
        mot_log_warn ("not_classifiable", "event_id=%s type=%s", event_id, mot_body_name (envelope->body_case));
        return;
    }
    char *topic_key = mot_text_normalise (view.topic);
    char *text = rule_text (&view);
    rules_match_t match = text ? rules_match (self->rules, text) : (rules_match_t){0};
    const char *source = mot_source_name (envelope->source);
    rules_impact_input_t input = {source, view.territory, match.impact, view.has_reach, view.reach, view.given_impact};
    char *basis = NULL;
    int impact = rules_impact (self->rules, &input, &basis);
    commit_event_t event = {
        .event_id = event_id, .external_id = envelope->external_id, .kind = mot_item_kind_of (envelope->source),
        .source = source, .territory = view.territory, .topic = view.topic, .topic_key = topic_key, .day = view.day,
        .category = match.category, .on = match.on, .impact = impact, .given_vertical = view.given_vertical,
        .rule = match.keyword ? match.keyword : "", .basis = basis};
    if (!topic_key || !text || !basis || !commit_add_event (self->commit, &event))
        mot_log_error ("out_of_memory", "event_id=%s reason=\"stays pending\"", event_id);
    free (topic_key);
    free (text);
    free (basis);
}

static void
add_override (classifier_t *self, const char *event_id, const Mot__V1__Override *o, Mot__V1__Source unit)
{
    commit_override_t override = {event_id, o->item_id, o->has_impact ? (int) o->impact : 0,
                                  o->has_vertical ? (int) o->vertical : 0, o->category, o->on, o->analyst, o->reason,
                                  mot_source_name (unit)};
    if (!o->item_id || !o->analyst || !o->reason)
        mot_log_warn ("not_classifiable", "event_id=%s type=override reason=\"incomplete override\"", event_id);
    else if (!commit_add_override (self->commit, &override))
        mot_log_error ("out_of_memory", "event_id=%s reason=\"stays pending\"", event_id);
}

/* Unpacks one dispatch and adds it to the batch. */
static void
add_dispatch (classifier_t *self, zmsg_t *msg)
{
    Mot__V1__ErrorCode code;
    Mot__V1__Dispatch *dispatch = zmsg_size (msg) == 1
        ? (Mot__V1__Dispatch *) mot_wire_unpack (zmsg_first (msg), &mot__v1__dispatch__descriptor, 0, &code)
        : NULL;
    if (!dispatch) {
        mot_log_warn ("bad_dispatch", "frames=%zu reason=\"not a mot.v1.Dispatch; dropped\"", zmsg_size (msg));
        return;
    }
    if (dispatch->envelope->body_case == MOT__V1__ENVELOPE__BODY_OVERRIDE)
        add_override (self, dispatch->event_id, dispatch->envelope->override, dispatch->envelope->source);
    else if (lifecycle_is_command (dispatch->envelope)) {
        if (!commit_add_command (self->commit, dispatch->event_id, dispatch->envelope))
            mot_log_error ("out_of_memory", "event_id=%s reason=\"stays pending\"", dispatch->event_id);
        else
            zhashx_insert (self->commands, dispatch->event_id, self);
    }
    else
        add_evidence (self, dispatch->event_id, dispatch->envelope);
    protobuf_c_message_free_unpacked (&dispatch->base, NULL);
}

static void
on_committed (void *arg, const char *event_id, commit_outcome_t outcome, const char *item_id)
{
    classifier_t *self = (classifier_t *) arg;
    bool command = zhashx_lookup (self->commands, event_id) != NULL;
    mot_counter_add (outcome == COMMIT_APPLIED   ? (command ? self->transitions_applied : self->classified)
                     : outcome == COMMIT_ALREADY ? self->duplicates
                     : outcome == COMMIT_REJECTED ? self->rejections
                                                  : self->transitions_refused,
                     1);
    switch (outcome) {
    case COMMIT_APPLIED:
        self->applied++;
        mot_log_debug ("classified", "event_id=%s item_id=%s", event_id, item_id);
        break;
    case COMMIT_ALREADY:
        self->already++;
        mot_log_debug ("already_classified", "event_id=%s item_id=%s", event_id, item_id);
        break;
    case COMMIT_REJECTED:
        self->rejected++;
        mot_log_warn ("override_rejected", "event_id=%s item_id=%s reason=\"unknown item\"", event_id, item_id);
        break;
    case COMMIT_REFUSED:
        self->refused++;
        mot_log_info ("command_refused", "event_id=%s refusal=%s", event_id, item_id);
        break;
    }
}

/* Drains up to --batch dispatches already queued, then commits them with one
 * script call. What is not committed stays pending and is re-driven. */
static int
on_dispatch (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    classifier_t *self = (classifier_t *) arg;
    int64_t started_us = zclock_usecs ();
    long received = 0;
    do {
        zmsg_t *msg = zmsg_recv (reader);
        if (!msg)
            break;
        add_dispatch (self, msg);
        zmsg_destroy (&msg);
        received++;
    } while (received < self->batch && (zsock_events (reader) & ZMQ_POLLIN));
    size_t size = commit_size (self->commit);
    if (size == 0)
        return 0;
    self->applied = self->already = self->rejected = self->refused = 0;
    size_t committed = commit_run (self->commit, mot_clock_now (self->service->clock), on_committed, self);
    zhashx_purge (self->commands);
    double seconds = (double) (zclock_usecs () - started_us) / 1e6;
    for (size_t i = 0; i < committed; i++)
        mot_histogram_observe (self->classify_seconds, seconds);
    mot_counter_add (self->uncommitted, size - committed);
    if (committed < size)
        mot_log_warn ("commit_failed", "events=%zu committed=%zu reason=\"redis unavailable or refused; the rest stay pending\"",
                      size, committed);
    mot_log_info ("committed", "events=%zu applied=%zu already=%zu rejected=%zu refused=%zu", committed,
                  self->applied, self->already, self->rejected, self->refused);
    return 0;
}

#define EVENTS_METRIC "mot_classifier_events_total"
#define EVENTS_HELP                                                                                                  \
    "Events and overrides committed, by outcome: classified (applied to an item), duplicate (already done: a "   \
    "re-drive), rejected (an override of an unknown item), uncommitted (Redis failed: left for the re-drive)."
#define TRANSITIONS_METRIC "mot_classifier_transitions_total"
#define TRANSITIONS_HELP "Lifecycle commands committed, by outcome: applied, or refused by the item's state machine."

static bool
register_metrics (classifier_t *self)
{
    static const double latency[] = {MOT_METRICS_LATENCY_BUCKETS};
    self->classified = mot_metrics_counter (EVENTS_METRIC, EVENTS_HELP, "outcome", "classified", NULL);
    self->duplicates = mot_metrics_counter (EVENTS_METRIC, EVENTS_HELP, "outcome", "duplicate", NULL);
    self->rejections = mot_metrics_counter (EVENTS_METRIC, EVENTS_HELP, "outcome", "rejected", NULL);
    self->uncommitted = mot_metrics_counter (EVENTS_METRIC, EVENTS_HELP, "outcome", "uncommitted", NULL);
    self->transitions_applied = mot_metrics_counter (TRANSITIONS_METRIC, TRANSITIONS_HELP, "outcome", "applied", NULL);
    self->transitions_refused = mot_metrics_counter (TRANSITIONS_METRIC, TRANSITIONS_HELP, "outcome", "refused", NULL);
    self->classify_seconds = mot_metrics_histogram (
        "mot_classifier_classify_seconds",
        "From taking a dispatch off the socket to its commit in Redis (one observation per committed event).", latency,
        sizeof latency / sizeof *latency, NULL);
    self->commands = zhashx_new ();
    return self->commands != NULL;
}

static bool
classifier_open (void *arg, mot_service_t *service)
{
    classifier_t *self = arg;
    self->service = service;
    mot_config_t *config = service->config;
    char *error = NULL;
    long default_impact, window, rcvhwm;
    if (!mot_config_get_long (config, "default-impact", 1, 10, &default_impact)
        || !mot_config_get_long (config, "window-months", 1, 120, &window)
        || !mot_config_get_long (config, "batch", 1, 1000, &self->batch)
        || !mot_config_get_long (config, "rcvhwm", 1000, 10000000, &rcvhwm)
        || !mot_config_get_long (config, "announce-ms", 10, 60000, &self->announce_ms))
        return false;
    self->rules = rules_new (mot_config_get (config, "rules"), mot_config_get (config, "frequency"),
                             mot_config_get (config, "impact"), (int) default_impact, &error);
    if (!self->rules) {
        mot_log_error ("rules_failed", "reason=\"%s\"", error ? error : "out of memory");
        free (error);
        return false;
    }
    if (!register_metrics (self))
        return false;
    self->commit = commit_new (self->service->redis, rules_frequency_lookup (self->rules), (int) window);
    self->announce = announce_new (self->service->redis);
    /* The receive queue is sized so that a burst waits here instead of being
     * dropped at intake's send queue and re-driven later. */
    mot_socket_options_t options = {.rcvhwm = rcvhwm, .curve_role = MOT_CURVE_ROLE_SERVER};  /* see intake's dispatch */
    self->intake = mot_socket_new (ZMQ_PULL, mot_config_get (config, "intake"), false, "intake", &options, "intake");
    return self->commit && self->announce && self->intake;
}

/* Logs the facts about items that this or another classifier recorded. */
static int
on_announce (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    classifier_t *self = arg;
    if (announce_drain (self->announce) < 0)
        mot_log_warn ("announce_failed", "reason=\"redis unavailable or refused; the facts stay for the next try\"");
    return 0;
}

static bool
classifier_attach (void *arg, zloop_t *loop)
{
    classifier_t *self = arg;
    if (zloop_reader (loop, self->intake, on_dispatch, self) != 0
        || zloop_timer (loop, (size_t) self->announce_ms, 0, on_announce, self) < 0)
        return false;
    zloop_reader_set_tolerant (loop, self->intake);
    mot_log_info ("serving", "intake=%s window_months=%s batch=%ld", mot_config_get (self->service->config, "intake"),
                  mot_config_get (self->service->config, "window-months"), self->batch);
    return true;
}

static void
classifier_close (void *arg)
{
    classifier_t *self = arg;
    zsock_destroy (&self->intake);
    zhashx_destroy (&self->commands);
    commit_destroy (&self->commit);
    announce_destroy (&self->announce);
    rules_destroy (&self->rules);
}

static const mot_service_class_t classifier_service = {
    "classifier", "Turns accepted events into scored items (MUPOI/MURO).", options,
    classifier_open, classifier_attach, classifier_close};

int
main (int argc, char **argv)
{
    classifier_t self = {0};
    return mot_service_run (&classifier_service, &self, argc, argv);
}
