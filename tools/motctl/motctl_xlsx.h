/*  motctl_xlsx — an item register as an Excel workbook (libxlsxwriter), the
 *  format the DOE units exchange by e-mail.
 *
 *  Owns: how the reporter's JSON register becomes one worksheet. The sheet
 *  is named after the register (MUPOI, MURO, "Problemáticas y riesgos",
 *  "Sin clasificar"); row 1 is the header, the readable Spanish name of
 *  each column (a hand-written table; a column it does not know is shown
 *  as its key with spaces, so a column the reporter adds still appears),
 *  bold, frozen and under an autofilter that covers the whole table; one
 *  row per item below it, in the reporter's order. Numbers stay numbers;
 *  the date columns (primera, ultima, ultima_valoracion, cerrado_el) are
 *  real dates shown yyyy-mm-dd; the mitigation changes show their sign;
 *  each row's "cuadrante" cell is filled with its quadrant's colour (the
 *  row's "color", one of mot_score_quadrant_colour's names), in the map's
 *  tones. Texts are written as they came (UTF-8). Printing: landscape,
 *  one page wide, the header row repeated on every page.
 */
#ifndef MOTCTL_XLSX_H_INCLUDED
#define MOTCTL_XLSX_H_INCLUDED

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct _motctl_xlsx_t motctl_xlsx_t;

/* A workbook of `reg`, the reporter's JSON register
 * {"register":NAME,"generated_at":ISO,"items":[{column:value,…}]}
 * (borrowed: it must outlive the workbook). The columns are the keys of the
 * rows, in order. NULL with *error (malloc'd) when `reg` is not of that
 * shape or memory runs out. */
motctl_xlsx_t *motctl_xlsx_new (json_t *reg, char **error);
void motctl_xlsx_destroy (motctl_xlsx_t **self_p);

/* How many rows the register has. */
size_t motctl_xlsx_rows (motctl_xlsx_t *self);

/* The columns of a register without rows (its JSON names none), in order,
 * after those the rows name (a name already there is skipped); names are
 * copied. False when out of memory. */
bool motctl_xlsx_set_columns (motctl_xlsx_t *self, const char *const *names, size_t count);

/* Writes the workbook to `path`: written beside it under a temporary name,
 * then renamed over it, so `path` is either the whole workbook or left as it
 * was. False with *error (malloc'd, naming the path) when it cannot be
 * written. */
bool motctl_xlsx_save (motctl_xlsx_t *self, const char *path, char **error);

#endif
