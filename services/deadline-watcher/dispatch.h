/*  dispatch — what the deadline-watcher does with work from intake.
 *
 *  Owns: decoding Dispatch messages from the intake PULL socket (one frame,
 *  size-limited; anything else is logged and dropped) and applying them:
 *    delivery → clears the obligation "<source>:<report>:<period>"
 *    trigger  → creates the event obligations of the catalogue whose unit is
 *               the trigger's source and whose rule is event:<trigger>,
 *               period = the trigger's ref, due n business days after
 *               occurred_on.
 *  The event id leaves mot:pending:watch once the change is committed (in the
 *  same script for deliveries; after the idempotent creations for triggers),
 *  or at once when the event cannot apply (unknown report or trigger, period
 *  unusable in an id); when Redis fails it stays pending and intake re-sends it.
 */
#ifndef DISPATCH_H_INCLUDED
#define DISPATCH_H_INCLUDED

#include "obligation.h"
#include "mot_wire.h"
#include <czmq.h>

/* Largest Dispatch accepted: an Envelope at intake's limit plus the wrapping. */
#define DISPATCH_LIMIT (2 * MOT_WIRE_DEFAULT_LIMIT)

typedef struct _dispatch_t dispatch_t;

dispatch_t *dispatch_new (mot_redis_t *redis, mot_obligations_t *catalogue, mot_calendar_t *calendar,
                          obligation_store_t *store);
void dispatch_destroy (dispatch_t **self_p);
/* Handles one message received from intake (takes ownership). */
void dispatch_handle (dispatch_t *self, zmsg_t **msg_p, int64_t now);

#endif
