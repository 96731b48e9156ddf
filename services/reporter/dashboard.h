/*  dashboard — the reporter's read-only web dashboard (issue #11).
 *
 *  Owns: the HTTP side of the reporter: its server (http_server), its
 *  accounts and sessions (http_auth), its own Redis connection and clock
 *  (hiredis connections are not thread-safe: the server's one thread uses
 *  these and nothing else), and the routes:
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
#include <stdbool.h>

typedef struct _dashboard_t dashboard_t;

/* Serves on `address` ("host:port"); accounts from `accounts_path` (NULL
 * or "": nobody can sign in). `territories` is borrowed (read-only).
 * NULL (logged) when it cannot start. */
dashboard_t *dashboard_new (const char *address, const char *accounts_path, const char *redis_address,
                            bool test_clock, mot_catalog_t *territories);
void dashboard_destroy (dashboard_t **self_p);

#endif
