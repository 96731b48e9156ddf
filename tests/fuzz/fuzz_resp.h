/*  fuzz_resp — Redis replies from fuzz input, built by hiredis's own reader
 *  from the bytes of the Redis protocol (RESP), exactly as a reply from
 *  Redis reaches the services.
 */
#ifndef FUZZ_RESP_H_INCLUDED
#define FUZZ_RESP_H_INCLUDED

#include <hiredis/hiredis.h>
#include <stddef.h>
#include <stdint.h>

/* The first reply the bytes hold, or NULL when they hold no whole reply, a
 * protocol error, or declare an array longer than the input (which
 * hiredis would allocate whole). Free with freeReplyObject. */
redisReply *fuzz_resp_reply (const uint8_t *data, size_t size);

#endif
