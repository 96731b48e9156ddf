/*  map_query — the items of one of the norm's two maps, read from Redis
 *  and drawn by map_svg.
 *
 *  Owns: which items a map shows and where. MAP_MUPOI draws the
 *  problemáticas, MAP_MURO the riesgos:
 *    without a period  the open items at their effective scores now;
 *    with a period     the items with a position frozen at that month's
 *                      close (mot:item:{id}:positions), at it;
 *    with compare      each item shown also has its position at the
 *                      compared month (none: new since then), and the
 *                      items that had one then but are closed now (or,
 *                      with a period, have none at it) are marked closed
 *                      at their earlier place.
 *  The filters (register_filter.h: unit, territory, ON, category,
 *  quadrant, stage) apply to the item as stored now, the quadrant to the
 *  one the map shows; a map shows open items, so closed and all are
 *  refused. period and compare must be months whose positions are frozen
 *  (mot:periods), compare before period (or before the current month).
 */
#ifndef MAP_QUERY_H_INCLUDED
#define MAP_QUERY_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_redis.h"
#include "register_filter.h"
#include <stddef.h>
#include <stdint.h>

/* The SVG document (caller frees) of *size bytes for `query` (MAP_MUPOI or
 * MAP_MURO) with its filter already read; `now` is the service clock; `link`
 * (NULL: none) makes each occupied cell a link to link "impacto=I&vertical=V"
 * (map_svg_set_link). NULL
 * with *error: INVALID_VALUE (a bad period or compare, closed or all),
 * UNAVAILABLE (Redis), INTERNAL. */
char *map_query_svg (mot_redis_t *redis, const Mot__V1__Query *query, const register_filter_t *filter, int64_t now,
                     const char *link, size_t *size, register_filter_error_t *error);

#endif
