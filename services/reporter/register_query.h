/*  register_query — the registers, read from Redis.
 *
 *  Owns: which keys each query reads and how a stored item or obligation
 *  becomes a row. ITEMS is every item (problemáticas and riesgos, in creation
 *  order), MUPOI the problemáticas, MURO the riesgos, OBLIGATIONS the
 *  obligation instances by deadline, UNCLASSIFIED the items whose category
 *  or ON is still "sin clasificar" (for an analyst), and AUDIT one item's
 *  audit trail. Items are fetched with pipelined HGETALLs (an item hash is
 *  a small listpack: Redis walks it once, where an HMGET of the ~30 fields
 *  a row needs scans it once per field) and the fields a row needs are
 *  found by name through a hash table; obligations with HMGETs of their
 *  fields. Both in batches, one batch ahead (Redis answers the next while
 *  the rows of one are built), their replies lent (mot_redis_read_lent: no
 *  allocation per reply); an id whose hash is gone is skipped. The item
 *  registers show the items their filter admits (register_filter.h): by
 *  default the open ones; closed items stay stored, with their trail and
 *  valuations, and are shown with closed or all.
 *
 *  Columns (JSON keys and CSV header, in order):
 *    MUPOI  id, territorio, nombre_territorio, tema, categoria, on, impacto,
 *           impacto_etiqueta, frecuencia, frecuencia_etiqueta, cuadrante,
 *           color, lectura, etapa, eventos, primera, ultima,
 *           impacto_propuesto, frecuencia_propuesta, corregido_por
 *    MURO   the same with probabilidad, probabilidad_etiqueta,
 *           probabilidad_propuesta
 *    ITEMS, UNCLASSIFIED  the same with tipo (problematica|riesgo) after
 *           id, and vertical, vertical_etiqueta, vertical_propuesto
 *           then the lifecycle (MOT-SPEC §8, §9), in every item register:
 *           unidades, acciones, acciones_completas, avance_promedio,
 *           resultado, ultima_valoracion, valoraciones,
 *           mitigacion_cuadrante, mitigacion_impacto, mitigacion_frecuencia
 *           (MURO mitigacion_probabilidad, ITEMS and UNCLASSIFIED
 *           mitigacion_vertical), acuerdos_abiertos, recomendaciones_abiertas,
 *           cerrado_el, cerrado_por
 *  categoria, on, impacto and the vertical score are the effective values
 *  (an analyst's override, else the last valuation, else the rules'
 *  proposal); *_propuest* are the rules' proposal and corregido_por the
 *  analyst of the latest override.
 *  The lifecycle columns:
 *    unidades      every unit that detected the item, comma-separated, in
 *                  the order they did (items stored before this was kept:
 *                  the unit that found it)
 *    acciones, acciones_completas  corrective actions recorded, and those
 *                  complete (a verified 100 % report)
 *    avance_promedio  the mean of the actions' last verified % avance,
 *                  rounded down (100 only when all are at 100); empty
 *                  without actions
 *    resultado     residual | resuelta: the last valuation's outcome; empty
 *                  before any valuation and once the item is reopened
 *    ultima_valoracion  the date of the last valuation (YYYY-MM-DD)
 *    valoraciones  how many valuations its history holds
 *    mitigacion_*  grado de mitigación: the change from the effective
 *                  values just before the first valuation to the effective
 *                  values now; the quadrant as "I→III", the scores as
 *                  signed numbers (-5: five points lower); empty before a
 *                  valuation
 *    acuerdos_abiertos, recomendaciones_abiertas  not yet complete
 *    cerrado_el, cerrado_por  the local date of the closure and the analyst
 *                  account that closed it; empty while the item is open
 *    OBLIGATIONS  id, unidad, informe, nombre_informe, periodo,
 *           fecha_limite, estado, entregado_el, dias_habiles_atraso, faltan
 *  (estado waiting: an after: report whose inputs are not all delivered;
 *  faltan names them, "UNIT/code,…")
 *  impacto, the vertical score, eventos, the counts, avance_promedio, the
 *  score changes and dias_habiles_atraso are numbers.
 */
#ifndef REGISTER_QUERY_H_INCLUDED
#define REGISTER_QUERY_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_redis.h"
#include "register_filter.h"
#include "register_table.h"
#include <stdint.h>

/* The table for `kind`, or NULL with *code set: UNKNOWN_TYPE (not a query
 * kind), UNAVAILABLE (Redis unreachable), INTERNAL (a Redis error or out of
 * memory). `territories` names the territory codes (may be NULL); `filter`
 * (read with register_filter_read; NULL: open items, nothing else
 * filtered) selects the items; `now` (the service clock) tells which
 * pending obligations are overdue. */
register_table_t *register_query_run (mot_redis_t *redis, mot_catalog_t *territories, Mot__V1__QueryKind kind,
                                      const register_filter_t *filter, int64_t now, Mot__V1__ErrorCode *code);
/* The same register as a streaming table (register_table_stream_csv): its
 * rows are written as CSV while they are read, so memory holds the CSV, not
 * the rows; take it with register_table_csv. */
register_table_t *register_query_run_csv (mot_redis_t *redis, mot_catalog_t *territories, Mot__V1__QueryKind kind,
                                          const register_filter_t *filter, int64_t now, Mot__V1__ErrorCode *code);

/* The ITEMS register's row of one item (open or closed): a table with the
 * ITEMS columns and one row, or none when there is no such item; NULL with
 * *code (UNAVAILABLE, INTERNAL). Reads that item alone. */
register_table_t *register_query_item (mot_redis_t *redis, mot_catalog_t *territories, const char *item_id,
                                       int64_t now, Mot__V1__ErrorCode *code);

/* AUDIT: the item's audit trail, one JSON object per line, oldest first, as
 * a new buffer (caller frees) of *size bytes; NULL with *code set:
 * MISSING_FIELD (no item id), INVALID_VALUE (no such item), UNAVAILABLE,
 * INTERNAL. */
char *register_query_audit (mot_redis_t *redis, const char *item_id, size_t *size, Mot__V1__ErrorCode *code);

#endif
