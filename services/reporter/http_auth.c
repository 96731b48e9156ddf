/*  http_auth — the dashboard's accounts and sessions: see http_auth.h.
 */
#include "http_auth.h"
#include "mot_log.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#define TOKEN_BYTES (HTTP_AUTH_TOKEN_CHARS / 2)
/* A hash no password matches, checked against when the name is unknown so
 * that a refusal takes as long either way. */
#define DECOY_HASH "$6$mot.decoy.salt$7Hn0m5rM3R9yq0kzL2l2S0hY0k3bM1p5c0b0y7yS0mC0wW1f0Q9l8v8d4a2c1b0e9f8g7h6i5j4k3l2m1n0o9"

typedef struct {
    char *name;
    char *hash;
    char *role;
    mot_grant_set_t units;
    mot_grant_set_t registers;
} account_t;

/* An accounts line's columns: three (before issue #12) or five. */
enum { NAME, HASH, ROLE, UNITS, REGISTERS, COLUMNS };

typedef struct {
    char token[HTTP_AUTH_TOKEN_CHARS + 1];
    char *account;
    int64_t expires;
} session_t;

struct _http_auth_t {
    char *path;
    struct timespec loaded_mtime;
    bool loaded;
    account_t *accounts;
    size_t account_count;
    session_t sessions[HTTP_AUTH_MAX_SESSIONS];
    struct crypt_data *crypt;
    http_account_t current;     /* what http_auth_session answered last */
};

/* ---- accounts ----------------------------------------------------------- */

static void
forget_accounts (http_auth_t *self)
{
    for (size_t i = 0; i < self->account_count; i++) {
        free (self->accounts[i].name);
        free (self->accounts[i].hash);
        free (self->accounts[i].role);
    }
    free (self->accounts);
    self->accounts = NULL;
    self->account_count = 0;
}

static bool
is_crypt_hash (const char *hash)
{
    return strncmp (hash, "$y$", 3) == 0 || strncmp (hash, "$6$", 3) == 0 || strncmp (hash, "$gy$", 4) == 0
        || strncmp (hash, "$7$", 3) == 0;
}

/* Splits a line at its tabs, in place: how many columns (up to COLUMNS;
 * COLUMNS + 1 when there are more). */
static size_t
split_columns (char *line, char **columns)
{
    line[strcspn (line, "\r\n")] = '\0';
    size_t count = 0;
    for (char *column = line; column; count++) {
        if (count == COLUMNS)
            return COLUMNS + 1;
        char *tab = strchr (column, '\t');
        if (tab)
            *tab++ = '\0';
        columns[count] = column;
        column = tab;
    }
    return count;
}

/* The account a line holds; NULL with *reason when it holds none. The
 * strings point into the line. */
static bool
read_line (char *line, account_t *account, const char **reason)
{
    char *columns[COLUMNS];
    size_t count = split_columns (line, columns);
    *reason = "not name<TAB>crypt-hash<TAB>role[<TAB>units<TAB>registers]";
    if ((count != ROLE + 1 && count != COLUMNS) || !*columns[NAME] || !*columns[ROLE] || !is_crypt_hash (columns[HASH]))
        return false;
    *account = (account_t) {columns[NAME], columns[HASH], columns[ROLE], MOT_GRANT_ALL, MOT_GRANT_ALL};
    if (count == ROLE + 1)
        return true;
    if (strcmp (columns[ROLE], "analyst") != 0 && strcmp (columns[ROLE], "viewer") != 0)
        *reason = "the role of an account with units and registers is analyst or viewer";
    else if (!mot_grant_read_units (columns[UNITS], &account->units))
        *reason = "units: unit codes (UEOD,UAD,UCS,CV,CAPSOI,CA) separated by commas, or *";
    else if (!mot_grant_read_registers (columns[REGISTERS], &account->registers))
        *reason = "registers: mupoi,muro,items,unclassified,obligations,audit,positions,status,maps,reports or *";
    else
        return true;
    return false;
}

static bool
add_account (http_auth_t *self, const account_t *read)
{
    account_t *grown = realloc (self->accounts, (self->account_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    self->accounts = grown;
    account_t *account = &self->accounts[self->account_count];
    *account = *read;
    account->name = strdup (read->name);
    account->hash = strdup (read->hash);
    account->role = strdup (read->role);
    if (!account->name || !account->hash || !account->role) {
        free (account->name);
        free (account->hash);
        free (account->role);
        return false;
    }
    self->account_count++;
    return true;
}

static void
read_accounts (http_auth_t *self, FILE *file)
{
    char *line = NULL;
    size_t capacity = 0;
    size_t number = 0;
    while (getline (&line, &capacity, file) >= 0) {
        number++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\0')
            continue;
        account_t account;
        const char *reason = NULL;
        if (!read_line (line, &account, &reason))
            mot_log_warn ("accounts_line_skipped", "path=%s line=%zu reason=\"%s\"", self->path, number, reason);
        else if (!add_account (self, &account))
            mot_log_error ("accounts_line_skipped", "path=%s line=%zu reason=\"out of memory\"", self->path, number);
    }
    free (line);
}

/* Reads the file again when it changed since it was last read. */
static void
refresh_accounts (http_auth_t *self)
{
    if (!self->path)
        return;
    struct stat status;
    if (stat (self->path, &status) != 0) {
        if (self->loaded || self->account_count == 0) {
            if (self->loaded)
                mot_log_error ("accounts_unreadable", "path=%s", self->path);
            forget_accounts (self);
            self->loaded = false;
        }
        return;
    }
    if (self->loaded && status.st_mtim.tv_sec == self->loaded_mtime.tv_sec
        && status.st_mtim.tv_nsec == self->loaded_mtime.tv_nsec)
        return;
    FILE *file = fopen (self->path, "r");
    if (!file) {
        mot_log_error ("accounts_unreadable", "path=%s", self->path);
        return;
    }
    forget_accounts (self);
    read_accounts (self, file);
    fclose (file);
    self->loaded = true;
    self->loaded_mtime = status.st_mtim;
    mot_log_info ("accounts_loaded", "path=%s accounts=%zu", self->path, self->account_count);
}

static const account_t *
find_account (http_auth_t *self, const char *name)
{
    for (size_t i = 0; i < self->account_count; i++)
        if (strcmp (self->accounts[i].name, name) == 0)
            return &self->accounts[i];
    return NULL;
}

/* ---- passwords ---------------------------------------------------------- */

static bool
same_text (const char *a, const char *b)
{
    size_t length = strlen (a);
    if (length != strlen (b))
        return false;
    unsigned char difference = 0;
    for (size_t i = 0; i < length; i++)
        difference |= (unsigned char) (a[i] ^ b[i]);
    return difference == 0;
}

static bool
password_matches (http_auth_t *self, const char *password, const char *hash)
{
    memset (self->crypt, 0, sizeof *self->crypt);
    const char *computed = crypt_r (password, hash, self->crypt);
    return computed && computed[0] != '*' && same_text (computed, hash);
}

/* ---- sessions ----------------------------------------------------------- */

static void
end_session (session_t *session)
{
    free (session->account);
    memset (session, 0, sizeof *session);
}

static bool
make_token (char *token)
{
    unsigned char bytes[TOKEN_BYTES];
    if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
        return false;
    for (size_t i = 0; i < TOKEN_BYTES; i++)
        snprintf (token + 2 * i, 3, "%02x", bytes[i]);
    return true;
}

/* A free slot, else the one that expires first. */
static session_t *
free_slot (http_auth_t *self, int64_t now)
{
    session_t *oldest = &self->sessions[0];
    for (size_t i = 0; i < HTTP_AUTH_MAX_SESSIONS; i++) {
        session_t *session = &self->sessions[i];
        if (!session->account || session->expires <= now)
            return session;
        if (session->expires < oldest->expires)
            oldest = session;
    }
    return oldest;
}

static session_t *
find_session (http_auth_t *self, const char *token)
{
    if (!token || strlen (token) != HTTP_AUTH_TOKEN_CHARS)
        return NULL;
    for (size_t i = 0; i < HTTP_AUTH_MAX_SESSIONS; i++)
        if (self->sessions[i].account && same_text (self->sessions[i].token, token))
            return &self->sessions[i];
    return NULL;
}

/* ---- public ------------------------------------------------------------- */

http_auth_t *
http_auth_new (const char *path)
{
    http_auth_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->crypt = calloc (1, sizeof *self->crypt);
    self->path = path && *path ? strdup (path) : NULL;
    if (!self->crypt || (path && *path && !self->path)) {
        http_auth_destroy (&self);
        return NULL;
    }
    if (!self->path)
        mot_log_warn ("accounts_none", "reason=\"no --accounts file: every login is refused\"");
    refresh_accounts (self);
    if (self->path && !self->loaded)
        mot_log_error ("accounts_unreadable", "path=%s", self->path);
    return self;
}

void
http_auth_destroy (http_auth_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    http_auth_t *self = *self_p;
    for (size_t i = 0; i < HTTP_AUTH_MAX_SESSIONS; i++)
        end_session (&self->sessions[i]);
    forget_accounts (self);
    free (self->crypt);
    free (self->path);
    free (self);
    *self_p = NULL;
}

bool
http_auth_login (http_auth_t *self, const char *name, const char *password, int64_t now, char *token)
{
    refresh_accounts (self);
    const account_t *account = name && password ? find_account (self, name) : NULL;
    bool matches = password_matches (self, password ? password : "", account ? account->hash : DECOY_HASH);
    if (!account || !matches || !make_token (token))
        return false;
    session_t *session = free_slot (self, now);
    end_session (session);
    session->account = strdup (account->name);
    if (!session->account)
        return false;
    memcpy (session->token, token, HTTP_AUTH_TOKEN_CHARS + 1);
    session->expires = now + HTTP_AUTH_SESSION_S;
    return true;
}

const http_account_t *
http_auth_session (http_auth_t *self, const char *token, int64_t now)
{
    refresh_accounts (self);
    session_t *session = find_session (self, token);
    if (!session)
        return NULL;
    const account_t *account = find_account (self, session->account);
    if (session->expires <= now || !account) {
        end_session (session);
        return NULL;
    }
    self->current = (http_account_t) {account->name, account->role, account->units, account->registers};
    return &self->current;
}

void
http_auth_logout (http_auth_t *self, const char *token)
{
    session_t *session = find_session (self, token);
    if (session)
        end_session (session);
}
