/*  dashboard_map — the maps page (/mapa?tipo=mupoi|muro&periodo=&compara=).
 *
 *  Owns: a map as a page: the period selector (the months whose positions
 *  the watcher froze, mot:periods, newest first; "actual" the positions
 *  now), the SVG from map_query_svg inline (its <?xml?> line dropped), each
 *  occupied cell linked to the register filtered to it
 *  (/mupoi?impacto=I&vertical=V: the register shows the items now). A
 *  period or compared month that is not YYYY-MM, or not frozen, is 400. An
 *  account limited to units sees the items one of its units detected
 *  (as stored now, as the filters).
 */
#include "dashboard_pages.h"
#include "map_query.h"
#include "mot_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
is_month (const char *text)
{
    if (!text || strlen (text) != 7 || text[4] != '-')
        return false;
    for (size_t i = 0; i < 7; i++)
        if (i != 4 && (text[i] < '0' || text[i] > '9'))
            return false;
    return (text[5] == '0' && text[6] >= '1') || (text[5] == '1' && text[6] <= '2');
}

static int
newest_first (const void *a, const void *b)
{
    return strcmp (*(const char *const *) b, *(const char *const *) a);
}

static void
write_month_options (html_t *html, redisReply *months, const char *current, bool with_none, const char *none)
{
    html_raw (html, "<option value=\"\">");
    html_text (html, none);
    html_raw (html, "</option>");
    (void) with_none;
    if (!months || months->type != REDIS_REPLY_ARRAY)
        return;
    const char **names = calloc (months->elements + 1, sizeof *names);
    if (!names)
        return;
    size_t count = 0;
    for (size_t i = 0; i < months->elements; i++)
        if (months->element[i]->type == REDIS_REPLY_STRING && is_month (months->element[i]->str))
            names[count++] = months->element[i]->str;
    qsort (names, count, sizeof *names, newest_first);
    for (size_t i = 0; i < count; i++) {
        html_raw (html, "<option");
        if (current && strcmp (current, names[i]) == 0)
            html_raw (html, " selected");
        html_raw (html, ">");
        html_text (html, names[i]);
        html_raw (html, "</option>");
    }
    free (names);
}

static void
write_selector (html_t *html, redisReply *months, bool muro, const char *period, const char *compare)
{
    html_raw (html, "<form class=\"filters\" method=\"get\" action=\"/mapa\">"
                    "<label>Mapa <select name=\"tipo\">");
    html_printf (html, "<option value=\"mupoi\"%s>Problemáticas (MUPOI)</option>", muro ? "" : " selected");
    html_printf (html, "<option value=\"muro\"%s>Riesgos (MURO)</option></select></label>", muro ? " selected" : "");
    html_raw (html, "<label>Periodo <select id=\"periodo\" name=\"periodo\">");
    write_month_options (html, months, period, true, "situación actual");
    html_raw (html, "</select></label><label>Comparar con <select name=\"compara\">");
    write_month_options (html, months, compare, true, "sin comparación");
    html_raw (html, "</select></label><button id=\"show\" type=\"submit\">Ver</button></form>\n");
}

/* Copies the SVG without its XML declaration (its cells already link to
 * the register: map_query_svg's link). */
static void
write_svg (html_t *html, const char *svg)
{
    const char *start = strstr (svg, "<svg");
    html_raw (html, start ? start : svg);
}

void
dashboard_map_page (const dashboard_context_t *context, const http_request_t *request, http_response_t *response)
{
    const char *kind = http_request_param (request, "tipo");
    const char *period = http_request_param (request, "periodo");
    const char *compare = http_request_param (request, "compara");
    period = period && *period ? period : NULL;
    compare = compare && *compare ? compare : NULL;
    bool muro = kind && strcmp (kind, "muro") == 0;
    if (kind && *kind && !muro && strcmp (kind, "mupoi") != 0) {
        dashboard_send_error (context, response, 400, "El mapa es mupoi o muro.");
        return;
    }
    if ((period && !is_month (period)) || (compare && !is_month (compare))) {
        dashboard_send_error (context, response, 400, "El periodo debe ser un mes AAAA-MM.");
        return;
    }
    Mot__V1__Query query;
    mot__v1__query__init (&query);
    query.has_kind = true;
    query.kind = muro ? MOT__V1__QUERY_KIND__MAP_MURO : MOT__V1__QUERY_KIND__MAP_MUPOI;
    query.period = (char *) period;
    query.compare = (char *) compare;
    register_filter_t filter = {.scope = REGISTER_OPEN_ITEMS, .within = dashboard_units_within (context)};
    register_filter_error_t error = {MOT__V1__ERROR_CODE__INTERNAL, NULL, NULL};
    size_t size = 0;
    char *svg = map_query_svg (context->redis, &query, &filter, mot_clock_now (context->clock),
                               muro ? "/muro?" : "/mupoi?", &size, &error);
    if (!svg) {
        bool refused = error.code == MOT__V1__ERROR_CODE__INVALID_VALUE;
        dashboard_send_error (context, response, refused ? 400 : error.code == MOT__V1__ERROR_CODE__UNAVAILABLE ? 503 : 500,
                              refused ? "Ese periodo no está cerrado o no se puede comparar así."
                                      : dashboard_refusal_text (error.code));
        return;
    }
    redisReply *months = mot_redis_command (context->redis, "HKEYS %s", MOT_KEY_PERIODS);
    html_t *html = html_new ();
    if (html) {
        dashboard_page_begin (context, html, muro ? "Mapa de Riesgos Operativos" : "Mapa de Problemáticas Operativas");
        write_selector (html, months, muro, period, compare);
        html_raw (html, "<div class=\"map\">");
        write_svg (html, svg);
        html_raw (html, "</div>\n");
        html_page_end (html);
        dashboard_send_page (response, html, 200);
    }
    else
        response->status = 500;
    html_destroy (&html);
    if (months)
        freeReplyObject (months);
    free (svg);
}
