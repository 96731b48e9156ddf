/*  mot_request — one request taken from a ROUTER socket (see mot_request.h).
 */
#include "mot_request.h"
#include "mot_peer.h"
#include "mot_wire.h"

#include <stdlib.h>

struct _mot_request_t {
    zsock_t *router;            /* not owned: where the request came from */
    zmsg_t *envelope;           /* routing frames, the delimiter included when there is one */
    zmsg_t *rest;               /* what follows them: one body frame when the framing is right */
    bool delimited;
};

/* The position of the first empty frame after the identity; 0 when there
 * is none. */
static size_t
delimiter_position (zmsg_t *msg)
{
    size_t position = 0;
    for (zframe_t *frame = zmsg_first (msg); frame; frame = zmsg_next (msg), position++)
        if (position > 0 && zframe_size (frame) == 0)
            return position;
    return 0;
}

/* Moves the first `count` frames of `msg` into a new message; NULL when out
 * of memory. */
static zmsg_t *
take_frames (zmsg_t *msg, size_t count)
{
    zmsg_t *taken = zmsg_new ();
    for (size_t i = 0; taken && i < count && zmsg_size (msg) > 0; i++) {
        zframe_t *frame = zmsg_pop (msg);
        if (zmsg_append (taken, &frame) != 0) {
            zframe_destroy (&frame);
            zmsg_destroy (&taken);
        }
    }
    return taken;
}

mot_request_t *
mot_request_recv (zsock_t *router)
{
    mot_request_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->router = router;
    self->rest = zmsg_recv (router);
    if (self->rest) {
        size_t delimiter = delimiter_position (self->rest);
        self->delimited = delimiter > 0;
        self->envelope = take_frames (self->rest, self->delimited ? delimiter + 1 : 1);
    }
    if (!self->envelope)
        mot_request_destroy (&self);
    return self;
}

void
mot_request_destroy (mot_request_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_request_t *self = *self_p;
    zmsg_destroy (&self->envelope);
    zmsg_destroy (&self->rest);
    free (self);
    *self_p = NULL;
}

zframe_t *
mot_request_body (mot_request_t *self)
{
    size_t size = zmsg_size (self->rest);
    return size == 1 || (size == 2 && mot_request_forwarded (self)) ? zmsg_first (self->rest) : NULL;
}

zframe_t *
mot_request_forwarded (mot_request_t *self)
{
    zframe_t *last = zmsg_size (self->rest) == 2 ? zmsg_last (self->rest) : NULL;
    return mot_peer_frame_is (last) ? last : NULL;
}

bool
mot_request_delimited (mot_request_t *self)
{
    return self->delimited;
}

bool
mot_request_reply (mot_request_t *self, const ProtobufCMessage *reply)
{
    return mot_wire_send (self->router, self->envelope, reply, true);
}

bool
mot_request_reply_body (mot_request_t *self, const ProtobufCMessage *reply, char *body, size_t size)
{
    return mot_wire_send_body (self->router, self->envelope, reply, body, size, true);
}
