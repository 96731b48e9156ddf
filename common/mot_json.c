/*  mot_json — contract messages to and from JSON (see mot_json.h).
 */
#include "mot_json.h"

#include <czmq.h>
#include <stdlib.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* One value of a field (the `index`-th of a repeated one) at `member`. */
static json_t *
value_of (const ProtobufCFieldDescriptor *field, const void *member)
{
    switch (field->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *text = *(char *const *) member;
        return json_string (text ? text : "");
    }
    case PROTOBUF_C_TYPE_UINT32: return json_integer (*(const uint32_t *) member);
    case PROTOBUF_C_TYPE_INT32: return json_integer (*(const int32_t *) member);
    case PROTOBUF_C_TYPE_UINT64: return json_integer ((json_int_t) *(const uint64_t *) member);
    case PROTOBUF_C_TYPE_INT64: return json_integer (*(const int64_t *) member);
    case PROTOBUF_C_TYPE_BOOL: return json_boolean (*(const protobuf_c_boolean *) member);
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *value =
            protobuf_c_enum_descriptor_get_value (field->descriptor, *(const int *) member);
        return value ? json_string (value->name) : json_integer (*(const int *) member);
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *) member;
        return sub ? mot_json_of_message (sub) : json_null ();
    }
    default: return NULL;
    }
}

static size_t
size_of (const ProtobufCFieldDescriptor *field)
{
    switch (field->type) {
    case PROTOBUF_C_TYPE_STRING: return sizeof (char *);
    case PROTOBUF_C_TYPE_MESSAGE: return sizeof (ProtobufCMessage *);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_INT64: return sizeof (uint64_t);
    case PROTOBUF_C_TYPE_BOOL: return sizeof (protobuf_c_boolean);
    default: return sizeof (uint32_t);
    }
}

/* Whether an optional or oneof field is present. */
static bool
is_present (const ProtobufCMessage *message, const ProtobufCFieldDescriptor *field)
{
    const char *base = (const char *) message;
    if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *) (base + field->quantifier_offset) == field->id;
    if (field->type == PROTOBUF_C_TYPE_STRING || field->type == PROTOBUF_C_TYPE_MESSAGE)
        return *(void *const *) (base + field->offset) != NULL;
    if (field->label == PROTOBUF_C_LABEL_OPTIONAL && field->quantifier_offset)
        return *(const protobuf_c_boolean *) (base + field->quantifier_offset);
    return true;
}

static json_t *
repeated_of (const ProtobufCMessage *message, const ProtobufCFieldDescriptor *field)
{
    const char *base = (const char *) message;
    size_t count = *(const size_t *) (base + field->quantifier_offset);
    const char *items = *(char *const *) (base + field->offset);
    json_t *list = json_array ();
    for (size_t i = 0; list && i < count; i++)
        if (json_array_append_new (list, value_of (field, items + i * size_of (field))) != 0) {
            json_decref (list);
            list = NULL;
        }
    return list;
}

json_t *
mot_json_of_message (const ProtobufCMessage *message)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    json_t *object = json_object ();
    for (unsigned i = 0; object && i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields[i];
        json_t *value = NULL;
        if (field->label == PROTOBUF_C_LABEL_REPEATED)
            value = repeated_of (message, field);
        else if (is_present (message, field))
            value = value_of (field, (const char *) message + field->offset);
        else
            continue;
        if (!value || json_object_set_new (object, field->name, value) != 0) {
            json_decref (object);
            object = NULL;
        }
    }
    return object;
}

char *
mot_json_text_of_message (const ProtobufCMessage *message)
{
    json_t *object = mot_json_of_message (message);
    char *text = object ? json_dumps (object, JSON_COMPACT) : NULL;
    json_decref (object);
    return text;
}

/* ---- JSON to messages ---------------------------------------------------- */

static bool fill_message (ProtobufCMessage *message, json_t *object, char **error);

static void
mark_present (ProtobufCMessage *message, const ProtobufCFieldDescriptor *field)
{
    if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *(uint32_t *) ((char *) message + field->quantifier_offset) = field->id;
    else if (field->label == PROTOBUF_C_LABEL_OPTIONAL && field->quantifier_offset)
        *(protobuf_c_boolean *) ((char *) message + field->quantifier_offset) = 1;
}

static bool
set_string (void *member, const char *key, json_t *value, char **error)
{
    if (!json_is_string (value)) {
        *error = zsys_sprintf ("%s: expected a string", key);
        return false;
    }
    char **slot = (char **) member;
    free (*slot);
    *slot = strdup (json_string_value (value));
    return *slot != NULL;
}

static bool
set_uint32 (void *member, const char *key, json_t *value, char **error)
{
    if (!json_is_integer (value) || json_integer_value (value) < 0 || json_integer_value (value) > UINT32_MAX) {
        *error = zsys_sprintf ("%s: expected a whole number from 0 to 4294967295", key);
        return false;
    }
    *(uint32_t *) member = (uint32_t) json_integer_value (value);
    return true;
}

static bool
set_bool (void *member, const char *key, json_t *value, char **error)
{
    if (!json_is_boolean (value)) {
        *error = zsys_sprintf ("%s: expected true or false", key);
        return false;
    }
    *(protobuf_c_boolean *) member = json_is_true (value);
    return true;
}

/* A repeated string field from an array of strings (freed with the message). */
static bool
set_strings (ProtobufCMessage *message, const ProtobufCFieldDescriptor *field, const char *key, json_t *value,
             char **error)
{
    if (!json_is_array (value) || field->type != PROTOBUF_C_TYPE_STRING) {
        *error = zsys_sprintf ("%s: expected an array of strings", key);
        return false;
    }
    size_t count = json_array_size (value);
    char **strings = calloc (count + 1, sizeof *strings);
    if (!strings)
        return false;
    *(char ***) ((char *) message + field->offset) = strings;
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get (value, i);
        if (!json_is_string (item)) {
            *error = zsys_sprintf ("%s: expected an array of strings", key);
            return false;
        }
        if (!(strings[i] = strdup (json_string_value (item))))
            return false;
        *(size_t *) ((char *) message + field->quantifier_offset) = i + 1;
    }
    return true;
}

static bool
set_enum (const ProtobufCFieldDescriptor *field, void *member, const char *key, json_t *value, char **error)
{
    const ProtobufCEnumValue *found = json_is_string (value)
        ? protobuf_c_enum_descriptor_get_value_by_name (field->descriptor, json_string_value (value))
        : NULL;
    if (!found) {
        *error = zsys_sprintf ("%s: not a known value", key);
        return false;
    }
    *(int *) member = found->value;
    return true;
}

static bool
set_message (const ProtobufCFieldDescriptor *field, void *member, const char *key, json_t *value, char **error)
{
    if (!json_is_object (value)) {
        *error = zsys_sprintf ("%s: expected an object", key);
        return false;
    }
    const ProtobufCMessageDescriptor *descriptor = field->descriptor;
    ProtobufCMessage *sub = calloc (1, descriptor->sizeof_message);
    if (!sub)
        return false;
    protobuf_c_message_init (descriptor, sub);
    *(ProtobufCMessage **) member = sub;     /* freed with the parent */
    return fill_message (sub, value, error);
}

static bool
set_field (ProtobufCMessage *message, const ProtobufCFieldDescriptor *field, const char *key, json_t *value,
           char **error)
{
    void *member = (char *) message + field->offset;
    bool ok;
    switch (field->type) {
    case PROTOBUF_C_TYPE_STRING: ok = set_string (member, key, value, error); break;
    case PROTOBUF_C_TYPE_UINT32: ok = set_uint32 (member, key, value, error); break;
    case PROTOBUF_C_TYPE_BOOL: ok = set_bool (member, key, value, error); break;
    case PROTOBUF_C_TYPE_ENUM: ok = set_enum (field, member, key, value, error); break;
    case PROTOBUF_C_TYPE_MESSAGE: ok = set_message (field, member, key, value, error); break;
    default:
        *error = zsys_sprintf ("%s: this field cannot be set from JSON", key);
        ok = false;
    }
    /* A sub-message stays with its parent even when filling it failed: a
     * oneof member is freed only when its case is set. */
    if (ok || (field->type == PROTOBUF_C_TYPE_MESSAGE && *(ProtobufCMessage **) member))
        mark_present (message, field);
    return ok;
}

static bool
fill_message (ProtobufCMessage *message, json_t *object, char **error)
{
    const char *key;
    json_t *value;
    json_object_foreach (object, key, value) {
        if (key[0] == '_')
            continue;           /* a comment */
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field_by_name (message->descriptor, key);
        if (!field) {
            *error = zsys_sprintf ("%s: unknown field for %s", key, message->descriptor->short_name);
            return false;
        }
        bool ok = field->label == PROTOBUF_C_LABEL_REPEATED ? set_strings (message, field, key, value, error)
                                                            : set_field (message, field, key, value, error);
        if (!ok) {
            if (!*error)
                *error = zsys_sprintf ("%s: out of memory", key);
            return false;
        }
    }
    return true;
}

static bool
set_named_field (ProtobufCMessage *message, const char *key, json_t *value, char **error)
{
    const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field_by_name (message->descriptor, key);
    return field && set_field (message, field, key, value, error);
}

/* The body named by "type" gets every key but the envelope's own. */
static bool
fill_body (Mot__V1__Envelope *envelope, json_t *object, const char *type, char **error)
{
    const ProtobufCFieldDescriptor *body =
        protobuf_c_message_descriptor_get_field_by_name (&mot__v1__envelope__descriptor, type);
    if (!body || body->type != PROTOBUF_C_TYPE_MESSAGE || !(body->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
        return true;            /* unknown type: no body, intake answers UNKNOWN_TYPE */
    json_t *rest = json_deep_copy (object);
    if (!rest)
        return false;
    json_object_del (rest, "type");
    json_object_del (rest, "source");
    json_object_del (rest, "external_id");
    bool ok = set_field (&envelope->base, body, type, rest, error);
    json_decref (rest);
    return ok;
}

Mot__V1__Envelope *
mot_json_to_envelope (json_t *object, char **error)
{
    *error = NULL;
    if (!json_is_object (object)) {
        *error = strdup ("expected a JSON object");
        return NULL;
    }
    Mot__V1__Envelope *envelope = calloc (1, sizeof *envelope);
    if (!envelope)
        return NULL;
    mot__v1__envelope__init (envelope);
    json_t *type = json_object_get (object, "type");
    bool ok = true;
    if (type && !json_is_string (type)) {
        *error = strdup ("type: expected a string");
        ok = false;
    }
    const char *own_keys[] = {"source", "external_id"};
    for (int i = 0; ok && i < 2; i++) {
        json_t *value = json_object_get (object, own_keys[i]);
        if (value)
            ok = set_named_field (&envelope->base, own_keys[i], value, error);
    }
    if (ok && type)
        ok = fill_body (envelope, object, json_string_value (type), error);
    if (!ok) {
        if (!*error)
            *error = strdup ("out of memory");
        protobuf_c_message_free_unpacked (&envelope->base, NULL);
        return NULL;
    }
    return envelope;
}
