/*  fuzz_subscriber — what a subscriber decodes from the notifier
 *  (common/mot_subscriber.c, compiled into this harness so that its static
 *  steps are called as mot_subscriber_next calls them, without sockets):
 *  live messages [topic][Notice], heartbeats [hugz][Heartbeat] and the
 *  catch-up socket's NoticesReply, in any order. Input: records of one
 *  byte K, a two-byte little-endian length L and L bytes:
 *    K % 5 == 0  a live message: the topic up to the first NUL, the rest
 *                the payload (no NUL: one frame only, as a malformed one)
 *    K % 5 == 1  a heartbeat's payload
 *    K % 5 == 2  a catch-up answer (a NoticesReply), taken as fill takes it
 *    K % 5 == 3  a live message of three frames (malformed)
 *    K % 5 == 4  mot_subscriber_since (the first 8 bytes, little-endian)
 *  After each record the notices ready are handed out, as
 *  mot_subscriber_next hands them out.
 *
 *  Invariants: every notice handed out has a seq, the seqs handed out
 *  increase strictly (each notice once, in order), and the cursor is at
 *  least the last seq handed out.
 */
#include "mot_subscriber.c"

#include "fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    return 0;
}

typedef struct {
    bool any;
    uint64_t last;
} handed_t;

static void
hand_out (mot_subscriber_t *self, handed_t *handed, Mot__V1__Notice *notice, char *topic)
{
    FUZZ_ASSERT (notice->has_seq && topic);
    FUZZ_ASSERT (!handed->any || notice->seq > handed->last);
    handed->any = true;
    handed->last = notice->seq;
    FUZZ_ASSERT (self->cursor >= handed->last);
    free (topic);
    protobuf_c_message_free_unpacked (&notice->base, NULL);
}

static void
take_fill (mot_subscriber_t *self, const uint8_t *data, size_t size)
{
    Mot__V1__ErrorCode code;
    Mot__V1__NoticesReply *answer = (Mot__V1__NoticesReply *) mot_wire_unpack_bytes (
        data, size, &mot__v1__notices_reply__descriptor, ANSWER_LIMIT, &code);
    if (!answer)
        return;
    if (!answer->error) {
        warn_if_lost (self, answer);
        bool ok = take_answer (self, answer);
        self->want_fill = ok && answer->has_more && answer->more;
    }
    protobuf_c_message_free_unpacked (&answer->base, NULL);
}

static zmsg_t *
live_message (const uint8_t *data, size_t size, int frames)
{
    zmsg_t *msg = zmsg_new ();
    const uint8_t *nul = size ? memchr (data, 0, size) : NULL;
    size_t topic = nul ? (size_t) (nul - data) : size;
    zmsg_addmem (msg, data, topic);
    if (nul)
        zmsg_addmem (msg, nul + 1, size - topic - 1);
    if (frames == 3)
        zmsg_addmem (msg, "", 0);
    return msg;
}

static void
take_record (mot_subscriber_t *self, handed_t *handed, int kind, const uint8_t *data, size_t size)
{
    if (kind == 0 || kind == 1 || kind == 3) {
        zmsg_t *msg = kind == 1 ? zmsg_new () : live_message (data, size, kind == 3 ? 3 : 2);
        if (kind == 1) {
            zmsg_addstr (msg, MOT_HEARTBEAT_TOPIC);
            zmsg_addmem (msg, data, size);
        }
        char *topic = NULL;
        Mot__V1__Notice *notice = take_live (self, msg, &topic);
        zmsg_destroy (&msg);
        if (notice)
            hand_out (self, handed, notice, topic);
    }
    else
    if (kind == 2)
        take_fill (self, data, size);
    else {
        uint64_t seq = 0;
        for (size_t i = 0; i < 8 && i < size; i++)
            seq |= (uint64_t) data[i] << (8 * i);
        mot_subscriber_since (self, seq);
        handed->any = false;        /* a new start: the seqs after it */
    }
    while (self->head < self->tail) {
        char *topic = NULL;
        Mot__V1__Notice *notice = ready_pop (self, &topic);
        hand_out (self, handed, notice, topic);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    mot_subscriber_t *self = calloc (1, sizeof *self);
    FUZZ_ASSERT (self);
    self->topics = calloc (1, sizeof *self->topics);
    FUZZ_ASSERT (self->topics);
    self->timeout_ms = 2000;
    handed_t handed = {false, 0};
    size_t at = 0;
    while (size - at >= 3) {
        int kind = data[at] % 5;
        size_t length = (size_t) data[at + 1] | (size_t) data[at + 2] << 8;
        at += 3;
        if (length > size - at)
            length = size - at;
        take_record (self, &handed, kind, data + at, length);
        at += length;
    }
    mot_subscriber_destroy (&self);
    return 0;
}
