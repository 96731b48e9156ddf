/*  dashboard_item — an item's page (/item?id=ID).
 *
 *  Owns: one item as a page: its register row (ITEMS with open and closed
 *  items: kind, territory, topic, category, ON, effective scores,
 *  quadrant, stage, events, the lifecycle counts), its actions, agreements
 *  and recommendations with their progress (mot:item:{id}:work, each
 *  mot:work:{id} and its progress reports), its positions month by month
 *  (item_positions: frozen months, then now; each month links to that
 *  month's map, its map history) and its audit trail
 *  (register_query_audit), oldest first, each step linked to the event
 *  that caused it (/evento: the evidence). An id that is not one (letters,
 *  digits, - and _, at most 64) is 400; an unknown item 404, and so is
 *  another unit's for an account limited to units; an item of a register
 *  the account lacks 403. The positions need the positions register, the
 *  trail audit: without them a line says that the account leaves them out.
 */
#include "dashboard_pages.h"
#include "item_positions.h"
#include "mot_schema.h"
#include "register_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID 64

static bool
is_item_id (const char *id)
{
    size_t length = id ? strlen (id) : 0;
    if (length == 0 || length > MAX_ID)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

static const char *const FACTS[][2] = {
    {"tipo", "Tipo"}, {"territorio", "Territorio"}, {"tema", "Tema"}, {"categoria", "Categoría"}, {"on", "ON"},
    {"impacto", "Impacto"}, {"vertical", "Frecuencia / probabilidad"}, {"cuadrante", "Cuadrante"},
    {"etapa", "Etapa"}, {"eventos", "Eventos"}, {"unidades", "Unidades"}, {"acciones", "Acciones"},
    {"acciones_completas", "Acciones completas"}, {"avance_promedio", "Avance promedio"},
    {"valoraciones", "Valoraciones"}, {"resultado", "Resultado"}, {"mitigacion_cuadrante", "Mitigación"},
    {"acuerdos_abiertos", "Acuerdos abiertos"}, {"recomendaciones_abiertas", "Recomendaciones abiertas"},
    {"cerrado_el", "Cerrado el"}, {NULL, NULL}};

static void
write_facts (html_t *html, json_t *row)
{
    char buffer[32];
    html_raw (html, "<div class=\"cards\" id=\"facts\">");
    for (size_t i = 0; FACTS[i][0]; i++) {
        html_printf (html, "<div class=\"card\" data-fact=\"%s\"><b>", FACTS[i][0]);
        const char *value = dashboard_cell (row, FACTS[i][0], buffer, sizeof buffer);
        html_text (html, *value ? value : "—");
        html_printf (html, "</b>%s</div>", FACTS[i][1]);
    }
    html_raw (html, "</div>\n");
}

/* "/mapa?tipo=mupoi&amp;periodo=" for the item's register ("actual": no period). */
static void
write_map_link (html_t *html, const char *kind, const char *period)
{
    const char *map = kind && strcmp (kind, MOT_KIND_RIESGO) == 0 ? "/mapa?tipo=muro" : "/mapa?tipo=mupoi";
    if (strcmp (period, "actual") == 0) {
        html_printf (html, "<a class=\"map-link\" href=\"%s\">actual</a>", map);
        return;
    }
    html_raw (html, "<a class=\"map-link\" href=\"");
    html_raw (html, map);
    html_raw (html, "&amp;periodo=");
    html_url_value (html, period);
    html_raw (html, "\">");
    html_text (html, period);
    html_raw (html, "</a>");
}

/* The next line of a JSON-lines text from *cursor (up to end): its bytes
 * into *raw and *length, parsed into *parsed (NULL when it is not JSON);
 * false at the end. */
static bool
next_line (const char **cursor, const char *end, const char **raw, size_t *length, json_t **parsed)
{
    if (!*cursor || *cursor >= end)
        return false;
    const char *newline = memchr (*cursor, '\n', (size_t) (end - *cursor));
    *raw = *cursor;
    *length = newline ? (size_t) (newline - *cursor) : (size_t) (end - *cursor);
    *parsed = json_loadb (*raw, *length, 0, NULL);
    *cursor += *length + 1;
    return true;
}

static void
write_positions (html_t *html, const char *kind, const char *lines, size_t size)
{
    static const char *const columns[] = {"periodo", "impacto", "vertical", "cuadrante", "etapa", "congelado_el",
                                          NULL};
    html_raw (html, "<h2>Posiciones por mes</h2><div class=\"scroll\"><table id=\"positions\"><thead><tr>"
                    "<th>Periodo</th><th>Impacto</th><th>Frecuencia / probabilidad</th><th>Cuadrante</th>"
                    "<th>Etapa</th><th>Congelado el</th><th>Valoraciones tardías</th></tr></thead><tbody>\n");
    const char *cursor = lines, *raw;
    size_t length;
    json_t *line;
    char buffer[32];
    while (next_line (&cursor, lines + size, &raw, &length, &line)) {
        if (!line)
            continue;
        html_raw (html, "<tr class=\"position\" data-period=\"");
        html_text (html, dashboard_cell (line, "periodo", buffer, sizeof buffer));
        html_raw (html, "\">");
        for (size_t i = 0; columns[i]; i++) {
            html_printf (html, "<td data-column=\"%s\">", columns[i]);
            if (i == 0)
                write_map_link (html, kind, dashboard_cell (line, columns[i], buffer, sizeof buffer));
            else
                html_text (html, dashboard_cell (line, columns[i], buffer, sizeof buffer));
            html_raw (html, "</td>");
        }
        html_printf (html, "<td>%zu</td></tr>\n", json_array_size (json_object_get (line, "valoraciones_tardias")));
        json_decref (line);
    }
    html_raw (html, "</tbody></table></div>\n");
}

static void
write_trail (html_t *html, const char *lines, size_t size)
{
    html_raw (html, "<h2>Bitácora</h2><div class=\"scroll\"><table id=\"trail\"><thead><tr><th>Cuándo</th>"
                    "<th>Qué</th><th>Evento</th><th>Detalle</th></tr></thead><tbody>\n");
    const char *cursor = lines, *raw;
    size_t length;
    json_t *entry;
    char buffer[32];
    while (next_line (&cursor, lines + size, &raw, &length, &entry)) {
        if (entry) {
            const char *what = dashboard_cell (entry, "what", buffer, sizeof buffer);
            html_raw (html, "<tr class=\"trail\" data-what=\"");
            html_text (html, what);
            html_raw (html, "\"><td>");
            html_text (html, dashboard_cell (entry, "at", buffer, sizeof buffer));
            html_raw (html, "</td><td>");
            html_text (html, dashboard_cell (entry, "what", buffer, sizeof buffer));
            html_raw (html, "</td><td>");
            const char *event = dashboard_cell (entry, "event_id", buffer, sizeof buffer);
            if (*event)
                html_link (html, "/evento?id=", event, "event-link");
            html_raw (html, "</td><td><pre>");
            char *detail = strndup (raw, length);
            html_text (html, detail);
            free (detail);
            html_raw (html, "</pre></td></tr>\n");
            json_decref (entry);
        }
    }
    html_raw (html, "</tbody></table></div>\n");
}

/* ---- actions, agreements and recommendations ------------------------------- */

static const char *const WORK_COLUMNS[][2] = {
    {"id", "Id"}, {"kind", "Tipo"}, {"recommendation_type", "Clase"}, {"responsible", "Responsable"},
    {"due_on", "Vence"}, {"status", "Estado"}, {"percent", "% avance verificado"},
    {"reported", "% avance informado"}, {NULL, NULL}};

/* HGETALL's field/value pairs by field (the cut-off date). */
static int
by_cut_off (const void *a, const void *b)
{
    const redisReply *const *x = a, *const *y = b;
    const char *left = x[0]->type == REDIS_REPLY_STRING ? x[0]->str : "";
    const char *right = y[0]->type == REDIS_REPLY_STRING ? y[0]->str : "";
    return strcmp (left, right);
}

/* Its progress reports: "2026-11-15: 40 % verified; …" by cut-off. */
static void
write_reports (html_t *html, redisReply *reports)
{
    if (!reports || reports->type != REDIS_REPLY_ARRAY || reports->elements % 2 || !reports->elements)
        return;             /* none (qsort must not get HGETALL's NULL element array) */
    qsort (reports->element, reports->elements / 2, 2 * sizeof *reports->element, by_cut_off);
    for (size_t i = 0; i + 1 < reports->elements; i += 2) {
        json_t *report = reports->element[i + 1]->type == REDIS_REPLY_STRING
            ? json_loadb (reports->element[i + 1]->str, reports->element[i + 1]->len, 0, NULL) : NULL;
        char buffer[32];
        html_raw (html, i ? "; " : "");
        const char *cut_off = reports->element[i]->type == REDIS_REPLY_STRING ? reports->element[i]->str : "";
        html_raw (html, "<span class=\"report\" data-cut-off=\"");
        html_text (html, cut_off);
        html_raw (html, "\">");
        html_text (html, cut_off);
        html_raw (html, ": ");
        html_text (html, dashboard_cell (report, "percent", buffer, sizeof buffer));
        html_raw (html, " % ");
        html_text (html, dashboard_cell (report, "state", buffer, sizeof buffer));
        html_raw (html, "</span>");
        json_decref (report);
    }
}

/* One work (its hash and its reports, read in one pipeline) as a row. */
static void
write_work_row (const dashboard_context_t *context, html_t *html, const char *work_id)
{
    char *key = mot_key_work (work_id), *reports_key = mot_key_work_reports (work_id);
    redisReply *fields = key ? mot_redis_command (context->redis, "HMGET %s %s %s %s %s %s %s %s %s", key,
                                                  MOT_WORK_ID, MOT_WORK_KIND, MOT_WORK_TYPE, MOT_WORK_RESPONSIBLE,
                                                  MOT_WORK_DUE_ON, MOT_WORK_STATUS, MOT_WORK_PERCENT,
                                                  MOT_WORK_REPORTED) : NULL;
    redisReply *reports = reports_key ? mot_redis_command (context->redis, "HGETALL %s", reports_key) : NULL;
    if (mot_reply_ok (fields) && fields->type == REDIS_REPLY_ARRAY && fields->elements == 8) {
        html_raw (html, "<tr class=\"work\" data-work=\"");
        html_text (html, work_id);
        html_raw (html, "\">");
        for (size_t i = 0; WORK_COLUMNS[i][0]; i++) {
            html_printf (html, "<td data-column=\"%s\">", WORK_COLUMNS[i][0]);
            if (fields->element[i]->type == REDIS_REPLY_STRING)
                html_text (html, fields->element[i]->str);
            html_raw (html, "</td>");
        }
        html_raw (html, "<td data-column=\"reports\">");
        write_reports (html, mot_reply_ok (reports) ? reports : NULL);
        html_raw (html, "</td></tr>\n");
    }
    if (fields)
        freeReplyObject (fields);
    if (reports)
        freeReplyObject (reports);
    free (key);
    free (reports_key);
}

static void
write_work (const dashboard_context_t *context, html_t *html, const char *item_id)
{
    char *key = mot_key_item_work (item_id);
    redisReply *ids = key ? mot_redis_command (context->redis, "ZRANGE %s 0 -1", key) : NULL;
    free (key);
    html_raw (html, "<h2>Acciones, acuerdos y recomendaciones</h2><div class=\"scroll\"><table id=\"work\">"
                    "<thead><tr>");
    for (size_t i = 0; WORK_COLUMNS[i][0]; i++)
        html_printf (html, "<th>%s</th>", WORK_COLUMNS[i][1]);
    html_raw (html, "<th>Informes de avance</th></tr></thead><tbody>\n");
    for (size_t i = 0; mot_reply_ok (ids) && ids->type == REDIS_REPLY_ARRAY && i < ids->elements; i++)
        if (ids->element[i]->type == REDIS_REPLY_STRING)
            write_work_row (context, html, ids->element[i]->str);
    html_raw (html, "</tbody></table></div>\n");
    if (ids)
        freeReplyObject (ids);
}

/* The item's row of the ITEMS register (open and closed), NULL when none. */
static json_t *
find_row (const dashboard_context_t *context, const char *id, Mot__V1__ErrorCode *code)
{
    register_table_t *table = register_query_item (context->redis, context->territories, id,
                                                   mot_clock_now (context->clock), code);
    json_t *rows = table ? dashboard_table_rows (context, table) : NULL;
    register_table_destroy (&table);
    json_t *found = json_incref (json_array_get (rows, 0));
    json_decref (rows);
    return found;
}

/* The item's register: mupoi for a problemática, muro for a riesgo. */
static mot_register_t
register_of (json_t *row)
{
    const char *kind = json_string_value (json_object_get (row, "tipo"));
    return kind && strcmp (kind, MOT_KIND_RIESGO) == 0 ? MOT_REGISTER_MURO : MOT_REGISTER_MUPOI;
}

/* Says that the account's registers leave a part of the page out. */
static void
write_left_out (html_t *html, const char *id, const char *title, mot_register_t which)
{
    html_printf (html, "<h2>%s</h2><p class=\"left-out\" id=\"%s\">Su cuenta no incluye el registro «%s».</p>\n", title,
                 id, mot_register_name (which));
}

static void
write_item (const dashboard_context_t *context, html_t *html, const char *id, json_t *row)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    bool positions_allowed = dashboard_may_read (context, MOT_REGISTER_POSITIONS);
    bool trail_allowed = dashboard_may_read (context, MOT_REGISTER_AUDIT);
    size_t positions_size = 0, trail_size = 0;
    char *positions = positions_allowed ? item_positions_json (context->redis, id, &positions_size, &code) : NULL;
    char *trail = trail_allowed ? register_query_audit (context->redis, id, &trail_size, &code) : NULL;
    dashboard_page_begin (context, html, "Elemento");
    html_raw (html, "<p id=\"item-id\">");
    html_text (html, id);
    html_raw (html, "</p>");
    write_facts (html, row);
    write_work (context, html, id);
    if (positions_allowed)
        write_positions (html, json_string_value (json_object_get (row, "tipo")), positions, positions_size);
    else
        write_left_out (html, "positions-left-out", "Posiciones por mes", MOT_REGISTER_POSITIONS);
    if (trail_allowed)
        write_trail (html, trail, trail_size);
    else
        write_left_out (html, "trail-left-out", "Bitácora", MOT_REGISTER_AUDIT);
    html_page_end (html);
    free (positions);
    free (trail);
}

void
dashboard_item_page (const dashboard_context_t *context, const http_request_t *request, http_response_t *response)
{
    const char *id = http_request_param (request, "id");
    if (!is_item_id (id)) {
        dashboard_send_error (context, response, 400, "Falta el identificador del elemento o no es válido.");
        return;
    }
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    json_t *row = find_row (context, id, &code);
    if (row && !dashboard_sees_units (context, json_string_value (json_object_get (row, "unidades")))) {
        json_decref (row);      /* another unit's item: as an unknown one */
        row = NULL;
        code = MOT__V1__ERROR_CODE__INVALID_VALUE;
    }
    html_t *html = row && dashboard_may_read (context, register_of (row)) ? html_new () : NULL;
    if (!row)
        dashboard_send_error (context, response, code == MOT__V1__ERROR_CODE__UNAVAILABLE ? 503 : 404,
                              code == MOT__V1__ERROR_CODE__UNAVAILABLE ? dashboard_refusal_text (code)
                                                                       : "No existe ese elemento.");
    else if (!dashboard_may_read (context, register_of (row)))
        dashboard_refuse_register (context, response, register_of (row));
    else if (!html)
        response->status = 500;
    else {
        write_item (context, html, id, row);
        dashboard_send_page (response, html, 200);
    }
    html_destroy (&html);
    json_decref (row);
}
