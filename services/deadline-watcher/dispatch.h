/*  dispatch — what the deadline-watcher does with work from intake.
 *
 *  Owns: decoding Dispatch messages from the intake PULL socket (one frame,
 *  size-limited; anything else is logged and dropped) and applying them:
 *    delivery → clears the obligation "<source>:<report>:<period>"; when the
 *               report is one an after: rule waits for and the period's
 *               month has closed, that obligation waits for fewer reports,
 *               or becomes owed when they are all delivered (period: YYYY-MM
 *               for monthly and after: rules, YYYY-Qn for quarterly ones)
 *    trigger  → for the catalogue rows of the trigger's source:
 *               event:<trigger>       creates "<source>:<code>:<ref>", due n
 *                                     bd after occurred_on
 *               last_update:<trigger> ref = YYYY-MM: creates that month's
 *                                     instance or moves its deadline later
 *               fortnight:<stem>      <stem>_opened / <stem>_closed open and
 *                                     close a follow-up (followup.h)
 *    action   → creates "<source>:<kind>:<action_id>" due on due_on, with the
 *               responsible and the territory of the item it addresses
 *               (queued: up to DISPATCH_BATCH actions in one script call)
 *  The event id leaves mot:pending:watch once the change is committed (in the
 *  same script for deliveries and actions; after the idempotent steps for
 *  triggers and deliveries an after: rule waits for), or at once when
 *  the event cannot apply (unknown report, trigger or kind, period unusable
 *  in an id); when Redis fails it stays pending and intake re-sends it.
 */
#ifndef DISPATCH_H_INCLUDED
#define DISPATCH_H_INCLUDED

#include "followup.h"
#include "obligation.h"
#include "mot_wire.h"
#include <czmq.h>

/* Largest Dispatch accepted: an Envelope at intake's limit plus the wrapping. */
#define DISPATCH_LIMIT (2 * MOT_WIRE_DEFAULT_LIMIT)
/* Most actions created in one script call. */
#define DISPATCH_BATCH 500

typedef struct _dispatch_t dispatch_t;

dispatch_t *dispatch_new (mot_redis_t *redis, mot_obligations_t *catalogue, obligation_store_t *store,
                          followup_t *followup);
void dispatch_destroy (dispatch_t **self_p);
/* Handles one message received from intake (takes ownership). Actions are
 * queued and created a batch at a time: call dispatch_flush once the
 * messages at hand are handled. Any other message flushes the queue first,
 * so intake's order is kept. */
void dispatch_handle (dispatch_t *self, zmsg_t **msg_p, int64_t now);
/* Creates the queued actions' obligations (one pipelined read of their
 * items' territories, one script call). */
void dispatch_flush (dispatch_t *self, int64_t now);

#endif
