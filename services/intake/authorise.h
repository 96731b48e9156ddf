/*  authorise — what intake lets a certified peer submit (issue #12).
 *
 *  Owns: sorting an envelope into an event (queja, media, findings,
 *  deliveries, triggers) or an analyst command (override, action, progress,
 *  verification, reschedule, monitoring, valuation, session, closure,
 *  reopen), asking mot_peer whether the sender may send it as the
 *  envelope's source unit and, for a command about items, whether one of
 *  its units found each item (an analyst of UEOD acts on the items UEOD
 *  detected, not on CAPSOI's; reading the item's units from Redis), and
 *  writing the certificate's name into the
 *  command's `analyst`, so that audit trails record who really sent it
 *  (a service's commands keep theirs: it relays for analysts it
 *  authenticated itself).
 */
#ifndef AUTHORISE_H_INCLUDED
#define AUTHORISE_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_peer.h"
#include "mot_redis.h"

#include <stdbool.h>

typedef enum {
    AUTHORISE_ALLOWED,
    AUTHORISE_FORBIDDEN,        /* outside the certificate: nothing may be stored */
    AUTHORISE_UNAVAILABLE,      /* the items' units could not be read: retry */
    AUTHORISE_NO_MEMORY
} authorise_result_t;

/* Decides on `envelope` from `peer`; when allowed and the peer is
 * certified (not as a service), a command's analyst becomes the
 * certificate's name. `reason`
 * (static text) says why it is forbidden. */
authorise_result_t authorise_envelope (Mot__V1__Envelope *envelope, const mot_peer_t *peer, mot_redis_t *redis,
                                       const char **reason);

#endif
