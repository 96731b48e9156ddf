/*  mot_calendar — Mexican business days (MOT-SPEC §5).
 *
 *  Owns: the LFT art. 74 rules (computed, never listed), the extra
 *  non-working days loaded from the Institute's data file (kept sorted for
 *  binary search), and business-day counting on top of both.
 */
#include "mot_calendar.h"

#include <czmq.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRA_DAY_DEFAULT_NAME "Día inhábil"

typedef struct {
    mot_day_t day;
    char *name;
    size_t line;                    /* where it was read, for error messages */
} extra_day_t;

struct _mot_calendar_t {
    extra_day_t *extras;            /* sorted by day, no duplicates */
    size_t count;
    size_t capacity;
};

/* --------------------------------------------------------------------------
 * Statutory rest days (LFT art. 74)
 */

#define MONDAY 1

static bool
is_nth_monday (int weekday, int dom, int nth)
{
    return weekday == MONDAY && dom > (nth - 1) * 7 && dom <= nth * 7;
}

static bool
is_transfer_of_executive_year (int year)
{
    return year >= 2024 && (year - 2024) % 6 == 0;
}

const char *
mot_calendar_statutory_holiday (mot_day_t day)
{
    int year, month, dom;
    mot_day_to_ymd (day, &year, &month, &dom);
    int weekday = mot_day_weekday (day);
    switch (month) {
        case 1:
            return dom == 1 ? "Año Nuevo" : NULL;
        case 2:
            return is_nth_monday (weekday, dom, 1) ? "Día de la Constitución" : NULL;
        case 3:
            return is_nth_monday (weekday, dom, 3) ? "Natalicio de Benito Juárez" : NULL;
        case 5:
            return dom == 1 ? "Día del Trabajo" : NULL;
        case 9:
            return dom == 16 ? "Día de la Independencia" : NULL;
        case 10:
            return dom == 1 && is_transfer_of_executive_year (year)
                       ? "Transmisión del Poder Ejecutivo Federal"
                       : NULL;
        case 11:
            return is_nth_monday (weekday, dom, 3) ? "Revolución Mexicana" : NULL;
        case 12:
            return dom == 25 ? "Navidad" : NULL;
        default:
            return NULL;
    }
}

/* --------------------------------------------------------------------------
 * Loading the extra days
 */

static char *
text_duplicate (const char *text)
{
    size_t size = strlen (text) + 1;
    char *copy = malloc (size);
    if (copy)
        memcpy (copy, text, size);
    return copy;
}

static bool
is_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Cuts trailing blanks (incl. "\r\n") in place; returns text past leading
 * blanks. */
static char *
trim_blanks (char *text)
{
    size_t length = strlen (text);
    while (length > 0 && is_blank (text[length - 1]))
        text[--length] = '\0';
    while (is_blank (*text))
        text++;
    return text;
}

static bool
calendar_append (mot_calendar_t *self, mot_day_t day, const char *name, size_t line)
{
    if (self->count == self->capacity) {
        size_t capacity = self->capacity ? self->capacity * 2 : 32;
        extra_day_t *extras = realloc (self->extras, capacity * sizeof *extras);
        if (!extras)
            return false;
        self->extras = extras;
        self->capacity = capacity;
    }
    char *copy = text_duplicate (*name ? name : EXTRA_DAY_DEFAULT_NAME);
    if (!copy)
        return false;
    self->extras[self->count++] = (extra_day_t){.day = day, .name = copy, .line = line};
    return true;
}

/* Parses one line; NULL on success (incl. comments and blank lines), else
 * the reason it is wrong (static text). */
static const char *
calendar_parse_line (mot_calendar_t *self, char *line, size_t line_number)
{
    char *text = trim_blanks (line);
    if (*text == '\0' || *text == '#')
        return NULL;
    if (text != line)
        return "blanks before the date";
    char *name = strchr (text, '\t');
    if (name)
        *name++ = '\0';
    else if (strchr (text, ' '))
        return "date and name must be separated by a TAB";
    mot_day_t day;
    if (!mot_day_parse (text, &day))
        return "expected a date YYYY-MM-DD (a real date, year 1900..9999)";
    if (!calendar_append (self, day, name ? trim_blanks (name) : "", line_number))
        return "out of memory";
    return NULL;
}

static int
compare_extra_days (const void *a, const void *b)
{
    const extra_day_t *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->line < y->line ? -1 : (x->line > y->line ? 1 : 0);
}

/* Sorts the extra days; a date listed twice is an error (*error set). */
static bool
calendar_sort (mot_calendar_t *self, const char *path, char **error)
{
    if (self->count > 1)
        qsort (self->extras, self->count, sizeof *self->extras, compare_extra_days);
    for (size_t i = 1; i < self->count; i++) {
        if (self->extras[i].day == self->extras[i - 1].day) {
            char date[MOT_DAY_TEXT_SIZE];
            mot_day_format (self->extras[i].day, date);
            *error = zsys_sprintf ("%s:%zu: %s is already listed at line %zu", path,
                                  self->extras[i].line, date, self->extras[i - 1].line);
            return false;
        }
    }
    return true;
}

static bool
calendar_load (mot_calendar_t *self, const char *path, char **error)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = zsys_sprintf ("%s: %s", path, strerror (errno));
        return false;
    }
    char *line = NULL;
    size_t line_size = 0;
    size_t line_number = 0;
    bool ok = true;
    errno = 0;
    while (ok && getline (&line, &line_size, file) != -1) {
        line_number++;
        const char *reason = calendar_parse_line (self, line, line_number);
        if (reason) {
            *error = zsys_sprintf ("%s:%zu: %s", path, line_number, reason);
            ok = false;
        }
    }
    if (ok && ferror (file)) {
        *error = zsys_sprintf ("%s:%zu: %s", path, line_number + 1, strerror (errno ? errno : EIO));
        ok = false;
    }
    free (line);
    fclose (file);
    return ok && calendar_sort (self, path, error);
}

mot_calendar_t *
mot_calendar_new (const char *path, char **error)
{
    char *ignored = NULL;
    if (!error)
        error = &ignored;
    *error = NULL;
    mot_calendar_t *self = calloc (1, sizeof *self);
    if (!self) {
        *error = zsys_sprintf ("%s", "out of memory");
        return NULL;
    }
    if (path && !calendar_load (self, path, error)) {
        mot_calendar_destroy (&self);
        if (!*error)
            *error = zsys_sprintf ("%s: out of memory", path);
        free (ignored);
        return NULL;
    }
    return self;
}

void
mot_calendar_destroy (mot_calendar_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_calendar_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->extras[i].name);
    free (self->extras);
    free (self);
    *self_p = NULL;
}

/* --------------------------------------------------------------------------
 * Queries
 */

static const char *
calendar_extra_day (mot_calendar_t *self, mot_day_t day)
{
    if (!self)
        return NULL;
    size_t low = 0, high = self->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        mot_day_t candidate = self->extras[middle].day;
        if (candidate == day)
            return self->extras[middle].name;
        if (candidate < day)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}

const char *
mot_calendar_holiday_name (mot_calendar_t *self, mot_day_t day)
{
    const char *name = mot_calendar_statutory_holiday (day);
    return name ? name : calendar_extra_day (self, day);
}

bool
mot_calendar_is_business_day (mot_calendar_t *self, mot_day_t day)
{
    return !mot_day_is_weekend (day) && !mot_calendar_holiday_name (self, day);
}

mot_day_t
mot_calendar_add_business_days (mot_calendar_t *self, mot_day_t from, int n)
{
    mot_day_t day = from;
    for (int counted = 0; counted < n;) {
        day++;
        if (mot_calendar_is_business_day (self, day))
            counted++;
    }
    return day;
}

mot_day_t
mot_calendar_after_month_close (mot_calendar_t *self, int year, int month, int n)
{
    return mot_calendar_add_business_days (self, mot_day_last_of_month (year, month), n);
}

mot_day_t
mot_calendar_next_business_day (mot_calendar_t *self, mot_day_t day)
{
    while (!mot_calendar_is_business_day (self, day))
        day++;
    return day;
}

int
mot_calendar_business_days_between (mot_calendar_t *self, mot_day_t from, mot_day_t to)
{
    int count = 0;
    for (mot_day_t day = from + 1; day <= to; day++)
        if (mot_calendar_is_business_day (self, day))
            count++;
    return count;
}

void
mot_calendar_each_holiday (mot_calendar_t *self, int year, mot_calendar_holiday_fn *fn, void *arg)
{
    mot_day_t last = mot_day_from_ymd (year, 12, 31);
    for (mot_day_t day = mot_day_from_ymd (year, 1, 1); day <= last; day++) {
        if (mot_day_is_weekend (day))
            continue;
        const char *name = mot_calendar_holiday_name (self, day);
        if (name)
            fn (day, name, arg);
    }
}
