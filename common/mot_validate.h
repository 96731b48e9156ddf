/*  mot_validate — field-level validation of what enters through intake.
 *
 *  Owns: the rules an Envelope must meet before anything touches Redis:
 *  required fields, source/body consistency (a queja comes from UAD, a media
 *  event from UCS, a DOE finding from UEOD or CV, a risk finding from CAPSOI),
 *  enum values, scores 1..10, dates (strict YYYY-MM-DD, not before 2000, not
 *  after today + 1 day), string lengths, valid UTF-8, territory codes from
 *  the territory catalogue and ON codes from the ON catalogue (an override's
 *  ON; an action's responsible, an ON or an OOAD/UMAE code). The
 *  Coordinación Administrativa (CA) only delivers reports.
 */
#ifndef MOT_VALIDATE_H_INCLUDED
#define MOT_VALIDATE_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_date.h"

#define MOT_MAX_ID_LENGTH 128       /* external ids, references, codes */
#define MOT_MAX_TOPIC_LENGTH 200    /* reasons, themes, topics (code points) */
#define MOT_MAX_TEXT_LENGTH 4000    /* descriptions, headlines (code points) */
#define MOT_MAX_LIST_LENGTH 1000    /* values of a repeated field (items of a session) */

typedef struct {
    Mot__V1__ErrorCode code;        /* ERROR_UNSPECIFIED when valid */
    const char *field;              /* static text, e.g. "queja.received_on" */
    char reason[160];               /* filled by the validator (bounded, our own text) */
} mot_validation_t;

/* True when the envelope may be accepted. `today` is the local date of the
 * service clock; `territories` may be NULL to skip the territory check, `ons`
 * NULL to skip the ON check. */
bool mot_validate_envelope (const Mot__V1__Envelope *envelope, mot_catalog_t *territories, mot_catalog_t *ons,
                            mot_day_t today, mot_validation_t *result);

#endif
