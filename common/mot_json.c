/*  mot_json — contract messages as JSON (see mot_json.h).
 */
#include "mot_json.h"

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
