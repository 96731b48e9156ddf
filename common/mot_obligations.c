/*  mot_obligations — the catalogue of report obligations, from a TSV data file,
 *  and the deadline rules it names. See mot_obligations.h and the header of
 *  deploy/obligations.tsv for the format.
 */
#include "mot_obligations.h"
#include "mot_schema.h"
#include "mot_datafile.h"
#include "mot_text.h"
#include "mot_wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS 6                   /* unit, code, stage, rule, n, name */

typedef struct {
    mot_obligation_def_t def;
    char *storage;                  /* the line, split in place; def's strings point here */
} row_t;

struct _mot_obligations_t {
    row_t *rows;
    size_t size;
    size_t capacity;
};

static const char *stages[] = {"identificacion", "seguimiento", "monitoreo", "plan", NULL};

/* Splits `line` on tabs into exactly COLUMNS fields, in place. */
static bool
split_columns (char *line, char *fields[COLUMNS])
{
    line[strcspn (line, "\r\n")] = 0;
    int count = 0;
    char *cursor = line;
    while (true) {
        fields[count++] = cursor;
        char *tab = strchr (cursor, '\t');
        if (!tab)
            return count == COLUMNS;
        if (count == COLUMNS)
            return false;           /* a seventh column */
        *tab = 0;
        cursor = tab + 1;
    }
}

static bool
is_word (const char *text, const char *extra, size_t max)
{
    size_t length = strlen (text);
    if (length == 0 || length > max)
        return false;
    for (const char *c = text; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr (extra, *c)))
            return false;
    return true;
}

static bool
is_stage (const char *text)
{
    for (int i = 0; stages[i]; i++)
        if (strcmp (text, stages[i]) == 0)
            return true;
    return false;
}

/* "<UNIT>/<code>" entries separated by ',' (in place, into def->deps). */
static const char *
parse_deps (char *text, mot_obligation_def_t *def)
{
    size_t count = 1;
    for (const char *c = text; *c; c++)
        count += *c == ',';
    def->deps = calloc (count, sizeof *def->deps);
    if (!def->deps)
        return "out of memory";
    char *cursor = text;
    while (cursor) {
        char *comma = strchr (cursor, ',');
        if (comma)
            *comma = 0;
        char *slash = strchr (cursor, '/');
        mot_obligation_dep_t *dep = &def->deps[def->dep_count];
        if (!slash)
            return "after: entries must be <UNIT>/<code>, separated by ','";
        *slash = 0;
        dep->code = slash + 1;
        if (!mot_source_parse (cursor, &dep->unit) || dep->unit == MOT__V1__SOURCE__SOURCE_UNSPECIFIED
            || !is_word (dep->code, "-", MOT_OBLIGATION_MAX_CODE))
            return "after: entries must be <UNIT>/<code>, separated by ','";
        def->dep_count++;
        cursor = comma ? comma + 1 : NULL;
    }
    return NULL;
}

/* The rules that name a trigger: "<word>:<trigger>". */
static const struct {
    const char *prefix;
    mot_obligation_rule_t rule;
} triggered_rules[] = {{"event:", MOT_RULE_EVENT},
                       {"last_update:", MOT_RULE_LAST_UPDATE},
                       {"fortnight:", MOT_RULE_FORTNIGHT},
                       {NULL, 0}};

static const char *
parse_rule (char *text, mot_obligation_def_t *def)
{
    def->trigger = NULL;
    if (strcmp (text, "month_close") == 0) {
        def->rule = MOT_RULE_MONTH_CLOSE;
        return NULL;
    }
    if (strcmp (text, "quarter_close") == 0) {
        def->rule = MOT_RULE_QUARTER_CLOSE;
        return NULL;
    }
    if (strcmp (text, "action") == 0) {
        def->rule = MOT_RULE_ACTION;
        return NULL;
    }
    if (strncmp (text, "after:", 6) == 0) {
        def->rule = MOT_RULE_AFTER;
        return parse_deps (text + 6, def);
    }
    for (int i = 0; triggered_rules[i].prefix; i++) {
        size_t length = strlen (triggered_rules[i].prefix);
        if (strncmp (text, triggered_rules[i].prefix, length) == 0) {
            def->rule = triggered_rules[i].rule;
            def->trigger = text + length;
            if (!is_word (def->trigger, "_", MOT_OBLIGATION_MAX_CODE - 8))
                return "trigger must be [a-z0-9_]+, at most 56 characters (rule <kind>:<trigger>)";
            return NULL;
        }
    }
    return "rule must be month_close, quarter_close, event:<trigger>, action, last_update:<trigger>, "
           "fortnight:<trigger>, or after:<UNIT>/<code>,...";
}

static const char *
parse_days (const char *text, mot_obligation_def_t *def)
{
    char *end = NULL;
    long value = strtol (text, &end, 10);
    if (def->rule == MOT_RULE_ACTION) {
        if (strcmp (text, "0") != 0)
            return "n must be 0 for rule action (the due date is recorded with the action)";
        def->n = 0;
        return NULL;
    }
    if (!*text || *end || value < 1 || value > MOT_OBLIGATION_MAX_DAYS)
        return "n must be a whole number of business days, 1..60";
    def->n = (int) value;
    return NULL;
}

static const char *
parse_name (const char *text)
{
    size_t length = strlen (text);
    if (length == 0 || length > MOT_OBLIGATION_MAX_NAME)
        return "name must be 1..300 bytes";
    if (!mot_text_is_utf8 (text, length))
        return "name is not valid UTF-8";
    return NULL;
}

/* Fills def from the fields of one line; NULL when the row is valid. */
static const char *
parse_row (char *fields[COLUMNS], mot_obligation_def_t *def)
{
    if (!mot_source_parse (fields[0], &def->unit) || def->unit == MOT__V1__SOURCE__SOURCE_UNSPECIFIED)
        return "unknown unit (UEOD, UAD, UCS, CV, CAPSOI or CA)";
    def->unit_name = fields[0];
    def->code = fields[1];
    if (!is_word (def->code, "-", MOT_OBLIGATION_MAX_CODE))
        return "code must be [a-z0-9-]+, at most 64 characters";
    def->stage = fields[2];
    if (!is_stage (def->stage))
        return "stage must be identificacion, seguimiento, monitoreo or plan";
    const char *reason = parse_rule (fields[3], def);
    if (!reason)
        reason = parse_days (fields[4], def);
    if (!reason)
        reason = parse_name (fields[5]);
    def->name = fields[5];
    return reason;
}

static const char *
append_row (mot_obligations_t *self, row_t *row)
{
    if (mot_obligations_find (self, row->def.unit, row->def.code))
        return "duplicate unit and code";
    if (self->size == self->capacity) {
        size_t capacity = self->capacity ? self->capacity * 2 : 16;
        row_t *rows = realloc (self->rows, capacity * sizeof *rows);
        if (!rows)
            return "out of memory";
        self->rows = rows;
        self->capacity = capacity;
    }
    self->rows[self->size++] = *row;
    return NULL;
}

/* Parses one non-comment line; takes ownership of nothing (copies the line). */
static const char *
add_line (mot_obligations_t *self, const char *line, int number)
{
    row_t row = {.storage = strdup (line), .def = {.deps = NULL}};
    if (!row.storage)
        return "out of memory";
    char *fields[COLUMNS];
    const char *reason = NULL;
    if (!split_columns (row.storage, fields))
        reason = "expected 6 tab-separated columns: unit, code, stage, rule, n, name";
    if (!reason)
        reason = parse_row (fields, &row.def);
    row.def.line = number;
    if (!reason)
        reason = append_row (self, &row);
    if (reason) {
        free (row.def.deps);
        free (row.storage);
    }
    return reason;
}

/* Every after: rule names monthly obligations of the catalogue. */
static const char *
check_dependencies (mot_obligations_t *self, int *number)
{
    for (size_t i = 0; i < self->size; i++) {
        const mot_obligation_def_t *def = &self->rows[i].def;
        for (size_t d = 0; d < def->dep_count; d++) {
            const mot_obligation_def_t *dep = mot_obligations_find (self, def->deps[d].unit, def->deps[d].code);
            *number = def->line;
            if (!dep)
                return "after: names a report that is not in the catalogue";
            if (!mot_obligation_is_monthly (dep))
                return "after: may only name monthly reports (month_close or last_update)";
        }
    }
    return NULL;
}

static const char *
take_line (char *line, size_t number, void *arg)
{
    return add_line ((mot_obligations_t *) arg, line, (int) number);
}

mot_obligations_t *
mot_obligations_new (const char *path, char **error)
{
    *error = NULL;
    mot_obligations_t *self = calloc (1, sizeof *self);
    if (!self) {
        *error = zsys_sprintf ("%s:0: out of memory", path);
        return NULL;
    }
    size_t lines = 0;
    if (!mot_datafile_read (path, take_line, self, &lines, error)) {
        mot_obligations_destroy (&self);
        return NULL;
    }
    int number = (int) lines;
    const char *reason = self->size == 0 ? "no obligations" : check_dependencies (self, &number);
    if (reason) {
        *error = zsys_sprintf ("%s:%d: %s", path, number, reason);
        mot_obligations_destroy (&self);
    }
    return self;
}

void
mot_obligations_destroy (mot_obligations_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_obligations_t *self = *self_p;
    for (size_t i = 0; i < self->size; i++) {
        free (self->rows[i].def.deps);
        free (self->rows[i].storage);
    }
    free (self->rows);
    free (self);
    *self_p = NULL;
}

size_t
mot_obligations_size (mot_obligations_t *self)
{
    return self->size;
}

const mot_obligation_def_t *
mot_obligations_at (mot_obligations_t *self, size_t index)
{
    return index < self->size ? &self->rows[index].def : NULL;
}

const mot_obligation_def_t *
mot_obligations_find (mot_obligations_t *self, Mot__V1__Source unit, const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < self->size; i++)
        if (self->rows[i].def.unit == unit && strcmp (self->rows[i].def.code, code) == 0)
            return &self->rows[i].def;
    return NULL;
}

mot_day_t
mot_obligation_deadline_for_month (const mot_obligation_def_t *def, mot_calendar_t *calendar,
                                   int year, int month)
{
    return mot_calendar_after_month_close (calendar, year, month, def->n);
}

mot_day_t
mot_obligation_deadline_for_quarter (const mot_obligation_def_t *def, mot_calendar_t *calendar,
                                     int year, int quarter)
{
    return mot_calendar_after_month_close (calendar, year, quarter * 3, def->n);
}

mot_day_t
mot_obligation_deadline_after_event (const mot_obligation_def_t *def, mot_calendar_t *calendar,
                                     mot_day_t occurred_on)
{
    return mot_calendar_add_business_days (calendar, occurred_on, def->n);
}

mot_day_t
mot_obligation_reminder_day (mot_calendar_t *calendar, mot_day_t deadline, int business_days)
{
    mot_day_t day = deadline;
    int counted = 0;
    while (counted < business_days) {
        day--;
        if (mot_calendar_is_business_day (calendar, day))
            counted++;
    }
    return day;
}

bool
mot_obligation_ref_is_safe (const char *ref)
{
    if (!ref)
        return false;
    size_t length = strlen (ref);
    if (length == 0 || length > MOT_OBLIGATION_MAX_REF)
        return false;
    for (const char *c = ref; *c; c++)
        if (*c <= ' ' || *c > '~' || *c == '|' || *c == '{' || *c == '}')
            return false;
    return true;
}

char *
mot_obligation_id (const mot_obligation_def_t *def, const char *period)
{
    return mot_obligation_id_of (def->unit_name, def->code, period);
}

bool
mot_obligation_is_monthly (const mot_obligation_def_t *def)
{
    return def->rule == MOT_RULE_MONTH_CLOSE || def->rule == MOT_RULE_LAST_UPDATE;
}

bool
mot_obligation_is_quarterly (const mot_obligation_def_t *def)
{
    return def->rule == MOT_RULE_QUARTER_CLOSE;
}

bool
mot_obligation_quarter_parse (const char *text, int *year, int *quarter)
{
    if (!text || strlen (text) != 7 || text[4] != '-' || text[5] != 'Q' || text[6] < '1' || text[6] > '4')
        return false;
    int value = 0;
    for (int i = 0; i < 4; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    if (value < 1900)
        return false;
    if (year)
        *year = value;
    if (quarter)
        *quarter = text[6] - '0';
    return true;
}

int
mot_obligation_quarter_closed_by (int month)
{
    return month >= 1 && month <= 12 && month % 3 == 0 ? month / 3 : 0;
}

bool
mot_obligation_period_close (const mot_obligation_def_t *def, const char *period, mot_day_t *close)
{
    int year, month, quarter;
    if ((mot_obligation_is_monthly (def) || def->rule == MOT_RULE_AFTER) && mot_period_parse (period, &year, &month)) {
        *close = mot_obligation_month_close (year, month);
        return true;
    }
    if (mot_obligation_is_quarterly (def) && mot_obligation_quarter_parse (period, &year, &quarter)) {
        *close = mot_obligation_month_close (year, quarter * 3);
        return true;
    }
    return false;
}

mot_day_t
mot_obligation_after_anchor (mot_day_t close, mot_day_t last_delivered_on)
{
    return last_delivered_on > close ? last_delivered_on : close;
}

int
mot_obligation_business_days_late (mot_calendar_t *calendar, mot_day_t deadline, mot_day_t delivered_on)
{
    if (delivered_on <= deadline)
        return 0;
    return mot_calendar_business_days_between (calendar, deadline,
                                               mot_calendar_next_business_day (calendar, delivered_on));
}

bool
mot_obligation_depends_on (const mot_obligation_def_t *def, Mot__V1__Source unit, const char *code)
{
    for (size_t i = 0; i < def->dep_count; i++)
        if (def->deps[i].unit == unit && strcmp (def->deps[i].code, code) == 0)
            return true;
    return false;
}

mot_day_t
mot_obligation_month_close (int year, int month)
{
    return mot_day_last_of_month (year, month);
}

mot_day_t
mot_obligation_fortnight_cut_after (mot_day_t day)
{
    int year, month, dom;
    mot_day_to_ymd (day, &year, &month, &dom);
    if (dom < 15)
        return mot_day_from_ymd (year, month, 15);
    mot_day_t last = mot_day_last_of_month (year, month);
    if (day < last)
        return last;
    return mot_day_from_ymd (month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 15);
}

mot_day_t
mot_obligation_escalation_day (mot_calendar_t *calendar, mot_day_t deadline, int level, int every_bd)
{
    return mot_calendar_add_business_days (calendar, deadline, level * every_bd);
}
