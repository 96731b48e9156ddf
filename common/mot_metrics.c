/*  mot_metrics — the process's metrics and their Prometheus text.
 *
 *  One registry per process: families in an array (the order they were
 *  first asked for), each with its series (the order of their labels'
 *  first use). One mutex guards the registry and every value: the loop
 *  thread's updates are a lock and an add, the HTTP thread's render holds
 *  it while it writes the text.
 */
#define _GNU_SOURCE
#include "mot_metrics.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum { KIND_COUNTER, KIND_GAUGE, KIND_HISTOGRAM } kind_t;

static const char *const kind_names[] = {"counter", "gauge", "histogram"};

typedef struct {
    char *name;
    char *help;
    kind_t kind;
    double *bounds;             /* histograms: ascending, without +Inf */
    size_t bound_count;
    mot_counter_t **series;
    size_t series_count;
} family_t;

struct _mot_series_t {
    family_t *family;
    char *labels;               /* name="value",... (escaped), "" for none */
    uint64_t count;             /* a counter's value; a histogram's count */
    double value;               /* a gauge's value; a histogram's sum */
    uint64_t *buckets;          /* a histogram's, not cumulative */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static family_t **families;
static size_t family_count;

/* ---- names and labels ------------------------------------------------------ */

static bool
is_name (const char *name, bool colons)
{
    if (!name || !*name || isdigit ((unsigned char) *name))
        return false;
    for (const char *c = name; *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '_' && !(colons && *c == ':'))
            return false;
    return true;
}

/* Writes text with \, " and newline escaped (`quote`: also ", for label
 * values; HELP text escapes only \ and newline). */
static void
put_escaped (FILE *out, const char *text, bool quote)
{
    for (const char *c = text; *c; c++) {
        if (*c == '\\')
            fputs ("\\\\", out);
        else if (*c == '\n')
            fputs ("\\n", out);
        else if (quote && *c == '"')
            fputs ("\\\"", out);
        else
            fputc (*c, out);
    }
}

/* The label pairs as exposed, name="value",...; NULL for a bad label name,
 * a missing value or no memory. */
static char *
labels_text (va_list args)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        return NULL;
    bool ok = true;
    const char *name;
    for (int n = 0; (name = va_arg (args, const char *)) != NULL; n++) {
        const char *value = va_arg (args, const char *);
        if (!is_name (name, false) || strncmp (name, "__", 2) == 0 || !value) {
            ok = false;
            break;
        }
        fprintf (out, "%s%s=\"", n ? "," : "", name);
        put_escaped (out, value, true);
        fputc ('"', out);
    }
    if (fclose (out) != 0 || !ok) {
        free (text);
        return NULL;
    }
    return text;
}

/* ---- the registry (called with the lock held) -------------------------------- */

static void
family_free (family_t *family)
{
    for (size_t i = 0; i < family->series_count; i++) {
        free (family->series[i]->labels);
        free (family->series[i]->buckets);
        free (family->series[i]);
    }
    free (family->series);
    free (family->bounds);
    free (family->name);
    free (family->help);
    free (family);
}

static family_t *
family_find (const char *name)
{
    for (size_t i = 0; i < family_count; i++)
        if (strcmp (families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

static family_t *
family_add (const char *name, const char *help, kind_t kind, const double *bounds, size_t bound_count)
{
    family_t **grown = realloc (families, (family_count + 1) * sizeof *families);
    if (!grown)
        return NULL;
    families = grown;
    family_t *family = calloc (1, sizeof *family);
    if (!family)
        return NULL;
    family->name = strdup (name);
    family->help = strdup (help ? help : "");
    family->kind = kind;
    family->bound_count = bound_count;
    family->bounds = bound_count ? malloc (bound_count * sizeof *bounds) : NULL;
    if (!family->name || !family->help || (bound_count && !family->bounds)) {
        family_free (family);
        return NULL;
    }
    if (bound_count)
        memcpy (family->bounds, bounds, bound_count * sizeof *bounds);
    families[family_count++] = family;
    return family;
}

static bool
bounds_ascend (const double *bounds, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (isnan (bounds[i]) || isinf (bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            return false;
    return true;
}

/* The series of `name` with `labels` (taken over: freed here unless kept). */
static mot_counter_t *
series_get (const char *name, const char *help, kind_t kind, const double *bounds, size_t bound_count, char *labels)
{
    if (!labels || !is_name (name, true) || (kind == KIND_HISTOGRAM && !bounds_ascend (bounds, bound_count))) {
        free (labels);
        return NULL;
    }
    pthread_mutex_lock (&lock);
    family_t *family = family_find (name);
    if (!family)
        family = family_add (name, help, kind, bounds, kind == KIND_HISTOGRAM ? bound_count : 0);
    mot_counter_t *series = NULL;
    for (size_t i = 0; family && family->kind == kind && !series && i < family->series_count; i++)
        if (strcmp (family->series[i]->labels, labels) == 0)
            series = family->series[i];
    mot_counter_t **grown = family && family->kind == kind && !series
                                ? realloc (family->series, (family->series_count + 1) * sizeof *family->series)
                                : NULL;
    if (grown) {
        family->series = grown;
        series = calloc (1, sizeof *series);
        if (series && family->bound_count)
            series->buckets = calloc (family->bound_count, sizeof *series->buckets);
        if (series && (!family->bound_count || series->buckets)) {
            series->family = family;
            series->labels = labels;
            labels = NULL;
            family->series[family->series_count++] = series;
        }
        else if (series) {
            free (series);
            series = NULL;
        }
    }
    pthread_mutex_unlock (&lock);
    free (labels);
    return series;
}

/* The series of `name` with the labels in `args`. */
static mot_counter_t *
series_of (const char *name, const char *help, kind_t kind, const double *bounds, size_t bound_count, va_list args)
{
    return series_get (name, help, kind, bounds, bound_count, labels_text (args));
}

mot_counter_t *
mot_metrics_counter (const char *name, const char *help, ...)
{
    va_list args;
    va_start (args, help);
    mot_counter_t *series = series_of (name, help, KIND_COUNTER, NULL, 0, args);
    va_end (args);
    return series;
}

mot_gauge_t *
mot_metrics_gauge (const char *name, const char *help, ...)
{
    va_list args;
    va_start (args, help);
    mot_gauge_t *series = series_of (name, help, KIND_GAUGE, NULL, 0, args);
    va_end (args);
    return series;
}

mot_histogram_t *
mot_metrics_histogram (const char *name, const char *help, const double *bounds, size_t count, ...)
{
    va_list args;
    va_start (args, count);
    mot_histogram_t *series = series_of (name, help, KIND_HISTOGRAM, bounds, count, args);
    va_end (args);
    return series;
}

/* ---- values -------------------------------------------------------------------- */

void
mot_counter_add (mot_counter_t *counter, uint64_t amount)
{
    if (!counter)
        return;
    pthread_mutex_lock (&lock);
    counter->count += amount;
    pthread_mutex_unlock (&lock);
}

void
mot_gauge_set (mot_gauge_t *gauge, double value)
{
    if (!gauge)
        return;
    pthread_mutex_lock (&lock);
    gauge->value = value;
    pthread_mutex_unlock (&lock);
}

void
mot_histogram_observe (mot_histogram_t *histogram, double value)
{
    if (!histogram || isnan (value))
        return;
    pthread_mutex_lock (&lock);
    family_t *family = histogram->family;
    size_t bucket = 0;
    while (bucket < family->bound_count && value > family->bounds[bucket])
        bucket++;
    if (bucket < family->bound_count)
        histogram->buckets[bucket]++;
    histogram->count++;
    histogram->value += value;
    pthread_mutex_unlock (&lock);
}

double
mot_metrics_lag_seconds (int64_t now, int64_t since)
{
    struct timespec wall;
    clock_gettime (CLOCK_REALTIME, &wall);
    double precise = (double) wall.tv_sec + (double) wall.tv_nsec / 1e9;
    return fabs (precise - (double) now) < 2 ? precise - (double) since : (double) (now - since);
}

/* ---- exposition ----------------------------------------------------------------- */

/* The shortest of %.15g and %.17g that reads back as the same double;
 * +Inf, -Inf, NaN as Prometheus spells them. */
static void
put_double (FILE *out, double value)
{
    if (isnan (value)) {
        fputs ("NaN", out);
        return;
    }
    if (isinf (value)) {
        fputs (value > 0 ? "+Inf" : "-Inf", out);
        return;
    }
    char text[32];
    snprintf (text, sizeof text, "%.15g", value);
    if (strtod (text, NULL) != value)
        snprintf (text, sizeof text, "%.17g", value);
    fputs (text, out);
}

/* name{labels[,extra]} */
static void
put_series_name (FILE *out, const char *name, const char *suffix, const char *labels, const char *extra)
{
    fprintf (out, "%s%s", name, suffix);
    if (*labels || extra)
        fprintf (out, "{%s%s%s}", labels, *labels && extra ? "," : "", extra ? extra : "");
    fputc (' ', out);
}

static void
put_histogram (FILE *out, const family_t *family, const mot_histogram_t *series)
{
    uint64_t cumulative = 0;
    for (size_t b = 0; b < family->bound_count; b++) {
        char le[48];
        snprintf (le, sizeof le, "le=\"%g\"", family->bounds[b]);
        cumulative += series->buckets[b];
        put_series_name (out, family->name, "_bucket", series->labels, le);
        fprintf (out, "%llu\n", (unsigned long long) cumulative);
    }
    put_series_name (out, family->name, "_bucket", series->labels, "le=\"+Inf\"");
    fprintf (out, "%llu\n", (unsigned long long) series->count);
    put_series_name (out, family->name, "_sum", series->labels, NULL);
    put_double (out, series->value);
    fputc ('\n', out);
    put_series_name (out, family->name, "_count", series->labels, NULL);
    fprintf (out, "%llu\n", (unsigned long long) series->count);
}

static void
put_family (FILE *out, const family_t *family)
{
    fprintf (out, "# HELP %s ", family->name);
    put_escaped (out, family->help, false);
    fprintf (out, "\n# TYPE %s %s\n", family->name, kind_names[family->kind]);
    for (size_t i = 0; i < family->series_count; i++) {
        const mot_counter_t *series = family->series[i];
        if (family->kind == KIND_HISTOGRAM) {
            put_histogram (out, family, series);
            continue;
        }
        put_series_name (out, family->name, "", series->labels, NULL);
        if (family->kind == KIND_COUNTER)
            fprintf (out, "%llu\n", (unsigned long long) series->count);
        else {
            put_double (out, series->value);
            fputc ('\n', out);
        }
    }
}

char *
mot_metrics_render (void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        return NULL;
    pthread_mutex_lock (&lock);
    for (size_t i = 0; i < family_count; i++)
        put_family (out, families[i]);
    pthread_mutex_unlock (&lock);
    if (fclose (out) != 0) {
        free (text);
        return NULL;
    }
    return text;
}

void
mot_metrics_reset (void)
{
    pthread_mutex_lock (&lock);
    for (size_t i = 0; i < family_count; i++)
        family_free (families[i]);
    free (families);
    families = NULL;
    family_count = 0;
    pthread_mutex_unlock (&lock);
}
