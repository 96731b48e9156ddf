/*  motctl_calendar — the `due` and `holidays` verbs.
 *
 *  Owns: the command-line face of mot_calendar, for people checking a
 *  deadline and for the ops team checking an edited calendar file:
 *    motctl due [--calendar FILE] DATE N
 *    motctl holidays [--calendar FILE] YEAR
 *  Without --calendar the shipped MOT_CALENDAR_DEFAULT_FILE is used.
 */
#include "motctl.h"

#include "mot_calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUSINESS_DAYS 10000
#define MAX_POSITIONALS 2

#define DUE_USAGE                                                                              \
    "usage: motctl due [--calendar FILE] DATE N\n"                                             \
    "  Prints the N-th business day after DATE (YYYY-MM-DD; DATE itself never\n"               \
    "  counts; N = 0..10000, 0 prints DATE).\n"                                                \
    "  --calendar FILE, --calendar=FILE   extra non-working days (default\n"                   \
    "      " MOT_CALENDAR_DEFAULT_FILE ";\n"                                                   \
    "      an empty file such as /dev/null means statutory days only)\n"

#define HOLIDAYS_USAGE                                                                         \
    "usage: motctl holidays [--calendar FILE] YEAR\n"                                          \
    "  Prints YEAR's non-working weekdays (1900..9999), one per line as\n"                     \
    "  YYYY-MM-DD<TAB>name.\n"                                                                 \
    "  --calendar FILE, --calendar=FILE   extra non-working days (default\n"                   \
    "      " MOT_CALENDAR_DEFAULT_FILE ";\n"                                                   \
    "      an empty file such as /dev/null means statutory days only)\n"

typedef struct {
    const char *calendar_path;
    const char *positionals[MAX_POSITIONALS];
    int positional_count;
    bool help;
} calendar_args_t;

static int
usage_error (const char *verb, const char *usage, const char *message, const char *value)
{
    if (value)
        fprintf (stderr, "motctl %s: %s '%s'\n", verb, message, value);
    else
        fprintf (stderr, "motctl %s: %s\n", verb, message);
    fputs (usage, stderr);
    return 2;
}

/* "-5" is a (bad) number, not an option. */
static bool
looks_like_option (const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0' && !(arg[1] >= '0' && arg[1] <= '9');
}

/* Parses [--calendar FILE | --calendar=FILE | --help] and positionals.
 * Returns 0, or 2 after printing a usage error. */
static int
parse_calendar_args (int argc, char **argv, int expected, const char *usage, calendar_args_t *args)
{
    const char *verb = argv[0];
    *args = (calendar_args_t){.calendar_path = MOT_CALENDAR_DEFAULT_FILE};
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp (arg, "--") == 0)
            options_done = true;
        else if (!options_done && (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0))
            args->help = true;
        else if (!options_done && strcmp (arg, "--calendar") == 0) {
            if (++i >= argc)
                return usage_error (verb, usage, "--calendar needs a FILE", NULL);
            args->calendar_path = argv[i];
        }
        else if (!options_done && strncmp (arg, "--calendar=", 11) == 0)
            args->calendar_path = arg + 11;
        else if (!options_done && looks_like_option (arg))
            return usage_error (verb, usage, "unknown option", arg);
        else if (args->positional_count < MAX_POSITIONALS)
            args->positionals[args->positional_count++] = arg;
        else
            return usage_error (verb, usage, "too many arguments, starting at", arg);
    }
    if (args->help)
        return 0;
    if (*args->calendar_path == '\0')
        return usage_error (verb, usage, "--calendar needs a FILE", NULL);
    if (args->positional_count != expected)
        return usage_error (verb, usage, "wrong number of arguments", NULL);
    return 0;
}

/* A decimal integer in [min, max], digits only. */
static bool
parse_bounded_number (const char *text, long min, long max, long *value)
{
    if (*text == '\0')
        return false;
    long result = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        result = result * 10 + (*c - '0');
        if (result > max)
            return false;
    }
    if (result < min)
        return false;
    *value = result;
    return true;
}

static mot_calendar_t *
load_calendar (const char *verb, const char *path)
{
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (path, &error);
    if (!calendar) {
        fprintf (stderr, "motctl %s: cannot load calendar: %s\n", verb,
                 error ? error : "out of memory");
        free (error);
    }
    return calendar;
}

/* 0, or 1 when stdout could not be written (e.g. a closed pipe or full disk). */
static int
finish_output (const char *verb)
{
    if (fflush (stdout) != 0 || ferror (stdout)) {
        fprintf (stderr, "motctl %s: cannot write the output\n", verb);
        return 1;
    }
    return 0;
}

int
motctl_due (int argc, char **argv)
{
    calendar_args_t args;
    int rc = parse_calendar_args (argc, argv, 2, DUE_USAGE, &args);
    if (rc != 0)
        return rc;
    if (args.help) {
        fputs (DUE_USAGE, stdout);
        return finish_output (argv[0]);
    }
    mot_day_t from;
    long n;
    if (!mot_day_parse (args.positionals[0], &from))
        return usage_error (argv[0], DUE_USAGE, "DATE must be a real YYYY-MM-DD date, got",
                            args.positionals[0]);
    if (!parse_bounded_number (args.positionals[1], 0, MAX_BUSINESS_DAYS, &n))
        return usage_error (argv[0], DUE_USAGE, "N must be a whole number 0..10000, got",
                            args.positionals[1]);
    mot_calendar_t *calendar = load_calendar (argv[0], args.calendar_path);
    if (!calendar)
        return 1;
    mot_day_t due = mot_calendar_add_business_days (calendar, from, (int) n);
    mot_calendar_destroy (&calendar);
    if (due > mot_day_from_ymd (9999, 12, 31)) {
        fprintf (stderr, "motctl %s: the result falls after 9999-12-31\n", argv[0]);
        return 2;
    }
    char text[MOT_DAY_TEXT_SIZE];
    mot_day_format (due, text);
    printf ("%s\n", text);
    return finish_output (argv[0]);
}

static void
print_holiday (mot_day_t day, const char *name, void *arg)
{
    (void) arg;
    char date[MOT_DAY_TEXT_SIZE];
    mot_day_format (day, date);
    printf ("%s\t%s\n", date, name);
}

int
motctl_holidays (int argc, char **argv)
{
    calendar_args_t args;
    int rc = parse_calendar_args (argc, argv, 1, HOLIDAYS_USAGE, &args);
    if (rc != 0)
        return rc;
    if (args.help) {
        fputs (HOLIDAYS_USAGE, stdout);
        return finish_output (argv[0]);
    }
    long year;
    if (!parse_bounded_number (args.positionals[0], 1900, 9999, &year))
        return usage_error (argv[0], HOLIDAYS_USAGE, "YEAR must be 1900..9999, got",
                            args.positionals[0]);
    mot_calendar_t *calendar = load_calendar (argv[0], args.calendar_path);
    if (!calendar)
        return 1;
    mot_calendar_each_holiday (calendar, (int) year, print_holiday, NULL);
    mot_calendar_destroy (&calendar);
    return finish_output (argv[0]);
}
