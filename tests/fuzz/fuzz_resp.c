/*  fuzz_resp — Redis replies from fuzz input (see fuzz_resp.h).
 */
#include "fuzz_resp.h"

#include <stdbool.h>
#include <stdlib.h>

/* Whether the bytes declare an array of more elements than they have
 * bytes: hiredis allocates a declared array whole before reading it, so
 * "*2000000000" alone takes 16 GB (hiredis's limit, not the services'). */
static bool
declares_too_many (const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (data[i] == '*') {
            unsigned long long count = 0;
            for (size_t j = i + 1; j < size && data[j] >= '0' && data[j] <= '9' && count <= size; j++)
                count = count * 10 + (unsigned long long) (data[j] - '0');
            if (count > size)
                return true;
        }
    return false;
}

redisReply *
fuzz_resp_reply (const uint8_t *data, size_t size)
{
    if (declares_too_many (data, size))
        return NULL;
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
