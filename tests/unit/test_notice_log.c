/*  test_notice_log — unit tests for mot_notice_log: writing the notices of
 *  an entry (a batch packed by hand, checked against protobuf-c's own
 *  unpacking and packing, and at most MOT_NOTICE_LOG_WRITE_MAX of them),
 *  reading entries of the notice log (a stream entry {id, [n, N, which, W,
 *  notices, NoticeBatch]}) into notices with their seqs, refusing malformed
 *  ones, and appending a notice's seq. Replies are built by hand, as hiredis
 *  would return them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_notice_log.h"
#include "mot_notice_text.h"
#include "mot.pb-c.h"

/* ---- hand-made replies ---- */

static redisReply *
string_reply (const void *bytes, size_t length)
{
    redisReply *reply = calloc (1, sizeof *reply);
    assert_non_null (reply);
    reply->type = REDIS_REPLY_STRING;
    reply->str = malloc (length + 1);
    assert_non_null (reply->str);
    memcpy (reply->str, bytes, length);
    reply->str[length] = 0;
    reply->len = length;
    return reply;
}

static redisReply *
array_reply (size_t count)
{
    redisReply *reply = calloc (1, sizeof *reply);
    assert_non_null (reply);
    reply->type = REDIS_REPLY_ARRAY;
    reply->elements = count;
    reply->element = calloc (count ? count : 1, sizeof *reply->element);
    assert_non_null (reply->element);
    return reply;
}

/* An entry as XRANGE returns it. */
static redisReply *
entry_reply (const char *id, const char *n, const char *which, const void *notices, size_t size)
{
    redisReply *entry = array_reply (2);
    entry->element[0] = string_reply (id, strlen (id));
    redisReply *fields = array_reply (6);
    const char *names[] = {"n", "which", "notices"};
    fields->element[0] = string_reply (names[0], 1);
    fields->element[1] = string_reply (n, strlen (n));
    fields->element[2] = string_reply (names[1], 5);
    fields->element[3] = string_reply (which, strlen (which));
    fields->element[4] = string_reply (names[2], 7);
    fields->element[5] = string_reply (notices, size);
    entry->element[1] = fields;
    return entry;
}

/* A notice of id `id` (not copied), overdue, publishable once it has text. */
static void
notice_init (Mot__V1__Notice *notice, const char *id)
{
    mot__v1__notice__init (notice);
    notice->notice_id = (char *) id;
    notice->report = (char *) "r";
    notice->report_name = (char *) "n";
    notice->period = (char *) "p";
    notice->deadline = (char *) "2026-11-02";
    notice->kind = MOT__V1__NOTICE_KIND__OVERDUE;
    notice->unit = MOT__V1__SOURCE__UAD;
}

/* A packed NoticeBatch of notices with ids A, B, C, …, (count of them),
 * publishable ones unless `text` is NULL. */
static uint8_t *
batch_with_text (size_t count, const char *text, size_t *size)
{
    Mot__V1__Notice *notices[8];
    char ids[8][2];
    for (size_t i = 0; i < count; i++) {
        notices[i] = calloc (1, sizeof **notices);
        assert_non_null (notices[i]);
        ids[i][0] = (char) ('A' + i);
        ids[i][1] = 0;
        notice_init (notices[i], ids[i]);
        notices[i]->text = (char *) text;
    }
    Mot__V1__NoticeBatch batch = MOT__V1__NOTICE_BATCH__INIT;
    batch.n_notices = count;
    batch.notices = notices;
    *size = mot__v1__notice_batch__get_packed_size (&batch);
    uint8_t *bytes = malloc (*size + 1);
    assert_non_null (bytes);
    mot__v1__notice_batch__pack (&batch, bytes);
    for (size_t i = 0; i < count; i++)
        free (notices[i]);
    return bytes;
}

/* The notice_id of a logged notice. */
static char *
id_of (const mot_logged_notice_t *logged)
{
    Mot__V1__Notice *notice = mot__v1__notice__unpack (NULL, logged->size, logged->data);
    assert_non_null (notice);
    char *id = strdup (notice->notice_id);
    mot__v1__notice__free_unpacked (notice, NULL);
    return id;
}

static void
expect_ids (const mot_log_entry_t *entry, const char *expected)
{
    char joined[64] = "";
    for (size_t k = 0; k < entry->count; k++) {
        char *id = id_of (&entry->notices[k]);
        strcat (joined, id);
        free (id);
    }
    assert_string_equal (joined, expected);
}

/* A well-formed entry of `count` notices (text NULL: without text), read. */
typedef struct {
    uint8_t *bytes;
    redisReply *reply;
    mot_log_entry_t entry;
} logged_t;

static void
logged_read (logged_t *self, size_t count, const char *text, const char *id, const char *n, const char *which)
{
    size_t size;
    self->bytes = batch_with_text (count, text, &size);
    self->reply = entry_reply (id, n, which, self->bytes, size);
    const char *reason = "unset";
    assert_true (mot_log_entry_read (self->reply, &self->entry, &reason));
    assert_null (reason);
}

static void
logged_free (logged_t *self)
{
    mot_log_entry_free (&self->entry);
    freeReplyObject (self->reply);
    free (self->bytes);
}

/* ---- writing ---- */

/* Appends the notice `id` with that report name, as a watcher does. */
static void
append_notice (mot_notice_batch_t *batch, const char *id, const char *report_name)
{
    Mot__V1__Notice notice;
    notice_init (&notice, id);
    notice.report_name = (char *) report_name;
    assert_true (mot_notice_batch_append (batch, &notice));
    assert_null (notice.text);
}

/* A batch of notices A, B (a long one: its length takes two bytes) and C. */
static void
batch_of_three (mot_notice_batch_t *batch)
{
    char long_name[MOT_NOTICE_MAX_NAME + 1];
    memset (long_name, 'x', MOT_NOTICE_MAX_NAME);
    long_name[MOT_NOTICE_MAX_NAME] = 0;
    mot_notice_batch_init (batch);
    append_notice (batch, "A", "n");
    append_notice (batch, "B", long_name);
    append_notice (batch, "C", "n");
    assert_int_equal (batch->count, 3);
}

static void
test_the_writer_packs_what_protobuf_c_unpacks (void **state)
{
    (void) state;
    mot_notice_batch_t batch;
    batch_of_three (&batch);
    Mot__V1__NoticeBatch *unpacked = mot__v1__notice_batch__unpack (NULL, batch.size, batch.data);
    assert_non_null (unpacked);
    assert_int_equal (unpacked->n_notices, 3);
    const char *ids[] = {"A", "B", "C"};
    for (size_t k = 0; k < 3; k++) {
        Mot__V1__Notice *notice = unpacked->notices[k];
        assert_string_equal (notice->notice_id, ids[k]);
        assert_false (notice->has_seq);
        char *text = mot_notice_text_render (notice);
        assert_non_null (text);
        assert_non_null (notice->text);
        assert_string_equal (notice->text, text);
        free (text);
    }
    /* byte for byte what protobuf-c packs */
    size_t size = mot__v1__notice_batch__get_packed_size (unpacked);
    assert_int_equal (size, batch.size);
    uint8_t *packed = malloc (size);
    assert_non_null (packed);
    assert_int_equal (mot__v1__notice_batch__pack (unpacked, packed), size);
    assert_memory_equal (packed, batch.data, size);
    free (packed);
    mot__v1__notice_batch__free_unpacked (unpacked, NULL);
    mot_notice_batch_clear (&batch);
}

static void
test_what_the_writer_packs_the_reader_reads (void **state)
{
    (void) state;
    mot_notice_batch_t batch;
    batch_of_three (&batch);
    redisReply *reply = entry_reply ("51-0", "2", "0,2", batch.data, batch.size);
    mot_log_entry_t entry;
    const char *reason = "unset";
    assert_true (mot_log_entry_read (reply, &entry, &reason));
    assert_null (reason);
    expect_ids (&entry, "AC");
    assert_int_equal (entry.notices[0].seq, 51);
    assert_int_equal (entry.notices[1].seq, 52);
    Mot__V1__Notice *notice = mot_logged_notice_decode (&entry.notices[1], &reason);
    assert_non_null (notice);
    assert_null (reason);
    assert_string_equal (notice->notice_id, "C");
    protobuf_c_message_free_unpacked (&notice->base, NULL);
    mot_log_entry_free (&entry);
    freeReplyObject (reply);
    mot_notice_batch_clear (&batch);
}

static void
test_a_batch_takes_at_most_the_write_max (void **state)
{
    (void) state;
    mot_notice_batch_t batch;
    mot_notice_batch_init (&batch);
    for (int i = 0; i < MOT_NOTICE_LOG_WRITE_MAX; i++)
        append_notice (&batch, "A", "n");
    size_t size = batch.size;
    Mot__V1__Notice notice;
    notice_init (&notice, "Z");
    assert_false (mot_notice_batch_append (&batch, &notice));
    assert_null (notice.text);
    assert_int_equal (batch.count, MOT_NOTICE_LOG_WRITE_MAX);
    assert_int_equal (batch.size, size);
    mot_notice_batch_clear (&batch);
    assert_null (batch.data);
    assert_int_equal (batch.count, 0);
    assert_int_equal (batch.size, 0);
}

/* ---- reading ---- */

static void
test_an_entry_gives_its_notices_their_seqs (void **state)
{
    (void) state;
    logged_t logged;
    logged_read (&logged, 3, "texto", "41-0", "3", "all");
    assert_int_equal (logged.entry.first, 41);
    assert_int_equal (logged.entry.last, 43);
    assert_int_equal (logged.entry.count, 3);
    expect_ids (&logged.entry, "ABC");
    for (size_t k = 0; k < 3; k++)
        assert_int_equal (logged.entry.notices[k].seq, 41 + k);
    logged_free (&logged);
}

static void
test_which_keeps_the_held_ones_in_order (void **state)
{
    (void) state;
    logged_t logged;
    logged_read (&logged, 4, "texto", "7-0", "2", "1,3");
    expect_ids (&logged.entry, "BD");
    assert_int_equal (logged.entry.notices[0].seq, 7);
    assert_int_equal (logged.entry.notices[1].seq, 8);
    assert_int_equal (logged.entry.last, 8);
    logged_free (&logged);
}

/* Reads an entry that must be refused for `reason`, spanning seqs first..last. */
static void
expect_refused (redisReply *reply, const char *reason, uint64_t first, uint64_t last)
{
    mot_log_entry_t entry;
    const char *why = NULL;
    assert_false (mot_log_entry_read (reply, &entry, &why));
    assert_non_null (why);
    assert_string_equal (why, reason);
    assert_int_equal (entry.first, first);
    assert_int_equal (entry.last, last);
    mot_log_entry_free (&entry);
    freeReplyObject (reply);
}

static void
test_malformed_entries_are_refused_but_can_be_stepped_over (void **state)
{
    (void) state;
    size_t size;
    uint8_t *bytes = batch_with_text (3, "texto", &size);
    /* which names an index past the batch, or out of order, or the count disagrees */
    expect_refused (entry_reply ("10-0", "2", "0,5", bytes, size), "bad_which", 10, 11);
    expect_refused (entry_reply ("10-0", "2", "2,1", bytes, size), "bad_which", 10, 11);
    expect_refused (entry_reply ("10-0", "2", "all", bytes, size), "bad_which", 10, 11);
    expect_refused (entry_reply ("10-0", "1", "1,", bytes, size), "bad_which", 10, 10);
    /* the notices are not a NoticeBatch: a wrong tag, a length past the end */
    expect_refused (entry_reply ("20-0", "1", "all", "\xff garbage", 9), "bad_batch", 20, 20);
    uint8_t cut[] = {0x0a, 0x7f, 'x'};
    expect_refused (entry_reply ("20-0", "1", "all", cut, sizeof cut), "bad_batch", 20, 20);
    uint8_t endless[] = {0x0a, 0xff, 0xff};
    expect_refused (entry_reply ("20-0", "1", "all", endless, sizeof endless), "bad_batch", 20, 20);
    /* no count: it cannot say how many seqs it spans */
    expect_refused (entry_reply ("30-0", "x", "all", bytes, size), "bad_entry", 30, 29);
    /* not an entry at all */
    expect_refused (string_reply ("30-0", 4), "bad_entry", 0, 0);
    free (bytes);
}

static void
test_a_notice_with_its_seq_is_a_notice_with_seq (void **state)
{
    (void) state;
    logged_t logged;
    logged_read (&logged, 1, "texto", "300-0", "1", "all");
    size_t with_size;
    uint8_t *with = mot_logged_notice_with_seq (&logged.entry.notices[0], &with_size);
    assert_non_null (with);
    Mot__V1__Notice *notice = mot__v1__notice__unpack (NULL, with_size, with);
    assert_non_null (notice);
    assert_true (notice->has_seq);
    assert_int_equal (notice->seq, 300);
    assert_string_equal (notice->notice_id, "A");
    mot__v1__notice__free_unpacked (notice, NULL);
    free (with);
    logged_free (&logged);
}

/* Each seq, small or large, appended as protobuf-c packs Notice.seq: the
 * notice unpacks with that seq and otherwise as logged. */
static void
test_any_seq_appended_unpacks_as_that_seq (void **state)
{
    (void) state;
    const uint64_t seqs[] = {1, 127, 128, 16384, ((uint64_t) 1 << 40) + 3, UINT64_MAX};
    logged_t logged;
    logged_read (&logged, 1, "texto", "1-0", "1", "all");
    mot_logged_notice_t *logged_notice = &logged.entry.notices[0];
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        logged_notice->seq = seqs[i];
        size_t with_size;
        uint8_t *with = mot_logged_notice_with_seq (logged_notice, &with_size);
        assert_non_null (with);
        Mot__V1__Notice *notice = mot__v1__notice__unpack (NULL, with_size, with);
        assert_non_null (notice);
        assert_true (notice->has_seq);
        assert_true (notice->seq == seqs[i]);
        notice->has_seq = false;
        size_t size = mot__v1__notice__get_packed_size (notice);
        assert_int_equal (size, logged_notice->size);
        uint8_t *packed = malloc (size);
        assert_non_null (packed);
        mot__v1__notice__pack (notice, packed);
        assert_memory_equal (packed, logged_notice->data, size);
        free (packed);
        mot__v1__notice__free_unpacked (notice, NULL);
        free (with);
    }
    logged_free (&logged);
}

static void
test_only_publishable_notices_decode (void **state)
{
    (void) state;
    logged_t logged;
    logged_read (&logged, 1, "texto", "9-0", "1", "all");
    const char *reason = "unset";
    Mot__V1__Notice *notice = mot_logged_notice_decode (&logged.entry.notices[0], &reason);
    assert_non_null (notice);
    assert_null (reason);
    assert_true (notice->has_seq);
    assert_int_equal (notice->seq, 9);
    protobuf_c_message_free_unpacked (&notice->base, NULL);
    logged_free (&logged);

    logged_read (&logged, 1, NULL, "10-0", "1", "all");
    assert_null (mot_logged_notice_decode (&logged.entry.notices[0], &reason));
    assert_string_equal (reason, "no_text");
    mot_logged_notice_t garbage = {11, (const uint8_t *) "\x0a\xff\xff", 3};
    assert_null (mot_logged_notice_decode (&garbage, &reason));
    assert_string_equal (reason, "MALFORMED");
    logged_free (&logged);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_the_writer_packs_what_protobuf_c_unpacks),
        cmocka_unit_test (test_what_the_writer_packs_the_reader_reads),
        cmocka_unit_test (test_a_batch_takes_at_most_the_write_max),
        cmocka_unit_test (test_an_entry_gives_its_notices_their_seqs),
        cmocka_unit_test (test_which_keeps_the_held_ones_in_order),
        cmocka_unit_test (test_malformed_entries_are_refused_but_can_be_stepped_over),
        cmocka_unit_test (test_a_notice_with_its_seq_is_a_notice_with_seq),
        cmocka_unit_test (test_any_seq_appended_unpacks_as_that_seq),
        cmocka_unit_test (test_only_publishable_notices_decode),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
