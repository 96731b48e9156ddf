/*  mot-load — a load generator for intake's ingress.
 *
 *  Owns nothing in the product: it publishes synthetic quejas (35 OOAD × a
 *  few reasons), or agreements with due dates for the deadline-watcher's
 *  benchmark, through one DEALER socket, at a given rate or as fast as
 *  acknowledgements allow within a window of requests in flight, retries a
 *  request that got no answer (same external id: intake recognises the
 *  retry), and reports counts, throughput and ack latency percentiles as
 *  key=value lines. With --acks FILE it writes "external_id event_id" for
 *  every accepted event, for tests that check nothing acknowledged is lost.
 *  With --dispatch it stands in for intake instead, to measure the
 *  deadline-watcher alone: it binds a PUSH socket at --endpoint (where
 *  intake's watch socket would be) and sends each event as the Dispatch
 *  intake would send ("bench-<n>" event ids, in no pending set: the
 *  watcher's commit of them changes nothing), as fast as the watcher takes
 *  them (PUSH waits at its high-water mark).
 *  With --template it publishes any body: request i is the JSON line of
 *  the template (the submit format of motctl) with {i} replaced by i,
 *  {item} by line i of --items (an item id per line), {item_group} by i / G,
 *  {group} by i and {group_items} by the JSON array of lines i*G ..
 *  i*G+G-1 (G = --group),
 *  for the lifecycle benchmark (bench/lifecycle.sh).
 */
#include "mot_curve.h"
#include "mot_config.h"
#include "mot_date.h"
#include "mot_json.h"
#include "mot_endpoints.h"
#include "mot_wire.h"

#include <czmq.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const mot_option_t options[] = {
    {"endpoint", "MOT_INTAKE_INGRESS", MOT_DEFAULT_INGRESS, "intake's ingress (or the proxy's)"},
    {"count", "MOT_LOAD_COUNT", "10000", "events to publish"},
    {"rate", "MOT_LOAD_RATE", "0", "events per second; 0: as fast as the window allows"},
    {"window", "MOT_LOAD_WINDOW", "512", "most requests in flight"},
    {"retry-ms", "MOT_LOAD_RETRY_MS", "3000", "re-send a request unanswered after this long"},
    {"prefix", "MOT_LOAD_PREFIX", "", "external id prefix (default: L<pid>-)"},
    {"acks", "MOT_LOAD_ACKS", "", "file for 'external_id event_id' of accepted events"},
    {"date", "MOT_LOAD_DATE", "", "received_on of the events (default: today, local)"},
    {"kind", "MOT_LOAD_KIND", "queja", "queja, or action (agreements with due dates, for the deadline-watcher)"},
    {"due", "MOT_LOAD_DUE", "", "action: first due date YYYY-MM-DD (default: the events' date)"},
    {"spread-days", "MOT_LOAD_SPREAD_DAYS", "1", "action: due dates spread over this many days"},
    {"dispatch", "MOT_LOAD_DISPATCH", "0", "1: stand in for intake, PUSH Dispatches bound at --endpoint"},
    {"template", "MOT_LOAD_TEMPLATE", "", "a JSON line of the submit format with {i}, {item}, {item_group}, {group}, {group_items}"},
    {"items", "MOT_LOAD_ITEMS", "", "template: a file of item ids, one per line ({item}, {group_items})"},
    {"group", "MOT_LOAD_GROUP", "100", "template: items per {group_items}"},
    {NULL, NULL, NULL, NULL}};

static const char *const reasons[] = {"Trato", "Oportunidad de la atención", "Abasto de medicamentos",
                                      "Infraestructura", "Citas", "Diferimiento quirúrgico"};
#define REASON_COUNT (sizeof reasons / sizeof reasons[0])

typedef struct {
    int64_t sent_us;            /* last send, 0: not sent yet */
    int64_t first_us;
    bool done;
} request_t;

typedef struct {
    zsock_t *dealer;
    request_t *requests;
    long count, rate, window, retry_ms;
    char *prefix;
    char date[MOT_DAY_TEXT_SIZE];
    bool actions;
    bool dispatch;                  /* PUSH Dispatches instead of requests to intake */
    mot_day_t first_due;
    long spread_days;
    FILE *acks;
    const char *template;           /* "" without one */
    char **items;                   /* --items' lines */
    long item_count, group;
    long sent, answered, accepted, duplicates, errors, retries, in_flight;
    double *latencies_ms;       /* per answered request, from its first send */
} load_t;

static int64_t
now_us (void)
{
    return zclock_usecs ();
}

/* The envelope of request `index`, built in the caller's storage. */
typedef struct {
    Mot__V1__Envelope envelope;
    Mot__V1__Queja queja;
    Mot__V1__ActionDue action;
    char external_id[96], territory[16], due[MOT_DAY_TEXT_SIZE];
} event_t;

static void
build_event (load_t *self, long index, event_t *e)
{
    snprintf (e->external_id, sizeof e->external_id, "%s%ld", self->prefix, index);
    e->envelope = (Mot__V1__Envelope) MOT__V1__ENVELOPE__INIT;
    e->envelope.external_id = e->external_id;
    e->envelope.has_source = 1;
    if (self->actions) {
        e->action = (Mot__V1__ActionDue) MOT__V1__ACTION_DUE__INIT;
        mot_day_format (self->first_due + (mot_day_t) (index % self->spread_days), e->due);
        e->envelope.source = MOT__V1__SOURCE__CAPSOI;
        e->envelope.body_case = MOT__V1__ENVELOPE__BODY_ACTION;
        e->envelope.action = &e->action;
        e->action.action_id = e->external_id;
        e->action.kind = "acuerdo";
        e->action.due_on = e->due;
        return;
    }
    snprintf (e->territory, sizeof e->territory, "OOAD-%02ld", index % 35 + 1);
    e->queja = (Mot__V1__Queja) MOT__V1__QUEJA__INIT;
    e->envelope.source = MOT__V1__SOURCE__UAD;
    e->envelope.body_case = MOT__V1__ENVELOPE__BODY_QUEJA;
    e->envelope.queja = &e->queja;
    e->queja.territory = e->territory;
    e->queja.reason = (char *) reasons[(index / 35) % REASON_COUNT];
    e->queja.received_on = self->date;
}

/* Appends `text` to the growing string *out (false on OOM). */
static bool
append_text (char **out, const char *text, size_t length)
{
    size_t had = *out ? strlen (*out) : 0;
    char *longer = realloc (*out, had + length + 1);
    if (!longer)
        return false;
    memcpy (longer + had, text, length);
    longer[had + length] = 0;
    *out = longer;
    return true;
}

/* The value of a template's placeholder for request `index` (malloc'd). */
static char *
placeholder_value (load_t *self, const char *name, long index)
{
    if (strcmp (name, "i") == 0 || strcmp (name, "group") == 0)
        return zsys_sprintf ("%ld", index);
    if (strcmp (name, "item_group") == 0)
        return zsys_sprintf ("%ld", index / self->group);
    if (strcmp (name, "item") == 0)
        return strdup (index < self->item_count ? self->items[index] : "it-0");
    if (strcmp (name, "group_items") != 0)
        return NULL;
    char *list = strdup ("[");
    for (long i = index * self->group; list && i < (index + 1) * self->group && i < self->item_count; i++) {
        char *quoted = zsys_sprintf ("%s\"%s\"", i > index * self->group ? "," : "", self->items[i]);
        if (!quoted || !append_text (&list, quoted, strlen (quoted)))
            zstr_free (&list);
        zstr_free (&quoted);
    }
    if (list && !append_text (&list, "]", 1))
        zstr_free (&list);
    return list;
}

/* The template with request `index`'s values, as an envelope. */
static Mot__V1__Envelope *
envelope_from_template (load_t *self, long index)
{
    char *text = NULL;
    bool ok = true;
    for (const char *at = self->template; ok && *at;) {
        const char *open = strchr (at, '{'), *close = open ? strchr (open, '}') : NULL;
        char name[32] = "";
        if (open && close && close - open - 1 < (long) sizeof name) {
            memcpy (name, open + 1, (size_t) (close - open - 1));
            name[close - open - 1] = 0;
        }
        char *value = open && close ? placeholder_value (self, name, index) : NULL;
        if (!value) {                /* no placeholder here: copy up to and with the brace */
            size_t length = open ? (size_t) (open - at + 1) : strlen (at);
            ok = append_text (&text, at, length);
            at += length;
            continue;
        }
        ok = append_text (&text, at, (size_t) (open - at)) && append_text (&text, value, strlen (value));
        free (value);
        at = close + 1;
    }
    json_error_t parse;
    json_t *object = ok && text ? json_loads (text, 0, &parse) : NULL;
    char *error = NULL;
    Mot__V1__Envelope *envelope = object ? mot_json_to_envelope (object, &error) : NULL;
    if (!envelope)
        fprintf (stderr, "mot-load: request %ld: %s\n", index, error ? error : object ? "out of memory" : "not JSON");
    free (error);
    json_decref (object);
    free (text);
    return envelope;
}

static bool
send_request (load_t *self, long index)
{
    event_t event;
    Mot__V1__Envelope *from_template = NULL;
    if (*self->template) {
        from_template = envelope_from_template (self, index);
        if (!from_template)
            return false;
        snprintf (event.external_id, sizeof event.external_id, "%s%ld", self->prefix, index);
        free (from_template->external_id);
        from_template->external_id = strdup (event.external_id);
    }
    else
        build_event (self, index, &event);
    zmsg_t *prefix = zmsg_new ();
    zmsg_addmem (prefix, "", 0);
    bool ok = mot_wire_send (self->dealer, prefix, from_template ? &from_template->base : &event.envelope.base, false);
    zmsg_destroy (&prefix);
    if (from_template)
        protobuf_c_message_free_unpacked (&from_template->base, NULL);
    request_t *request = &self->requests[index];
    if (ok) {
        if (request->sent_us)
            self->retries++;
        else {
            request->first_us = now_us ();
            self->sent++;
            self->in_flight++;
        }
        request->sent_us = now_us ();
    }
    return ok;
}

static long
index_of (load_t *self, const char *external_id)
{
    size_t length = strlen (self->prefix);
    if (strncmp (external_id, self->prefix, length) != 0)
        return -1;
    char *end = NULL;
    long index = strtol (external_id + length, &end, 10);
    return end && *end == 0 && index >= 0 && index < self->count ? index : -1;
}

static void
record_ack (load_t *self, const Mot__V1__Ack *ack)
{
    long index = index_of (self, ack->external_id);
    if (index < 0 || self->requests[index].done)
        return;                 /* an answer to a retry already answered */
    request_t *request = &self->requests[index];
    if (ack->result_case == MOT__V1__ACK__RESULT_ACCEPTED) {
        self->accepted++;
        if (ack->accepted->duplicate)
            self->duplicates++;
        if (self->acks)
            fprintf (self->acks, "%s %s\n", ack->external_id, ack->accepted->event_id);
    }
    else if (ack->result_case == MOT__V1__ACK__RESULT_ERROR && ack->error->code == MOT__V1__ERROR_CODE__UNAVAILABLE) {
        request->sent_us = 1;   /* retry soon: Redis is away */
        return;
    }
    else
        self->errors++;
    request->done = true;
    self->latencies_ms[self->answered++] = (double) (now_us () - request->first_us) / 1000.0;
    self->in_flight--;
}

static void
receive_acks (load_t *self, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (self->dealer, NULL);
    if (!poller)
        return;
    int wait = timeout_ms;
    while (zpoller_wait (poller, wait) == self->dealer) {
        zmsg_t *msg = zmsg_recv (self->dealer);
        Mot__V1__ErrorCode code;
        Mot__V1__Ack *ack = msg && zmsg_size (msg) == 2
            ? (Mot__V1__Ack *) mot_wire_unpack (zmsg_last (msg), &mot__v1__ack__descriptor, 0, &code)
            : NULL;
        if (ack) {
            record_ack (self, ack);
            protobuf_c_message_free_unpacked (&ack->base, NULL);
        }
        zmsg_destroy (&msg);
        wait = 0;               /* drain what is there, then go back to sending */
    }
    zpoller_destroy (&poller);
}

static void
retry_stale (load_t *self)
{
    int64_t stale = now_us () - self->retry_ms * 1000;
    for (long i = 0; i < self->sent; i++)
        if (!self->requests[i].done && self->requests[i].sent_us < stale)
            send_request (self, i);
}

static void
run (load_t *self)
{
    int64_t start = now_us ();
    int64_t last_retry_scan = start;
    while (self->answered < self->count && !zsys_interrupted) {
        long due = self->rate > 0 ? (long) ((double) (now_us () - start) * self->rate / 1e6) + 1 : self->count;
        if (due > self->count)
            due = self->count;
        while (self->sent < due && self->in_flight < self->window && send_request (self, self->sent))
            ;
        receive_acks (self, self->sent < due && self->in_flight < self->window ? 0 : 10);
        if (now_us () - last_retry_scan > 200000) {
            retry_stale (self);
            last_retry_scan = now_us ();
        }
    }
    double elapsed = (double) (now_us () - start) / 1e6;
    printf ("sent=%ld\naccepted=%ld\nduplicates=%ld\nerrors=%ld\nretries=%ld\nelapsed_s=%.3f\nacks_per_s=%.0f\n",
            self->sent, self->accepted, self->duplicates, self->errors, self->retries, elapsed,
            elapsed > 0 ? self->answered / elapsed : 0);
}

/* --dispatch: every event as intake's Dispatch, waiting at the high-water mark. */
static void
run_dispatch (load_t *self)
{
    int64_t start = now_us ();
    char event_id[48];
    for (long i = 0; i < self->count && !zsys_interrupted; i++) {
        event_t event;
        build_event (self, i, &event);
        snprintf (event_id, sizeof event_id, "bench-%ld", i);
        Mot__V1__Dispatch dispatch = MOT__V1__DISPATCH__INIT;
        dispatch.event_id = event_id;
        dispatch.envelope = &event.envelope;
        if (!mot_wire_send (self->dealer, NULL, &dispatch.base, false))
            break;
        self->sent++;
    }
    self->answered = self->accepted = self->sent;
    double elapsed = (double) (now_us () - start) / 1e6;
    printf ("sent=%ld\nelapsed_s=%.3f\nsent_per_s=%.0f\n", self->sent, elapsed, elapsed > 0 ? self->sent / elapsed : 0);
}

static int
compare_doubles (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static void
print_latencies (load_t *self)
{
    if (self->answered == 0)
        return;
    qsort (self->latencies_ms, (size_t) self->answered, sizeof (double), compare_doubles);
    long p50 = (self->answered - 1) / 2, p99 = (long) ceil (self->answered * 0.99) - 1;
    printf ("ack_p50_ms=%.3f\nack_p99_ms=%.3f\nack_max_ms=%.3f\n", self->latencies_ms[p50], self->latencies_ms[p99],
            self->latencies_ms[self->answered - 1]);
}

/* --items: one item id per line. */
static bool
load_items (load_t *self, const char *path)
{
    if (!*path)
        return true;
    FILE *file = fopen (path, "r");
    char *line = NULL;
    size_t capacity = 0;
    while (file && getline (&line, &capacity, file) > 0) {
        line[strcspn (line, "\r\n")] = 0;
        char **items = realloc (self->items, (size_t) (self->item_count + 1) * sizeof *items);
        if (!items || !(items[self->item_count] = strdup (line))) {
            self->items = items ? items : self->items;
            break;
        }
        self->items = items;
        self->item_count++;
    }
    free (line);
    bool ok = file && !ferror (file);
    if (file)
        fclose (file);
    if (!ok)
        fprintf (stderr, "mot-load: cannot read %s\n", path);
    return ok;
}

static bool
load_open (load_t *self, mot_config_t *config)
{
    if (!mot_config_get_long (config, "count", 1, 100000000, &self->count)
        || !mot_config_get_long (config, "rate", 0, 10000000, &self->rate)
        || !mot_config_get_long (config, "window", 1, 1000000, &self->window)
        || !mot_config_get_long (config, "retry-ms", 10, 3600000, &self->retry_ms))
        return false;
    const char *prefix = mot_config_get (config, "prefix");
    self->prefix = *prefix ? strdup (prefix) : zsys_sprintf ("L%d-", (int) getpid ());
    const char *date = mot_config_get (config, "date");
    if (*date)
        snprintf (self->date, sizeof self->date, "%.10s", date);
    else
        mot_day_format (mot_day_local_of ((int64_t) time (NULL)), self->date);
    self->template = mot_config_get (config, "template");
    if (!mot_config_get_long (config, "group", 1, 100000, &self->group) || !load_items (self, mot_config_get (config, "items")))
        return false;
    self->actions = strcmp (mot_config_get (config, "kind"), "action") == 0;
    if (!self->actions && strcmp (mot_config_get (config, "kind"), "queja") != 0)
        return false;
    if (!mot_config_get_long (config, "spread-days", 1, 36500, &self->spread_days))
        return false;
    const char *due = mot_config_get (config, "due");
    if (!mot_day_parse (*due ? due : self->date, &self->first_due))
        return false;
    self->dispatch = strcmp (mot_config_get (config, "dispatch"), "1") == 0;
    if (self->dispatch) {
        self->dealer = zsock_new (ZMQ_PUSH);
        if (self->dealer)
            zsock_set_linger (self->dealer, 600000);     /* deliver what is queued before exiting */
        /* it stands for intake's dispatch: with CURVE, MOT_CERT names intake's keypair */
        return self->prefix && self->dealer && mot_curve_secure (self->dealer, true, NULL, "dispatch") && zsock_bind (self->dealer, "%s", mot_config_get (config, "endpoint")) >= 0;
    }
    const char *acks = mot_config_get (config, "acks");
    self->acks = *acks ? fopen (acks, "w") : NULL;
    self->requests = calloc ((size_t) self->count, sizeof *self->requests);
    self->latencies_ms = calloc ((size_t) self->count, sizeof *self->latencies_ms);
    self->dealer = zsock_new (ZMQ_DEALER);
    if (self->dealer) {
        zsock_set_sndhwm (self->dealer, 0);
        zsock_set_rcvhwm (self->dealer, 0);
    }
    return self->prefix && (!*acks || self->acks) && self->requests && self->latencies_ms && self->dealer
           && mot_curve_secure (self->dealer, false, "intake", "ingress") && zsock_connect (self->dealer, "%s", mot_config_get (config, "endpoint")) == 0;
}

static void
load_close (load_t *self)
{
    zsock_destroy (&self->dealer);
    if (self->acks)
        fclose (self->acks);
    free (self->requests);
    free (self->latencies_ms);
    free (self->prefix);
    for (long i = 0; i < self->item_count; i++)
        free (self->items[i]);
    free (self->items);
}

int
main (int argc, char **argv)
{
    int rc;
    mot_config_t *config = mot_config_new ("mot-load", "Publishes synthetic events to intake and measures it.", options,
                                           argc, argv, &rc);
    if (!config)
        return rc;
    load_t self = {0};
    rc = 1;
    bool opened = load_open (&self, config);
    if (opened && self.dispatch) {
        run_dispatch (&self);
        rc = self.sent == self.count ? 0 : 1;
    }
    else
    if (opened) {
        run (&self);
        print_latencies (&self);
        rc = self.answered == self.count && self.errors == 0 ? 0 : 1;
    }
    else
        fprintf (stderr, "mot-load: cannot start (bad options, acks file or endpoint)\n");
    load_close (&self);
    mot_config_destroy (&config);
    return rc;
}
