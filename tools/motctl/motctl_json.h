/*  motctl_json — JSON objects to and from contract messages.
 *
 *  Owns: building a mot.v1.Envelope from one JSON object of the submit
 *  format ({"type": "queja", "source": "UAD", "external_id": "…", <the body's
 *  fields>}), by the contract's own descriptors, so a field added to
 *  proto/mot.proto is accepted here with no code change. Keys starting with
 *  '_' are comments and ignored; any other unknown key, or a value of the
 *  wrong JSON type, is an error that names the key.
 */
#ifndef MOTCTL_JSON_H_INCLUDED
#define MOTCTL_JSON_H_INCLUDED

#include "mot.pb-c.h"
#include <jansson.h>

/* A new envelope (free with protobuf_c_message_free_unpacked (&e->base,
 * NULL)), or NULL with *error (malloc'd). An unknown "type" gives an envelope
 * without a body, for intake to answer UNKNOWN_TYPE. */
Mot__V1__Envelope *motctl_json_to_envelope (json_t *object, char **error);

#endif
