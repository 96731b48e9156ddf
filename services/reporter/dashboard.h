/*  dashboard — the reporter's read-only web dashboard (issue #11).
 *
 *  Owns: the HTTP side of the reporter: its server (http_server), its
 *  accounts and sessions (http_auth), its own Redis connection and clock
 *  (hiredis connections are not thread-safe: the server's one thread uses
 *  these and nothing else), the registers its pages read from memory
 *  (dashboard_store, with a thread and a Redis connection of its own), and
 *  the routes:
 *    GET  /login          the login form (the only page without a session)
 *    POST /login          name + password: a session cookie and 303 to /,
 *                         or the form again (401) saying only that the
 *                         name or the password is wrong
 *    POST /logout         ends the session, 303 to /login
 *    GET  /               the entry page (links to the others)
 *    GET  /mupoi, /muro, /mapa, /item, /obligaciones  (dashboard_pages.h)
 *  Anything else is 404; POST elsewhere 405; a page without a live session
 *  is 303 to /login; a page of a register the account lacks 403, and an
 *  account limited to units sees only its units' items (dashboard_pages.h;
 *  the accounts' units and registers: http_auth.h). The entry page shows
 *  the pages the account may open. The session cookie is mot_session, HttpOnly,
 *  SameSite=Strict, Path=/, Max-Age the session's life, and Secure when
 *  the dashboard serves HTTPS (http_server.h: a certificate and key, and
 *  plain HTTP refused beyond loopback unless asked for). Logins are logged
 *  with the account name only; failures without any name.
 */
#ifndef DASHBOARD_H_INCLUDED
#define DASHBOARD_H_INCLUDED

#include "http_server.h"
#include "mot_catalog.h"
#include "mot_redis.h"
#include <stdbool.h>

typedef struct _dashboard_t dashboard_t;

#define DASHBOARD_REFRESH_MIN_MS 100
#define DASHBOARD_REFRESH_MAX_MS 3600000

typedef struct {
    http_listen_t listen;       /* where, and HTTPS (http_server.h) */
    const char *accounts_path;  /* NULL or "": nobody can sign in */
    mot_redis_t *redis;         /* copied (mot_redis_dup): the address and the user */
    bool test_clock;
    const char *refresh_ms;     /* text, milliseconds */
} dashboard_config_t;

/* Serves as `config` says. `territories` is borrowed (read-only). The
 * register pages read registers kept in memory, rebuilt once older than
 * `refresh_ms` (DASHBOARD_REFRESH_MIN_MS..DASHBOARD_REFRESH_MAX_MS;
 * dashboard_store.h). Its connections to Redis are its own, to the address
 * and as the user of `config->redis` (borrowed only here). NULL (logged)
 * when it cannot start. */
dashboard_t *dashboard_new (const dashboard_config_t *config, mot_catalog_t *territories);
void dashboard_destroy (dashboard_t **self_p);

#endif
