/*  mot_raw — a test client that sends deliberately bad requests to intake's
 *  ingress (DEALER, so it controls every frame) and prints what came back:
 *  the Ack's error code name, "ACCEPTED", or "NO_REPLY".
 *
 *    mot_raw ENDPOINT garbage | empty | multiframe | oversize BYTES |
 *                     badutf8 | badsource | wrongtype
 */
#include "mot_curve.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A queja envelope, valid but for what the caller changes. */
static zframe_t *
queja_frame (const char *reason, int source)
{
    Mot__V1__Envelope envelope = MOT__V1__ENVELOPE__INIT;
    Mot__V1__Queja queja = MOT__V1__QUEJA__INIT;
    envelope.external_id = "RAW-1";
    envelope.has_source = 1;
    envelope.source = (Mot__V1__Source) source;
    envelope.body_case = MOT__V1__ENVELOPE__BODY_QUEJA;
    envelope.queja = &queja;
    queja.territory = "OOAD-01";
    queja.reason = (char *) reason;
    queja.received_on = "2026-01-15";
    return mot_wire_frame (&envelope.base);
}

static zmsg_t *
build_request (const char *mode, const char *argument)
{
    zmsg_t *msg = zmsg_new ();
    zmsg_addmem (msg, "", 0);                  /* REQ-style delimiter */
    if (strcmp (mode, "garbage") == 0)
        zmsg_addmem (msg, "\x0a\xff\xff\xff\xff\x0f garbage", 14);
    else if (strcmp (mode, "empty") == 0)
        zmsg_addmem (msg, "", 0);
    else if (strcmp (mode, "multiframe") == 0) {
        zmsg_addstr (msg, "one");
        zmsg_addstr (msg, "two");
    }
    else if (strcmp (mode, "oversize") == 0 && argument) {
        size_t size = (size_t) strtoul (argument, NULL, 10);
        zframe_t *frame = zframe_new (NULL, size);
        memset (zframe_data (frame), 'x', size);
        zmsg_append (msg, &frame);
    }
    else if (strcmp (mode, "badutf8") == 0) {
        zframe_t *frame = queja_frame ("Trato \xff\xfe indigno", MOT__V1__SOURCE__UAD);
        zmsg_append (msg, &frame);
    }
    else if (strcmp (mode, "badsource") == 0) {
        zframe_t *frame = queja_frame ("Trato", 99);
        zmsg_append (msg, &frame);
    }
    else if (strcmp (mode, "wrongtype") == 0)
        zmsg_addmem (msg, "\x08\x96\x01", 3);  /* field 1 (a string) sent as a varint */
    else
        zmsg_destroy (&msg);
    return msg;
}

int
main (int argc, char **argv)
{
    if (argc < 3) {
        fprintf (stderr, "usage: mot_raw ENDPOINT MODE [ARG]\n");
        return 2;
    }
    zmsg_t *request = build_request (argv[2], argc > 3 ? argv[3] : NULL);
    if (!request) {
        fprintf (stderr, "mot_raw: unknown mode %s\n", argv[2]);
        return 2;
    }
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    if (!dealer || !mot_curve_secure (dealer, false, "intake", "ingress") || zsock_connect (dealer, "%s", argv[1]) < 0) {
        puts ("NO_SOCKET");
        zmsg_destroy (&request);
        zsock_destroy (&dealer);
        return 1;
    }
    zmsg_send (&request, dealer);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    zmsg_t *reply = zpoller_wait (poller, 5000) ? zmsg_recv (dealer) : NULL;
    const char *result = "NO_REPLY";
    Mot__V1__Ack *ack = NULL;
    if (reply && zmsg_size (reply) == 2) {
        Mot__V1__ErrorCode code;
        ack = (Mot__V1__Ack *) mot_wire_unpack (zmsg_last (reply), &mot__v1__ack__descriptor, 0, &code);
        if (ack && ack->result_case == MOT__V1__ACK__RESULT_ERROR)
            result = mot_error_code_name (ack->error->code);
        else if (ack && ack->result_case == MOT__V1__ACK__RESULT_ACCEPTED)
            result = "ACCEPTED";
    }
    puts (result);
    if (ack)
        protobuf_c_message_free_unpacked (&ack->base, NULL);
    zmsg_destroy (&reply);
    zpoller_destroy (&poller);
    zsock_destroy (&dealer);
    return 0;
}
