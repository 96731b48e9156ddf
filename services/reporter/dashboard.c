/*  dashboard — the reporter's web dashboard: routes, login and the shared
 *  page helpers (see dashboard.h and dashboard_pages.h).
 */
#include "dashboard.h"
#include "dashboard_pages.h"
#include "http_auth.h"
#include "mot_log.h"

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
    html_page_begin (html, status == 404 ? "No encontrado" : "Petición no válida", context->account);
    html_raw (html, "<p class=\"error\" id=\"error\">");
    html_text (html, message);
    html_raw (html, "</p>\n");
    html_page_end (html);
    dashboard_send_page (response, html, status);
    html_destroy (&html);
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
    html_page_begin (html, "Acceso", NULL);
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
    snprintf (cookie, sizeof cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d", token,
              HTTP_AUTH_SESSION_S);
    response->set_cookie = strdup (cookie);
    redirect (response, "/");
}

static void
log_out (dashboard_t *self, const http_request_t *request, http_response_t *response)
{
    http_auth_logout (self->auth, http_request_cookie (request, SESSION_COOKIE));
    response->set_cookie = strdup (SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    redirect (response, "/login");
}

/* ---- pages -------------------------------------------------------------- */

static void
send_home (const dashboard_context_t *context, http_response_t *response)
{
    html_t *html = html_new ();
    if (!html) {
        response->status = 500;
        return;
    }
    html_page_begin (html, "Tablero", context->account);
    html_raw (html, "<div class=\"cards\">"
                    "<a class=\"card\" href=\"/mupoi\"><b>MUPOI</b>Matriz única de problemáticas</a>"
                    "<a class=\"card\" href=\"/muro\"><b>MURO</b>Matriz única de riesgos</a>"
                    "<a class=\"card\" href=\"/mapa?tipo=mupoi\"><b>Mapas</b>Problemáticas y riesgos</a>"
                    "<a class=\"card\" href=\"/obligaciones\"><b>Obligaciones</b>Informes por entregar</a>"
                    "<a class=\"card\" href=\"/informe\"><b>Informe mensual</b>CAPSOI a la TDOE</a>"
                    "</div>\n");
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

static void
send_page (dashboard_t *self, const char *account, const http_request_t *request, http_response_t *response)
{
    dashboard_context_t context = {self->redis, self->clock, self->territories, account, self->store};
    const char *path = http_request_path (request);
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
    const char *account = http_auth_session (self->auth, http_request_cookie (request, SESSION_COOKIE),
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
dashboard_new (const char *address, const char *accounts_path, mot_redis_t *redis, bool test_clock,
               mot_catalog_t *territories, const char *refresh_ms)
{
    long refresh = 0;
    if (!read_refresh_ms (refresh_ms, &refresh))
        return NULL;
    dashboard_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->territories = territories;
    self->auth = http_auth_new (accounts_path);
    self->redis = mot_redis_dup (redis);
    self->clock = self->redis ? mot_clock_new (self->redis, test_clock) : NULL;
    self->store = dashboard_store_new (redis, test_clock, territories, refresh);
    if (self->auth && self->clock && self->store)
        self->server = http_server_new (address, on_request, self);
    if (!self->server) {
        dashboard_destroy (&self);
        return NULL;
    }
    mot_log_info ("dashboard_serving", "http=%s refresh_ms=%ld", address, refresh);
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
