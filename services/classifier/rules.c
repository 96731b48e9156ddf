/*  rules — the analyst-editable rules the classifier proposes with.
 */
#include "rules.h"
#include "mot_datafile.h"
#include "mot_score.h"
#include "mot_text.h"

#include <czmq.h>
#include <errno.h>
#include <stdarg.h>
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

/* One row of impact.tsv: origin (match = unit code, value = impact), reach
 * (min = audience, value = impact) or territory (match = code or kind,
 * value = signed adjustment). */
typedef enum { IMPACT_ORIGIN, IMPACT_REACH, IMPACT_TERRITORY } impact_kind_t;

typedef struct {
    impact_kind_t kind;
    char *match;
    long min;
    int value;
} impact_rule_t;

struct _rules_t {
    keyword_rule_t *keywords;
    size_t keyword_count;
    frequency_step_t *steps;
    size_t step_count;
    char *frequency_lookup;      /* see rules_frequency_lookup */
    impact_rule_t *impacts;
    size_t impact_count;
    int default_impact;
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
    if (!mot_score_is_valid (score) || min_events < 1 || min_events > RULES_MAX_MIN_EVENTS)
        return "MIN_EVENTS must be 1..10000 and SCORE 1..10";
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

static const char *const sources[] = {"UEOD", "UAD", "UCS", "CV", "CAPSOI"};

static bool
is_source (const char *text)
{
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp (text, sources[i]) == 0)
            return true;
    return false;
}

/* The same match twice would make the file ambiguous. */
static bool
impact_rule_exists (rules_t *self, impact_kind_t kind, const char *match, long min)
{
    for (size_t i = 0; i < self->impact_count; i++)
        if (self->impacts[i].kind == kind
            && (kind == IMPACT_REACH ? self->impacts[i].min == min : strcmp (self->impacts[i].match, match) == 0))
            return true;
    return false;
}

static const char *
check_impact_row (rules_t *self, impact_kind_t kind, const char *match, long *min, long value)
{
    if (kind == IMPACT_ORIGIN && !is_source (match))
        return "origin SOURCE must be UEOD, UAD, UCS, CV or CAPSOI";
    if (kind == IMPACT_REACH && (!parse_long (match, min) || *min < 1))
        return "reach MIN must be a whole number >= 1";
    if (kind == IMPACT_TERRITORY && (!*match || strchr (match, ' ')))
        return "territory needs a code (OOAD-15) or a kind (OOAD, UMAE)";
    if (kind == IMPACT_TERRITORY ? value < -9 || value > 9 : !mot_score_is_valid (value))
        return kind == IMPACT_TERRITORY ? "ADJUST must be -9..+9" : "IMPACT must be 1..10";
    if (impact_rule_exists (self, kind, match, *min))
        return "a row for this already exists";
    return NULL;
}

static const char *
add_impact_rule (rules_t *self, char *line)
{
    char *f[3];
    long value, min = 0;
    if (!split_fields (line, f, 3))
        return "expected origin|reach|territory<TAB>MATCH<TAB>VALUE";
    impact_kind_t kind = strcmp (f[0], "origin") == 0 ? IMPACT_ORIGIN
                         : strcmp (f[0], "reach") == 0 ? IMPACT_REACH
                         : IMPACT_TERRITORY;
    if (kind == IMPACT_TERRITORY && strcmp (f[0], "territory") != 0)
        return "the first field must be origin, reach or territory";
    /* "+1" is accepted for a territory adjustment */
    if (!parse_long (f[2][0] == '+' ? f[2] + 1 : f[2], &value))
        return "VALUE must be a whole number";
    const char *reason = check_impact_row (self, kind, f[1], &min, value);
    if (reason)
        return reason;
    impact_rule_t *grown = realloc (self->impacts, (self->impact_count + 1) * sizeof *grown);
    if (!grown)
        return "out of memory";
    self->impacts = grown;
    self->impacts[self->impact_count] = (impact_rule_t){kind, strdup (f[1]), min, (int) value};
    return self->impacts[self->impact_count++].match ? NULL : "out of memory";
}

typedef const char *(line_fn) (rules_t *self, char *line);

typedef struct {
    rules_t *self;
    line_fn *add_line;
} loader_t;

static const char *
take_line (char *line, size_t number, void *arg)
{
    (void) number;
    loader_t *loader = (loader_t *) arg;
    return loader->add_line (loader->self, line);
}

static bool
load_file (rules_t *self, const char *path, line_fn *add_line, char **error)
{
    loader_t loader = {self, add_line};
    return mot_datafile_read (path, take_line, &loader, NULL, error);
}

int
rules_frequency (rules_t *self, long count)
{
    int score = 1;
    for (size_t i = 0; i < self->step_count && count >= self->steps[i].min_events; i++)
        score = self->steps[i].score;
    return score;
}

static bool
build_frequency_lookup (rules_t *self)
{
    long highest = self->steps[self->step_count - 1].min_events;
    self->frequency_lookup = calloc (1, (size_t) highest + 2);
    if (!self->frequency_lookup)
        return false;
    for (long count = 0; count <= highest; count++)
        self->frequency_lookup[count] = (char) ('0' + rules_frequency (self, count));
    return true;
}

rules_t *
rules_new (const char *classification_path, const char *frequency_path, const char *impact_path,
           int default_impact, char **error)
{
    *error = NULL;
    rules_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->default_impact = default_impact;
    if (!load_file (self, classification_path, add_keyword_rule, error)
        || !load_file (self, frequency_path, add_frequency_step, error)
        || !load_file (self, impact_path, add_impact_rule, error)) {
        rules_destroy (&self);
        return NULL;
    }
    if (self->step_count == 0 || !build_frequency_lookup (self)) {
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
    for (size_t i = 0; i < self->impact_count; i++)
        free (self->impacts[i].match);
    free (self->impacts);
    free (self->steps);
    free (self->frequency_lookup);
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
    return (rules_match_t){MOT_UNCLASSIFIED, MOT_UNCLASSIFIED, 0, NULL};
}

const char *
rules_frequency_lookup (rules_t *self)
{
    return self->frequency_lookup;
}

/* ---- impact ------------------------------------------------------------- */

static const impact_rule_t *
find_impact_rule (rules_t *self, impact_kind_t kind, const char *match)
{
    for (size_t i = 0; match && i < self->impact_count; i++)
        if (self->impacts[i].kind == kind && strcmp (self->impacts[i].match, match) == 0)
            return &self->impacts[i];
    return NULL;
}

/* The reach row with the highest MIN the audience attains, or NULL. */
static const impact_rule_t *
find_reach_rule (rules_t *self, uint32_t reach)
{
    const impact_rule_t *best = NULL;
    for (size_t i = 0; i < self->impact_count; i++) {
        const impact_rule_t *rule = &self->impacts[i];
        if (rule->kind == IMPACT_REACH && (long long) reach >= rule->min && (!best || rule->min > best->min))
            best = rule;
    }
    return best;
}

/* The row for the territory's code, else for its kind (before the '-'). */
static const impact_rule_t *
find_territory_rule (rules_t *self, const char *territory)
{
    const impact_rule_t *rule = find_impact_rule (self, IMPACT_TERRITORY, territory);
    const char *dash = territory ? strchr (territory, '-') : NULL;
    char *kind = dash ? strndup (territory, (size_t) (dash - territory)) : NULL;
    if (!rule && kind)
        rule = find_impact_rule (self, IMPACT_TERRITORY, kind);
    free (kind);
    return rule;
}

static char *
append_basis (char *basis, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *part = zsys_vprintf (format, args);
    va_end (args);
    char *joined = basis && part ? zsys_sprintf ("%s; %s", basis, part) : NULL;
    zstr_free (&basis);
    if (!joined)
        return part;
    zstr_free (&part);
    return joined;
}

/* Step 1: the keyword rule, else the unit's origin row, else the default. */
static int
base_impact (rules_t *self, const rules_impact_input_t *input, char **basis)
{
    const impact_rule_t *origin = find_impact_rule (self, IMPACT_ORIGIN, input->source);
    if (input->keyword_impact > 0) {
        *basis = zsys_sprintf ("keyword %d", input->keyword_impact);
        return input->keyword_impact;
    }
    if (origin) {
        *basis = zsys_sprintf ("origin %s %d", origin->match, origin->value);
        return origin->value;
    }
    *basis = zsys_sprintf ("default %d", self->default_impact);
    return self->default_impact;
}

int
rules_impact (rules_t *self, const rules_impact_input_t *input, char **basis)
{
    char *text = NULL;
    int impact = input->given_impact;
    if (impact > 0)
        text = zsys_sprintf ("given %d", impact);
    else {
        impact = base_impact (self, input, &text);
        const impact_rule_t *reach = input->has_reach ? find_reach_rule (self, input->reach) : NULL;
        if (reach && reach->value > impact) {
            impact = reach->value;
            text = append_basis (text, "reach>=%ld %d", reach->min, reach->value);
        }
        const impact_rule_t *territory = find_territory_rule (self, input->territory);
        if (territory && territory->value != 0) {
            impact += territory->value;
            text = append_basis (text, "territory %s %+d", territory->match, territory->value);
        }
        impact = impact < 1 ? 1 : impact > 10 ? 10 : impact;
    }
    if (basis)
        *basis = text;
    else
        zstr_free (&text);
    return impact;
}
