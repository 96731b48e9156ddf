/*  dashboard_snapshot — one register held in memory for the dashboard.
 *
 *  Owns: an immutable copy of the cells a register page shows, for every
 *  item the register holds, in the register's order, built in one pass from
 *  the register's CSV (register_table_csv), and the choice of a page's rows
 *  over it: cells equal to values, one cell different from a value, a value
 *  in a comma-separated cell, a comma-separated cell sharing a part with a
 *  list (an account's units), and the order by one column (ascending or
 *  descending, ties in the register's order).
 *
 *  How: each column keeps its distinct values sorted and each row the rank
 *  of its value, so a filter is one integer comparison per row and a sort
 *  is a counting sort over the ranks (linear in the rows). Columns declared
 *  numeric compare as numbers, the others byte by byte (strcmp); an empty
 *  cell comes after every value ascending and before them descending, as
 *  the page's sort over the register's JSON rows did. An empty CSV field is
 *  an empty cell: it matches no value and is never equal to one.
 *
 *  Equal values share their text (memory: the distinct values once, and
 *  per row and column an offset and a rank).
 *
 *  A snapshot never changes once built, so any number of threads read it at
 *  once. It counts its references (atomically): dashboard_snapshot_ref
 *  takes one, dashboard_snapshot_destroy drops one and frees the snapshot
 *  with the last.
 */
#ifndef DASHBOARD_SNAPSHOT_H_INCLUDED
#define DASHBOARD_SNAPSHOT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _dashboard_snapshot_t dashboard_snapshot_t;

/* A column to keep: its CSV header name and whether it holds numbers. */
typedef struct {
    const char *name;
    bool numeric;
} dashboard_column_t;

/* The snapshot of the CSV `csv` (`size` bytes: a header row, then one
 * record per row) keeping `count` columns; `taken_at` is when its data was
 * read (unix seconds, the service clock). NULL when a column is not in the
 * header, the CSV is malformed (an unclosed quote) or memory ran out. */
dashboard_snapshot_t *dashboard_snapshot_new (const char *csv, size_t size, const dashboard_column_t *columns,
                                              size_t count, int64_t taken_at);
/* Drops a reference; the last one frees the snapshot. */
void dashboard_snapshot_destroy (dashboard_snapshot_t **self_p);
/* Takes one more reference (returns self). */
dashboard_snapshot_t *dashboard_snapshot_ref (dashboard_snapshot_t *self);

size_t dashboard_snapshot_rows (const dashboard_snapshot_t *self);
int64_t dashboard_snapshot_taken_at (const dashboard_snapshot_t *self);
/* The bytes the snapshot holds (its text, cells, ranks, tables). */
size_t dashboard_snapshot_bytes (const dashboard_snapshot_t *self);
/* The position of the column named `name` among those kept, -1 if none. */
int dashboard_snapshot_column (const dashboard_snapshot_t *self, const char *name);
/* The text of a cell, "" when empty (or out of range). */
const char *dashboard_snapshot_cell (const dashboard_snapshot_t *self, size_t row, int column);

/* ---- choosing rows -------------------------------------------------------- */

#define DASHBOARD_SELECTION_MAX 8

typedef struct {
    int column;                 /* -1: no condition */
    const char *value;
} dashboard_condition_t;

typedef struct {
    dashboard_condition_t equal[DASHBOARD_SELECTION_MAX]; /* the cell is value */
    size_t equals;
    dashboard_condition_t differ;   /* the cell is not value (an empty one is not) */
    dashboard_condition_t listed;   /* value is one of the cell's comma-separated parts */
    dashboard_condition_t shared;   /* one of value's comma-separated parts is one of the cell's */
    int order;                      /* the column to sort by; -1: the register's order */
    int direction;                  /* 1 ascending, -1 descending */
} dashboard_selection_t;

/* No condition, the register's order. */
void dashboard_selection_init (dashboard_selection_t *selection);
/* Adds "the cell of `column` is `value`"; false when the selection is full
 * or the column is -1. */
bool dashboard_selection_require (dashboard_selection_t *selection, int column, const char *value);

/* The rows the selection keeps, in its order: a new array (caller frees) of
 * *count row numbers; NULL on allocation failure. */
uint32_t *dashboard_snapshot_select (const dashboard_snapshot_t *self, const dashboard_selection_t *selection,
                                     size_t *count);

#endif
