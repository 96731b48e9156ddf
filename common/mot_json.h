/*  mot_json — contract messages to and from JSON, by reflection on the
 *  protobuf-c descriptors, so a field added to proto/mot.proto needs no
 *  code change here.
 *
 *  Owns: the JSON form of a message: field names as in proto/mot.proto,
 *  strings as strings, integers as numbers, bools as true/false, enums by
 *  value name, nested messages as objects, repeated fields as arrays. Out:
 *  only the fields present (the classifier hands a lifecycle command's body
 *  to commit.lua this way). In: an Envelope from one object of the submit
 *  format ({"type": "queja", "source": "UAD", "external_id": "…", <the
 *  body's fields>}; motctl submit, mot-load's templates); keys starting
 *  with '_' are comments and ignored, any other unknown key or a value of
 *  the wrong JSON type is an error that names the key.
 */
#ifndef MOT_JSON_H_INCLUDED
#define MOT_JSON_H_INCLUDED

#include "mot.pb-c.h"
#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/* A new JSON object (caller json_decref's it); NULL when out of memory or
 * the message holds a field type the contract does not use. */
json_t *mot_json_of_message (const ProtobufCMessage *message);

/* The same, compact, as a malloc'd string; NULL on failure. */
char *mot_json_text_of_message (const ProtobufCMessage *message);

/* A new envelope (free with protobuf_c_message_free_unpacked (&e->base,
 * NULL)), or NULL with *error (malloc'd). An unknown "type" gives an envelope
 * without a body, for intake to answer UNKNOWN_TYPE. */
Mot__V1__Envelope *mot_json_to_envelope (json_t *object, char **error);

#endif
