/*  mot-reporter — answers queries for the registers (MUPOI, MURO, items,
 *  unclassified items, obligations) as JSON or CSV, and for one item's
 *  audit trail as JSON lines.
 *
 *  Owns: the query socket. A ROUTER bound on --query receives
 *  [identity…][""][Query] from REQ clients and answers each request with
 *  exactly one [identity…][""][QueryReply]: a body and its content type, or a
 *  typed error (BAD_FRAMING, MALFORMED, TOO_LARGE, UNKNOWN_TYPE,
 *  INVALID_VALUE, UNAVAILABLE when Redis fails, INTERNAL). Anything a peer
 *  sends is answered or dropped, never fatal. The data comes from Redis
 *  (register_query) and is rendered by register_table.
 */
#include "mot_catalog.h"
#include "mot_date.h"
#include "mot_endpoints.h"
#include "mot_service.h"
#include "mot_wire.h"
#include "register_query.h"
#include "register_table.h"

#include <czmq.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A Query is a few bytes; anything much larger is not one. */
#define QUERY_LIMIT 4096

#define CONTENT_TYPE_JSON "application/json"
#define CONTENT_TYPE_CSV "text/csv; charset=utf-8"
#define CONTENT_TYPE_JSON_LINES "application/x-ndjson"

static const mot_option_t options[] = {
    {"query", "MOT_REPORTER_QUERY", MOT_DEFAULT_QUERY,
     "endpoint the ROUTER socket binds for queries (REQ clients)"},
    {"territories", "MOT_TERRITORIES", MOT_CATALOG_DEFAULT_FILE,
     "territory catalogue (CODE<TAB>KIND<TAB>Name per line)"},
    {NULL, NULL, NULL, NULL},
};

typedef struct {
    mot_service_t *service;
    mot_catalog_t *territories;
    zsock_t *socket;
} reporter_t;

/* ---- replies ------------------------------------------------------------ */

static void
send_reply (reporter_t *self, zmsg_t *route, Mot__V1__QueryReply *reply)
{
    if (!mot_wire_send (self->socket, route, &reply->base, true))
        mot_log_warn ("reply_dropped", "reason=\"peer gone or queue full\"");
}

static void
send_error (reporter_t *self, zmsg_t *route, Mot__V1__ErrorCode code, const char *reason,
            const char *field)
{
    Mot__V1__Error error = MOT__V1__ERROR__INIT;
    error.code = code;
    error.reason = (char *) reason;
    error.field = (char *) field;
    Mot__V1__QueryReply reply;
    mot__v1__query_reply__init (&reply);   /* the INIT macro trips -Wmissing-braces (oneof union) */
    reply.result_case = MOT__V1__QUERY_REPLY__RESULT_ERROR;
    reply.error = &error;
    mot_log_warn ("query_refused", "code=%s reason=\"%s\"", mot_error_code_name (code), reason);
    send_reply (self, route, &reply);
}

static void
send_body (reporter_t *self, zmsg_t *route, char *body, size_t size, const char *content_type)
{
    Mot__V1__QueryReply reply;
    mot__v1__query_reply__init (&reply);
    reply.result_case = MOT__V1__QUERY_REPLY__RESULT_BODY;
    reply.body.data = (uint8_t *) body;
    reply.body.len = size;
    reply.content_type = (char *) content_type;
    send_reply (self, route, &reply);
}

/* ---- answering a query -------------------------------------------------- */

/* The service clock's time as local ISO 8601, e.g. 2026-11-22T09:32:00-06:00. */
static void
format_local_now (reporter_t *self, char *out, size_t size)
{
    time_t local = (time_t) (mot_clock_now (self->service->clock) + MOT_UTC_OFFSET_SECONDS);
    struct tm fields;
    int offset = MOT_UTC_OFFSET_SECONDS / 60;
    int magnitude = abs (offset);
    if (!gmtime_r (&local, &fields) || strftime (out, size, "%Y-%m-%dT%H:%M:%S", &fields) == 0) {
        snprintf (out, size, "1970-01-01T00:00:00");
        return;
    }
    size_t used = strlen (out);
    snprintf (out + used, size - used, "%c%02d:%02d", offset < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

static char *
render (reporter_t *self, register_table_t *table, bool csv, size_t *size)
{
    if (csv)
        return register_table_csv (table, size);
    char now[40];
    format_local_now (self, now, sizeof now);
    return register_table_json (table, now, size);
}

/* AUDIT: JSON lines whatever the format asked. */
static void
answer_audit (reporter_t *self, zmsg_t *route, const Mot__V1__Query *query)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    size_t size = 0;
    char *body = register_query_audit (self->service->redis, query->item_id, &size, &code);
    if (body) {
        send_body (self, route, body, size, CONTENT_TYPE_JSON_LINES);
        mot_log_info ("query_answered", "kind=AUDIT bytes=%zu", size);
    }
    else
        send_error (self, route, code,
                    code == MOT__V1__ERROR_CODE__MISSING_FIELD ? "item_id required"
                    : code == MOT__V1__ERROR_CODE__INVALID_VALUE ? "no such item"
                    : code == MOT__V1__ERROR_CODE__UNAVAILABLE ? "Redis unavailable, retry later"
                                                               : "could not read the audit trail",
                    code == MOT__V1__ERROR_CODE__MISSING_FIELD || code == MOT__V1__ERROR_CODE__INVALID_VALUE
                        ? "item_id" : NULL);
    free (body);
}

static void
answer_query (reporter_t *self, zmsg_t *route, const Mot__V1__Query *query)
{
    if (query->has_kind && query->kind == MOT__V1__QUERY_KIND__AUDIT) {
        answer_audit (self, route, query);
        return;
    }
    if (query->has_format && query->format != MOT__V1__FORMAT__JSON && query->format != MOT__V1__FORMAT__CSV) {
        send_error (self, route, MOT__V1__ERROR_CODE__INVALID_VALUE, "unknown format", "format");
        return;
    }
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    register_table_t *table = register_query_run (self->service->redis, self->territories,
                                                  query->has_kind ? query->kind : 0,
                                                  mot_clock_now (self->service->clock), &code);
    if (!table) {
        send_error (self, route, code,
                    code == MOT__V1__ERROR_CODE__UNKNOWN_TYPE ? "unknown query kind"
                    : code == MOT__V1__ERROR_CODE__UNAVAILABLE ? "Redis unavailable, retry later"
                                                               : "could not read the register",
                    code == MOT__V1__ERROR_CODE__UNKNOWN_TYPE ? "kind" : NULL);
        return;
    }
    bool csv = query->has_format && query->format == MOT__V1__FORMAT__CSV;
    size_t size = 0;
    char *body = render (self, table, csv, &size);
    if (body) {
        send_body (self, route, body, size, csv ? CONTENT_TYPE_CSV : CONTENT_TYPE_JSON);
        mot_log_info ("query_answered", "kind=%s format=%s rows=%zu bytes=%zu", register_table_name (table),
                      csv ? "csv" : "json", register_table_rows (table), size);
    }
    else
        send_error (self, route, MOT__V1__ERROR_CODE__INTERNAL, "could not render the register", NULL);
    free (body);
    register_table_destroy (&table);
}

/* True when an empty delimiter follows the peer identity. */
static bool
has_delimiter (zmsg_t *msg)
{
    zframe_t *frame = zmsg_first (msg);
    while (frame && (frame = zmsg_next (msg)))
        if (zframe_size (frame) == 0)
            return true;
    return false;
}

/* Moves the routing frames, up to and including the empty delimiter, from
 * `msg` into a new message. Without a delimiter only the peer identity is
 * moved (so a DEALER peer still gets an answer) and *framed is false. */
static zmsg_t *
pop_route (zmsg_t *msg, bool *framed)
{
    *framed = has_delimiter (msg);
    zmsg_t *route = zmsg_new ();
    bool done = false;
    zframe_t *frame;
    while (route && !done && (frame = zmsg_pop (msg))) {
        done = !*framed || (zmsg_size (route) > 0 && zframe_size (frame) == 0);
        zmsg_append (route, &frame);
    }
    return route;
}

static void
handle_request (reporter_t *self)
{
    zmsg_t *msg = zmsg_recv (self->socket);
    if (!msg)
        return;
    bool framed;
    zmsg_t *route = pop_route (msg, &framed);
    if (!route)
        mot_log_error ("out_of_memory", "where=route");
    else if (!framed || zmsg_size (msg) != 1)
        send_error (self, route, MOT__V1__ERROR_CODE__BAD_FRAMING, "expected one Query frame after the delimiter", NULL);
    else {
        Mot__V1__ErrorCode code;
        zframe_t *frame = zmsg_first (msg);
        ProtobufCMessage *query = mot_wire_unpack (frame, &mot__v1__query__descriptor, QUERY_LIMIT, &code);
        if (query)
            answer_query (self, route, (Mot__V1__Query *) query);
        else
            send_error (self, route, code, code == MOT__V1__ERROR_CODE__TOO_LARGE ? "query too large" : "not a mot.v1.Query", NULL);
        if (query)
            protobuf_c_message_free_unpacked (query, NULL);
    }
    zmsg_destroy (&route);
    zmsg_destroy (&msg);
}

/* ---- lifetime ----------------------------------------------------------- */

static bool
open_socket (reporter_t *self)
{
    const char *endpoint = mot_config_get (self->service->config, "query");
    self->socket = zsock_new (ZMQ_ROUTER);
    if (!self->socket)
        return false;
    zsock_set_linger (self->socket, 0);
    if (zsock_bind (self->socket, "%s", endpoint) < 0) {
        mot_log_error ("bind_failed", "endpoint=%s reason=\"%s\"", endpoint, zmq_strerror (zmq_errno ()));
        return false;
    }
    mot_log_info ("listening", "query=%s", endpoint);
    return true;
}

static bool
load_territories (reporter_t *self)
{
    const char *path = mot_config_get (self->service->config, "territories");
    char *error = NULL;
    self->territories = mot_catalog_new (path, &error);
    if (!self->territories) {
        mot_log_error ("catalog_failed", "path=%s reason=\"%s\"", path, error ? error : "out of memory");
        free (error);
        return false;
    }
    mot_log_info ("catalog_loaded", "path=%s territories=%zu", path, mot_catalog_size (self->territories));
    return true;
}

static void
serve (reporter_t *self)
{
    zpoller_t *poller = zpoller_new (self->socket, NULL);
    if (!poller) {
        mot_log_error ("out_of_memory", "where=poller");
        return;
    }
    while (!zsys_interrupted) {
        /* A bounded wait: a SIGTERM landing between the check above and the
         * poll is seen within MOT_SERVICE_SIGNAL_CHECK_MS. */
        void *which = zpoller_wait (poller, MOT_SERVICE_SIGNAL_CHECK_MS);
        if (zpoller_terminated (poller))
            break;
        if (which == self->socket)
            handle_request (self);
    }
    zpoller_destroy (&poller);
}

int
main (int argc, char **argv)
{
    int exit_code = 0;
    reporter_t self = {NULL, NULL, NULL};
    /* A Redis that goes away mid-write must give an error, not kill us. */
    signal (SIGPIPE, SIG_IGN);
    self.service = mot_service_new ("reporter", "Answers MUPOI, MURO, items and obligations queries as JSON or CSV.",
                                    options, argc, argv, &exit_code);
    if (!self.service)
        return exit_code;
    if (load_territories (&self) && open_socket (&self)) {
        serve (&self);
        mot_log_info ("stopped", "reason=signal");
    }
    else
        exit_code = 1;
    zsock_destroy (&self.socket);
    mot_catalog_destroy (&self.territories);
    mot_service_destroy (&self.service);
    return exit_code;
}
