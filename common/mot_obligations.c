/*  mot_obligations — the catalogue of report obligations, from a TSV data file,
 *  and the deadline rules it names. See mot_obligations.h and the header of
 *  deploy/obligations.tsv for the format.
 */
#include "mot_obligations.h"
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

static bool
is_blank_or_comment (const char *line)
{
    const char *start = line + strspn (line, " \t\r\n");
    return *start == 0 || *start == '#';
}

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

static const char *
parse_rule (const char *text, mot_obligation_def_t *def)
{
    if (strcmp (text, "month_close") == 0) {
        def->rule = MOT_RULE_MONTH_CLOSE;
        def->trigger = NULL;
        return NULL;
    }
    if (strncmp (text, "event:", 6) == 0) {
        def->rule = MOT_RULE_EVENT;
        def->trigger = text + 6;
        if (!is_word (def->trigger, "_", MOT_OBLIGATION_MAX_CODE))
            return "trigger must be [a-z0-9_]+ (rule event:<trigger>)";
        return NULL;
    }
    return "rule must be month_close or event:<trigger>";
}

static const char *
parse_days (const char *text, int *n)
{
    char *end = NULL;
    long value = strtol (text, &end, 10);
    if (!*text || *end || value < 1 || value > MOT_OBLIGATION_MAX_DAYS)
        return "n must be a whole number of business days, 1..60";
    *n = (int) value;
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
        return "unknown unit (UEOD, UAD, UCS, CV or CAPSOI)";
    def->unit_name = fields[0];
    def->code = fields[1];
    if (!is_word (def->code, "-", MOT_OBLIGATION_MAX_CODE))
        return "code must be [a-z0-9-]+, at most 64 characters";
    def->stage = fields[2];
    if (!is_stage (def->stage))
        return "stage must be identificacion, seguimiento, monitoreo or plan";
    const char *reason = parse_rule (fields[3], def);
    if (!reason)
        reason = parse_days (fields[4], &def->n);
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
    row_t row = {.storage = strdup (line)};
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
    if (reason)
        free (row.storage);
    return reason;
}

static bool
load_file (mot_obligations_t *self, FILE *file, const char *path, char **error)
{
    char *line = NULL;
    size_t capacity = 0;
    int number = 0;
    const char *reason = NULL;
    while (!reason && getline (&line, &capacity, file) >= 0) {
        number++;
        if (!is_blank_or_comment (line))
            reason = add_line (self, line, number);
    }
    free (line);
    if (!reason && self->size == 0)
        reason = "no obligations";
    if (reason)
        *error = zsys_sprintf ("%s:%d: %s", path, number, reason);
    return reason == NULL;
}

mot_obligations_t *
mot_obligations_new (const char *path, char **error)
{
    *error = NULL;
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = zsys_sprintf ("%s:0: cannot open", path);
        return NULL;
    }
    mot_obligations_t *self = calloc (1, sizeof *self);
    if (!self) {
        fclose (file);
        *error = zsys_sprintf ("%s:0: out of memory", path);
        return NULL;
    }
    bool ok = load_file (self, file, path, error);
    fclose (file);
    if (!ok)
        mot_obligations_destroy (&self);
    return self;
}

void
mot_obligations_destroy (mot_obligations_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_obligations_t *self = *self_p;
    for (size_t i = 0; i < self->size; i++)
        free (self->rows[i].storage);
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
    return zsys_sprintf ("%s:%s:%s", def->unit_name, def->code, period);
}
