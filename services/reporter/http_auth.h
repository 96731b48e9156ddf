/*  http_auth — the dashboard's accounts and sessions.
 *
 *  Owns: the accounts file and the sessions. The file (--accounts) has one
 *  account a line, name<TAB>hash<TAB>role[<TAB>units<TAB>registers]: the
 *  hash made by crypt(3) (yescrypt "$y$" or SHA-512 "$6$", e.g. `mkpasswd
 *  -m yescrypt`), never a password; '#' starts a comment line.
 *    - Three columns (the file as it was before issue #12): any role word
 *      (analista, tdoe, ops), every unit and every register.
 *    - Five columns: the role, units and registers of the CURVE
 *      certificates (mot_grant.h): role analyst or viewer (upstream,
 *      subscriber and service are programs, which do not sign in), units
 *      "UEOD,UAD" or "*", registers "mupoi,maps" or "*".
 *  A malformed line is logged by its number and why (never its hash) and
 *  skipped. The file is read again when its modification time
 *  changes (looked at on every request), so an account removed loses its
 *  sessions at once. A session is a random token (32 bytes from
 *  getrandom(2), hex) kept in memory for HTTP_AUTH_SESSION_S seconds after
 *  the login; a restart ends every session. Not thread-safe: the HTTP
 *  server calls it from its one thread.
 */
#ifndef HTTP_AUTH_H_INCLUDED
#define HTTP_AUTH_H_INCLUDED

#include "mot_grant.h"
#include <stdbool.h>
#include <stdint.h>

#define HTTP_AUTH_SESSION_S (8 * 3600)
#define HTTP_AUTH_MAX_SESSIONS 1024
#define HTTP_AUTH_TOKEN_CHARS 64

typedef struct _http_auth_t http_auth_t;

/* What a signed-in account may see. */
typedef struct {
    const char *name;
    const char *role;
    mot_grant_set_t units;      /* MOT_GRANT_ALL: every unit */
    mot_grant_set_t registers;  /* MOT_GRANT_ALL: every register */
} http_account_t;

/* `path` NULL or "": no accounts, every login refused. */
http_auth_t *http_auth_new (const char *path);
void http_auth_destroy (http_auth_t **self_p);

/* Whether name and password match an account (the same work whether the
 * name exists or not). On success a new session's token is written into
 * token (HTTP_AUTH_TOKEN_CHARS + 1 bytes). `now`: unix seconds. */
bool http_auth_login (http_auth_t *self, const char *name, const char *password, int64_t now, char *token);
/* The account of a live session, as the file says now (valid until the
 * next call into self), NULL when the token is unknown, expired or its
 * account is gone. */
const http_account_t *http_auth_session (http_auth_t *self, const char *token, int64_t now);
void http_auth_logout (http_auth_t *self, const char *token);

#endif
