/*  mot-notifier — turns timer firings into published notices.
 *
 *  Owns: the process: options, the PULL socket where deadline-watchers push
 *  notices (bound: watchers come and go) and the PUB socket alert subscribers
 *  connect to (bound), one zloop, and the batch of notices being collected.
 *  Each wake-up drains up to --batch queued notices; each is decoded
 *  (garbage is logged and dropped, the rest of the batch goes on) and given
 *  its Spanish text and topic, then the batch is published once per
 *  notice_id with sequence numbers, with one Redis script call (publisher.h).
 *
 *  Slow subscribers: PUB never blocks; when a subscriber's queue reaches the
 *  send high-water mark (--sndhwm) ZeroMQ drops further notices FOR THAT
 *  SUBSCRIBER only. That is the policy: live delivery is best effort, and the
 *  persisted, bounded log mot:notices (newest first, each notice with its
 *  seq) is the catch-up path — a subscriber that sees a gap in seq, or was
 *  away, reads the log from the last seq it has.
 */
#include "mot_service.h"
#include "mot_wire.h"
#include "notice_text.h"
#include "publisher.h"

#include <czmq.h>
#include <stdlib.h>

/* A packed Notice is small; anything larger is not one of ours. */
#define NOTICE_LIMIT (16 * 1024)

static const mot_option_t options[] = {
    {"collect", "MOT_NOTIFIER_COLLECT", "tcp://127.0.0.1:5553", "where watchers push notices (PULL, bind)"},
    {"publish", "MOT_NOTIFIER_PUBLISH", "tcp://127.0.0.1:5554", "where subscribers connect (PUB, bind)"},
    {"log-size", "MOT_NOTIFIER_LOG_SIZE", "10000", "notices kept in the replay log mot:notices"},
    {"sndhwm", "MOT_NOTIFIER_SNDHWM", "10000", "notices queued per subscriber before PUB drops for it"},
    {"batch", "MOT_NOTIFIER_BATCH", "500", "notices drained and published with one script call per wake-up (1..10000)"},
    {NULL, NULL, NULL, NULL}};

/* The valid notices of one wake-up, as the publisher takes them. */
typedef struct {
    size_t count;
    Mot__V1__Notice **notices;  /* text: the rendered one while in the batch */
    char **received_texts;      /* each notice's own text field, put back before it is freed */
    char **topics;
    uint64_t *seqs;
    publish_result_t *results;
} batch_t;

static bool
batch_init (batch_t *self, size_t size)
{
    self->count = 0;
    self->notices = calloc (size, sizeof *self->notices);
    self->received_texts = calloc (size, sizeof *self->received_texts);
    self->topics = calloc (size, sizeof *self->topics);
    self->seqs = calloc (size, sizeof *self->seqs);
    self->results = calloc (size, sizeof *self->results);
    if (self->notices && self->received_texts && self->topics && self->seqs && self->results)
        return true;
    mot_log_error ("out_of_memory", "what=batch size=%zu", size);
    return false;
}

/* Frees the notices of the batch and empties it. */
static void
batch_clear (batch_t *self)
{
    for (size_t i = 0; i < self->count; i++) {
        free (self->notices[i]->text);
        self->notices[i]->text = self->received_texts[i];
        protobuf_c_message_free_unpacked (&self->notices[i]->base, NULL);
        free (self->topics[i]);
    }
    self->count = 0;
}

static void
batch_destroy (batch_t *self)
{
    if (self->notices)
        batch_clear (self);
    free (self->notices);
    free (self->received_texts);
    free (self->topics);
    free (self->seqs);
    free (self->results);
}

/* Takes ownership of `notice` with its rendered text and topic. There is
 * room: a wake-up takes at most --batch messages. */
static void
batch_add (batch_t *self, Mot__V1__Notice *notice, char *text, char *topic)
{
    size_t i = self->count++;
    self->received_texts[i] = notice->text;
    notice->text = text;
    self->notices[i] = notice;
    self->topics[i] = topic;
}

typedef struct {
    mot_service_t *service;
    zsock_t *collect;
    zsock_t *publish;
    publisher_t *publisher;
    long batch_size;
    batch_t batch;
} notifier_t;

static void
notifier_destroy (notifier_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    notifier_t *self = *self_p;
    batch_destroy (&self->batch);
    publisher_destroy (&self->publisher);
    zsock_destroy (&self->collect);
    zsock_destroy (&self->publish);
    mot_service_destroy (&self->service);
    free (self);
    *self_p = NULL;
}

/* A socket bound to `endpoint`, or NULL (logged). */
static zsock_t *
bind_socket (int type, const char *endpoint, const char *option)
{
    zsock_t *socket = zsock_new (type);
    if (socket && zsock_bind (socket, "%s", endpoint) >= 0)
        return socket;
    mot_log_error ("bind_failed", "option=%s endpoint=%s", option, endpoint);
    zsock_destroy (&socket);
    return NULL;
}

static bool
open_sockets (notifier_t *self, long sndhwm)
{
    mot_config_t *config = self->service->config;
    self->collect = bind_socket (ZMQ_PULL, mot_config_get (config, "collect"), "collect");
    self->publish = zsock_new (ZMQ_PUB);
    if (!self->collect || !self->publish)
        return false;
    zsock_set_maxmsgsize (self->collect, NOTICE_LIMIT);
    zsock_set_sndhwm (self->publish, (int) sndhwm);
    if (zsock_bind (self->publish, "%s", mot_config_get (config, "publish")) < 0) {
        mot_log_error ("bind_failed", "option=publish endpoint=%s", mot_config_get (config, "publish"));
        return false;
    }
    return true;
}

static notifier_t *
notifier_new (int argc, char **argv, int *exit_code)
{
    notifier_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->service = mot_service_new ("notifier", "Publishes reminders, overdue and late-delivery notices "
                                     "once each, with a sequence number and a replay log.",
                                     options, argc, argv, exit_code);
    if (!self->service) {
        free (self);
        return NULL;
    }
    *exit_code = 1;
    long log_size, sndhwm;
    mot_config_t *config = self->service->config;
    if (mot_config_get_long (config, "log-size", 1, 10000000, &log_size)
        && mot_config_get_long (config, "sndhwm", 1, 10000000, &sndhwm)
        && mot_config_get_long (config, "batch", 1, 10000, &self->batch_size)
        && batch_init (&self->batch, (size_t) self->batch_size) && open_sockets (self, sndhwm))
        self->publisher = publisher_new (self->service->redis, self->publish, log_size);
    if (!self->publisher)
        notifier_destroy (&self);
    return self;
}

/* Decodes and checks one received message; a publishable notice joins the
 * batch with its text and topic, anything else is logged and dropped. */
static void
take_notice (notifier_t *self, zmsg_t *msg)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__BAD_FRAMING;
    Mot__V1__Notice *notice = NULL;
    const char *reason = NULL;
    if (zmsg_size (msg) == 1)
        notice = (Mot__V1__Notice *) mot_wire_unpack (zmsg_first (msg), &mot__v1__notice__descriptor, NOTICE_LIMIT,
                                                      &code);
    if (!notice) {
        mot_log_warn ("notice_dropped", "reason=%s", mot_error_code_name (code));
        return;
    }
    if (!notice_text_is_publishable (notice, &reason)) {
        mot_log_warn ("notice_dropped", "reason=%s", reason);
        protobuf_c_message_free_unpacked (&notice->base, NULL);
        return;
    }
    char *text = notice_text_render (notice);
    char *topic = mot_notice_topic (notice);
    if (text && topic) {
        batch_add (&self->batch, notice, text, topic);
        return;
    }
    mot_log_error ("notice_not_published", "notice_id=%s redrive=1", notice->notice_id);
    free (text);
    free (topic);
    protobuf_c_message_free_unpacked (&notice->base, NULL);
}

/* Publishes the batch with one script call and logs each notice's outcome. */
static void
publish_batch (notifier_t *self)
{
    batch_t *batch = &self->batch;
    publisher_publish_batch (self->publisher, batch->notices, batch->topics, batch->count, batch->seqs,
                             batch->results);
    for (size_t i = 0; i < batch->count; i++) {
        Mot__V1__Notice *notice = batch->notices[i];
        unsigned long long seq = (unsigned long long) batch->seqs[i];
        if (batch->results[i] == PUBLISH_SENT)
            mot_log_info ("notice_published", "notice_id=%s seq=%llu topic=%s catch_up=%d", notice->notice_id,
                          seq, batch->topics[i], notice_text_is_catch_up (notice) ? 1 : 0);
        else
        if (batch->results[i] == PUBLISH_DUPLICATE)
            mot_log_info ("notice_duplicate", "notice_id=%s", notice->notice_id);
        else
            mot_log_error ("notice_not_published", "notice_id=%s redrive=1", notice->notice_id);
    }
}

/* Drains up to --batch notices already queued (the first one woke the loop),
 * then publishes the valid ones with one script call. */
static int
on_collect (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    notifier_t *self = (notifier_t *) arg;
    long received = 0;
    do {
        zmsg_t *msg = zmsg_recv (reader);
        if (!msg)
            break;
        take_notice (self, msg);
        zmsg_destroy (&msg);
        received++;
    } while (received < self->batch_size && (zsock_events (reader) & ZMQ_POLLIN));
    size_t taken = self->batch.count;
    if (taken > 0)
        publish_batch (self);
    mot_log_debug ("batch_collected", "received=%ld valid=%zu", received, taken);
    batch_clear (&self->batch);
    return 0;
}

int
main (int argc, char **argv)
{
    int exit_code = 1;
    notifier_t *notifier = notifier_new (argc, argv, &exit_code);
    if (!notifier)
        return exit_code;
    zloop_t *loop = mot_service_loop_new ();
    if (loop && zloop_reader (loop, notifier->collect, on_collect, notifier) == 0) {
        zloop_reader_set_tolerant (loop, notifier->collect);
        mot_log_info ("ready", "collect=%s publish=%s batch=%ld", mot_config_get (notifier->service->config, "collect"),
                      mot_config_get (notifier->service->config, "publish"), notifier->batch_size);
        zloop_start (loop);
        mot_log_info ("stopping", "reason=signal");
        exit_code = 0;
    }
    zloop_destroy (&loop);
    notifier_destroy (&notifier);
    return exit_code;
}
