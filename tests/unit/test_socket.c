/*  test_socket — unit tests for mot_socket's TCP keepalive: every socket it
 *  makes, and a subscriber's socket made elsewhere, probes an idle peer
 *  after 10 s, 3 times 5 s apart (a host that lost power is noticed within
 *  25 s; tests/e2e/test_hosts.sh shows why it matters).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "mot_socket.h"

static void
assert_kept_alive (zsock_t *socket)
{
    assert_int_equal (zsock_tcp_keepalive (socket), 1);
    assert_int_equal (zsock_tcp_keepalive_idle (socket), 10);
    assert_int_equal (zsock_tcp_keepalive_intvl (socket), 5);
    assert_int_equal (zsock_tcp_keepalive_cnt (socket), 3);
}

static void
test_every_socket_is_kept_alive (void **state)
{
    (void) state;
    const int types[] = {ZMQ_PUSH, ZMQ_PULL, ZMQ_ROUTER, ZMQ_DEALER, ZMQ_XPUB, ZMQ_REQ};
    const mot_socket_options_t options = {.sndhwm = 10};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char endpoint[64];
        snprintf (endpoint, sizeof endpoint, "@inproc://test-socket-%zu", i);
        zsock_t *socket = mot_socket_new (types[i], endpoint, true, NULL, i % 2 ? &options : NULL, "test");
        assert_non_null (socket);
        assert_kept_alive (socket);
        zsock_destroy (&socket);
    }
}

static void
test_a_socket_made_elsewhere_is_kept_alive (void **state)
{
    (void) state;
    zsock_t *socket = zsock_new (ZMQ_SUB);
    assert_non_null (socket);
    assert_int_equal (zsock_tcp_keepalive (socket), -1);       /* libzmq's default: the system's (off) */
    mot_socket_keep_alive (socket);
    assert_kept_alive (socket);
    zsock_destroy (&socket);
}

int
main (void)
{
    setenv ("MOT_CURVE", "off", 1);     /* plain sockets: no certificates here */
    zsys_init ();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_every_socket_is_kept_alive),
        cmocka_unit_test (test_a_socket_made_elsewhere_is_kept_alive),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    zsys_shutdown ();
    return failed;
}
