/*  mot_notice_log — the notice log's format, written and read: the
 *  deadline-watchers build what they log with it, the notifier and motctl
 *  subscribe --since read the log with it.
 *
 *  Owns: the bytes of mot:notices. It is a Redis stream; each entry is one
 *  watcher step's notices (see NoticeBatch in proto/mot.proto): id
 *  "<first seq>-0", fields n, which, notices. The k-th notice an entry holds
 *  has seq first + k. A watcher packs the notices value here
 *  (mot_notice_batch_t) and its script appends the entry
 *  (common/lua/lib/notice_log.lua); a reader splits the value
 *  here into notices and gives each its seq. The protobuf keys written by
 *  hand here come from protobuf-c's descriptors of proto/mot.proto, so the
 *  bytes are what protobuf-c itself packs. Also owns how many notices an
 *  entry may hold (below).
 */
#ifndef MOT_NOTICE_LOG_H_INCLUDED
#define MOT_NOTICE_LOG_H_INCLUDED

#include "mot.pb-c.h"
#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most notices one log entry may hold: what readers allow for. The
 * notifier trims whole entries, and keeps every entry that starts up to
 * this many seqs before the last --log-size published notices, so that
 * trimming never takes one of those along (services/notifier/publisher.h). */
#define MOT_NOTICE_LOG_ENTRY_MAX 1000
/* The most notices a writer puts in one entry: a watcher fires its due
 * timers this many at a time, one entry a batch (a delivery logs one), and
 * a mot_notice_batch_t takes no more. */
#define MOT_NOTICE_LOG_WRITE_MAX 500
/* A larger entry would let the notifier's trimming take published notices
 * it promises to keep. */
_Static_assert (MOT_NOTICE_LOG_WRITE_MAX <= MOT_NOTICE_LOG_ENTRY_MAX,
                "a writer must not put more notices in an entry than readers allow for");
/* A number above as text, e.g. for an option's help. */
#define MOT_NOTICE_LOG_TEXT(number) MOT_NOTICE_LOG_TEXT_ (number)
#define MOT_NOTICE_LOG_TEXT_(number) #number

/* ---- writing ---- */

/* The notices value of one entry being built: a packed NoticeBatch. */
typedef struct {
    uint8_t *data;
    size_t size, capacity;
    size_t count;                   /* notices in it */
} mot_notice_batch_t;

void mot_notice_batch_init (mot_notice_batch_t *self);
/* Frees the bytes and empties the batch. */
void mot_notice_batch_clear (mot_notice_batch_t *self);
/* Renders the notice's text (mot_notice_text.h) and appends the notice with
 * it (notice->text is NULL again on return); false when the batch holds
 * MOT_NOTICE_LOG_WRITE_MAX notices already, or on allocation failure (the
 * batch is then unchanged). */
bool mot_notice_batch_append (mot_notice_batch_t *self, Mot__V1__Notice *notice);

/* ---- reading ---- */

/* A logged notice: its seq and its packed bytes (a Notice without seq),
 * pointing into the reply it was read from. */
typedef struct {
    uint64_t seq;
    const uint8_t *data;
    size_t size;
} mot_logged_notice_t;

/* One entry of the log, read. */
typedef struct {
    uint64_t first;                 /* its id: the seq of its first notice */
    uint64_t last;                  /* the seq of its last notice (first - 1 when it claims none) */
    size_t count;
    mot_logged_notice_t *notices;   /* count of them (malloc'd) */
} mot_log_entry_t;

/* Reads one element of an XRANGE reply. False, with *reason set, when it is
 * not a well-formed entry; it then holds no notices (count 0, notices
 * NULL), and entry->first and entry->last are still set as far as they can
 * be read (0 when not at all), so that a reader can step over it. Free with
 * mot_log_entry_free either way. */
bool mot_log_entry_read (const redisReply *element, mot_log_entry_t *entry, const char **reason);
void mot_log_entry_free (mot_log_entry_t *entry);

/* The logged notice decoded, with its seq set, when it is one subscribers
 * may get: a Notice within 16 KiB, with its text, publishable (see
 * mot_notice_text.h). Else NULL, with *reason set (an ErrorCode name, or
 * "no_text", or mot_notice_text's reason). Free with
 * protobuf_c_message_free_unpacked. */
Mot__V1__Notice *mot_logged_notice_decode (const mot_logged_notice_t *logged, const char **reason);

/* The notice's bytes followed by its seq (the field seq of Notice): a
 * Notice with seq, what subscribers get. Malloc'd, *size set; NULL when out
 * of memory. */
uint8_t *mot_logged_notice_with_seq (const mot_logged_notice_t *notice, size_t *size);

/* A seq as Redis gives it: an integer reply, or a string holding a decimal
 * number or a stream id "<seq>-<n>". False otherwise (nil too). */
bool mot_notice_log_seq (const redisReply *reply, uint64_t *value);

#endif
