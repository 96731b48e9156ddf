/*  authorise — what intake lets a certified peer submit (see authorise.h).
 */
#include "authorise.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

/* The `analyst` field of an analyst command, NULL for an event. */
static char **
analyst_of (Mot__V1__Envelope *envelope)
{
    switch (envelope->body_case) {
    case MOT__V1__ENVELOPE__BODY_OVERRIDE: return &envelope->override->analyst;
    case MOT__V1__ENVELOPE__BODY_ACTION: return &envelope->action->analyst;
    case MOT__V1__ENVELOPE__BODY_PROGRESS: return &envelope->progress->analyst;
    case MOT__V1__ENVELOPE__BODY_VERIFICATION: return &envelope->verification->analyst;
    case MOT__V1__ENVELOPE__BODY_RESCHEDULE: return &envelope->reschedule->analyst;
    case MOT__V1__ENVELOPE__BODY_START_MONITORING: return &envelope->start_monitoring->analyst;
    case MOT__V1__ENVELOPE__BODY_VALUATION: return &envelope->valuation->analyst;
    case MOT__V1__ENVELOPE__BODY_SESSION: return &envelope->session->analyst;
    case MOT__V1__ENVELOPE__BODY_CLOSURE: return &envelope->closure->analyst;
    case MOT__V1__ENVELOPE__BODY_REOPEN: return &envelope->reopen->analyst;
    default: return NULL;
    }
}

authorise_result_t
authorise_envelope (Mot__V1__Envelope *envelope, const mot_peer_t *peer, const char **reason)
{
    const char *unit = envelope->has_source ? mot_source_name (envelope->source) : NULL;
    char **analyst = envelope->body_case == MOT__V1__ENVELOPE__BODY__NOT_SET ? NULL : analyst_of (envelope);
    if (!peer->certified)
        return AUTHORISE_ALLOWED;       /* CURVE off: what the client wrote stands */
    if (!unit || !*unit)
        return AUTHORISE_ALLOWED;       /* no source: validation refuses it */
    if (analyst && !mot_peer_may_command_for (peer, unit)) {
        *reason = "this certificate may not record analyst commands for this unit";
        return AUTHORISE_FORBIDDEN;
    }
    if (!analyst && !mot_peer_may_publish_as (peer, unit)) {
        *reason = "this certificate may not publish as this unit";
        return AUTHORISE_FORBIDDEN;
    }
    if (analyst && !mot_peer_is_service (peer)) {       /* a service relays: its analyst stands */
        char *name = strdup (peer->name);
        if (!name)
            return AUTHORISE_NO_MEMORY;
        free (*analyst);
        *analyst = name;
    }
    return AUTHORISE_ALLOWED;
}
