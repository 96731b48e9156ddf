/*  motctl_xlsx — an item register as an Excel workbook (see motctl_xlsx.h).
 *
 *  Owns: the readable names of the register's columns and how each kind of
 *  cell is written, the sheet's look (header, widths, quadrant fills, frozen
 *  header, autofilter, print setup), and replacing the target file whole.
 *  The workbook is written in libxlsxwriter's constant-memory mode (a row at
 *  a time), so a register of 100,000 items costs the JSON and no more.
 */
#include "motctl_xlsx.h"

#include "mot_score.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ---- the names ---------------------------------------------------------- */

typedef enum {
    CELL_PLAIN,                 /* a number as a number, a text as a text */
    CELL_DATE,                  /* YYYY-MM-DD: a real date, shown yyyy-mm-dd */
    CELL_CHANGE,                /* a signed change of score: +2, -5, 0 */
    CELL_QUADRANT,              /* filled with the colour of the row's quadrant */
} cell_kind_t;

typedef struct {
    const char *key;            /* the reporter's column (register_query.h) */
    const char *header;         /* what the sheet calls it */
    cell_kind_t kind;
} column_name_t;

/* The reporter's columns by their readable names, in the norm's words where
 * it has them (7.2.4.10-7.2.4.13: impacto, frecuencia / probabilidad de
 * ocurrencia, cuadrante, grado de mitigación). */
static const column_name_t column_names[] = {
    {"id", "Id", CELL_PLAIN},
    {"tipo", "Tipo", CELL_PLAIN},
    {"territorio", "Territorio", CELL_PLAIN},
    {"nombre_territorio", "Nombre del territorio", CELL_PLAIN},
    {"tema", "Tema", CELL_PLAIN},
    {"categoria", "Categoría", CELL_PLAIN},
    {"on", "ON responsable", CELL_PLAIN},
    {"impacto", "Impacto", CELL_PLAIN},
    {"impacto_etiqueta", "Etiqueta de impacto", CELL_PLAIN},
    {"frecuencia", "Frecuencia de ocurrencia", CELL_PLAIN},
    {"frecuencia_etiqueta", "Etiqueta de frecuencia", CELL_PLAIN},
    {"probabilidad", "Probabilidad de ocurrencia", CELL_PLAIN},
    {"probabilidad_etiqueta", "Etiqueta de probabilidad", CELL_PLAIN},
    {"vertical", "Frecuencia o probabilidad", CELL_PLAIN},
    {"vertical_etiqueta", "Etiqueta de frecuencia o probabilidad", CELL_PLAIN},
    {"cuadrante", "Cuadrante", CELL_QUADRANT},
    {"color", "Color", CELL_PLAIN},
    {"lectura", "Lectura del cuadrante", CELL_PLAIN},
    {"etapa", "Etapa", CELL_PLAIN},
    {"eventos", "Eventos", CELL_PLAIN},
    {"primera", "Primer evento", CELL_DATE},
    {"ultima", "Último evento", CELL_DATE},
    {"impacto_propuesto", "Impacto propuesto", CELL_PLAIN},
    {"frecuencia_propuesta", "Frecuencia propuesta", CELL_PLAIN},
    {"probabilidad_propuesta", "Probabilidad propuesta", CELL_PLAIN},
    {"vertical_propuesto", "Frecuencia o probabilidad propuesta", CELL_PLAIN},
    {"corregido_por", "Corregido por", CELL_PLAIN},
    {"unidades", "Unidades que la detectaron", CELL_PLAIN},
    {"acciones", "Acciones correctivas", CELL_PLAIN},
    {"acciones_completas", "Acciones completas", CELL_PLAIN},
    {"avance_promedio", "Avance promedio (%)", CELL_PLAIN},
    {"resultado", "Resultado de la valoración", CELL_PLAIN},
    {"ultima_valoracion", "Última valoración", CELL_DATE},
    {"valoraciones", "Valoraciones", CELL_PLAIN},
    {"mitigacion_cuadrante", "Grado de mitigación: cuadrante", CELL_PLAIN},
    {"mitigacion_impacto", "Grado de mitigación: impacto", CELL_CHANGE},
    {"mitigacion_frecuencia", "Grado de mitigación: frecuencia", CELL_CHANGE},
    {"mitigacion_probabilidad", "Grado de mitigación: probabilidad", CELL_CHANGE},
    {"mitigacion_vertical", "Grado de mitigación: frecuencia o probabilidad", CELL_CHANGE},
    {"acuerdos_abiertos", "Acuerdos abiertos", CELL_PLAIN},
    {"recomendaciones_abiertas", "Recomendaciones abiertas", CELL_PLAIN},
    {"cerrado_el", "Fecha de cierre", CELL_DATE},
    {"cerrado_por", "Cerrado por", CELL_PLAIN},
};

typedef struct {
    const char *name;           /* the reporter's "register" */
    const char *sheet;          /* at most 31 characters, none of []:*?/\ */
    const char *title;          /* document title and printed page header */
} register_name_t;

static const register_name_t register_names[] = {
    {"MUPOI", "MUPOI", "MUPOI — Matriz Unificada de Problemas Operativos Institucionales"},
    {"MURO", "MURO", "MURO — Matriz Unificada de Riesgos Operativos"},
    {"ITEMS", "Problemáticas y riesgos", "Problemáticas y riesgos operativos"},
    {"UNCLASSIFIED", "Sin clasificar", "Problemáticas y riesgos sin clasificar"},
};

/* The fill of each quadrant's cell, I..IV: the map's tones of the norm's
 * colours (rojo, naranja, verde, amarillo; mot_score_quadrant_colour), light
 * enough for black text. */
static const lxw_color_t quadrant_fills[4] = {0xEF9A9A, 0xFFB74D, 0xA5D6A7, 0xFFE45C};

#define HEADER_FILL 0xE0E0E0
#define MIN_WIDTH 6.0
#define MAX_WIDTH 50.0
#define FILTER_BUTTON 3         /* characters the autofilter's arrow covers */
#define LINE_HEIGHT 15.0        /* points: Excel's default row */
#define CELL_TEXT_MAX 32767     /* characters a cell holds (Excel) */

/* ---- the workbook ------------------------------------------------------- */

typedef struct {
    char *key;
    char *header;
    cell_kind_t kind;
    double width;               /* characters */
} column_t;

struct _motctl_xlsx_t {
    json_t *reg;                /* borrowed */
    json_t *rows;               /* borrowed, from reg */
    const char *name;           /* the register, from reg */
    const char *generated_at;   /* from reg; may be NULL */
    column_t *columns;
    size_t column_count;
};

typedef struct {
    lxw_format *header;
    lxw_format *date;
    lxw_format *change;
    lxw_format *quadrant[4];
} formats_t;

/* How many characters a UTF-8 text shows (continuation bytes not counted). */
static size_t
characters (const char *text)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p; p++)
        count += (*p & 0xC0) != 0x80;
    return count;
}

/* "nuevo_campo" → "Nuevo campo": a column the table does not name. */
static char *
fallback_header (const char *key)
{
    char *header = strdup (*key ? key : "?");
    for (char *p = header; p && *p; p++)
        if (*p == '_')
            *p = ' ';
    if (header && *header >= 'a' && *header <= 'z')
        *header = (char) (*header - 'a' + 'A');
    return header;
}

static bool
add_column (motctl_xlsx_t *self, const char *key)
{
    column_t *more = realloc (self->columns, (self->column_count + 1) * sizeof *more);
    if (!more)
        return false;
    self->columns = more;
    column_t *column = &self->columns[self->column_count];
    *column = (column_t) {.key = strdup (key), .kind = CELL_PLAIN};
    for (size_t i = 0; i < sizeof column_names / sizeof column_names[0]; i++)
        if (strcmp (column_names[i].key, key) == 0) {
            column->header = strdup (column_names[i].header);
            column->kind = column_names[i].kind;
        }
    if (!column->header)
        column->header = fallback_header (key);
    if (!column->key || !column->header) {
        free (column->key);
        free (column->header);
        return false;
    }
    self->column_count++;
    return true;
}

/* Every key of every row, in the order first met (the reporter gives every
 * row the same keys, in column order). */
static bool
collect_columns (motctl_xlsx_t *self)
{
    json_t *seen = json_object ();
    bool ok = seen != NULL;
    size_t index;
    json_t *row;
    json_array_foreach (self->rows, index, row) {
        const char *key;
        json_t *value;
        json_object_foreach (row, key, value) {
            if (!ok || json_object_get (seen, key))
                continue;
            ok = json_object_set_new (seen, key, json_true ()) == 0 && add_column (self, key);
        }
    }
    json_decref (seen);
    return ok;
}

static bool
rows_are_objects (json_t *rows)
{
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        if (!json_is_object (row))
            return false;
    return true;
}

motctl_xlsx_t *
motctl_xlsx_new (json_t *reg, char **error)
{
    json_t *name = json_object_get (reg, "register");
    json_t *rows = json_object_get (reg, "items");
    if (!json_is_string (name) || !json_is_array (rows) || !rows_are_objects (rows)) {
        *error = zsys_sprintf ("the reporter's register is not {\"register\":…,\"items\":[{…}]}");
        return NULL;
    }
    motctl_xlsx_t *self = calloc (1, sizeof *self);
    if (self) {
        self->reg = reg;
        self->rows = rows;
        self->name = json_string_value (name);
        self->generated_at = json_string_value (json_object_get (reg, "generated_at"));
    }
    if (!self || !collect_columns (self)) {
        motctl_xlsx_destroy (&self);
        *error = zsys_sprintf ("out of memory");
    }
    return self;
}

void
motctl_xlsx_destroy (motctl_xlsx_t **self_p)
{
    motctl_xlsx_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->column_count; i++) {
        free (self->columns[i].key);
        free (self->columns[i].header);
    }
    free (self->columns);
    free (self);
    *self_p = NULL;
}

size_t
motctl_xlsx_rows (motctl_xlsx_t *self)
{
    return json_array_size (self->rows);
}

static bool
has_column (motctl_xlsx_t *self, const char *key)
{
    for (size_t i = 0; i < self->column_count; i++)
        if (strcmp (self->columns[i].key, key) == 0)
            return true;
    return false;
}

bool
motctl_xlsx_set_columns (motctl_xlsx_t *self, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!has_column (self, names[i]) && !add_column (self, names[i]))
            return false;
    return true;
}

/* ---- column widths ------------------------------------------------------ */

/* The characters a cell's value shows. */
static size_t
value_width (const column_t *column, json_t *value)
{
    char digits[32];
    if (json_is_string (value))
        return column->kind == CELL_DATE ? 10 : characters (json_string_value (value));
    if (json_is_integer (value))
        return (size_t) snprintf (digits, sizeof digits, "%" JSON_INTEGER_FORMAT, json_integer_value (value))
               + (column->kind == CELL_CHANGE);
    if (json_is_real (value))
        return 10;
    return json_is_boolean (value) ? 5 : 0;
}

static size_t
longest_word (const char *text)
{
    size_t longest = 0, current = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p; p++) {
        if (*p == ' ')
            current = 0;
        else if ((*p & 0xC0) != 0x80 && ++current > longest)
            longest = current;
    }
    return longest;
}

/* Wide enough for the longest value; the header wraps onto more lines when
 * it is longer, but each of its words fits beside the filter's arrow. */
static void
size_columns (motctl_xlsx_t *self)
{
    for (size_t c = 0; c < self->column_count; c++) {
        column_t *column = &self->columns[c];
        size_t content = 0, index;
        json_t *row;
        json_array_foreach (self->rows, index, row) {
            size_t width = value_width (column, json_object_get (row, column->key));
            if (width > content)
                content = width;
        }
        size_t whole = characters (column->header) + FILTER_BUTTON;
        size_t word = longest_word (column->header) + FILTER_BUTTON;
        size_t wrapped = word > 14 ? word : 14;             /* a long header takes two lines or more */
        size_t header = whole < wrapped ? whole : wrapped;
        double width = (double) (content > header ? content : header) + 1;
        column->width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
    }
}

/* The lines a header takes at its column's width (greedy word wrap). */
static size_t
header_lines (const column_t *column)
{
    size_t room = column->width > FILTER_BUTTON + 1 ? (size_t) column->width - FILTER_BUTTON : 1;
    size_t lines = 1, used = 0;
    const char *word = column->header;
    while (*word) {
        size_t length = strcspn (word, " ");
        size_t shown = 0;
        for (size_t i = 0; i < length; i++)
            shown += ((unsigned char) word[i] & 0xC0) != 0x80;
        if (used > 0 && used + 1 + shown > room) {
            lines++;
            used = shown;
        }
        else
            used += (used > 0) + shown;
        word += length;
        word += strspn (word, " ");
    }
    return lines;
}

/* ---- cells -------------------------------------------------------------- */

static bool
is_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* A YYYY-MM-DD text as a date; false when it is not one. */
static bool
parse_date (const char *text, lxw_datetime *date)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return false;
    int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);
    if (year < 1900 || month < 1 || month > 12 || day < 1)
        return false;
    int last = days[month - 1] + (month == 2 && is_leap (year));
    *date = (lxw_datetime) {.year = year, .month = month, .day = day};
    return day <= last;
}

/* The fill of the row's quadrant: the quadrant whose colour the row names. */
static lxw_format *
quadrant_format (const formats_t *formats, json_t *row)
{
    const char *colour = json_string_value (json_object_get (row, "color"));
    for (int quadrant = 1; colour && quadrant <= 4; quadrant++)
        if (strcmp (colour, mot_score_quadrant_colour (quadrant)) == 0)
            return formats->quadrant[quadrant - 1];
    return NULL;
}

/* Writes a text; one longer than a cell holds is cut to CELL_TEXT_MAX
 * characters. */
static lxw_error
write_text (lxw_worksheet *sheet, lxw_row_t r, lxw_col_t c, const char *text, lxw_format *format)
{
    size_t cut = 0, count = 0;
    while (text[cut] && (count < CELL_TEXT_MAX || ((unsigned char) text[cut] & 0xC0) == 0x80)) {
        count += ((unsigned char) text[cut] & 0xC0) != 0x80;
        cut++;
    }
    if (!text[cut])
        return worksheet_write_string (sheet, r, c, text, format);
    char *shorter = strndup (text, cut);
    lxw_error rc = shorter ? worksheet_write_string (sheet, r, c, shorter, format) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    free (shorter);
    return rc;
}

static lxw_error
write_string_cell (lxw_worksheet *sheet, lxw_row_t r, lxw_col_t c, const column_t *column, const char *text,
                   const formats_t *formats, json_t *row)
{
    lxw_datetime date;
    if (column->kind == CELL_DATE && parse_date (text, &date))
        return worksheet_write_datetime (sheet, r, c, &date, formats->date);
    return write_text (sheet, r, c, text, column->kind == CELL_QUADRANT ? quadrant_format (formats, row) : NULL);
}

static lxw_error
write_cell (lxw_worksheet *sheet, lxw_row_t r, lxw_col_t c, const column_t *column, json_t *row,
            const formats_t *formats)
{
    json_t *value = json_object_get (row, column->key);
    if (json_is_string (value))
        return write_string_cell (sheet, r, c, column, json_string_value (value), formats, row);
    if (json_is_number (value))
        return worksheet_write_number (sheet, r, c, json_number_value (value),
                                       column->kind == CELL_CHANGE ? formats->change : NULL);
    if (json_is_boolean (value))
        return worksheet_write_boolean (sheet, r, c, json_is_true (value), NULL);
    if (!value || json_is_null (value))
        return LXW_NO_ERROR;
    char *text = json_dumps (value, JSON_COMPACT);      /* not a register's cell today */
    lxw_error rc = text ? write_text (sheet, r, c, text, NULL) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    free (text);
    return rc;
}

/* ---- the sheet ---------------------------------------------------------- */

static const register_name_t *
register_name (const char *name)
{
    for (size_t i = 0; i < sizeof register_names / sizeof register_names[0]; i++)
        if (strcmp (register_names[i].name, name) == 0)
            return &register_names[i];
    return NULL;
}

/* A register the table does not name: its name, without the characters a
 * sheet name may not hold, cut to 31 characters. */
static char *
fallback_sheet_name (const char *name)
{
    char *sheet = strdup (*name ? name : "Registro");
    size_t count = 0;
    for (char *p = sheet; p && *p; p++) {
        if (strchr ("[]:*?/\\'", *p))
            *p = '_';
        if ((*p & 0xC0) != 0x80 && ++count > LXW_SHEETNAME_MAX) {
            *p = '\0';
            break;
        }
    }
    return sheet;
}

static bool
make_formats (lxw_workbook *book, formats_t *formats)
{
    formats->header = workbook_add_format (book);
    formats->date = workbook_add_format (book);
    formats->change = workbook_add_format (book);
    bool ok = formats->header && formats->date && formats->change;
    for (int q = 0; ok && q < 4; q++) {
        formats->quadrant[q] = workbook_add_format (book);
        if ((ok = formats->quadrant[q] != NULL)) {
            format_set_bg_color (formats->quadrant[q], quadrant_fills[q]);
            format_set_bold (formats->quadrant[q]);
            format_set_align (formats->quadrant[q], LXW_ALIGN_CENTER);
        }
    }
    if (ok) {
        format_set_bold (formats->header);
        format_set_text_wrap (formats->header);
        format_set_align (formats->header, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bg_color (formats->header, HEADER_FILL);
        format_set_bottom (formats->header, LXW_BORDER_THIN);
        format_set_num_format (formats->date, "yyyy-mm-dd");
        format_set_num_format (formats->change, "+0;-0;0");
    }
    return ok;
}

static lxw_error
write_header (motctl_xlsx_t *self, lxw_worksheet *sheet, const formats_t *formats)
{
    size_t lines = 1;
    lxw_error rc = LXW_NO_ERROR;
    for (size_t c = 0; rc == LXW_NO_ERROR && c < self->column_count; c++) {
        size_t needed = header_lines (&self->columns[c]);
        lines = needed > lines ? needed : lines;
        rc = worksheet_set_column (sheet, (lxw_col_t) c, (lxw_col_t) c, self->columns[c].width, NULL);
    }
    if (rc == LXW_NO_ERROR)
        rc = worksheet_set_row (sheet, 0, LINE_HEIGHT * (double) lines + 2, NULL);
    for (size_t c = 0; rc == LXW_NO_ERROR && c < self->column_count; c++)
        rc = worksheet_write_string (sheet, 0, (lxw_col_t) c, self->columns[c].header, formats->header);
    return rc;
}

static lxw_error
write_rows (motctl_xlsx_t *self, lxw_worksheet *sheet, const formats_t *formats)
{
    size_t index;
    json_t *row;
    json_array_foreach (self->rows, index, row) {
        for (size_t c = 0; c < self->column_count; c++) {
            lxw_error rc = write_cell (sheet, (lxw_row_t) index + 1, (lxw_col_t) c, &self->columns[c], row, formats);
            if (rc != LXW_NO_ERROR)
                return rc;
        }
    }
    return LXW_NO_ERROR;
}

/* Frozen header, an autofilter over header and rows, and a printout that
 * fits the page's width with the header on every page. */
static lxw_error
arrange (motctl_xlsx_t *self, lxw_worksheet *sheet, const char *title)
{
    lxw_col_t last_column = (lxw_col_t) (self->column_count > 0 ? self->column_count - 1 : 0);
    worksheet_freeze_panes (sheet, 1, 0);
    lxw_error rc = worksheet_autofilter (sheet, 0, 0, (lxw_row_t) motctl_xlsx_rows (self), last_column);
    worksheet_set_landscape (sheet);
    worksheet_fit_to_pages (sheet, 1, 0);
    if (rc == LXW_NO_ERROR)
        rc = worksheet_repeat_rows (sheet, 0, 0);
    /* '&' starts a code in a page header: a generated_at holding one is left out. */
    bool dated = self->generated_at && !strchr (self->generated_at, '&');
    char *header = zsys_sprintf ("&L&\"-,Bold\"%s&R%s%s", title, dated ? "Generado: " : "",
                                 dated ? self->generated_at : "");
    if (rc == LXW_NO_ERROR && header && strlen (header) <= LXW_HEADER_FOOTER_MAX)
        rc = worksheet_set_header (sheet, header);
    zstr_free (&header);
    if (rc == LXW_NO_ERROR)
        rc = worksheet_set_footer (sheet, "&CPágina &P de &N");
    return rc;
}

/* The whole sheet into an open workbook; the first error. */
static lxw_error
fill_workbook (motctl_xlsx_t *self, lxw_workbook *book)
{
    if (self->column_count > LXW_COL_MAX || motctl_xlsx_rows (self) >= LXW_ROW_MAX)
        return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
    const register_name_t *known = register_name (self->name);
    char *sheet_name = known ? strdup (known->sheet) : fallback_sheet_name (self->name);
    const char *title = known ? known->title : self->name;
    lxw_worksheet *sheet = sheet_name ? workbook_add_worksheet (book, sheet_name) : NULL;
    free (sheet_name);
    formats_t formats;
    if (!sheet || !make_formats (book, &formats))
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    char *subject = zsys_sprintf ("Registro generado el %s", self->generated_at ? self->generated_at : "");
    lxw_doc_properties properties = {.title = (char *) title, .subject = subject};
    lxw_error rc = subject ? workbook_set_properties (book, &properties) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    zstr_free (&subject);
    size_columns (self);
    if (rc == LXW_NO_ERROR)
        rc = write_header (self, sheet, &formats);
    if (rc == LXW_NO_ERROR)
        rc = write_rows (self, sheet, &formats);
    if (rc == LXW_NO_ERROR)
        rc = arrange (self, sheet, title);
    return rc;
}

/* ---- the file ----------------------------------------------------------- */

/* Creates an empty file beside `path` (same folder, so a rename replaces
 * path in one step) with the permissions a new file gets; its name, or NULL
 * with *error. */
static char *
reserve_beside (const char *path, char **error)
{
    char *temporary = zsys_sprintf ("%s.XXXXXX", path);
    int fd = temporary ? mkstemp (temporary) : -1;
    if (fd < 0) {
        *error = zsys_sprintf ("cannot write %s: %s", path, temporary ? strerror (errno) : "out of memory");
        zstr_free (&temporary);
        return NULL;
    }
    mode_t mask = umask (0);
    umask (mask);
    if (fchmod (fd, 0666 & ~mask) != 0 || close (fd) != 0) {
        *error = zsys_sprintf ("cannot write %s: %s", path, strerror (errno));
        unlink (temporary);
        zstr_free (&temporary);
    }
    return temporary;
}

bool
motctl_xlsx_save (motctl_xlsx_t *self, const char *path, char **error)
{
    char *temporary = reserve_beside (path, error);
    if (!temporary)
        return false;
    lxw_workbook_options options = {.constant_memory = LXW_TRUE};
    lxw_workbook *book = workbook_new_opt (temporary, &options);
    lxw_error rc = book ? fill_workbook (self, book) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error closed = book ? workbook_close (book) : LXW_NO_ERROR;     /* frees it, even after an error */
    if (rc == LXW_NO_ERROR)
        rc = closed;
    bool ok = rc == LXW_NO_ERROR;
    if (!ok)
        *error = zsys_sprintf ("cannot write %s: %s", path, lxw_strerror (rc));
    else
    if (rename (temporary, path) != 0) {
        *error = zsys_sprintf ("cannot write %s: %s", path, strerror (errno));
        ok = false;
    }
    if (!ok)
        unlink (temporary);
    zstr_free (&temporary);
    return ok;
}
