/*  fuzz_resp_parse — mot_resp, the parser of lent Redis replies
 *  (mot_redis_read_lent), against hiredis's own reader on the same bytes.
 *  Input: the bytes of a Redis connection.
 *
 *  Invariants: a reply mot_resp finds whole is the reply hiredis reads
 *  (same types, integers, string bytes, elements), its strings
 *  NUL-terminated in place, and each cut of it asks for more; when it asks
 *  for more, the bytes are left as they were and hiredis finds no reply
 *  either. mot_resp may refuse what hiredis takes (it is stricter), never
 *  the other way round for a reply it reads.
 */
#include "mot_resp.h"

#include "fuzz.h"
#include "fuzz_resp.h"

#include <stdlib.h>
#include <string.h>

static mot_resp_t *parser;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    parser = mot_resp_new ();
    return parser ? 0 : -1;
}

/* Whether two replies are the same tree. */
static bool
same_reply (const redisReply *ours, const redisReply *theirs)
{
    if (ours->type != theirs->type)
        return false;
    switch (ours->type) {
    case REDIS_REPLY_INTEGER:
        return ours->integer == theirs->integer;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        return ours->len == theirs->len && memcmp (ours->str, theirs->str, ours->len) == 0
            && ours->str[ours->len] == '\0';
    case REDIS_REPLY_ARRAY:
        if (ours->elements != theirs->elements)
            return false;
        for (size_t i = 0; i < ours->elements; i++)
            if (!same_reply (ours->element[i], theirs->element[i]))
                return false;
        return true;
    default:
        return true;
    }
}

/* Every cut of the first `used` bytes asks for more (a few cuts for long
 * replies). */
static void
check_cuts (const uint8_t *data, size_t used)
{
    size_t step = used > 64 ? used / 64 : 1;
    for (size_t cut = 0; cut < used; cut += step) {
        char *piece = fuzz_strndup (data, cut);
        size_t taken = 0;
        redisReply *reply = NULL;
        FUZZ_ASSERT (piece);
        FUZZ_ASSERT (mot_resp_parse (parser, piece, cut, &taken, &reply) == MOT_RESP_MORE);
        FUZZ_ASSERT (memcmp (piece, data, cut) == 0);
        free (piece);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *bytes = fuzz_strndup (data, size);
    FUZZ_ASSERT (bytes);
    size_t used = 0;
    redisReply *ours = NULL;
    mot_resp_status_t status = mot_resp_parse (parser, bytes, size, &used, &ours);
    redisReply *theirs = fuzz_resp_reply (data, size);
    if (status == MOT_RESP_MORE) {
        FUZZ_ASSERT (memcmp (bytes, data, size) == 0);
        FUZZ_ASSERT (theirs == NULL);
    }
    if (status == MOT_RESP_DONE) {
        FUZZ_ASSERT (used > 0 && used <= size);
        /* hiredis refuses inputs declaring arrays longer than they are
         * (fuzz_resp.h), also after the first reply */
        if (theirs)
            FUZZ_ASSERT (same_reply (ours, theirs));
        check_cuts (data, used);
    }
    if (theirs)
        freeReplyObject (theirs);
    free (bytes);
    return 0;
}
