/*  rules — the analyst-editable rules the classifier proposes with.
 */
#include "rules.h"
#include "mot_score.h"
#include "mot_text.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *keyword;              /* normalised */
    char *category;
    char *on;
    int impact;
} keyword_rule_t;

typedef struct {
    long min_events;
    int score;
} frequency_step_t;

struct _rules_t {
    keyword_rule_t *keywords;
    size_t keyword_count;
    frequency_step_t *steps;
    size_t step_count;
    char *frequency_table;
};

static const char *const categories[] = {"Estratégico", "Legal", "Financiero", "Administrativo"};

static bool
is_category (const char *text)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp (text, categories[i]) == 0)
            return true;
    return false;
}

static bool
parse_long (const char *text, long *value)
{
    char *end = NULL;
    errno = 0;
    *value = strtol (text, &end, 10);
    return *text && !errno && end && *end == 0;
}

/* Splits a TSV line into exactly `count` fields, in place. */
static bool
split_fields (char *line, char **fields, int count)
{
    line[strcspn (line, "\r\n")] = 0;
    for (int i = 0; i < count; i++) {
        fields[i] = line;
        char *tab = strchr (line, '\t');
        if (i + 1 < count) {
            if (!tab)
                return false;
            *tab = 0;
            line = tab + 1;
        }
        else if (tab)
            return false;
    }
    return true;
}

static const char *
add_keyword_rule (rules_t *self, char *line)
{
    char *f[4];
    long impact;
    if (!split_fields (line, f, 4))
        return "expected KEYWORD<TAB>CATEGORY<TAB>ON<TAB>IMPACT";
    if (!is_category (f[1]))
        return "CATEGORY must be Estratégico, Legal, Financiero or Administrativo";
    if (!*f[2] || !parse_long (f[3], &impact) || !mot_score_is_valid (impact))
        return "ON must be set and IMPACT must be 1..10";
    keyword_rule_t *grown = realloc (self->keywords, (self->keyword_count + 1) * sizeof *grown);
    if (!grown)
        return "out of memory";
    self->keywords = grown;
    keyword_rule_t *rule = &self->keywords[self->keyword_count];
    rule->keyword = mot_text_normalise (f[0]);
    rule->category = strdup (f[1]);
    rule->on = strdup (f[2]);
    rule->impact = (int) impact;
    self->keyword_count++;
    if (!rule->keyword || !rule->category || !rule->on)
        return "out of memory";
    return *rule->keyword ? NULL : "empty KEYWORD";
}

static const char *
add_frequency_step (rules_t *self, char *line)
{
    char *f[2];
    long min_events, score;
    if (!split_fields (line, f, 2) || !parse_long (f[0], &min_events) || !parse_long (f[1], &score))
        return "expected MIN_EVENTS<TAB>SCORE";
    if (!mot_score_is_valid (score) || min_events < 1)
        return "MIN_EVENTS must be >= 1 and SCORE 1..10";
    if (self->step_count == 0 && min_events != 1)
        return "the first row must be MIN_EVENTS 1";
    if (self->step_count > 0 && (min_events <= self->steps[self->step_count - 1].min_events
                                 || score < self->steps[self->step_count - 1].score))
        return "MIN_EVENTS must increase and SCORE must not decrease";
    frequency_step_t *grown = realloc (self->steps, (self->step_count + 1) * sizeof *grown);
    if (!grown)
        return "out of memory";
    self->steps = grown;
    self->steps[self->step_count++] = (frequency_step_t){min_events, (int) score};
    return NULL;
}

typedef const char *(line_fn) (rules_t *self, char *line);

static bool
load_file (rules_t *self, const char *path, line_fn *add_line, char **error)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = zsys_sprintf ("%s: cannot open", path);
        return false;
    }
    char *line = NULL;
    size_t capacity = 0, number = 0;
    const char *reason = NULL;
    while (!reason && getline (&line, &capacity, file) >= 0) {
        number++;
        if (line[0] != '#' && line[strspn (line, " \t\r\n")] != 0)
            reason = add_line (self, line);
    }
    free (line);
    fclose (file);
    if (reason)
        *error = zsys_sprintf ("%s:%zu: %s", path, number, reason);
    return reason == NULL;
}

static bool
build_frequency_table (rules_t *self)
{
    size_t size = self->step_count * 32 + 1;
    self->frequency_table = calloc (1, size);
    if (!self->frequency_table)
        return false;
    size_t used = 0;
    for (size_t i = 0; i < self->step_count; i++)
        used += (size_t) snprintf (self->frequency_table + used, size - used, "%s%ld:%d", i ? "," : "",
                                   self->steps[i].min_events, self->steps[i].score);
    return true;
}

rules_t *
rules_new (const char *classification_path, const char *frequency_path, char **error)
{
    *error = NULL;
    rules_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (!load_file (self, classification_path, add_keyword_rule, error)
        || !load_file (self, frequency_path, add_frequency_step, error)) {
        rules_destroy (&self);
        return NULL;
    }
    if (self->step_count == 0 || !build_frequency_table (self)) {
        *error = zsys_sprintf ("%s: no frequency rows", frequency_path);
        rules_destroy (&self);
    }
    return self;
}

void
rules_destroy (rules_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    rules_t *self = *self_p;
    for (size_t i = 0; i < self->keyword_count; i++) {
        free (self->keywords[i].keyword);
        free (self->keywords[i].category);
        free (self->keywords[i].on);
    }
    free (self->keywords);
    free (self->steps);
    free (self->frequency_table);
    free (self);
    *self_p = NULL;
}

rules_match_t
rules_match (rules_t *self, const char *text)
{
    for (size_t i = 0; i < self->keyword_count; i++)
        if (strstr (text, self->keywords[i].keyword))
            return (rules_match_t){self->keywords[i].category, self->keywords[i].on, self->keywords[i].impact,
                                   self->keywords[i].keyword};
    return (rules_match_t){RULES_UNCLASSIFIED, RULES_UNCLASSIFIED, 0, NULL};
}

const char *
rules_frequency_table (rules_t *self)
{
    return self->frequency_table;
}
