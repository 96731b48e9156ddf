/*  fuzz_resp — Redis replies from fuzz input (see fuzz_resp.h).
 */
#include "fuzz_resp.h"

redisReply *
fuzz_resp_reply (const uint8_t *data, size_t size)
{
    redisReader *reader = redisReaderCreate ();
    if (!reader)
        return NULL;
    void *reply = NULL;
    if (redisReaderFeed (reader, (const char *) data, size) != REDIS_OK
        || redisReaderGetReply (reader, &reply) != REDIS_OK)
        reply = NULL;
    redisReaderFree (reader);
    return reply;
}
