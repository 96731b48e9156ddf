/*  map_svg — the norm's two maps as one standalone SVG (see map_svg.h).
 *  The labels, quadrants, numerals, colour names and readings come from
 *  mot_score; this file owns only the geometry, the tints and the texts of
 *  the drawing itself.
 */
#include "map_svg.h"

#include "mot_date.h"
#include "mot_score.h"
#include "mot_text.h"
#include "text_buffer.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE 10
#define CELLS (SIDE * SIDE)

/* Geometry (user units of the viewBox). */
#define VIEW_WIDTH 860
#define MARGIN 40
#define GRID_X 150
#define GRID_Y 130
#define CELL 64
#define GRID (SIDE * CELL)
#define LEGEND_Y (GRID_Y + GRID + 110)
#define LEGEND_ROW 28

typedef struct {
    size_t count;                             /* items now in the cell */
    char *ids[MAP_SVG_DOTS_PER_CELL];         /* the first ones' ids */
    size_t new_count;                         /* items with no earlier position */
    size_t closed_count;                      /* items closed since, here then */
    char *closed_ids[MAP_SVG_DOTS_PER_CELL];
} cell_t;

struct _map_svg_t {
    map_svg_kind_t kind;
    char period[8];                           /* "YYYY-MM" or "" (now) */
    char compare[8];                          /* "YYYY-MM" or "" (none) */
    char *link;
    size_t items;
    cell_t cells[CELLS];
    size_t *moves;                            /* [from cell * CELLS + to cell] */
};

/* The nouns of each kind, and how the adjectives agree with them. */
typedef struct {
    const char *title;
    const char *vertical_axis;
    const char *vertical_word;                /* in a tooltip */
    const char *one, *many;                   /* the item */
    const char *a_one;                        /* "Una problemática" */
    const char *new_one, *new_many, *new_heading;
    const char *closed_one, *closed_many, *closed_heading;
    bool riesgo;                              /* for mot_score_quadrant_meaning */
} words_t;

static const words_t WORDS[] = {
    [MAP_SVG_MUPOI] = {"Mapa de Problemáticas Operativas", "Frecuencia de ocurrencia", "frecuencia", "problemática",
                       "problemáticas", "Una problemática", "nueva", "nuevas", "Nuevas", "cerrada", "cerradas",
                       "Cerradas", false},
    [MAP_SVG_MURO] = {"Mapa de Riesgos Operativos", "Probabilidad de ocurrencia", "probabilidad", "riesgo", "riesgos",
                      "Un riesgo", "nuevo", "nuevos", "Nuevos", "cerrado", "cerrados", "Cerrados", true},
};

/* Tints per quadrant 1..4: empty cell, occupied cell, outline. */
static const char *const TINT[5][3] = {
    {"#eeeeee", "#bdbdbd", "#616161"},
    {"#f8d0d0", "#ef9a9a", "#c62828"},        /* I rojo */
    {"#fde0c0", "#ffb74d", "#e65100"},        /* II naranja */
    {"#d4edd4", "#a5d6a7", "#2e7d32"},        /* III verde */
    {"#fff5c0", "#ffe45c", "#f9a825"},        /* IV amarillo */
};

/* ------------------------------------------------------------------ */
/* The map's contents                                                  */

map_svg_t *
map_svg_new (map_svg_kind_t kind)
{
    if (kind != MAP_SVG_MUPOI && kind != MAP_SVG_MURO)
        return NULL;
    map_svg_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->kind = kind;
    self->moves = calloc ((size_t) CELLS * CELLS, sizeof *self->moves);
    if (!self->moves)
        map_svg_destroy (&self);
    return self;
}

static void
free_ids (char **ids)
{
    for (size_t i = 0; i < MAP_SVG_DOTS_PER_CELL; i++)
        free (ids[i]);
}

void
map_svg_destroy (map_svg_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    map_svg_t *self = *self_p;
    for (size_t c = 0; c < CELLS; c++) {
        free_ids (self->cells[c].ids);
        free_ids (self->cells[c].closed_ids);
    }
    free (self->moves);
    free (self->link);
    free (self);
    *self_p = NULL;
}

static bool
is_period (const char *text)
{
    int year, month;
    return !text || mot_period_parse (text, &year, &month);
}

bool
map_svg_set_periods (map_svg_t *self, const char *period, const char *compare)
{
    if (!self || !is_period (period) || !is_period (compare))
        return false;
    snprintf (self->period, sizeof self->period, "%s", period ? period : "");
    snprintf (self->compare, sizeof self->compare, "%s", compare ? compare : "");
    return true;
}

bool
map_svg_set_link (map_svg_t *self, const char *prefix)
{
    if (!self)
        return false;
    char *copy = prefix ? strdup (prefix) : NULL;
    if (prefix && !copy)
        return false;
    free (self->link);
    self->link = copy;
    return true;
}

static bool
is_score (int score)
{
    return mot_score_is_valid (score);
}

static size_t
cell_index (int impact, int vertical)
{
    return (size_t) (impact - 1) * SIDE + (size_t) (vertical - 1);
}

/* Keeps a copy of id in the first free slot while there is one; false only
 * when the copy fails. */
static bool
remember_id (char **ids, size_t count_before, const char *id)
{
    if (!id || count_before >= MAP_SVG_DOTS_PER_CELL)
        return true;
    ids[count_before] = strdup (id);
    return ids[count_before] != NULL;
}

bool
map_svg_add_item (map_svg_t *self, const char *id, int impact, int vertical, int was_impact, int was_vertical)
{
    bool was_none = was_impact == 0 && was_vertical == 0;
    if (!self || !is_score (impact) || !is_score (vertical)
        || (!was_none && (!is_score (was_impact) || !is_score (was_vertical))))
        return false;
    cell_t *cell = &self->cells[cell_index (impact, vertical)];
    if (!remember_id (cell->ids, cell->count, id))
        return false;
    cell->count++;
    self->items++;
    if (was_none)
        cell->new_count++;
    else
        self->moves[cell_index (was_impact, was_vertical) * CELLS + cell_index (impact, vertical)]++;
    return true;
}

bool
map_svg_add_closed (map_svg_t *self, const char *id, int was_impact, int was_vertical)
{
    if (!self || !is_score (was_impact) || !is_score (was_vertical))
        return false;
    cell_t *cell = &self->cells[cell_index (was_impact, was_vertical)];
    if (!remember_id (cell->closed_ids, cell->closed_count, id))
        return false;
    cell->closed_count++;
    return true;
}

size_t
map_svg_items (map_svg_t *self)
{
    return self ? self->items : 0;
}

/* ------------------------------------------------------------------ */
/* The output buffer                                                   */

/* What the document is written into. */
typedef text_buffer_t out_t;

static void
out_bytes (out_t *out, const char *bytes, size_t length)
{
    (void) text_buffer_add (out, bytes, length);  /* a failure sticks: checked once at the end */
}

#define out_printf(out, ...) ((void) text_buffer_addf (out, __VA_ARGS__))

/* The length of the UTF-8 sequence at s that XML 1.0 allows as a character
 * (tab, newline, carriage return, and from U+0020 on, without U+FFFE and
 * U+FFFF); 0 when it is not one. */
static size_t
xml_char_length (const unsigned char *s)
{
    if (*s < 0x80)
        return *s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r' ? 1 : 0;
    size_t length = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : 2;
    for (size_t k = 1; k < length; k++)
        if (!s[k])
            return 0;
    if (!mot_text_is_utf8 ((const char *) s, length))
        return 0;
    if (length == 3 && s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        return 0;
    return length;
}

/* text, escaped for an XML text node or a quoted attribute; a byte that
 * starts no allowed character becomes U+FFFD. */
static void
out_text (out_t *out, const char *text)
{
    const unsigned char *s = (const unsigned char *) (text ? text : "");
    while (*s) {
        size_t length = xml_char_length (s);
        switch (length ? *s : 0) {
        case 0: out_bytes (out, "\xEF\xBF\xBD", 3), length = 1; break;
        case '&': out_bytes (out, "&amp;", 5); break;
        case '<': out_bytes (out, "&lt;", 4); break;
        case '>': out_bytes (out, "&gt;", 4); break;
        case '"': out_bytes (out, "&quot;", 6); break;
        case '\'': out_bytes (out, "&apos;", 6); break;
        default: out_bytes (out, (const char *) s, length);
        }
        s += length;
    }
}

/* ------------------------------------------------------------------ */
/* Texts                                                               */

/* "100,000": thousands grouped as in Mexico. */
static void
format_count (size_t count, char out[32])
{
    char digits[24];
    int length = snprintf (digits, sizeof digits, "%zu", count);
    size_t o = 0;
    for (int i = 0; i < length; i++) {
        if (i > 0 && (length - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
}

/* "noviembre de 2026" from "2026-11" (a valid period). */
static void
out_period_name (out_t *out, const char *period)
{
    char name[40];
    mot_period_name (period, name, sizeof name);
    out_printf (out, "%s", name);
}

static const words_t *
words_of (map_svg_t *self)
{
    return &WORDS[self->kind];
}

/* "mupoi" or "muro": in class names and the arrowhead's id. */
static const char *
kind_name (map_svg_t *self)
{
    return self->kind == MAP_SVG_MURO ? "muro" : "mupoi";
}

/* The period shown: "noviembre de 2026", or "situación actual". */
static void
out_shown_period (map_svg_t *self, out_t *out)
{
    if (self->period[0])
        out_period_name (out, self->period);
    else
        out_printf (out, "situación actual");
}

static bool
has_comparison (map_svg_t *self)
{
    return self->compare[0] != 0;
}

/* "3 problemáticas", "1 riesgo". */
static void
out_count_of (out_t *out, size_t count, const char *one, const char *many)
{
    char text[32];
    format_count (count, text);
    out_printf (out, "%s %s", text, count == 1 ? one : many);
}

static size_t
moved_items (map_svg_t *self)
{
    size_t moved = 0;
    for (size_t from = 0; from < CELLS; from++)
        for (size_t to = 0; to < CELLS; to++)
            if (from != to)
                moved += self->moves[from * CELLS + to];
    return moved;
}

/* How many (from, to) cell pairs have moved items. */
static size_t
move_pairs (map_svg_t *self)
{
    size_t pairs = 0;
    for (size_t i = 0; i < (size_t) CELLS * CELLS; i++)
        if (self->moves[i] && i / CELLS != i % CELLS)
            pairs++;
    return pairs;
}

static size_t
new_items (map_svg_t *self)
{
    size_t count = 0;
    for (size_t c = 0; c < CELLS; c++)
        count += self->cells[c].new_count;
    return count;
}

static size_t
closed_items (map_svg_t *self)
{
    size_t count = 0;
    for (size_t c = 0; c < CELLS; c++)
        count += self->cells[c].closed_count;
    return count;
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

static int
cell_left (int impact)
{
    return GRID_X + (impact - 1) * CELL;
}

static int
cell_top (int vertical)
{
    return GRID_Y + (SIDE - vertical) * CELL;
}

static int
impact_of (size_t cell)
{
    return (int) (cell / SIDE) + 1;
}

static int
vertical_of (size_t cell)
{
    return (int) (cell % SIDE) + 1;
}

/* ------------------------------------------------------------------ */
/* The drawing, top to bottom, back to front                           */

static void
render_head (map_svg_t *self, out_t *out)
{
    int height = LEGEND_Y + LEGEND_ROW * (has_comparison (self) ? 7 : 4) + 10;
    out_printf (out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                " class=\"mot-map mot-map-%s\" data-kind=\"%s\" viewBox=\"0 0 %d %d\" width=\"100%%\""
                " preserveAspectRatio=\"xMidYMin meet\" role=\"img\">\n",
                kind_name (self), self->kind == MAP_SVG_MURO ? "MURO" : "MUPOI", VIEW_WIDTH, height);
    out_printf (out, "<title>%s · ", words_of (self)->title);
    out_shown_period (self, out);
    out_printf (out, "</title>\n");
}

static void
render_style (map_svg_t *self, out_t *out)
{
    const char *kind = kind_name (self);
    out_printf (
        out,
        "<style>\n"
        ".mot-map text{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;fill:#212121}\n"
        ".mot-map .title{font-size:24px;font-weight:bold}\n"
        ".mot-map .subtitle{font-size:16px}\n"
        ".mot-map .count{font-size:14px;fill:#424242}\n"
        ".mot-map .cell{stroke:#fff;stroke-width:1}\n"
        ".mot-map .tick{font-size:12px;fill:#424242}\n"
        ".mot-map .band{font-size:12px;font-style:italic;fill:#37474f}\n"
        ".mot-map .bracket{stroke:#90a4ae;stroke-width:1;fill:none}\n"
        ".mot-map .axis-label{font-size:15px;font-weight:bold}\n"
        ".mot-map .quadrant,.mot-map .moves,.mot-map .move-counts{pointer-events:none}\n"
        ".mot-map .quadrant-numeral{font-size:96px;font-weight:bold;opacity:.16;text-anchor:middle}\n"
        ".mot-map .quadrant-name{font-size:16px;font-weight:bold;opacity:.55;text-anchor:middle}\n"
        ".mot-map .item,.mot-map .legend-dot{fill:#263238;stroke:#fff;stroke-width:1.5}\n"
        ".mot-map .badge{fill:#263238}\n"
        ".mot-map .badge-text{fill:#fff;font-size:11px;font-weight:bold;text-anchor:middle}\n"
        ".mot-map .move,.mot-map .legend-move{stroke:#1a237e;fill:none}\n"
        ".mot-map .w1{stroke-width:1.4}.mot-map .w2{stroke-width:2}.mot-map .w3{stroke-width:2.6}"
        ".mot-map .w4{stroke-width:3.2}.mot-map .w5{stroke-width:3.8}.mot-map .w6{stroke-width:4.4}"
        ".mot-map .w7{stroke-width:5.2}.mot-map .w8{stroke-width:6}\n"
        ".mot-map .move-counts text{font-size:11px;font-weight:bold;fill:#1a237e;stroke:#fff;stroke-width:3px;"
        "paint-order:stroke;text-anchor:middle}\n"
        ".mot-map .new-badge{fill:#1565c0}\n"
        ".mot-map .closed-badge{fill:#fff;stroke:#424242;stroke-width:1;stroke-dasharray:3 2}\n"
        ".mot-map .mark-text{font-size:10px;font-weight:bold;text-anchor:middle}\n"
        ".mot-map .new-text{fill:#fff}\n"
        ".mot-map .legend text{font-size:13px}\n"
        ".mot-map .legend-title{font-weight:bold}\n"
        ".mot-map-%s .move,.mot-map-%s .legend-move{marker-end:url(#mot-map-%s-arrow)}\n"
        "</style>\n"
        "<defs><marker id=\"mot-map-%s-arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"5\""
        " markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#1a237e\"/></marker></defs>\n"
        "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
        kind, kind, kind, kind);
}

static void
render_titles (map_svg_t *self, out_t *out)
{
    const words_t *words = words_of (self);
    out_printf (out, "<text class=\"title\" x=\"%d\" y=\"40\">%s</text>\n", MARGIN, words->title);
    out_printf (out, "<text class=\"subtitle\" x=\"%d\" y=\"68\">Periodo: ", MARGIN);
    out_shown_period (self, out);
    if (has_comparison (self)) {
        out_printf (out, " · comparado con ");
        out_period_name (out, self->compare);
    }
    out_printf (out, "</text>\n<text class=\"count\" x=\"%d\" y=\"94\">", MARGIN);
    out_count_of (out, self->items, words->one, words->many);
    if (has_comparison (self)) {
        out_printf (out, " · desde ");
        out_period_name (out, self->compare);
        out_printf (out, ": ");
        out_count_of (out, moved_items (self), "con movimiento", "con movimiento");
        out_printf (out, ", ");
        out_count_of (out, new_items (self), words->new_one, words->new_many);
        out_printf (out, ", ");
        out_count_of (out, closed_items (self), words->closed_one, words->closed_many);
    }
    out_printf (out, "</text>\n");
}

static void
open_link (map_svg_t *self, out_t *out, size_t c)
{
    if (!self->link || self->cells[c].count == 0)
        return;
    out_printf (out, "<a class=\"cell-link\" href=\"");
    out_text (out, self->link);
    out_printf (out, "impacto=%d&amp;vertical=%d\" xlink:href=\"", impact_of (c), vertical_of (c));
    out_text (out, self->link);
    out_printf (out, "impacto=%d&amp;vertical=%d\">", impact_of (c), vertical_of (c));
}

static void
close_link (map_svg_t *self, out_t *out, size_t c)
{
    if (self->link && self->cells[c].count > 0)
        out_printf (out, "</a>");
}

static void
render_cells (map_svg_t *self, out_t *out)
{
    out_printf (out, "<g class=\"cells\">\n");
    for (size_t c = 0; c < CELLS; c++) {
        int impact = impact_of (c), vertical = vertical_of (c);
        int quadrant = mot_score_quadrant (impact, vertical);
        open_link (self, out, c);
        out_printf (out,
                    "<rect class=\"cell\" data-impact=\"%d\" data-vertical=\"%d\" data-count=\"%zu\""
                    " data-quadrant=\"%s\" data-colour=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                    " fill=\"%s\"/>",
                    impact, vertical, self->cells[c].count, mot_score_quadrant_roman (quadrant),
                    mot_score_quadrant_colour (quadrant), cell_left (impact), cell_top (vertical), CELL, CELL,
                    TINT[quadrant][self->cells[c].count > 0 ? 1 : 0]);
        close_link (self, out, c);
        out_printf (out, "\n");
    }
    out_printf (out, "</g>\n");
}

/* A quadrant is the half-by-half block of the grid that holds the corner
 * cell mot_score puts in it: its lowest impact and highest vertical. */
static void
quadrant_block (int quadrant, int *low_impact, int *high_vertical)
{
    static const int corners[4][2] = {{1, 1}, {1, SIDE}, {SIDE, 1}, {SIDE, SIDE}};
    for (int i = 0; i < 4; i++)
        if (mot_score_quadrant (corners[i][0], corners[i][1]) == quadrant) {
            *low_impact = corners[i][0] == 1 ? 1 : SIDE / 2 + 1;
            *high_vertical = corners[i][1] == SIDE ? SIDE : SIDE / 2;
        }
}

static void
render_quadrant (map_svg_t *self, out_t *out, int quadrant)
{
    int low_impact = 1, high_vertical = SIDE;
    quadrant_block (quadrant, &low_impact, &high_vertical);
    int x = cell_left (low_impact), y = cell_top (high_vertical), side = SIDE / 2 * CELL;
    out_printf (out, "<g class=\"quadrant\" data-quadrant=\"%s\" data-colour=\"%s\">",
                mot_score_quadrant_roman (quadrant), mot_score_quadrant_colour (quadrant));
    out_printf (out,
                "<rect class=\"quadrant-frame\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"none\""
                " stroke=\"%s\" stroke-width=\"3\"/>",
                x + 1.5, y + 1.5, side - 3, side - 3, TINT[quadrant][2]);
    out_printf (out, "<text class=\"quadrant-numeral\" x=\"%d\" y=\"%d\" style=\"fill:%s\">%s</text>", x + side / 2,
                y + side / 2 + 20, TINT[quadrant][2], mot_score_quadrant_roman (quadrant));
    out_printf (out, "<text class=\"quadrant-name\" x=\"%d\" y=\"%d\">%s</text></g>\n", x + side / 2,
                y + side / 2 + 50, mot_score_quadrant_meaning (quadrant, words_of (self)->riesgo));
}

static void
render_quadrants (map_svg_t *self, out_t *out)
{
    for (int quadrant = 1; quadrant <= 4; quadrant++)
        render_quadrant (self, out, quadrant);
}

/* The numbers 1..10 and the five bands of one axis; the bands of both
 * scales pair the scores 1-2, 3-4, 5-6, 7-8, 9-10. */
static void
render_x_axis (out_t *out)
{
    int base = GRID_Y + GRID;
    for (int score = 1; score <= SIDE; score++)
        out_printf (out, "<text class=\"tick\" data-axis=\"x\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                    cell_left (score) + CELL / 2, base + 18, score);
    for (int low = 1; low < SIDE; low += 2) {
        int left = cell_left (low) + 4, right = cell_left (low + 2) - 4;
        out_printf (out, "<path class=\"bracket\" d=\"M%d %dv5H%dv-5\"/>\n", left, base + 24, right);
        out_printf (out,
                    "<text class=\"band\" data-axis=\"x\" data-from=\"%d\" data-to=\"%d\" x=\"%d\" y=\"%d\""
                    " text-anchor=\"middle\">%s</text>\n",
                    low, low + 1, (left + right) / 2, base + 44, mot_score_impact_label (low));
    }
    out_printf (out, "<text class=\"axis-label\" data-axis=\"x\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                     "Magnitud de impacto</text>\n",
                GRID_X + GRID / 2, base + 74);
}

static void
render_y_axis (map_svg_t *self, out_t *out)
{
    for (int score = 1; score <= SIDE; score++)
        out_printf (out, "<text class=\"tick\" data-axis=\"y\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n",
                    GRID_X - 8, cell_top (score) + CELL / 2 + 4, score);
    for (int low = 1; low < SIDE; low += 2) {
        int bottom = cell_top (low) + CELL - 4, top = cell_top (low + 1) + 4;
        int x = GRID_X - 28, middle = (top + bottom) / 2;
        out_printf (out, "<path class=\"bracket\" d=\"M%d %dh-5V%dh5\"/>\n", x, top, bottom);
        out_printf (out,
                    "<text class=\"band\" data-axis=\"y\" data-from=\"%d\" data-to=\"%d\" x=\"%d\" y=\"%d\""
                    " text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">%s</text>\n",
                    low, low + 1, x - 10, middle, x - 10, middle, mot_score_vertical_label (low));
    }
    int middle = GRID_Y + GRID / 2;
    out_printf (out,
                "<text class=\"axis-label\" data-axis=\"y\" x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                " transform=\"rotate(-90 %d %d)\">%s</text>\n",
                GRID_X - 80, middle, GRID_X - 80, middle, words_of (self)->vertical_axis);
}

/* ---- the moves ---- */

typedef struct {
    uint16_t from, to;
    size_t count;
} move_t;

static int
compare_moves (const void *a, const void *b)
{
    const move_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* The (from, to) pairs of moved items, fewest first (the largest drawn on
 * top); NULL with *count 0 when there are none; NULL with *count 1 when the
 * allocation fails. */
static move_t *
collect_moves (map_svg_t *self, size_t *count)
{
    size_t pairs = move_pairs (self);
    *count = pairs;
    if (pairs == 0)
        return NULL;
    move_t *moves = malloc (pairs * sizeof *moves);
    if (!moves) {
        *count = 1;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < (size_t) CELLS * CELLS; i++)
        if (self->moves[i] && i / CELLS != i % CELLS)
            moves[n++] = (move_t) {(uint16_t) (i / CELLS), (uint16_t) (i % CELLS), self->moves[i]};
    qsort (moves, pairs, sizeof *moves, compare_moves);
    return moves;
}

/* Width class 1..8: 1, 2-3, 4-7, … 128 and more. */
static int
width_class (size_t count)
{
    int width = 1;
    while (count > 1 && width < 8) {
        count /= 2;
        width++;
    }
    return width;
}

static void
cell_centre (size_t c, double *x, double *y)
{
    *x = cell_left (impact_of (c)) + CELL / 2.0;
    *y = cell_top (vertical_of (c)) + CELL / 2.0;
}

/* The ends of a move's arrow: from just off the centre of the earlier cell
 * to short of the centre of the later one, moved 4 units to the right of
 * its direction so that two opposite moves stay apart. (nx, ny) is that
 * shift. */
typedef struct {
    double x1, y1, x2, y2, nx, ny;
} arrow_t;

static arrow_t
arrow_of (const move_t *move)
{
    double x1, y1, x2, y2;
    cell_centre (move->from, &x1, &y1);
    cell_centre (move->to, &x2, &y2);
    double length = hypot (x2 - x1, y2 - y1), ux = (x2 - x1) / length, uy = (y2 - y1) / length;
    double nx = -uy * 4, ny = ux * 4;
    return (arrow_t) {x1 + ux * 12 + nx, y1 + uy * 12 + ny, x2 - ux * 24 + nx, y2 - uy * 24 + ny, nx, ny};
}

static void
render_move (out_t *out, const move_t *move)
{
    arrow_t arrow = arrow_of (move);
    out_printf (out,
                "<line class=\"move w%d\" data-from-impact=\"%d\" data-from-vertical=\"%d\" data-to-impact=\"%d\""
                " data-to-vertical=\"%d\" data-count=\"%zu\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n",
                width_class (move->count), impact_of (move->from), vertical_of (move->from), impact_of (move->to),
                vertical_of (move->to), move->count, arrow.x1, arrow.y1, arrow.x2, arrow.y2);
}

/* The count beside the middle of the arrow, when above 1. */
static void
render_move_count (out_t *out, const move_t *move)
{
    if (move->count < 2)
        return;
    arrow_t arrow = arrow_of (move);
    char text[32];
    format_count (move->count, text);
    out_printf (out, "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", (arrow.x1 + arrow.x2) / 2 + arrow.nx * 2,
                (arrow.y1 + arrow.y2) / 2 + arrow.ny * 2 + 4, text);
}

/* The minor moves (all but the MAP_SVG_MAJOR_MOVES largest) fade as they
 * grow in number, so that the grid and the major moves stay readable. */
static double
minor_moves_opacity (size_t minor)
{
    double opacity = minor <= 20 ? 0.85 : 0.85 * sqrt (20.0 / (double) minor);
    return opacity < 0.15 ? 0.15 : opacity;
}

static void
render_moves (map_svg_t *self, out_t *out)
{
    size_t pairs;
    move_t *moves = collect_moves (self, &pairs);
    if (!moves) {
        if (pairs)
            out->failed = true;
        return;
    }
    size_t minor = pairs > MAP_SVG_MAJOR_MOVES ? pairs - MAP_SVG_MAJOR_MOVES : 0;
    if (minor) {
        out_printf (out, "<g class=\"moves minor-moves\" opacity=\"%.2f\">\n", minor_moves_opacity (minor));
        for (size_t i = 0; i < minor; i++)
            render_move (out, &moves[i]);
        out_printf (out, "</g>\n");
    }
    out_printf (out, "<g class=\"moves major-moves\" opacity=\"0.9\">\n");
    for (size_t i = minor; i < pairs; i++)
        render_move (out, &moves[i]);
    out_printf (out, "</g>\n<g class=\"move-counts\">\n");
    for (size_t i = minor; i < pairs; i++)
        render_move_count (out, &moves[i]);
    out_printf (out, "</g>\n");
    free (moves);
}

/* ---- the marks in each cell ---- */

/* Where the n dots of a cell go, from its centre: rows of up to three. */
static const int DOT_OFFSET[MAP_SVG_DOTS_PER_CELL + 1][MAP_SVG_DOTS_PER_CELL][2] = {
    [1] = {{0, 0}},
    [2] = {{-10, 0}, {10, 0}},
    [3] = {{-18, 0}, {0, 0}, {18, 0}},
    [4] = {{-10, -9}, {10, -9}, {-10, 9}, {10, 9}},
    [5] = {{-18, -9}, {0, -9}, {18, -9}, {-10, 9}, {10, 9}},
    [6] = {{-18, -9}, {0, -9}, {18, -9}, {-18, 9}, {0, 9}, {18, 9}},
};

static void
render_dots (out_t *out, const cell_t *cell, size_t c)
{
    double x, y;
    cell_centre (c, &x, &y);
    for (size_t i = 0; i < cell->count; i++) {
        out_printf (out, "<circle class=\"item\"");
        if (cell->ids[i]) {
            out_printf (out, " data-id=\"");
            out_text (out, cell->ids[i]);
            out_printf (out, "\"");
        }
        out_printf (out, " data-impact=\"%d\" data-vertical=\"%d\" cx=\"%.0f\" cy=\"%.0f\" r=\"6\">",
                    impact_of (c), vertical_of (c), x + DOT_OFFSET[cell->count][i][0],
                    y + DOT_OFFSET[cell->count][i][1]);
        if (cell->ids[i]) {
            out_printf (out, "<title>");
            out_text (out, cell->ids[i]);
            out_printf (out, "</title>");
        }
        out_printf (out, "</circle>");
    }
}

static void
render_aggregate (map_svg_t *self, out_t *out, const cell_t *cell, size_t c)
{
    double x, y;
    cell_centre (c, &x, &y);
    char text[32];
    format_count (cell->count, text);
    double width = fmax (26, 12 + 7 * (double) strlen (text));
    out_printf (out, "<g class=\"aggregate\" data-impact=\"%d\" data-vertical=\"%d\" data-count=\"%zu\">",
                impact_of (c), vertical_of (c), cell->count);
    out_printf (out, "<title>");
    out_count_of (out, cell->count, words_of (self)->one, words_of (self)->many);
    out_printf (out, " con impacto %d y %s %d</title>", impact_of (c), words_of (self)->vertical_word,
                vertical_of (c));
    out_printf (out,
                "<rect class=\"badge\" x=\"%.1f\" y=\"%.0f\" width=\"%.0f\" height=\"20\" rx=\"10\"/>"
                "<text class=\"badge-text\" x=\"%.0f\" y=\"%.0f\">%s</text></g>",
                x - width / 2, y - 10, width, x, y + 4, text);
}

/* A badge in a corner of the cell: "+N" top right (new), "×N" bottom left
 * (closed), with its ids in the tooltip when they were kept. */
static void
render_mark (map_svg_t *self, out_t *out, size_t c, bool closed, size_t count, char *const *ids)
{
    const words_t *words = words_of (self);
    char text[32];
    format_count (count, text);
    double width = 10 + 6.5 * (strlen (text) + 1);
    double x = closed ? cell_left (impact_of (c)) + 2 : cell_left (impact_of (c)) + CELL - 2 - width;
    double y = closed ? cell_top (vertical_of (c)) + CELL - 16 : cell_top (vertical_of (c)) + 2;
    out_printf (out, "<g class=\"%s\" data-impact=\"%d\" data-vertical=\"%d\" data-count=\"%zu\"><title>",
                closed ? "closed" : "new", impact_of (c), vertical_of (c), count);
    out_count_of (out, count, closed ? words->closed_one : words->new_one, closed ? words->closed_many : words->new_many);
    out_printf (out, " desde ");
    out_period_name (out, self->compare);
    const char *separator = ": ";
    for (size_t i = 0; ids && i < MAP_SVG_DOTS_PER_CELL && i < count; i++) {
        if (!ids[i])
            continue;
        out_printf (out, "%s", separator);
        out_text (out, ids[i]);
        separator = ", ";
    }
    if (ids && count > MAP_SVG_DOTS_PER_CELL)
        out_printf (out, "…");
    out_printf (out,
                "</title><rect class=\"%s-badge\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"14\" rx=\"3\"/>"
                "<text class=\"mark-text %s-text\" x=\"%.1f\" y=\"%.0f\">%s%s</text></g>",
                closed ? "closed" : "new", x, y, width, closed ? "closed" : "new", x + width / 2, y + 11,
                closed ? "×" : "+", text);
}

static void
render_cell_marks (map_svg_t *self, out_t *out, size_t c)
{
    const cell_t *cell = &self->cells[c];
    bool comparing = has_comparison (self);
    if (cell->count == 0 && !(comparing && cell->closed_count))
        return;
    open_link (self, out, c);
    out_printf (out, "<g class=\"marks\" data-impact=\"%d\" data-vertical=\"%d\">", impact_of (c), vertical_of (c));
    if (cell->count > MAP_SVG_DOTS_PER_CELL)
        render_aggregate (self, out, cell, c);
    else
        render_dots (out, cell, c);
    if (comparing && cell->new_count)
        render_mark (self, out, c, false, cell->new_count, NULL);
    if (comparing && cell->closed_count)
        render_mark (self, out, c, true, cell->closed_count, cell->closed_ids);
    out_printf (out, "</g>");
    close_link (self, out, c);
    out_printf (out, "\n");
}

static void
render_marks (map_svg_t *self, out_t *out)
{
    out_printf (out, "<g class=\"items\">\n");
    for (size_t c = 0; c < CELLS; c++)
        render_cell_marks (self, out, c);
    out_printf (out, "</g>\n");
}

/* ---- the legend ---- */

static void
render_legend_quadrants (map_svg_t *self, out_t *out)
{
    for (int i = 0; i < 4; i++) {
        int quadrant = i + 1;
        int x = MARGIN + (i % 2) * 400, y = LEGEND_Y + 30 + (i / 2) * LEGEND_ROW;
        out_printf (out,
                    "<rect class=\"legend-swatch\" data-quadrant=\"%s\" x=\"%d\" y=\"%d\" width=\"18\" height=\"18\""
                    " fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>",
                    mot_score_quadrant_roman (quadrant), x, y - 14, TINT[quadrant][1], TINT[quadrant][2]);
        out_printf (out, "<text x=\"%d\" y=\"%d\">Cuadrante %s (%s): %s</text>\n", x + 28, y,
                    mot_score_quadrant_roman (quadrant), mot_score_quadrant_colour (quadrant),
                    mot_score_quadrant_meaning (quadrant, words_of (self)->riesgo));
    }
}

/* One line of the legend per mark, at baseline y; the samples use classes
 * of their own, so that they are not counted as marks of the map. */
static void
legend_dot (map_svg_t *self, out_t *out, int y)
{
    out_printf (out, "<circle class=\"legend-dot\" cx=\"49\" cy=\"%d\" r=\"6\"/>", y - 5);
    out_printf (out, "<text x=\"68\" y=\"%d\">%s (su identificador al pasar el cursor)</text>\n", y,
                words_of (self)->a_one);
}

static void
legend_aggregate (map_svg_t *self, out_t *out, int y)
{
    out_printf (out,
                "<rect class=\"badge\" x=\"34\" y=\"%d\" width=\"30\" height=\"20\" rx=\"10\"/>"
                "<text class=\"badge-text\" x=\"49\" y=\"%d\">12</text>",
                y - 15, y - 1);
    out_printf (out, "<text x=\"68\" y=\"%d\">Más de %d %s en la celda: su número</text>\n", y,
                MAP_SVG_DOTS_PER_CELL, words_of (self)->many);
}

static void
legend_move (map_svg_t *self, out_t *out, int y)
{
    out_printf (out, "<line class=\"legend-move w3\" x1=\"30\" y1=\"%d\" x2=\"62\" y2=\"%d\"/>", y - 5, y - 5);
    out_printf (out, "<text x=\"68\" y=\"%d\">Movimiento desde ", y);
    out_period_name (out, self->compare);
    if (move_pairs (self) > MAP_SVG_MAJOR_MOVES)
        out_printf (out, " (el grosor crece con el número de %s; las %d mayores con su número, las demás tenues)",
                    words_of (self)->many, MAP_SVG_MAJOR_MOVES);
    else
        out_printf (out, " (el grosor crece con el número de %s; el número, si pasa de 1)", words_of (self)->many);
    out_printf (out, "</text>\n");
}

static void
legend_new (map_svg_t *self, out_t *out, int y)
{
    out_printf (out,
                "<rect class=\"new-badge\" x=\"36\" y=\"%d\" width=\"26\" height=\"14\" rx=\"3\"/>"
                "<text class=\"mark-text new-text\" x=\"49\" y=\"%d\">+2</text>",
                y - 13, y - 2);
    out_printf (out, "<text x=\"68\" y=\"%d\">%s desde ", y, words_of (self)->new_heading);
    out_period_name (out, self->compare);
    out_printf (out, " (sin posición entonces), en su celda actual</text>\n");
}

static void
legend_closed (map_svg_t *self, out_t *out, int y)
{
    out_printf (out,
                "<rect class=\"closed-badge\" x=\"36\" y=\"%d\" width=\"26\" height=\"14\" rx=\"3\"/>"
                "<text class=\"mark-text\" x=\"49\" y=\"%d\">×2</text>",
                y - 13, y - 2);
    out_printf (out, "<text x=\"68\" y=\"%d\">%s desde ", y, words_of (self)->closed_heading);
    out_period_name (out, self->compare);
    out_printf (out, ", en su celda de entonces</text>\n");
}

/* The movement's marks only with a comparison. */
static void
render_legend_marks (map_svg_t *self, out_t *out)
{
    int y = LEGEND_Y + 30 + 2 * LEGEND_ROW;
    legend_dot (self, out, y);
    legend_aggregate (self, out, y + LEGEND_ROW);
    if (!has_comparison (self))
        return;
    legend_move (self, out, y + 2 * LEGEND_ROW);
    legend_new (self, out, y + 3 * LEGEND_ROW);
    legend_closed (self, out, y + 4 * LEGEND_ROW);
}

static void
render_legend (map_svg_t *self, out_t *out)
{
    out_printf (out, "<g class=\"legend\">\n<text class=\"legend-title\" x=\"%d\" y=\"%d\">Simbología</text>\n",
                MARGIN, LEGEND_Y);
    render_legend_quadrants (self, out);
    render_legend_marks (self, out);
    out_printf (out, "</g>\n");
}

char *
map_svg_render (map_svg_t *self, size_t *size)
{
    if (!self)
        return NULL;
    out_t out = TEXT_BUFFER_INIT;
    render_head (self, &out);
    render_style (self, &out);
    render_titles (self, &out);
    render_cells (self, &out);
    render_quadrants (self, &out);
    render_x_axis (&out);
    render_y_axis (self, &out);
    if (has_comparison (self))
        render_moves (self, &out);
    render_marks (self, &out);
    render_legend (self, &out);
    out_printf (&out, "</svg>\n");
    return text_buffer_take (&out, size);
}
