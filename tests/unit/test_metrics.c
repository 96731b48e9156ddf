/*  test_metrics — the registry and its Prometheus text (format 0.0.4),
 *  against text written by hand; and that two threads, one counting and
 *  one rendering, agree on the total.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int
reset (void **state)
{
    (void) state;
    mot_metrics_reset ();
    return 0;
}

static void
assert_rendered (const char *expected)
{
    char *text = mot_metrics_render ();
    assert_non_null (text);
    assert_string_equal (text, expected);
    free (text);
}

static void
test_empty_registry_renders_nothing (void **state)
{
    (void) state;
    assert_rendered ("");
}

static void
test_counters_by_label_in_first_use_order (void **state)
{
    (void) state;
    mot_counter_t *accepted = mot_metrics_counter ("mot_intake_requests_total", "Requests answered, by outcome.",
                                                   "outcome", "accepted", "code", "OK", NULL);
    mot_counter_add (accepted, 3);
    mot_counter_add (mot_metrics_counter ("mot_intake_requests_total", "ignored: the first help stays", "outcome",
                                          "refused", "code", "MISSING_FIELD", NULL),
                     1);
    /* the same name and labels: the same series */
    assert_ptr_equal (accepted, mot_metrics_counter ("mot_intake_requests_total", "", "outcome", "accepted", "code",
                                                     "OK", NULL));
    mot_counter_add (accepted, 2);
    mot_counter_add (mot_metrics_counter ("mot_redis_reconnects_total", "Reconnections.", NULL), 0);
    assert_rendered ("# HELP mot_intake_requests_total Requests answered, by outcome.\n"
                     "# TYPE mot_intake_requests_total counter\n"
                     "mot_intake_requests_total{outcome=\"accepted\",code=\"OK\"} 5\n"
                     "mot_intake_requests_total{outcome=\"refused\",code=\"MISSING_FIELD\"} 1\n"
                     "# HELP mot_redis_reconnects_total Reconnections.\n"
                     "# TYPE mot_redis_reconnects_total counter\n"
                     "mot_redis_reconnects_total 0\n");
}

static void
test_gauges_print_shortest_exact_numbers (void **state)
{
    (void) state;
    mot_gauge_set (mot_metrics_gauge ("mot_timers_pending", "Timers waiting.", NULL), 1200);
    mot_gauge_t *ratio = mot_metrics_gauge ("mot_test_ratio", "A fraction.", "kind", "a", NULL);
    mot_gauge_set (ratio, 0.1);
    mot_gauge_set (mot_metrics_gauge ("mot_test_ratio", "", "kind", "b", NULL), -2.5);
    mot_gauge_set (mot_metrics_gauge ("mot_test_ratio", "", "kind", "c", NULL), 1.0 / 3.0);
    assert_rendered ("# HELP mot_timers_pending Timers waiting.\n"
                     "# TYPE mot_timers_pending gauge\n"
                     "mot_timers_pending 1200\n"
                     "# HELP mot_test_ratio A fraction.\n"
                     "# TYPE mot_test_ratio gauge\n"
                     "mot_test_ratio{kind=\"a\"} 0.1\n"
                     "mot_test_ratio{kind=\"b\"} -2.5\n"
                     "mot_test_ratio{kind=\"c\"} 0.33333333333333331\n");
}

static void
test_histogram_buckets_are_cumulative_with_inf_sum_and_count (void **state)
{
    (void) state;
    static const double bounds[] = {0.25, 1, 2.5};
    mot_histogram_t *ack = mot_metrics_histogram ("mot_intake_ack_seconds", "Time to acknowledge.", bounds, 3,
                                                  "outcome", "accepted", NULL);
    mot_histogram_observe (ack, 0.25);          /* on a bound: in it (le) */
    mot_histogram_observe (ack, 0.5);
    mot_histogram_observe (ack, 0.75);
    mot_histogram_observe (ack, 4);             /* above every bound: +Inf only */
    mot_histogram_t *none = mot_metrics_histogram ("mot_lag_seconds", "Lag.", bounds, 3, NULL);
    (void) none;
    assert_rendered ("# HELP mot_intake_ack_seconds Time to acknowledge.\n"
                     "# TYPE mot_intake_ack_seconds histogram\n"
                     "mot_intake_ack_seconds_bucket{outcome=\"accepted\",le=\"0.25\"} 1\n"
                     "mot_intake_ack_seconds_bucket{outcome=\"accepted\",le=\"1\"} 3\n"
                     "mot_intake_ack_seconds_bucket{outcome=\"accepted\",le=\"2.5\"} 3\n"
                     "mot_intake_ack_seconds_bucket{outcome=\"accepted\",le=\"+Inf\"} 4\n"
                     "mot_intake_ack_seconds_sum{outcome=\"accepted\"} 5.5\n"
                     "mot_intake_ack_seconds_count{outcome=\"accepted\"} 4\n"
                     "# HELP mot_lag_seconds Lag.\n"
                     "# TYPE mot_lag_seconds histogram\n"
                     "mot_lag_seconds_bucket{le=\"0.25\"} 0\n"
                     "mot_lag_seconds_bucket{le=\"1\"} 0\n"
                     "mot_lag_seconds_bucket{le=\"2.5\"} 0\n"
                     "mot_lag_seconds_bucket{le=\"+Inf\"} 0\n"
                     "mot_lag_seconds_sum 0\n"
                     "mot_lag_seconds_count 0\n");
}

static void
test_label_values_and_help_are_escaped (void **state)
{
    (void) state;
    mot_counter_add (mot_metrics_counter ("mot_test_total", "Back\\slash and\nnewline \"kept\".", "reason",
                                          "a \"quoted\" back\\slash\nand newline", NULL),
                     7);
    assert_rendered ("# HELP mot_test_total Back\\\\slash and\\nnewline \"kept\".\n"
                     "# TYPE mot_test_total counter\n"
                     "mot_test_total{reason=\"a \\\"quoted\\\" back\\\\slash\\nand newline\"} 7\n");
}

static void
test_bad_names_and_type_clashes_give_null_and_nothing_breaks (void **state)
{
    (void) state;
    assert_null (mot_metrics_counter ("1starts_with_digit", "", NULL));
    assert_null (mot_metrics_counter ("has-dash_total", "", NULL));
    assert_null (mot_metrics_counter ("ok_total", "", "bad-label", "x", NULL));
    assert_null (mot_metrics_counter ("ok_total", "", "__reserved", "x", NULL));
    assert_null (mot_metrics_counter ("ok_total", "", "label", NULL));
    static const double descending[] = {1, 0.5};
    assert_null (mot_metrics_histogram ("h_seconds", "", descending, 2, NULL));
    mot_gauge_set (mot_metrics_gauge ("mot_clash", "A gauge.", NULL), 1);
    mot_counter_t *clash = mot_metrics_counter ("mot_clash", "", NULL);
    assert_null (clash);
    mot_counter_add (clash, 1);                 /* a NULL series: nothing */
    mot_gauge_set (NULL, 1);
    mot_histogram_observe (NULL, 1);
    assert_rendered ("# HELP mot_clash A gauge.\n"
                     "# TYPE mot_clash gauge\n"
                     "mot_clash 1\n");
}

/* One thread counts 200,000 while this one renders: no update is lost or
 * half seen (ASan and valgrind watch the memory, the total the values). */
static void *
count_many (void *arg)
{
    mot_counter_t *counter = arg;
    for (int i = 0; i < 200000; i++)
        mot_counter_add (counter, 1);
    return NULL;
}

static void
test_counting_while_rendering_loses_nothing (void **state)
{
    (void) state;
    mot_counter_t *counter = mot_metrics_counter ("mot_test_total", "Counted.", NULL);
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, count_many, counter), 0);
    for (int i = 0; i < 50; i++) {
        char *text = mot_metrics_render ();
        assert_non_null (text);
        assert_non_null (strstr (text, "mot_test_total "));
        free (text);
    }
    pthread_join (thread, NULL);
    assert_rendered ("# HELP mot_test_total Counted.\n"
                     "# TYPE mot_test_total counter\n"
                     "mot_test_total 200000\n");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_empty_registry_renders_nothing, reset),
        cmocka_unit_test_setup (test_counters_by_label_in_first_use_order, reset),
        cmocka_unit_test_setup (test_gauges_print_shortest_exact_numbers, reset),
        cmocka_unit_test_setup (test_histogram_buckets_are_cumulative_with_inf_sum_and_count, reset),
        cmocka_unit_test_setup (test_label_values_and_help_are_escaped, reset),
        cmocka_unit_test_setup (test_bad_names_and_type_clashes_give_null_and_nothing_breaks, reset),
        cmocka_unit_test_setup_teardown (test_counting_while_rendering_loses_nothing, reset, reset),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
