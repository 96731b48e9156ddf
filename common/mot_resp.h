/*  mot_resp — Redis's protocol (RESP2) read in place: many replies out of
 *  one buffer without an allocation or a copy each (what mot_redis's lent
 *  replies are built with).
 *
 *  Owns: parsing the reply at the start of a byte buffer into redisReply
 *  nodes, the shape hiredis gives, so callers read both alike. The nodes
 *  live in the parser's own arrays, reused by its next parse (they are not
 *  freed with freeReplyObject); strings point into the buffer and are
 *  NUL-terminated there (the '\r' after each is overwritten), so the buffer
 *  must be writable and must outlive the reply. Reads what Redis writes:
 *  + (status), - (error), : (integer), $ (bulk string, $-1 nil), * (array,
 *  *-1 nil), up to MOT_RESP_MAX_DEPTH arrays one inside another.
 *  Stricter than hiredis on malformed input (a number that is not one, a
 *  length below -1, a bulk string not followed by CRLF: invalid). Nothing
 *  is allocated before the whole reply is in the buffer, so a declared
 *  length costs memory only once its bytes have come.
 */
#ifndef MOT_RESP_H_INCLUDED
#define MOT_RESP_H_INCLUDED

#include <hiredis/hiredis.h>
#include <stddef.h>

#define MOT_RESP_MAX_DEPTH 7

typedef enum {
    MOT_RESP_DONE,              /* a whole reply */
    MOT_RESP_MORE,              /* only part of one: nothing was changed */
    MOT_RESP_INVALID            /* not RESP, or out of memory */
} mot_resp_status_t;

typedef struct _mot_resp_t mot_resp_t;

/* NULL on allocation failure. */
mot_resp_t *mot_resp_new (void);
void mot_resp_destroy (mot_resp_t **self_p);

/* Parses the reply at the start of bytes[0, size): DONE with *reply and
 * the bytes it took in *used; MORE or INVALID leave both as they were. */
mot_resp_status_t mot_resp_parse (mot_resp_t *self, char *bytes, size_t size, size_t *used, redisReply **reply);

#endif
