/*  mot_wire — protobuf-c messages over ZeroMQ, and the contract's names.
 */
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

zframe_t *
mot_wire_frame (const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    zframe_t *frame = zframe_new (NULL, size);
    if (!frame)
        return NULL;
    size_t packed = protobuf_c_message_pack (message, zframe_data (frame));
    if (packed != size) {
        zframe_destroy (&frame);
        return NULL;
    }
    return frame;
}

/* Sends the frames of `prefix` and the packed message, the last with MORE
 * when a frame follows. */
static bool
send_message (zsock_t *socket, zmsg_t *prefix, const ProtobufCMessage *message, bool more, bool dontwait)
{
    zframe_t *frame = mot_wire_frame (message);
    if (!frame)
        return false;
    zmsg_t *msg = prefix ? zmsg_dup (prefix) : zmsg_new ();
    if (!msg) {
        zframe_destroy (&frame);
        return false;
    }
    zmsg_append (msg, &frame);
    size_t count = zmsg_size (msg);
    bool ok = true;
    /* each frame handed to ZeroMQ as it is (zframe_send), not copied */
    for (size_t i = 0; ok && i < count; i++) {
        zframe_t *part = zmsg_pop (msg);
        int flags = (i + 1 < count || more ? ZFRAME_MORE : 0) | (dontwait ? ZFRAME_DONTWAIT : 0);
        ok = zframe_send (&part, socket, flags) == 0;
        zframe_destroy (&part);     /* sent: already gone; refused: still ours */
    }
    zmsg_destroy (&msg);
    return ok;
}

bool
mot_wire_send (zsock_t *socket, zmsg_t *prefix, const ProtobufCMessage *message, bool dontwait)
{
    return send_message (socket, prefix, message, false, dontwait);
}

/* ZeroMQ's call once it has sent a body (its I/O thread). */
static void
free_body (void *data, void *hint)
{
    (void) hint;
    free (data);
}

bool
mot_wire_send_body (zsock_t *socket, zmsg_t *prefix, const ProtobufCMessage *message, char *body, size_t size,
                    bool dontwait)
{
    zmq_msg_t frame;
    if (zmq_msg_init_data (&frame, body, size, free_body, NULL) != 0) {
        free (body);
        return false;
    }
    bool ok = send_message (socket, prefix, message, true, dontwait)
           && zmq_msg_send (&frame, zsock_resolve (socket), dontwait ? ZMQ_DONTWAIT : 0) >= 0;
    zmq_msg_close (&frame);         /* sent: empty; not sent: frees the body */
    return ok;
}

/* Whether the message or one inside it holds a field numbered 0: no field
 * may be (protobuf's rule), but protobuf-c takes one whose tag is written
 * in two bytes and keeps it as an unknown field, then packs it in one byte
 * that it refuses to read back — an envelope intake accepted and stored
 * would not decode at the next stage. */
static bool
holds_field_zero (const ProtobufCMessage *message)
{
    for (unsigned i = 0; i < message->n_unknown_fields; i++)
        if (message->unknown_fields[i].tag == 0)
            return true;
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields[i];
        if (field->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *member = (const char *) message + field->offset;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) ((const char *) message + field->quantifier_offset);
            ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *) member;
            for (size_t k = 0; k < count; k++)
                if (items[k] && holds_field_zero (items[k]))
                    return true;
            continue;
        }
        if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && *(const uint32_t *) ((const char *) message + field->quantifier_offset) != field->id)
            continue;
        const ProtobufCMessage *inner = *(ProtobufCMessage *const *) member;
        if (inner && holds_field_zero (inner))
            return true;
    }
    return false;
}

ProtobufCMessage *
mot_wire_unpack_bytes (const uint8_t *data, size_t size, const ProtobufCMessageDescriptor *descriptor,
                       size_t limit, Mot__V1__ErrorCode *code)
{
    if (limit && size > limit) {
        *code = MOT__V1__ERROR_CODE__TOO_LARGE;
        return NULL;
    }
    ProtobufCMessage *message = protobuf_c_message_unpack (descriptor, NULL, size, data);
    if (message && holds_field_zero (message)) {
        protobuf_c_message_free_unpacked (message, NULL);
        message = NULL;
    }
    if (!message) {
        *code = MOT__V1__ERROR_CODE__MALFORMED;
        return NULL;
    }
    *code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    return message;
}

ProtobufCMessage *
mot_wire_unpack (zframe_t *frame, const ProtobufCMessageDescriptor *descriptor, size_t limit,
                 Mot__V1__ErrorCode *code)
{
    if (!frame) {
        *code = MOT__V1__ERROR_CODE__BAD_FRAMING;
        return NULL;
    }
    return mot_wire_unpack_bytes (zframe_data (frame), zframe_size (frame), descriptor, limit, code);
}

/* Enum value names from the generated descriptors, so the contract is the
 * one source of truth. */
static const char *
enum_name (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const ProtobufCEnumValue *found = protobuf_c_enum_descriptor_get_value (descriptor, value);
    return found ? found->name : "";
}

static bool
enum_parse (const ProtobufCEnumDescriptor *descriptor, const char *name, int *value)
{
    const ProtobufCEnumValue *found = protobuf_c_enum_descriptor_get_value_by_name (descriptor, name);
    if (!found || found->value == 0)
        return false;
    *value = found->value;
    return true;
}

const char *
mot_source_name (int source)
{
    return source == 0 ? "" : enum_name (&mot__v1__source__descriptor, source);
}

bool
mot_source_parse (const char *name, Mot__V1__Source *source)
{
    int value;
    if (!name || !enum_parse (&mot__v1__source__descriptor, name, &value))
        return false;
    *source = (Mot__V1__Source) value;
    return true;
}

const char *
mot_error_code_name (int code)
{
    return enum_name (&mot__v1__error_code__descriptor, code);
}

/* The NoticeKind values' names in lower case (test_wire checks them
 * against the proto's enum). */
static const char *const notice_kind_names[] = {"", "reminder", "overdue", "escalation", "delivered_late",
                                                "item_quadrant_i", "item_worse", "item_residual",
                                                "recommendation_issued", "item_closed", "report_available"};
#define NOTICE_KIND_COUNT (sizeof notice_kind_names / sizeof notice_kind_names[0])

const char *
mot_notice_kind_name (int kind)
{
    return kind > 0 && (size_t) kind < NOTICE_KIND_COUNT ? notice_kind_names[kind] : "";
}

bool
mot_notice_kind_parse (const char *name, Mot__V1__NoticeKind *kind)
{
    for (size_t i = 1; name && i < NOTICE_KIND_COUNT; i++)
        if (strcmp (name, notice_kind_names[i]) == 0) {
            *kind = (Mot__V1__NoticeKind) i;
            return true;
        }
    return false;
}

bool
mot_notice_kind_is_item (int kind)
{
    return kind >= MOT__V1__NOTICE_KIND__ITEM_QUADRANT_I && kind <= MOT__V1__NOTICE_KIND__ITEM_CLOSED;
}

char *
mot_notice_topic (const Mot__V1__Notice *notice)
{
    if (mot_notice_kind_is_item (notice->kind))
        return zsys_sprintf ("item/%s/%s/%s", notice->responsible && *notice->responsible ? notice->responsible : "-",
                             notice->territory && *notice->territory ? notice->territory : "-",
                             mot_notice_kind_name (notice->kind));
    if (notice->kind == MOT__V1__NOTICE_KIND__REPORT_AVAILABLE)
        return zsys_sprintf ("report/%s/%s/%s", notice->n_recipients > 0 ? notice->recipients[0] : "-",
                             mot_source_name (notice->unit), notice->report ? notice->report : "");
    return zsys_sprintf ("%s/%s/%s/%s", mot_notice_kind_name (notice->kind), mot_source_name (notice->unit),
                         notice->report ? notice->report : "",
                         notice->territory && *notice->territory ? notice->territory : "-");
}

const char *
mot_body_name (Mot__V1__Envelope__BodyCase body)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field (&mot__v1__envelope__descriptor, (unsigned) body);
    return field && (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ? field->name : "";
}

bool
mot_action_has_items (const Mot__V1__ActionDue *action)
{
    return (action->item_id && *action->item_id) || action->n_item_ids > 0;
}
