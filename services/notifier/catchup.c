/*  catchup — the notices a subscriber missed (see catchup.h).
 */
#include "catchup.h"
#include "mot_peer.h"
#include "mot_log.h"
#include "mot_notice_log.h"
#include "mot_request.h"
#include "mot_schema.h"
#include "mot_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most notices one answer carries, and looks at. */
#define MAX_NOTICES 1000
#define SCAN_LIMIT 20000
/* Roughly the most bytes of notices one answer carries. */
#define MAX_BYTES (4 * 1024 * 1024)
/* Log entries read per round trip. */
#define ENTRIES_PER_READ 20
/* The most topic prefixes, and the longest. */
#define MAX_TOPICS 32
#define MAX_TOPIC 256

struct _catchup_t {
    mot_redis_t *redis;             /* not owned */
};

catchup_t *
catchup_new (mot_redis_t *redis)
{
    catchup_t *self = calloc (1, sizeof *self);
    if (self)
        self->redis = redis;
    return self;
}

void
catchup_destroy (catchup_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

/* ---- the answer being built -------------------------------------------- */

typedef struct {
    const Mot__V1__NoticesRequest *request;
    size_t max;
    uint64_t last;                  /* the last seq published */
    ProtobufCBinaryData *notices;   /* max of them */
    size_t count, bytes, scanned;
    uint64_t scanned_to;
    bool full;                      /* stopped by a limit, not by the end */
} answer_t;

static bool
topic_wanted (const answer_t *answer, const char *topic)
{
    for (size_t i = 0; i < answer->request->n_topics; i++)
        if (strncmp (topic, answer->request->topics[i], strlen (answer->request->topics[i])) == 0)
            return true;
    return answer->request->n_topics == 0;
}

/* Adds one logged notice when it is one a subscriber of these topics gets
 * live. False when out of memory. */
static bool
take_notice (answer_t *answer, const mot_logged_notice_t *logged)
{
    const char *reason = NULL;
    Mot__V1__Notice *notice = mot_logged_notice_decode (logged, &reason);
    char *topic = notice ? mot_notice_topic (notice) : NULL;
    bool ok = !notice || topic;
    if (topic && topic_wanted (answer, topic)) {
        size_t size = 0;
        uint8_t *bytes = mot_logged_notice_with_seq (logged, &size);
        ok = bytes != NULL;
        if (ok) {
            answer->notices[answer->count++] = (ProtobufCBinaryData) {size, bytes};
            answer->bytes += size;
        }
    }
    free (topic);
    if (notice)
        protobuf_c_message_free_unpacked (&notice->base, NULL);
    return ok;
}

/* Goes over one log entry's notices in (after, last]; false when a limit
 * stops the answer or memory ran out (*failed). */
static bool
take_entry (answer_t *answer, const redisReply *element, bool *failed)
{
    mot_log_entry_t entry;
    const char *reason = NULL;
    (void) mot_log_entry_read (element, &entry, &reason);   /* an unreadable one holds nothing to serve */
    bool go_on = true;
    for (size_t k = 0; go_on && k < entry.count; k++) {
        uint64_t seq = entry.notices[k].seq;
        if (seq <= answer->scanned_to)
            continue;
        if (seq > answer->last)
            break;
        if (answer->count == answer->max || answer->bytes >= MAX_BYTES || answer->scanned >= SCAN_LIMIT) {
            answer->full = true;
            go_on = false;
            break;
        }
        if (!take_notice (answer, &entry.notices[k])) {
            *failed = true;
            go_on = false;
            break;
        }
        answer->scanned++;
        answer->scanned_to = seq;
    }
    mot_log_entry_free (&entry);
    return go_on && entry.first <= answer->last;
}

/* The id of the log entry that holds seq `after + 1`, or "-" (from the
 * start); false when Redis failed. */
static bool
first_entry (catchup_t *self, uint64_t after, char *out, size_t size)
{
    char before[32];
    snprintf (before, sizeof before, "%llu-0", (unsigned long long) after + 1);
    const char *argv[] = {"XREVRANGE", MOT_KEY_NOTICES, before, "-", "COUNT", "1"};
    redisReply *reply = mot_redis_commandv (self->redis, 6, argv, NULL);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY;
    snprintf (out, size, "-");
    if (ok && reply->elements == 1 && reply->element[0]->type == REDIS_REPLY_ARRAY
        && reply->element[0]->elements == 2 && reply->element[0]->element[0]->type == REDIS_REPLY_STRING)
        snprintf (out, size, "%s", reply->element[0]->element[0]->str);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The seq of the oldest notice the log holds (last + 1 when empty); false
 * when Redis failed. */
static bool
first_kept (catchup_t *self, uint64_t last, uint64_t *first)
{
    redisReply *reply = mot_redis_command (self->redis, "XRANGE %s - + COUNT 1", MOT_KEY_NOTICES);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY;
    *first = last + 1;
    if (ok && reply->elements == 1 && reply->element[0]->type == REDIS_REPLY_ARRAY
        && reply->element[0]->elements == 2)
        (void) mot_notice_log_seq (reply->element[0]->element[0], first);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* Reads the log from the entry holding after + 1 on, into the answer;
 * false when Redis failed or memory ran out. */
static bool
read_log (catchup_t *self, answer_t *answer)
{
    char from[48];
    if (!first_entry (self, answer->scanned_to, from, sizeof from))
        return false;
    bool failed = false, go_on = true;
    while (go_on && !failed) {
        const char *argv[] = {"XRANGE", MOT_KEY_NOTICES, from, "+", "COUNT", MOT_NOTICE_LOG_TEXT (ENTRIES_PER_READ)};
        redisReply *reply = mot_redis_commandv (self->redis, 6, argv, NULL);
        if (!mot_reply_ok (reply) || reply->type != REDIS_REPLY_ARRAY) {
            if (reply)
                freeReplyObject (reply);
            return false;
        }
        for (size_t i = 0; go_on && i < reply->elements; i++)
            go_on = take_entry (answer, reply->element[i], &failed);
        const redisReply *tail = reply->elements ? reply->element[reply->elements - 1] : NULL;
        if (tail && tail->type == REDIS_REPLY_ARRAY && tail->elements == 2 && tail->element[0]->type == REDIS_REPLY_STRING)
            snprintf (from, sizeof from, "(%s", tail->element[0]->str);
        go_on = go_on && reply->elements == ENTRIES_PER_READ;
        freeReplyObject (reply);
    }
    if (!failed && !answer->full)
        answer->scanned_to = answer->last;  /* nothing else up to last: trimmed or not for these topics */
    return !failed;
}

/* ---- the request ---------------------------------------------------------- */

/* NULL when the request is acceptable, else the field it gets wrong. */
static const char *
refused_field (const Mot__V1__NoticesRequest *request)
{
    if (request->n_topics > MAX_TOPICS)
        return "topics";
    for (size_t i = 0; i < request->n_topics; i++)
        if (strlen (request->topics[i]) > MAX_TOPIC)
            return "topics";
    if (request->has_max && (request->max < 1 || request->max > MAX_NOTICES))
        return "max";
    return NULL;
}

static void
send_error (mot_request_t *request, Mot__V1__ErrorCode code, const char *reason, const char *field)
{
    Mot__V1__Error error = MOT__V1__ERROR__INIT;
    error.code = code;
    error.reason = (char *) reason;
    error.field = (char *) field;
    Mot__V1__NoticesReply reply = MOT__V1__NOTICES_REPLY__INIT;
    reply.error = &error;
    mot_log_warn ("catchup_refused", "code=%s reason=\"%s\"", mot_error_code_name (code), reason);
    if (!mot_request_reply (request, &reply.base))
        mot_log_warn ("reply_dropped", "reason=\"peer gone or queue full\"");
}

static void
send_answer (mot_request_t *request, const answer_t *answer, uint64_t kept)
{
    Mot__V1__NoticesReply reply = MOT__V1__NOTICES_REPLY__INIT;
    reply.n_notices = answer->count;
    reply.notices = answer->notices;
    reply.has_scanned_to = reply.has_last_seq = reply.has_first_kept = reply.has_more = true;
    reply.scanned_to = answer->scanned_to;
    reply.last_seq = answer->last;
    reply.first_kept = kept;
    reply.more = answer->scanned_to < answer->last;
    if (mot_request_reply (request, &reply.base))
        mot_log_info ("catchup_answered", "after=%llu notices=%zu scanned_to=%llu last_seq=%llu topics=%zu",
                      (unsigned long long) answer->request->after, answer->count,
                      (unsigned long long) answer->scanned_to, (unsigned long long) answer->last,
                      answer->request->n_topics);
    else
        mot_log_warn ("reply_dropped", "reason=\"peer gone or queue full\"");
}

static void
answer_request (catchup_t *self, mot_request_t *request, const Mot__V1__NoticesRequest *asked, uint64_t published)
{
    const char *field = refused_field (asked);
    if (field) {
        send_error (request, MOT__V1__ERROR_CODE__INVALID_VALUE,
                    strcmp (field, "max") == 0 ? "max must be 1..1000" : "at most 32 topics of 256 bytes", field);
        return;
    }
    answer_t answer = {.request = asked, .max = asked->has_max ? asked->max : MAX_NOTICES, .last = published,
                       .scanned_to = asked->after};
    answer.notices = calloc (answer.max, sizeof *answer.notices);
    uint64_t kept = 0;
    bool ok = answer.notices && first_kept (self, published, &kept)
           && (asked->after >= published || read_log (self, &answer));
    if (asked->after >= published)
        answer.scanned_to = asked->after;
    if (ok)
        send_answer (request, &answer, kept);
    else
        send_error (request, MOT__V1__ERROR_CODE__UNAVAILABLE, "could not read the notice log, retry later", NULL);
    for (size_t i = 0; i < answer.count; i++)
        free (answer.notices[i].data);
    free (answer.notices);
}

/* Whether the sender's certificate covers every topic asked (no topic:
 * every notice, which needs `topics *`); a refusal is logged. */
static bool
may_follow_all (zframe_t *frame, const Mot__V1__NoticesRequest *request)
{
    mot_peer_t peer = mot_peer_of (frame);
    bool allowed = request->n_topics > 0 || mot_peer_may_follow (&peer, "");
    for (size_t i = 0; allowed && i < request->n_topics; i++)
        allowed = mot_peer_may_follow (&peer, request->topics[i]);
    if (!allowed)
        mot_log_warn ("forbidden", "peer=%s role=%s socket=catchup topics=%zu", peer.name, peer.role,
                      request->n_topics);
    return allowed;
}

void
catchup_answer (catchup_t *self, zsock_t *router, bool known, uint64_t published)
{
    mot_request_t *request = mot_request_recv (router);
    if (!request)
        return;
    zframe_t *frame = mot_request_body (request);
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__BAD_FRAMING;
    ProtobufCMessage *asked = mot_request_delimited (request) && frame
        ? mot_wire_unpack (frame, &mot__v1__notices_request__descriptor, CATCHUP_REQUEST_LIMIT, &code) : NULL;
    if (!asked)
        send_error (request, code,
                    code == MOT__V1__ERROR_CODE__BAD_FRAMING ? "expected one NoticesRequest frame after the delimiter"
                    : code == MOT__V1__ERROR_CODE__TOO_LARGE ? "request too large"
                                                              : "not a mot.v1.NoticesRequest",
                    NULL);
    else
    if (!may_follow_all (frame, (Mot__V1__NoticesRequest *) asked))
        send_error (request, MOT__V1__ERROR_CODE__FORBIDDEN, "this certificate may not follow these topics", "topics");
    else
    if (!known)
        send_error (request, MOT__V1__ERROR_CODE__UNAVAILABLE, "the notifier is starting, retry later", NULL);
    else
        answer_request (self, request, (Mot__V1__NoticesRequest *) asked, published);
    if (asked)
        protobuf_c_message_free_unpacked (asked, NULL);
    mot_request_destroy (&request);
}
