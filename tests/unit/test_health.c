/*  test_health — mot_health's answers over real HTTP on loopback: /healthz
 *  and /readyz as the loop's beats, Redis and readiness change (a beat
 *  older than MOT_HEALTH_STALE_MS is a stuck loop), /metrics, refusals,
 *  the --metrics option's names and defaults, and the addresses refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_health.h"
#include "mot_metrics.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One HTTP/1.0 request; the status code, the body copied into `body`. */
static int
request (unsigned port, const char *method, const char *path, char *body, size_t size)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (fd >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons ((uint16_t) port)};
    inet_pton (AF_INET, "127.0.0.1", &address.sin_addr);
    assert_int_equal (connect (fd, (struct sockaddr *) &address, sizeof address), 0);
    char text[8192];
    int length = snprintf (text, sizeof text, "%s %s HTTP/1.0\r\nHost: test\r\n\r\n", method, path);
    assert_int_equal (write (fd, text, (size_t) length), length);
    size_t got = 0;
    ssize_t n;
    while (got < sizeof text - 1 && (n = read (fd, text + got, sizeof text - 1 - got)) > 0)
        got += (size_t) n;
    close (fd);
    text[got] = '\0';
    int status = 0;
    assert_int_equal (sscanf (text, "HTTP/1.%*d %d", &status), 1);
    const char *start = strstr (text, "\r\n\r\n");
    snprintf (body, size, "%s", start ? start + 4 : "");
    return status;
}

static void
assert_answer (unsigned port, const char *path, int status, const char *expected)
{
    char body[4096];
    assert_int_equal (request (port, "GET", path, body, sizeof body), status);
    assert_string_equal (body, expected);
}

static void
test_health_and_readiness_follow_the_loop (void **state)
{
    (void) state;
    bool failed = true;
    mot_health_t *health = mot_health_new ("127.0.0.1:0", &failed);
    assert_non_null (health);
    assert_false (failed);
    unsigned port = mot_health_port (health);
    assert_true (port > 0);
    assert_answer (port, "/healthz", 503, "the loop has not run yet\n");
    assert_answer (port, "/readyz", 503, "not ready: the loop has not run yet\n");
    mot_health_beat (health, true);
    assert_answer (port, "/healthz", 200, "ok\n");
    assert_answer (port, "/readyz", 503, "not ready: not serving (starting or stopping)\n");
    mot_health_set_ready (health, true);
    assert_answer (port, "/readyz", 200, "ok\n");
    mot_health_beat (health, false);
    assert_answer (port, "/healthz", 503, "Redis does not answer\n");
    assert_answer (port, "/readyz", 503, "not ready: Redis does not answer\n");
    mot_health_beat (health, true);
    assert_answer (port, "/readyz", 200, "ok\n");
    /* No beat for longer than MOT_HEALTH_STALE_MS: the loop is stuck. */
    usleep ((MOT_HEALTH_STALE_MS + 700) * 1000);
    assert_answer (port, "/healthz", 503, "the loop is stuck: its last beat is too old\n");
    assert_answer (port, "/readyz", 503, "not ready: the loop is stuck: its last beat is too old\n");
    mot_health_beat (health, true);
    assert_answer (port, "/healthz", 200, "ok\n");
    mot_health_destroy (&health);
    mot_metrics_reset ();
}

static void
test_metrics_refusals_and_head (void **state)
{
    (void) state;
    bool failed;
    mot_health_t *health = mot_health_new ("127.0.0.1:0", &failed);
    assert_non_null (health);
    unsigned port = mot_health_port (health);
    mot_counter_add (mot_metrics_counter ("mot_test_total", "Counted.", NULL), 3);
    char body[4096];
    assert_int_equal (request (port, "GET", "/metrics", body, sizeof body), 200);
    /* mot_ready (registered by mot_health_new; the Redis series come with
     * mot_health_attach, which a program without Redis never calls), then
     * this one */
    assert_string_equal (body,
                         "# HELP mot_ready 1 while /readyz answers 200.\n"
                         "# TYPE mot_ready gauge\n"
                         "mot_ready 0\n"
                         "# HELP mot_test_total Counted.\n"
                         "# TYPE mot_test_total counter\n"
                         "mot_test_total 3\n");
    mot_health_beat (health, true);
    mot_health_set_ready (health, true);
    assert_int_equal (request (port, "GET", "/metrics", body, sizeof body), 200);
    assert_non_null (strstr (body, "\nmot_ready 1\n"));
    assert_null (strstr (body, "mot_redis_up"));
    assert_int_equal (request (port, "HEAD", "/healthz", body, sizeof body), 200);
    assert_string_equal (body, "");
    assert_int_equal (request (port, "POST", "/metrics", body, sizeof body), 405);
    assert_int_equal (request (port, "GET", "/", body, sizeof body), 404);
    assert_int_equal (request (port, "GET", "/metrics/x", body, sizeof body), 404);
    /* the port is taken: a second listener is refused, not shared */
    char taken[32];
    snprintf (taken, sizeof taken, "127.0.0.1:%u", port);
    mot_health_t *second = mot_health_new (taken, &failed);
    assert_null (second);
    assert_true (failed);
    mot_health_destroy (&health);
    mot_metrics_reset ();
}

static void
test_addresses (void **state)
{
    (void) state;
    bool failed = true;
    assert_null (mot_health_new ("off", &failed));
    assert_false (failed);
    const char *bad[] = {"", "5570", "localhost:5570", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                         "127.0.0.1:55 70", "127.0.0.1:123456", "::1:5570"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        failed = false;
        assert_null (mot_health_new (bad[i], &failed));
        assert_true (failed);
    }
    struct sockaddr_in out;
    assert_true (mot_health_read_address ("10.1.2.3:9100", false, &out));
    assert_int_equal (ntohs (out.sin_port), 9100);
    assert_int_equal (ntohl (out.sin_addr.s_addr), 0x0a010203);
    assert_false (mot_health_read_address ("10.1.2.3:0", false, &out));
    assert_true (mot_health_read_address ("10.1.2.3:0", true, &out));
    assert_false (mot_health_read_address (NULL, true, &out));
    mot_metrics_reset ();
}

static void
test_option_names_and_defaults (void **state)
{
    (void) state;
    mot_health_option_storage_t storage;
    unsetenv ("MOT_DEADLINE_WATCHER_METRICS");
    unsetenv ("MOT_CLASSIFIER_METRICS");
    mot_option_t option = mot_health_option ("deadline-watcher", &storage);
    assert_string_equal (option.name, "metrics");
    assert_string_equal (option.env, "MOT_METRICS");
    assert_string_equal (option.fallback, "127.0.0.1:5572");
    assert_non_null (strstr (option.help, "MOT_DEADLINE_WATCHER_METRICS"));
    assert_string_equal (mot_health_option ("intake", &storage).fallback, "127.0.0.1:5570");
    assert_string_equal (mot_health_option ("classifier", &storage).fallback, "127.0.0.1:5571");
    assert_string_equal (mot_health_option ("notifier", &storage).fallback, "127.0.0.1:5573");
    assert_string_equal (mot_health_option ("reporter", &storage).fallback, "127.0.0.1:5574");
    assert_string_equal (mot_health_option ("proxy", &storage).fallback, "127.0.0.1:5575");
    assert_string_equal (mot_health_option ("something-else", &storage).fallback, "off");
    /* the service's variable, for a host's whole environment, becomes the
     * default under MOT_METRICS (mot_config reads that one first) */
    setenv ("MOT_CLASSIFIER_METRICS", "127.0.0.1:5581", 1);
    option = mot_health_option ("classifier", &storage);
    assert_string_equal (option.env, "MOT_METRICS");
    assert_string_equal (option.fallback, "127.0.0.1:5581");
    assert_string_equal (mot_health_option ("intake", &storage).fallback, "127.0.0.1:5570");
    unsetenv ("MOT_CLASSIFIER_METRICS");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_health_and_readiness_follow_the_loop),
        cmocka_unit_test (test_metrics_refusals_and_head),
        cmocka_unit_test (test_addresses),
        cmocka_unit_test (test_option_names_and_defaults),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
