/*  dashboard — the reporter's web dashboard: routes, login and the shared
 *  page helpers (see dashboard.h and dashboard_pages.h).
 */
#include "dashboard.h"
#include "dashboard_pages.h"
#include "http_auth.h"
#include "mot_log.h"
#include "mot_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_COOKIE "mot_session"

struct _dashboard_t {
    http_server_t *server;
    http_auth_t *auth;
    mot_redis_t *redis;
    mot_clock_t *clock;
    mot_catalog_t *territories;
    dashboard_store_t *store;
};

/* ---- shared helpers ---------------------------------------------------- */

void
dashboard_send_page (http_response_t *response, html_t *html, int status)
{
    response->body = html_take (html, &response->size);
    response->status = response->body ? status : 500;
}

void
dashboard_send_error (const dashboard_context_t *context, http_response_t *response, int status,
                      const char *message)
{
    html_t *html = html_new ();
    if (!html) {
        response->status = 500;
        return;
    }
    dashboard_page_begin (context, html,
                          status == 404 ? "No encontrado" : status == 403 ? "Acceso no permitido" : "Petición no válida");
    html_raw (html, "<p class=\"error\" id=\"error\">");
    html_text (html, message);
    html_raw (html, "</p>\n");
    html_page_end (html);
    dashboard_send_page (response, html, status);
    html_destroy (&html);
}

/* ---- what an account sees ------------------------------------------------ */

bool
dashboard_may_read (const dashboard_context_t *context, mot_register_t which)
{
    bool an_items_register = which == MOT_REGISTER_MUPOI || which == MOT_REGISTER_MURO;
    return mot_grant_has_register (context->registers, which)
        || (an_items_register && mot_grant_has_register (context->registers, MOT_REGISTER_ITEMS));
}

void
dashboard_refuse_register (const dashboard_context_t *context, http_response_t *response, mot_register_t which)
{
    char message[200];
    snprintf (message, sizeof message,
              "Su cuenta no tiene acceso al registro «%s». Si lo necesita, pida al equipo de operación que lo"
              " añada a su cuenta.", mot_register_name (which));
    mot_log_info ("http_forbidden", "account=%s register=%s", context->account, mot_register_name (which));
    dashboard_send_error (context, response, 403, message);
}

bool
dashboard_sees_units (const dashboard_context_t *context, const char *units)
{
    return context->units == MOT_GRANT_ALL || mot_grant_has_any_unit (context->units, units);
}

mot_grant_set_t
dashboard_units_within (const dashboard_context_t *context)
{
    return context->units == MOT_GRANT_ALL ? 0 : context->units;
}

bool
dashboard_sees_item (const dashboard_context_t *context, const char *item_id)
{
    char *key = mot_key_item (item_id);
    redisReply *fields = key ? mot_redis_command (context->redis, "HMGET %s %s %s %s", key, MOT_ITEM_ID,
                                                  MOT_ITEM_UNITS, MOT_ITEM_SOURCE) : NULL;
    free (key);
    bool read = mot_reply_ok (fields) && fields->type == REDIS_REPLY_ARRAY && fields->elements == 3
             && fields->element[0]->type == REDIS_REPLY_STRING;
    const redisReply *units = read ? fields->element[1] : NULL;
    if (read && (units->type != REDIS_REPLY_STRING || units->len == 0))
        units = fields->element[2];     /* an item stored before units were kept */
    bool seen = read && units->type == REDIS_REPLY_STRING && dashboard_sees_units (context, units->str);
    if (fields)
        freeReplyObject (fields);
    return seen;
}

json_t *
dashboard_table_rows (const dashboard_context_t *context, register_table_t *table)
{
    (void) context;
    size_t size = 0;
    char *text = register_table_json (table, "", &size);
    if (!text)
        return NULL;
    json_t *document = json_loadb (text, size, 0, NULL);
    free (text);
    json_t *rows = NULL;
    const char *key;
    json_t *value;
    json_object_foreach (document, key, value)
        if (json_is_array (value))
            rows = json_incref (value);
    json_decref (document);
    return rows;
}

const char *
dashboard_refusal_text (Mot__V1__ErrorCode code)
{
    switch (code) {
    case MOT__V1__ERROR_CODE__UNAVAILABLE: return "Redis no está disponible: inténtelo de nuevo.";
    case MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY: return "Territorio desconocido.";
    case MOT__V1__ERROR_CODE__INVALID_UTF8: return "Texto no válido.";
    case MOT__V1__ERROR_CODE__INVALID_VALUE: return "Un valor del filtro no es válido.";
    default: return "No se pudo leer el registro.";
    }
}

const char *
dashboard_cell (json_t *row, const char *column, char *buffer, size_t size)
{
    json_t *value = json_object_get (row, column);
    if (json_is_string (value))
        return json_string_value (value);
    if (json_is_integer (value)) {
        snprintf (buffer, size, "%lld", (long long) json_integer_value (value));
        return buffer;
    }
    if (json_is_real (value)) {
        snprintf (buffer, size, "%g", json_real_value (value));
        return buffer;
    }
    return "";
}

/* ---- login -------------------------------------------------------------- */

static void
send_login_form (http_response_t *response, int status, bool refused)
{
    dashboard_context_t none = {0};
    html_t *html = html_new ();
    if (!html) {
        response->status = 500;
        return;
    }
    html_page_begin (html, "Acceso", NULL, NULL, 0);
    html_raw (html, "<form class=\"login\" method=\"post\" action=\"/login\">");
    if (refused)
        html_raw (html, "<p class=\"error\" id=\"login-error\">Usuario o contraseña incorrectos.</p>");
    html_raw (html, "<label>Usuario <input id=\"name\" name=\"usuario\" autocomplete=\"username\" required></label>"
                    "<label>Contraseña <input id=\"password\" name=\"contrasena\" type=\"password\""
                    " autocomplete=\"current-password\" required></label>"
                    "<button id=\"login\" type=\"submit\">Entrar</button></form>\n");
    html_page_end (html);
    (void) none;
    dashboard_send_page (response, html, status);
    html_destroy (&html);
}

static void
redirect (http_response_t *response, const char *location)
{
    response->status = 303;
    response->location = strdup (location);
}

static void
log_in (dashboard_t *self, const http_request_t *request, http_response_t *response)
{
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    const char *name = http_request_param (request, "usuario");
    if (!http_auth_login (self->auth, name, http_request_param (request, "contrasena"), (int64_t) time (NULL),
                          token)) {
        mot_log_info ("login_refused", "reason=\"wrong name or password\"");
        send_login_form (response, 401, true);
        return;
    }
    mot_log_info ("login", "account=%s", name);
    char cookie[160];
    snprintf (cookie, sizeof cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
              HTTP_AUTH_SESSION_S, http_server_is_tls (self->server) ? "; Secure" : "");
    response->set_cookie = strdup (cookie);
    redirect (response, "/");
}

static void
log_out (dashboard_t *self, const http_request_t *request, http_response_t *response)
{
    http_auth_logout (self->auth, http_request_cookie (request, SESSION_COOKIE));
    response->set_cookie = strdup (http_server_is_tls (self->server)
                                       ? SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                                       : SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    redirect (response, "/login");
}

/* ---- pages -------------------------------------------------------------- */

/* Whether the account may open the monthly report: it covers every unit. */
static bool
may_read_report (const dashboard_context_t *context)
{
    return dashboard_may_read (context, MOT_REGISTER_REPORTS) && context->units == MOT_GRANT_ALL;
}

/* A page the header and the entry page link to. */
typedef struct {
    html_link_t link;
    const char *name;   /* the entry page's card: its name */
    const char *card;   /* and its line under the name */
} page_link_t;

/* The pages the account may open, in the header's order, into `pages`
 * (room for five); how many. The maps open on the MUPOI's unless the
 * account reads only the MURO. */
static size_t
pages_open_to (const dashboard_context_t *context, page_link_t *pages)
{
    bool mupoi = dashboard_may_read (context, MOT_REGISTER_MUPOI), muro = dashboard_may_read (context, MOT_REGISTER_MURO);
    size_t count = 0;
    if (mupoi)
        pages[count++] = (page_link_t) {{"/mupoi", "MUPOI"}, "MUPOI", "Matriz única de problemáticas"};
    if (muro)
        pages[count++] = (page_link_t) {{"/muro", "MURO"}, "MURO", "Matriz única de riesgos"};
    if (dashboard_may_read (context, MOT_REGISTER_MAPS) && (mupoi || muro))
        pages[count++] = (page_link_t) {{mupoi ? "/mapa?tipo=mupoi" : "/mapa?tipo=muro", "Mapas"}, "Mapas",
                                        mupoi && muro ? "Problemáticas y riesgos" : mupoi ? "Problemáticas" : "Riesgos"};
    if (dashboard_may_read (context, MOT_REGISTER_OBLIGATIONS))
        pages[count++] = (page_link_t) {{"/obligaciones", "Obligaciones"}, "Obligaciones", "Informes por entregar"};
    if (may_read_report (context))
        pages[count++] = (page_link_t) {{"/informe", "Informe"}, "Informe mensual", "CAPSOI a la TDOE"};
    return count;
}

void
dashboard_page_begin (const dashboard_context_t *context, html_t *html, const char *title)
{
    page_link_t pages[5];
    html_link_t links[5];
    size_t count = pages_open_to (context, pages);
    for (size_t i = 0; i < count; i++)
        links[i] = pages[i].link;
    html_page_begin (html, title, context->account, links, count);
}

/* The entry page: a card for each page the account may open. */
static void
send_home (const dashboard_context_t *context, http_response_t *response)
{
    html_t *html = html_new ();
    if (!html) {
        response->status = 500;
        return;
    }
    page_link_t pages[5];
    size_t count = pages_open_to (context, pages);
    dashboard_page_begin (context, html, "Tablero");
    html_raw (html, "<div class=\"cards\">");
    for (size_t i = 0; i < count; i++)
        html_printf (html, "<a class=\"card\" href=\"%s\"><b>%s</b>%s</a>", pages[i].link.href, pages[i].name,
                     pages[i].card);
    html_raw (html, "</div>\n");
    if (count == 0)
        html_raw (html, "<p id=\"nothing\">Su cuenta no tiene registros asignados.</p>\n");
    html_page_end (html);
    dashboard_send_page (response, html, 200);
    html_destroy (&html);
}

static bool
is_page (const char *path)
{
    static const char *pages[] = {"/",      "/mupoi",        "/muro",    "/mapa", "/item",
                                  "/evento", "/obligaciones", "/informe", NULL};
    for (size_t i = 0; pages[i]; i++)
        if (strcmp (path, pages[i]) == 0)
            return true;
    return false;
}

/* The register a page needs (the map's: its kind's too), false (and 403
 * sent) when the account lacks it; the monthly report needs every unit. */
static bool
may_open (const dashboard_context_t *context, const http_request_t *request, http_response_t *response)
{
    static const struct {
        const char *path;
        mot_register_t needs;
    } PAGES[] = {{"/mupoi", MOT_REGISTER_MUPOI},      {"/muro", MOT_REGISTER_MURO},
                 {"/mapa", MOT_REGISTER_MAPS},        {"/evento", MOT_REGISTER_STATUS},
                 {"/obligaciones", MOT_REGISTER_OBLIGATIONS}, {"/informe", MOT_REGISTER_REPORTS}};
    const char *path = http_request_path (request);
    for (size_t i = 0; i < sizeof PAGES / sizeof PAGES[0]; i++)
        if (strcmp (path, PAGES[i].path) == 0 && !dashboard_may_read (context, PAGES[i].needs)) {
            dashboard_refuse_register (context, response, PAGES[i].needs);
            return false;
        }
    const char *kind = http_request_param (request, "tipo");
    mot_register_t map = kind && strcmp (kind, "muro") == 0 ? MOT_REGISTER_MURO : MOT_REGISTER_MUPOI;
    if (strcmp (path, "/mapa") == 0 && !dashboard_may_read (context, map)) {
        dashboard_refuse_register (context, response, map);
        return false;
    }
    if (strcmp (path, "/informe") == 0 && !may_read_report (context)) {
        char units[MOT_GRANT_UNITS_TEXT], message[200];
        mot_grant_units_text (context->units, units);
        snprintf (message, sizeof message,
                  "El informe mensual abarca todas las unidades y su cuenta está limitada a %s.", units);
        mot_log_info ("http_forbidden", "account=%s register=reports reason=\"limited to units\"", context->account);
        dashboard_send_error (context, response, 403, message);
        return false;
    }
    return true;
}

static void
send_page (dashboard_t *self, const http_account_t *account, const http_request_t *request,
           http_response_t *response)
{
    dashboard_context_t context = {self->redis,  self->clock,    self->territories, account->name,
                                   self->store, account->units, account->registers};
    const char *path = http_request_path (request);
    if (!may_open (&context, request, response))
        return;
    if (strcmp (path, "/") == 0)
        send_home (&context, response);
    else if (strcmp (path, "/mupoi") == 0)
        dashboard_register_page (&context, request, response, MOT__V1__QUERY_KIND__MUPOI);
    else if (strcmp (path, "/muro") == 0)
        dashboard_register_page (&context, request, response, MOT__V1__QUERY_KIND__MURO);
    else if (strcmp (path, "/mapa") == 0)
        dashboard_map_page (&context, request, response);
    else if (strcmp (path, "/item") == 0)
        dashboard_item_page (&context, request, response);
    else if (strcmp (path, "/evento") == 0)
        dashboard_event_page (&context, request, response);
    else if (strcmp (path, "/informe") == 0)
        dashboard_report_page (&context, request, response);
    else
        dashboard_obligations_page (&context, request, response);
}

static void
on_request (void *arg, const http_request_t *request, http_response_t *response)
{
    dashboard_t *self = arg;
    const char *path = http_request_path (request);
    bool post = http_request_is_post (request);
    if (strcmp (path, "/login") == 0) {
        if (post)
            log_in (self, request, response);
        else
            send_login_form (response, 200, false);
        return;
    }
    if (strcmp (path, "/logout") == 0 && post) {
        log_out (self, request, response);
        return;
    }
    dashboard_context_t anonymous = {0};
    if (!is_page (path) && strcmp (path, "/logout") != 0) {
        dashboard_send_error (&anonymous, response, 404, "No existe esa página.");
        return;
    }
    if (post) {
        response->status = 405;
        return;
    }
    const http_account_t *account = http_auth_session (self->auth, http_request_cookie (request, SESSION_COOKIE),
                                                       (int64_t) time (NULL));
    if (!account) {
        redirect (response, "/login");
        return;
    }
    if (strcmp (path, "/logout") == 0) {
        response->status = 405;
        return;
    }
    send_page (self, account, request, response);
}

/* ---- lifetime ----------------------------------------------------------- */

/* The refresh bound in ms, DASHBOARD_REFRESH_MIN_MS..DASHBOARD_REFRESH_MAX_MS. */
static bool
read_refresh_ms (const char *text, long *refresh_ms)
{
    char *end = NULL;
    *refresh_ms = text ? strtol (text, &end, 10) : 0;
    if (text && end != text && *end == '\0' && *refresh_ms >= DASHBOARD_REFRESH_MIN_MS
        && *refresh_ms <= DASHBOARD_REFRESH_MAX_MS)
        return true;
    mot_log_error ("http_failed", "reason=\"--http-refresh-ms must be %d..%d\"", DASHBOARD_REFRESH_MIN_MS,
                   DASHBOARD_REFRESH_MAX_MS);
    return false;
}

dashboard_t *
dashboard_new (const dashboard_config_t *config, mot_catalog_t *territories)
{
    long refresh = 0;
    if (!read_refresh_ms (config->refresh_ms, &refresh))
        return NULL;
    dashboard_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->territories = territories;
    self->auth = http_auth_new (config->accounts_path);
    self->redis = mot_redis_dup (config->redis);
    self->clock = self->redis ? mot_clock_new (self->redis, config->test_clock) : NULL;
    self->store = dashboard_store_new (config->redis, config->test_clock, territories, refresh);
    if (self->auth && self->clock && self->store)
        self->server = http_server_new (&config->listen, on_request, self);
    if (!self->server) {
        dashboard_destroy (&self);
        return NULL;
    }
    mot_log_info ("dashboard_serving", "http=%s tls=%s refresh_ms=%ld", config->listen.address,
                  http_server_is_tls (self->server) ? "yes" : "no", refresh);
    return self;
}

void
dashboard_destroy (dashboard_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dashboard_t *self = *self_p;
    http_server_destroy (&self->server);    /* first: its thread uses the rest */
    dashboard_store_destroy (&self->store);
    mot_clock_destroy (&self->clock);
    mot_redis_destroy (&self->redis);
    http_auth_destroy (&self->auth);
    free (self);
    *self_p = NULL;
}
