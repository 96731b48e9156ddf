/*  mot-reporter — answers queries for the registers (MUPOI, MURO, items,
 *  unclassified items, obligations) as JSON or CSV, and for one item's
 *  audit trail or positions month by month, or one event's outcome, as
 *  JSON lines, the norm's two maps as SVG (map_query) and the monthly
 *  report, its figures as JSON (monthly_report) or the whole report as
 *  HTML (monthly_html).
 *
 *  Owns: the query socket. A ROUTER (bound on --query by default) receives
 *  [identity…][""][Query] from REQ clients (framing: mot_request) and
 *  answers each request with exactly one [identity…][""][QueryReply], in one
 *  zloop: a body and its content type, or a
 *  typed error (BAD_FRAMING, MALFORMED, TOO_LARGE, UNKNOWN_TYPE,
 *  INVALID_VALUE, a filter refused by register_filter naming its field,
 *  UNAVAILABLE when Redis fails, INTERNAL). Anything a peer
 *  sends is answered or dropped, never fatal. The data comes from Redis
 *  (register_query) and is rendered by register_table.
 *
 *  Also serves the read-only web dashboard (dashboard.h) on --http, with its
 *  own thread and its own Redis connection, started after the query socket
 *  and stopped before it closes. A dashboard that cannot listen is logged
 *  (http_failed) and the reporter goes on answering queries without it.
 */
#include "dashboard.h"
#include "mot_catalog.h"
#include "mot_date.h"
#include "mot_endpoints.h"
#include "mot_request.h"
#include "mot_service.h"
#include "mot_socket.h"
#include "mot_wire.h"
#include "event_status.h"
#include "item_positions.h"
#include "map_query.h"
#include "monthly_html.h"
#include "monthly_report.h"
#include "register_query.h"
#include "register_table.h"

#include <czmq.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A Query is a few bytes; anything much larger is not one. */
#define QUERY_LIMIT 4096

#define CONTENT_TYPE_JSON "application/json"
#define CONTENT_TYPE_CSV "text/csv; charset=utf-8"
#define CONTENT_TYPE_JSON_LINES "application/x-ndjson"
#define CONTENT_TYPE_SVG "image/svg+xml"
#define CONTENT_TYPE_HTML "text/html; charset=utf-8"

static const mot_option_t options[] = {
    {"query", "MOT_REPORTER_QUERY", MOT_DEFAULT_QUERY,
     "endpoint of the ROUTER socket for queries (REQ clients; bind, '>' to connect)"},
    {"territories", "MOT_TERRITORIES", MOT_CATALOG_DEFAULT_FILE,
     "territory catalogue (CODE<TAB>KIND<TAB>Name per line)"},
    {"http", "MOT_REPORTER_HTTP", "127.0.0.1:5556",
     "address of the web dashboard (IPv4 host:port), or off"},
    {"accounts", "MOT_REPORTER_ACCOUNTS", "",
     "dashboard accounts (name<TAB>crypt(3) hash<TAB>role per line; empty: nobody can sign in)"},
    {"http-refresh-ms", "MOT_REPORTER_HTTP_REFRESH_MS", "3000", "dashboard registers: rebuilt in memory when older (ms)"},
    {NULL, NULL, NULL, NULL},
};

typedef struct {
    mot_service_t *service;
    mot_catalog_t *territories;
    zsock_t *socket;
    dashboard_t *dashboard;
} reporter_t;

/* ---- replies ------------------------------------------------------------ */

static void
send_reply (mot_request_t *request, Mot__V1__QueryReply *reply)
{
    if (!mot_request_reply (request, &reply->base))
        mot_log_warn ("reply_dropped", "reason=\"peer gone or queue full\"");
}

static void
send_error (mot_request_t *request, Mot__V1__ErrorCode code, const char *reason,
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
    send_reply (request, &reply);
}

static void
send_body (mot_request_t *request, char *body, size_t size, const char *content_type)
{
    Mot__V1__QueryReply reply;
    mot__v1__query_reply__init (&reply);
    reply.result_case = MOT__V1__QUERY_REPLY__RESULT_BODY;
    reply.body.data = (uint8_t *) body;
    reply.body.len = size;
    reply.content_type = (char *) content_type;
    send_reply (request, &reply);
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

/* The name of a query kind, for the log. */
static const char *
kind_name (Mot__V1__QueryKind kind)
{
    const ProtobufCEnumValue *value = protobuf_c_enum_descriptor_get_value (&mot__v1__query_kind__descriptor, kind);
    return value ? value->name : "?";
}

/* Whether the query is about one id: AUDIT (an item's trail), POSITIONS
 * (an item's evolution) or STATUS (what became of an event). */
static bool
is_about_one (const Mot__V1__Query *query)
{
    return query->has_kind
        && (query->kind == MOT__V1__QUERY_KIND__AUDIT || query->kind == MOT__V1__QUERY_KIND__POSITIONS
            || query->kind == MOT__V1__QUERY_KIND__STATUS);
}

/* A query about one id: JSON lines whatever the format asked. */
static void
answer_about_one (reporter_t *self, mot_request_t *request, const Mot__V1__Query *query)
{
    bool item = query->kind != MOT__V1__QUERY_KIND__STATUS;
    const char *field = item ? "item_id" : "event_id";
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    size_t size = 0;
    mot_redis_t *redis = self->service->redis;
    char *body = query->kind == MOT__V1__QUERY_KIND__AUDIT ? register_query_audit (redis, query->item_id, &size, &code)
               : item ? item_positions_json (redis, query->item_id, &size, &code)
                      : event_status_json (redis, query->event_id, &size, &code);
    if (body) {
        send_body (request, body, size, CONTENT_TYPE_JSON_LINES);
        mot_log_info ("query_answered", "kind=%s bytes=%zu", kind_name (query->kind), size);
    }
    else if (code == MOT__V1__ERROR_CODE__MISSING_FIELD)
        send_error (request, code, item ? "item_id required" : "event_id required", field);
    else if (code == MOT__V1__ERROR_CODE__INVALID_VALUE)
        send_error (request, code, item ? "no such item" : "no such event", field);
    else
        send_error (request, code, code == MOT__V1__ERROR_CODE__UNAVAILABLE ? "Redis unavailable, retry later"
                                                                            : "could not read Redis", NULL);
    free (body);
}

static bool
is_map (const Mot__V1__Query *query)
{
    return query->has_kind
        && (query->kind == MOT__V1__QUERY_KIND__MAP_MUPOI || query->kind == MOT__V1__QUERY_KIND__MAP_MURO);
}

/* A map: one SVG document whatever the format asked. */
static void
answer_map (reporter_t *self, mot_request_t *request, const Mot__V1__Query *query, const register_filter_t *filter)
{
    register_filter_error_t error = {MOT__V1__ERROR_CODE__INTERNAL, NULL, "could not draw the map"};
    size_t size = 0;
    char *svg = map_query_svg (self->service->redis, query, filter, mot_clock_now (self->service->clock), NULL,
                               &size, &error);
    if (svg) {
        send_body (request, svg, size, CONTENT_TYPE_SVG);
        mot_log_info ("query_answered", "kind=%s bytes=%zu", kind_name (query->kind), size);
    }
    else
        send_error (request, error.code, error.reason, error.field);
    free (svg);
}

/* The monthly report's figures as one JSON object. */
static char *
monthly_report_json (reporter_t *self, const char *month, size_t *size, register_filter_error_t *error)
{
    json_t *data = monthly_report_data (self->service->redis, month, mot_clock_now (self->service->clock), error);
    char *text = data ? json_dumps (data, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref (data);
    char *body = text ? zsys_sprintf ("%s\n", text) : NULL;
    free (text);
    if (body)
        *size = strlen (body);
    return body;
}

/* The monthly report: its figures as JSON, or with format HTML the whole
 * report as one document (monthly_html). */
static void
answer_monthly_report (reporter_t *self, mot_request_t *request, const Mot__V1__Query *query)
{
    register_filter_error_t error = {MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED, NULL, NULL};
    bool html = query->has_format && query->format == MOT__V1__FORMAT__HTML;
    size_t size = 0;
    char *body = html ? monthly_html_document (self->service->redis, query->period,
                                               mot_clock_now (self->service->clock), &size, &error)
                      : monthly_report_json (self, query->period, &size, &error);
    if (body) {
        send_body (request, body, size, html ? CONTENT_TYPE_HTML : CONTENT_TYPE_JSON);
        mot_log_info ("query_answered", "kind=REPORT_MONTHLY format=%s bytes=%zu", html ? "html" : "json", size);
    }
    else
    if (error.reason)
        send_error (request, error.code, error.reason, error.field);
    else
        send_error (request, MOT__V1__ERROR_CODE__INTERNAL, "could not build the report", NULL);
    free (body);
}

static void
answer_query (reporter_t *self, mot_request_t *request, const Mot__V1__Query *query)
{
    if (is_about_one (query)) {
        answer_about_one (self, request, query);
        return;
    }
    if (query->has_kind && query->kind == MOT__V1__QUERY_KIND__REPORT_MONTHLY) {
        answer_monthly_report (self, request, query);
        return;
    }
    if (query->has_format && query->format != MOT__V1__FORMAT__JSON && query->format != MOT__V1__FORMAT__CSV) {
        send_error (request, MOT__V1__ERROR_CODE__INVALID_VALUE, "unknown format", "format");
        return;
    }
    register_filter_t filter;
    register_filter_error_t refused;
    if (!register_filter_read (&filter, query, self->territories, &refused)) {
        send_error (request, refused.code, refused.reason, refused.field);
        return;
    }
    if (is_map (query)) {
        answer_map (self, request, query, &filter);
        return;
    }
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    register_table_t *table = register_query_run (self->service->redis, self->territories,
                                                  query->has_kind ? query->kind : 0, &filter,
                                                  mot_clock_now (self->service->clock), &code);
    if (!table) {
        send_error (request, code,
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
        send_body (request, body, size, csv ? CONTENT_TYPE_CSV : CONTENT_TYPE_JSON);
        mot_log_info ("query_answered", "kind=%s format=%s rows=%zu bytes=%zu", register_table_name (table),
                      csv ? "csv" : "json", register_table_rows (table), size);
    }
    else
        send_error (request, MOT__V1__ERROR_CODE__INTERNAL, "could not render the register", NULL);
    free (body);
    register_table_destroy (&table);
}

/* Answers the Query in `frame`, or why it is not one (MALFORMED,
 * TOO_LARGE). */
static void
answer_frame (reporter_t *self, mot_request_t *request, zframe_t *frame)
{
    Mot__V1__ErrorCode code;
    ProtobufCMessage *query = mot_wire_unpack (frame, &mot__v1__query__descriptor, QUERY_LIMIT, &code);
    if (!query) {
        send_error (request, code, code == MOT__V1__ERROR_CODE__TOO_LARGE ? "query too large" : "not a mot.v1.Query",
                    NULL);
        return;
    }
    answer_query (self, request, (Mot__V1__Query *) query);
    protobuf_c_message_free_unpacked (query, NULL);
}

/* Answers one request; anything but [envelope…][""][one frame] is
 * BAD_FRAMING. */
static int
on_query (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    reporter_t *self = (reporter_t *) arg;
    mot_request_t *request = mot_request_recv (reader);
    if (!request)
        return 0;
    zframe_t *frame = mot_request_body (request);
    if (mot_request_delimited (request) && frame)
        answer_frame (self, request, frame);
    else
        send_error (request, MOT__V1__ERROR_CODE__BAD_FRAMING, "expected one Query frame after the delimiter", NULL);
    mot_request_destroy (&request);
    return 0;
}

/* ---- lifetime ----------------------------------------------------------- */

static bool
open_socket (reporter_t *self)
{
    const char *endpoint = mot_config_get (self->service->config, "query");
    mot_socket_options_t query = {.linger = 0};     /* a stop drops the replies still queued */
    self->socket = mot_socket_new (ZMQ_ROUTER, endpoint, true, &query, "query");
    return self->socket != NULL;
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

/* The dashboard, unless --http is off; one that cannot start is logged
 * and left out. */
static void
start_dashboard (reporter_t *self)
{
    mot_config_t *config = self->service->config;
    const char *address = mot_config_get (config, "http");
    if (!address || strcmp (address, "off") == 0) {
        mot_log_info ("dashboard_off", "reason=\"--http off\"");
        return;
    }
    self->dashboard = dashboard_new (address, mot_config_get (config, "accounts"), mot_config_get (config, "redis"),
                                     mot_config_get_bool (config, "test-clock"), self->territories,
                                     mot_config_get (config, "http-refresh-ms"));
}

static bool
reporter_open (void *arg, mot_service_t *service)
{
    reporter_t *self = arg;
    self->service = service;
    if (!load_territories (self) || !open_socket (self))
        return false;
    start_dashboard (self);
    return true;
}

static bool
reporter_attach (void *arg, zloop_t *loop)
{
    reporter_t *self = arg;
    if (zloop_reader (loop, self->socket, on_query, self) != 0)
        return false;
    zloop_reader_set_tolerant (loop, self->socket);
    mot_log_info ("serving", "query=%s", mot_config_get (self->service->config, "query"));
    return true;
}

static void
reporter_close (void *arg)
{
    reporter_t *self = arg;
    dashboard_destroy (&self->dashboard);
    zsock_destroy (&self->socket);
    mot_catalog_destroy (&self->territories);
}

static const mot_service_class_t reporter_service = {
    "reporter", "Answers register, map and report queries (JSON, CSV, SVG, HTML) and serves the web dashboard.", options,
    reporter_open, reporter_attach, reporter_close};

int
main (int argc, char **argv)
{
    reporter_t self = {0};
    return mot_service_run (&reporter_service, &self, argc, argv);
}
