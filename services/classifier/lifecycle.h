/*  lifecycle — the commands that move an item through its stages
 *  (MOT-SPEC §8), as the classifier hands them to commit.lua.
 *
 *  Owns: which Envelope bodies are lifecycle commands, and for each the
 *  keys it touches (the REF records of mot_scripts.h's LIFECYCLE layout),
 *  looked up in Redis where the command does not name them (the items of
 *  an action; a closing item's index and dedup keys). The rules themselves
 *  are in lib/lifecycle.lua, applied in the same atomic step as the
 *  evidence and overrides of the batch:
 *
 *  - action (ActionDue with items): accion-correctiva on any open item (it
 *    enters seguimiento from identificacion or monitoreo), acuerdo on items
 *    in mejora_continua that its session covers, recomendacion on items in
 *    monitoreo or mejora_continua; then its due date goes to the
 *    deadline-watcher;
 *  - progress (a % avance at a cut-off date) and verification (verified or
 *    rejected) of an action, agreement or recommendation of the unit; a
 *    verified 100 % report completes it, and an item whose work is all
 *    complete goes to monitoreo (valoración);
 *  - reschedule: a new due date, kept in the trail;
 *  - start_monitoring (with a reason) and valuation (residual scores and
 *    resolved or residual; outside monitoreo only with a reason);
 *  - session: a sesión de consenso covering residual items, which enter
 *    mejora_continua;
 *  - closure of an item valued resolved in monitoreo, and reopen.
 *  Anything else is refused with a Refusal (proto) and changes nothing.
 */
#ifndef LIFECYCLE_H_INCLUDED
#define LIFECYCLE_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_call.h"
#include "mot_redis.h"
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct _lifecycle_command_t lifecycle_command_t;

/* Whether the classifier applies this envelope as a lifecycle command (an
 * ActionDue without items only sets a deadline: the watcher's). */
bool lifecycle_is_command (const Mot__V1__Envelope *envelope);

/* The command of a dispatched envelope; NULL when out of memory or not a
 * command. */
lifecycle_command_t *lifecycle_command_new (const char *event_id, const Mot__V1__Envelope *envelope);
void lifecycle_command_destroy (lifecycle_command_t **self_p);
const char *lifecycle_command_event_id (const lifecycle_command_t *self);

/* Looks up, with one pipelined round trip, the keys the commands among
 * commands[0..count) need and do not name yet. The items of a work never
 * change once it is recorded: `known` (work id → "it-1,it-2", owned
 * strings) remembers them, so a work's later commands need no look-up.
 * False when Redis failed. */
bool lifecycle_look_up (mot_redis_t *redis, lifecycle_command_t **commands, size_t count, zhashx_t *known);
/* Remembers the items of the work an applied action recorded. */
void lifecycle_command_remember (const lifecycle_command_t *self, zhashx_t *known);
void lifecycle_remember_items (zhashx_t *known, const char *work_id, const char *items);
/* The most works whose items are remembered (then it starts afresh). */
#define LIFECYCLE_KNOWN_MAX 100000

/* The item a closure or a reopening concerns (NULL for other commands). */
const char *lifecycle_command_item_step (const lifecycle_command_t *self);
/* Adds a dedup key of the item's events that Redis does not list yet (an
 * event of the same batch, before the closure); false when out of memory. */
bool lifecycle_command_add_dedup (lifecycle_command_t *self, const char *dedup_key);

/* The keys and arguments the command takes in commit.lua's call (its
 * LIFECYCLE record and its REF records). */
size_t lifecycle_command_keys (const lifecycle_command_t *self);
size_t lifecycle_command_args (const lifecycle_command_t *self);
/* Sets them from key position *k and argument position *a on, and moves
 * both past them. */
void lifecycle_command_fill (lifecycle_command_t *self, mot_call_t *call, size_t *k, size_t *a);

#endif
