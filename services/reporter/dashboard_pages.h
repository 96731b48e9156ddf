/*  dashboard_pages — what the dashboard's page modules share.
 *
 *  Owns: the context a page is rendered in (the HTTP side's own Redis
 *  connection and clock, the territory catalogue, the signed-in account
 *  and what it may see, the registers kept in memory)
 *  and the pages' entry points, one module per family:
 *    dashboard_register.c     /mupoi, /muro
 *    dashboard_map.c          /mapa
 *    dashboard_item.c         /item
 *    dashboard_event.c        /evento
 *    dashboard_obligations.c  /obligaciones
 *    dashboard_report.c       /informe
 *  and the helpers to answer a page or a refusal (dashboard.c).
 *
 *  What an account sees (its registers and units: http_auth.h) is decided
 *  per page, by dashboard.c's routes for the page's register and by the
 *  pages for the items in it:
 *    /mupoi, /muro      mupoi, muro ("items" holds both)
 *    /mapa              maps and the map's register
 *    /item              the item's register (mupoi for a problemática,
 *                       muro for a riesgo); its trail needs audit, its
 *                       positions positions (else a line says so)
 *    /evento            status
 *    /obligaciones      obligations
 *    /informe           reports, and every unit (the report covers them all)
 *  A register the account lacks is 403, with a page naming it. An account
 *  limited to units sees, on registers, maps and the obligations board,
 *  only the items one of its units detected (the item's units) and the
 *  obligations of its units; another unit's item, or an event neither of
 *  its units nor of an item it sees, is 404, as an unknown one is.
 */
#ifndef DASHBOARD_PAGES_H_INCLUDED
#define DASHBOARD_PAGES_H_INCLUDED

#include "dashboard_html.h"
#include "dashboard_store.h"
#include "http_server.h"
#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_clock.h"
#include "mot_grant.h"
#include "mot_redis.h"
#include "register_table.h"
#include <jansson.h>

typedef struct {
    mot_redis_t *redis;
    mot_clock_t *clock;
    mot_catalog_t *territories;
    const char *account;
    dashboard_store_t *store;   /* the registers in memory (dashboard_store.h) */
    mot_grant_set_t units;      /* the account's; MOT_GRANT_ALL: every unit */
    mot_grant_set_t registers;
} dashboard_context_t;

/* Answers the page in `html` (taken) with `status`; 500 when it could not
 * be built. */
void dashboard_send_page (http_response_t *response, html_t *html, int status);
/* Begins a page for the signed-in account: its header links only to the
 * pages the account may open (the entry page's cards are the same). */
void dashboard_page_begin (const dashboard_context_t *context, html_t *html, const char *title);
/* Answers a page saying `message` (Spanish, escaped) with `status`. */
void dashboard_send_error (const dashboard_context_t *context, http_response_t *response, int status,
                           const char *message);
/* Whether the account may read the register (mupoi and muro also with items). */
bool dashboard_may_read (const dashboard_context_t *context, mot_register_t which);
/* Answers 403: a page saying that the account lacks the register. */
void dashboard_refuse_register (const dashboard_context_t *context, http_response_t *response,
                                mot_register_t which);
/* Whether the account sees an item detected by `units` (comma-separated;
 * an account of every unit sees every item). */
bool dashboard_sees_units (const dashboard_context_t *context, const char *units);
/* The units the account is limited to, as register_filter_t's `within`
 * (0: not limited). */
mot_grant_set_t dashboard_units_within (const dashboard_context_t *context);
/* Whether the account sees the item `item_id` (its units read from Redis);
 * false when there is no such item. */
bool dashboard_sees_item (const dashboard_context_t *context, const char *item_id);
/* A register table's rows as a JSON array (caller decrefs), NULL on failure. */
json_t *dashboard_table_rows (const dashboard_context_t *context, register_table_t *table);
/* The Spanish reason for a refused query's code. */
const char *dashboard_refusal_text (Mot__V1__ErrorCode code);
/* A cell's text: a string as is, a number printed, null empty. */
const char *dashboard_cell (json_t *row, const char *column, char *buffer, size_t size);

void dashboard_register_page (const dashboard_context_t *context, const http_request_t *request,
                              http_response_t *response, Mot__V1__QueryKind kind);
void dashboard_map_page (const dashboard_context_t *context, const http_request_t *request,
                         http_response_t *response);
void dashboard_item_page (const dashboard_context_t *context, const http_request_t *request,
                          http_response_t *response);
void dashboard_event_page (const dashboard_context_t *context, const http_request_t *request,
                           http_response_t *response);
void dashboard_obligations_page (const dashboard_context_t *context, const http_request_t *request,
                                 http_response_t *response);
void dashboard_report_page (const dashboard_context_t *context, const http_request_t *request,
                            http_response_t *response);

#endif
