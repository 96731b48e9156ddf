/*  test_request — unit tests for mot_request on real inproc ZeroMQ sockets:
 *  a ROUTER takes requests from REQ clients, from DEALER clients framed
 *  like REQ or sending the body alone, and through a device hop; each gets
 *  its answer back in the frames it expects, wrong framing included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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

/* Sends the given frames (NULL-terminated strings; "" is an empty frame)
 * from the client as one message. */
static void
send_frames (zsock_t *client, const char *first, ...)
{
    zmsg_t *msg = zmsg_new ();
    assert_non_null (msg);
    va_list frames;
    va_start (frames, first);
    for (const char *frame = first; frame; frame = va_arg (frames, const char *))
        assert_int_equal (zmsg_addmem (msg, frame, strlen (frame)), 0);
    va_end (frames);
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

static void
test_req_client_gets_its_answer (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_REQ);
    assert_int_equal (zstr_send (sockets.client, "body"), 0);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_true (mot_request_delimited (request));
    assert_frame_is (mot_request_body (request), "body");
    reply_ack (request, "req-1");
    mot_request_destroy (&request);
    assert_null (request);
    zmsg_t *reply = zmsg_recv (sockets.client);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 1);
    assert_ack_for (zmsg_first (reply), "req-1");
    zmsg_destroy (&reply);
    close_sockets (&sockets);
}

static void
test_dealer_framed_like_req_gets_the_delimiter_back (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    send_frames (sockets.client, "", "body", NULL);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_true (mot_request_delimited (request));
    assert_frame_is (mot_request_body (request), "body");
    reply_ack (request, "dealer-1");
    mot_request_destroy (&request);
    zmsg_t *reply = zmsg_recv (sockets.client);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 2);
    assert_frame_is (zmsg_first (reply), "");
    assert_ack_for (zmsg_last (reply), "dealer-1");
    zmsg_destroy (&reply);
    close_sockets (&sockets);
}

static void
test_dealer_sending_the_body_alone_gets_the_answer_alone (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    send_frames (sockets.client, "body", NULL);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_false (mot_request_delimited (request));
    assert_frame_is (mot_request_body (request), "body");
    reply_ack (request, "bare-1");
    mot_request_destroy (&request);
    zmsg_t *reply = zmsg_recv (sockets.client);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 1);
    assert_ack_for (zmsg_first (reply), "bare-1");
    zmsg_destroy (&reply);
    close_sockets (&sockets);
}

/* A device (ROUTER in front, DEALER behind) forwards [client][""][body]:
 * the whole route goes back, so the device can deliver the answer. */
static void
test_request_through_a_device_keeps_the_whole_route (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    send_frames (sockets.client, "client-7", "", "body", NULL);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_true (mot_request_delimited (request));
    assert_frame_is (mot_request_body (request), "body");
    reply_ack (request, "hop-1");
    mot_request_destroy (&request);
    zmsg_t *reply = zmsg_recv (sockets.client);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 3);
    assert_frame_is (zmsg_first (reply), "client-7");
    assert_frame_is (zmsg_next (reply), "");
    assert_ack_for (zmsg_next (reply), "hop-1");
    zmsg_destroy (&reply);
    close_sockets (&sockets);
}

/* The first empty frame is the delimiter, an empty frame after it is the
 * body (intake answers it MISSING_FIELD, not BAD_FRAMING). */
static void
test_empty_body_after_the_delimiter_is_a_body (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_REQ);
    assert_int_equal (zstr_send (sockets.client, ""), 0);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_true (mot_request_delimited (request));
    assert_frame_is (mot_request_body (request), "");
    mot_request_destroy (&request);
    close_sockets (&sockets);
}

/* Not exactly one frame after the envelope: no body, and the answer (the
 * BAD_FRAMING a service sends) still reaches the client. */
static void
assert_wrong_framing_is_answered (const char *first, const char *second, const char *third, bool delimited)
{
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    send_frames (sockets.client, first, second, third, NULL);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    assert_null (mot_request_body (request));
    assert_int_equal (mot_request_delimited (request), delimited);
    reply_ack (request, "bad-1");
    mot_request_destroy (&request);
    zmsg_t *reply = zmsg_recv (sockets.client);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), delimited ? 2 : 1);
    assert_ack_for (zmsg_last (reply), "bad-1");
    zmsg_destroy (&reply);
    close_sockets (&sockets);
}

static void
test_wrong_framing_has_no_body_and_is_answered (void **state)
{
    (void) state;
    assert_wrong_framing_is_answered ("", "one", "two", true);     /* mot_raw multiframe */
    assert_wrong_framing_is_answered ("", NULL, NULL, true);       /* a delimiter and nothing */
    assert_wrong_framing_is_answered ("one", "two", NULL, false);  /* two frames, no delimiter */
}

static void
test_a_request_may_be_answered_twice (void **state)
{
    (void) state;
    sockets_t sockets = open_sockets (ZMQ_DEALER);
    send_frames (sockets.client, "", "body", NULL);
    mot_request_t *request = mot_request_recv (sockets.router);
    assert_non_null (request);
    reply_ack (request, "first");
    reply_ack (request, "second");
    mot_request_destroy (&request);
    for (int i = 0; i < 2; i++) {
        zmsg_t *reply = zmsg_recv (sockets.client);
        assert_non_null (reply);
        assert_int_equal (zmsg_size (reply), 2);
        assert_ack_for (zmsg_last (reply), i == 0 ? "first" : "second");
        zmsg_destroy (&reply);
    }
    close_sockets (&sockets);
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
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    zsys_shutdown ();
    return failed;
}
