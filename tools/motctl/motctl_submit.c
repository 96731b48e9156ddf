/*  motctl_submit — the verbs that write: submit, deliver, clock.
 *
 *  submit and deliver send Envelopes to intake's ingress with the Lazy
 *  Pirate pattern (a REQ per try; on a timeout, try again with the same
 *  external id — intake recognises the retry and answers with the original
 *  event id). clock moves the test clock, a single Redis key every service
 *  started with --test-clock reads; it refuses unless MOT_ENV=test.
 */
#include "motctl.h"
#include "motctl_net.h"

#include "mot_date.h"
#include "mot_json.h"
#include "mot_schema.h"
#include "mot_redis.h"
#include "mot_wire.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SUBMIT_TRIES 3

/* One request with retries. Returns the Ack, or NULL with *error. */
static Mot__V1__Ack *
send_envelope (const char *endpoint, const Mot__V1__Envelope *envelope, int timeout_ms, char **error)
{
    for (int attempt = 1; attempt <= SUBMIT_TRIES; attempt++) {
        free (*error);
        *error = NULL;
        zmsg_t *reply = motctl_request (endpoint, "intake", &envelope->base, timeout_ms, error);
        if (reply) {
            Mot__V1__Ack *ack = (Mot__V1__Ack *) motctl_unpack (reply, &mot__v1__ack__descriptor, error);
            zmsg_destroy (&reply);
            return ack;
        }
        if (zsys_interrupted)
            break;
    }
    return NULL;
}

/* One JSON line per input line: the ack, or the reason it has none. */
static json_t *
ack_to_json (size_t line, const char *external_id, const Mot__V1__Ack *ack)
{
    json_t *out = json_pack ("{s:I, s:s}", "line", (json_int_t) line, "external_id", external_id ? external_id : "");
    if (!out)
        return NULL;
    if (ack->result_case == MOT__V1__ACK__RESULT_ACCEPTED) {
        json_object_set_new (out, "status", json_string ("accepted"));
        json_object_set_new (out, "event_id", json_string (ack->accepted->event_id));
        json_object_set_new (out, "duplicate", json_boolean (ack->accepted->duplicate));
    }
    else if (ack->result_case == MOT__V1__ACK__RESULT_ERROR) {
        json_object_set_new (out, "status", json_string ("error"));
        json_object_set_new (out, "code", json_string (mot_error_code_name (ack->error->code)));
        json_object_set_new (out, "field", ack->error->field ? json_string (ack->error->field) : json_null ());
        json_object_set_new (out, "reason", json_string (ack->error->reason));
    }
    return out;
}

static json_t *
local_error (size_t line, const char *code, const char *reason)
{
    return json_pack ("{s:I, s:s, s:s, s:s}", "line", (json_int_t) line, "status", "error", "code", code, "reason",
                      reason ? reason : "");
}

static void
print_json_line (json_t *out)
{
    if (!out)
        return;
    char *text = json_dumps (out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        puts (text);
        fflush (stdout);
        free (text);
    }
    json_decref (out);
}

/* How long --wait waits for an accepted event to be applied or refused,
 * and how often it asks. */
#define WAIT_MS 30000
#define WAIT_POLL_MS 50

/* Waits until the event is applied or refused (at most WAIT_MS) and adds
 * its outcome to the ack line ("outcome": applied | refused | pending,
 * with refusal and reason, or the item). True when applied. */
static bool
add_outcome (json_t *out, const char *event_id, int timeout_ms)
{
    int64_t give_up = zclock_mono () + WAIT_MS;
    for (;;) {
        char *error = NULL;
        json_t *status = motctl_event_status (event_id, timeout_ms, &error);
        if (!status) {
            json_object_set_new (out, "outcome", json_string ("unknown"));
            json_object_set_new (out, "outcome_error", json_string (error ? error : "out of memory"));
            free (error);
            return false;
        }
        const char *state = json_string_value (json_object_get (status, "status"));
        bool pending = !state || strcmp (state, "pending") == 0;
        if (!pending || zclock_mono () >= give_up || zsys_interrupted) {
            const char *copied[] = {"refusal", "reason", "item_id"};
            json_object_set_new (out, "outcome", json_string (state ? state : "unknown"));
            for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
                if (json_object_get (status, copied[i]))
                    json_object_set (out, copied[i], json_object_get (status, copied[i]));
            bool applied = state && strcmp (state, "applied") == 0;
            json_decref (status);
            return applied;
        }
        json_decref (status);
        zclock_sleep (WAIT_POLL_MS);
    }
}

/* Submits one line; true when intake accepted it (and, with `wait`, it was
 * applied). */
static bool
submit_line (const char *endpoint, const char *text, size_t line, int timeout_ms, bool wait)
{
    json_error_t parse_error;
    json_t *object = json_loads (text, JSON_REJECT_DUPLICATES, &parse_error);
    if (!object) {
        print_json_line (local_error (line, "INVALID_JSON", parse_error.text));
        return false;
    }
    char *error = NULL;
    Mot__V1__Envelope *envelope = mot_json_to_envelope (object, &error);
    json_decref (object);
    if (!envelope) {
        print_json_line (local_error (line, "INVALID_JSON", error));
        free (error);
        return false;
    }
    Mot__V1__Ack *ack = send_envelope (endpoint, envelope, timeout_ms, &error);
    bool accepted = ack && ack->result_case == MOT__V1__ACK__RESULT_ACCEPTED;
    json_t *out = ack ? ack_to_json (line, envelope->external_id, ack) : local_error (line, "NO_REPLY", error);
    if (accepted && wait && out)
        accepted = add_outcome (out, ack->accepted->event_id, timeout_ms);
    print_json_line (out);
    free (error);
    if (ack)
        protobuf_c_message_free_unpacked (&ack->base, NULL);
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
    return accepted;
}

/* --timeout SEC, and --wait where `wait` is given. */
static bool
read_timeout_option (int argc, char **argv, int *timeout_ms, int *first_positional, bool *wait)
{
    *timeout_ms = MOTCTL_DEFAULT_TIMEOUT_MS;
    int i = 1;
    for (; i < argc && strncmp (argv[i], "--", 2) == 0; i++) {
        const char *value = NULL;
        if (wait && strcmp (argv[i], "--wait") == 0) {
            *wait = true;
            continue;
        }
        if (!motctl_take_option (argc, argv, &i, "timeout", &value)) {
            fprintf (stderr, "motctl: unknown option '%s'\n", argv[i]);
            return false;
        }
        if (!value || !motctl_parse_timeout (value, timeout_ms))
            return false;
    }
    *first_positional = i;
    return true;
}

int
motctl_submit (int argc, char **argv)
{
    int timeout_ms, first;
    bool wait = false;
    if (!read_timeout_option (argc, argv, &timeout_ms, &first, &wait) || first != argc) {
        fprintf (stderr, "usage: motctl submit [--wait] [--timeout SEC] < events.jsonl\n");
        return 2;
    }
    const char *endpoint = motctl_env ("MOT_INTAKE_INGRESS", MOT_DEFAULT_INGRESS);
    char *text = NULL;
    size_t capacity = 0, line = 0, failed = 0;
    while (!zsys_interrupted && getline (&text, &capacity, stdin) >= 0) {
        line++;
        if (text[strspn (text, " \t\r\n")] == 0)
            continue;
        if (!submit_line (endpoint, text, line, timeout_ms, wait))
            failed++;
    }
    free (text);
    return failed ? 1 : 0;
}

/* motctl deliver UNIT REPORT PERIOD [DATE]: the external id is derived from
 * the arguments, so repeating the command is recognised as a retry. */
int
motctl_deliver (int argc, char **argv)
{
    int timeout_ms, first;
    if (!read_timeout_option (argc, argv, &timeout_ms, &first, NULL) || argc - first < 3 || argc - first > 4) {
        fprintf (stderr, "usage: motctl deliver [--timeout SEC] UNIT REPORT PERIOD [YYYY-MM-DD]\n");
        return 2;
    }
    char today[MOT_DAY_TEXT_SIZE];
    mot_day_format (mot_day_local_of ((int64_t) time (NULL)), today);
    const char *date = argc - first == 4 ? argv[first + 3] : today;
    char *external_id = zsys_sprintf ("motctl-%s-%s-%s-%s", argv[first], argv[first + 1], argv[first + 2], date);
    json_t *object = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "delivery", "source", argv[first],
                                "external_id", external_id, "report", argv[first + 1], "period", argv[first + 2],
                                "delivered_on", date);
    char *text = object ? json_dumps (object, JSON_COMPACT) : NULL;
    bool ok = text && submit_line (motctl_env ("MOT_INTAKE_INGRESS", MOT_DEFAULT_INGRESS), text, 1, timeout_ms, false);
    free (text);
    json_decref (object);
    zstr_free (&external_id);
    return ok ? 0 : 1;
}

/* --- clock ------------------------------------------------------------- */

static bool
two_digits (const char *text, int max, int *value)
{
    if (!isdigit ((unsigned char) text[0]) || !isdigit ((unsigned char) text[1]))
        return false;
    *value = (text[0] - '0') * 10 + (text[1] - '0');
    return *value <= max;
}

/* "@UNIX", or a local "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS". */
static bool
parse_instant (const char *text, int64_t *unix_seconds)
{
    if (text[0] == '@') {
        char *end = NULL;
        long long value = strtoll (text + 1, &end, 10);
        *unix_seconds = value;
        return end && *end == 0 && value > 0;
    }
    size_t length = strlen (text);
    char date[MOT_DAY_TEXT_SIZE];
    int hour = 0, minute = 0, second = 0;
    mot_day_t day;
    if (length != 10 && length != 16 && length != 19)
        return false;
    memcpy (date, text, 10);
    date[10] = 0;
    if (!mot_day_parse (date, &day))
        return false;
    if (length >= 16 && (text[10] != 'T' || !two_digits (text + 11, 23, &hour) || text[13] != ':'
                         || !two_digits (text + 14, 59, &minute)))
        return false;
    if (length == 19 && (text[16] != ':' || !two_digits (text + 17, 59, &second)))
        return false;
    *unix_seconds = mot_day_start_local (day) + hour * 3600 + minute * 60 + second;
    return true;
}

/* "3d", "36h", "90m", "45s" → seconds. */
static bool
parse_duration (const char *text, int64_t *seconds)
{
    char *end = NULL;
    long long value = strtoll (text, &end, 10);
    if (!end || end == text || value < 0 || value > 36500LL * 86400 || strlen (end) != 1)
        return false;
    switch (*end) {
    case 'd': *seconds = value * 86400; return true;
    case 'h': *seconds = value * 3600; return true;
    case 'm': *seconds = value * 60; return true;
    case 's': *seconds = value; return true;
    default: return false;
    }
}

static void
print_instant (const char *label, int64_t unix_seconds)
{
    mot_day_t day = mot_day_local_of (unix_seconds);
    char date[MOT_DAY_TEXT_SIZE];
    mot_day_format (day, date);
    int64_t into_day = unix_seconds - mot_day_start_local (day);
    printf ("%s %sT%02d:%02d:%02d-06:00 (@%lld)\n", label, date, (int) (into_day / 3600), (int) (into_day / 60 % 60),
            (int) (into_day % 60), (long long) unix_seconds);
}

/* The test clock's value: 1 set, 0 not set, -1 Redis unavailable. */
static int
read_test_clock (mot_redis_t *redis, int64_t *now)
{
    redisReply *reply = mot_redis_command (redis, "GET %s", MOT_KEY_CLOCK);
    int state = !reply ? -1 : reply->type == REDIS_REPLY_STRING ? 1 : 0;
    if (state == 1)
        *now = strtoll (reply->str, NULL, 10);
    if (reply)
        freeReplyObject (reply);
    return state;
}

static bool
write_test_clock (mot_redis_t *redis, int64_t now)
{
    redisReply *reply = mot_redis_command (redis, "SET %s %lld", MOT_KEY_CLOCK, (long long) now);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    if (ok)
        print_instant ("test clock:", now);
    return ok;
}

static int
run_clock_verb (mot_redis_t *redis, const char *verb, const char *value)
{
    int64_t now = (int64_t) time (NULL), delta;
    int state = read_test_clock (redis, &now);
    if (state < 0) {
        fprintf (stderr, "motctl: Redis at %s is unavailable\n", mot_redis_address (redis));
        return 1;
    }
    if (strcmp (verb, "show") == 0 && !value) {
        if (state)
            print_instant ("test clock:", now);
        else
            printf ("test clock not set: services read the real time\n");
        return 0;
    }
    if (strcmp (verb, "clear") == 0 && !value) {
        redisReply *reply = mot_redis_command (redis, "DEL %s", MOT_KEY_CLOCK);
        bool ok = mot_reply_ok (reply);
        if (reply)
            freeReplyObject (reply);
        return ok ? 0 : 1;
    }
    if (strcmp (verb, "set") == 0 && value && parse_instant (value, &now))
        return write_test_clock (redis, now) ? 0 : 1;
    if (strcmp (verb, "advance") == 0 && value && parse_duration (value, &delta))
        return write_test_clock (redis, now + delta) ? 0 : 1;
    fprintf (stderr, "usage: motctl clock show | set YYYY-MM-DD[THH:MM[:SS]] | set @UNIX | advance N(d|h|m|s) | clear\n");
    return 2;
}

int
motctl_clock (int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf (stderr, "usage: motctl clock show | set DATETIME | advance DURATION | clear\n");
        return 2;
    }
    if (strcmp (motctl_env ("MOT_ENV", "production"), "test") != 0) {
        fprintf (stderr, "motctl: the test clock is only for test systems: set MOT_ENV=test\n");
        return 2;
    }
    mot_redis_t *redis = mot_redis_new (motctl_env ("MOT_REDIS", MOT_DEFAULT_REDIS));
    if (!redis)
        return 1;
    /* As its own Redis ACL user, which may only move the clock. */
    int rc = mot_redis_authenticate_as (redis, motctl_env ("MOT_REDIS_USER", "motctl"), motctl_env ("MOT_REDIS_SECRETS", ""))
                 && mot_redis_connect (redis, 1, 0)
               ? run_clock_verb (redis, argv[1], argc == 3 ? argv[2] : NULL)
               : 1;
    mot_redis_destroy (&redis);
    return rc;
}
