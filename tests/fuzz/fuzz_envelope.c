/*  fuzz_envelope — intake's door: the bytes of one request, decoded as
 *  intake decodes them (mot_wire_unpack_bytes with the 64 KiB limit),
 *  validated against the shipped territory and ON catalogues
 *  (mot_validate_envelope), a valid queja's personal data replaced
 *  (services/intake/pii.c), packed again as intake stores it, and turned
 *  into JSON as the classifier hands bodies to commit.lua (mot_json).
 *
 *  Invariants: a refusal is MALFORMED or TOO_LARGE (TOO_LARGE exactly above
 *  the limit); a refused envelope has a reason and a code; an accepted
 *  queja carries no person, and a person_ref only as intake makes it
 *  ("p-" and 32 hex digits: never one the sender wrote); what intake
 *  stores decodes again and is valid again.
 */
#include "fuzz.h"
#include "mot_catalog.h"
#include "mot_json.h"
#include "mot_validate.h"
#include "mot_wire.h"
#include "pii.h"

#include <stdlib.h>
#include <string.h>

static mot_catalog_t *territories;
static mot_catalog_t *ons;
static pii_t *pii;
static mot_day_t today;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    fuzz_shipped_catalogues (&territories, &ons);
    static const char key[] = "a fuzzing key, not a secret, 32 bytes";
    pii = pii_new (fuzz_file (3, (const uint8_t *) key, sizeof key - 1));
    FUZZ_ASSERT (pii);
    today = mot_day_from_ymd (2027, 12, 31);
    return 0;
}

/* What intake stores for an accepted envelope: decodes and validates again. */
static void
check_stored (const Mot__V1__Envelope *envelope)
{
    zframe_t *packed = NULL;
    Mot__V1__Envelope *again = fuzz_repacked (envelope, &packed);
    mot_validation_t validation;
    FUZZ_ASSERT (mot_validate_envelope (again, territories, ons, today, &validation));
    FUZZ_ASSERT (again->body_case == envelope->body_case);
    FUZZ_ASSERT (strcmp (again->external_id, envelope->external_id) == 0);
    protobuf_c_message_free_unpacked (&again->base, NULL);
    zframe_destroy (&packed);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    Mot__V1__Envelope *envelope = (Mot__V1__Envelope *) mot_wire_unpack_bytes (
        data, size, &mot__v1__envelope__descriptor, MOT_WIRE_DEFAULT_LIMIT, &code);
    if (!envelope) {
        FUZZ_ASSERT (code == (size > MOT_WIRE_DEFAULT_LIMIT ? MOT__V1__ERROR_CODE__TOO_LARGE
                                                              : MOT__V1__ERROR_CODE__MALFORMED));
        return 0;
    }
    mot_validation_t validation;
    memset (&validation, 0, sizeof validation);
    bool valid = mot_validate_envelope (envelope, territories, ons, today, &validation);
    if (!valid) {
        FUZZ_ASSERT (validation.code != MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED);
        FUZZ_ASSERT (memchr (validation.reason, '\0', sizeof validation.reason));
    }
    if (valid && envelope->body_case == MOT__V1__ENVELOPE__BODY_QUEJA) {
        FUZZ_ASSERT (pii_pseudonymise (pii, envelope->queja));
        const char *ref = envelope->queja->person_ref;
        FUZZ_ASSERT (envelope->queja->person == NULL);
        FUZZ_ASSERT (!ref || (strlen (ref) == 34 && strncmp (ref, "p-", 2) == 0
                              && strspn (ref + 2, "0123456789abcdef") == 32));
    }
    if (valid) {
        check_stored (envelope);
        char *json = mot_json_text_of_message (&envelope->base);
        FUZZ_ASSERT (json);
        free (json);
    }
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
    return 0;
}
