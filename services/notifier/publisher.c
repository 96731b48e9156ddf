/*  publisher — tailing the notice log and publishing it (see publisher.h).
 *
 *  With --redis-wait, a batch is published (and the catch-up socket and
 *  the heartbeat speak of it) only once the mark's move past it has
 *  reached enough replicas — and with it every log entry the batch holds,
 *  written before. Otherwise the mark goes back and the batch is taken
 *  again at the next look: a failover may lose log entries that were never
 *  replicated, and their seqs are then given to other notices, so a notice
 *  published from them would be contradicted by the log.
 */
#include "publisher.h"
#include "mot_metrics.h"
#include "mot_schema.h"
#include "mot_log.h"
#include "mot_notice_log.h"
#include "mot_notice_text.h"
#include "mot_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _publisher_t {
    mot_redis_t *redis;         /* not owned */
    zsock_t *pub;               /* not owned */
    long log_size;
    long entries;
    bool marked;                /* `mark` is known */
    uint64_t mark;              /* the last seq taken */
    mot_clock_t *clock;         /* not owned */
    mot_counter_t *published, *dropped, *skipped, *unsent;
    mot_histogram_t *lag;
};

#define NOTICES_METRIC "mot_notifier_notices_total"
#define NOTICES_HELP                                                                                          \
    "Notices taken from the log, by outcome: published (sent on PUB), unsent (PUB refused: in the log for the " \
    "catch-up), dropped (not publishable), skipped (left the log before being published)."

static void
register_metrics (publisher_t *self)
{
    static const double lag[] = {MOT_METRICS_LAG_BUCKETS};
    self->published = mot_metrics_counter (NOTICES_METRIC, NOTICES_HELP, "outcome", "published", NULL);
    self->unsent = mot_metrics_counter (NOTICES_METRIC, NOTICES_HELP, "outcome", "unsent", NULL);
    self->dropped = mot_metrics_counter (NOTICES_METRIC, NOTICES_HELP, "outcome", "dropped", NULL);
    self->skipped = mot_metrics_counter (NOTICES_METRIC, NOTICES_HELP, "outcome", "skipped", NULL);
    self->lag = mot_metrics_histogram (
        "mot_notifier_lag_seconds", "From a notice's firing (fired_at, whole seconds) to its publication on PUB.", lag,
        sizeof lag / sizeof *lag, NULL);
}

publisher_t *
publisher_new (mot_redis_t *redis, mot_clock_t *clock, zsock_t *pub, long log_size, long entries)
{
    publisher_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->clock = clock;
    register_metrics (self);
    self->redis = redis;
    self->pub = pub;
    self->log_size = log_size;
    self->entries = entries;
    return self;
}

void
publisher_destroy (publisher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

/* Reads the number in `key`; false when Redis failed. A missing key reads
 * as 0, with *present false. */
static bool
read_number (publisher_t *self, const char *key, bool *present, uint64_t *value)
{
    redisReply *reply = mot_redis_command (self->redis, "GET %s", key);
    bool ok = mot_reply_ok (reply);
    *present = ok && mot_notice_log_seq (reply, value);
    if (!*present)
        *value = 0;
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The seq of the oldest notice in the log (*any false when it is empty);
 * false when Redis failed. */
static bool
oldest_logged (publisher_t *self, bool *any, uint64_t *first)
{
    redisReply *oldest = mot_redis_command (self->redis, "XRANGE %s - + COUNT 1", MOT_KEY_NOTICES);
    bool ok = mot_reply_ok (oldest) && oldest->type == REDIS_REPLY_ARRAY;
    *any = ok && oldest->elements == 1 && oldest->element[0]->type == REDIS_REPLY_ARRAY
        && oldest->element[0]->elements == 2 && mot_notice_log_seq (oldest->element[0]->element[0], first) && *first > 0;
    if (oldest)
        freeReplyObject (oldest);
    return ok;
}

/* Finds the mark: the stored one; else (first start, or the log and its
 * counter were reset under a stored mark) just before the oldest notice in
 * the log, or the last seq given when the log is empty. */
static bool
find_mark (publisher_t *self)
{
    uint64_t stored, last, first = 0;
    bool has_stored, has_last, any;
    if (!read_number (self, MOT_KEY_NOTICES_PUBLISHED, &has_stored, &stored)
        || !read_number (self, MOT_KEY_SEQ_NOTICE, &has_last, &last) || !oldest_logged (self, &any, &first))
        return false;
    if (has_stored && stored > last)
        mot_log_warn ("notice_log_reset", "mark=%llu last_seq=%llu", (unsigned long long) stored,
                      (unsigned long long) last);
    self->mark = has_stored && stored <= last ? stored : any ? first - 1 : last;
    self->marked = true;
    return true;
}

/* Whether the log's counter went below the mark (someone reset the log):
 * the mark is then found again. */
static void
check_for_reset (publisher_t *self)
{
    uint64_t last;
    bool present;
    if (read_number (self, MOT_KEY_SEQ_NOTICE, &present, &last) && last < self->mark)
        self->marked = false;
}

static bool
send_frames (publisher_t *self, const char *topic, const uint8_t *packed, size_t size)
{
    void *handle = zsock_resolve (self->pub);
    return zmq_send (handle, topic, strlen (topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0
        && zmq_send (handle, packed, size, ZMQ_DONTWAIT) >= 0;
}

/* Publishes one logged notice. */
static void
publish_notice (publisher_t *self, const mot_logged_notice_t *logged)
{
    unsigned long long seq = (unsigned long long) logged->seq;
    const char *reason = NULL;
    Mot__V1__Notice *notice = mot_logged_notice_decode (logged, &reason);
    char *topic = notice ? mot_notice_topic (notice) : NULL;
    size_t size = 0;
    uint8_t *bytes = topic ? mot_logged_notice_with_seq (logged, &size) : NULL;
    bool sent = bytes && send_frames (self, topic, bytes, size);
    mot_counter_add (!notice ? self->dropped : sent ? self->published : self->unsent, 1);
    if (sent && notice->has_fired_at)
        mot_histogram_observe (self->lag, mot_metrics_lag_seconds (mot_clock_now (self->clock), notice->fired_at));
    if (!notice)
        mot_log_warn ("notice_dropped", "seq=%llu reason=%s", seq, reason);
    else
    if (!bytes)
        mot_log_error ("notice_not_published", "notice_id=%s seq=%llu in_log=1", notice->notice_id, seq);
    else
    if (sent)
        mot_log_info ("notice_published", "notice_id=%s seq=%llu topic=%s catch_up=%d", notice->notice_id, seq,
                      topic, mot_notice_text_is_catch_up (notice) ? 1 : 0);
    else
        mot_log_warn ("publish_dropped", "notice_id=%s seq=%llu in_log=1", notice->notice_id, seq);
    free (bytes);
    free (topic);
    if (notice)
        protobuf_c_message_free_unpacked (&notice->base, NULL);
}

/* Moves the mark to `mark` and trims what the log no longer needs to keep
 * (one round trip); false when Redis failed. The caller then waits for
 * replicas and takes the new mark as its own (take_mark). */
static bool
store_mark (publisher_t *self, uint64_t mark)
{
    char mark_text[24], min_id[32];
    snprintf (mark_text, sizeof mark_text, "%llu", (unsigned long long) mark);
    /* Entries from this id on stay: at least log_size published notices,
     * however many of an entry's notices (up to MOT_NOTICE_LOG_ENTRY_MAX)
     * come before them. */
    long long keep_from = (long long) mark + 1 - self->log_size - MOT_NOTICE_LOG_ENTRY_MAX;
    snprintf (min_id, sizeof min_id, "%lld-0", keep_from > 1 ? keep_from : 1);
    const char *set[] = {"SET", MOT_KEY_NOTICES_PUBLISHED, mark_text};
    const char *trim[] = {"XTRIM", MOT_KEY_NOTICES, "MINID", min_id};
    bool ok = mot_redis_append (self->redis, 3, set, NULL) && mot_redis_append (self->redis, 4, trim, NULL);
    for (int i = 0; ok && i < 2; i++) {
        redisReply *reply = mot_redis_read (self->redis);
        ok = mot_reply_ok (reply);
        if (reply)
            freeReplyObject (reply);
    }
    return ok;
}

/* The mark moved to `mark` is ours once replicated; false when it could
 * not be (then it is put back, or, if Redis fails, read again from Redis
 * at the next look). */
static bool
take_mark (publisher_t *self, uint64_t mark)
{
    if (mot_redis_wait (self->redis)) {
        self->mark = mark;
        return true;
    }
    char back[24];
    snprintf (back, sizeof back, "%llu", (unsigned long long) self->mark);
    redisReply *reply = mot_redis_command (self->redis, "SET %s %s", MOT_KEY_NOTICES_PUBLISHED, back);
    if (!mot_reply_ok (reply))
        self->marked = false;
    if (reply)
        freeReplyObject (reply);
    mot_log_warn ("notices_held", "after_seq=%llu up_to_seq=%llu reason=unreplicated", (unsigned long long) self->mark,
                  (unsigned long long) mark);
    return false;
}

/* Reads the entries of `reply` into `entries`; returns the seq the mark
 * moves to (past every entry, readable or not). */
static uint64_t
read_entries (publisher_t *self, const redisReply *reply, mot_log_entry_t *entries)
{
    uint64_t mark = self->mark;
    for (size_t i = 0; i < reply->elements; i++) {
        const char *reason = NULL;
        if (!mot_log_entry_read (reply->element[i], &entries[i], &reason)) {
            mot_counter_add (self->dropped, entries[i].last >= entries[i].first ? entries[i].last - entries[i].first + 1 : 1);
            mot_log_warn ("notice_dropped", "seq=%llu reason=%s", (unsigned long long) entries[i].first, reason);
        }
        if (entries[i].first > mark + 1)
            mot_counter_add (self->skipped, entries[i].first - mark - 1);
        if (entries[i].first > mark + 1)
            mot_log_warn ("notices_skipped", "count=%llu before_seq=%llu reason=left_the_log_unpublished",
                          (unsigned long long) (entries[i].first - mark - 1), (unsigned long long) entries[i].first);
        if (entries[i].last > mark)
            mark = entries[i].last;
        else
        if (entries[i].first > mark)
            mark = entries[i].first;
    }
    return mark;
}

long
publisher_publish_next (publisher_t *self)
{
    if (!self->marked && !find_mark (self))
        return -1;
    char from[32], count[24];
    snprintf (from, sizeof from, "%llu-0", (unsigned long long) self->mark + 1);
    snprintf (count, sizeof count, "%ld", self->entries);
    const char *argv[] = {"XRANGE", MOT_KEY_NOTICES, from, "+", "COUNT", count};
    redisReply *reply = mot_redis_commandv (self->redis, 6, argv, NULL);
    if (!mot_reply_ok (reply) || reply->type != REDIS_REPLY_ARRAY) {
        if (reply)
            freeReplyObject (reply);
        return -1;
    }
    long taken = (long) reply->elements;
    mot_log_entry_t *entries = calloc (reply->elements + 1, sizeof *entries);
    uint64_t mark = entries ? read_entries (self, reply, entries) : self->mark;
    bool stored = entries && taken > 0 && store_mark (self, mark) && take_mark (self, mark);
    for (long i = 0; stored && i < taken; i++)
        for (size_t k = 0; k < entries[i].count; k++)
            publish_notice (self, &entries[i].notices[k]);
    for (long i = 0; entries && i < taken; i++)
        mot_log_entry_free (&entries[i]);
    free (entries);
    freeReplyObject (reply);
    if (taken == 0)
        check_for_reset (self);
    return taken == 0 ? 0 : stored ? taken : -1;
}

bool
publisher_last_seq (publisher_t *self, uint64_t *seq)
{
    *seq = self->mark;
    return self->marked;
}
