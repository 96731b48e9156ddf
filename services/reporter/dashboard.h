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
 *  is 303 to /login. The session cookie is mot_session, HttpOnly,
 *  SameSite=Strict, Path=/, Max-Age the session's life. Logins are logged
 *  with the account name only; failures without any name.
 */
#ifndef DASHBOARD_H_INCLUDED
#define DASHBOARD_H_INCLUDED

#include "mot_catalog.h"
#include "mot_redis.h"
#include <stdbool.h>

typedef struct _dashboard_t dashboard_t;

#define DASHBOARD_REFRESH_MIN_MS 100
#define DASHBOARD_REFRESH_MAX_MS 3600000

/* Serves on `address` ("host:port"); accounts from `accounts_path` (NULL
 * or "": nobody can sign in). `territories` is borrowed (read-only). The
 * register pages read registers kept in memory, rebuilt once older than
 * `refresh_ms` (text, milliseconds, DASHBOARD_REFRESH_MIN_MS..
 * DASHBOARD_REFRESH_MAX_MS; dashboard_store.h). Its connections to Redis
 * are its own, to the address and as the user of `redis` (borrowed only
 * here). NULL (logged) when it cannot start. */
dashboard_t *dashboard_new (const char *address, const char *accounts_path, mot_redis_t *redis,
                            bool test_clock, mot_catalog_t *territories, const char *refresh_ms);
void dashboard_destroy (dashboard_t **self_p);

#endif
