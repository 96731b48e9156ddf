/*  mot_query — a test client of the reporter that checks how the body
 *  comes back: asks for a register (kind and format by their numbers in
 *  proto/mot.proto, all items) and prints the body on stdout.
 *
 *    mot_query ENDPOINT KIND FORMAT inside|frame
 *
 *  inside: as a client built before Query.body_frame (the body must be in
 *  the QueryReply, one frame); frame: asking for it (two frames, the reply
 *  saying body_follows, the body the second). Exit 1, saying why on
 *  stderr, when the reply is not as expected or is an error.
 */
#include "mot_curve.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reply to `query`, NULL (said on stderr) when none came in 60 s. */
static zmsg_t *
ask (const char *endpoint, const Mot__V1__Query *query)
{
    zsock_t *socket = zsock_new (ZMQ_REQ);
    if (socket && (!mot_curve_secure (socket, false, "reporter", "query") || zsock_connect (socket, "%s", endpoint) < 0))
        zsock_destroy (&socket);
    zframe_t *frame = socket ? mot_wire_frame (&query->base) : NULL;
    zmsg_t *reply = NULL;
    if (frame && zframe_send (&frame, socket, 0) == 0) {
        zsock_set_rcvtimeo (socket, 60000);
        reply = zmsg_recv (socket);
    }
    zframe_destroy (&frame);
    zsock_destroy (&socket);
    if (!reply)
        fprintf (stderr, "mot_query: no reply from %s\n", endpoint);
    return reply;
}

/* Prints the body that `reply` holds as `mode` says it must; 0 when it did. */
static int
print_body (zmsg_t *reply, bool as_frame)
{
    Mot__V1__ErrorCode code;
    Mot__V1__QueryReply *answer = (Mot__V1__QueryReply *) mot_wire_unpack (
        zmsg_first (reply), &mot__v1__query_reply__descriptor, 0, &code);
    bool follows = answer && answer->has_body_follows && answer->body_follows;
    size_t frames = zmsg_size (reply);
    int rc = 1;
    if (!answer || answer->result_case != MOT__V1__QUERY_REPLY__RESULT_BODY)
        fprintf (stderr, "mot_query: not a body\n");
    else if (follows != as_frame || frames != (as_frame ? 2u : 1u) || (as_frame && answer->body.len > 0))
        fprintf (stderr, "mot_query: %zu frames, body_follows %d, %zu bytes inside\n", frames, follows,
                 answer->body.len);
    else {
        zframe_t *body = as_frame ? zmsg_next (reply) : NULL;
        const void *data = body ? zframe_data (body) : answer->body.data;
        size_t size = body ? zframe_size (body) : answer->body.len;
        rc = fwrite (data, 1, size, stdout) == size && fflush (stdout) == 0 ? 0 : 1;
    }
    if (answer)
        protobuf_c_message_free_unpacked (&answer->base, NULL);
    return rc;
}

int
main (int argc, char **argv)
{
    bool known = argc == 5 && (strcmp (argv[4], "inside") == 0 || strcmp (argv[4], "frame") == 0);
    if (!known) {
        fprintf (stderr, "usage: mot_query ENDPOINT KIND FORMAT inside|frame\n");
        return 2;
    }
    bool as_frame = strcmp (argv[4], "frame") == 0;
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    query.has_kind = query.has_format = query.has_all = query.all = true;
    query.kind = (Mot__V1__QueryKind) atoi (argv[2]);
    query.format = (Mot__V1__Format) atoi (argv[3]);
    query.has_body_frame = query.body_frame = as_frame;
    zmsg_t *reply = ask (argv[1], &query);
    int rc = reply ? print_body (reply, as_frame) : 1;
    zmsg_destroy (&reply);
    return rc;
}
