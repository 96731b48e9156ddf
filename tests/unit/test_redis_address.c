/*  test_redis_address — unit tests for mot_redis_address: the three forms
 *  of `--redis` (unix:, HOST:PORT, sentinel:…/MASTER) taken apart as
 *  written, every malformed one refused with the sentence that says why,
 *  and `--redis-wait REPLICAS[:TIMEOUT_MS]`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mot_redis_address.h"

static void
test_unix_socket (void **state)
{
    (void) state;
    mot_redis_address_t *address = mot_redis_address_parse ("unix:/run/mot/redis.sock", NULL);
    assert_non_null (address);
    assert_int_equal (address->kind, MOT_REDIS_UNIX);
    assert_string_equal (address->path, "/run/mot/redis.sock");
    mot_redis_address_destroy (&address);
    assert_null (address);
}

/* `text` is HOST:PORT with these parts. */
static void
assert_server (const char *text, const char *host, int port)
{
    mot_redis_address_t *address = mot_redis_address_parse (text, NULL);
    assert_non_null (address);
    assert_int_equal (address->kind, MOT_REDIS_TCP);
    assert_string_equal (address->server.host, host);
    assert_int_equal (address->server.port, port);
    mot_redis_address_destroy (&address);
}

static void
test_host_and_port (void **state)
{
    (void) state;
    assert_server ("127.0.0.1:6379", "127.0.0.1", 6379);
    assert_server ("redis.internal:1", "redis.internal", 1);
    /* IPv6: the last colon separates the port, brackets optional */
    assert_server ("[::1]:65535", "::1", 65535);
    assert_server ("::1:7000", "::1", 7000);
}

static void
test_three_sentinels (void **state)
{
    (void) state;
    mot_redis_address_t *address
        = mot_redis_address_parse ("sentinel:10.0.0.1:26379,10.0.0.2:26380,[fd00::3]:26381/mot-main", NULL);
    assert_non_null (address);
    assert_int_equal (address->kind, MOT_REDIS_SENTINEL);
    assert_int_equal (address->sentinel_count, 3);
    assert_string_equal (address->sentinels[0].host, "10.0.0.1");
    assert_int_equal (address->sentinels[0].port, 26379);
    assert_string_equal (address->sentinels[1].host, "10.0.0.2");
    assert_int_equal (address->sentinels[1].port, 26380);
    assert_string_equal (address->sentinels[2].host, "fd00::3");
    assert_int_equal (address->sentinels[2].port, 26381);
    assert_string_equal (address->master, "mot-main");
    mot_redis_address_destroy (&address);
}

static void
test_one_sentinel (void **state)
{
    (void) state;
    mot_redis_address_t *address = mot_redis_address_parse ("sentinel:localhost:26379/mymaster", NULL);
    assert_non_null (address);
    assert_int_equal (address->sentinel_count, 1);
    assert_string_equal (address->sentinels[0].host, "localhost");
    assert_int_equal (address->sentinels[0].port, 26379);
    assert_string_equal (address->master, "mymaster");
    mot_redis_address_destroy (&address);
}

/* Each malformed address is refused with its own sentence. */
static void
assert_refused (const char *text, const char *expected_error)
{
    const char *error = NULL;
    mot_redis_address_t *address = mot_redis_address_parse (text, &error);
    if (address)
        fail_msg ("'%s' was accepted", text);
    assert_non_null (error);
    if (strcmp (error, expected_error) != 0)
        fail_msg ("'%s': expected \"%s\", got \"%s\"", text, expected_error, error);
}

static void
test_malformed_addresses (void **state)
{
    (void) state;
    const char *no_port = "a server must be HOST:PORT (no port given)";
    const char *bad_port = "a port must be a number from 1 to 65535";
    const char *bad_host = "a server's host is empty or holds a space, ',' or '/'";
    const char *no_master = "a sentinel address must end with /MASTER (the name the sentinels monitor)";
    const char *bad_master = "the master's name must be 1 to 64 letters, digits, '.', '_' or '-'";
    const char *empty = "an empty sentinel in the list (HOST:PORT,HOST:PORT…)";
    assert_refused ("", "no address: unix:/path, HOST:PORT or sentinel:HOST:PORT[,HOST:PORT…]/MASTER");
    assert_refused ("unix:", "unix: needs the socket's path");
    assert_refused ("localhost", no_port);
    assert_refused ("localhost:", bad_port);
    assert_refused ("localhost:0", bad_port);
    assert_refused ("localhost:65536", bad_port);
    assert_refused ("localhost:63a9", bad_port);
    assert_refused ("localhost:-1", bad_port);
    assert_refused (":6379", bad_host);
    assert_refused ("two words:6379", bad_host);
    assert_refused ("sentinel:h1:26379", no_master);
    assert_refused ("sentinel:h1:26379/", bad_master);
    assert_refused ("sentinel:h1:26379/my master", bad_master);
    assert_refused ("sentinel:h1:26379/a,b", bad_master);
    assert_refused ("sentinel:/mymaster", empty);
    assert_refused ("sentinel:h1:26379,/mymaster", empty);
    assert_refused ("sentinel:,h1:26379/mymaster", empty);
    assert_refused ("sentinel:h1:26379,,h2:26379/mymaster", empty);
    assert_refused ("sentinel:h1/mymaster", no_port);
    assert_refused ("sentinel:h1:26379,h2/mymaster", no_port);
    assert_refused ("sentinel:h1:99999/mymaster", bad_port);
    assert_refused ("sentinel:h1:2637x/mymaster", bad_port);
    assert_refused ("sentinel:h 1:26379/mymaster", bad_host);
    assert_refused ("sentinel:h1:1,h2:2,h3:3,h4:4,h5:5,h6:6,h7:7,h8:8,h9:9,h10:10,h11:11,h12:12,h13:13,h14:14,"
                    "h15:15,h16:16,h17:17/m",
                    "more than 16 sentinels");
    char long_name[80] = "sentinel:h:1/";
    memset (long_name + strlen (long_name), 'm', 65);
    assert_refused (long_name, bad_master);
    assert_null (mot_redis_address_parse (NULL, NULL));
}

static void
test_sixteen_sentinels_and_a_long_name (void **state)
{
    (void) state;
    char text[256] = "sentinel:h1:1,h2:2,h3:3,h4:4,h5:5,h6:6,h7:7,h8:8,h9:9,h10:10,h11:11,h12:12,h13:13,h14:14,"
                     "h15:15,h16:16/";
    memset (text + strlen (text), 'm', 64);
    mot_redis_address_t *address = mot_redis_address_parse (text, NULL);
    assert_non_null (address);
    assert_int_equal (address->sentinel_count, 16);
    assert_string_equal (address->sentinels[15].host, "h16");
    assert_int_equal (address->sentinels[15].port, 16);
    assert_int_equal (strlen (address->master), 64);
    mot_redis_address_destroy (&address);
}

static void
test_wait_setting (void **state)
{
    (void) state;
    int replicas = -1, timeout = -1;
    const char *error = NULL;
    assert_true (mot_redis_wait_parse ("", &replicas, &timeout, &error));
    assert_int_equal (replicas, 0);
    assert_true (mot_redis_wait_parse ("off", &replicas, &timeout, &error));
    assert_int_equal (replicas, 0);
    assert_true (mot_redis_wait_parse ("0", &replicas, &timeout, &error));
    assert_int_equal (replicas, 0);
    assert_true (mot_redis_wait_parse ("1", &replicas, &timeout, &error));
    assert_int_equal (replicas, 1);
    assert_int_equal (timeout, 1000);
    assert_true (mot_redis_wait_parse ("2:250", &replicas, &timeout, &error));
    assert_int_equal (replicas, 2);
    assert_int_equal (timeout, 250);
    assert_true (mot_redis_wait_parse ("100:3600000", &replicas, &timeout, &error));
    assert_int_equal (replicas, 100);
    assert_int_equal (timeout, 3600000);

    const char *bad_replicas = "--redis-wait must be off or REPLICAS[:TIMEOUT_MS], REPLICAS from 1 to 100";
    const char *bad_timeout = "--redis-wait's TIMEOUT_MS must be a number of milliseconds from 1 to 3600000";
    const char *refused[][2] = {{"on", bad_replicas},     {"-1", bad_replicas},   {"101", bad_replicas},
                                {":500", bad_replicas},   {"1 ", bad_replicas},   {"1:", bad_timeout},
                                {"1:0", bad_timeout},     {"1:3600001", bad_timeout}, {"1:5s", bad_timeout},
                                {"1:500:2", bad_timeout}};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        error = NULL;
        if (mot_redis_wait_parse (refused[i][0], &replicas, &timeout, &error))
            fail_msg ("'%s' was accepted", refused[i][0]);
        assert_non_null (error);
        assert_string_equal (error, refused[i][1]);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_unix_socket),
        cmocka_unit_test (test_host_and_port),
        cmocka_unit_test (test_three_sentinels),
        cmocka_unit_test (test_one_sentinel),
        cmocka_unit_test (test_malformed_addresses),
        cmocka_unit_test (test_sixteen_sentinels_and_a_long_name),
        cmocka_unit_test (test_wait_setting),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
