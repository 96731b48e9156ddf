/*  register_table — the rows of one register, rendered as JSON or CSV
 *  (see register_table.h).
 *
 *  Owns: how a table is kept and written. The cells of every row sit in one
 *  array (row after row, a cell per column: its kind and where its text
 *  is), their texts in one growing text store (numbers as their decimal
 *  text), so a register of 100,000 rows costs a few allocations, not one
 *  per cell. Both renderings write straight into one growing buffer; a
 *  streaming table keeps one row and writes each as CSV once complete. The
 *  JSON is what jansson writes with JSON_COMPACT | JSON_PRESERVE_ORDER
 *  (UTF-8 kept; '"', '\\' and control characters escaped, the latter as
 *  \b \f \n \r \t or \u00XX); the test compares the two.
 */
#include "register_table.h"
#include "text_buffer.h"

#include "mot_csv.h"
#include "mot_text.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { CELL_EMPTY, CELL_TEXT, CELL_NUMBER } cell_kind_t;

/* A cell: its kind and, unless empty, its text in the store. */
typedef struct {
    uint32_t offset;
    uint32_t length : 30;
    uint32_t kind : 2;
} cell_t;

#define CELL_TEXT_MAX ((1u << 30) - 1)

struct _register_table_t {
    char *name;
    char *rows_key;
    char **columns;         /* names, in order */
    size_t column_count;
    cell_t *cells;          /* rows × column_count */
    size_t row_count, row_capacity;
    text_buffer_t texts;         /* the cells' texts, each followed by a NUL */
    size_t next_column;     /* where the next setter's column is looked for first */
    /* streaming (register_table_stream_csv): cells and texts hold the newest
     * row only; the rows before it are in csv */
    bool streaming, taken;
    size_t rows_written, rows_expected;
    text_buffer_t csv;
};

/* ---- the table ------------------------------------------------------------ */

register_table_t *
register_table_new (const char *name, const char *rows_key)
{
    register_table_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->name = strdup (name);
    self->rows_key = strdup (rows_key);
    if (!self->name || !self->rows_key)
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
    free (self->cells);
    text_buffer_free (&self->texts);
    text_buffer_free (&self->csv);
    free (self->rows_key);
    free (self->name);
    free (self);
    *self_p = NULL;
}

bool
register_table_add_column (register_table_t *self, const char *name)
{
    if (self->row_count > 0 || self->streaming)
        return false;
    char **columns = realloc (self->columns, (self->column_count + 1) * sizeof *columns);
    if (!columns)
        return false;
    self->columns = columns;
    columns[self->column_count] = strdup (name);
    return columns[self->column_count++] != NULL;
}

static bool add_csv_header (register_table_t *self, text_buffer_t *out);
static bool add_csv_row (register_table_t *self, text_buffer_t *out, const cell_t *row);

/* Streaming: room for the rows expected, a quarter more than the first
 * row's size says they take. */
static bool
reserve_expected (register_table_t *self, size_t first_row)
{
    size_t rows = self->rows_expected;
    if (rows < 2 || first_row > SIZE_MAX / 2 / rows)
        return true;
    return text_buffer_reserve (&self->csv, first_row * rows / 4 * 5);
}

/* Streaming: writes the newest row as CSV, then forgets its texts. */
static bool
write_pending_row (register_table_t *self)
{
    if (!self->streaming || self->rows_written == self->row_count)
        return true;
    size_t before = self->csv.size;
    bool ok = add_csv_row (self, &self->csv, self->cells)
           && (self->rows_written > 0 || reserve_expected (self, self->csv.size - before));
    text_buffer_clear (&self->texts);
    self->rows_written = self->row_count;
    return ok;
}

/* The newest row's cells: the last kept, or in streaming the only one. */
static cell_t *
newest_row (register_table_t *self)
{
    return self->cells + (self->streaming ? 0 : self->row_count - 1) * self->column_count;
}

bool
register_table_add_row (register_table_t *self)
{
    if (self->taken || !write_pending_row (self))
        return false;
    size_t kept = self->streaming ? 0 : self->row_count;
    if (kept == self->row_capacity) {
        size_t capacity = self->row_capacity ? self->row_capacity * 2 : 256;
        size_t width = self->column_count ? self->column_count : 1;
        if (capacity > SIZE_MAX / sizeof (cell_t) / width)
            return false;
        cell_t *cells = realloc (self->cells, capacity * width * sizeof *cells);
        if (!cells)
            return false;
        self->cells = cells;
        self->row_capacity = capacity;
    }
    cell_t *row = self->cells + kept * self->column_count;
    for (size_t i = 0; i < self->column_count; i++)
        row[i] = (cell_t) {0, 0, CELL_EMPTY};
    self->row_count++;
    self->next_column = 0;
    return true;
}

void
register_table_expect_rows (register_table_t *self, size_t count)
{
    self->rows_expected = count;
}

bool
register_table_stream_csv (register_table_t *self)
{
    if (self->row_count > 0 || self->streaming)
        return false;
    self->streaming = true;
    return add_csv_header (self, &self->csv);
}

/* The index of `column` (SIZE_MAX: none). The setters mostly come in column
 * order, so the search starts where the last one matched. */
static size_t
column_index (register_table_t *self, const char *column)
{
    for (size_t k = 0; k < self->column_count; k++) {
        size_t i = (self->next_column + k) % self->column_count;
        if (strcmp (self->columns[i], column) == 0) {
            self->next_column = i + 1 < self->column_count ? i + 1 : 0;
            return i;
        }
    }
    return SIZE_MAX;
}

/* The newest row's cell of `column`, NULL when there is no row or no such
 * column. */
static cell_t *
current_cell (register_table_t *self, const char *column)
{
    if (self->row_count == 0 || self->taken)
        return NULL;
    size_t index = column_index (self, column);
    return index == SIZE_MAX ? NULL : newest_row (self) + index;
}

static bool
store_text (register_table_t *self, cell_t *cell, cell_kind_t kind, const char *text, size_t length)
{
    size_t offset = self->texts.size;
    if (length > CELL_TEXT_MAX || offset > UINT32_MAX - length - 1
        || !text_buffer_add (&self->texts, text, length) || !text_buffer_add_char (&self->texts, '\0'))
        return false;
    *cell = (cell_t) {(uint32_t) offset, (uint32_t) length, kind};
    return true;
}

bool
register_table_set_text (register_table_t *self, const char *column, const char *value)
{
    cell_t *cell = current_cell (self, column);
    if (!cell)
        return false;
    size_t length = value ? strlen (value) : 0;
    /* Text that is not valid UTF-8 leaves the cell empty. */
    if (!value || !mot_text_is_utf8 (value, length)) {
        *cell = (cell_t) {0, 0, CELL_EMPTY};
        return true;
    }
    return store_text (self, cell, CELL_TEXT, value, length);
}

/* The decimal text of `value` (what printf's %lld writes) into text (room
 * for a sign and MOT_TEXT_DIGITS_MAX digits); its length. */
static size_t
format_number (long long value, char *text)
{
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long) value : (unsigned long long) value;
    size_t sign = value < 0 ? 1 : 0;
    text[0] = '-';
    return sign + mot_text_digits (magnitude, text + sign);
}

bool
register_table_set_number (register_table_t *self, const char *column, long long value)
{
    cell_t *cell = current_cell (self, column);
    if (!cell)
        return false;
    char text[1 + MOT_TEXT_DIGITS_MAX];
    size_t length = format_number (value, text);
    return store_text (self, cell, CELL_NUMBER, text, length);
}

size_t
register_table_rows (register_table_t *self)
{
    return self->row_count;
}

const char *
register_table_name (register_table_t *self)
{
    return self->name;
}

static const char *
cell_text (register_table_t *self, const cell_t *cell)
{
    return self->texts.data + cell->offset;
}

/* ---- JSON ------------------------------------------------------------------ */

/* A JSON string, escaped as jansson escapes it without JSON_ENSURE_ASCII. */
static bool
add_json_string (text_buffer_t *out, const char *text, size_t length)
{
    if (!text_buffer_reserve (out, length + 2) || !text_buffer_add_char (out, '"'))
        return false;
    size_t start = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char) text[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (!text_buffer_add (out, text + start, i - start))
            return false;
        char escape[8];
        switch (c) {
        case '"':  strcpy (escape, "\\\""); break;
        case '\\': strcpy (escape, "\\\\"); break;
        case '\b': strcpy (escape, "\\b"); break;
        case '\f': strcpy (escape, "\\f"); break;
        case '\n': strcpy (escape, "\\n"); break;
        case '\r': strcpy (escape, "\\r"); break;
        case '\t': strcpy (escape, "\\t"); break;
        default:   snprintf (escape, sizeof escape, "\\u%04X", c); break;
        }
        if (!text_buffer_add_text (out, escape))
            return false;
        start = i + 1;
    }
    return text_buffer_add (out, text + start, length - start) && text_buffer_add_char (out, '"');
}

static bool
add_json_cell (register_table_t *self, text_buffer_t *out, const cell_t *cell)
{
    switch (cell->kind) {
    case CELL_TEXT:
        return add_json_string (out, cell_text (self, cell), cell->length);
    case CELL_NUMBER:
        return text_buffer_add (out, cell_text (self, cell), cell->length);
    default:
        return text_buffer_add (out, "null", 4);
    }
}

static bool
add_json_row (register_table_t *self, text_buffer_t *out, const cell_t *row)
{
    bool ok = text_buffer_add_char (out, '{');
    for (size_t i = 0; ok && i < self->column_count; i++)
        ok = (i == 0 || text_buffer_add_char (out, ','))
          && add_json_string (out, self->columns[i], strlen (self->columns[i])) && text_buffer_add_char (out, ':')
          && add_json_cell (self, out, row + i);
    return ok && text_buffer_add_char (out, '}');
}

char *
register_table_json (register_table_t *self, const char *generated_at, size_t *size)
{
    if (self->streaming) {
        *size = 0;
        return NULL;
    }
    text_buffer_t out = TEXT_BUFFER_INIT;
    bool ok = text_buffer_reserve (&out, self->texts.size * 2 + 4096)
           && text_buffer_add_text (&out, "{\"register\":")
           && add_json_string (&out, self->name, strlen (self->name))
           && text_buffer_add_text (&out, ",\"generated_at\":")
           && add_json_string (&out, generated_at, strlen (generated_at)) && text_buffer_add_char (&out, ',')
           && add_json_string (&out, self->rows_key, strlen (self->rows_key)) && text_buffer_add_text (&out, ":[");
    for (size_t r = 0; ok && r < self->row_count; r++)
        ok = (r == 0 || text_buffer_add_char (&out, ',')) && add_json_row (self, &out, self->cells + r * self->column_count);
    ok = ok && text_buffer_add_text (&out, "]}\n");
    char *text = ok ? text_buffer_take (&out, size) : NULL;
    text_buffer_free (&out);
    return text;
}

/* ---- CSV --------------------------------------------------------------------- */

/* One field, quoted when mot_csv says it must be (a quote doubled inside). */
static bool
add_csv_field (text_buffer_t *out, const char *text, size_t length)
{
    if (!mot_csv_needs_quotes (text))
        return text_buffer_add (out, text, length);
    bool ok = text_buffer_add_char (out, '"');
    size_t start = 0;
    for (const char *quote = memchr (text, '"', length); ok && quote;
         quote = memchr (text + start, '"', length - start)) {
        size_t end = (size_t) (quote - text) + 1;     /* the quote included… */
        ok = text_buffer_add (out, text + start, end - start) && text_buffer_add_char (out, '"');   /* …and doubled */
        start = end;
    }
    return ok && text_buffer_add (out, text + start, length - start) && text_buffer_add_char (out, '"');
}

static bool
add_csv_row (register_table_t *self, text_buffer_t *out, const cell_t *row)
{
    bool ok = true;
    for (size_t i = 0; ok && i < self->column_count; i++) {
        const cell_t *cell = row + i;
        ok = (i == 0 || text_buffer_add_char (out, ','))
          && (cell->kind == CELL_EMPTY || add_csv_field (out, cell_text (self, cell), cell->length));
    }
    return ok && text_buffer_add (out, "\r\n", 2);
}

static bool
add_csv_header (register_table_t *self, text_buffer_t *out)
{
    bool ok = true;
    for (size_t i = 0; ok && i < self->column_count; i++)
        ok = (i == 0 || text_buffer_add_char (out, ','))
          && add_csv_field (out, self->columns[i], strlen (self->columns[i]));
    return ok && text_buffer_add (out, "\r\n", 2);
}

/* Streaming: the CSV written, with its last row, handed over once. */
static char *
take_streamed_csv (register_table_t *self, size_t *size)
{
    bool ok = !self->taken && write_pending_row (self);
    self->taken = true;
    char *text = ok ? text_buffer_take (&self->csv, size) : NULL;
    text_buffer_free (&self->csv);
    if (!text)
        *size = 0;
    return text;
}

char *
register_table_csv (register_table_t *self, size_t *size)
{
    if (self->streaming)
        return take_streamed_csv (self, size);
    text_buffer_t out = TEXT_BUFFER_INIT;
    bool ok = text_buffer_reserve (&out, self->texts.size + self->row_count * (self->column_count + 2) + 4096)
           && add_csv_header (self, &out);
    for (size_t r = 0; ok && r < self->row_count; r++)
        ok = add_csv_row (self, &out, self->cells + r * self->column_count);
    char *text = ok ? text_buffer_take (&out, size) : NULL;
    text_buffer_free (&out);
    return text;
}
