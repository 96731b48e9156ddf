/*  mot_call — the KEYS and ARGV of one Lua script call, set by position.
 *
 *  Owns: laying out a call as common/mot_scripts.h declares it: `keys` keys
 *  then `args` arguments, each set by its index (the layout's enums; a
 *  record's index is its base plus the record layout's enum), and running
 *  it (EVALSHA now, or appended to a pipeline). Values are borrowed: they
 *  must outlive the call. An index set twice, or left unset, is a bug the
 *  run refuses (logged), so a caller that forgets a position fails loudly.
 */
#ifndef MOT_CALL_H_INCLUDED
#define MOT_CALL_H_INCLUDED

#include "mot_redis.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    size_t keys, args;
    const char **argv;              /* keys, then args */
    size_t *lengths;
    bool failed;                    /* out of memory, or an index out of range */
} mot_call_t;

/* False when out of memory (the call then refuses to run; free it anyway). */
bool mot_call_init (mot_call_t *self, size_t keys, size_t args);
void mot_call_free (mot_call_t *self);

void mot_call_key (mot_call_t *self, size_t index, const char *key);
/* A C string argument; NULL is sent as "". */
void mot_call_arg (mot_call_t *self, size_t index, const char *value);
void mot_call_bytes (mot_call_t *self, size_t index, const void *data, size_t size);

/* Runs the script (mot_redis_eval); NULL when Redis is unavailable or the
 * call is incomplete. */
redisReply *mot_call_eval (mot_call_t *self, mot_redis_t *redis, mot_script_t *script);
/* Appends the script call to the pipeline (mot_redis_append_eval). */
bool mot_call_append (mot_call_t *self, mot_redis_t *redis, mot_script_t *script);

#endif
