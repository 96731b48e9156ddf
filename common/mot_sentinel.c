/*  mot_sentinel — asking Redis Sentinel where the master is (see the
 *  header). One short-lived hiredis connection per question: a service asks
 *  only when it (re)connects to Redis.
 */
#include "mot_sentinel.h"
#include "mot_log.h"

#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

static void
log_unusable (const mot_redis_endpoint_t *sentinel, const char *master, const char *reason)
{
    mot_log_warn ("sentinel_unusable", "sentinel=%s:%d master=%s reason=\"%s\"", sentinel->host, sentinel->port,
                  master, reason);
}

/* AUTH user password; true when not needed. */
static bool
authenticate (redisContext *context, const char *user, const char *password, const char **reason)
{
    if (!user)
        return true;
    const char *argv[] = {"AUTH", user, password};
    redisReply *reply = redisCommandArgv (context, 3, argv, NULL);
    bool ok = reply && reply->type == REDIS_REPLY_STATUS;
    if (!ok)
        *reason = reply ? "AUTH refused" : context->errstr;
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* Reads get-master-addr-by-name's answer: [host, port]. */
static bool
read_master (const redisReply *reply, char **host, int *port, const char **reason)
{
    if (reply->type == REDIS_REPLY_NIL || (reply->type == REDIS_REPLY_ARRAY && reply->elements == 0)) {
        *reason = "does not know the master";
        return false;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        *reason = reply->str;
        return false;
    }
    long parsed = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
                       && reply->element[0]->type == REDIS_REPLY_STRING
                       && reply->element[1]->type == REDIS_REPLY_STRING
                      ? strtol (reply->element[1]->str, NULL, 10)
                      : 0;
    if (parsed <= 0 || parsed > 65535) {
        *reason = "an answer that is not [host, port]";
        return false;
    }
    *host = strdup (reply->element[0]->str);
    *port = (int) parsed;
    *reason = "out of memory";
    return *host != NULL;
}

/* One sentinel's answer. */
static bool
ask_one (const mot_redis_endpoint_t *sentinel, const char *master, const char *user, const char *password,
         char **host, int *port)
{
    struct timeval timeout = {MOT_SENTINEL_TIMEOUT_MS / 1000, (MOT_SENTINEL_TIMEOUT_MS % 1000) * 1000};
    redisContext *context = redisConnectWithTimeout (sentinel->host, sentinel->port, timeout);
    const char *reason = "out of memory";
    bool ok = context && !context->err && redisSetTimeout (context, timeout) == REDIS_OK;
    if (context && context->err)
        reason = context->errstr;
    ok = ok && authenticate (context, user, password, &reason);
    if (ok) {
        const char *argv[] = {"SENTINEL", "get-master-addr-by-name", master};
        redisReply *reply = redisCommandArgv (context, 3, argv, NULL);
        ok = reply && read_master (reply, host, port, &reason);
        if (!reply)
            reason = context->errstr;
        if (reply)
            freeReplyObject (reply);
    }
    if (!ok)
        log_unusable (sentinel, master, reason);
    if (context)
        redisFree (context);
    return ok;
}

/* Puts sentinel `index` at the head of the list, the others keeping their
 * order. */
static void
move_to_front (mot_redis_address_t *address, size_t index)
{
    mot_redis_endpoint_t first = address->sentinels[index];
    memmove (address->sentinels + 1, address->sentinels, index * sizeof *address->sentinels);
    address->sentinels[0] = first;
}

bool
mot_sentinel_ask_master (mot_redis_address_t *address, const char *user, const char *password, char **host,
                         int *port)
{
    for (size_t i = 0; i < address->sentinel_count; i++)
        if (ask_one (&address->sentinels[i], address->master, user, password, host, port)) {
            move_to_front (address, i);
            return true;
        }
    return false;
}
