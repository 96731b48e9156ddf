/*  map_svg — the norm's two maps (MOT-SPEC §6; 7.2.4.10, 7.2.4.11) drawn as
 *  one standalone SVG document.
 *
 *  Owns: how a map looks. A map is the Mapa de Problemáticas Operativas
 *  (MUPOI: impact × frequency) or the Mapa de Riesgos Operativos (MURO:
 *  impact × probability): the 10 × 10 grid, x = impact 1..10 left to right,
 *  y = frequency/probability 1..10 bottom to top, the four quadrants in the
 *  norm's colours with their reading (mot_score), the axes with their
 *  numbers and five bands, the items at their scores, and, with a compared
 *  period, the movement since then. Pure: no Redis, no clock; the caller
 *  adds the items (the reporter's map query).
 *
 *  What the document holds (the classes and data-* attributes are its
 *  contract with the tests, tests/tools/svg_map_check.py, and the
 *  dashboard):
 *    <svg class="mot-map" data-kind="MUPOI|MURO" viewBox=…> width 100 %,
 *      no fixed size, no script, no external asset, every text escaped;
 *    <text class="title">, <text class="subtitle"> (the period, and
 *      "comparado con <mes> de <año>"), <text class="count"> (the items);
 *    100 × <rect class="cell" data-impact data-vertical data-count
 *      data-quadrant="I".."IV" data-colour="rojo"…> filled by the quadrant's
 *      tint (darker when the cell holds items);
 *    4 × <g class="quadrant" data-quadrant data-colour> (outline, numeral
 *      and reading), axis labels <text class="axis-label" data-axis="x|y">,
 *      numbers <text class="tick" data-axis …>, bands <text class="band"
 *      data-axis data-from data-to>;
 *    per occupied cell either up to MAP_SVG_DOTS_PER_CELL
 *      <circle class="item" data-id data-impact data-vertical><title>id
 *      </title></circle>, or one <g class="aggregate" data-impact
 *      data-vertical data-count>; with a link prefix, an occupied cell's
 *      rect and marks are inside <a href="PREFIXimpacto=I&amp;vertical=V">;
 *    with a compared period: <line class="move wN" data-from-impact
 *      data-from-vertical data-to-impact data-to-vertical data-count> per
 *      (from cell, to cell) pair of moved items (an arrowhead, width class
 *      w1..w8 growing with the count), in <g class="moves major-moves">
 *      for the MAP_SVG_MAJOR_MOVES largest, their counts above 1 written
 *      beside them, and <g class="moves minor-moves"> for the others,
 *      fainter as they are more; <g class="new" data-impact data-vertical
 *      data-count> and <g class="closed" …> marks;
 *    <g class="legend">: the quadrants and the marks.
 *  Memory and time do not grow with the number of items: per cell a count,
 *  the first MAP_SVG_DOTS_PER_CELL ids, new and closed counts; a 100 × 100
 *  matrix of moves. Adding an item is O(1), rendering O(cells + pairs).
 */
#ifndef MAP_SVG_H_INCLUDED
#define MAP_SVG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

/* A cell with more items than this is drawn as one counted marker. */
#define MAP_SVG_DOTS_PER_CELL 6
/* The moves with the most items, at most this many, are drawn on top with
 * their counts; the others fainter, without. */
#define MAP_SVG_MAJOR_MOVES 40

typedef enum { MAP_SVG_MUPOI, MAP_SVG_MURO } map_svg_kind_t;
typedef struct _map_svg_t map_svg_t;

/* NULL on allocation failure (or an unknown kind). */
map_svg_t *map_svg_new (map_svg_kind_t kind);
void map_svg_destroy (map_svg_t **self_p);

/* What the title says: the period shown ("2026-11"; NULL: "situación
 * actual", the current positions) and the compared period ("2026-10"; NULL:
 * no comparison, so no arrows, new or closed marks). false, nothing changed,
 * when a period is not YYYY-MM. */
bool map_svg_set_periods (map_svg_t *self, const char *period, const char *compare);
/* Each occupied cell becomes a link (<a class="cell-link">) to PREFIX "impacto=I&vertical=V"
 * (e.g. "/mupoi?periodo=2026-11&"); NULL (the default): no links. */
bool map_svg_set_link (map_svg_t *self, const char *prefix);

/* One item at (impact, vertical), both 1..10. was_* is its position in the
 * compared period, 0/0 when it had none there (new since then); without a
 * comparison they are not drawn. false, nothing added, when a score is out
 * of range (or only one of was_* is 0). id (may be NULL) is the tooltip of
 * its dot. */
bool map_svg_add_item (map_svg_t *self, const char *id, int impact, int vertical, int was_impact,
                       int was_vertical);
/* An item that had a position in the compared period and is closed (or
 * absent) now, marked at that earlier position. false when out of range. */
bool map_svg_add_closed (map_svg_t *self, const char *id, int was_impact, int was_vertical);

/* Items added (closed ones excluded). */
size_t map_svg_items (map_svg_t *self);

/* The standalone SVG document (UTF-8, starting with <?xml …?>) as a new
 * NUL-terminated buffer (caller frees), its length in *size (size may be
 * NULL); NULL on allocation failure. */
char *map_svg_render (map_svg_t *self, size_t *size);

#endif
