/*  redis_fixture — a throwaway redis-server for the script tests (see
 *  redis_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "redis_fixture.h"
#include "mot_notice_log.h"
#include "mot_schema.h"

#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the server may take to answer, and to stop, in steps of STEP_MS. */
#define STEP_MS 10
#define READY_STEPS 1000
#define STOP_STEPS 500

struct _redis_fixture_t {
    char *dir;                  /* the temporary folder (mkdtemp) */
    char *socket;               /* <dir>/redis.sock */
    char *log;                  /* <dir>/redis.log */
    pid_t pid;                  /* the redis-server; 0 when none runs */
    mot_redis_t *redis;
    mot_script_t *script;
    zlistx_t *kept;             /* what the tests were handed, freed at the */
    zlistx_t *replies;          /* next test: memory, replies, snapshots */
    zlistx_t *snapshots;
};

struct _redis_snapshot_t {
    zhashx_t *values;           /* key → zchunk_t, its DUMP */
};

static void
pause_a_step (void)
{
    struct timespec step = {0, STEP_MS * 1000000L};
    while (nanosleep (&step, &step) != 0 && errno == EINTR)
        ;
}

/* Closes a descriptor of our own, saying so when it fails. */
static void
descriptor_close (int descriptor)
{
    if (close (descriptor) != 0)
        fprintf (stderr, "redis_fixture: close: %s\n", strerror (errno));
}

/* ---- the folder ----------------------------------------------------------- */

static bool
folder_make (redis_fixture_t *self)
{
    const char *tmp = getenv ("TMPDIR");
    self->dir = zsys_sprintf ("%s/mot-script-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!self->dir || !mkdtemp (self->dir)) {
        fprintf (stderr, "redis_fixture: cannot make a temporary folder: %s\n", strerror (errno));
        zstr_free (&self->dir);
        return false;
    }
    self->socket = zsys_sprintf ("%s/redis.sock", self->dir);
    self->log = zsys_sprintf ("%s/redis.log", self->dir);
    struct sockaddr_un address;
    if (!self->socket || !self->log || strlen (self->socket) >= sizeof address.sun_path) {
        fprintf (stderr, "redis_fixture: no room for the socket path in %s (set TMPDIR to a shorter folder)\n",
                 self->dir);
        return false;
    }
    return true;
}

/* Removes the folder and whatever the server left in it. */
static bool
folder_remove (const char *path)
{
    DIR *dir = opendir (path);
    if (!dir) {
        fprintf (stderr, "redis_fixture: cannot open %s: %s\n", path, strerror (errno));
        return false;
    }
    bool ok = true;
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir (dir)) != NULL) {
        if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0
            && unlinkat (dirfd (dir), entry->d_name, 0) != 0) {
            fprintf (stderr, "redis_fixture: cannot remove %s/%s: %s\n", path, entry->d_name, strerror (errno));
            ok = false;
        }
        errno = 0;
    }
    ok = errno == 0 && ok;
    ok = closedir (dir) == 0 && ok;
    if (rmdir (path) != 0) {
        fprintf (stderr, "redis_fixture: cannot remove %s: %s\n", path, strerror (errno));
        ok = false;
    }
    return ok;
}

/* Copies the server's log to stderr, to show why it failed. */
static void
log_show (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        fprintf (stderr, "redis_fixture: no server log (%s)\n", path);
        return;
    }
    fprintf (stderr, "redis_fixture: the server's log (%s):\n", path);
    char *line = NULL;
    size_t size = 0;
    while (getline (&line, &size, file) != -1)
        fputs (line, stderr);
    free (line);
    if (fclose (file) != 0)
        fprintf (stderr, "redis_fixture: %s: %s\n", path, strerror (errno));
}

/* ---- the server ----------------------------------------------------------- */

/* In the child: becomes redis-server. On failure writes errno to `report`. */
static void
child_exec (const char *const *argv, int report, pid_t parent)
{
    /* The server dies with the test program, even one that is killed. */
    int null = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    if (prctl (PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid () == parent && null >= 0
        && dup2 (null, STDIN_FILENO) >= 0)
        execvp (argv[0], (char *const *) argv);
    int error = errno ? errno : ECHILD;
    ssize_t written = write (report, &error, sizeof error);
    (void) written;
    _exit (127);
}

/* Waits for the child to end; its status, or -1. */
static int
child_reap (pid_t pid)
{
    int status;
    pid_t gone;
    do
        gone = waitpid (pid, &status, 0);
    while (gone < 0 && errno == EINTR);
    return gone == pid ? status : -1;
}

/* Forks and execs redis-server; true once the exec succeeded (a pipe closed
 * on exec tells). */
static bool
server_start (redis_fixture_t *self)
{
    const char *argv[] = {"redis-server", "--port", "0", "--unixsocket", self->socket, "--unixsocketperm", "700",
                          "--save", "", "--appendonly", "no", "--dir", self->dir, "--logfile", self->log, NULL};
    int report[2];
    if (pipe (report) != 0) {
        fprintf (stderr, "redis_fixture: pipe: %s\n", strerror (errno));
        return false;
    }
    bool ok = fcntl (report[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl (report[1], F_SETFD, FD_CLOEXEC) == 0;
    pid_t parent = getpid ();
    pid_t pid = ok ? fork () : -1;
    if (pid == 0)
        child_exec (argv, report[1], parent);
    int error = errno;
    descriptor_close (report[1]);
    ssize_t got = 0;
    if (pid > 0)
        do
            got = read (report[0], &error, sizeof error);
        while (got < 0 && errno == EINTR);
    descriptor_close (report[0]);
    if (pid > 0 && got == 0) {
        self->pid = pid;
        return true;
    }
    if (pid > 0)
        child_reap (pid);
    fprintf (stderr,
             "redis_fixture: cannot run redis-server: %s (the script tests start one; it must be on PATH, "
             "Debian package redis-server)\n",
             got > 0 ? strerror (error) : pid < 0 ? strerror (error) : "no answer from the child");
    return false;
}

/* Whether the server answers PING on its socket (quietly: no log lines). */
static bool
server_answers (const char *socket)
{
    redisContext *context = redisConnectUnix (socket);
    bool pong = false;
    if (context && !context->err) {
        redisReply *reply = redisCommand (context, "PING");
        pong = reply && reply->type == REDIS_REPLY_STATUS && strcmp (reply->str, "PONG") == 0;
        if (reply)
            freeReplyObject (reply);
    }
    if (context)
        redisFree (context);
    return pong;
}

static bool
server_wait_ready (redis_fixture_t *self)
{
    for (int step = 0; step < READY_STEPS; step++) {
        if (server_answers (self->socket))
            return true;
        int status;
        pid_t gone = waitpid (self->pid, &status, WNOHANG);
        if (gone != 0) {
            fprintf (stderr, "redis_fixture: redis-server ended before answering (status %d)\n",
                     gone == self->pid ? status : -1);
            self->pid = 0;
            log_show (self->log);
            return false;
        }
        pause_a_step ();
    }
    fprintf (stderr, "redis_fixture: redis-server did not answer PING within %d ms\n", READY_STEPS * STEP_MS);
    log_show (self->log);
    return false;
}

/* SIGTERM, then waits for it (SIGKILL when it takes too long). */
static bool
server_stop (redis_fixture_t *self)
{
    if (self->pid <= 0)
        return true;
    bool ok = kill (self->pid, SIGTERM) == 0;
    int status = -1;
    pid_t gone = 0;
    for (int step = 0; step < STOP_STEPS && (gone = waitpid (self->pid, &status, WNOHANG)) == 0; step++)
        pause_a_step ();
    if (gone == 0) {
        fprintf (stderr, "redis_fixture: redis-server did not stop on SIGTERM; killing it\n");
        if (kill (self->pid, SIGKILL) != 0)
            fprintf (stderr, "redis_fixture: kill: %s\n", strerror (errno));
        ok = false;
        status = child_reap (self->pid);
    }
    self->pid = 0;
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        fprintf (stderr, "redis_fixture: redis-server ended with status %d\n", status);
        log_show (self->log);
        ok = false;
    }
    return ok;
}

/* ---- the fixture ---------------------------------------------------------- */

static void
memory_destroy (void **item)
{
    free (*item);
    *item = NULL;
}

static void
reply_destroy (void **item)
{
    freeReplyObject (*item);
    *item = NULL;
}

static void snapshot_destroy (void **item);

/* A list that destroys what it holds with `destructor`. */
static zlistx_t *
list_new (zlistx_destructor_fn *destructor)
{
    zlistx_t *list = zlistx_new ();
    if (list)
        zlistx_set_destructor (list, destructor);
    return list;
}

static void
fixture_destroy (redis_fixture_t **self_p, bool *ok)
{
    redis_fixture_t *self = *self_p;
    if (!self)
        return;
    mot_redis_destroy (&self->redis);
    mot_script_destroy (&self->script);
    zlistx_destroy (&self->kept);
    zlistx_destroy (&self->replies);
    zlistx_destroy (&self->snapshots);
    *ok = server_stop (self) && *ok;
    if (self->dir)
        *ok = folder_remove (self->dir) && *ok;
    zstr_free (&self->dir);
    zstr_free (&self->socket);
    zstr_free (&self->log);
    free (self);
    *self_p = NULL;
}

/* Connects with mot_redis, as the services do. */
static bool
fixture_connect (redis_fixture_t *self, const char *script_source)
{
    char *address = zsys_sprintf ("unix:%s", self->socket);
    self->redis = address ? mot_redis_new (address) : NULL;
    zstr_free (&address);
    self->script = mot_script_new (script_source);
    self->kept = list_new (memory_destroy);
    self->replies = list_new (reply_destroy);
    self->snapshots = list_new (snapshot_destroy);
    return self->redis && self->script && self->kept && self->replies && self->snapshots
        && mot_redis_connect (self->redis, 1, 0);
}

int
redis_fixture_setup (void **state, const char *script_source)
{
    redis_fixture_t *self = calloc (1, sizeof *self);
    bool ok = self && folder_make (self) && server_start (self) && server_wait_ready (self)
           && fixture_connect (self, script_source);
    if (!ok) {
        fprintf (stderr, "redis_fixture: no Redis for the script tests\n");
        bool cleaned = true;
        fixture_destroy (&self, &cleaned);
    }
    *state = self;
    return ok ? 0 : -1;
}

int
redis_fixture_teardown (void **state)
{
    redis_fixture_t *self = *state;
    bool ok = true;
    fixture_destroy (&self, &ok);
    *state = NULL;
    return ok ? 0 : -1;
}

int
redis_fixture_flush (void **state)
{
    redis_fixture_t *self = *state;
    zlistx_purge (self->kept);
    zlistx_purge (self->replies);
    zlistx_purge (self->snapshots);
    redisReply *reply = mot_redis_command (self->redis, "FLUSHALL");
    bool ok = reply && reply->type == REDIS_REPLY_STATUS && strcmp (reply->str, "OK") == 0;
    if (!ok)
        fprintf (stderr, "redis_fixture: FLUSHALL failed\n");
    if (reply)
        freeReplyObject (reply);
    return ok ? 0 : -1;
}

mot_redis_t *
redis_fixture_redis (redis_fixture_t *self)
{
    return self->redis;
}

void *
redis_fixture_keep (redis_fixture_t *self, void *owned)
{
    assert_non_null (owned);
    if (!zlistx_add_end (self->kept, owned)) {
        free (owned);
        fail_msg ("out of memory");
    }
    return owned;
}

const char *
redis_fixture_text (redis_fixture_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *text = zsys_vprintf (format, args);
    va_end (args);
    return redis_fixture_keep (self, text);
}

const redisReply *
redis_fixture_keep_reply_ (redis_fixture_t *self, redisReply *reply)
{
    if (!zlistx_add_end (self->replies, reply)) {
        freeReplyObject (reply);
        fail_msg ("out of memory");
    }
    return reply;
}

/* ---- plain commands --------------------------------------------------------- */

struct _redis_request_t {
    char *text;                 /* the command in Redis's protocol, as hiredis formats it */
    int argc;
    const char **argv;          /* its arguments, pointing into text */
    size_t *lengths;
};

static void
request_destroy (redis_request_t **self_p)
{
    redis_request_t *self = *self_p;
    if (!self)
        return;
    if (self->text)
        redisFreeCommand (self->text);
    free (self->argv);
    free (self->lengths);
    free (self);
    *self_p = NULL;
}

/* The decimal number at `at` followed by CRLF, within `end`; -1 when none. */
static long
protocol_number (const char *at, const char *end, const char **next)
{
    char *stop = NULL;
    long value = at < end ? strtol (at, &stop, 10) : -1;
    if (!stop || stop == at || end - stop < 2 || stop[0] != '\r' || stop[1] != '\n')
        return -1;
    *next = stop + 2;
    return value;
}

/* Finds the arguments in the protocol text: "*<n>" then "$<length>" and
 * the bytes of each, every part ended by CRLF. */
static bool
request_split (redis_request_t *self, size_t size)
{
    const char *at = self->text, *end = self->text + size;
    long count = at < end && *at == '*' ? protocol_number (at + 1, end, &at) : -1;
    if (count <= 0 || count > INT32_MAX)
        return false;
    self->argv = calloc ((size_t) count, sizeof *self->argv);
    self->lengths = calloc ((size_t) count, sizeof *self->lengths);
    if (!self->argv || !self->lengths)
        return false;
    for (long i = 0; i < count; i++) {
        long length = at < end && *at == '$' ? protocol_number (at + 1, end, &at) : -1;
        if (length < 0 || end - at < length + 2)
            return false;
        self->argv[i] = at;
        self->lengths[i] = (size_t) length;
        at += length + 2;
    }
    self->argc = (int) count;
    return at == end;
}

redis_request_t *
redis_fixture_request_ (const char *format, ...)
{
    redis_request_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    va_list args;
    va_start (args, format);
    int size = redisvFormatCommand (&self->text, format, args);
    va_end (args);
    if (size < 0 || !request_split (self, (size_t) size))
        request_destroy (&self);
    return self;
}

/* Prints the command as one would type it: bytes below 0x20 escaped,
 * empty arguments and those with spaces quoted. */
static void
request_print (const redis_request_t *self)
{
    for (int i = 0; i < self->argc; i++) {
        bool quoted = self->lengths[i] == 0 || memchr (self->argv[i], ' ', self->lengths[i]);
        print_error ("%s%s", i ? " " : "", quoted ? "\"" : "");
        for (size_t j = 0; j < self->lengths[i]; j++) {
            unsigned char c = (unsigned char) self->argv[i][j];
            if (c < 0x20 || c == 0x7f)
                print_error ("\\x%02x", c);
            else
                print_error ("%c", c);
        }
        print_error ("%s", quoted ? "\"" : "");
    }
}

/* ---- failing with what Redis said -------------------------------------------- */

/* Prints what a reply holds, for a failure message. */
static void
reply_print (const redisReply *reply)
{
    if (!reply)
        print_error ("no reply (Redis unavailable, or an incomplete call: see the log above)");
    else
    if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_ERROR)
        print_error ("%s \"%.*s\"", reply->type == REDIS_REPLY_ERROR ? "error" : "string", (int) reply->len,
                     reply->str);
    else
    if (reply->type == REDIS_REPLY_INTEGER)
        print_error ("integer %lld", reply->integer);
    else
    if (reply->type == REDIS_REPLY_NIL)
        print_error ("nil");
    else
    if (reply->type == REDIS_REPLY_ARRAY) {
        print_error ("[");
        for (size_t i = 0; i < reply->elements; i++) {
            print_error ("%s", i ? ", " : "");
            reply_print (reply->element[i]);
        }
        print_error ("]");
    }
    else
        print_error ("a reply of type %d", reply->type);
}

/* A failure message: "<file>:<line>: <command>: expected <…>, got <reply>".
 * fail_start prints up to "expected " (the command is the script's when
 * `request` is NULL); fail_end the rest, frees `owned` and the request, and
 * fails the test. */
static void
fail_start (const redis_request_t *request, const char *file, int line)
{
    print_error ("%s:%d: ", file, line);
    if (request)
        request_print (request);
    else
        print_error ("the script's answer");
    print_error (": expected ");
}

static void
fail_end (const redisReply *shown, redisReply *owned, redis_request_t *request)
{
    print_error (", got ");
    reply_print (shown);
    print_error ("\n");
    if (owned)
        freeReplyObject (owned);
    request_destroy (&request);
    fail ();
}

/* Fails the test: the expected value is a printf format and its arguments. */
static void
fail_on (redisReply *reply, redis_request_t *request, const char *file, int line, const char *format, ...)
{
    fail_start (request, file, line);
    va_list args;
    va_start (args, format);
    vprint_error (format, args);
    va_end (args);
    fail_end (reply, reply, request);
}

/* Runs the request: its reply, never an error (else the test fails). */
static redisReply *
request_run (redis_fixture_t *self, redis_request_t *request, const char *file, int line)
{
    if (!request) {
        print_error ("%s:%d: a command hiredis cannot format (or out of memory)\n", file, line);
        fail ();
    }
    redisReply *reply = mot_redis_commandv (self->redis, request->argc, request->argv, request->lengths);
    if (!reply || reply->type == REDIS_REPLY_ERROR)
        fail_on (reply, request, file, line, "%s", "a reply");
    return reply;
}

const redisReply *
redis_fixture_query_ (redis_fixture_t *self, redis_request_t *request, const char *file, int line)
{
    redisReply *reply = request_run (self, request, file, line);
    request_destroy (&request);
    return redis_fixture_keep_reply_ (self, reply);
}

void
redis_fixture_run_ (redis_fixture_t *self, redis_request_t *request, const char *file, int line)
{
    freeReplyObject (request_run (self, request, file, line));
    request_destroy (&request);
}

static bool
reply_holds (const redisReply *reply, const void *data, size_t size)
{
    return reply->type == REDIS_REPLY_STRING && reply->len == size && memcmp (reply->str, data, size) == 0;
}

/* Frees what a check that passed used. */
static void
check_passed (redisReply *reply, redis_request_t *request)
{
    freeReplyObject (reply);
    request_destroy (&request);
}

void
redis_fixture_check_string_ (const char *expected, redis_fixture_t *self, redis_request_t *request, const char *file,
                             int line)
{
    redisReply *reply = request_run (self, request, file, line);
    if (!expected && reply->type != REDIS_REPLY_NIL)
        fail_on (reply, request, file, line, "%s", "nil");
    if (expected && !reply_holds (reply, expected, strlen (expected)))
        fail_on (reply, request, file, line, "string \"%s\"", expected);
    check_passed (reply, request);
}

void
redis_fixture_check_bytes_ (const void *data, size_t size, redis_fixture_t *self, redis_request_t *request,
                            const char *file, int line)
{
    redisReply *reply = request_run (self, request, file, line);
    if (!reply_holds (reply, data, size))
        fail_on (reply, request, file, line, "%zu other bytes", size);
    check_passed (reply, request);
}

void
redis_fixture_check_integer_ (long long expected, redis_fixture_t *self, redis_request_t *request, const char *file,
                              int line)
{
    redisReply *reply = request_run (self, request, file, line);
    if (reply->type != REDIS_REPLY_INTEGER || reply->integer != expected)
        fail_on (reply, request, file, line, "integer %lld", expected);
    check_passed (reply, request);
}

void
redis_fixture_check_strings_ (size_t count, const char *const *expected, redis_fixture_t *self,
                              redis_request_t *request, const char *file, int line)
{
    redisReply *reply = request_run (self, request, file, line);
    bool same = reply->type == REDIS_REPLY_ARRAY && reply->elements == count;
    for (size_t i = 0; same && i < count; i++)
        same = reply_holds (reply->element[i], expected[i], strlen (expected[i]));
    if (!same) {
        fail_start (request, file, line);
        for (size_t i = 0; i < count; i++)
            print_error ("%s\"%s\"", i ? ", " : "[", expected[i]);
        print_error ("%s]", count ? "" : "[");
        fail_end (reply, reply, request);
    }
    check_passed (reply, request);
}

void
redis_fixture_check_integers_ (const redisReply *reply, size_t count, const long long *expected, const char *file,
                               int line)
{
    bool same = reply->type == REDIS_REPLY_ARRAY && reply->elements == count;
    for (size_t i = 0; same && i < count; i++)
        same = reply->element[i]->type == REDIS_REPLY_INTEGER && reply->element[i]->integer == expected[i];
    if (!same) {
        fail_start (NULL, file, line);
        for (size_t i = 0; i < count; i++)
            print_error ("%s%lld", i ? ", " : "[", expected[i]);
        print_error ("%s]", count ? "" : "[");
        fail_end (reply, NULL, NULL);
    }
}

/* ---- running the script --------------------------------------------------- */

const redisReply *
redis_fixture_eval_ (redis_fixture_t *self, mot_call_t *call, const char *file, int line)
{
    redisReply *reply = mot_call_eval (call, self->redis, self->script);
    mot_call_free (call);
    if (!reply || reply->type == REDIS_REPLY_ERROR)
        fail_on (reply, NULL, file, line, "%s", "an answer");
    return redis_fixture_keep_reply_ (self, reply);
}

long long
redis_fixture_eval_integer_ (redis_fixture_t *self, mot_call_t *call, const char *file, int line)
{
    const redisReply *reply = redis_fixture_eval_ (self, call, file, line);
    if (reply->type != REDIS_REPLY_INTEGER) {
        fail_start (NULL, file, line);
        print_error ("an integer");
        fail_end (reply, NULL, NULL);
    }
    return reply->integer;
}

/* ---- snapshots ------------------------------------------------------------ */

static void
snapshot_destroy (void **item)
{
    redis_snapshot_t *self = *item;
    if (self) {
        zhashx_destroy (&self->values);
        free (self);
    }
    *item = NULL;
}

/* A new snapshot (the caller destroys it). */
static redis_snapshot_t *
snapshot_new (redis_fixture_t *self)
{
    redis_snapshot_t *snapshot = calloc (1, sizeof *snapshot);
    assert_non_null (snapshot);
    snapshot->values = zhashx_new ();
    assert_non_null (snapshot->values);
    zhashx_set_destructor (snapshot->values, (zhashx_destructor_fn *) zchunk_destroy);
    const redisReply *keys = redis_fixture_query (self, "KEYS *");
    assert_int_equal (keys->type, REDIS_REPLY_ARRAY);
    for (size_t i = 0; i < keys->elements; i++) {
        const redisReply *key = keys->element[i];
        const redisReply *dump = redis_fixture_query (self, "DUMP %b", key->str, key->len);
        assert_int_equal (dump->type, REDIS_REPLY_STRING);
        zchunk_t *value = zchunk_new (dump->str, dump->len);
        assert_non_null (value);
        assert_int_equal (zhashx_insert (snapshot->values, key->str, value), 0);
    }
    return snapshot;
}

redis_snapshot_t *
redis_fixture_snapshot (redis_fixture_t *self)
{
    redis_snapshot_t *snapshot = snapshot_new (self);
    if (!zlistx_add_end (self->snapshots, snapshot)) {
        snapshot_destroy ((void **) &snapshot);
        fail_msg ("out of memory");
    }
    return snapshot;
}

/* Whether `key` holds the same in both (absent in both counts as the same). */
static bool
snapshot_agrees (redis_snapshot_t *one, redis_snapshot_t *other, const char *key)
{
    zchunk_t *a = zhashx_lookup (one->values, key), *b = zhashx_lookup (other->values, key);
    if (!a || !b)
        return !a && !b;
    return zchunk_size (a) == zchunk_size (b) && memcmp (zchunk_data (a), zchunk_data (b), zchunk_size (a)) == 0;
}

/* Prints each key of `one`, unless spared, that `other` lacks (saying
 * `missing`) or, when `changes`, holds otherwise; returns how many. */
static size_t
snapshot_report (redis_snapshot_t *one, redis_snapshot_t *other, zhashx_t *spared, bool changes, const char *missing)
{
    size_t differences = 0;
    zlistx_t *keys = zhashx_keys (one->values);
    assert_non_null (keys);
    for (const char *key = zlistx_first (keys); key; key = zlistx_next (keys)) {
        if (zhashx_lookup (spared, key) || snapshot_agrees (one, other, key))
            continue;
        bool lacks = !zhashx_lookup (other->values, key);
        if (lacks || changes) {
            print_error ("  %s: %s\n", key, lacks ? missing : "changed");
            differences++;
        }
    }
    zlistx_destroy (&keys);
    return differences;
}

void
redis_fixture_check_unchanged (redis_fixture_t *self, redis_snapshot_t *before, ...)
{
    zhashx_t *spared = zhashx_new ();
    assert_non_null (spared);
    va_list keys;
    va_start (keys, before);
    for (const char *key = va_arg (keys, const char *); key; key = va_arg (keys, const char *))
        zhashx_update (spared, key, (void *) key);
    va_end (keys);
    redis_snapshot_t *after = redis_fixture_snapshot (self);
    size_t differences = snapshot_report (before, after, spared, true, "gone")
                       + snapshot_report (after, before, spared, false, "came");
    zhashx_destroy (&spared);
    if (differences > 0)
        fail_msg ("%zu key(s) differ that should not (listed above)", differences);
}

/* ---- the notice log ----------------------------------------------------------- */

const void *
redis_fixture_notice_batch (redis_fixture_t *self, const char *const *ids, size_t count, size_t *size)
{
    Mot__V1__Notice *notices = calloc (count + 1, sizeof *notices);
    Mot__V1__Notice **each = calloc (count + 1, sizeof *each);
    assert_true (notices && each);
    for (size_t i = 0; i < count; i++) {
        mot__v1__notice__init (&notices[i]);
        notices[i].notice_id = (char *) ids[i];
        notices[i].kind = MOT__V1__NOTICE_KIND__OVERDUE;
        notices[i].unit = MOT__V1__SOURCE__UEOD;
        notices[i].report = (char *) "accion-correctiva";
        notices[i].report_name = (char *) "Acción correctiva";
        notices[i].period = (char *) "AC-1";
        notices[i].deadline = (char *) "2026-11-10";
        each[i] = &notices[i];
    }
    Mot__V1__NoticeBatch batch = MOT__V1__NOTICE_BATCH__INIT;
    batch.n_notices = count;
    batch.notices = each;
    *size = mot__v1__notice_batch__get_packed_size (&batch);
    uint8_t *data = malloc (*size + 1);
    size_t packed = data ? mot__v1__notice_batch__pack (&batch, data) : 0;
    free (notices);
    free (each);
    assert_int_equal (packed, *size);
    return redis_fixture_keep (self, data);
}

/* Whether a logged notice is the notice `id`. */
static bool
logged_notice_is (const mot_logged_notice_t *logged, const char *id)
{
    Mot__V1__Notice *notice = mot__v1__notice__unpack (NULL, logged->size, logged->data);
    bool is = notice && strcmp (notice->notice_id, id) == 0;
    if (notice)
        protobuf_c_message_free_unpacked (&notice->base, NULL);
    return is;
}

/* Whether mot_log_entry_read finds the notices `ids` with seqs from `first`. */
static bool
entry_reads_as (const redisReply *entry, unsigned long long first, const char *const *ids, size_t count)
{
    mot_log_entry_t read;
    const char *reason = NULL;
    bool same = mot_log_entry_read (entry, &read, &reason) && read.first == first && read.count == count;
    if (reason)
        print_error ("mot_log_entry_read: %s\n", reason);
    for (size_t k = 0; same && k < count; k++)
        same = read.notices[k].seq == first + k && logged_notice_is (&read.notices[k], ids[k]);
    mot_log_entry_free (&read);
    return same;
}

void
redis_fixture_check_log_entry (redis_fixture_t *self, unsigned long long first, const char *which,
                               const void *batch, size_t size, const char *const *ids, size_t count)
{
    const char *id = redis_fixture_text (self, "%llu-0", first);
    const redisReply *range = redis_fixture_query (self, "XRANGE %s %s %s", MOT_KEY_NOTICES, id, id);
    assert_int_equal (range->type, REDIS_REPLY_ARRAY);
    assert_int_equal (range->elements, 1);
    const redisReply *entry = range->element[0];
    assert_true (entry->type == REDIS_REPLY_ARRAY && entry->elements == 2);
    const redisReply *n = mot_reply_field (entry->element[1], MOT_LOG_N);
    const redisReply *held = mot_reply_field (entry->element[1], MOT_LOG_WHICH);
    const redisReply *notices = mot_reply_field (entry->element[1], MOT_LOG_NOTICES);
    assert_true (n && held && notices);
    assert_string_equal (n->str, redis_fixture_text (self, "%zu", count));
    assert_string_equal (held->str, which);
    assert_true (reply_holds (notices, batch, size));
    if (!entry_reads_as (entry, first, ids, count))
        fail_msg ("entry %s does not read as its %zu notices", id, count);
}
