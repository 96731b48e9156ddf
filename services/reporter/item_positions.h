/*  item_positions — an item's evolution period by period (a POSITIONS
 *  query).
 *
 *  Owns: reading an item's frozen positions (mot:item:{id}:positions, written
 *  by the deadline-watcher as each month closes: periods.h), the months'
 *  freezing times (mot:periods) and its valuations, and saying them as JSON
 *  lines, oldest month first, then the position now:
 *    {"periodo":"2026-11","impacto":7,"vertical":8,"cuadrante":"I",
 *     "color":"rojo","etapa":"seguimiento","congelado_el":"2026-12-01",
 *     "valoraciones_tardias":[{"valorada_el":"2026-11-28","impacto":3,
 *     "vertical":2,"cuadrante":"III","resultado":"residual",
 *     "registrada_el":"2026-12-03","event_id":"ev-9"}]}
 *    {"periodo":"actual","impacto":3,"vertical":2,"cuadrante":"III",
 *     "color":"verde","etapa":"monitoreo"}
 *  A late valuation is one dated inside a month whose positions were
 *  already frozen when it was recorded: the month's position stays as it
 *  was frozen, and the valuation is listed with that month (a month where
 *  the item has no position gets a line with only its late valuations).
 *  valoraciones_tardias is present only when there are some.
 */
#ifndef ITEM_POSITIONS_H_INCLUDED
#define ITEM_POSITIONS_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_redis.h"
#include <stddef.h>

/* The JSON lines (caller frees) of *size bytes, or NULL with *code:
 * MISSING_FIELD (no item id), INVALID_VALUE (no such item), UNAVAILABLE,
 * INTERNAL. */
char *item_positions_json (mot_redis_t *redis, const char *item_id, size_t *size, Mot__V1__ErrorCode *code);

#endif
