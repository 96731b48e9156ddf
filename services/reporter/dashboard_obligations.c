/*  dashboard_obligations — the obligations board (/obligaciones).
 *
 *  Owns: the OBLIGATIONS register as three lists: overdue (estado overdue:
 *  undelivered after its deadline day), due soon (pending, deadline within
 *  DUE_SOON_DAYS calendar days of today, the service clock's local date)
 *  and delivered late (dias_habiles_atraso above 0), each by deadline. The
 *  other obligations are not shown: the register has them all. An account
 *  limited to units sees the obligations of its units (unidad) only.
 */
#include "dashboard_pages.h"
#include "mot_date.h"
#include "register_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DUE_SOON_DAYS 14

typedef enum { OVERDUE, DUE_SOON, DELIVERED_LATE, OTHER } board_t;

static const char *const COLUMNS[][2] = {
    {"id", "Id"}, {"unidad", "Unidad"}, {"informe", "Informe"}, {"nombre_informe", "Nombre"},
    {"periodo", "Periodo"}, {"fecha_limite", "Fecha límite"}, {"estado", "Estado"},
    {"entregado_el", "Entregado el"}, {"dias_habiles_atraso", "Días hábiles de atraso"}, {NULL, NULL}};

/* The local date `days` after the clock's today, YYYY-MM-DD. */
static void
local_date (int64_t now, int days, char *out, size_t size)
{
    time_t moment = (time_t) (now + MOT_UTC_OFFSET_SECONDS + (int64_t) days * 86400);
    struct tm fields;
    if (!gmtime_r (&moment, &fields) || strftime (out, size, "%Y-%m-%d", &fields) == 0)
        snprintf (out, size, "1970-01-01");
}

static board_t
board_of (json_t *row, const char *horizon)
{
    char buffer[32];
    const char *status = dashboard_cell (row, "estado", buffer, sizeof buffer);
    const char *deadline = dashboard_cell (row, "fecha_limite", buffer, sizeof buffer);
    if (strcmp (status, "overdue") == 0)
        return OVERDUE;
    if (json_integer_value (json_object_get (row, "dias_habiles_atraso")) > 0)
        return DELIVERED_LATE;
    if (strcmp (status, "pending") == 0 && *deadline && strcmp (deadline, horizon) <= 0)
        return DUE_SOON;
    return OTHER;
}

static void
write_board (html_t *html, json_t *rows, board_t board, const char *horizon, const char *id, const char *title)
{
    char buffer[32];
    size_t count = 0;
    for (size_t i = 0; i < json_array_size (rows); i++)
        count += board_of (json_array_get (rows, i), horizon) == board;
    html_printf (html, "<h2>%s (<span class=\"count\">%zu</span>)</h2>", title, count);
    html_printf (html, "<div class=\"scroll\"><table class=\"board\" id=\"%s\"><thead><tr>", id);
    for (size_t c = 0; COLUMNS[c][0]; c++)
        html_printf (html, "<th>%s</th>", COLUMNS[c][1]);
    html_raw (html, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < json_array_size (rows); i++) {
        json_t *row = json_array_get (rows, i);
        if (board_of (row, horizon) != board)
            continue;
        html_raw (html, "<tr class=\"row\" data-id=\"");
        html_text (html, dashboard_cell (row, "id", buffer, sizeof buffer));
        html_raw (html, "\">");
        for (size_t c = 0; COLUMNS[c][0]; c++) {
            html_printf (html, "<td data-column=\"%s\">", COLUMNS[c][0]);
            html_text (html, dashboard_cell (row, COLUMNS[c][0], buffer, sizeof buffer));
            html_raw (html, "</td>");
        }
        html_raw (html, "</tr>\n");
    }
    html_raw (html, "</tbody></table></div>\n");
}

/* The rows (taken) of the units the account sees; NULL on failure. */
static json_t *
keep_own_units (const dashboard_context_t *context, json_t *rows)
{
    if (!rows || context->units == MOT_GRANT_ALL)
        return rows;
    json_t *kept = json_array ();
    char buffer[32];
    for (size_t i = 0; kept && i < json_array_size (rows); i++) {
        json_t *row = json_array_get (rows, i);
        if (dashboard_sees_units (context, dashboard_cell (row, "unidad", buffer, sizeof buffer))
            && json_array_append (kept, row) != 0) {
            json_decref (kept);
            kept = NULL;
        }
    }
    json_decref (rows);
    return kept;
}

void
dashboard_obligations_page (const dashboard_context_t *context, const http_request_t *request,
                            http_response_t *response)
{
    (void) request;
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    int64_t now = mot_clock_now (context->clock);
    register_table_t *table = register_query_run (context->redis, context->territories,
                                                  MOT__V1__QUERY_KIND__OBLIGATIONS, NULL, now, &code);
    json_t *rows = table ? dashboard_table_rows (context, table) : NULL;
    register_table_destroy (&table);
    rows = keep_own_units (context, rows);
    html_t *html = rows ? html_new () : NULL;
    if (!rows)
        dashboard_send_error (context, response, code == MOT__V1__ERROR_CODE__UNAVAILABLE ? 503 : 500,
                              dashboard_refusal_text (code));
    else if (!html)
        response->status = 500;
    else {
        char today[16], horizon[16];
        local_date (now, 0, today, sizeof today);
        local_date (now, DUE_SOON_DAYS, horizon, sizeof horizon);
        dashboard_page_begin (context, html, "Obligaciones");
        html_raw (html, "<p>Hoy: <span id=\"today\">");
        html_text (html, today);
        html_printf (html, "</span>. Por vencer: fecha límite en los próximos %d días.</p>\n", DUE_SOON_DAYS);
        write_board (html, rows, OVERDUE, horizon, "overdue", "Vencidas");
        write_board (html, rows, DUE_SOON, horizon, "due-soon", "Por vencer");
        write_board (html, rows, DELIVERED_LATE, horizon, "delivered-late", "Entregadas con atraso");
        html_page_end (html);
        dashboard_send_page (response, html, 200);
    }
    html_destroy (&html);
    json_decref (rows);
}
