/*  dashboard_report — the monthly reports page (/informe?periodo=YYYY-MM).
 *
 *  Owns: the list of the months that can be reported (those whose
 *  positions the watcher froze, mot:periods, newest first) and the chosen
 *  month's report (monthly_html: figures, tables, both maps with their
 *  cells linked to the registers) in the dashboard's layout; without a
 *  period, the newest month. Above it, the month's official version
 *  (report_archive.h): when it was generated, with a link to it
 *  (&version=archivada: the stored standalone document as it was), and
 *  its obligation's state; or, while none is stored, the inputs it still
 *  waits for. A period that is not YYYY-MM, or not frozen, is 400; an
 *  archived version that does not exist is 404.
 */
#include "dashboard_pages.h"
#include "monthly_html.h"
#include "mot_date.h"
#include "mot_schema.h"
#include "report_archive.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The month's stored report: "generado el …" and a link, its obligation's
 * state; or what it waits for. */
static void
write_archive_box (const dashboard_context_t *context, html_t *html, const char *month)
{
    char *report = mot_key_report_monthly (month);
    char *obligation = mot_obligation_id_of (REPORT_ARCHIVE_UNIT, REPORT_ARCHIVE_CODE, month);
    char *obligation_key = obligation ? mot_key_obligation (obligation) : NULL;
    redisReply *stored = report ? mot_redis_command (context->redis, "HGET %s %s", report, MOT_REPORT_GENERATED_AT)
                                : NULL;
    redisReply *state = obligation_key ? mot_redis_command (context->redis, "HMGET %s %s %s %s", obligation_key,
                                                            MOT_OBL_STATUS, MOT_OBL_DELIVERED_ON, MOT_OBL_WAITING_FOR)
                                       : NULL;
    html_raw (html, "<p class=\"archive\" id=\"archivo\">");
    if (mot_reply_ok (stored) && stored->type == REDIS_REPLY_STRING) {
        time_t at = (time_t) (strtoll (stored->str, NULL, 10) + MOT_UTC_OFFSET_SECONDS);
        struct tm fields;
        char when[32] = "";
        if (gmtime_r (&at, &fields))
            strftime (when, sizeof when, "%Y-%m-%d %H:%M", &fields);
        html_raw (html, "Versión oficial generada el <time>");
        html_text (html, when);
        html_raw (html, "</time>, al entregarse todos los informes del mes: <a data-archived=\"1\" href=\"/informe?periodo=");
        html_url_value (html, month);
        html_raw (html, "&amp;version=archivada\">ver el informe archivado</a>.");
    }
    else
        html_raw (html, "El informe del mes se genera solo cuando se entregan todos los informes del mes.");
    if (mot_reply_ok (state) && state->type == REDIS_REPLY_ARRAY && state->elements == 3
        && state->element[0]->type == REDIS_REPLY_STRING) {
        const char *status = state->element[0]->str;
        bool delivered = strcmp (status, MOT_STATUS_DELIVERED) == 0 || strcmp (status, MOT_STATUS_DELIVERED_LATE) == 0;
        html_raw (html, " Entrega a la TDOE: <span data-obligation=\"");
        html_text (html, status);
        html_raw (html, "\">");
        html_text (html, delivered ? "entregado" : strcmp (status, MOT_STATUS_WAITING) == 0 ? "en espera" : "pendiente");
        if (delivered && state->element[1]->type == REDIS_REPLY_STRING) {
            html_raw (html, " el ");
            html_text (html, state->element[1]->str);
        }
        html_raw (html, "</span>");
        if (state->element[2]->type == REDIS_REPLY_STRING && *state->element[2]->str) {
            html_raw (html, "; faltan: ");
            html_text (html, state->element[2]->str);
        }
        html_raw (html, ".");
    }
    html_raw (html, "</p>\n");
    if (stored)
        freeReplyObject (stored);
    if (state)
        freeReplyObject (state);
    free (obligation_key);
    free (obligation);
    free (report);
}

/* &version=archivada: the stored standalone document. */
static void
send_archived (const dashboard_context_t *context, const char *period, http_response_t *response)
{
    register_filter_error_t error = {MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED, NULL, NULL};
    size_t size = 0;
    char *body = period ? report_archive_read (context->redis, period, true, &size, &error) : NULL;
    if (body) {
        response->body = body;
        response->size = size;
        response->status = 200;
    }
    else
        dashboard_send_error (context, response, !period || error.code == MOT__V1__ERROR_CODE__INVALID_VALUE ? 404 : 500,
                              !period || error.code == MOT__V1__ERROR_CODE__INVALID_VALUE
                                  ? "Ese mes no tiene informe archivado todavía."
                                  : dashboard_refusal_text (error.code));
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
    const char *version = http_request_param (request, "version");
    if (version && strcmp (version, "archivada") == 0) {
        send_archived (context, period, response);
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
        dashboard_page_begin (context, html, "Informe mensual de problemáticas y riesgos operativos");
        write_month_links (html, months, count, chosen);
        if (!chosen)
            html_raw (html, "<p>Todavía no hay meses cerrados.</p>\n");
        else
            write_archive_box (context, html, chosen);
        if (!chosen || monthly_html_build (html, context->redis, chosen, mot_clock_now (context->clock), "/mupoi?",
                                           "/muro?", NULL, &error)) {
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
