/*  mot_notice_log — reading the notice log, for whoever publishes or
 *  replays it (the notifier, motctl subscribe --since).
 *
 *  Owns: the log's format as readers see it. mot:notices is a Redis stream;
 *  each entry is one watcher step's notices (see NoticeBatch in
 *  proto/mot.proto): id "<first seq>-0", fields n, which, notices. The k-th
 *  notice an entry holds has seq first + k. Entries are written by the
 *  watchers' scripts (services/deadline-watcher/notice_log.lua).
 */
#ifndef MOT_NOTICE_LOG_H_INCLUDED
#define MOT_NOTICE_LOG_H_INCLUDED

#include "mot.pb-c.h"
#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
 * not a well-formed entry; entry->first and entry->last are then still set
 * as far as they can be read (0 when not at all), so that a reader can step
 * over it. Free with mot_log_entry_free either way. */
bool mot_log_entry_read (const redisReply *element, mot_log_entry_t *entry, const char **reason);
void mot_log_entry_free (mot_log_entry_t *entry);

/* The logged notice decoded, with its seq set, when it is one subscribers
 * may get: a Notice within 16 KiB, with its text, publishable (see
 * mot_notice_text.h). Else NULL, with *reason set (an ErrorCode name, or
 * "no_text", or mot_notice_text's reason). Free with
 * protobuf_c_message_free_unpacked. */
Mot__V1__Notice *mot_logged_notice_decode (const mot_logged_notice_t *logged, const char **reason);

/* The notice's bytes followed by its seq (protobuf field 11): a Notice with
 * seq, what subscribers get. Malloc'd, *size set; NULL when out of memory. */
uint8_t *mot_logged_notice_with_seq (const mot_logged_notice_t *notice, size_t *size);

/* A seq as Redis gives it: an integer reply, or a string holding a decimal
 * number or a stream id "<seq>-<n>". False otherwise (nil too). */
bool mot_notice_log_seq (const redisReply *reply, uint64_t *value);

/* Writes `value` as a protobuf varint at `out` (room for 10 bytes); returns
 * how many bytes it took. */
size_t mot_notice_log_put_varint (uint8_t *out, uint64_t value);

#endif
