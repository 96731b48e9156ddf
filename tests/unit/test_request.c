/*  test_request — unit tests for mot_request on real inproc ZeroMQ sockets:
 *  a ROUTER takes requests from REQ clients, from DEALER clients framed
 *  like REQ or sending the body alone, and through a device hop; each gets
 *  its answer back in the frames it expects, wrong framing included, and a
 *  large body after the answer as a frame of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_request.h"
#include "mot_wire.h"

#define WAIT_MS 2000            /* a broken helper fails the test instead of hanging it */

typedef struct {
    zsock_t *router;
    zsock_t *client;
} sockets_t;

/* A ROUTER bound on a fresh inproc endpoint and a client of `type`
 * connected to it. */
static sockets_t
open_sockets (int type)
{
    static int serial = 0;
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "inproc://test-request-%d", ++serial);
    sockets_t sockets = {zsock_new (ZMQ_ROUTER), zsock_new (type)};
    assert_non_null (sockets.router);
    assert_non_null (sockets.client);
    zsock_set_rcvtimeo (sockets.router, WAIT_MS);
    zsock_set_rcvtimeo (sockets.client, WAIT_MS);
    assert_int_equal (zsock_bind (sockets.router, "%s", endpoint), 0);
    assert_int_equal (zsock_connect (sockets.client, "%s", endpoint), 0);
    return sockets;
}

static void
close_sockets (sockets_t *sockets)
{
    zsock_destroy (&sockets->client);
    zsock_destroy (&sockets->router);
}

/* Sends `frames` (NULL-terminated; "" is an empty frame) from the client
 * as one message. */
static void
send_frames (zsock_t *client, const char *const *frames)
{
    zmsg_t *msg = zmsg_new ();
    assert_non_null (msg);
    for (size_t i = 0; frames[i]; i++)
        assert_int_equal (zmsg_addmem (msg, frames[i], strlen (frames[i])), 0);
    assert_int_equal (zmsg_send (&msg, client), 0);
}

static void
assert_frame_is (zframe_t *frame, const char *text)
{
    assert_non_null (frame);
    assert_int_equal (zframe_size (frame), strlen (text));
    assert_memory_equal (zframe_data (frame), text, strlen (text));
}

/* Answers `request` with an Ack naming `external_id`. */
static void
reply_ack (mot_request_t *request, const char *external_id)
{
    Mot__V1__Ack ack = MOT__V1__ACK__INIT;
    ack.external_id = (char *) external_id;
    assert_true (mot_request_reply (request, &ack.base));
}

/* The Ack in `frame` names `external_id`. */
static void
assert_ack_for (zframe_t *frame, const char *external_id)
{
    Mot__V1__ErrorCode code;
    Mot__V1__Ack *ack = (Mot__V1__Ack *) mot_wire_unpack (frame, &mot__v1__ack__descriptor, 0, &code);
    assert_non_null (ack);
    assert_string_equal (ack->external_id, external_id);
    protobuf_c_message_free_unpacked (&ack->base, NULL);
}

/* A client of `type` sends `frames`; the ROUTER side must take a request
 * `delimited` or not, with `body` (NULL: wrong framing), and answers it
 * `answers` times. Returns what the client got for the first answer, after
 * checking that each answer ends with an Ack. */
static zmsg_t *
round_trip (int type, const char *const *frames, bool delimited, const char *body, int answers)
{
    sockets_t sockets = open_sockets (type);
    send_frames (sockets.client, frames);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_int_equal (mot_request_delimited (request), delimited);
    if (body)
        assert_frame_is (mot_request_body (request), body);
    else
        assert_null (mot_request_body (request));
    for (int i = 0; i < answers; i++)
        reply_ack (request, "answer");
    mot_request_destroy (&request);
    assert_null (request);
    zmsg_t *first = NULL;
    for (int i = 0; i < answers; i++) {
        zmsg_t *reply = zmsg_recv (sockets.client);
        assert_non_null (reply);
        assert_ack_for (zmsg_last (reply), "answer");
        if (first)
            zmsg_destroy (&reply);
        else
            first = reply;
    }
    close_sockets (&sockets);
    return first;
}

/* What the client got is `count` frames: the first ones as `route` says,
 * then the Ack. */
static void
assert_reply_frames (zmsg_t **reply_p, size_t count, const char *route_first, const char *route_second)
{
    zmsg_t *reply = *reply_p;
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), count);
    if (route_first)
        assert_frame_is (zmsg_first (reply), route_first);
    if (route_second)
        assert_frame_is (zmsg_next (reply), route_second);
    zmsg_destroy (reply_p);
}

static void
test_req_client_gets_its_answer (void **state)
{
    (void) state;
    const char *frames[] = {"body", NULL};      /* REQ adds the delimiter and takes it off the answer */
    zmsg_t *reply = round_trip (ZMQ_REQ, frames, true, "body", 1);
    assert_reply_frames (&reply, 1, NULL, NULL);
}

static void
test_dealer_framed_like_req_gets_the_delimiter_back (void **state)
{
    (void) state;
    const char *frames[] = {"", "body", NULL};
    zmsg_t *reply = round_trip (ZMQ_DEALER, frames, true, "body", 1);
    assert_reply_frames (&reply, 2, "", NULL);
}

static void
test_dealer_sending_the_body_alone_gets_the_answer_alone (void **state)
{
    (void) state;
    const char *frames[] = {"body", NULL};
    zmsg_t *reply = round_trip (ZMQ_DEALER, frames, false, "body", 1);
    assert_reply_frames (&reply, 1, NULL, NULL);
}

/* A device (ROUTER in front, DEALER behind) forwards [client][""][body]:
 * the whole route goes back, so the device can deliver the answer. */
static void
test_request_through_a_device_keeps_the_whole_route (void **state)
{
    (void) state;
    const char *frames[] = {"client-7", "", "body", NULL};
    zmsg_t *reply = round_trip (ZMQ_DEALER, frames, true, "body", 1);
    assert_reply_frames (&reply, 3, "client-7", "");
}

/* The first empty frame is the delimiter, an empty frame after it is the
 * body (intake answers it MISSING_FIELD, not BAD_FRAMING). */
static void
test_empty_body_after_the_delimiter_is_a_body (void **state)
{
    (void) state;
    const char *frames[] = {"", NULL};
    zmsg_t *reply = round_trip (ZMQ_REQ, frames, true, "", 1);
    assert_reply_frames (&reply, 1, NULL, NULL);
}

/* Not exactly one frame after the envelope: no body, and the answer (the
 * BAD_FRAMING a service sends) still reaches the client. */
static void
test_wrong_framing_has_no_body_and_is_answered (void **state)
{
    (void) state;
    const char *two_after_delimiter[] = {"", "one", "two", NULL};      /* mot_raw multiframe */
    zmsg_t *reply = round_trip (ZMQ_DEALER, two_after_delimiter, true, NULL, 1);
    assert_reply_frames (&reply, 2, "", NULL);
    const char *nothing_after_delimiter[] = {"", NULL};
    reply = round_trip (ZMQ_DEALER, nothing_after_delimiter, true, NULL, 1);
    assert_reply_frames (&reply, 2, "", NULL);
    const char *two_without_delimiter[] = {"one", "two", NULL};
    reply = round_trip (ZMQ_DEALER, two_without_delimiter, false, NULL, 1);
    assert_reply_frames (&reply, 1, NULL, NULL);
}

static void
test_a_request_may_be_answered_twice (void **state)
{
    (void) state;
    const char *frames[] = {"", "body", NULL};
    zmsg_t *reply = round_trip (ZMQ_DEALER, frames, true, "body", 2);
    assert_reply_frames (&reply, 2, "", NULL);
}

static void
test_nothing_received_is_no_request (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    zsock_set_rcvtimeo (sockets.router, 10);
    assert_null (mot_request_recv (sockets.router));
    mot_request_t *none = NULL;
    mot_request_destroy (&none);
    mot_request_destroy (NULL);
    close_sockets (&sockets);
}

/* A reply followed by its body as a frame of its own (mot_request_reply_body):
 * a REQ client gets [Ack][body], a DEALER framed like REQ [""][Ack][body];
 * the body arrives byte for byte (a NUL inside, 3 MB), freed by ZeroMQ
 * once sent (the sanitizers and valgrind say if not). */
static void
test_a_body_follows_as_a_frame_of_its_own (void **state)
{
    (void) state;
    const int types[] = {ZMQ_REQ, ZMQ_DEALER};
    for (size_t t = 0; t < 2; t++) {
        sockets_t sockets = open_sockets (types[t]);
        const char *frames[] = {"", "query", NULL};
        send_frames (sockets.client, types[t] == ZMQ_REQ ? frames + 1 : frames);
        mot_request_t *request = mot_request_recv (sockets.router);
        assert_non_null (request);
        size_t size = 3 * 1024 * 1024;
        char *body = malloc (size);
        assert_non_null (body);
        for (size_t i = 0; i < size; i++)
            body[i] = (char) (i % 251);
        Mot__V1__Ack ack = MOT__V1__ACK__INIT;
        ack.external_id = "with-body";
        assert_true (mot_request_reply_body (request, &ack.base, body, size));
        mot_request_destroy (&request);
        zmsg_t *reply = zmsg_recv (sockets.client);
        assert_non_null (reply);
        assert_int_equal (zmsg_size (reply), types[t] == ZMQ_REQ ? 2 : 3);
        if (types[t] == ZMQ_DEALER)
            assert_frame_is (zmsg_first (reply), "");
        zframe_t *last = zmsg_last (reply);
        assert_int_equal (zframe_size (last), size);
        for (size_t i = 0; i < size; i += 4099)
            assert_int_equal ((unsigned char) zframe_data (last)[i], i % 251);
        zmsg_remove (reply, last);
        assert_ack_for (zmsg_last (reply), "with-body");
        zframe_destroy (&last);
        zmsg_destroy (&reply);
        close_sockets (&sockets);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_req_client_gets_its_answer),
        cmocka_unit_test (test_dealer_framed_like_req_gets_the_delimiter_back),
        cmocka_unit_test (test_dealer_sending_the_body_alone_gets_the_answer_alone),
        cmocka_unit_test (test_request_through_a_device_keeps_the_whole_route),
        cmocka_unit_test (test_empty_body_after_the_delimiter_is_a_body),
        cmocka_unit_test (test_wrong_framing_has_no_body_and_is_answered),
        cmocka_unit_test (test_a_request_may_be_answered_twice),
        cmocka_unit_test (test_nothing_received_is_no_request),
        cmocka_unit_test (test_a_body_follows_as_a_frame_of_its_own),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    zsys_shutdown ();
    return failed;
}
