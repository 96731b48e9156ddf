/*  dashboard_pages — what the dashboard's page modules share.
 *
 *  Owns: the context a page is rendered in (the HTTP side's own Redis
 *  connection and clock, the territory catalogue, the signed-in account,
 *  the registers kept in memory)
 *  and the pages' entry points, one module per family:
 *    dashboard_register.c     /mupoi, /muro
 *    dashboard_map.c          /mapa
 *    dashboard_item.c         /item
 *    dashboard_event.c        /evento
 *    dashboard_obligations.c  /obligaciones
 *    dashboard_report.c       /informe
 *  and the helpers to answer a page or a refusal (dashboard.c).
 */
#ifndef DASHBOARD_PAGES_H_INCLUDED
#define DASHBOARD_PAGES_H_INCLUDED

#include "dashboard_html.h"
#include "dashboard_store.h"
#include "http_server.h"
#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_clock.h"
#include "mot_redis.h"
#include "register_table.h"
#include <jansson.h>

typedef struct {
    mot_redis_t *redis;
    mot_clock_t *clock;
    mot_catalog_t *territories;
    const char *account;
    dashboard_store_t *store;   /* the registers in memory (dashboard_store.h) */
} dashboard_context_t;

/* Answers the page in `html` (taken) with `status`; 500 when it could not
 * be built. */
void dashboard_send_page (http_response_t *response, html_t *html, int status);
/* Answers a page saying `message` (Spanish, escaped) with `status`. */
void dashboard_send_error (const dashboard_context_t *context, http_response_t *response, int status,
                           const char *message);
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
