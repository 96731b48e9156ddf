/*  register_table — the rows of one register, rendered as JSON or CSV
 *  (see register_table.h). Rows are kept as jansson objects whose keys are in
 *  column order; the CSV is written from the same objects.
 */
#include "register_table.h"

#include "mot_csv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _register_table_t {
    char *name;
    char *rows_key;
    char **columns;         /* names, in order */
    size_t column_count;
    json_t *rows;           /* array of objects */
    json_t *current;        /* the newest row (borrowed) */
};

register_table_t *
register_table_new (const char *name, const char *rows_key)
{
    register_table_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->name = strdup (name);
    self->rows_key = strdup (rows_key);
    self->rows = json_array ();
    if (!self->name || !self->rows_key || !self->rows)
        register_table_destroy (&self);
    return self;
}

void
register_table_destroy (register_table_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    register_table_t *self = *self_p;
    for (size_t i = 0; i < self->column_count; i++)
        free (self->columns[i]);
    free (self->columns);
    json_decref (self->rows);
    free (self->rows_key);
    free (self->name);
    free (self);
    *self_p = NULL;
}

bool
register_table_add_column (register_table_t *self, const char *name)
{
    if (json_array_size (self->rows) > 0)
        return false;
    char **columns = realloc (self->columns, (self->column_count + 1) * sizeof *columns);
    if (!columns)
        return false;
    self->columns = columns;
    columns[self->column_count] = strdup (name);
    return columns[self->column_count++] != NULL;
}

static json_t *
empty_row (register_table_t *self)
{
    json_t *row = json_object ();
    for (size_t i = 0; row && i < self->column_count; i++)
        if (json_object_set_new (row, self->columns[i], json_null ()) != 0)
            json_decref (row), row = NULL;
    return row;
}

bool
register_table_add_row (register_table_t *self)
{
    json_t *row = empty_row (self);
    if (!row || json_array_append_new (self->rows, row) != 0)
        return false;
    self->current = row;
    return true;
}

static bool
set_cell (register_table_t *self, const char *column, json_t *value)
{
    if (!self->current || !json_object_get (self->current, column)) {
        json_decref (value);
        return false;
    }
    return json_object_set_new (self->current, column, value ? value : json_null ()) == 0;
}

bool
register_table_set_text (register_table_t *self, const char *column, const char *value)
{
    /* json_string refuses invalid UTF-8: such a cell stays empty. */
    return set_cell (self, column, value ? json_string (value) : NULL);
}

bool
register_table_set_number (register_table_t *self, const char *column, long long value)
{
    return set_cell (self, column, json_integer ((json_int_t) value));
}

size_t
register_table_rows (register_table_t *self)
{
    return json_array_size (self->rows);
}

const char *
register_table_name (register_table_t *self)
{
    return self->name;
}

/* Closes the memory stream and hands its buffer over, or frees it on error.
 * The stream updates *text only when it is flushed or closed. */
static char *
finish_stream (FILE *out, bool ok, char **text)
{
    if (fclose (out) != 0 || !ok) {
        free (*text);
        return NULL;
    }
    return *text;
}

char *
register_table_json (register_table_t *self, const char *generated_at, size_t *size)
{
    json_t *root = json_pack ("{s:s, s:s, s:O}", "register", self->name, "generated_at",
                              generated_at, self->rows_key, self->rows);
    if (!root)
        return NULL;
    char *text = NULL;
    FILE *out = open_memstream (&text, size);
    if (!out) {
        json_decref (root);
        return NULL;
    }
    bool ok = json_dumpf (root, out, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 && fputc ('\n', out) != EOF;
    json_decref (root);
    return finish_stream (out, ok, &text);
}

/* The text of one cell as CSV wants it; *scratch holds numbers. */
static const char *
cell_text (json_t *value, char *scratch, size_t scratch_size)
{
    if (json_is_string (value))
        return json_string_value (value);
    if (json_is_integer (value)) {
        snprintf (scratch, scratch_size, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
        return scratch;
    }
    return "";
}

static bool
write_header (register_table_t *self, FILE *out)
{
    bool ok = true;
    for (size_t i = 0; ok && i < self->column_count; i++)
        ok = (i == 0 || fputc (',', out) != EOF) && mot_csv_write_field (out, self->columns[i]);
    return ok && fputs ("\r\n", out) >= 0;
}

static bool
write_row (register_table_t *self, json_t *row, FILE *out)
{
    bool ok = true;
    for (size_t i = 0; ok && i < self->column_count; i++) {
        char number[32];
        const char *text = cell_text (json_object_get (row, self->columns[i]), number, sizeof number);
        ok = (i == 0 || fputc (',', out) != EOF) && mot_csv_write_field (out, text);
    }
    return ok && fputs ("\r\n", out) >= 0;
}

char *
register_table_csv (register_table_t *self, size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream (&text, size);
    if (!out)
        return NULL;
    bool ok = write_header (self, out);
    size_t index;
    json_t *row;
    json_array_foreach (self->rows, index, row) {
        if (!ok)
            break;
        ok = write_row (self, row, out);
    }
    return finish_stream (out, ok, &text);
}
