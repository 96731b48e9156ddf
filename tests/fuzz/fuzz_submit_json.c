/*  fuzz_submit_json — motctl submit's input: one line of JSON, read as
 *  motctl reads it (json_loads, duplicate keys refused) and mapped to an
 *  Envelope by mot_json_to_envelope, then validated as intake would, packed
 *  as motctl sends it, and written back to JSON (mot_json_of_message).
 *
 *  Invariants: a refusal names its reason; an envelope that was made packs,
 *  and its bytes decode to an envelope that packs to the same bytes; its
 *  JSON form can be made.
 */
#include "fuzz.h"
#include "mot_catalog.h"
#include "mot_json.h"
#include "mot_validate.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

static mot_catalog_t *territories;
static mot_catalog_t *ons;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    fuzz_shipped_catalogues (&territories, &ons);
    return 0;
}

/* Packed, decoded and packed again: the same bytes. */
static void
check_packs (const Mot__V1__Envelope *envelope)
{
    zframe_t *packed = NULL;
    Mot__V1__Envelope *again = fuzz_repacked (envelope, &packed);
    zframe_t *repacked = mot_wire_frame (&again->base);
    FUZZ_ASSERT (repacked && zframe_eq (packed, repacked));
    zframe_destroy (&repacked);
    protobuf_c_message_free_unpacked (&again->base, NULL);
    zframe_destroy (&packed);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup (data, size);
    if (!text)
        return 0;
    json_error_t parse_error;
    json_t *object = json_loads (text, JSON_REJECT_DUPLICATES, &parse_error);
    free (text);
    if (!object)
        return 0;
    char *error = NULL;
    Mot__V1__Envelope *envelope = mot_json_to_envelope (object, &error);
    json_decref (object);
    FUZZ_ASSERT ((envelope == NULL) == (error != NULL));
    free (error);
    if (!envelope)
        return 0;
    check_packs (envelope);
    mot_validation_t validation;
    (void) mot_validate_envelope (envelope, territories, ons, mot_day_from_ymd (2027, 12, 31), &validation);
    json_t *back = mot_json_of_message (&envelope->base);
    FUZZ_ASSERT (back);
    json_decref (back);
    protobuf_c_message_free_unpacked (&envelope->base, NULL);
    return 0;
}
