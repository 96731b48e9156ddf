/*  motctl_query — the verbs that read: items, mupoi, muro, unclassified,
 *  obligations, audit (a Query to mot-reporter) and subscribe (notices from
 *  mot-notifier).
 *
 *  Owns: printing a register as the reporter renders it (the item registers
 *  with the filters of the Query: --unit, --territory, --on, --category,
 *  --quadrant, --stage, --closed, --all), or writing an item register to a
 *  workbook (--xlsx FILE: the JSON rendering, through motctl_xlsx; stdout
 *  stays empty), and the subscriber (mot_subscriber.h: live notices, gaps
 *  filled from the notifier's catch-up socket, each notice once, in seq
 *  order; no Redis): one compact JSON line per notice, optionally starting
 *  with the notices the notifier logged after a given seq (--since).
 */
#include "motctl.h"
#include "motctl_net.h"
#include "motctl_pdf.h"
#include "motctl_xlsx.h"

#include "mot_schema.h"
#include "mot_notice_log.h"
#include "mot_redis.h"
#include "mot_subscriber.h"
#include "mot_wire.h"

#include <czmq.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- registers ---------------------------------------------------------- */

/* The reporter's answer: its reply and the body, inside the reply or in a
 * frame of its own after it (every query asks for that: Query.body_frame,
 * so that a large body is not copied out of the reply). */
typedef struct {
    Mot__V1__QueryReply *reply;
    zmsg_t *frames;             /* as received: a body frame lives there */
    const uint8_t *body;
    size_t size;
} answer_t;

static void
answer_free (answer_t *answer)
{
    if (answer->reply)
        protobuf_c_message_free_unpacked (&answer->reply->base, NULL);
    zmsg_destroy (&answer->frames);
    *answer = (answer_t) {0};
}

/* The reply in `answer->frames`: one frame, or two when it says its body
 * follows. */
static bool
take_reply (answer_t *answer, char **error)
{
    size_t count = zmsg_size (answer->frames);
    Mot__V1__ErrorCode code;
    if (count == 1 || count == 2)
        answer->reply = (Mot__V1__QueryReply *) mot_wire_unpack (zmsg_first (answer->frames),
                                                                 &mot__v1__query_reply__descriptor, 0, &code);
    bool follows = answer->reply && answer->reply->has_body_follows && answer->reply->body_follows;
    if (!answer->reply || count != (follows ? 2u : 1u)) {
        *error = answer->reply || count > 2 ? zsys_sprintf ("reply has %zu frames, expected %d", count, follows ? 2 : 1)
                                            : zsys_sprintf ("reply is not a %s", mot__v1__query_reply__descriptor.name);
        return false;
    }
    zframe_t *body = follows ? zmsg_next (answer->frames) : NULL;
    answer->body = body ? zframe_data (body) : answer->reply->body.data;
    answer->size = body ? zframe_size (body) : answer->reply->body.len;
    return true;
}

/* Sends the query to the reporter; false with *error when no reply came or
 * it was not one. */
static bool
send_query (const Mot__V1__Query *query, int timeout_ms, answer_t *answer, char **error)
{
    Mot__V1__Query asked = *query;
    asked.has_body_frame = asked.body_frame = true;
    *answer = (answer_t) {0};
    answer->frames = motctl_request (motctl_env ("MOT_REPORTER_QUERY", MOT_DEFAULT_QUERY), "reporter", &asked.base,
                                     timeout_ms, error);
    if (answer->frames && take_reply (answer, error))
        return true;
    answer_free (answer);
    return false;
}

static void
set_kind (Mot__V1__Query *query, Mot__V1__QueryKind kind, bool csv)
{
    query->has_kind = true;
    query->kind = kind;
    query->has_format = true;
    query->format = csv ? MOT__V1__FORMAT__CSV : MOT__V1__FORMAT__JSON;
}

/* A query about one id: AUDIT or POSITIONS (an item), STATUS (an event). */
static void
set_id (Mot__V1__Query *query, Mot__V1__QueryKind kind, const char *id)
{
    set_kind (query, kind, false);
    if (kind == MOT__V1__QUERY_KIND__STATUS)
        query->event_id = (char *) id;
    else
        query->item_id = (char *) id;
}

/* The reporter's answer to the query when it is a body (caller frees it
 * with answer_free); false, said on stderr, when the reporter answered an
 * error, nothing, or in time not at all. */
static bool
ask_body (const Mot__V1__Query *query, int timeout_ms, answer_t *answer)
{
    char *error = NULL;
    if (!send_query (query, timeout_ms, answer, &error)) {
        fprintf (stderr, "motctl: %s\n", error ? error : "out of memory");
        free (error);
        return false;
    }
    if (answer->reply->result_case == MOT__V1__QUERY_REPLY__RESULT_ERROR)
        motctl_print_error (answer->reply->error);
    else if (answer->reply->result_case != MOT__V1__QUERY_REPLY__RESULT_BODY)
        fprintf (stderr, "motctl: the reporter answered with neither a body nor an error\n");
    else
        return true;
    answer_free (answer);
    return false;
}

/* Prints the reporter's answer to the query; the exit code. */
static int
print_answer (const Mot__V1__Query *query, int timeout_ms)
{
    answer_t answer;
    if (!ask_body (query, timeout_ms, &answer))
        return 1;
    int rc = 0;
    if (fwrite (answer.body, 1, answer.size, stdout) != answer.size || fflush (stdout) != 0) {
        fprintf (stderr, "motctl: cannot write to stdout\n");
        rc = 1;
    }
    answer_free (&answer);
    return rc;
}

static int
ask_reporter (Mot__V1__QueryKind kind, const char *id, int timeout_ms)
{
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    set_id (&query, kind, id);
    return print_answer (&query, timeout_ms);
}

json_t *
motctl_event_status (const char *event_id, int timeout_ms, char **error)
{
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    set_id (&query, MOT__V1__QUERY_KIND__STATUS, event_id);
    answer_t answer;
    if (!send_query (&query, timeout_ms, &answer, error))
        return NULL;
    json_t *status = NULL;
    if (answer.reply->result_case == MOT__V1__QUERY_REPLY__RESULT_BODY) {
        json_error_t parse;
        status = json_loadb ((const char *) answer.body, answer.size, 0, &parse);
        if (!status)
            *error = zsys_sprintf ("the reporter's status is not JSON: %s", parse.text);
    }
    else if (answer.reply->result_case == MOT__V1__QUERY_REPLY__RESULT_ERROR)
        *error = zsys_sprintf ("%s: %s", mot_error_code_name (answer.reply->error->code), answer.reply->error->reason);
    answer_free (&answer);
    return status;
}

#define FILTER_USAGE \
    " [--unit UNIT] [--territory CODE] [--on ON] [--category C] [--quadrant 1..4|I..IV] [--stage STAGE]" \
    " [--closed|--all]"

/* --quadrant: 1..4 or I..IV. Other numbers go to the reporter, which says
 * what is allowed (INVALID_VALUE naming the field). */
static bool
parse_quadrant (const char *text, Mot__V1__Query *query)
{
    static const char *const roman[] = {"I", "II", "III", "IV"};
    for (size_t i = 0; text && i < sizeof roman / sizeof roman[0]; i++)
        if (strcmp (text, roman[i]) == 0) {
            query->has_quadrant = true;
            query->quadrant = (uint32_t) i + 1;
            return true;
        }
    long number;
    if (!motctl_parse_long ("--quadrant", text, 0, UINT32_MAX, &number))
        return false;
    query->has_quadrant = true;
    query->quadrant = (uint32_t) number;
    return true;
}

/* One filter option at argv[*i] into the query: false when it is not one
 * or its value is missing. */
static bool
take_filter (int argc, char **argv, int *i, Mot__V1__Query *query)
{
    struct {
        const char *name;
        char **field;
    } texts[] = {{"unit", &query->unit}, {"territory", &query->territory}, {"on", &query->on},
                 {"category", &query->category}, {"stage", &query->stage}};
    const char *value;
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (motctl_take_option (argc, argv, i, texts[k].name, &value)) {
            *texts[k].field = (char *) value;
            return value != NULL;
        }
    if (motctl_take_option (argc, argv, i, "quadrant", &value))
        return parse_quadrant (value, query);
    if (strcmp (argv[*i], "--closed") == 0) {
        query->has_closed = query->closed = true;
        return true;
    }
    if (strcmp (argv[*i], "--all") == 0) {
        query->has_all = query->all = true;
        return true;
    }
    return false;
}

/* ---- a register as a workbook (--xlsx FILE) ---- */

/* The register as the reporter's JSON (caller decrefs); NULL, said on
 * stderr, when it answered otherwise. */
static json_t *
register_json (const Mot__V1__Query *query, int timeout_ms)
{
    answer_t answer;
    if (!ask_body (query, timeout_ms, &answer))
        return NULL;
    json_error_t parse;
    json_t *reg = json_loadb ((const char *) answer.body, answer.size, 0, &parse);
    if (!reg)
        fprintf (stderr, "motctl: the reporter's register is not JSON: %s\n", parse.text);
    answer_free (&answer);
    return reg;
}

/* Splits the CSV header line in place into its names (the reporter's are
 * identifiers; a quoted one is unquoted); how many, at most `room`. */
static size_t
split_header (char *line, char **names, size_t room)
{
    size_t count = 0;
    for (char *field = line; field && count < room; count++) {
        char *comma = strchr (field, ',');
        if (comma)
            *comma = '\0';
        size_t length = strlen (field);
        if (length >= 2 && field[0] == '"' && field[length - 1] == '"') {
            field[length - 1] = '\0';
            field++;
        }
        names[count] = field;
        field = comma ? comma + 1 : NULL;
    }
    return count;
}

/* The JSON of an empty register names no column; the first line of its CSV
 * rendering does (the reporter renders the same columns in both). */
static bool
take_csv_header (motctl_xlsx_t *book, Mot__V1__Query *query, int timeout_ms)
{
    query->format = MOT__V1__FORMAT__CSV;
    answer_t answer;
    bool answered = ask_body (query, timeout_ms, &answer);
    query->format = MOT__V1__FORMAT__JSON;
    if (!answered)
        return false;
    size_t length = 0;
    while (length < answer.size && answer.body[length] != '\r' && answer.body[length] != '\n')
        length++;
    char *line = strndup ((const char *) answer.body, length);
    size_t room = 1;
    for (size_t i = 0; line && line[i]; i++)
        room += line[i] == ',';
    char **names = line ? calloc (room, sizeof *names) : NULL;
    bool ok = names && length > 0
              && motctl_xlsx_set_columns (book, (const char *const *) names, split_header (line, names, room));
    if (!ok)
        fprintf (stderr, "motctl: %s\n", names && length == 0 ? "the reporter's CSV has no header" : "out of memory");
    free (names);
    free (line);
    answer_free (&answer);
    return ok;
}

/* Asks for the register as JSON and writes it to `path` as a workbook;
 * nothing is written when the reporter refuses. The exit code. */
static int
write_workbook (Mot__V1__Query *query, int timeout_ms, const char *path)
{
    json_t *reg = register_json (query, timeout_ms);
    if (!reg)
        return 1;
    char *error = NULL;
    motctl_xlsx_t *book = motctl_xlsx_new (reg, &error);
    bool ok = book && (motctl_xlsx_rows (book) > 0 || take_csv_header (book, query, timeout_ms))
              && motctl_xlsx_save (book, path, &error);
    if (error)
        fprintf (stderr, "motctl: %s\n", error);
    zstr_free (&error);
    motctl_xlsx_destroy (&book);
    json_decref (reg);
    return ok ? 0 : 1;
}

/* A register: --csv, --timeout and, for the item registers, the filters
 * (register_filter.h in the reporter says what each keeps) and --xlsx FILE. */
static int
run_query (int argc, char **argv, Mot__V1__QueryKind kind, bool filters)
{
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    bool csv = false;
    const char *xlsx = NULL;
    int timeout_ms = MOTCTL_DEFAULT_TIMEOUT_MS;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool known = true;
        if (strcmp (argv[i], "--csv") == 0)
            csv = true;
        else if (motctl_take_option (argc, argv, &i, "timeout", &value)) {
            if (!motctl_parse_timeout (value, &timeout_ms))
                return 2;
        }
        else if (filters && motctl_take_option (argc, argv, &i, "xlsx", &value))
            known = (xlsx = value) != NULL && *value;
        else
            known = filters && take_filter (argc, argv, &i, &query);
        if (!known) {
            fprintf (stderr, "usage: motctl %s [--csv%s] [--timeout SEC]%s\n", argv[0], filters ? "|--xlsx FILE" : "",
                     filters ? FILTER_USAGE : "");
            return 2;
        }
    }
    if (query.has_closed && query.has_all) {
        fprintf (stderr, "motctl: --closed (closed items only) and --all (open and closed) exclude each other\n");
        return 2;
    }
    if (csv && xlsx) {
        fprintf (stderr, "motctl: --csv (CSV on stdout) and --xlsx FILE (a workbook) exclude each other\n");
        return 2;
    }
    set_kind (&query, kind, csv);
    return xlsx ? write_workbook (&query, timeout_ms, xlsx) : print_answer (&query, timeout_ms);
}

/* map mupoi|muro [--period YYYY-MM] [--compare YYYY-MM] [filters]: the SVG
 * document on stdout (map_query.h in the reporter says what it shows). */
int
motctl_map (int argc, char **argv)
{
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    int timeout_ms = MOTCTL_DEFAULT_TIMEOUT_MS;
    const char *which = argc > 1 ? argv[1] : "";
    bool known = strcmp (which, "mupoi") == 0 || strcmp (which, "muro") == 0;
    for (int i = 2; known && i < argc; i++) {
        const char *value;
        if (motctl_take_option (argc, argv, &i, "period", &value))
            known = (query.period = (char *) value) != NULL;
        else if (motctl_take_option (argc, argv, &i, "compare", &value))
            known = (query.compare = (char *) value) != NULL;
        else if (motctl_take_option (argc, argv, &i, "timeout", &value)) {
            if (!motctl_parse_timeout (value, &timeout_ms))
                return 2;
        }
        else
            known = take_filter (argc, argv, &i, &query);
    }
    if (!known) {
        fprintf (stderr, "usage: motctl map mupoi|muro [--period YYYY-MM] [--compare YYYY-MM] [--timeout SEC]"
                         " [--unit UNIT] [--territory CODE] [--on ON] [--category C] [--quadrant 1..4|I..IV]"
                         " [--stage STAGE] > map.svg\n");
        return 2;
    }
    set_kind (&query, strcmp (which, "muro") == 0 ? MOT__V1__QUERY_KIND__MAP_MURO : MOT__V1__QUERY_KIND__MAP_MUPOI,
              false);
    return print_answer (&query, timeout_ms);
}

/* report monthly YYYY-MM [--html | --pdf FILE] [--stored]: the monthly
 * CAPSOI → TDOE report: its figures as one JSON object (monthly_report.h in
 * the reporter), the whole report as HTML (monthly_html.h), or that printed
 * to a PDF by headless Chromium (motctl_pdf.h); built now, or with
 * --stored as it was generated once the month's inputs were all delivered
 * (report_archive.h). */
int
motctl_report (int argc, char **argv)
{
    int timeout_ms = MOTCTL_DEFAULT_TIMEOUT_MS;
    const char *month = NULL, *pdf = NULL;
    bool html = false, stored = false;
    bool known = argc > 1 && strcmp (argv[1], "monthly") == 0;
    for (int i = 2; known && i < argc; i++) {
        const char *value;
        if (motctl_take_option (argc, argv, &i, "timeout", &value)) {
            if (!motctl_parse_timeout (value, &timeout_ms))
                return 2;
        }
        else if (motctl_take_option (argc, argv, &i, "pdf", &value))
            known = (pdf = value) != NULL;
        else if (strcmp (argv[i], "--html") == 0)
            html = true;
        else if (strcmp (argv[i], "--stored") == 0)
            stored = true;
        else if (month || argv[i][0] == '-')
            known = false;
        else
            month = argv[i];
    }
    if (!known || !month || (html && pdf)) {
        fprintf (stderr, "usage: motctl report monthly YYYY-MM [--html | --pdf FILE] [--stored] [--timeout SEC]\n");
        return 2;
    }
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    set_kind (&query, MOT__V1__QUERY_KIND__REPORT_MONTHLY, false);
    query.period = (char *) month;
    if (html || pdf)
        query.format = MOT__V1__FORMAT__HTML;
    query.has_stored = stored;
    query.stored = stored;
    if (!pdf)
        return print_answer (&query, timeout_ms);
    answer_t answer;
    if (!ask_body (&query, timeout_ms, &answer))
        return 1;
    int rc = motctl_pdf_write (answer.body, answer.size, pdf);
    answer_free (&answer);
    return rc;
}

int
motctl_items (int argc, char **argv)
{
    return run_query (argc, argv, MOT__V1__QUERY_KIND__ITEMS, true);
}

int
motctl_mupoi (int argc, char **argv)
{
    return run_query (argc, argv, MOT__V1__QUERY_KIND__MUPOI, true);
}

int
motctl_muro (int argc, char **argv)
{
    return run_query (argc, argv, MOT__V1__QUERY_KIND__MURO, true);
}

int
motctl_obligations (int argc, char **argv)
{
    return run_query (argc, argv, MOT__V1__QUERY_KIND__OBLIGATIONS, false);
}

int
motctl_unclassified (int argc, char **argv)
{
    return run_query (argc, argv, MOT__V1__QUERY_KIND__UNCLASSIFIED, true);
}

/* audit ITEM_ID / positions ITEM_ID / status EVENT_ID [--timeout SEC]: one
 * id, JSON lines. */
static int
ask_about_one (int argc, char **argv, Mot__V1__QueryKind kind, const char *what)
{
    const char *id = NULL;
    int timeout_ms = MOTCTL_DEFAULT_TIMEOUT_MS;
    for (int i = 1; i < argc; i++) {
        const char *value;
        if (motctl_take_option (argc, argv, &i, "timeout", &value)) {
            if (!motctl_parse_timeout (value, &timeout_ms))
                return 2;
        }
        else if (id || argv[i][0] == '-') {
            id = NULL;
            break;
        }
        else
            id = argv[i];
    }
    if (!id) {
        fprintf (stderr, "usage: motctl %s %s [--timeout SEC]\n", argv[0], what);
        return 2;
    }
    return ask_reporter (kind, id, timeout_ms);
}

/* The item's audit trail, one JSON object per line. */
int
motctl_audit (int argc, char **argv)
{
    return ask_about_one (argc, argv, MOT__V1__QUERY_KIND__AUDIT, "ITEM_ID");
}

/* The item's position at each month's close, and now, one JSON object per line. */
int
motctl_positions (int argc, char **argv)
{
    return ask_about_one (argc, argv, MOT__V1__QUERY_KIND__POSITIONS, "ITEM_ID");
}

/* What became of an event: pending, applied or refused (and why). */
int
motctl_status (int argc, char **argv)
{
    return ask_about_one (argc, argv, MOT__V1__QUERY_KIND__STATUS, "EVENT_ID");
}

/* ---- subscribe ---------------------------------------------------------- */

#define SUBSCRIBE_USAGE "usage: motctl subscribe [--topic PREFIX]... [--count N] [--timeout SEC] [--since SEQ]\n"

typedef struct {
    const char **topics;        /* prefixes; none: every notice */
    size_t topic_count;
    long count;                 /* exit 0 after this many (0: no limit) */
    int timeout_ms;             /* -1: until interrupted */
    bool since_set;
    uint64_t since;
    long printed;
} subscriber_t;

static bool
parse_subscribe_option (subscriber_t *self, int argc, char **argv, int *i)
{
    const char *value;
    long number;
    if (motctl_take_option (argc, argv, i, "topic", &value)) {
        if (!value)
            return false;
        self->topics[self->topic_count++] = value;
        return true;
    }
    if (motctl_take_option (argc, argv, i, "count", &value))
        return motctl_parse_long ("--count", value, 1, 1000000000L, &self->count);
    if (motctl_take_option (argc, argv, i, "timeout", &value))
        return motctl_parse_timeout (value, &self->timeout_ms);
    if (motctl_take_option (argc, argv, i, "since", &value)) {
        if (!motctl_parse_long ("--since", value, 0, LONG_MAX, &number))
            return false;
        self->since_set = true;
        self->since = (uint64_t) number;
        return true;
    }
    return false;
}

static bool
parse_subscribe_args (subscriber_t *self, int argc, char **argv)
{
    self->topics = calloc ((size_t) argc, sizeof *self->topics);
    if (!self->topics)
        return false;
    self->timeout_ms = -1;
    for (int i = 1; i < argc; i++)
        if (!parse_subscribe_option (self, argc, argv, &i)) {
            fprintf (stderr, SUBSCRIBE_USAGE);
            return false;
        }
    return true;
}

static bool
enough (subscriber_t *self)
{
    return self->count > 0 && self->printed >= self->count;
}

/* ---- one notice as a JSON line ---- */

static json_t *
text_or_null (const char *text)
{
    json_t *value = text ? json_string (text) : NULL;
    return value ? value : json_null ();
}

static json_t *
integer_if (bool present, json_int_t value)
{
    return present ? json_integer (value) : json_null ();
}

static json_t *
recipients_json (const Mot__V1__Notice *notice)
{
    json_t *list = json_array ();
    for (size_t i = 0; list && i < notice->n_recipients; i++)
        json_array_append_new (list, json_string (notice->recipients[i]));
    return list;
}

static json_t *
notice_json (const Mot__V1__Notice *notice, const char *topic)
{
    json_t *line = json_object ();
    if (!line)
        return NULL;
    bool ok = json_object_set_new (line, "seq", integer_if (notice->has_seq, (json_int_t) notice->seq)) == 0
              && json_object_set_new (line, "notice_id", text_or_null (notice->notice_id)) == 0
              && json_object_set_new (line, "kind", text_or_null (mot_notice_kind_name (notice->kind))) == 0
              && json_object_set_new (line, "unit", text_or_null (mot_source_name (notice->unit))) == 0
              && json_object_set_new (line, "report", text_or_null (notice->report)) == 0
              && json_object_set_new (line, "report_name", text_or_null (notice->report_name)) == 0
              && json_object_set_new (line, "period", text_or_null (notice->period)) == 0
              && json_object_set_new (line, "deadline", text_or_null (notice->deadline)) == 0
              && json_object_set_new (line, "business_days_late",
                                      integer_if (notice->has_business_days_late, notice->business_days_late)) == 0
              && json_object_set_new (line, "escalation_level",
                                      integer_if (notice->has_escalation_level, notice->escalation_level)) == 0
              && json_object_set_new (line, "fired_at", integer_if (notice->has_fired_at, notice->fired_at)) == 0
              && json_object_set_new (line, "territory", text_or_null (notice->territory)) == 0
              && json_object_set_new (line, "responsible", text_or_null (notice->responsible)) == 0
              && json_object_set_new (line, "recipients", recipients_json (notice)) == 0
              && json_object_set_new (line, "catch_up", json_boolean (notice->has_catch_up && notice->catch_up)) == 0
              && json_object_set_new (line, "text", text_or_null (notice->text)) == 0
              && json_object_set_new (line, "topic", text_or_null (topic)) == 0;
    if (ok && mot_notice_kind_is_item (notice->kind))     /* the item's fields */
        ok = json_object_set_new (line, "item_id", text_or_null (notice->item_id)) == 0
          && json_object_set_new (line, "quadrant", integer_if (notice->has_quadrant, notice->quadrant)) == 0
          && json_object_set_new (line, "previous_quadrant",
                                  integer_if (notice->has_previous_quadrant, notice->previous_quadrant)) == 0
          && json_object_set_new (line, "impact", integer_if (notice->has_impact, notice->impact)) == 0
          && json_object_set_new (line, "vertical", integer_if (notice->has_vertical, notice->vertical)) == 0
          && json_object_set_new (line, "recommendation_type", text_or_null (notice->recommendation_type)) == 0
          && json_object_set_new (line, "action_id", text_or_null (notice->action_id)) == 0;
    if (!ok)
        json_decref (line);
    return ok ? line : NULL;
}

static bool
print_notice (subscriber_t *self, const Mot__V1__Notice *notice, const char *topic)
{
    json_t *line = notice_json (notice, topic);
    char *text = line ? json_dumps (line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref (line);
    bool ok = text && printf ("%s\n", text) >= 0 && fflush (stdout) == 0;
    free (text);
    if (!ok)
        fprintf (stderr, "motctl: cannot print notice %s\n", notice->notice_id);
    self->printed++;
    return ok;
}

/* Runs until enough notices, the timeout or a signal; returns the exit code. */
static int
print_notices (subscriber_t *self, mot_subscriber_t *subscriber)
{
    int64_t deadline = self->timeout_ms < 0 ? -1 : zclock_mono () + self->timeout_ms;
    while (!enough (self) && !zsys_interrupted) {
        int64_t left = deadline < 0 ? -1 : deadline - zclock_mono ();
        if (deadline >= 0 && left <= 0)
            break;
        char *topic = NULL;
        Mot__V1__Notice *notice = mot_subscriber_next (subscriber, (int) left, &topic);
        if (notice)
            print_notice (self, notice, topic);
        if (notice)
            protobuf_c_message_free_unpacked (&notice->base, NULL);
        free (topic);
    }
    if (mot_subscriber_filled (subscriber) > 0)
        fprintf (stderr, "motctl: %llu notices came through the notifier's catch-up socket\n",
                 (unsigned long long) mot_subscriber_filled (subscriber));
    if (enough (self) || self->count == 0)
        return 0;
    fprintf (stderr, "motctl: %s after %ld of %ld notices\n", zsys_interrupted ? "interrupted" : "timeout",
             self->printed, self->count);
    return 1;
}

int
motctl_subscribe (int argc, char **argv)
{
    subscriber_t self = {0};
    if (!parse_subscribe_args (&self, argc, argv)) {
        free (self.topics);
        return 2;
    }
    mot_subscriber_t *subscriber = mot_subscriber_new (motctl_env ("MOT_NOTIFIER_PUBLISH", MOT_DEFAULT_PUBLISH),
                                                       motctl_env ("MOT_NOTIFIER_CATCHUP", MOT_DEFAULT_CATCHUP),
                                                       self.topics, self.topic_count);
    if (subscriber && self.since_set)
        mot_subscriber_since (subscriber, self.since);
    int rc = subscriber ? print_notices (&self, subscriber) : 1;
    mot_subscriber_destroy (&subscriber);
    free (self.topics);
    return rc;
}
