/*  fuzz_catchup — the notifier's catch-up socket (services/notifier/
 *  catchup.c, compiled into this harness so that its static steps are
 *  called as they are): a NoticesRequest decoded with its size limit and
 *  checked (refused_field), then answered from a notice log given as a
 *  Redis reply (take_entry over each element of an XRANGE answer, RESP
 *  bytes, see fuzz_resp.h) with PUBLISHED as the last seq published.
 *  Input: REQUEST bytes, then optionally SEPARATOR and the log's reply.
 *
 *  Invariants: a decode failure is MALFORMED or TOO_LARGE; an accepted
 *  request has at most 32 topics of 256 bytes and max 1..1000; an answer
 *  holds at most max notices, each a Notice with its seq, seqs increasing
 *  in (after, PUBLISHED], each on one of the requested topics, and
 *  scanned_to stays in [after, max (after, PUBLISHED)].
 */
#include "catchup.c"

#include "fuzz.h"
#include "fuzz_resp.h"

#define SEPARATOR "\n--log--\n"
#define PUBLISHED 5000

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    return 0;
}

static void
check_answer (const answer_t *answer)
{
    const Mot__V1__NoticesRequest *asked = answer->request;
    FUZZ_ASSERT (answer->count <= answer->max);
    /* A subscriber ahead of the notifier (after > PUBLISHED) is answered
     * from where it stands, as answer_request answers it. */
    FUZZ_ASSERT (answer->scanned_to >= asked->after
                 && answer->scanned_to <= (asked->after > PUBLISHED ? asked->after : PUBLISHED));
    uint64_t previous = asked->after;
    for (size_t i = 0; i < answer->count; i++) {
        Mot__V1__ErrorCode code;
        Mot__V1__Notice *notice = (Mot__V1__Notice *) mot_wire_unpack_bytes (
            answer->notices[i].data, answer->notices[i].len, &mot__v1__notice__descriptor, SIZE_MAX, &code);
        FUZZ_ASSERT (notice && notice->has_seq);
        FUZZ_ASSERT (notice->seq > previous && notice->seq <= PUBLISHED && notice->seq <= answer->scanned_to);
        previous = notice->seq;
        char *topic = mot_notice_topic (notice);
        FUZZ_ASSERT (topic && topic_wanted (answer, topic));
        free (topic);
        protobuf_c_message_free_unpacked (&notice->base, NULL);
    }
}

static void
answer_from_log (const Mot__V1__NoticesRequest *asked, const redisReply *log)
{
    answer_t answer = {.request = asked, .max = asked->has_max ? asked->max : MAX_NOTICES, .last = PUBLISHED,
                       .scanned_to = asked->after};
    answer.notices = calloc (answer.max, sizeof *answer.notices);
    FUZZ_ASSERT (answer.notices);
    bool failed = false, go_on = asked->after < PUBLISHED;
    for (size_t i = 0; go_on && log && log->type == REDIS_REPLY_ARRAY && i < log->elements; i++)
        go_on = take_entry (&answer, log->element[i], &failed);
    FUZZ_ASSERT (!failed);
    check_answer (&answer);
    for (size_t i = 0; i < answer.count; i++)
        free (answer.notices[i].data);
    free (answer.notices);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const uint8_t *request, *log_bytes;
    size_t request_size, log_size;
    fuzz_split (data, size, SEPARATOR, &request, &request_size, &log_bytes, &log_size);
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    Mot__V1__NoticesRequest *asked = (Mot__V1__NoticesRequest *) mot_wire_unpack_bytes (
        request, request_size, &mot__v1__notices_request__descriptor, CATCHUP_REQUEST_LIMIT, &code);
    if (!asked) {
        FUZZ_ASSERT (code == (request_size > CATCHUP_REQUEST_LIMIT ? MOT__V1__ERROR_CODE__TOO_LARGE
                                                                     : MOT__V1__ERROR_CODE__MALFORMED));
        return 0;
    }
    if (!refused_field (asked)) {
        FUZZ_ASSERT (asked->n_topics <= MAX_TOPICS);
        FUZZ_ASSERT (!asked->has_max || (asked->max >= 1 && asked->max <= MAX_NOTICES));
        redisReply *log = fuzz_resp_reply (log_bytes, log_size);
        answer_from_log (asked, log);
        if (log)
            freeReplyObject (log);
    }
    protobuf_c_message_free_unpacked (&asked->base, NULL);
    return 0;
}
