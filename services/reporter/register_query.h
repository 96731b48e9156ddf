/*  register_query — the registers, read from Redis.
 *
 *  Owns: which keys each query reads and how a stored item or obligation
 *  becomes a row. ITEMS is every item (problemáticas and riesgos, in creation
 *  order), MUPOI the problemáticas, MURO the riesgos, OBLIGATIONS the
 *  obligation instances by deadline. Hashes are fetched with pipelined
 *  HGETALLs in batches; an id whose hash is gone is skipped.
 *
 *  Columns (JSON keys and CSV header, in order):
 *    MUPOI  id, territorio, nombre_territorio, tema, categoria, on, impacto,
 *           impacto_etiqueta, frecuencia, frecuencia_etiqueta, cuadrante,
 *           color, lectura, etapa, eventos, primera, ultima
 *    MURO   the same with probabilidad, probabilidad_etiqueta
 *    ITEMS  the same with tipo (problematica|riesgo) after id, and
 *           vertical, vertical_etiqueta
 *    OBLIGATIONS  id, unidad, informe, nombre_informe, periodo,
 *           fecha_limite, estado, entregado_el, dias_habiles_atraso
 *  impacto, the vertical score, eventos and dias_habiles_atraso are numbers.
 */
#ifndef REGISTER_QUERY_H_INCLUDED
#define REGISTER_QUERY_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_redis.h"
#include "register_table.h"

/* The table for `kind`, or NULL with *code set: UNKNOWN_TYPE (not a query
 * kind), UNAVAILABLE (Redis unreachable), INTERNAL (a Redis error or out of
 * memory). `territories` names the territory codes (may be NULL). */
register_table_t *register_query_run (mot_redis_t *redis, mot_catalog_t *territories,
                                      Mot__V1__QueryKind kind, Mot__V1__ErrorCode *code);

#endif
