/*  mot_wire — protobuf-c messages over ZeroMQ, and the contract's names.
 *
 *  Owns: packing a message into one frame (a large body may follow it as a
 *  frame of its own, uncopied), unpacking a frame with a size
 *  limit into a typed error instead of a crash, and the text names of the
 *  contract's enums (sources, error codes, notice kinds) used in logs, JSON
 *  and topics.
 */
#ifndef MOT_WIRE_H_INCLUDED
#define MOT_WIRE_H_INCLUDED

#include "mot.pb-c.h"
#include <czmq.h>
#include <stdbool.h>

/* Default limit of one message on the ingress socket, in bytes. */
#define MOT_WIRE_DEFAULT_LIMIT (64 * 1024)

/* A new frame holding the packed message (NULL on allocation failure). */
zframe_t *mot_wire_frame (const ProtobufCMessage *message);
/* Sends the packed message as one frame, after any frames already in `msg`
 * (msg may be NULL). Non-blocking when dontwait: returns false when the
 * message could not be queued (no peer, high-water mark). */
bool mot_wire_send (zsock_t *socket, zmsg_t *prefix, const ProtobufCMessage *message, bool dontwait);
/* The same, followed by `body` (malloc'd, `size` bytes) as a frame of its
 * own: the body is handed to ZeroMQ as it is, not packed into the message
 * nor copied, and freed once sent (or here when it cannot be). */
bool mot_wire_send_body (zsock_t *socket, zmsg_t *prefix, const ProtobufCMessage *message, char *body, size_t size,
                         bool dontwait);

/* Unpacks `frame` as `descriptor`. Returns NULL and sets *code to TOO_LARGE
 * (frame above limit) or MALFORMED (not a valid message, or one holding a
 * field numbered 0, which protobuf-c reads but cannot pack back). Free the result
 * with protobuf_c_message_free_unpacked (m, NULL). */
ProtobufCMessage *mot_wire_unpack (zframe_t *frame, const ProtobufCMessageDescriptor *descriptor,
                                   size_t limit, Mot__V1__ErrorCode *code);
ProtobufCMessage *mot_wire_unpack_bytes (const uint8_t *data, size_t size,
                                         const ProtobufCMessageDescriptor *descriptor,
                                         size_t limit, Mot__V1__ErrorCode *code);

/* "UEOD", "UAD", "UCS", "CV", "CAPSOI"; "" for unknown values. */
const char *mot_source_name (int source);
bool mot_source_parse (const char *name, Mot__V1__Source *source);
/* "MALFORMED", "MISSING_FIELD", … */
const char *mot_error_code_name (int code);
/* "reminder", "overdue", "escalation", "delivered_late", "item_…",
 * "report_available" (topic words). */
const char *mot_notice_kind_name (int kind);
bool mot_notice_kind_parse (const char *name, Mot__V1__NoticeKind *kind);
/* The topic a notice is published under, "<kind>/<UNIT>/<report>/<territory
 * or ->", e.g. "overdue/UAD/quejas-gestiones/-": subscribers pick by prefix
 * (kind, then unit, report, territory). Caller frees. */
char *mot_notice_topic (const Mot__V1__Notice *notice);
/* The topic of the notifier's heartbeats (Heartbeat in proto/mot.proto). */
#define MOT_HEARTBEAT_TOPIC "hugz"
/* Whether a notice of this kind is about an item (ITEM_QUADRANT_I …
 * ITEM_CLOSED): its topic is "item/<responsible or ->/<territory or ->/<kind>".
 * A REPORT_AVAILABLE notice goes to its addressee: "report/<first recipient>/
 * <UNIT>/<report>", e.g. "report/TDOE/CAPSOI/comportamiento-mensual". */
bool mot_notice_kind_is_item (int kind);
/* "queja", "media", "finding", "risk", "delivery", "trigger", "override", "action", "" */
const char *mot_body_name (Mot__V1__Envelope__BodyCase body);
/* Whether an action names items (then it is a lifecycle command, applied
 * by the classifier; without items it only sets a deadline). */
bool mot_action_has_items (const Mot__V1__ActionDue *action);

#endif
