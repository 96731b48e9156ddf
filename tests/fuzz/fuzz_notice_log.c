/*  fuzz_notice_log — the notice log's entries as the notifier and the
 *  catch-up socket read them: the input is a Redis reply (RESP bytes, see
 *  fuzz_resp.h), an XRANGE answer of mot:notices; each of its elements is
 *  read with mot_log_entry_read, and each notice of a readable entry
 *  decoded (mot_logged_notice_decode), given its topic and packed with its
 *  seq (mot_logged_notice_with_seq) as it is published.
 *
 *  Invariants: a refused entry holds no notices (the notifier and the
 *  catch-up socket go over an entry's notices by its count, read or not);
 *  a readable entry holds last - first + 1 notices numbered
 *  first, first + 1, …, each inside the entry's notices value; a notice
 *  that decodes has its entry's seq, and its bytes with the seq appended
 *  decode to a notice with that seq.
 */
#include "fuzz.h"
#include "fuzz_resp.h"
#include "mot_notice_log.h"
#include "mot_redis.h"
#include "mot_schema.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    return 0;
}

static void
check_published (const mot_logged_notice_t *logged)
{
    const char *reason = NULL;
    Mot__V1__Notice *notice = mot_logged_notice_decode (logged, &reason);
    FUZZ_ASSERT ((notice == NULL) == (reason != NULL));
    if (!notice)
        return;
    FUZZ_ASSERT (notice->has_seq && notice->seq == logged->seq);
    char *topic = mot_notice_topic (notice);
    FUZZ_ASSERT (topic);
    free (topic);
    size_t size = 0;
    uint8_t *bytes = mot_logged_notice_with_seq (logged, &size);
    FUZZ_ASSERT (bytes && size > logged->size);
    Mot__V1__ErrorCode code;
    Mot__V1__Notice *sent = (Mot__V1__Notice *) mot_wire_unpack_bytes (bytes, size, &mot__v1__notice__descriptor,
                                                                       SIZE_MAX, &code);
    FUZZ_ASSERT (sent && sent->has_seq && sent->seq == logged->seq);
    FUZZ_ASSERT (strcmp (sent->notice_id, notice->notice_id) == 0);
    protobuf_c_message_free_unpacked (&sent->base, NULL);
    free (bytes);
    protobuf_c_message_free_unpacked (&notice->base, NULL);
}

static void
check_entry (const redisReply *element)
{
    mot_log_entry_t entry;
    const char *reason = NULL;
    bool ok = mot_log_entry_read (element, &entry, &reason);
    FUZZ_ASSERT (ok == (reason == NULL));
    if (!ok)
        FUZZ_ASSERT (entry.count == 0 && entry.notices == NULL);     /* readers step over it by count */
    if (ok) {
        FUZZ_ASSERT (entry.count > 0 && entry.count <= entry.last - entry.first + 1);
        FUZZ_ASSERT (entry.last - entry.first + 1 == entry.count);
        const redisReply *value = mot_reply_field (element->element[1], MOT_LOG_NOTICES);
        for (size_t k = 0; k < entry.count; k++) {
            const mot_logged_notice_t *notice = &entry.notices[k];
            FUZZ_ASSERT (notice->seq == entry.first + k);
            FUZZ_ASSERT ((const char *) notice->data >= value->str
                         && (const char *) notice->data + notice->size <= value->str + value->len);
            check_published (notice);
        }
    }
    mot_log_entry_free (&entry);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    redisReply *reply = fuzz_resp_reply (data, size);
    if (!reply)
        return 0;
    uint64_t seq;
    (void) mot_notice_log_seq (reply, &seq);
    if (reply->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < reply->elements; i++)
            check_entry (reply->element[i]);
    freeReplyObject (reply);
    return 0;
}
