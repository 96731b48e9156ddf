/*  test_config — unit tests for mot_config: flag > environment > default,
 *  both flag spellings, usage errors and --help, positionals, typed getters
 *  and the common options every binary gets (mot_config.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mot_config.h"

static const mot_option_t options[] = {
    {"port", "MOT_UT_PORT", "5555", "a port"},
    {"name", "MOT_UT_NAME", NULL, "an option without a default"},
    {"verbose", "MOT_UT_VERBOSE", "no", "a boolean"},
    {NULL, NULL, NULL, NULL}};

static const char *const environment[] = {"MOT_UT_PORT", "MOT_UT_NAME", "MOT_UT_VERBOSE", "MOT_REDIS",
                                          "MOT_ENV", "MOT_TEST_CLOCK", "MOT_LOG_LEVEL"};

/* Every test starts (and ends) with none of our variables set. */
static int
clear_environment (void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof environment / sizeof environment[0]; i++)
        unsetenv (environment[i]);
    return 0;
}

/* Parses the NULL-terminated arguments (after the program name). */
static mot_config_t *
vparse (int *exit_code, va_list args)
{
    char *argv[32] = {(char *) "test_config"};
    int argc = 1;
    for (const char *arg = va_arg (args, const char *); arg; arg = va_arg (args, const char *)) {
        assert_true (argc < 31);
        argv[argc++] = (char *) arg;
    }
    *exit_code = -1;
    return mot_config_new ("test_config", "unit test of mot_config", options, argc, argv, exit_code);
}

/* The NULL-terminated arguments are accepted: PARSE_OK ("--port=1", NULL). */
static mot_config_t *
parse_ok (int unused, ...)
{
    va_list args;
    va_start (args, unused);
    int exit_code;
    mot_config_t *config = vparse (&exit_code, args);
    va_end (args);
    assert_non_null (config);
    return config;
}
#define PARSE_OK(...) parse_ok (0, __VA_ARGS__)

/* The arguments are refused: NULL, and the exit code `expected`. */
static void
assert_refused (int expected, ...)
{
    va_list args;
    va_start (args, expected);
    int exit_code;
    mot_config_t *config = vparse (&exit_code, args);
    va_end (args);
    assert_null (config);
    assert_int_equal (exit_code, expected);
}

static void
test_default_when_nothing_given (void **state)
{
    (void) state;
    mot_config_t *config = PARSE_OK (NULL);
    assert_string_equal (mot_config_get (config, "port"), "5555");
    assert_null (mot_config_get (config, "name"));
    assert_null (mot_config_get (config, "no-such-option"));
    assert_int_equal (mot_config_positional_count (config), 0);
    mot_config_destroy (&config);
    assert_null (config);
}

static void
test_environment_wins_over_default (void **state)
{
    (void) state;
    setenv ("MOT_UT_PORT", "6000", 1);
    setenv ("MOT_UT_NAME", "from-env", 1);
    mot_config_t *config = PARSE_OK (NULL);
    assert_string_equal (mot_config_get (config, "port"), "6000");
    assert_string_equal (mot_config_get (config, "name"), "from-env");
    mot_config_destroy (&config);
}

static void
test_flag_wins_over_environment (void **state)
{
    (void) state;
    setenv ("MOT_UT_PORT", "6000", 1);
    setenv ("MOT_UT_NAME", "from-env", 1);
    mot_config_t *config = PARSE_OK ("--port=7000", "--name", "from-flag", NULL);
    assert_string_equal (mot_config_get (config, "port"), "7000");
    assert_string_equal (mot_config_get (config, "name"), "from-flag");
    mot_config_destroy (&config);
}

static void
test_both_flag_spellings (void **state)
{
    (void) state;
    mot_config_t *config = PARSE_OK ("--port", "7001", "--name=a=b c", NULL);
    assert_string_equal (mot_config_get (config, "port"), "7001");
    assert_string_equal (mot_config_get (config, "name"), "a=b c");
    assert_int_equal (mot_config_positional_count (config), 0);
    mot_config_destroy (&config);
}

static void
test_unknown_option_is_a_usage_error (void **state)
{
    (void) state;
    assert_refused (2, "--nope", NULL);
    assert_refused (2, "--nope=1", NULL);
    /* Neither a prefix nor an extension of a known name is that option. */
    assert_refused (2, "--por=1", NULL);
    assert_refused (2, "--portx=1", NULL);
    assert_refused (2, "a", "--port", "1", "--nope", NULL);
}

static void
test_missing_value_is_a_usage_error (void **state)
{
    (void) state;
    assert_refused (2, "--port", NULL);
    assert_refused (2, "--name=x", "--redis", NULL);
}

static void
test_help_exits_zero (void **state)
{
    (void) state;
    assert_refused (0, "--help", NULL);
    assert_refused (0, "pos", "--port=1", "--help", NULL);
}

static void
test_positionals_kept_in_order (void **state)
{
    (void) state;
    mot_config_t *config = PARSE_OK ("first", "--port", "1", "second", "--name=n", "third", NULL);
    assert_int_equal (mot_config_positional_count (config), 3);
    assert_string_equal (mot_config_positional (config, 0), "first");
    assert_string_equal (mot_config_positional (config, 1), "second");
    assert_string_equal (mot_config_positional (config, 2), "third");
    assert_null (mot_config_positional (config, 3));
    assert_null (mot_config_positional (config, -1));
    assert_string_equal (mot_config_get (config, "port"), "1");
    assert_string_equal (mot_config_get (config, "name"), "n");
    mot_config_destroy (&config);
}

/* --port=<text> read as an integer in [min, max]. */
static void
assert_long (const char *text, long min, long max, bool ok, long expected)
{
    char flag[64];
    snprintf (flag, sizeof flag, "--port=%s", text);
    mot_config_t *config = PARSE_OK (flag, NULL);
    long value = -12345;
    bool parsed = mot_config_get_long (config, "port", min, max, &value);
    if (parsed != ok)
        fail_msg ("get_long '%s' in [%ld, %ld]: expected %s", text, min, max, ok ? "ok" : "an error");
    assert_int_equal (value, ok ? expected : -12345);
    mot_config_destroy (&config);
}

static void
test_get_long_ranges (void **state)
{
    (void) state;
    assert_long ("42", 1, 100, true, 42);
    assert_long ("1", 1, 100, true, 1);
    assert_long ("100", 1, 100, true, 100);
    assert_long ("-5", -10, 10, true, -5);
    assert_long ("0", 1, 100, false, 0);
    assert_long ("101", 1, 100, false, 0);
    assert_long ("12abc", 1, 100, false, 0);
    assert_long ("abc", 1, 100, false, 0);
    assert_long ("", 1, 100, false, 0);
    assert_long ("4.5", 1, 100, false, 0);
    assert_long ("99999999999999999999999", 1, 100, false, 0);

    /* The default is read the same way; an option without one is an error. */
    mot_config_t *config = PARSE_OK (NULL);
    long value = 0;
    assert_true (mot_config_get_long (config, "port", 1, 65535, &value));
    assert_int_equal (value, 5555);
    value = -1;
    assert_false (mot_config_get_long (config, "name", 0, 10, &value));
    assert_int_equal (value, -1);
    mot_config_destroy (&config);
}

static void
assert_bool (const char *text, bool expected)
{
    char flag[64];
    snprintf (flag, sizeof flag, "--verbose=%s", text);
    mot_config_t *config = PARSE_OK (flag, NULL);
    if (mot_config_get_bool (config, "verbose") != expected)
        fail_msg ("get_bool '%s': expected %s", text, expected ? "true" : "false");
    mot_config_destroy (&config);
}

static void
test_get_bool_values (void **state)
{
    (void) state;
    static const char *const yes[] = {"1", "true", "TRUE", "True", "yes", "YES", "on", "On"};
    static const char *const no[] = {"0", "false", "no", "off", "", "2", "yess", "y", "t", "truex"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_bool (yes[i], true);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_bool (no[i], false);

    mot_config_t *config = PARSE_OK (NULL);
    assert_false (mot_config_get_bool (config, "verbose"));     /* default "no" */
    assert_false (mot_config_get_bool (config, "name"));        /* no value at all */
    mot_config_destroy (&config);
}

static void
test_common_options_and_defaults (void **state)
{
    (void) state;
    mot_config_t *config = PARSE_OK (NULL);
    assert_string_equal (mot_config_get (config, "redis"), "127.0.0.1:6379");
    assert_string_equal (mot_config_get (config, "env"), "production");
    assert_non_null (mot_config_get (config, "test-clock"));
    assert_false (mot_config_get_bool (config, "test-clock"));
    assert_string_equal (mot_config_get (config, "log-level"), "info");
    mot_config_destroy (&config);
}

static void
test_common_options_from_environment_and_flags (void **state)
{
    (void) state;
    setenv ("MOT_REDIS", "unix:/tmp/redis.sock", 1);
    setenv ("MOT_ENV", "test", 1);
    setenv ("MOT_TEST_CLOCK", "1", 1);
    setenv ("MOT_LOG_LEVEL", "debug", 1);
    mot_config_t *config = PARSE_OK (NULL);
    assert_string_equal (mot_config_get (config, "redis"), "unix:/tmp/redis.sock");
    assert_string_equal (mot_config_get (config, "env"), "test");
    assert_true (mot_config_get_bool (config, "test-clock"));
    assert_string_equal (mot_config_get (config, "log-level"), "debug");
    mot_config_destroy (&config);

    config = PARSE_OK ("--redis", "10.0.0.1:7000", "--env=development", "--test-clock=0", "--log-level",
                       "warn", NULL);
    assert_string_equal (mot_config_get (config, "redis"), "10.0.0.1:7000");
    assert_string_equal (mot_config_get (config, "env"), "development");
    assert_false (mot_config_get_bool (config, "test-clock"));
    assert_string_equal (mot_config_get (config, "log-level"), "warn");
    mot_config_destroy (&config);
}

#define TEST(name) cmocka_unit_test_setup_teardown (name, clear_environment, clear_environment)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        TEST (test_default_when_nothing_given),
        TEST (test_environment_wins_over_default),
        TEST (test_flag_wins_over_environment),
        TEST (test_both_flag_spellings),
        TEST (test_unknown_option_is_a_usage_error),
        TEST (test_missing_value_is_a_usage_error),
        TEST (test_help_exits_zero),
        TEST (test_positionals_kept_in_order),
        TEST (test_get_long_ranges),
        TEST (test_get_bool_values),
        TEST (test_common_options_and_defaults),
        TEST (test_common_options_from_environment_and_flags),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
