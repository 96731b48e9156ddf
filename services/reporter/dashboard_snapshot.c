/*  dashboard_snapshot — one register held in memory for the dashboard (see
 *  dashboard_snapshot.h).
 */
#include "dashboard_snapshot.h"
#include "mot_text.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define NO_CELL UINT32_MAX

typedef struct {
    char *name;
    bool numeric;
    uint32_t *cells;            /* per row: offset of its text, NO_CELL when empty */
    uint32_t *ranks;            /* per row: rank of its value; `distinct` when empty */
    uint32_t *values;           /* the distinct values' text offsets, in order */
    long long *numbers;         /* numeric columns: the distinct values */
    uint32_t distinct;
} column_t;

struct _dashboard_snapshot_t {
    atomic_int references;
    int64_t taken_at;
    column_t *columns;
    size_t column_count;
    size_t rows;
    size_t capacity;            /* rows the cell arrays hold */
    char *text;                 /* every non-empty cell, NUL-terminated */
    size_t text_used;
    size_t text_size;
};

/* ---- the text ------------------------------------------------------------ */

static bool
reserve_text (dashboard_snapshot_t *self, size_t more)
{
    if (self->text_used + more <= self->text_size)
        return true;
    size_t size = self->text_size ? self->text_size : 65536;
    while (size < self->text_used + more)
        size *= 2;
    if (size > NO_CELL)
        return false;
    char *text = realloc (self->text, size);
    if (!text)
        return false;
    self->text = text;
    self->text_size = size;
    return true;
}

static bool
append_text (dashboard_snapshot_t *self, const char *bytes, size_t length)
{
    if (!reserve_text (self, length))
        return false;
    memcpy (self->text + self->text_used, bytes, length);
    self->text_used += length;
    return true;
}

/* ---- reading the CSV ------------------------------------------------------- */

typedef struct {
    const char *at;
    const char *end;
} reader_t;

static bool
at_record_end (const reader_t *reader)
{
    return reader->at >= reader->end || *reader->at == '\r' || *reader->at == '\n';
}

/* Steps over the separator after a field; true when it ended the record. */
static bool
step_over_separator (reader_t *reader)
{
    if (reader->at < reader->end && *reader->at == ',') {
        reader->at++;
        return false;
    }
    if (reader->at < reader->end && *reader->at == '\r')
        reader->at++;
    if (reader->at < reader->end && *reader->at == '\n')
        reader->at++;
    return true;
}

/* Copies (when keep) a quoted field's text; false when its quote is never
 * closed or something but a separator follows it. */
static bool
read_quoted (dashboard_snapshot_t *self, reader_t *reader, bool keep)
{
    reader->at++;
    for (;;) {
        const char *quote = memchr (reader->at, '"', (size_t) (reader->end - reader->at));
        if (!quote)
            return false;
        if (keep && !append_text (self, reader->at, (size_t) (quote - reader->at + 1)))
            return false;
        reader->at = quote + 1;
        if (reader->at < reader->end && *reader->at == '"')
            reader->at++;                           /* "" is one quote, kept above */
        else {
            if (keep)
                self->text_used--;                  /* the closing quote */
            return reader->at >= reader->end || *reader->at == ',' || at_record_end (reader);
        }
    }
}

/* Reads one field, stored (when keep) as a NUL-terminated text whose
 * offset goes to *cell (NO_CELL when empty); *last tells whether it ended
 * its record. False on malformed CSV or out of memory. */
static bool
read_field (dashboard_snapshot_t *self, reader_t *reader, bool keep, uint32_t *cell, bool *last)
{
    size_t start = self->text_used;
    if (reader->at < reader->end && *reader->at == '"') {
        if (!read_quoted (self, reader, keep))
            return false;
    }
    else {
        const char *from = reader->at;
        while (reader->at < reader->end && *reader->at != ',' && !at_record_end (reader))
            reader->at++;
        if (keep && !append_text (self, from, (size_t) (reader->at - from)))
            return false;
    }
    *last = step_over_separator (reader);
    if (!keep)
        return true;
    if (self->text_used == start) {
        *cell = NO_CELL;
        return true;
    }
    *cell = (uint32_t) start;
    return append_text (self, "", 1);
}

/* Maps each header field to the kept column it is (or -1) in *positions
 * (a new array of *fields entries). */
/* The kept column a header name is, or -1. */
static int
column_named (const dashboard_snapshot_t *self, const char *name)
{
    for (size_t c = 0; c < self->column_count; c++)
        if (strcmp (self->columns[c].name, name) == 0)
            return (int) c;
    return -1;
}

/* Maps each header field to the kept column it is (or -1) in *positions
 * (a new array of *fields entries). */
static bool
read_header (dashboard_snapshot_t *self, reader_t *reader, int **positions, size_t *fields)
{
    size_t used = 0, size = 16;
    int *map = malloc (size * sizeof *map);
    bool ok = map != NULL, last = false;
    while (ok && !last) {
        size_t start = self->text_used;
        uint32_t cell = NO_CELL;
        ok = read_field (self, reader, true, &cell, &last);
        int found = ok ? column_named (self, cell == NO_CELL ? "" : self->text + cell) : -1;
        self->text_used = start;                    /* header names are not kept */
        if (ok && used == size) {
            int *bigger = realloc (map, 2 * size * sizeof *map);
            ok = bigger != NULL;
            map = bigger ? bigger : map;
            size *= 2;
        }
        if (ok)
            map[used++] = found;
    }
    if (!ok) {
        free (map);
        return false;
    }
    *positions = map;
    *fields = used;
    return true;
}

static bool
every_column_found (const dashboard_snapshot_t *self, const int *positions, size_t fields)
{
    for (size_t c = 0; c < self->column_count; c++) {
        bool found = false;
        for (size_t f = 0; f < fields; f++)
            found = found || positions[f] == (int) c;
        if (!found)
            return false;
    }
    return true;
}

static bool
grow_rows (dashboard_snapshot_t *self)
{
    if (self->rows < self->capacity)
        return true;
    size_t capacity = self->capacity ? 2 * self->capacity : 1024;
    for (size_t c = 0; c < self->column_count; c++) {
        uint32_t *cells = realloc (self->columns[c].cells, capacity * sizeof *cells);
        if (!cells)
            return false;
        self->columns[c].cells = cells;
    }
    self->capacity = capacity;
    return true;
}

/* One record: its kept fields into the new row (fields it lacks stay empty). */
static bool
read_record (dashboard_snapshot_t *self, reader_t *reader, const int *positions, size_t fields)
{
    if (!grow_rows (self) || self->rows >= NO_CELL)
        return false;
    for (size_t c = 0; c < self->column_count; c++)
        self->columns[c].cells[self->rows] = NO_CELL;
    bool last = false;
    for (size_t f = 0; !last; f++) {
        int column = f < fields ? positions[f] : -1;
        uint32_t cell = NO_CELL;
        if (!read_field (self, reader, column >= 0, &cell, &last))
            return false;
        if (column >= 0)
            self->columns[column].cells[self->rows] = cell;
    }
    self->rows++;
    return true;
}

static bool
read_csv (dashboard_snapshot_t *self, const char *csv, size_t size)
{
    reader_t reader = {csv, csv + size};
    int *positions = NULL;
    size_t fields = 0;
    if (!read_header (self, &reader, &positions, &fields))
        return false;
    bool ok = every_column_found (self, positions, fields);
    while (ok && reader.at < reader.end)
        ok = read_record (self, &reader, positions, fields);
    free (positions);
    return ok;
}

/* ---- ranks ----------------------------------------------------------------- */

typedef struct {
    const char *text;
    long long number;
    uint32_t row;
} entry_t;

static int
compare_texts (const void *left, const void *right)
{
    return strcmp (((const entry_t *) left)->text, ((const entry_t *) right)->text);
}

static int
compare_numbers (const void *left, const void *right)
{
    long long a = ((const entry_t *) left)->number, b = ((const entry_t *) right)->number;
    return a < b ? -1 : a > b;
}

/* A whole number, the whole text. */
static bool
parse_number (const char *text, long long *number)
{
    char *end = NULL;
    *number = strtoll (text, &end, 10);
    return end && end != text && *end == '\0';
}

/* The column's non-empty cells (numeric columns: those that are numbers)
 * as entries; *count set. */
static entry_t *
entries_of (const dashboard_snapshot_t *self, const column_t *column, size_t *count)
{
    entry_t *entries = malloc ((self->rows + 1) * sizeof *entries);
    size_t used = 0;
    for (size_t row = 0; entries && row < self->rows; row++) {
        uint32_t cell = column->cells[row];
        if (cell == NO_CELL)
            continue;
        entry_t entry = {self->text + cell, 0, (uint32_t) row};
        if (column->numeric && !parse_number (entry.text, &entry.number))
            continue;
        entries[used++] = entry;
    }
    *count = used;
    return entries;
}

/* Ranks the column's rows by value: sorts the entries and numbers each
 * distinct value. */
static bool
rank_column (dashboard_snapshot_t *self, column_t *column)
{
    size_t count = 0;
    entry_t *entries = entries_of (self, column, &count);
    column->ranks = malloc ((self->rows + 1) * sizeof *column->ranks);
    column->values = malloc ((count + 1) * sizeof *column->values);
    column->numbers = column->numeric ? malloc ((count + 1) * sizeof *column->numbers) : NULL;
    if (!entries || !column->ranks || !column->values || (column->numeric && !column->numbers)) {
        free (entries);
        return false;
    }
    for (size_t row = 0; row < self->rows; row++)
        column->ranks[row] = NO_CELL;
    qsort (entries, count, sizeof *entries, column->numeric ? compare_numbers : compare_texts);
    uint32_t distinct = 0;
    for (size_t i = 0; i < count; i++) {
        bool same = i > 0 && (column->numeric ? compare_numbers : compare_texts) (&entries[i - 1], &entries[i]) == 0;
        if (!same) {
            column->values[distinct] = column->cells[entries[i].row];
            if (column->numeric)
                column->numbers[distinct] = entries[i].number;
            distinct++;
        }
        column->ranks[entries[i].row] = distinct - 1;
    }
    column->distinct = distinct;
    for (size_t row = 0; row < self->rows; row++)
        if (column->ranks[row] == NO_CELL)
            column->ranks[row] = distinct;          /* empty, or not a number */
    free (entries);
    return true;
}

/* ---- compacting ------------------------------------------------------------ */

/* Copies `offset`'s text from `from` to `to` at *used; returns its new offset. */
static uint32_t
copy_text (const char *from, uint32_t offset, char *to, size_t *used)
{
    size_t length = strlen (from + offset) + 1;
    memcpy (to + *used, from + offset, length);
    uint32_t moved = (uint32_t) *used;
    *used += length;
    return moved;
}

/* The bytes the compact text needs: each column's distinct values once,
 * and the cells outside them (numeric columns' cells that are not numbers). */
static size_t
compact_size (const dashboard_snapshot_t *self)
{
    size_t size = 0;
    for (size_t c = 0; c < self->column_count; c++) {
        const column_t *column = &self->columns[c];
        for (uint32_t k = 0; k < column->distinct; k++)
            size += strlen (self->text + column->values[k]) + 1;
        for (size_t row = 0; row < self->rows; row++)
            if (column->ranks[row] == column->distinct && column->cells[row] != NO_CELL)
                size += strlen (self->text + column->cells[row]) + 1;
    }
    return size;
}

/* Keeps each column's distinct values once (the cells of equal values
 * share their text) and the cell arrays at their size. */
static bool
compact (dashboard_snapshot_t *self)
{
    size_t size = compact_size (self), used = 0;
    char *text = malloc (size + 1);
    if (!text)
        return false;
    for (size_t c = 0; c < self->column_count; c++) {
        column_t *column = &self->columns[c];
        for (uint32_t k = 0; k < column->distinct; k++)
            column->values[k] = copy_text (self->text, column->values[k], text, &used);
        for (size_t row = 0; row < self->rows; row++) {
            if (column->ranks[row] < column->distinct)
                column->cells[row] = column->values[column->ranks[row]];
            else if (column->cells[row] != NO_CELL)
                column->cells[row] = copy_text (self->text, column->cells[row], text, &used);
        }
        uint32_t *cells = realloc (column->cells, (self->rows + 1) * sizeof *cells);
        if (cells)
            column->cells = cells;
    }
    free (self->text);
    self->text = text;
    self->text_used = self->text_size = size + 1;
    self->capacity = self->rows + 1;
    return true;
}

/* The rank of `value` in the column, or -1 when no cell holds it. */
static long
rank_of (const dashboard_snapshot_t *self, const column_t *column, const char *value)
{
    long long number = 0;
    if (!value || (column->numeric && !parse_number (value, &number)))
        return -1;
    size_t low = 0, high = column->distinct;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order;
        if (column->numeric)
            order = column->numbers[middle] < number ? -1 : column->numbers[middle] > number;
        else
            order = strcmp (self->text + column->values[middle], value);
        if (order == 0)
            return (long) middle;
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return -1;
}

/* ---- lifetime --------------------------------------------------------------- */

static bool
name_columns (dashboard_snapshot_t *self, const dashboard_column_t *columns, size_t count)
{
    self->columns = calloc (count ? count : 1, sizeof *self->columns);
    if (!self->columns)
        return false;
    self->column_count = count;
    for (size_t c = 0; c < count; c++) {
        self->columns[c].name = strdup (columns[c].name);
        self->columns[c].numeric = columns[c].numeric;
        if (!self->columns[c].name)
            return false;
    }
    return true;
}

dashboard_snapshot_t *
dashboard_snapshot_new (const char *csv, size_t size, const dashboard_column_t *columns, size_t count,
                        int64_t taken_at)
{
    dashboard_snapshot_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    atomic_init (&self->references, 1);
    self->taken_at = taken_at;
    bool ok = csv && name_columns (self, columns, count) && read_csv (self, csv, size);
    for (size_t c = 0; ok && c < count; c++)
        ok = rank_column (self, &self->columns[c]);
    if (!ok || !compact (self))
        dashboard_snapshot_destroy (&self);
    return self;
}

dashboard_snapshot_t *
dashboard_snapshot_ref (dashboard_snapshot_t *self)
{
    if (self)
        atomic_fetch_add (&self->references, 1);
    return self;
}

void
dashboard_snapshot_destroy (dashboard_snapshot_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dashboard_snapshot_t *self = *self_p;
    *self_p = NULL;
    if (atomic_fetch_sub (&self->references, 1) != 1)
        return;
    for (size_t c = 0; self->columns && c < self->column_count; c++) {
        free (self->columns[c].name);
        free (self->columns[c].cells);
        free (self->columns[c].ranks);
        free (self->columns[c].values);
        free (self->columns[c].numbers);
    }
    free (self->columns);
    free (self->text);
    free (self);
}

/* ---- reading it ------------------------------------------------------------- */

size_t
dashboard_snapshot_rows (const dashboard_snapshot_t *self)
{
    return self->rows;
}

int64_t
dashboard_snapshot_taken_at (const dashboard_snapshot_t *self)
{
    return self->taken_at;
}

size_t
dashboard_snapshot_bytes (const dashboard_snapshot_t *self)
{
    size_t bytes = sizeof *self + self->text_size + self->column_count * sizeof *self->columns;
    for (size_t c = 0; c < self->column_count; c++) {
        const column_t *column = &self->columns[c];
        bytes += self->capacity * sizeof *column->cells + (self->rows + 1) * sizeof *column->ranks
                 + (column->distinct + 1) * (sizeof *column->values + (column->numeric ? sizeof (long long) : 0));
    }
    return bytes;
}

int
dashboard_snapshot_column (const dashboard_snapshot_t *self, const char *name)
{
    for (size_t c = 0; name && c < self->column_count; c++)
        if (strcmp (self->columns[c].name, name) == 0)
            return (int) c;
    return -1;
}

const char *
dashboard_snapshot_cell (const dashboard_snapshot_t *self, size_t row, int column)
{
    if (row >= self->rows || column < 0 || (size_t) column >= self->column_count)
        return "";
    uint32_t cell = self->columns[column].cells[row];
    return cell == NO_CELL ? "" : self->text + cell;
}

/* ---- choosing rows ------------------------------------------------------------ */

void
dashboard_selection_init (dashboard_selection_t *selection)
{
    memset (selection, 0, sizeof *selection);
    selection->differ.column = -1;
    selection->listed.column = -1;
    selection->shared.column = -1;
    selection->order = -1;
    selection->direction = 1;
}

bool
dashboard_selection_require (dashboard_selection_t *selection, int column, const char *value)
{
    if (column < 0 || selection->equals == DASHBOARD_SELECTION_MAX)
        return false;
    selection->equal[selection->equals++] = (dashboard_condition_t) {column, value};
    return true;
}

static bool
is_column (const dashboard_snapshot_t *self, int column)
{
    return column >= 0 && (size_t) column < self->column_count;
}

/* Whether one of the comma-separated parts of `wanted` is one of `list`'s
 * (a value without a comma: whether it is one of them). */
static bool
shares_part (const char *list, const char *wanted)
{
    for (const char *part = wanted; part && *part;) {
        const char *comma = strchr (part, ',');
        size_t length = comma ? (size_t) (comma - part) : strlen (part);
        if (length > 0 && mot_text_listed (list, part, length))
            return true;
        part = comma ? comma + 1 : NULL;
    }
    return false;
}

/* The conditions on comma-separated cells: listed and shared. */
#define LIST_CONDITIONS 2

/* The test a selection makes of each row, in ranks. */
typedef struct {
    const uint32_t *ranks[DASHBOARD_SELECTION_MAX];
    uint32_t wanted[DASHBOARD_SELECTION_MAX];
    size_t equals;
    const uint32_t *differ_ranks;   /* NULL: no such condition */
    uint32_t differ;
    const uint32_t *listed_ranks[LIST_CONDITIONS];  /* NULL: no such condition */
    bool *listed[LIST_CONDITIONS];  /* per rank of the column: whether it passes */
    bool none;                      /* an equality no cell meets */
} test_t;

static bool
prepare_listed (const dashboard_snapshot_t *self, const dashboard_condition_t *condition, test_t *test, size_t which)
{
    if (!is_column (self, condition->column) || !condition->value)
        return true;
    const column_t *column = &self->columns[condition->column];
    test->listed[which] = calloc (column->distinct + 1, sizeof *test->listed[which]);
    if (!test->listed[which])
        return false;
    for (uint32_t k = 0; k < column->distinct; k++)
        test->listed[which][k] = shares_part (self->text + column->values[k], condition->value);
    test->listed_ranks[which] = column->ranks;
    return true;
}

static bool
prepare_test (const dashboard_snapshot_t *self, const dashboard_selection_t *selection, test_t *test)
{
    memset (test, 0, sizeof *test);
    for (size_t i = 0; i < selection->equals && i < DASHBOARD_SELECTION_MAX; i++) {
        const dashboard_condition_t *condition = &selection->equal[i];
        long rank = is_column (self, condition->column)
                        ? rank_of (self, &self->columns[condition->column], condition->value) : -1;
        if (rank < 0)
            test->none = true;
        else {
            test->ranks[test->equals] = self->columns[condition->column].ranks;
            test->wanted[test->equals++] = (uint32_t) rank;
        }
    }
    if (is_column (self, selection->differ.column)) {
        long rank = rank_of (self, &self->columns[selection->differ.column], selection->differ.value);
        if (rank >= 0) {
            test->differ_ranks = self->columns[selection->differ.column].ranks;
            test->differ = (uint32_t) rank;
        }
    }
    return prepare_listed (self, &selection->listed, test, 0) && prepare_listed (self, &selection->shared, test, 1);
}

static bool
passes (const test_t *test, size_t row)
{
    for (size_t i = 0; i < test->equals; i++)
        if (test->ranks[i][row] != test->wanted[i])
            return false;
    if (test->differ_ranks && test->differ_ranks[row] == test->differ)
        return false;
    for (size_t i = 0; i < LIST_CONDITIONS; i++)
        if (test->listed_ranks[i] && !test->listed[i][test->listed_ranks[i][row]])
            return false;
    return true;
}

/* Sorts `rows` (count of them) by the column's ranks, stably: a counting
 * sort, buckets in the direction's order. A new array, NULL when out of
 * memory. */
static uint32_t *
sort_rows (const column_t *column, const uint32_t *rows, size_t count, int direction)
{
    size_t buckets = (size_t) column->distinct + 1;    /* the last: empty cells */
    size_t *starts = calloc (buckets + 1, sizeof *starts);
    uint32_t *sorted = malloc ((count + 1) * sizeof *sorted);
    if (!starts || !sorted) {
        free (starts);
        free (sorted);
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        starts[column->ranks[rows[i]]]++;
    size_t position = 0;
    for (size_t k = 0; k < buckets; k++) {
        size_t bucket = direction < 0 ? buckets - 1 - k : k;
        size_t size = starts[bucket];
        starts[bucket] = position;
        position += size;
    }
    for (size_t i = 0; i < count; i++)
        sorted[starts[column->ranks[rows[i]]]++] = rows[i];
    free (starts);
    return sorted;
}

uint32_t *
dashboard_snapshot_select (const dashboard_snapshot_t *self, const dashboard_selection_t *selection, size_t *count)
{
    test_t test = {0};
    uint32_t *rows = malloc ((self->rows + 1) * sizeof *rows);
    bool prepared = rows && prepare_test (self, selection, &test);
    size_t used = 0;
    for (size_t row = 0; prepared && !test.none && row < self->rows; row++)
        if (passes (&test, row))
            rows[used++] = (uint32_t) row;
    for (size_t i = 0; i < LIST_CONDITIONS; i++)
        free (test.listed[i]);
    if (!prepared) {
        free (rows);
        return NULL;
    }
    *count = used;
    if (!is_column (self, selection->order))
        return rows;
    uint32_t *sorted = sort_rows (&self->columns[selection->order], rows, used, selection->direction);
    free (rows);
    return sorted;
}
