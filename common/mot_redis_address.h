/*  mot_redis_address — what `--redis` and `--redis-wait` say.
 *
 *  Owns: parsing the three forms of a Redis address,
 *    unix:/path/to/socket
 *    HOST:PORT                          (the last colon separates the port)
 *    sentinel:HOST:PORT[,HOST:PORT…]/MASTER
 *  (the sentinels to ask, in turn, for the address of the master they call
 *  MASTER), and the `--redis-wait REPLICAS[:TIMEOUT_MS]` setting. A
 *  malformed value is refused with a sentence saying what is wrong (for
 *  the caller to print); nothing here connects.
 */
#ifndef MOT_REDIS_ADDRESS_H_INCLUDED
#define MOT_REDIS_ADDRESS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef enum { MOT_REDIS_TCP, MOT_REDIS_UNIX, MOT_REDIS_SENTINEL } mot_redis_kind_t;

typedef struct {
    char *host;
    int port;
} mot_redis_endpoint_t;

typedef struct {
    mot_redis_kind_t kind;
    char *path;                         /* MOT_REDIS_UNIX */
    mot_redis_endpoint_t server;        /* MOT_REDIS_TCP */
    mot_redis_endpoint_t *sentinels;    /* MOT_REDIS_SENTINEL: in the order given */
    size_t sentinel_count;
    char *master;                       /* MOT_REDIS_SENTINEL: the master's name */
} mot_redis_address_t;

/* The most sentinels an address may list. */
#define MOT_REDIS_SENTINELS_MAX 16

/* NULL when `text` is not an address; *error (when not NULL) then says why
 * (a static sentence). */
mot_redis_address_t *mot_redis_address_parse (const char *text, const char **error);
void mot_redis_address_destroy (mot_redis_address_t **self_p);

/* `--redis-wait`: "" or "off" or "0" is no waiting; "REPLICAS" waits up to
 * MOT_REDIS_WAIT_DEFAULT_MS; "REPLICAS:TIMEOUT_MS". REPLICAS 1..100,
 * TIMEOUT_MS 1..3600000 (WAIT's 0, for ever, is refused: an acknowledgement
 * must come back). False, with *error, when malformed. */
#define MOT_REDIS_WAIT_DEFAULT_MS 1000
bool mot_redis_wait_parse (const char *text, int *replicas, int *timeout_ms, const char **error);

#endif
