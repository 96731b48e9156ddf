/*  register_table — the rows of one register, rendered as JSON or CSV.
 *
 *  Owns: the shape of the reporter's answers. A table has a name (the
 *  register: "MUPOI", "MURO", "ITEMS", "OBLIGATIONS"), named columns, and
 *  rows whose cells hold text, a number or nothing. It renders as
 *    JSON {"register":NAME,"generated_at":ISO,"<rows_key>":[{column:value,…}]}
 *      (compact, UTF-8 kept, keys in column order, empty cells null, one
 *      trailing newline), or
 *    CSV  a header row of the column names, then one record per row
 *      (RFC 4180 via mot_csv, CRLF, empty cells empty).
 *  Column names are the same in both renderings.
 */
#ifndef REGISTER_TABLE_H_INCLUDED
#define REGISTER_TABLE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _register_table_t register_table_t;

/* NULL on allocation failure. */
register_table_t *register_table_new (const char *name, const char *rows_key);
void register_table_destroy (register_table_t **self_p);

/* Columns are added before the first row; a cell holds text or a number. */
bool register_table_add_column (register_table_t *self, const char *name);
/* Starts a new row with every cell empty; the setters fill the newest row. */
bool register_table_add_row (register_table_t *self);
/* value NULL (or not valid UTF-8) leaves the cell empty. */
bool register_table_set_text (register_table_t *self, const char *column, const char *value);
bool register_table_set_number (register_table_t *self, const char *column, long long value);
size_t register_table_rows (register_table_t *self);
const char *register_table_name (register_table_t *self);

/* Streaming: from now on each row is written as CSV once the next one
 * starts (the last when the CSV is taken) and then forgotten, so memory
 * holds the CSV and one row however many rows there are. Call after the
 * columns, before the first row; register_table_csv then hands the CSV
 * over once (NULL after that, and no more rows), register_table_json gives
 * NULL. False when rows exist already or memory ran out. */
bool register_table_stream_csv (register_table_t *self);
/* Streaming: about how many rows will come (an upper bound is fine), so
 * that the CSV's memory is taken at once, sized on the first row, rather
 * than grown (each growth may copy what was written). */
void register_table_expect_rows (register_table_t *self, size_t count);

/* The rendering as a new NUL-terminated buffer (caller frees), its length
 * in *size; NULL on allocation failure. */
char *register_table_json (register_table_t *self, const char *generated_at, size_t *size);
char *register_table_csv (register_table_t *self, size_t *size);

#endif
