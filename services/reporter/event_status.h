/*  event_status — what became of one event (a STATUS query).
 *
 *  Owns: reading an event's outcome from Redis and saying it as JSON:
 *    {"event_id":"ev-9","type":"closure","source":"UEOD","status":"refused",
 *     "refusal":"NOT_RESOLVED","reason":"it-4 has no valuation …","done_at":1795340000}
 *  status is "pending" while a service still has to apply it (then
 *  "pending_at" names it: classifier or deadline-watcher), "applied" (with
 *  the item it concerns, when there is one) or "refused" (with the
 *  proto's Refusal name and a reason). An event the watcher took
 *  (deliveries, triggers, due dates) is applied once it left its pending
 *  set. An action on items is applied when the classifier applied it; its
 *  due date may still be on its way to the watcher ("pending_at").
 */
#ifndef EVENT_STATUS_H_INCLUDED
#define EVENT_STATUS_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_redis.h"
#include <stddef.h>

/* The JSON (one line, newline-terminated; caller frees) of *size bytes, or
 * NULL with *code: MISSING_FIELD (no event id), INVALID_VALUE (no such
 * event), UNAVAILABLE, INTERNAL. */
char *event_status_json (mot_redis_t *redis, const char *event_id, size_t *size, Mot__V1__ErrorCode *code);

#endif
