/*  mot_redis_address — parsing `--redis` and `--redis-wait` (see the header).
 */
#include "mot_redis_address.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SENTINEL_PREFIX "sentinel:"
#define UNIX_PREFIX "unix:"
#define MASTER_NAME_MAX 64

static bool
refuse (const char **error, const char *why)
{
    if (error)
        *error = why;
    return false;
}

/* A decimal number in [min, max] filling the `length` bytes at `text`. */
static bool
number_in (const char *text, size_t length, long min, long max, long *value)
{
    if (length == 0 || length > 9)
        return false;
    long n = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        n = n * 10 + (text[i] - '0');
    }
    *value = n;
    return n >= min && n <= max;
}

/* A host name or address: no white space and none of the separators the
 * address syntax uses. */
static bool
host_is_valid (const char *host, size_t length)
{
    if (length == 0)
        return false;
    for (size_t i = 0; i < length; i++)
        if (host[i] <= ' ' || host[i] == ',' || host[i] == '/' || host[i] == 0x7f)
            return false;
    return true;
}

/* "HOST:PORT" or "[IPV6]:PORT" in the `length` bytes at `text`. */
static bool
endpoint_parse (const char *text, size_t length, mot_redis_endpoint_t *endpoint, const char **error)
{
    const char *colon = NULL;
    for (size_t i = length; i > 0; i--)
        if (text[i - 1] == ':') {
            colon = text + i - 1;
            break;
        }
    if (!colon)
        return refuse (error, "a server must be HOST:PORT (no port given)");
    const char *host = text;
    size_t host_length = (size_t) (colon - text);
    if (host_length >= 2 && host[0] == '[' && host[host_length - 1] == ']') {
        host++;
        host_length -= 2;
    }
    if (!host_is_valid (host, host_length))
        return refuse (error, "a server's host is empty or holds a space, ',' or '/'");
    long port;
    if (!number_in (colon + 1, (size_t) (text + length - colon - 1), 1, 65535, &port))
        return refuse (error, "a port must be a number from 1 to 65535");
    endpoint->host = strndup (host, host_length);
    endpoint->port = (int) port;
    return endpoint->host ? true : refuse (error, "out of memory");
}

static bool
master_name_is_valid (const char *name)
{
    size_t length = strlen (name);
    if (length == 0 || length > MASTER_NAME_MAX)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
              || c == '-'))
            return false;
    }
    return true;
}

/* "HOST:PORT[,HOST:PORT…]/MASTER" (after "sentinel:"). */
static bool
sentinels_parse (mot_redis_address_t *self, const char *text, const char **error)
{
    const char *slash = strrchr (text, '/');
    if (!slash)
        return refuse (error, "a sentinel address must end with /MASTER (the name the sentinels monitor)");
    if (!master_name_is_valid (slash + 1))
        return refuse (error, "the master's name must be 1 to 64 letters, digits, '.', '_' or '-'");
    self->master = strdup (slash + 1);
    self->sentinels = calloc (MOT_REDIS_SENTINELS_MAX, sizeof *self->sentinels);
    if (!self->master || !self->sentinels)
        return refuse (error, "out of memory");
    const char *at = text;
    while (at <= slash) {
        const char *end = memchr (at, ',', (size_t) (slash - at));
        if (!end)
            end = slash;
        if (self->sentinel_count == MOT_REDIS_SENTINELS_MAX)
            return refuse (error, "more than 16 sentinels");
        if (end == at)
            return refuse (error, "an empty sentinel in the list (HOST:PORT,HOST:PORT…)");
        if (!endpoint_parse (at, (size_t) (end - at), &self->sentinels[self->sentinel_count], error))
            return false;
        self->sentinel_count++;
        at = end + 1;
    }
    return true;
}

static bool
address_fill (mot_redis_address_t *self, const char *text, const char **error)
{
    if (strncmp (text, SENTINEL_PREFIX, strlen (SENTINEL_PREFIX)) == 0) {
        self->kind = MOT_REDIS_SENTINEL;
        return sentinels_parse (self, text + strlen (SENTINEL_PREFIX), error);
    }
    if (strncmp (text, UNIX_PREFIX, strlen (UNIX_PREFIX)) == 0) {
        self->kind = MOT_REDIS_UNIX;
        if (!text[strlen (UNIX_PREFIX)])
            return refuse (error, "unix: needs the socket's path");
        self->path = strdup (text + strlen (UNIX_PREFIX));
        return self->path ? true : refuse (error, "out of memory");
    }
    self->kind = MOT_REDIS_TCP;
    return endpoint_parse (text, strlen (text), &self->server, error);
}

mot_redis_address_t *
mot_redis_address_parse (const char *text, const char **error)
{
    if (!text || !*text) {
        refuse (error, "no address: unix:/path, HOST:PORT or sentinel:HOST:PORT[,HOST:PORT…]/MASTER");
        return NULL;
    }
    mot_redis_address_t *self = calloc (1, sizeof *self);
    if (!self) {
        refuse (error, "out of memory");
        return NULL;
    }
    if (!address_fill (self, text, error))
        mot_redis_address_destroy (&self);
    return self;
}

void
mot_redis_address_destroy (mot_redis_address_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_redis_address_t *self = *self_p;
    for (size_t i = 0; i < self->sentinel_count; i++)
        free (self->sentinels[i].host);
    free (self->sentinels);
    free (self->master);
    free (self->server.host);
    free (self->path);
    free (self);
    *self_p = NULL;
}

bool
mot_redis_wait_parse (const char *text, int *replicas, int *timeout_ms, const char **error)
{
    *replicas = 0;
    *timeout_ms = MOT_REDIS_WAIT_DEFAULT_MS;
    if (!text || !*text || strcmp (text, "off") == 0 || strcmp (text, "0") == 0)
        return true;
    const char *colon = strchr (text, ':');
    size_t length = colon ? (size_t) (colon - text) : strlen (text);
    long n, ms = MOT_REDIS_WAIT_DEFAULT_MS;
    if (!number_in (text, length, 1, 100, &n))
        return refuse (error, "--redis-wait must be off or REPLICAS[:TIMEOUT_MS], REPLICAS from 1 to 100");
    if (colon && !number_in (colon + 1, strlen (colon + 1), 1, 3600000, &ms))
        return refuse (error, "--redis-wait's TIMEOUT_MS must be a number of milliseconds from 1 to 3600000");
    *replicas = (int) n;
    *timeout_ms = (int) ms;
    return true;
}
