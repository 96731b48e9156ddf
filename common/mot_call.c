/*  mot_call — the KEYS and ARGV of one Lua script call (see mot_call.h).
 */
#include "mot_call.h"
#include "mot_log.h"

#include <stdlib.h>
#include <string.h>

bool
mot_call_init (mot_call_t *self, size_t keys, size_t args)
{
    memset (self, 0, sizeof *self);
    self->keys = keys;
    self->args = args;
    size_t total = keys + args;
    self->argv = calloc (total + 1, sizeof *self->argv);
    self->lengths = calloc (total + 1, sizeof *self->lengths);
    self->failed = !self->argv || !self->lengths;
    return !self->failed;
}

void
mot_call_free (mot_call_t *self)
{
    free (self->argv);
    free (self->lengths);
    memset (self, 0, sizeof *self);
}

static void
set_slot (mot_call_t *self, size_t slot, const char *value, size_t size)
{
    if (self->failed)
        return;
    if (slot >= self->keys + self->args || self->argv[slot]) {
        mot_log_error ("script_call_invalid", "slot=%zu keys=%zu args=%zu reason=\"%s\"", slot, self->keys,
                       self->args, slot >= self->keys + self->args ? "out of range" : "set twice");
        self->failed = true;
        return;
    }
    self->argv[slot] = value;
    self->lengths[slot] = size;
}

void
mot_call_key (mot_call_t *self, size_t index, const char *key)
{
    set_slot (self, index < self->keys ? index : self->keys + self->args, key ? key : "", key ? strlen (key) : 0);
}

void
mot_call_arg (mot_call_t *self, size_t index, const char *value)
{
    mot_call_bytes (self, index, value ? value : "", value ? strlen (value) : 0);
}

void
mot_call_bytes (mot_call_t *self, size_t index, const void *data, size_t size)
{
    set_slot (self, index < self->args ? self->keys + index : self->keys + self->args, data ? data : "", size);
}

/* Whether every slot is set. */
static bool
is_complete (mot_call_t *self)
{
    for (size_t i = 0; !self->failed && i < self->keys + self->args; i++)
        if (!self->argv[i]) {
            mot_log_error ("script_call_invalid", "slot=%zu keys=%zu args=%zu reason=unset", i, self->keys,
                           self->args);
            self->failed = true;
        }
    return !self->failed;
}

redisReply *
mot_call_eval (mot_call_t *self, mot_redis_t *redis, mot_script_t *script)
{
    if (!is_complete (self))
        return NULL;
    return mot_redis_eval (redis, script, (int) self->keys, (int) (self->keys + self->args), self->argv,
                           self->lengths);
}

bool
mot_call_append (mot_call_t *self, mot_redis_t *redis, mot_script_t *script)
{
    return is_complete (self)
           && mot_redis_append_eval (redis, script, (int) self->keys, (int) (self->keys + self->args), self->argv,
                                     self->lengths);
}
