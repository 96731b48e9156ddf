/*  monthly_html — the monthly CAPSOI → TDOE report (norm 7.2.4.14) as HTML:
 *  its figures (monthly_report.h) in tables and both maps of the month,
 *  compared with the month before, inline.
 *
 *  Owns: the report's layout. Sections: the MUPOI's and the MURO's
 *  behaviour (cards: total, nuevas, cerradas, resueltas, residuales,
 *  mejoran, empeoran; the quadrants this month against the month before;
 *  the map; the quadrant changes, first 100; by territory, category and
 *  unit), the month's report obligations (per unit, the late ones with
 *  their business days, the overdue ones) and the open work with its
 *  progress. Every figure sits in an element a reader (or a test) can find:
 *  cards carry data-figure="<register>.<figure>", quadrant rows
 *  data-quadrant with cells data-month="anterior|actual", tables an id.
 *  The standalone document has its own style sheet, printable on A4 or
 *  Letter (@page margins, rows never split across pages); the dashboard
 *  shows the same body in its layout.
 */
#ifndef MONTHLY_HTML_H_INCLUDED
#define MONTHLY_HTML_H_INCLUDED

#include "dashboard_html.h"
#include "mot_redis.h"
#include "register_filter.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The report's body for the figures `data` (monthly_report_data) and the
 * two maps' SVG documents (NULL: the map is left out). */
void monthly_html_body (html_t *html, json_t *data, const char *mupoi_svg, const char *muro_svg);

/* The report of `month` read from Redis: figures and maps (each map's
 * cells link to `link_mupoi` / `link_muro`, NULL: none) into html's body;
 * false with *error as monthly_report_data. The items are read once, for
 * the figures and both maps together (monthly_report_data_maps); with
 * `figures` the caller gets those figures too (a new reference). */
bool monthly_html_build (html_t *html, mot_redis_t *redis, const char *month, int64_t now, const char *link_mupoi,
                         const char *link_muro, json_t **figures, register_filter_error_t *error);

/* The standalone document of `month` (caller frees), *size bytes, and with
 * `figures` its figures (a new reference, from the same read); NULL with
 * *error. */
char *monthly_html_document (mot_redis_t *redis, const char *month, int64_t now, size_t *size, json_t **figures,
                             register_filter_error_t *error);

#endif
