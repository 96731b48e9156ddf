/*  mot_subscriber — an alert subscriber that never misses a notice (see
 *  mot_subscriber.h).
 */
#include "mot_subscriber.h"
#include "mot_curve.h"
#include "mot_socket.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A notice or a catch-up answer is far below these. */
#define NOTICE_LIMIT (64 * 1024)
#define ANSWER_LIMIT (64 * 1024 * 1024)
/* How long to wait before asking again after a catch-up failed. */
#define RETRY_MS 1000
/* The longest wait for a catch-up answer, after doubling (a notifier under
 * load, or under valgrind, may take seconds to answer 1000 notices). */
#define MAX_WAIT_MS 32000

/* A notice ready to hand out, with its topic. */
typedef struct {
    Mot__V1__Notice *notice;
    char *topic;
} ready_t;

struct _mot_subscriber_t {
    zsock_t *sub;
    zsock_t *req;                       /* NULL until needed, and after a timeout */
    zpoller_t *poller;                  /* on sub */
    char *catchup;
    char **topics;
    size_t count;
    int timeout_ms;
    int wait_ms;                        /* for the next answer: timeout_ms, doubled after each one
                                           that did not come (a slow notifier is not asked to death) */
    bool started;                       /* the cursor is known */
    uint64_t cursor;
    bool want_fill;                     /* notices past the cursor exist that we lack */
    int64_t retry_at;                   /* zclock_mono: when to ask again */
    uint64_t lost_warned;               /* the notices before this seq were said lost */
    uint64_t filled;
    ready_t *ready;                     /* a FIFO: [head, tail) */
    size_t head, tail, capacity;
};

/* The service whose key both sockets expect (mot_curve). */
#define MOT_SUBSCRIBER_PEER "notifier"

/* ---- lifetime ------------------------------------------------------------ */

static zsock_t *
subscribe (const char *publish, const char *const *topics, size_t count)
{
    zsock_t *sub = zsock_new (ZMQ_SUB);
    if (!sub)
        return NULL;
    zsock_set_linger (sub, 0);
    mot_socket_keep_alive (sub);        /* a notifier's host that vanished is noticed, and connected again */
    for (size_t i = 0; i < count; i++)
        zsock_set_subscribe (sub, topics[i]);
    zsock_set_subscribe (sub, count ? MOT_HEARTBEAT_TOPIC : "");
    if (!mot_curve_secure (sub, false, MOT_SUBSCRIBER_PEER, "publish")) {
        fprintf (stderr, "mot_subscriber: no CURVE keys for %s: set MOT_CERT and MOT_CERTS\n", publish);
        zsock_destroy (&sub);
    }
    else
    if (zsock_connect (sub, "%s", publish) < 0) {
        fprintf (stderr, "mot_subscriber: cannot connect to %s: %s\n", publish, zmq_strerror (zmq_errno ()));
        zsock_destroy (&sub);
    }
    return sub;
}

mot_subscriber_t *
mot_subscriber_new (const char *publish, const char *catchup, const char *const *topics, size_t count)
{
    mot_subscriber_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->timeout_ms = self->wait_ms = 2000;
    self->catchup = strdup (catchup);
    self->topics = calloc (count + 1, sizeof *self->topics);
    bool ok = self->catchup && self->topics;
    for (size_t i = 0; ok && i < count; i++)
        ok = (self->topics[self->count++] = strdup (topics[i])) != NULL;
    self->sub = ok ? subscribe (publish, topics, count) : NULL;
    self->poller = self->sub ? zpoller_new (self->sub, NULL) : NULL;
    if (!self->poller)
        mot_subscriber_destroy (&self);
    return self;
}

void
mot_subscriber_destroy (mot_subscriber_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_subscriber_t *self = *self_p;
    for (size_t i = self->head; i < self->tail; i++) {
        protobuf_c_message_free_unpacked (&self->ready[i].notice->base, NULL);
        free (self->ready[i].topic);
    }
    free (self->ready);
    for (size_t i = 0; self->topics && i < self->count; i++)
        free (self->topics[i]);
    free (self->topics);
    free (self->catchup);
    zpoller_destroy (&self->poller);
    zsock_destroy (&self->sub);
    zsock_destroy (&self->req);
    free (self);
    *self_p = NULL;
}

void
mot_subscriber_since (mot_subscriber_t *self, uint64_t seq)
{
    self->started = true;
    self->cursor = self->lost_warned = seq;
    self->want_fill = true;
}

void
mot_subscriber_set_timeout (mot_subscriber_t *self, int timeout_ms)
{
    self->timeout_ms = self->wait_ms = timeout_ms;
}

uint64_t
mot_subscriber_cursor (mot_subscriber_t *self)
{
    return self->cursor;
}

uint64_t
mot_subscriber_filled (mot_subscriber_t *self)
{
    return self->filled;
}

/* ---- the notices ready to hand out ------------------------------------------ */

static bool
ready_push (mot_subscriber_t *self, Mot__V1__Notice *notice)
{
    if (self->tail == self->capacity) {
        if (self->head > 0) {
            memmove (self->ready, self->ready + self->head, (self->tail - self->head) * sizeof *self->ready);
            self->tail -= self->head;
            self->head = 0;
        }
        else {
            size_t larger = self->capacity ? self->capacity * 2 : 256;
            ready_t *more = realloc (self->ready, larger * sizeof *more);
            if (!more)
                return false;
            self->ready = more;
            self->capacity = larger;
        }
    }
    char *topic = mot_notice_topic (notice);
    if (!topic)
        return false;
    self->ready[self->tail++] = (ready_t) {notice, topic};
    return true;
}

static Mot__V1__Notice *
ready_pop (mot_subscriber_t *self, char **topic)
{
    ready_t taken = self->ready[self->head++];
    if (self->head == self->tail)
        self->head = self->tail = 0;
    *topic = taken.topic;
    return taken.notice;
}

/* ---- catching up -------------------------------------------------------------- */

/* The answer to one NoticesRequest after the cursor, or NULL (said on
 * stderr) when none came in time: the socket is then replaced. */
static Mot__V1__NoticesReply *
ask (mot_subscriber_t *self)
{
    if (!self->req) {
        self->req = zsock_new (ZMQ_REQ);
        if (!self->req || !mot_curve_secure (self->req, false, MOT_SUBSCRIBER_PEER, "catchup")
            || zsock_connect (self->req, "%s", self->catchup) < 0) {
            zsock_destroy (&self->req);
            return NULL;
        }
        zsock_set_linger (self->req, 0);
    }
    Mot__V1__NoticesRequest request = MOT__V1__NOTICES_REQUEST__INIT;
    request.has_after = true;
    request.after = self->cursor;
    request.n_topics = self->count;
    request.topics = self->topics;
    zframe_t *frame = mot_wire_frame (&request.base);
    zmsg_t *reply = NULL;
    zmq_pollitem_t item = {zsock_resolve (self->req), 0, ZMQ_POLLIN, 0};
    if (frame && zframe_send (&frame, self->req, 0) == 0 && zmq_poll (&item, 1, self->wait_ms) == 1)
        reply = zmsg_recv (self->req);
    zframe_destroy (&frame);
    Mot__V1__ErrorCode code;
    Mot__V1__NoticesReply *answer = reply && zmsg_size (reply) == 1
        ? (Mot__V1__NoticesReply *) mot_wire_unpack (zmsg_first (reply), &mot__v1__notices_reply__descriptor,
                                                     ANSWER_LIMIT, &code) : NULL;
    zmsg_destroy (&reply);
    if (!answer) {
        self->wait_ms = self->wait_ms > MAX_WAIT_MS / 2 ? MAX_WAIT_MS : self->wait_ms * 2;
        fprintf (stderr, "mot_subscriber: no answer from %s; asking again in %d ms, waiting up to %d ms\n",
                 self->catchup, RETRY_MS, self->wait_ms);
        zsock_destroy (&self->req);     /* Lazy Pirate: a REQ that got no answer cannot send again */
    }
    else
        self->wait_ms = self->timeout_ms;
    return answer;
}

/* Says once which notices the log no longer keeps. */
static void
warn_if_lost (mot_subscriber_t *self, const Mot__V1__NoticesReply *answer)
{
    if (!answer->has_first_kept || answer->first_kept <= self->cursor + 1 || answer->first_kept <= self->lost_warned + 1)
        return;
    fprintf (stderr, "mot_subscriber: the notice log now starts at seq %llu; notices %llu..%llu are no longer kept\n",
             (unsigned long long) answer->first_kept, (unsigned long long) self->cursor + 1,
             (unsigned long long) answer->first_kept - 1);
    self->lost_warned = answer->first_kept - 1;
}

/* Takes the answer's notices past the cursor, in order, and moves the
 * cursor to what the notifier looked at. */
static bool
take_answer (mot_subscriber_t *self, const Mot__V1__NoticesReply *answer)
{
    for (size_t i = 0; i < answer->n_notices; i++) {
        Mot__V1__ErrorCode code;
        Mot__V1__Notice *notice = (Mot__V1__Notice *) mot_wire_unpack_bytes (
            answer->notices[i].data, answer->notices[i].len, &mot__v1__notice__descriptor, NOTICE_LIMIT, &code);
        if (!notice || !notice->has_seq || notice->seq <= self->cursor) {
            if (notice)
                protobuf_c_message_free_unpacked (&notice->base, NULL);
            continue;
        }
        uint64_t seq = notice->seq;
        if (!ready_push (self, notice)) {
            protobuf_c_message_free_unpacked (&notice->base, NULL);
            return false;
        }
        self->cursor = seq;
        self->filled++;
    }
    if (answer->has_scanned_to && answer->scanned_to > self->cursor)
        self->cursor = answer->scanned_to;
    return true;
}

/* Asks for the notices after the cursor; false (retry later) when the
 * notifier did not answer or refused. */
static bool
fill (mot_subscriber_t *self)
{
    Mot__V1__NoticesReply *answer = ask (self);
    bool ok = answer && !answer->error;
    if (answer && answer->error)
        fprintf (stderr, "mot_subscriber: the notifier refused the catch-up: %s (%s)\n",
                 mot_error_code_name (answer->error->code), answer->error->reason ? answer->error->reason : "");
    if (ok) {
        warn_if_lost (self, answer);
        ok = take_answer (self, answer);
        self->want_fill = ok && answer->has_more && answer->more;
    }
    if (answer)
        protobuf_c_message_free_unpacked (&answer->base, NULL);
    if (!ok)
        self->retry_at = zclock_mono () + RETRY_MS;
    return ok;
}

/* ---- live --------------------------------------------------------------------- */

static void
take_heartbeat (mot_subscriber_t *self, zframe_t *frame)
{
    Mot__V1__ErrorCode code;
    Mot__V1__Heartbeat *heartbeat = (Mot__V1__Heartbeat *) mot_wire_unpack (frame, &mot__v1__heartbeat__descriptor,
                                                                            1024, &code);
    if (heartbeat && heartbeat->has_last_seq) {
        if (!self->started) {
            self->started = true;
            self->cursor = self->lost_warned = heartbeat->last_seq;
        }
        else
        if (heartbeat->last_seq > self->cursor)
            self->want_fill = true;
    }
    if (heartbeat)
        protobuf_c_message_free_unpacked (&heartbeat->base, NULL);
}

/* A live [topic][payload]: the notice to hand out now, or NULL (a
 * heartbeat, a duplicate, a gap to fill, or not a notice). */
static Mot__V1__Notice *
take_live (mot_subscriber_t *self, zmsg_t *msg, char **topic)
{
    char *name = zmsg_size (msg) == 2 ? zframe_strdup (zmsg_first (msg)) : NULL;
    zframe_t *payload = zmsg_next (msg);
    Mot__V1__Notice *notice = NULL;
    Mot__V1__ErrorCode code;
    if (name && strcmp (name, MOT_HEARTBEAT_TOPIC) == 0)
        take_heartbeat (self, payload);
    else
    if (name)
        notice = (Mot__V1__Notice *) mot_wire_unpack (payload, &mot__v1__notice__descriptor, NOTICE_LIMIT, &code);
    if (name && notice && notice->has_seq && !self->started) {
        self->started = true;
        self->cursor = self->lost_warned = notice->seq - 1;
    }
    bool next = notice && notice->has_seq && self->started && notice->seq == self->cursor + 1;
    if (notice && notice->has_seq && notice->seq > self->cursor + 1)
        self->want_fill = true;         /* it comes through the catch-up, in order */
    if (next) {
        self->cursor = notice->seq;
        *topic = name;
        return notice;
    }
    if (notice)
        protobuf_c_message_free_unpacked (&notice->base, NULL);
    zstr_free (&name);
    return NULL;
}

static int
remaining_ms (int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - zclock_mono ();
    return left > 0 ? (int) left : 0;
}

Mot__V1__Notice *
mot_subscriber_next (mot_subscriber_t *self, int timeout_ms, char **topic)
{
    int64_t deadline = timeout_ms < 0 ? -1 : zclock_mono () + timeout_ms;
    *topic = NULL;
    while (!zsys_interrupted) {
        if (self->head < self->tail)
            return ready_pop (self, topic);
        if (self->want_fill && zclock_mono () >= self->retry_at) {
            fill (self);
            continue;
        }
        int wait = remaining_ms (deadline);
        if (self->want_fill) {
            int until_retry = (int) (self->retry_at - zclock_mono ());
            wait = wait < 0 || until_retry < wait ? (until_retry > 0 ? until_retry : 0) : wait;
        }
        if (wait == 0 && remaining_ms (deadline) == 0)
            return NULL;
        if (!zpoller_wait (self->poller, wait)) {
            if (zpoller_terminated (self->poller))
                return NULL;
            continue;
        }
        zmsg_t *msg = zmsg_recv (self->sub);
        Mot__V1__Notice *notice = msg ? take_live (self, msg, topic) : NULL;
        zmsg_destroy (&msg);
        if (notice)
            return notice;
    }
    return NULL;
}
