/*  mot_redis — connecting, authenticating, reconnecting, commands and
 *  scripts.
 *
 *  One synchronous hiredis context per mot_redis_t. A context that failed is
 *  never reused (hiredis rule): we free it and connect anew; every new one
 *  runs AUTH first when a user is set (its password read once, kept in
 *  memory, wiped when freed, never logged). Scripts are run
 *  by SHA; NOSCRIPT (Redis restarted or flushed its script cache) reloads the
 *  source and retries once. Lent replies are read from the context's socket
 *  into a buffer of our own; bytes one kind of read took ahead are handed to
 *  the other before it reads, so both see the replies in order.
 */
#include "mot_redis.h"
#include "mot_log.h"
#include "mot_metrics.h"
#include "mot_redis_address.h"
#include "mot_resp.h"
#include "mot_sentinel.h"
#include "mot_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MOT_REDIS_TIMEOUT_MS 5000
/* The lent replies' buffer: its first size, and the largest kept once
 * read out (a larger one, grown for a large reply, is freed). */
#define LENT_BUFFER_FIRST (256 * 1024)
#define LENT_BUFFER_KEPT (4 * 1024 * 1024)

/* Bytes read from the socket for lent replies: [start, end) not parsed yet. */
typedef struct {
    char *data;
    size_t start, end, capacity;
    mot_resp_t *parser;
} lent_buffer_t;

struct _mot_redis_t {
    char *address;              /* as given: never holds a password */
    mot_redis_address_t *parsed;
    char *master;               /* sentinel: the master last connected to, HOST:PORT */
    bool demoted;               /* a READONLY reply: reconnect once no reply is pending */
    size_t pending;             /* replies appended and not read yet */
    int wait_replicas, wait_timeout_ms;     /* mot_redis_wait; 0 replicas: off */
    char *user;                 /* NULL: no AUTH */
    char *password;             /* the user's; never logged, wiped when freed */
    redisContext *context;
    lent_buffer_t lent;
    bool connected_before;      /* a later connection counts as a reconnect */
};

struct _mot_script_t {
    const char *source;
    char *sha;
};

mot_redis_t *
mot_redis_new (const char *address)
{
    mot_redis_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    const char *error = "out of memory";
    self->address = strdup (address);
    self->parsed = self->address ? mot_redis_address_parse (address, &error) : NULL;
    if (!self->parsed) {
        mot_log_error ("redis_address_invalid", "address=\"%s\" reason=\"%s\"", address, error);
        free (self->address);
        free (self);
        return NULL;
    }
    return self;
}

/* Redis errors by kind and reconnections (mot_metrics.h; mot_health
 * registers the series at 0). */
static void
count_redis (const char *kind)
{
    mot_counter_add (kind ? mot_metrics_counter (MOT_METRIC_REDIS_ERRORS, MOT_METRIC_REDIS_ERRORS_HELP, "kind", kind, NULL)
                          : mot_metrics_counter (MOT_METRIC_REDIS_RECONNECTS, MOT_METRIC_REDIS_RECONNECTS_HELP, NULL),
                     1);
}

/* Counts a failed connection, and a successful one after the first. */
static bool
note_connect (mot_redis_t *self, bool ok)
{
    if (!ok || self->connected_before)
        count_redis (ok ? NULL : "connection");
    self->connected_before |= ok;
    return ok;
}

/* A connection that failed under a command or a read. */
static void
log_failed (mot_redis_t *self, const char *reason)
{
    count_redis ("connection");
    mot_log_warn ("redis_failed", "address=%s reason=\"%s\"", self->address, reason);
}

static void
drop_context (mot_redis_t *self)
{
    if (self->context) {
        redisFree (self->context);
        self->context = NULL;
    }
    self->lent.start = self->lent.end = 0;     /* what it held was that connection's */
    self->pending = 0;
    self->demoted = false;
}

static void
forget_credentials (mot_redis_t *self)
{
    if (self->password)
        explicit_bzero (self->password, strlen (self->password));
    free (self->password);
    free (self->user);
    self->password = NULL;
    self->user = NULL;
}

void
mot_redis_destroy (mot_redis_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_redis_t *self = *self_p;
    drop_context (self);
    forget_credentials (self);
    free (self->lent.data);
    mot_resp_destroy (&self->lent.parser);
    free (self->address);
    mot_redis_address_destroy (&self->parsed);
    free (self->master);
    free (self);
    *self_p = NULL;
}

const char *
mot_redis_address (mot_redis_t *self)
{
    return self->address;
}

const char *
mot_redis_user (mot_redis_t *self)
{
    return self->user;
}

/* The first line of the file at `path`, without its line end (malloc'd);
 * NULL with errno set when it cannot be read, ENODATA when it is empty. */
static char *
read_first_line (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return NULL;
    char *line = NULL;
    size_t size = 0;
    ssize_t length = getline (&line, &size, file);
    int error = length < 0 ? (ferror (file) ? errno : ENODATA) : 0;
    fclose (file);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
        line[--length] = '\0';
    if (length <= 0) {
        if (line)
            explicit_bzero (line, size);
        free (line);
        errno = error ? error : ENODATA;
        return NULL;
    }
    return line;
}

/* SECRETS/<user>.password (malloc'd); NULL for a user name that is not
 * one (empty, or holding a '/'). */
static char *
password_path (const char *secrets, const char *user)
{
    if (!user || !*user || strchr (user, '/'))
        return NULL;
    size_t size = strlen (secrets) + strlen (user) + sizeof "/.password";
    char *path = malloc (size);
    if (path)
        snprintf (path, size, "%s/%s.password", secrets, user);
    return path;
}

bool
mot_redis_authenticate_as (mot_redis_t *self, const char *user, const char *secrets)
{
    forget_credentials (self);
    if (!secrets || !*secrets)
        return true;
    char *path = password_path (secrets, user);
    if (!path) {
        mot_log_error ("redis_password_unreadable", "user=\"%s\" reason=\"not a user name\"", user ? user : "");
        return false;
    }
    self->password = read_first_line (path);
    if (!self->password)
        mot_log_error ("redis_password_unreadable", "user=%s file=%s reason=\"%s\"", user, path,
                       errno == ENODATA ? "empty" : strerror (errno));
    self->user = self->password ? strdup (user) : NULL;
    free (path);
    if (self->password && !self->user)
        forget_credentials (self);
    return self->user != NULL;
}

mot_redis_t *
mot_redis_dup (mot_redis_t *self)
{
    mot_redis_t *copy = mot_redis_new (self->address);
    if (copy)
        mot_redis_set_wait (copy, self->wait_replicas, self->wait_timeout_ms);
    if (copy && self->user) {
        copy->user = strdup (self->user);
        copy->password = strdup (self->password);
        if (!copy->user || !copy->password)
            mot_redis_destroy (&copy);
    }
    return copy;
}

/* AUTH user password on a new connection; true when not needed. */
static bool
authenticate (mot_redis_t *self, redisContext *context)
{
    if (!self->user)
        return true;
    const char *argv[] = {"AUTH", self->user, self->password};
    redisReply *reply = redisCommandArgv (context, 3, argv, NULL);
    bool ok = reply && reply->type == REDIS_REPLY_STATUS;
    if (!ok)
        mot_log_error ("redis_auth_failed", "address=%s user=%s reason=\"%s\"", self->address, self->user,
                       reply && reply->type == REDIS_REPLY_ERROR ? reply->str : context->errstr);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

static redisContext *
connect_tcp (const char *host, int port)
{
    struct timeval timeout = {MOT_REDIS_TIMEOUT_MS / 1000, (MOT_REDIS_TIMEOUT_MS % 1000) * 1000};
    return redisConnectWithTimeout (host, port, timeout);
}

/* The master the sentinels name now (remembered in self->master, logged
 * when it changes). */
static redisContext *
connect_master (mot_redis_t *self)
{
    char *host = NULL;
    int port = 0;
    if (!mot_sentinel_ask_master (self->parsed, self->user, self->password, &host, &port))
        return NULL;
    size_t size = strlen (host) + sizeof ":65535";
    char *master = malloc (size);
    if (master)
        snprintf (master, size, "%s:%d", host, port);
    if (master && (!self->master || strcmp (master, self->master) != 0))
        mot_log_info ("redis_master", "address=%s master=%s previous=%s", self->address, master,
                      self->master ? self->master : "-");
    if (master) {
        free (self->master);
        self->master = master;
    }
    redisContext *context = master ? connect_tcp (host, port) : NULL;
    free (host);
    return context;
}

static redisContext *
open_context (mot_redis_t *self)
{
    struct timeval timeout = {MOT_REDIS_TIMEOUT_MS / 1000, (MOT_REDIS_TIMEOUT_MS % 1000) * 1000};
    switch (self->parsed->kind) {
    case MOT_REDIS_UNIX:
        return redisConnectUnixWithTimeout (self->parsed->path, timeout);
    case MOT_REDIS_TCP:
        return connect_tcp (self->parsed->server.host, self->parsed->server.port);
    case MOT_REDIS_SENTINEL:
        return connect_master (self);
    }
    return NULL;
}

/* Redis's guidelines for Sentinel clients: the address a sentinel gave
 * must say it is a master (ROLE) before it is used; one that does not (a
 * demoted master not yet told, a replica) is dropped and the sentinels
 * asked again at the next try. True when not behind Sentinel. */
static bool
verify_master (mot_redis_t *self, redisContext *context)
{
    if (self->parsed->kind != MOT_REDIS_SENTINEL)
        return true;
    redisReply *reply = redisCommand (context, "ROLE");
    bool ok = reply && reply->type == REDIS_REPLY_ARRAY && reply->elements > 0
           && reply->element[0]->type == REDIS_REPLY_STRING && strcmp (reply->element[0]->str, "master") == 0;
    if (!ok)
        mot_log_warn ("redis_not_master", "address=%s master=%s role=%s", self->address, self->master,
                      !reply ? context->errstr
                      : reply->type == REDIS_REPLY_ERROR ? reply->str
                      : reply->type == REDIS_REPLY_ARRAY && reply->elements > 0
                              && reply->element[0]->type == REDIS_REPLY_STRING
                          ? reply->element[0]->str
                          : "unknown");
    if (reply)
        freeReplyObject (reply);
    return ok;
}

static bool
try_connect (mot_redis_t *self)
{
    drop_context (self);
    redisContext *context = open_context (self);
    if (!context) {
        mot_log_error ("redis_unreachable", "address=%s reason=\"%s\"", self->address,
                       self->parsed->kind == MOT_REDIS_SENTINEL ? "no sentinel named a master" : "out of memory");
        return false;
    }
    if (context->err) {
        mot_log_error ("redis_unreachable", "address=%s reason=\"%s\"", self->address, context->errstr);
        redisFree (context);
        return false;
    }
    struct timeval timeout = {MOT_REDIS_TIMEOUT_MS / 1000, (MOT_REDIS_TIMEOUT_MS % 1000) * 1000};
    if (redisSetTimeout (context, timeout) != REDIS_OK || !authenticate (self, context)
        || !verify_master (self, context)) {
        redisFree (context);
        return false;
    }
    self->context = context;
    return true;
}

bool
mot_redis_connect (mot_redis_t *self, int attempts, int delay_ms)
{
    for (int attempt = 1; attempts <= 0 || attempt <= attempts; attempt++) {
        if (note_connect (self, try_connect (self))) {
            if (attempt > 1)
                mot_log_info ("redis_connected", "address=%s attempt=%d", self->address, attempt);
            return true;
        }
        if (attempts > 0 && attempt == attempts)
            break;
        struct timespec pause = {delay_ms / 1000, (long) (delay_ms % 1000) * 1000000L};
        nanosleep (&pause, NULL);
    }
    return false;
}

static bool
ensure_connected (mot_redis_t *self)
{
    if (self->demoted && self->pending == 0)
        drop_context (self);
    return (self->context && !self->context->err) || note_connect (self, try_connect (self));
}

static void
warn_if_error (const redisReply *reply)
{
    if (reply && reply->type == REDIS_REPLY_ERROR && strncmp (reply->str, "NOSCRIPT", 8) != 0) {
        count_redis ("reply");
        mot_log_warn ("redis_error", "reason=\"%s\"", reply->str);
    }
}

static redisReply *
log_if_error (redisReply *reply)
{
    warn_if_error (reply);
    return reply;
}

/* A READONLY error: the server is a replica now (a failover demoted it, or
 * a sentinel named it before it was promoted). Remembered: the connection
 * is dropped, and the sentinels asked again, once no reply is pending. */
static bool
says_demoted (mot_redis_t *self, const redisReply *reply)
{
    bool demoted = reply && reply->type == REDIS_REPLY_ERROR && strncmp (reply->str, "READONLY", 8) == 0;
    if (demoted && !self->demoted)
        mot_log_warn ("redis_demoted", "address=%s master=%s", self->address, self->master ? self->master : "-");
    self->demoted = self->demoted || demoted;
    return demoted;
}

/* A reply of the pipeline was read. */
static void
took_reply (mot_redis_t *self, const redisReply *reply)
{
    if (self->pending > 0)
        self->pending--;
    says_demoted (self, reply);
}

/* Hands hiredis the bytes read ahead for lent replies, before it reads:
 * they hold the replies it is to read first. When it cannot take them
 * (out of memory) those replies are lost: the connection is dropped. */
static void
hand_back_lent (mot_redis_t *self)
{
    lent_buffer_t *lent = &self->lent;
    if (lent->start == lent->end)
        return;
    bool ok = self->context
           && redisReaderFeed (self->context->reader, lent->data + lent->start, lent->end - lent->start) == REDIS_OK;
    lent->start = lent->end = 0;
    if (!ok)
        drop_context (self);
}

redisReply *
mot_redis_commandv (mot_redis_t *self, int argc, const char **argv, const size_t *argvlen)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        hand_back_lent (self);
        if (!ensure_connected (self))
            return NULL;
        redisReply *reply = redisCommandArgv (self->context, argc, argv, argvlen);
        if (says_demoted (self, reply) && attempt == 0) {
            freeReplyObject (reply);        /* refused, not run: ask the master */
            drop_context (self);
            continue;
        }
        if (reply)
            return log_if_error (reply);
        log_failed (self, self->context->errstr);
        drop_context (self);
    }
    return NULL;
}

redisReply *
mot_redis_command (mot_redis_t *self, const char *format, ...)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        hand_back_lent (self);
        if (!ensure_connected (self))
            return NULL;
        va_list args;
        va_start (args, format);
        redisReply *reply = redisvCommand (self->context, format, args);
        va_end (args);
        if (says_demoted (self, reply) && attempt == 0) {
            freeReplyObject (reply);        /* refused, not run: ask the master */
            drop_context (self);
            continue;
        }
        if (reply)
            return log_if_error (reply);
        log_failed (self, self->context->errstr);
        drop_context (self);
    }
    return NULL;
}

/* Writes "<prefix><n>\r\n" at out; returns the bytes written. */
static size_t
put_header (char *out, char prefix, size_t n)
{
    out[0] = prefix;
    size_t count = mot_text_digits (n, out + 1);
    out[1 + count] = '\r';
    out[2 + count] = '\n';
    return 3 + count;
}

/* The command in Redis's protocol (malloc'd, *size set; NULL when out of
 * memory). What hiredis's redisFormatCommandArgv makes, without its
 * per-argument string building: batches format thousands of arguments. */
static char *
format_command (int argc, const char **argv, const size_t *argvlen, size_t *size)
{
    size_t total = 24;
    for (int i = 0; i < argc; i++)
        total += 24 + 2 + (argvlen ? argvlen[i] : strlen (argv[i]));
    char *out = malloc (total);
    if (!out)
        return NULL;
    size_t at = put_header (out, '*', (size_t) argc);
    for (int i = 0; i < argc; i++) {
        size_t length = argvlen ? argvlen[i] : strlen (argv[i]);
        at += put_header (out + at, '$', length);
        memcpy (out + at, argv[i], length);
        at += length;
        out[at++] = '\r';
        out[at++] = '\n';
    }
    *size = at;
    return out;
}

bool
mot_redis_append (mot_redis_t *self, int argc, const char **argv, const size_t *argvlen)
{
    if (!ensure_connected (self))
        return false;
    size_t size;
    char *command = format_command (argc, argv, argvlen, &size);
    bool ok = command && redisAppendFormattedCommand (self->context, command, size) == REDIS_OK;
    free (command);
    if (ok)
        self->pending++;
    return ok;
}

redisReply *
mot_redis_read (mot_redis_t *self)
{
    hand_back_lent (self);
    if (!self->context)
        return NULL;
    void *reply = NULL;
    if (redisGetReply (self->context, &reply) != REDIS_OK) {
        log_failed (self, self->context->errstr);
        drop_context (self);
        return NULL;
    }
    took_reply (self, reply);
    return log_if_error (reply);
}

/* ---- lent replies ---------------------------------------------------------- */

/* Room for `more` bytes after those held, the unparsed ones moved to the
 * start (the replies lent before are given up by now). */
static bool
make_lent_room (lent_buffer_t *lent, size_t more)
{
    size_t held = lent->end - lent->start;
    if (lent->start > 0) {
        memmove (lent->data, lent->data + lent->start, held);
        lent->start = 0;
        lent->end = held;
    }
    if (more <= lent->capacity - held)
        return true;
    size_t capacity = lent->capacity ? lent->capacity : LENT_BUFFER_FIRST;
    while (capacity - held < more) {
        if (capacity > SIZE_MAX / 2)
            return false;
        capacity *= 2;
    }
    char *data = realloc (lent->data, capacity);
    if (!data)
        return false;
    lent->data = data;
    lent->capacity = capacity;
    return true;
}

/* Takes over the bytes hiredis's reader read ahead of its last reply and
 * has not parsed yet (its struct is public; it starts parsing a reply only
 * when asked for one, so they are whole replies or the start of one). */
static bool
take_reader_bytes (mot_redis_t *self, const char **reason)
{
    redisReader *reader = self->context->reader;
    if (reader->pos >= reader->len)
        return true;
    size_t count = reader->len - reader->pos;
    if (reader->ridx != -1) {
        *reason = "hiredis is half-way through a reply";
        return false;
    }
    if (!make_lent_room (&self->lent, count))
        return false;
    memcpy (self->lent.data + self->lent.end, reader->buf + reader->pos, count);
    self->lent.end += count;
    reader->pos = reader->len;
    return true;
}

/* Reads what Redis has sent after the bytes held: waits for some (up to
 * the connection's timeout), then takes whatever else has arrived, so that
 * a reply in pieces is parsed again once per wait, not once per piece. */
static bool
receive_more (mot_redis_t *self, const char **reason)
{
    lent_buffer_t *lent = &self->lent;
    if (!make_lent_room (lent, LENT_BUFFER_FIRST / 4)) {
        *reason = "out of memory";
        return false;
    }
    bool got_some = false;
    while (lent->end < lent->capacity) {
        ssize_t got = recv (self->context->fd, lent->data + lent->end, lent->capacity - lent->end,
                            got_some ? MSG_DONTWAIT : 0);
        if (got > 0) {
            lent->end += (size_t) got;
            got_some = true;
        }
        else if (got < 0 && errno == EINTR)
            continue;
        else if (got_some)
            break;          /* nothing more yet, or the end: the next read says which */
        else {
            *reason = got == 0 ? "connection closed" : errno == EAGAIN || errno == EWOULDBLOCK ? "timeout"
                                                                                             : strerror (errno);
            return false;
        }
    }
    return true;
}

/* A buffer grown for a large reply is given back once read out. */
static void
trim_lent (lent_buffer_t *lent)
{
    if (lent->start < lent->end)
        return;
    lent->start = lent->end = 0;
    if (lent->capacity > LENT_BUFFER_KEPT) {
        free (lent->data);
        lent->data = NULL;
        lent->capacity = 0;
    }
}

const redisReply *
mot_redis_read_lent (mot_redis_t *self)
{
    if (!mot_redis_flush (self))    /* the commands not sent yet (as redisGetReply does) */
        return NULL;
    lent_buffer_t *lent = &self->lent;
    trim_lent (lent);
    const char *reason = "out of memory";
    if (!lent->parser)
        lent->parser = mot_resp_new ();
    bool ok = lent->parser && take_reader_bytes (self, &reason);
    while (ok) {
        size_t used;
        redisReply *reply;
        mot_resp_status_t status = lent->start == lent->end ? MOT_RESP_MORE
                                 : mot_resp_parse (lent->parser, lent->data + lent->start, lent->end - lent->start,
                                                   &used, &reply);
        if (status == MOT_RESP_DONE) {
            lent->start += used;
            took_reply (self, reply);
            warn_if_error (reply);
            return reply;
        }
        if (status == MOT_RESP_INVALID)
            reason = "not the Redis protocol";
        ok = status == MOT_RESP_MORE && receive_more (self, &reason);
    }
    log_failed (self, reason);
    drop_context (self);
    return NULL;
}

void
mot_redis_set_wait (mot_redis_t *self, int replicas, int timeout_ms)
{
    self->wait_replicas = replicas > 0 ? replicas : 0;
    self->wait_timeout_ms = timeout_ms > 0 ? timeout_ms : 1;
}

bool
mot_redis_waits (mot_redis_t *self)
{
    return self->wait_replicas > 0;
}

bool
mot_redis_wait (mot_redis_t *self)
{
    if (self->wait_replicas == 0)
        return true;
    if (!self->context || self->context->err || self->pending > 0) {
        mot_log_warn ("redis_wait_short", "address=%s replicas=0 wanted=%d reason=\"connection lost\"", self->address,
                      self->wait_replicas);
        return false;
    }
    long long patience = (long long) self->wait_timeout_ms + MOT_REDIS_TIMEOUT_MS;
    struct timeval longer = {(time_t) (patience / 1000), (suseconds_t) (patience % 1000) * 1000};
    struct timeval usual = {MOT_REDIS_TIMEOUT_MS / 1000, (MOT_REDIS_TIMEOUT_MS % 1000) * 1000};
    redisReply *reply = redisSetTimeout (self->context, longer) == REDIS_OK
                            ? redisCommand (self->context, "WAIT %d %d", self->wait_replicas, self->wait_timeout_ms)
                            : NULL;
    long long acknowledged = reply && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
    if (!reply || redisSetTimeout (self->context, usual) != REDIS_OK) {
        mot_log_warn ("redis_failed", "address=%s reason=\"%s\"", self->address, self->context->errstr);
        drop_context (self);
    }
    else
        says_demoted (self, reply);
    if (acknowledged < self->wait_replicas)
        mot_log_warn ("redis_wait_short", "address=%s replicas=%lld wanted=%d timeout_ms=%d%s%s%s", self->address,
                      acknowledged < 0 ? 0 : acknowledged, self->wait_replicas, self->wait_timeout_ms,
                      reply && reply->type == REDIS_REPLY_ERROR ? " reason=\"" : "",
                      reply && reply->type == REDIS_REPLY_ERROR ? reply->str : "",
                      reply && reply->type == REDIS_REPLY_ERROR ? "\"" : "");
    if (reply)
        freeReplyObject (reply);
    return acknowledged >= self->wait_replicas;
}

bool
mot_redis_server_time (mot_redis_t *self, int64_t *seconds)
{
    redisReply *reply = mot_redis_command (self, "TIME");
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
              && reply->element[0]->type == REDIS_REPLY_STRING;
    if (ok)
        *seconds = strtoll (reply->element[0]->str, NULL, 10);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

bool
mot_reply_ok (const redisReply *reply)
{
    return reply && reply->type != REDIS_REPLY_ERROR;
}

const redisReply *
mot_reply_field (const redisReply *pairs, const char *name)
{
    for (size_t i = 0; pairs->type == REDIS_REPLY_ARRAY && i + 1 < pairs->elements; i += 2)
        if (pairs->element[i]->type == REDIS_REPLY_STRING && strcmp (pairs->element[i]->str, name) == 0)
            return pairs->element[i + 1];
    return NULL;
}

mot_script_t *
mot_script_new (const char *source)
{
    mot_script_t *self = calloc (1, sizeof *self);
    if (self)
        self->source = source;
    return self;
}

void
mot_script_destroy (mot_script_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->sha);
    free (*self_p);
    *self_p = NULL;
}

static bool
load_script (mot_redis_t *self, mot_script_t *script)
{
    redisReply *reply = mot_redis_command (self, "SCRIPT LOAD %s", script->source);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_STRING;
    if (ok) {
        free (script->sha);
        script->sha = strdup (reply->str);
        ok = script->sha != NULL;
    }
    else if (reply)
        mot_log_error ("script_load_failed", "reason=\"%s\"", reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply");
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* EVALSHA's argument vector: "EVALSHA" sha numkeys args... (the arrays
 * are malloc'd, the strings borrowed; false on allocation failure). */
typedef struct {
    int count;
    const char **args;
    size_t *lengths;
    char numkeys_text[16];
} evalsha_args_t;

static bool
evalsha_args_build (evalsha_args_t *self, mot_script_t *script, int numkeys, int argc, const char **argv,
                    const size_t *argvlen)
{
    self->count = argc + 3;
    self->args = calloc ((size_t) self->count, sizeof *self->args);
    self->lengths = calloc ((size_t) self->count, sizeof *self->lengths);
    if (!self->args || !self->lengths)
        return false;
    snprintf (self->numkeys_text, sizeof self->numkeys_text, "%d", numkeys);
    self->args[0] = "EVALSHA";
    self->args[1] = script->sha;
    self->args[2] = self->numkeys_text;
    for (int i = 0; i < 3; i++)
        self->lengths[i] = strlen (self->args[i]);
    for (int i = 0; i < argc; i++) {
        self->args[i + 3] = argv[i];
        self->lengths[i + 3] = argvlen ? argvlen[i] : strlen (argv[i]);
    }
    return true;
}

static void
evalsha_args_free (evalsha_args_t *self)
{
    free (self->args);
    free (self->lengths);
}

static redisReply *
evalsha (mot_redis_t *self, mot_script_t *script, int numkeys, int argc, const char **argv,
         const size_t *argvlen)
{
    evalsha_args_t call = {0};
    redisReply *reply = evalsha_args_build (&call, script, numkeys, argc, argv, argvlen)
                            ? mot_redis_commandv (self, call.count, call.args, call.lengths)
                            : NULL;
    evalsha_args_free (&call);
    return reply;
}

bool
mot_redis_script_load (mot_redis_t *self, mot_script_t *script)
{
    return script->sha || load_script (self, script);
}

bool
mot_redis_append_eval (mot_redis_t *self, mot_script_t *script, int numkeys, int argc, const char **argv,
                       const size_t *argvlen)
{
    evalsha_args_t call = {0};
    bool ok = script->sha && evalsha_args_build (&call, script, numkeys, argc, argv, argvlen)
           && mot_redis_append (self, call.count, call.args, call.lengths);
    evalsha_args_free (&call);
    return ok;
}

static bool
is_noscript (const redisReply *reply)
{
    return reply && reply->type == REDIS_REPLY_ERROR && strncmp (reply->str, "NOSCRIPT", 8) == 0;
}

bool
mot_reply_is_noscript (const redisReply *reply)
{
    return is_noscript (reply);
}

void
mot_redis_script_check (mot_script_t *script, const redisReply *reply)
{
    if (is_noscript (reply)) {
        free (script->sha);
        script->sha = NULL;
    }
}

void
mot_redis_disconnect (mot_redis_t *self)
{
    drop_context (self);
}

bool
mot_redis_flush (mot_redis_t *self)
{
    int done = 0;
    while (self->context && !done)
        if (redisBufferWrite (self->context, &done) != REDIS_OK) {
            log_failed (self, self->context->errstr);
            drop_context (self);
        }
    return done != 0;
}

redisReply *
mot_redis_eval (mot_redis_t *self, mot_script_t *script, int numkeys, int argc, const char **argv,
                const size_t *argvlen)
{
    if (!script->sha && !load_script (self, script))
        return NULL;
    redisReply *reply = evalsha (self, script, numkeys, argc, argv, argvlen);
    if (is_noscript (reply)) {
        freeReplyObject (reply);
        if (!load_script (self, script))
            return NULL;
        reply = evalsha (self, script, numkeys, argc, argv, argvlen);
    }
    return reply;
}

bool
mot_redis_batches (mot_redis_t *self, size_t count, size_t batch, mot_redis_ask_fn *ask, mot_redis_take_fn *take,
                   void *arg, bool *unasked)
{
    *unasked = false;
    size_t from = 0, to = batch < count ? batch : count;
    size_t asked = count ? ask (arg, 0, to) : 0;
    bool ok = true;
    while (ok && from < count) {
        if (asked < to - from) {
            *unasked = true;
            ok = false;
            break;
        }
        size_t next_to = to + batch < count ? to + batch : count, next = 0;
        if (to < count) {
            next = ask (arg, to, next_to);
            mot_redis_flush (self);
        }
        ok = take (arg, from, asked);
        from = to;
        to = next_to;
        asked = next;
    }
    if (!ok)
        mot_redis_disconnect (self);
    return ok;
}
