/*  mot_json — contract messages as JSON, by reflection on the protobuf-c
 *  descriptors.
 *
 *  Owns: the JSON form of a message as the services pass it on (the
 *  classifier hands a lifecycle command's body to commit.lua this way):
 *  field names as in proto/mot.proto, only the fields present, strings as
 *  strings, integers as numbers, bools as true/false, enums by value name,
 *  nested messages as objects, repeated fields as arrays.
 */
#ifndef MOT_JSON_H_INCLUDED
#define MOT_JSON_H_INCLUDED

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/* A new JSON object (caller json_decref's it); NULL when out of memory or
 * the message holds a field type the contract does not use. */
json_t *mot_json_of_message (const ProtobufCMessage *message);

/* The same, compact, as a malloc'd string; NULL on failure. */
char *mot_json_text_of_message (const ProtobufCMessage *message);

#endif
