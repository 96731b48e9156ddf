/*  monthly_report — the figures of the monthly report CAPSOI sends the
 *  TDOE (norm 7.2.4.14): how the registered problemáticas and riesgos
 *  behaved in a month whose positions are frozen (periods.h in the
 *  watcher), against the month before.
 *
 *  Owns: what the report counts, as one JSON object:
 *    {"periodo":"2026-11","anterior":"2026-10","anterior_congelado":true,
 *     "problematicas":{BLOCK},"riesgos":{BLOCK},"obligaciones":{…},
 *     "trabajo_abierto":{…}}
 *  BLOCK, from the items' positions at the month's close and the month
 *  before (mot:item:{id}:positions) and their valuations and closure:
 *    total              items with a position at the month's close
 *    por_cuadrante      {"I":n,"II":n,"III":n,"IV":n} at the close
 *    por_cuadrante_anterior  the same at the previous close (null when
 *                       that month was not frozen)
 *    nuevas             a position now, none the month before
 *    cerradas           closed during the month (local date of closed_at)
 *    resueltas, residuales  items whose last valuation dated in the month
 *                       says resolved / residual
 *    mejoran, empeoran  items whose quadrant changed from the previous
 *                       close to a less / more serious one (by colour:
 *                       I rojo > II naranja > IV amarillo > III verde)
 *    cambios            [{"id","de","a","sentido":"mejora"|"empeora"}]
 *    por_territorio, por_categoria, por_unidad  [{"clave":…,"total":n,
 *                       "I":n,"II":n,"III":n,"IV":n}], sorted by clave;
 *                       an item counts once for each unit that detected it
 *  obligaciones: the report obligations whose deadline falls in the month
 *    {"total":n,"a_tiempo":n,"tarde":n,"vencidas":n,"pendientes":n,
 *     "en_espera":n,"por_unidad":[{"unidad","total","a_tiempo","tarde",
 *     "vencidas","pendientes"}],"tarde_detalle":[{"id","unidad",
 *     "fecha_limite","entregado_el","dias_habiles_atraso"}],
 *     "vencidas_detalle":[{"id","unidad","fecha_limite"}]}
 *    (vencidas: still undelivered after the deadline day, at `now`)
 *  trabajo_abierto: actions, agreements and recommendations not complete
 *    (now), with their last verified % avance:
 *    {"acciones":n,"acuerdos":n,"recomendaciones":n,"detalle":[{"id",
 *     "tipo","items","responsable","vence","avance"}]} (by id)
 */
#ifndef MONTHLY_REPORT_H_INCLUDED
#define MONTHLY_REPORT_H_INCLUDED

#include "map_svg.h"
#include "mot_redis.h"
#include "register_filter.h"
#include <jansson.h>
#include <stdint.h>

/* The report's figures for `month` (YYYY-MM) at `now` (the service clock),
 * a new JSON object, or NULL with *error: INVALID_VALUE naming "period"
 * (not a month, or its positions are not frozen), UNAVAILABLE, INTERNAL. */
json_t *monthly_report_data (mot_redis_t *redis, const char *month, int64_t now, register_filter_error_t *error);

/* The same figures, and in the same single read of the items both maps of
 * the month: `mupoi` gets the problemáticas, `muro` the riesgos (either may
 * be NULL), each with its periods set and every item placed as map_query
 * places it for MAP_MUPOI / MAP_MURO with period `month` and, when the month
 * before was frozen, compare that month (no filter). The maps are the
 * caller's to render and destroy. */
json_t *monthly_report_data_maps (mot_redis_t *redis, const char *month, int64_t now, map_svg_t *mupoi,
                                  map_svg_t *muro, register_filter_error_t *error);

#endif
