/*  dashboard_register — the MUPOI and MURO pages (/mupoi, /muro).
 *
 *  Owns: a register as a page. The register comes from the dashboard's
 *  store (dashboard_store.h: every item, in memory, refreshed in the
 *  background), and is chosen from there with the filters of
 *  register_filter (unidad, territorio, on, categoria, cuadrante, etapa;
 *  read and refused as the reporter's queries are; open items unless the
 *  stage asked is cerrado) and the cell of a map (impacto, vertical: the
 *  effective impact and the frequency or probability, both 1..10), sorted
 *  (orden: one of the shown columns, dir asc|desc; ties in the register's
 *  order) and cut into pages of DASHBOARD_PAGE_ROWS (pagina, from 1). A bad
 *  value is 400 with its reason. The page says when its data were read
 *  (<p id="as-of" data-as-of="YYYY-MM-DDTHH:MM:SS">Datos al …</p>, local
 *  time). The table: <table class="register" data-total="N"> whose rows
 *  are <tr class="row" data-id="ID">. An account limited to units sees
 *  only the items one of them detected (dashboard_pages.h), and only its
 *  units in the unit selector.
 */
#include "dashboard_pages.h"
#include "mot_date.h"
#include "mot_schema.h"
#include "mot_score.h"
#include "register_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASHBOARD_PAGE_ROWS 100
#define MAX_PAGE 100000

/* The parameters a register page keeps in its links. */
static const char *const PARAMS[] = {"unidad", "territorio", "on", "categoria", "cuadrante", "etapa",
                                     "impacto", "vertical", "orden", "dir", NULL};

typedef struct {
    const char *column;
    const char *label;
} column_t;

typedef struct {
    Mot__V1__QueryKind kind;
    const char *path;
    const char *title;
    const char *vertical;       /* frecuencia | probabilidad */
    const char *vertical_label;
    column_t columns[12];
} register_page_t;

static const register_page_t MUPOI_PAGE = {
    MOT__V1__QUERY_KIND__MUPOI, "/mupoi", "MUPOI — Matriz Única de Problemáticas Operativas", "frecuencia",
    "Frecuencia",
    {{"id", "Id"}, {"territorio", "Territorio"}, {"tema", "Tema"}, {"categoria", "Categoría"}, {"on", "ON"},
     {"impacto", "Impacto"}, {"frecuencia", "Frecuencia"}, {"cuadrante", "Cuadrante"}, {"etapa", "Etapa"},
     {"eventos", "Eventos"}, {"ultima", "Último evento"}, {NULL, NULL}}};

static const register_page_t MURO_PAGE = {
    MOT__V1__QUERY_KIND__MURO, "/muro", "MURO — Matriz Única de Riesgos Operativos", "probabilidad", "Probabilidad",
    {{"id", "Id"}, {"territorio", "Territorio"}, {"tema", "Tema"}, {"categoria", "Categoría"}, {"on", "ON"},
     {"impacto", "Impacto"}, {"probabilidad", "Probabilidad"}, {"cuadrante", "Cuadrante"}, {"etapa", "Etapa"},
     {"eventos", "Eventos"}, {"ultima", "Último evento"}, {NULL, NULL}}};

typedef struct {
    const char *column;
    int direction;              /* 1 ascending, -1 descending */
} order_t;

/* ---- reading the parameters -------------------------------------------- */

static const char *
given (const http_request_t *request, const char *name)
{
    const char *value = http_request_param (request, name);
    return value && *value ? value : NULL;
}

/* A whole number in [min, max] or absent (0); false when present and not. */
static bool
read_number (const http_request_t *request, const char *name, int min, int max, int *out)
{
    const char *text = given (request, name);
    *out = 0;
    if (!text)
        return true;
    char *end = NULL;
    long value = strtol (text, &end, 10);
    if (!end || *end || value < min || value > max)
        return false;
    *out = (int) value;
    return true;
}

static bool
is_column (const register_page_t *page, const char *column)
{
    for (size_t i = 0; page->columns[i].column; i++)
        if (strcmp (page->columns[i].column, column) == 0)
            return true;
    return false;
}

static bool
read_order (const register_page_t *page, const http_request_t *request, order_t *order)
{
    const char *column = given (request, "orden");
    const char *direction = given (request, "dir");
    order->column = column;
    order->direction = direction && strcmp (direction, "desc") == 0 ? -1 : 1;
    if (direction && strcmp (direction, "asc") != 0 && strcmp (direction, "desc") != 0)
        return false;
    return !column || is_column (page, column);
}

/* ---- rendering ----------------------------------------------------------- */

/* The page's link with its parameters, `name` replaced by `value` (NULL:
 * dropped) and pagina set to `page_number` (0: dropped). */
static void
write_link (html_t *html, const register_page_t *page, const http_request_t *request, const char *name,
            const char *value, int page_number)
{
    html_raw (html, page->path);
    char separator = '?';
    for (size_t i = 0; PARAMS[i]; i++) {
        bool replaced = name && strcmp (PARAMS[i], name) == 0;
        const char *current = replaced ? value : given (request, PARAMS[i]);
        if (!current)
            continue;
        html_printf (html, "%s%s=", separator == '?' ? "?" : "&amp;", PARAMS[i]);
        html_url_value (html, current);
        separator = '&';
    }
    if (page_number > 0)
        html_printf (html, "%spagina=%d", separator == '?' ? "?" : "&amp;", page_number);
}

static void
write_input (html_t *html, const http_request_t *request, const char *name, const char *label)
{
    html_printf (html, "<label>%s <input name=\"%s\" value=\"", label, name);
    html_text (html, given (request, name));
    html_raw (html, "\"></label>");
}

static void
write_select (html_t *html, const http_request_t *request, const char *name, const char *label,
              const char *const *values)
{
    const char *current = given (request, name);
    html_printf (html, "<label>%s <select name=\"%s\"><option value=\"\">todos</option>", label, name);
    for (size_t i = 0; values[i]; i++) {
        html_raw (html, "<option");
        if (current && strcmp (current, values[i]) == 0)
            html_raw (html, " selected");
        html_raw (html, ">");
        html_text (html, values[i]);
        html_raw (html, "</option>");
    }
    html_raw (html, "</select></label>");
}

static void
write_filters (const dashboard_context_t *context, html_t *html, const register_page_t *page,
               const http_request_t *request)
{
    static const char *const all_units[] = {"UEOD", "UAD", "UCS", "CV", "CAPSOI", NULL};
    const char *units[sizeof all_units / sizeof all_units[0]] = {NULL};
    for (size_t i = 0, shown = 0; all_units[i]; i++)
        if (dashboard_sees_units (context, all_units[i]))
            units[shown++] = all_units[i];
    static const char *const quadrants[] = {"1", "2", "3", "4", NULL};
#define STAGE_TEXT(name, text) text,
    static const char *const stages[] = {MOT_STAGES (STAGE_TEXT) NULL};
#undef STAGE_TEXT
    html_printf (html, "<form class=\"filters\" method=\"get\" action=\"%s\">", page->path);
    write_select (html, request, "unidad", "Unidad", units);
    write_input (html, request, "territorio", "Territorio");
    write_input (html, request, "categoria", "Categoría");
    write_input (html, request, "on", "ON");
    write_select (html, request, "cuadrante", "Cuadrante", quadrants);
    write_select (html, request, "etapa", "Etapa", stages);
    write_input (html, request, "impacto", "Impacto");
    html_printf (html, "<label>%s <input name=\"vertical\" value=\"", page->vertical_label);
    html_text (html, given (request, "vertical"));
    html_raw (html, "\"></label>");
    if (given (request, "orden")) {
        html_raw (html, "<input type=\"hidden\" name=\"orden\" value=\"");
        html_text (html, given (request, "orden"));
        html_raw (html, "\"><input type=\"hidden\" name=\"dir\" value=\"");
        html_text (html, given (request, "dir"));
        html_raw (html, "\">");
    }
    html_raw (html, "<button id=\"filter\" type=\"submit\">Filtrar</button></form>\n");
}

static void
write_head (html_t *html, const register_page_t *page, const http_request_t *request, const order_t *order)
{
    html_raw (html, "<thead><tr>");
    for (size_t i = 0; page->columns[i].column; i++) {
        const char *column = page->columns[i].column;
        bool sorted = order->column && strcmp (order->column, column) == 0;
        bool next_desc = sorted && order->direction == 1;
        html_printf (html, "<th data-column=\"%s\"><a class=\"sort\" href=\"", column);
        write_link (html, page, request, "orden", column, 0);
        html_printf (html, "&amp;dir=%s\">%s%s</a></th>", next_desc ? "desc" : "asc", page->columns[i].label,
                     sorted ? (order->direction == 1 ? " ▲" : " ▼") : "");
    }
    html_raw (html, "</tr></thead>\n");
}

static void
write_row (html_t *html, const register_page_t *page, const dashboard_snapshot_t *snapshot, const int *columns,
           size_t row)
{
    html_raw (html, "<tr class=\"row\" data-id=\"");
    html_text (html, dashboard_snapshot_cell (snapshot, row, columns[0]));
    html_raw (html, "\">");
    for (size_t i = 0; page->columns[i].column; i++) {
        const char *column = page->columns[i].column;
        const char *value = dashboard_snapshot_cell (snapshot, row, columns[i]);
        html_printf (html, "<td data-column=\"%s\">", column);
        if (strcmp (column, "id") == 0) {
            html_link (html, "/item?id=", value, NULL);
        }
        else if (strcmp (column, "cuadrante") == 0 && *value) {
            html_raw (html, "<span class=\"q q-");
            html_text (html, value);
            html_raw (html, "\">");
            html_text (html, value);
            html_raw (html, "</span>");
        }
        else
            html_text (html, value);
        html_raw (html, "</td>");
    }
    html_raw (html, "</tr>\n");
}

static void
write_pager (html_t *html, const register_page_t *page, const http_request_t *request, int page_number,
             int pages)
{
    html_printf (html, "<nav class=\"pager\"><span id=\"page\">Página %d de %d</span>", page_number, pages);
    if (page_number > 1) {
        html_raw (html, "<a id=\"prev\" href=\"");
        write_link (html, page, request, NULL, NULL, page_number - 1);
        html_raw (html, "\">« Anterior</a>");
    }
    if (page_number < pages) {
        html_raw (html, "<a id=\"next\" href=\"");
        write_link (html, page, request, NULL, NULL, page_number + 1);
        html_raw (html, "\">Siguiente »</a>");
    }
    html_raw (html, "</nav>\n");
}

/* "Datos al 2026-11-11 09:30:15": when the snapshot's data were read
 * (local time). */
static void
write_data_time (html_t *html, const dashboard_snapshot_t *snapshot)
{
    int64_t taken_at = dashboard_snapshot_taken_at (snapshot);
    mot_day_t day = mot_day_local_of (taken_at);
    int64_t second = taken_at - mot_day_start_local (day);
    char date[MOT_DAY_TEXT_SIZE];
    mot_day_format (day, date);
    char time_of_day[16];
    snprintf (time_of_day, sizeof time_of_day, "%02d:%02d:%02d", (int) (second / 3600), (int) (second / 60 % 60),
              (int) (second % 60));
    html_printf (html, "<p class=\"as-of\" id=\"as-of\" data-as-of=\"%sT%s\">Datos al %s %s</p>\n", date,
                 time_of_day, date, time_of_day);
}

static void
write_register (html_t *html, const register_page_t *page, const http_request_t *request, const order_t *order,
                const dashboard_snapshot_t *snapshot, const uint32_t *rows, size_t count, int page_number)
{
    int columns[16];
    for (size_t i = 0; page->columns[i].column; i++)
        columns[i] = dashboard_snapshot_column (snapshot, page->columns[i].column);
    int pages = count == 0 ? 1 : (int) ((count + DASHBOARD_PAGE_ROWS - 1) / DASHBOARD_PAGE_ROWS);
    size_t from = (size_t) (page_number - 1) * DASHBOARD_PAGE_ROWS;
    size_t to = from + DASHBOARD_PAGE_ROWS < count ? from + DASHBOARD_PAGE_ROWS : count;
    html_printf (html, "<p id=\"count\"><b>%zu</b> elementos abiertos</p>\n", count);
    write_data_time (html, snapshot);
    html_printf (html, "<div class=\"scroll\"><table class=\"register\" data-total=\"%zu\">", count);
    write_head (html, page, request, order);
    html_raw (html, "<tbody>\n");
    for (size_t i = from; i < to; i++)
        write_row (html, page, snapshot, columns, rows[i]);
    html_raw (html, "</tbody></table></div>\n");
    write_pager (html, page, request, page_number, pages);
}

/* ---- the page ------------------------------------------------------------ */

static bool
read_filter (const dashboard_context_t *context, const http_request_t *request, Mot__V1__Query *query,
             register_filter_t *filter, const char **refusal)
{
    int quadrant = 0;
    if (!read_number (request, "cuadrante", 1, 4, &quadrant)) {
        *refusal = "El cuadrante debe ser 1, 2, 3 o 4.";
        return false;
    }
    query->unit = (char *) given (request, "unidad");
    query->territory = (char *) given (request, "territorio");
    query->on = (char *) given (request, "on");
    query->category = (char *) given (request, "categoria");
    query->stage = (char *) given (request, "etapa");
    query->has_quadrant = quadrant != 0;
    query->quadrant = (uint32_t) quadrant;
    register_filter_error_t error;
    if (!register_filter_read (filter, query, context->territories, &error)) {
        *refusal = dashboard_refusal_text (error.code);
        return false;
    }
    return true;
}

/* What the page asks, read and checked. */
typedef struct {
    register_filter_t filter;
    int impact;                 /* 0: any */
    int vertical;
    order_t order;
    int page_number;
    char impact_text[12];
    char vertical_text[12];
    char units[MOT_GRANT_UNITS_TEXT];   /* the account's, when limited */
} page_query_t;

static bool
require (dashboard_selection_t *selection, const dashboard_snapshot_t *snapshot, const char *column,
         const char *value)
{
    return !value || dashboard_selection_require (selection, dashboard_snapshot_column (snapshot, column), value);
}

/* The register filter as conditions on the snapshot's cells: those of
 * register_filter_admits (stage cerrado or another stage given, else not
 * closed), the map's cell, and the account's units. False when a column
 * is missing. */
static bool
select_as_filtered (const dashboard_context_t *context, const register_page_t *page, page_query_t *query,
                    const dashboard_snapshot_t *snapshot, dashboard_selection_t *selection)
{
    const register_filter_t *filter = &query->filter;
    dashboard_selection_init (selection);
    if (query->impact)
        snprintf (query->impact_text, sizeof query->impact_text, "%d", query->impact);
    if (query->vertical)
        snprintf (query->vertical_text, sizeof query->vertical_text, "%d", query->vertical);
    if (!filter->stage)
        selection->differ = (dashboard_condition_t) {.column = dashboard_snapshot_column (snapshot, "etapa"),
                                                     .value = MOT_STAGE_CERRADO};
    int units = dashboard_snapshot_column (snapshot, "unidades");
    if (filter->unit)
        selection->listed = (dashboard_condition_t) {.column = units, .value = filter->unit};
    if (dashboard_units_within (context)) {
        if (units < 0)
            return false;       /* never shown unfiltered */
        selection->shared = (dashboard_condition_t) {.column = units, .value = query->units};
    }
    selection->order = query->order.column ? dashboard_snapshot_column (snapshot, query->order.column) : -1;
    selection->direction = query->order.direction;
    return require (selection, snapshot, "etapa", filter->stage)
           && require (selection, snapshot, "territorio", filter->territory)
           && require (selection, snapshot, "on", filter->on)
           && require (selection, snapshot, "categoria", filter->category)
           && require (selection, snapshot, "cuadrante",
                       filter->quadrant ? mot_score_quadrant_roman (filter->quadrant) : NULL)
           && require (selection, snapshot, "impacto", query->impact ? query->impact_text : NULL)
           && require (selection, snapshot, page->vertical, query->vertical ? query->vertical_text : NULL);
}

static void
render_page (const dashboard_context_t *context, const register_page_t *page, const http_request_t *request,
             http_response_t *response, const dashboard_snapshot_t *snapshot, page_query_t *query)
{
    dashboard_selection_t selection;
    size_t count = 0;
    mot_grant_units_text (context->units, query->units);
    uint32_t *rows = select_as_filtered (context, page, query, snapshot, &selection)
                         ? dashboard_snapshot_select (snapshot, &selection, &count) : NULL;
    html_t *html = rows ? html_new () : NULL;
    if (!html) {
        free (rows);
        response->status = 500;
        return;
    }
    int pages = count == 0 ? 1 : (int) ((count + DASHBOARD_PAGE_ROWS - 1) / DASHBOARD_PAGE_ROWS);
    if (query->page_number > pages) {
        free (rows);
        html_destroy (&html);
        dashboard_send_error (context, response, 400, "Esa página no existe.");
        return;
    }
    dashboard_page_begin (context, html, page->title);
    write_filters (context, html, page, request);
    write_register (html, page, request, &query->order, snapshot, rows, count, query->page_number);
    html_page_end (html);
    dashboard_send_page (response, html, 200);
    html_destroy (&html);
    free (rows);
}

/* Reads the page's parameters; false (the refusal sent) when one is bad. */
static bool
read_page_query (const dashboard_context_t *context, const register_page_t *page, const http_request_t *request,
                 http_response_t *response, page_query_t *query)
{
    memset (query, 0, sizeof *query);
    if (!read_number (request, "impacto", 1, 10, &query->impact)
        || !read_number (request, "vertical", 1, 10, &query->vertical)) {
        dashboard_send_error (context, response, 400, "Impacto y frecuencia o probabilidad van de 1 a 10.");
        return false;
    }
    if (!read_number (request, "pagina", 1, MAX_PAGE, &query->page_number)
        || !read_order (page, request, &query->order)) {
        dashboard_send_error (context, response, 400, "Página u orden no válidos.");
        return false;
    }
    if (query->page_number == 0)
        query->page_number = 1;
    Mot__V1__Query filters;
    mot__v1__query__init (&filters);
    filters.has_kind = true;
    filters.kind = page->kind;
    const char *refusal = NULL;
    if (!read_filter (context, request, &filters, &query->filter, &refusal)) {
        dashboard_send_error (context, response, 400, refusal);
        return false;
    }
    return true;
}

void
dashboard_register_page (const dashboard_context_t *context, const http_request_t *request,
                         http_response_t *response, Mot__V1__QueryKind kind)
{
    const register_page_t *page = kind == MOT__V1__QUERY_KIND__MURO ? &MURO_PAGE : &MUPOI_PAGE;
    page_query_t query;
    if (!read_page_query (context, page, request, response, &query))
        return;
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    dashboard_snapshot_t *snapshot = dashboard_store_get (context->store, kind, &code);
    if (!snapshot) {
        dashboard_send_error (context, response, code == MOT__V1__ERROR_CODE__UNAVAILABLE ? 503 : 500,
                              dashboard_refusal_text (code));
        return;
    }
    render_page (context, page, request, response, snapshot, &query);
    dashboard_snapshot_destroy (&snapshot);
}
