/*  dashboard_report — the monthly reports page (/informe?periodo=YYYY-MM).
 *
 *  Owns: the list of the months that can be reported (those whose
 *  positions the watcher froze, mot:periods, newest first) and the chosen
 *  month's report (monthly_html: figures, tables, both maps with their
 *  cells linked to the registers) in the dashboard's layout; without a
 *  period, the newest month. A period that is not YYYY-MM, or not frozen,
 *  is 400.
 */
#include "dashboard_pages.h"
#include "monthly_html.h"
#include "mot_date.h"
#include "mot_schema.h"

#include <stdlib.h>
#include <string.h>

static int
newest_first (const void *a, const void *b)
{
    return strcmp (*(const char *const *) b, *(const char *const *) a);
}

/* The frozen months, newest first (caller frees the array, not the texts,
 * which live in `reply`); *count of them. */
static const char **
months_of (redisReply *reply, size_t *count)
{
    *count = 0;
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0)
        return NULL;
    const char **months = calloc (reply->elements, sizeof *months);
    for (size_t i = 0; months && i < reply->elements; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            months[(*count)++] = reply->element[i]->str;
    if (months)
        qsort (months, *count, sizeof *months, newest_first);
    return months;
}

static void
write_month_links (html_t *html, const char **months, size_t count, const char *chosen)
{
    html_raw (html, "<p class=\"pager\">");
    for (size_t i = 0; i < count; i++) {
        char name[40];
        mot_period_name (months[i], name, sizeof name);
        if (chosen && strcmp (months[i], chosen) == 0) {
            html_raw (html, "<b>");
            html_text (html, name);
            html_raw (html, "</b>");
        }
        else {
            html_raw (html, "<a href=\"/informe?periodo=");
            html_url_value (html, months[i]);
            html_raw (html, "\">");
            html_text (html, name);
            html_raw (html, "</a>");
        }
    }
    html_raw (html, "</p>\n");
}

void
dashboard_report_page (const dashboard_context_t *context, const http_request_t *request, http_response_t *response)
{
    const char *period = http_request_param (request, "periodo");
    period = period && *period ? period : NULL;
    if (period && !mot_period_parse (period, NULL, NULL)) {
        dashboard_send_error (context, response, 400, "El periodo debe ser un mes AAAA-MM.");
        return;
    }
    redisReply *reply = mot_redis_command (context->redis, "HKEYS %s", MOT_KEY_PERIODS);
    size_t count = 0;
    const char **months = months_of (reply, &count);
    const char *chosen = period ? period : count ? months[0] : NULL;
    html_t *html = html_new ();
    register_filter_error_t error = {MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED, NULL, NULL};
    if (!html)
        response->status = 500;
    else {
        html_page_begin (html, "Informe mensual de problemáticas y riesgos operativos", context->account);
        write_month_links (html, months, count, chosen);
        if (!chosen)
            html_raw (html, "<p>Todavía no hay meses cerrados.</p>\n");
        if (!chosen || monthly_html_build (html, context->redis, chosen, mot_clock_now (context->clock), "/mupoi?",
                                           "/muro?", &error)) {
            html_page_end (html);
            dashboard_send_page (response, html, 200);
        }
        else {
            bool refused = error.code == MOT__V1__ERROR_CODE__INVALID_VALUE;
            dashboard_send_error (context, response, refused ? 400 : 500,
                                  refused ? "Ese mes no está cerrado todavía." : dashboard_refusal_text (error.code));
        }
    }
    html_destroy (&html);
    free (months);
    if (reply)
        freeReplyObject (reply);
}
