/*  mot-classifier — turns accepted events into items.
 *
 *  Owns the classification of one dispatched event: its kind from its source
 *  (CAPSOI findings are riesgos, every other unit's are problemáticas, MOT-SPEC
 *  §2), its topic (the complaint reason, media theme or finding topic), the
 *  category, responsible ON and proposed impact from the keyword rules, and
 *  the frequency/probability the unit gave, if any. The item update itself is
 *  one atomic, idempotent Redis step (commit.c). Items start in stage
 *  Identificación.
 */
#include "commit.h"
#include "mot_date.h"
#include "mot_service.h"
#include "mot_text.h"
#include "mot_wire.h"
#include "rules.h"

#include <czmq.h>
#include <string.h>

static const mot_option_t options[] = {
    {"intake", "MOT_CLASSIFIER_INTAKE", "tcp://127.0.0.1:5551", "intake's classify endpoint (PULL, connect); comma-separated for several"},
    {"rules", "MOT_CLASSIFICATION_RULES", MOT_DEPLOY_DIR "/rules/classification.tsv", "keyword rules: category, ON, impact"},
    {"frequency", "MOT_FREQUENCY_RULES", MOT_DEPLOY_DIR "/rules/frequency.tsv", "events → frequency mapping"},
    {"default-impact", "MOT_DEFAULT_IMPACT", "5", "impact proposed when no rule matches and the unit gave none"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    rules_t *rules;
    commit_t *commit;
    zsock_t *intake;
    long default_impact;
} classifier_t;

/* The parts of an event that classification reads, whatever its body. */
typedef struct {
    const char *territory;
    const char *topic;
    const char *description;
    const char *day;
    int given_impact;
    int given_vertical;
} event_view_t;

static bool
view_event (const Mot__V1__Envelope *e, event_view_t *view)
{
    memset (view, 0, sizeof *view);
    switch (e->body_case) {
    case MOT__V1__ENVELOPE__BODY_QUEJA:
        *view = (event_view_t){e->queja->territory, e->queja->reason, e->queja->description, e->queja->received_on, 0, 0};
        return true;
    case MOT__V1__ENVELOPE__BODY_MEDIA:
        *view = (event_view_t){e->media->territory, e->media->theme, e->media->headline, e->media->published_on, 0, 0};
        return true;
    case MOT__V1__ENVELOPE__BODY_FINDING:
        *view = (event_view_t){e->finding->territory, e->finding->topic, e->finding->description, e->finding->found_on,
                               e->finding->has_impact ? (int) e->finding->impact : 0,
                               e->finding->has_frequency ? (int) e->finding->frequency : 0};
        return true;
    case MOT__V1__ENVELOPE__BODY_RISK:
        *view = (event_view_t){e->risk->territory, e->risk->topic, e->risk->description, e->risk->found_on,
                               e->risk->has_impact ? (int) e->risk->impact : 0,
                               e->risk->has_probability ? (int) e->risk->probability : 0};
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

static void
classify (classifier_t *self, const char *event_id, const Mot__V1__Envelope *envelope)
{
    event_view_t view;
    if (!view_event (envelope, &view) || !view.territory || !view.topic || !view.day) {
        mot_log_warn ("not_classifiable", "event_id=%s type=%s", event_id, mot_body_name (envelope->body_case));
        return;
    }
    char *topic_key = mot_text_normalise (view.topic);
    char *text = rule_text (&view);
    if (!topic_key || !text) {
        free (topic_key);
        free (text);
        return;
    }
    rules_match_t match = rules_match (self->rules, text);
    int impact = view.given_impact ? view.given_impact : match.impact ? match.impact : (int) self->default_impact;
    commit_event_t event = {
        .event_id = event_id, .kind = envelope->source == MOT__V1__SOURCE__CAPSOI ? "riesgo" : "problematica",
        .source = mot_source_name (envelope->source), .territory = view.territory, .topic = view.topic,
        .topic_key = topic_key, .day = view.day, .category = match.category, .on = match.on, .impact = impact,
        .given_vertical = view.given_vertical, .rule = match.keyword ? match.keyword : "",
        .now = mot_clock_now (self->service->clock)};
    char *item_id = NULL;
    bool applied = false;
    if (commit_event (self->commit, &event, &item_id, &applied))
        mot_log_info (applied ? "classified" : "already_classified", "event_id=%s item_id=%s kind=%s category=\"%s\"",
                      event_id, item_id, event.kind, match.category);
    else
        mot_log_warn ("commit_failed", "event_id=%s reason=\"redis unavailable; stays pending\"", event_id);
    free (item_id);
    free (topic_key);
    free (text);
}

static int
on_dispatch (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    classifier_t *self = (classifier_t *) arg;
    zmsg_t *msg = zmsg_recv (reader);
    if (!msg)
        return 0;
    Mot__V1__ErrorCode code;
    Mot__V1__Dispatch *dispatch = zmsg_size (msg) == 1
        ? (Mot__V1__Dispatch *) mot_wire_unpack (zmsg_first (msg), &mot__v1__dispatch__descriptor, 0, &code)
        : NULL;
    if (dispatch)
        classify (self, dispatch->event_id, dispatch->envelope);
    else
        mot_log_warn ("bad_dispatch", "frames=%zu reason=\"not a mot.v1.Dispatch; dropped\"", zmsg_size (msg));
    if (dispatch)
        protobuf_c_message_free_unpacked (&dispatch->base, NULL);
    zmsg_destroy (&msg);
    return 0;
}

static bool
classifier_open (classifier_t *self)
{
    mot_config_t *config = self->service->config;
    char *error = NULL;
    if (!mot_config_get_long (config, "default-impact", 1, 10, &self->default_impact))
        return false;
    self->rules = rules_new (mot_config_get (config, "rules"), mot_config_get (config, "frequency"), &error);
    if (!self->rules) {
        mot_log_error ("rules_failed", "reason=\"%s\"", error ? error : "out of memory");
        free (error);
        return false;
    }
    self->commit = commit_new (self->service->redis, rules_frequency_table (self->rules));
    /* '>' prefix: connect to each endpoint of the list. */
    char *endpoints = zsys_sprintf (">%s", mot_config_get (config, "intake"));
    self->intake = endpoints ? zsock_new_pull (endpoints) : NULL;
    zstr_free (&endpoints);
    if (!self->intake)
        mot_log_error ("connect_failed", "intake=%s", mot_config_get (config, "intake"));
    return self->commit && self->intake;
}

static void
classifier_close (classifier_t *self)
{
    zsock_destroy (&self->intake);
    commit_destroy (&self->commit);
    rules_destroy (&self->rules);
}

int
main (int argc, char **argv)
{
    int rc;
    classifier_t self = {0};
    self.service = mot_service_new ("classifier", "Turns accepted events into scored items (MUPOI/MURO).",
                                    options, argc, argv, &rc);
    if (!self.service)
        return rc;
    rc = 1;
    if (classifier_open (&self)) {
        zloop_t *loop = zloop_new ();
        if (loop) {
            zloop_reader (loop, self.intake, on_dispatch, &self);
            zloop_reader_set_tolerant (loop, self.intake);
            mot_log_info ("serving", "intake=%s", mot_config_get (self.service->config, "intake"));
            zloop_start (loop);
            zloop_destroy (&loop);
            rc = 0;
        }
    }
    classifier_close (&self);
    mot_log_info ("stopped", "rc=%d", rc);
    mot_service_destroy (&self.service);
    return rc;
}
