/*  mot_request — one request taken from a ROUTER socket, answered through
 *  the way it came.
 *
 *  Owns: ROUTER framing. A ROUTER receives [identity]…[""][body] from REQ
 *  clients, from DEALER clients that frame like REQ and through devices
 *  (each hop adds an identity), and [identity][body] from a DEALER that sends
 *  the body alone. The routing envelope runs up to and including the first
 *  empty frame after the identity, or is the identity alone when there is
 *  none; what follows must be exactly one body frame. An answer goes out as
 *  the envelope followed by one reply frame (and, for a client that asked,
 *  a body frame), so every such client gets it, also when the body's
 *  framing was wrong. A device that forwards its client's credentials
 *  (mot-proxy) appends them as one more frame after the request's body.
 */
#ifndef MOT_REQUEST_H_INCLUDED
#define MOT_REQUEST_H_INCLUDED

#include <czmq.h>
#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>

typedef struct _mot_request_t mot_request_t;

/* Receives one message from `router` (a ROUTER socket, not owned, which
 * must outlive the request) and splits it. NULL when nothing was received
 * (interrupted) or out of memory. */
mot_request_t *mot_request_recv (zsock_t *router);
void mot_request_destroy (mot_request_t **self_p);

/* The one body frame (owned by the request), or NULL when the framing is
 * wrong: not exactly one frame after the envelope, or two when the second
 * is a device's forwarded credentials (mot_peer). */
zframe_t *mot_request_body (mot_request_t *self);
/* The forwarded credentials after the body, or NULL: whether to believe
 * them is mot_peer_forwarded's to say. */
zframe_t *mot_request_forwarded (mot_request_t *self);

/* True when the envelope ends with an empty delimiter (every client but a
 * DEALER that sends its body alone). */
bool mot_request_delimited (mot_request_t *self);

/* Sends `reply`, packed as one frame, after the request's envelope, without
 * blocking: false when it could not be queued (peer gone, high-water mark,
 * out of memory). A request may be answered more than once. */
bool mot_request_reply (mot_request_t *self, const ProtobufCMessage *reply);
/* The same, followed by `body` (malloc'd, taken: freed once sent or when
 * it cannot be) as a frame of its own, not copied (mot_wire_send_body). */
bool mot_request_reply_body (mot_request_t *self, const ProtobufCMessage *reply, char *body, size_t size);

#endif
