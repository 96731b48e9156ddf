/*  mot-notifier — publishes the notice log to alert subscribers.
 *
 *  Owns: the process: options, the PULL socket where deadline-watchers send
 *  wake-ups (bound: watchers come and go), the PUB socket alert subscribers
 *  connect to (bound), and one zloop. The watchers write every notice, with
 *  its Spanish text, into the log mot:notices themselves; this
 *  process tails the log (publisher.h) when a watcher wakes it, and every
 *  --poll-ms in case a wake-up was lost (it was down, or its queue full), so
 *  a notice is published however it got there. A wake-up is one empty frame;
 *  anything else on that socket is logged and still taken as a wake-up.
 *
 *  Slow subscribers: PUB never blocks; when a subscriber's queue reaches the
 *  send high-water mark (--sndhwm) ZeroMQ drops further notices FOR THAT
 *  SUBSCRIBER only — and a burst larger than that, published in one go, can
 *  drop for a subscriber that keeps up too. So live delivery is best
 *  effort, and completeness comes from the Clone pattern: every
 *  --heartbeat-ms PUB carries a heartbeat with the last seq published
 *  (topic "hugz"), and the catch-up socket (a ROUTER, catchup.h) answers
 *  "the notices after seq N for these topics" from the persisted, bounded
 *  log mot:notices. A subscriber that sees a gap — between two notices, or
 *  against a heartbeat — asks for it at once (mot_subscriber.h); none needs
 *  Redis.
 *
 *  The PUB is an XPUB in manual mode: each subscription comes to this
 *  process, which applies it only when the subscriber's certificate lets it
 *  follow that topic (mot_peer; the heartbeat is everyone's).
 */
#include "catchup.h"
#include "mot_endpoints.h"
#include "mot_metrics.h"
#include "mot_notice_log.h"
#include "mot_peer.h"
#include "mot_schema.h"
#include "mot_service.h"
#include "mot_socket.h"
#include "mot_wire.h"
#include "publisher.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A wake-up is empty; a longer message is not one (it is read in full anyway,
 * so the socket refuses anything past this). */
#define WAKEUP_LIMIT 1024
/* Batches published per wake-up before the loop looks at its sockets again. */
#define ROUNDS_PER_WAKEUP 20

static const mot_option_t options[] = {
    {"collect", "MOT_NOTIFIER_COLLECT", MOT_DEFAULT_COLLECT, "where watchers send wake-ups (PULL; bind, '>' to connect)"},
    {"publish", "MOT_NOTIFIER_PUBLISH", MOT_DEFAULT_PUBLISH, "where subscribers connect (PUB; bind, '>' to connect)"},
    {"log-size", "MOT_NOTIFIER_LOG_SIZE", "10000", "published notices kept in the log mot:notices"},
    {"sndhwm", "MOT_NOTIFIER_SNDHWM", "10000", "notices queued per subscriber before PUB drops for it"},
    {"batch", "MOT_NOTIFIER_BATCH", "10",
     "log entries read at a time; an entry is one watcher step, up to " MOT_NOTICE_LOG_TEXT (MOT_NOTICE_LOG_WRITE_MAX)
     " notices (1..1000)"},
    {"poll-ms", "MOT_NOTIFIER_POLL_MS", "200", "how often to look at the log without a wake-up"},
    {"catchup", "MOT_NOTIFIER_CATCHUP", MOT_DEFAULT_CATCHUP,
     "where subscribers ask for the notices they missed (ROUTER; bind, '>' to connect)"},
    {"heartbeat-ms", "MOT_NOTIFIER_HEARTBEAT_MS", "1000", "how often PUB carries the last seq published (topic hugz)"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    zsock_t *collect;
    zsock_t *publish;
    zsock_t *catchup_socket;
    publisher_t *publisher;
    catchup_t *catchup;
    long batch, poll_ms, heartbeat_ms;
    mot_gauge_t *log_entries, *unpublished;
} notifier_t;

static void
notifier_close (void *arg)
{
    notifier_t *self = arg;
    publisher_destroy (&self->publisher);
    catchup_destroy (&self->catchup);
    zsock_destroy (&self->collect);
    zsock_destroy (&self->publish);
    zsock_destroy (&self->catchup_socket);
}

/* Both sockets bind by default (watchers and subscribers come and go): the
 * wake-up side refuses anything longer than a wake-up, the PUB queues up to
 * `sndhwm` notices per subscriber. */
static bool
open_sockets (notifier_t *self, long sndhwm)
{
    mot_config_t *config = self->service->config;
    mot_socket_options_t collect = {.max_size = WAKEUP_LIMIT};
    mot_socket_options_t publish = {.sndhwm = sndhwm, .xpub_manual = true};
    mot_socket_options_t catchup = {.max_size = CATCHUP_REQUEST_LIMIT + 1024, .linger = 0};
    self->collect = mot_socket_new (ZMQ_PULL, mot_config_get (config, "collect"), true, "notifier", &collect, "collect");
    self->publish = mot_socket_new (ZMQ_XPUB, mot_config_get (config, "publish"), true, "notifier", &publish, "publish");
    self->catchup_socket = mot_socket_new (ZMQ_ROUTER, mot_config_get (config, "catchup"), true, "notifier", &catchup, "catchup");
    return self->collect && self->publish && self->catchup_socket;
}

static bool
notifier_open (void *arg, mot_service_t *service)
{
    notifier_t *self = arg;
    self->service = service;
    long log_size, sndhwm;
    mot_config_t *config = service->config;
    if (mot_config_get_long (config, "log-size", 1, 10000000, &log_size)
        && mot_config_get_long (config, "sndhwm", 1, 10000000, &sndhwm)
        && mot_config_get_long (config, "batch", 1, 1000, &self->batch)
        && mot_config_get_long (config, "poll-ms", 10, 60000, &self->poll_ms)
        && mot_config_get_long (config, "heartbeat-ms", 10, 60000, &self->heartbeat_ms)
        && open_sockets (self, sndhwm)) {
        self->publisher = publisher_new (service->redis, service->clock, self->publish, log_size, self->batch);
        self->catchup = catchup_new (service->redis);
    }
    self->log_entries = mot_metrics_gauge (
        "mot_notice_log_entries", "Entries in the notice log mot:notices (a watcher step each, up to 500 notices).", NULL);
    self->unpublished = mot_metrics_gauge (
        "mot_notices_unpublished", "Notices logged and not yet taken by the notifier (mot:seq:notice minus its mark).",
        NULL);
    return self->publisher && self->catchup;
}

/* The log's gauges, read from Redis on the service's connection. */
static int
on_gauges (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    notifier_t *self = arg;
    mot_redis_t *redis = self->service->redis;
    long long entries, logged, published;
    if (mot_health_redis_count (redis, "XLEN", MOT_KEY_NOTICES, &entries) && mot_health_redis_count (redis, "GET", MOT_KEY_SEQ_NOTICE, &logged)
        && mot_health_redis_count (redis, "GET", MOT_KEY_NOTICES_PUBLISHED, &published)) {
        mot_gauge_set (self->log_entries, (double) entries);
        mot_gauge_set (self->unpublished, logged > published ? (double) (logged - published) : 0);
    }
    return 0;
}

/* Publishes what the log has after the mark, a batch at a time, until it is
 * caught up (or after ROUNDS_PER_WAKEUP batches: the poll goes on). */
static void
publish_pending (notifier_t *self)
{
    for (int round = 0; round < ROUNDS_PER_WAKEUP; round++)
        if (publisher_publish_next (self->publisher) < self->batch)
            break;
}

/* Drains the wake-ups already queued (the first one woke the loop), then
 * publishes once for all of them. */
static int
on_wakeup (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    notifier_t *self = (notifier_t *) arg;
    do {
        zmsg_t *msg = zmsg_recv (reader);
        if (!msg)
            break;
        if (zmsg_size (msg) != 1 || zframe_size (zmsg_first (msg)) != 0)
            mot_log_warn ("wakeup_unexpected", "reason=BAD_FRAMING frames=%zu", zmsg_size (msg));
        zmsg_destroy (&msg);
    } while (zsock_events (reader) & ZMQ_POLLIN);
    publish_pending (self);
    return 0;
}

static int
on_poll (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    publish_pending ((notifier_t *) arg);
    return 0;
}

/* Sends [hugz][Heartbeat] on PUB: the last seq published. */
static int
on_heartbeat (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    notifier_t *self = arg;
    Mot__V1__Heartbeat heartbeat = MOT__V1__HEARTBEAT__INIT;
    if (!publisher_last_seq (self->publisher, &heartbeat.last_seq))
        return 0;
    heartbeat.has_last_seq = heartbeat.has_sent_at = true;
    heartbeat.sent_at = (int64_t) time (NULL);
    uint8_t packed[32];
    size_t size = mot__v1__heartbeat__pack (&heartbeat, packed);
    void *handle = zsock_resolve (self->publish);
    if (zmq_send (handle, MOT_HEARTBEAT_TOPIC, strlen (MOT_HEARTBEAT_TOPIC), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0
        || zmq_send (handle, packed, size, ZMQ_DONTWAIT) < 0)
        mot_log_debug ("heartbeat_dropped", "last_seq=%llu", (unsigned long long) heartbeat.last_seq);
    return 0;
}

/* A subscriber's (un)subscription, [1 or 0][topic], applied when its
 * certificate lets it follow the topic (the heartbeat: always); refused
 * ones are logged and the subscriber gets nothing on that topic. */
static int
on_subscription (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    (void) arg;
    zframe_t *frame = zframe_recv (reader);
    size_t size = frame ? zframe_size (frame) : 0;
    char *topic = size > 0 ? strndup ((const char *) zframe_data (frame) + 1, size - 1) : NULL;
    if (topic && strlen (topic) != size - 1) {      /* a NUL inside: no topic we publish */
        zstr_free (&topic);
        mot_log_warn ("subscription_unreadable", "bytes=%zu", size);
    }
    void *handle = zsock_resolve (reader);     /* CZMQ's setters are for SUB sockets only */
    if (topic && zframe_data (frame)[0] == 0)
        zmq_setsockopt (handle, ZMQ_UNSUBSCRIBE, topic, size - 1);
    else
    if (topic) {
        mot_peer_t peer = mot_peer_of (frame);
        if (strcmp (topic, MOT_HEARTBEAT_TOPIC) == 0 || mot_peer_may_follow (&peer, topic))
            zmq_setsockopt (handle, ZMQ_SUBSCRIBE, topic, size - 1);
        else
            mot_log_warn ("forbidden", "peer=%s role=%s socket=publish topic_bytes=%zu", peer.name, peer.role,
                          strlen (topic));
    }
    free (topic);
    zframe_destroy (&frame);
    return 0;
}

/* Answers one catch-up request (catchup.h). */
static int
on_catchup (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    notifier_t *self = arg;
    uint64_t published = 0;
    bool known = publisher_last_seq (self->publisher, &published);
    catchup_answer (self->catchup, reader, known, published);
    return 0;
}

static bool
notifier_attach (void *arg, zloop_t *loop)
{
    notifier_t *self = arg;
    if (zloop_reader (loop, self->collect, on_wakeup, self) != 0
        || zloop_reader (loop, self->catchup_socket, on_catchup, self) != 0
        || zloop_reader (loop, self->publish, on_subscription, self) != 0
        || zloop_timer (loop, (size_t) self->poll_ms, 0, on_poll, self) < 0
        || zloop_timer (loop, (size_t) self->heartbeat_ms, 0, on_heartbeat, self) < 0
        || zloop_timer (loop, MOT_METRICS_REFRESH_MS, 0, on_gauges, self) < 0)
        return false;
    zloop_reader_set_tolerant (loop, self->collect);
    zloop_reader_set_tolerant (loop, self->catchup_socket);
    zloop_reader_set_tolerant (loop, self->publish);
    mot_log_info ("serving", "collect=%s publish=%s catchup=%s batch=%ld poll_ms=%ld heartbeat_ms=%ld",
                  mot_config_get (self->service->config, "collect"), mot_config_get (self->service->config, "publish"),
                  mot_config_get (self->service->config, "catchup"), self->batch, self->poll_ms, self->heartbeat_ms);
    publish_pending (self);     /* what was logged while no notifier ran */
    return true;
}

static const mot_service_class_t notifier_service = {
    "notifier",
    "Publishes the notice log (reminders, overdue, escalation, late-delivery, item and report notices) once each, "
    "in sequence, to alert subscribers, with heartbeats, and serves the notices a subscriber missed.",
    options, notifier_open, notifier_attach, notifier_close};

int
main (int argc, char **argv)
{
    notifier_t self = {0};
    return mot_service_run (&notifier_service, &self, argc, argv);
}
