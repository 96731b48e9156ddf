/*  test_reporter_registers — the reporter's item registers (services/
 *  reporter/register_query.c, register_filter.c) against a throwaway
 *  redis-server: item hashes written by hand as the classifier's lifecycle
 *  leaves them (MOT_ITEM_FIELDS), then the MUPOI, MURO, ITEMS and
 *  UNCLASSIFIED read back with and without filters. Expected cells are
 *  worked out by hand from MOT-SPEC §4, §8, §9 and register_query.h:
 *  the columns of before in their order and the lifecycle's after them,
 *  the average % avance rounded down, the grado de mitigación from the
 *  baseline to now, the closure's local date, closed items out of the
 *  registers unless asked for, and bad filters refused naming the field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mot_catalog.h"
#include "mot_schema.h"
#include "redis_fixture.h"
#include "register_filter.h"
#include "register_query.h"

#define NOW 1795340000
/* 2026-11-04T03:00:00Z: 21:00 on 2026-11-03 in Mexico City (UTC-06:00). */
#define CLOSED_LATE_ON_THE_3RD 1793761200
/* 2026-11-04T06:30:00Z: 00:30 on 2026-11-04 local. */
#define CLOSED_EARLY_ON_THE_4TH 1793773800

typedef struct {
    redis_fixture_t *fixture;
    mot_catalog_t *territories;
} world_t;

static redis_fixture_t *
fixture_of (void **state)
{
    return ((world_t *) *state)->fixture;
}

/* ---- items, written as the classifier leaves them ------------------------ */

/* Stores item it-<number> of `kind` with the base fields every item has,
 * then the extra field/value pairs (NULL-terminated), and indexes it by
 * kind (and as unclassified when `unclassified`). */
static void
store_item (redis_fixture_t *fixture, int number, const char *kind, const char *source, const char *territory,
            const char *stage, int impact, int vertical, int quadrant, bool unclassified, ...)
{
    const char *id = redis_fixture_text (fixture, "it-%d", number);
    const char *key = redis_fixture_keep (fixture, mot_key_item (id));
    redis_fixture_run (fixture,
                       "HSET %s %s %s %s %s %s %s %s %s %s Tema-%d %s %s %s 1 %s 2026-10-20 %s 2026-10-20 "
                       "%s %d %s %d %s %d %s %s %s %s %s %d %s %d",
                       key, MOT_ITEM_ID, id, MOT_ITEM_KIND, kind, MOT_ITEM_SOURCE, source, MOT_ITEM_TERRITORY,
                       territory, MOT_ITEM_TOPIC, number, MOT_ITEM_STAGE, stage, MOT_ITEM_EVENTS,
                       MOT_ITEM_FIRST_SEEN, MOT_ITEM_LAST_SEEN, MOT_ITEM_IMPACT, impact, MOT_ITEM_VERTICAL, vertical,
                       MOT_ITEM_QUADRANT, quadrant, MOT_ITEM_CATEGORY, unclassified ? MOT_UNCLASSIFIED : "Administrativo",
                       MOT_ITEM_ON, unclassified ? MOT_UNCLASSIFIED : "DPM", MOT_ITEM_PROPOSED_IMPACT, impact,
                       MOT_ITEM_PROPOSED_VERTICAL, vertical);
    va_list pairs;
    va_start (pairs, unclassified);
    for (const char *field = va_arg (pairs, const char *); field; field = va_arg (pairs, const char *)) {
        const char *value = va_arg (pairs, const char *);
        redis_fixture_run (fixture, "HSET %s %s %s", key, field, value);
    }
    va_end (pairs);
    const char *index = redis_fixture_keep (fixture, mot_key_items (kind));
    redis_fixture_run (fixture, "ZADD %s %d %s", index, number, id);
    if (unclassified)
        redis_fixture_run (fixture, "ZADD %s %d %s", MOT_KEY_ITEMS_UNCLASSIFIED, number, id);
}

/* ---- queries -------------------------------------------------------------- */

/* The rows of the register as the reporter renders its JSON, parsed
 * (caller decrefs); fails the test when the query fails. */
static json_t *
rows_of (void **state, Mot__V1__Query *query)
{
    world_t *world = *state;
    register_filter_t filter;
    register_filter_error_t error = {0};
    assert_true (register_filter_read (&filter, query, world->territories, &error));
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    register_table_t *table = register_query_run (redis_fixture_redis (world->fixture), world->territories,
                                                  query->kind, &filter, NOW, &code);
    assert_non_null (table);
    size_t size = 0;
    char *text = register_table_json (table, "2026-11-22T09:00:00-06:00", &size);
    register_table_destroy (&table);
    assert_non_null (text);
    json_error_t parse;
    json_t *root = json_loadb (text, size, 0, &parse);
    free (text);
    assert_non_null (root);
    json_t *rows = json_object_get (root, "items");
    assert_true (json_is_array (rows));
    json_incref (rows);
    json_decref (root);
    return rows;
}

/* The register's CSV as the reporter answers it, written while the rows
 * are read (register_query_run_csv; caller frees); fails the test unless it
 * is byte for byte the CSV of the whole table (register_query_run). */
static char *
csv_of (void **state, Mot__V1__QueryKind kind)
{
    world_t *world = *state;
    mot_redis_t *redis = redis_fixture_redis (world->fixture);
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    register_table_t *table = register_query_run (redis, world->territories, kind, NULL, NOW, &code);
    register_table_t *streamed = register_query_run_csv (redis, world->territories, kind, NULL, NOW, &code);
    assert_non_null (table);
    assert_non_null (streamed);
    size_t size = 0, streamed_size = 0;
    char *text = register_table_csv (table, &size);
    char *streamed_text = register_table_csv (streamed, &streamed_size);
    assert_int_equal (register_table_rows (streamed), register_table_rows (table));
    register_table_destroy (&table);
    register_table_destroy (&streamed);
    assert_non_null (text);
    assert_non_null (streamed_text);
    assert_int_equal (streamed_size, size);
    assert_memory_equal (streamed_text, text, size);
    free (text);
    return streamed_text;
}

static Mot__V1__Query
query_of (Mot__V1__QueryKind kind)
{
    Mot__V1__Query query = MOT__V1__QUERY__INIT;
    query.has_kind = true;
    query.kind = kind;
    return query;
}

/* The ids of the rows, space-separated, in order. */
static char *
ids_of (json_t *rows)
{
    size_t index;
    json_t *row;
    size_t length = 1;
    json_array_foreach (rows, index, row)
        length += strlen (json_string_value (json_object_get (row, "id"))) + 1;
    char *ids = calloc (1, length);
    assert_non_null (ids);
    json_array_foreach (rows, index, row) {
        if (index > 0)
            strcat (ids, " ");
        strcat (ids, json_string_value (json_object_get (row, "id")));
    }
    return ids;
}

/* Fails unless the query's rows are exactly these ids, in order. */
static void
assert_ids (void **state, Mot__V1__Query query, const char *expected)
{
    json_t *rows = rows_of (state, &query);
    char *ids = ids_of (rows);
    json_decref (rows);
    if (strcmp (ids, expected) != 0)
        fprintf (stderr, "rows: \"%s\", expected \"%s\"\n", ids, expected);
    bool same = strcmp (ids, expected) == 0;
    free (ids);
    assert_true (same);
}

/* The row of `id`. */
static json_t *
row_of (json_t *rows, const char *id)
{
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
        if (strcmp (json_string_value (json_object_get (row, "id")), id) == 0)
            return row;
    fail_msg ("no row %s", id);
    return NULL;
}

static void
assert_text (json_t *row, const char *column, const char *expected)
{
    json_t *cell = json_object_get (row, column);
    if (!json_is_string (cell))
        fail_msg ("%s: not text", column);
    assert_string_equal (json_string_value (cell), expected);
}

static void
assert_number (json_t *row, const char *column, long long expected)
{
    json_t *cell = json_object_get (row, column);
    if (!json_is_integer (cell))
        fail_msg ("%s: not a number", column);
    assert_int_equal (json_integer_value (cell), expected);
}

static void
assert_empty (json_t *row, const char *column)
{
    json_t *cell = json_object_get (row, column);
    if (!json_is_null (cell))
        fail_msg ("%s: not empty (the column must exist and be null)", column);
}

/* ---- columns ---------------------------------------------------------------- */

/* The header of each register: the columns of before, in their order, then
 * the lifecycle's, named after the register's vertical score. */
static void
test_registers_keep_their_columns_and_add_the_lifecycle_after_them (void **state)
{
    const char *lifecycle = "unidades,acciones,acciones_completas,avance_promedio,resultado,ultima_valoracion,"
                            "valoraciones,mitigacion_cuadrante,mitigacion_impacto,";
    const char *tail = "acuerdos_abiertos,recomendaciones_abiertas,cerrado_el,cerrado_por\r\n";
    struct {
        Mot__V1__QueryKind kind;
        const char *before;
        const char *mitigation;
    } registers[] = {
        {MOT__V1__QUERY_KIND__MUPOI,
         "id,territorio,nombre_territorio,tema,categoria,on,impacto,impacto_etiqueta,frecuencia,"
         "frecuencia_etiqueta,cuadrante,color,lectura,etapa,eventos,primera,ultima,impacto_propuesto,"
         "frecuencia_propuesta,corregido_por,",
         "mitigacion_frecuencia,"},
        {MOT__V1__QUERY_KIND__MURO,
         "id,territorio,nombre_territorio,tema,categoria,on,impacto,impacto_etiqueta,probabilidad,"
         "probabilidad_etiqueta,cuadrante,color,lectura,etapa,eventos,primera,ultima,impacto_propuesto,"
         "probabilidad_propuesta,corregido_por,",
         "mitigacion_probabilidad,"},
        {MOT__V1__QUERY_KIND__ITEMS,
         "id,tipo,territorio,nombre_territorio,tema,categoria,on,impacto,impacto_etiqueta,vertical,"
         "vertical_etiqueta,cuadrante,color,lectura,etapa,eventos,primera,ultima,impacto_propuesto,"
         "vertical_propuesto,corregido_por,",
         "mitigacion_vertical,"},
        {MOT__V1__QUERY_KIND__UNCLASSIFIED,
         "id,tipo,territorio,nombre_territorio,tema,categoria,on,impacto,impacto_etiqueta,vertical,"
         "vertical_etiqueta,cuadrante,color,lectura,etapa,eventos,primera,ultima,impacto_propuesto,"
         "vertical_propuesto,corregido_por,",
         "mitigacion_vertical,"},
    };
    for (size_t i = 0; i < sizeof registers / sizeof registers[0]; i++) {
        char *csv = csv_of (state, registers[i].kind);
        char expected[2048];
        snprintf (expected, sizeof expected, "%s%s%s%s", registers[i].before, lifecycle, registers[i].mitigation,
                  tail);
        if (strcmp (csv, expected) != 0)
            fprintf (stderr, "header:   %sexpected: %s", csv, expected);
        bool same = strcmp (csv, expected) == 0;
        free (csv);
        assert_true (same);
    }
}

/* it-1, a problemática in mejora continua: found by UEOD then UAD; three
 * actions (verified 100, 60 and 0 %: 160 / 3 = 53.3 → 53), one complete;
 * valued residual on 2026-11-03 from 8 / 7 (quadrant I) to 3 / 2 (III);
 * two agreements and a recommendation open. */
static void
store_valued_problematica (redis_fixture_t *fixture)
{
    store_item (fixture, 1, MOT_KIND_PROBLEMATICA, "UEOD", "OOAD-15", MOT_STAGE_MEJORA_CONTINUA, 3, 2, 3, false,
                MOT_ITEM_UNITS, "UEOD,UAD", MOT_ITEM_ACTIONS, "3", MOT_ITEM_ACTIONS_DONE, "1",
                MOT_ITEM_PROGRESS_SUM, "160", MOT_ITEM_OPEN_WORK, "5", MOT_ITEM_OPEN_AGREEMENTS, "2",
                MOT_ITEM_OPEN_RECOMMENDATIONS, "1", MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESIDUAL,
                MOT_ITEM_VALUED_ON, "2026-11-03", MOT_ITEM_VALUATIONS, "1", MOT_ITEM_BASELINE_IMPACT, "8",
                MOT_ITEM_BASELINE_VERTICAL, "7", MOT_ITEM_BASELINE_QUADRANT, "1", NULL);
}

/* The CSV's rows, quoted as RFC 4180 wants (a comma or a quote in a
 * cell), for the valued problemática (its topic given a comma and quotes)
 * and an untouched one; the closed one is not listed. */
static void
test_the_csv_rows_as_written (void **state)
{
    redis_fixture_t *fixture = fixture_of (state);
    store_valued_problematica (fixture);
    redis_fixture_run (fixture, "HSET %s %s %s", (const char *) redis_fixture_keep (fixture, mot_key_item ("it-1")),
                       MOT_ITEM_TOPIC, "Baño \"A\", piso 2");
    store_item (fixture, 2, MOT_KIND_PROBLEMATICA, "UAD", "OOAD-15", MOT_STAGE_IDENTIFICACION, 8, 7, 1, false, NULL);
    store_item (fixture, 3, MOT_KIND_PROBLEMATICA, "UAD", "OOAD-15", MOT_STAGE_CERRADO, 2, 1, 3, false,
                MOT_ITEM_CLOSED_AT, "1793761200", MOT_ITEM_CLOSED_BY, "ana", NULL);
    char *csv = csv_of (state, MOT__V1__QUERY_KIND__MUPOI);
    const char *expected =
        "id,territorio,nombre_territorio,tema,categoria,on,impacto,impacto_etiqueta,frecuencia,frecuencia_etiqueta,"
        "cuadrante,color,lectura,etapa,eventos,primera,ultima,impacto_propuesto,frecuencia_propuesta,corregido_por,"
        "unidades,acciones,acciones_completas,avance_promedio,resultado,ultima_valoracion,valoraciones,"
        "mitigacion_cuadrante,mitigacion_impacto,mitigacion_frecuencia,acuerdos_abiertos,recomendaciones_abiertas,"
        "cerrado_el,cerrado_por\r\n"
        "it-1,OOAD-15,Jalisco,\"Baño \"\"A\"\", piso 2\",Administrativo,DPM,3,Bajo,2,Remota,III,verde,"
        "vigilancia periódica,mejora_continua,1,2026-10-20,2026-10-20,3,2,,\"UEOD,UAD\",3,1,53,residual,2026-11-03,1,"
        "I→III,-5,-5,2,1,,\r\n"
        "it-2,OOAD-15,Jalisco,Tema-2,Administrativo,DPM,8,Grave,7,Muy probable,I,rojo,vigilancia permanente,"
        "identificacion,1,2026-10-20,2026-10-20,8,7,,UAD,0,0,,,,0,,,,0,0,,\r\n";
    if (strcmp (csv, expected) != 0)
        fprintf (stderr, "csv:      %sexpected: %s", csv, expected);
    bool same = strcmp (csv, expected) == 0;
    free (csv);
    assert_true (same);
}

/* The valued problemática's lifecycle cells (store_valued_problematica). */
static void
test_a_valued_item_shows_its_lifecycle (void **state)
{
    store_valued_problematica (fixture_of (state));
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MUPOI);
    json_t *rows = rows_of (state, &query);
    assert_int_equal (json_array_size (rows), 1);
    json_t *row = row_of (rows, "it-1");
    assert_text (row, "unidades", "UEOD,UAD");
    assert_number (row, "acciones", 3);
    assert_number (row, "acciones_completas", 1);
    assert_number (row, "avance_promedio", 53);
    assert_text (row, "resultado", "residual");
    assert_text (row, "ultima_valoracion", "2026-11-03");
    assert_number (row, "valoraciones", 1);
    assert_text (row, "mitigacion_cuadrante", "I→III");
    assert_number (row, "mitigacion_impacto", -5);
    assert_number (row, "mitigacion_frecuencia", -5);
    assert_number (row, "acuerdos_abiertos", 2);
    assert_number (row, "recomendaciones_abiertas", 1);
    assert_empty (row, "cerrado_el");
    assert_empty (row, "cerrado_por");
    assert_text (row, "etapa", "mejora_continua");
    assert_text (row, "cuadrante", "III");
    json_decref (rows);
}

/* An item stored before the lifecycle: no units (its source found it), no
 * counts (0), no average, no valuation. */
static void
test_an_item_without_lifecycle_fields_shows_its_source_and_zeros (void **state)
{
    redis_fixture_t *fixture = fixture_of (state);
    store_item (fixture, 2, MOT_KIND_PROBLEMATICA, "UAD", "OOAD-09", MOT_STAGE_IDENTIFICACION, 8, 7, 1, false,
                NULL);
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MUPOI);
    json_t *rows = rows_of (state, &query);
    json_t *row = row_of (rows, "it-2");
    assert_text (row, "unidades", "UAD");
    assert_number (row, "acciones", 0);
    assert_number (row, "acciones_completas", 0);
    assert_empty (row, "avance_promedio");
    assert_empty (row, "resultado");
    assert_empty (row, "ultima_valoracion");
    assert_number (row, "valoraciones", 0);
    assert_empty (row, "mitigacion_cuadrante");
    assert_empty (row, "mitigacion_impacto");
    assert_empty (row, "mitigacion_frecuencia");
    assert_number (row, "acuerdos_abiertos", 0);
    assert_number (row, "recomendaciones_abiertas", 0);
    json_decref (rows);
}

/* 100 and 99 % verified: 199 / 2 = 99.5, shown 99 (100 only when all are
 * done); a riesgo that got worse: 3 / 2 (III) → 7 / 8 (I), +4 and +6, in
 * the MURO's own column; resolved is "resuelta". */
static void
test_average_rounds_down_and_a_worse_riesgo_shows_positive_changes (void **state)
{
    redis_fixture_t *fixture = fixture_of (state);
    store_item (fixture, 3, MOT_KIND_RIESGO, "CAPSOI", "UMAE-03", MOT_STAGE_MONITOREO, 7, 8, 1, false,
                MOT_ITEM_UNITS, "CAPSOI", MOT_ITEM_ACTIONS, "2", MOT_ITEM_ACTIONS_DONE, "1", MOT_ITEM_PROGRESS_SUM,
                "199", MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESOLVED, MOT_ITEM_VALUED_ON, "2026-11-10",
                MOT_ITEM_VALUATIONS, "2", MOT_ITEM_BASELINE_IMPACT, "3", MOT_ITEM_BASELINE_VERTICAL, "2",
                MOT_ITEM_BASELINE_QUADRANT, "3", NULL);
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MURO);
    json_t *rows = rows_of (state, &query);
    json_t *row = row_of (rows, "it-3");
    assert_number (row, "avance_promedio", 99);
    assert_text (row, "resultado", "resuelta");
    assert_number (row, "valoraciones", 2);
    assert_text (row, "mitigacion_cuadrante", "III→I");
    assert_number (row, "mitigacion_impacto", 4);
    assert_number (row, "mitigacion_probabilidad", 6);
    assert_true (json_object_get (row, "mitigacion_frecuencia") == NULL);
    json_decref (rows);
}

/* ---- closed items ------------------------------------------------------------ */

/* it-4 open, it-5 closed late on 2026-11-03 local (already the 4th in UTC),
 * it-6 closed just after midnight on the 4th. */
static void
store_open_and_closed (redis_fixture_t *fixture)
{
    store_item (fixture, 4, MOT_KIND_PROBLEMATICA, "UEOD", "OOAD-15", MOT_STAGE_SEGUIMIENTO, 8, 7, 1, false, NULL);
    store_item (fixture, 5, MOT_KIND_PROBLEMATICA, "UEOD", "OOAD-15", MOT_STAGE_CERRADO, 2, 1, 3, false,
                MOT_ITEM_RESOLUTION, MOT_RESOLUTION_RESOLVED, MOT_ITEM_CLOSED_AT,
                redis_fixture_text (fixture, "%d", CLOSED_LATE_ON_THE_3RD), MOT_ITEM_CLOSED_BY, "tdoe", NULL);
    store_item (fixture, 6, MOT_KIND_RIESGO, "CAPSOI", "UMAE-03", MOT_STAGE_CERRADO, 2, 2, 3, false,
                MOT_ITEM_CLOSED_AT, redis_fixture_text (fixture, "%d", CLOSED_EARLY_ON_THE_4TH),
                MOT_ITEM_CLOSED_BY, "analista.capsoi", NULL);
}

static void
test_closed_items_leave_the_registers_unless_asked_for (void **state)
{
    store_open_and_closed (fixture_of (state));
    assert_ids (state, query_of (MOT__V1__QUERY_KIND__MUPOI), "it-4");
    assert_ids (state, query_of (MOT__V1__QUERY_KIND__ITEMS), "it-4");
    assert_ids (state, query_of (MOT__V1__QUERY_KIND__MURO), "");
    Mot__V1__Query closed = query_of (MOT__V1__QUERY_KIND__ITEMS);
    closed.has_closed = closed.closed = true;
    assert_ids (state, closed, "it-5 it-6");
    closed.kind = MOT__V1__QUERY_KIND__MURO;
    assert_ids (state, closed, "it-6");
    Mot__V1__Query all = query_of (MOT__V1__QUERY_KIND__MUPOI);
    all.has_all = all.all = true;
    assert_ids (state, all, "it-4 it-5");
    all.kind = MOT__V1__QUERY_KIND__ITEMS;
    assert_ids (state, all, "it-4 it-5 it-6");
    /* stage cerrado asks for closed items by itself */
    Mot__V1__Query stage = query_of (MOT__V1__QUERY_KIND__ITEMS);
    stage.stage = (char *) MOT_STAGE_CERRADO;
    assert_ids (state, stage, "it-5 it-6");
    /* closed=false is the default */
    Mot__V1__Query not_closed = query_of (MOT__V1__QUERY_KIND__ITEMS);
    not_closed.has_closed = true;
    assert_ids (state, not_closed, "it-4");
}

static void
test_a_closed_item_shows_the_local_date_and_who_closed_it (void **state)
{
    store_open_and_closed (fixture_of (state));
    Mot__V1__Query all = query_of (MOT__V1__QUERY_KIND__ITEMS);
    all.has_all = all.all = true;
    json_t *rows = rows_of (state, &all);
    assert_text (row_of (rows, "it-5"), "cerrado_el", "2026-11-03");
    assert_text (row_of (rows, "it-5"), "cerrado_por", "tdoe");
    assert_text (row_of (rows, "it-5"), "etapa", "cerrado");
    assert_text (row_of (rows, "it-5"), "resultado", "resuelta");
    assert_text (row_of (rows, "it-6"), "cerrado_el", "2026-11-04");
    assert_text (row_of (rows, "it-6"), "cerrado_por", "analista.capsoi");
    assert_empty (row_of (rows, "it-4"), "cerrado_el");
    assert_empty (row_of (rows, "it-4"), "cerrado_por");
    json_decref (rows);
}

/* The unclassified set holds open items only; a closed unclassified item
 * is found with closed or all, a closed classified one never. */
static void
test_unclassified_closed_items_are_found_with_closed_or_all (void **state)
{
    redis_fixture_t *fixture = fixture_of (state);
    store_item (fixture, 7, MOT_KIND_PROBLEMATICA, "UCS", "OOAD-01", MOT_STAGE_IDENTIFICACION, 5, 1, 3, true, NULL);
    store_item (fixture, 8, MOT_KIND_RIESGO, "CAPSOI", "OOAD-01", MOT_STAGE_CERRADO, 5, 1, 3, false, NULL);
    /* closed while "sin clasificar": the closure took it out of the set */
    store_item (fixture, 9, MOT_KIND_PROBLEMATICA, "UCS", "OOAD-02", MOT_STAGE_CERRADO, 5, 1, 3, true, NULL);
    redis_fixture_run (fixture, "ZREM %s it-9", MOT_KEY_ITEMS_UNCLASSIFIED);
    assert_ids (state, query_of (MOT__V1__QUERY_KIND__UNCLASSIFIED), "it-7");
    Mot__V1__Query closed = query_of (MOT__V1__QUERY_KIND__UNCLASSIFIED);
    closed.has_closed = closed.closed = true;
    assert_ids (state, closed, "it-9");
    Mot__V1__Query all = query_of (MOT__V1__QUERY_KIND__UNCLASSIFIED);
    all.has_all = all.all = true;
    assert_ids (state, all, "it-7 it-9");
    all.territory = "OOAD-01";
    assert_ids (state, all, "it-7");
}

/* ---- filters ------------------------------------------------------------------ */

/* Four open items to filter:
 *   it-10 problemática UEOD,UAD  OOAD-15 seguimiento  Administrativo DPM  I
 *   it-11 problemática UAD       OOAD-09 monitoreo    Legal DJ            III
 *   it-12 riesgo       CAPSOI    OOAD-15 seguimiento  Administrativo DPM  IV
 *   it-13 problemática UAD (no units stored)  OOAD-15 identificacion  Administrativo DPM  II */
static void
store_four (redis_fixture_t *fixture)
{
    store_item (fixture, 10, MOT_KIND_PROBLEMATICA, "UEOD", "OOAD-15", MOT_STAGE_SEGUIMIENTO, 8, 7, 1, false,
                MOT_ITEM_UNITS, "UEOD,UAD", NULL);
    store_item (fixture, 11, MOT_KIND_PROBLEMATICA, "UAD", "OOAD-09", MOT_STAGE_MONITOREO, 3, 2, 3, false,
                MOT_ITEM_UNITS, "UAD", MOT_ITEM_CATEGORY, "Legal", MOT_ITEM_ON, "DJ", NULL);
    store_item (fixture, 12, MOT_KIND_RIESGO, "CAPSOI", "OOAD-15", MOT_STAGE_SEGUIMIENTO, 7, 4, 4, false,
                MOT_ITEM_UNITS, "CAPSOI", NULL);
    store_item (fixture, 13, MOT_KIND_PROBLEMATICA, "UAD", "OOAD-15", MOT_STAGE_IDENTIFICACION, 4, 9, 2, false,
                NULL);
}

static void
test_each_filter_keeps_the_items_it_names (void **state)
{
    store_four (fixture_of (state));
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__ITEMS);
    assert_ids (state, query, "it-10 it-11 it-12 it-13");

    query.unit = "UAD";         /* it-10 second in its list, it-13 by its source */
    assert_ids (state, query, "it-10 it-11 it-13");
    query.unit = "UEOD";
    assert_ids (state, query, "it-10");
    query.unit = "UCS";
    assert_ids (state, query, "");
    query.unit = NULL;

    query.territory = "OOAD-15";
    assert_ids (state, query, "it-10 it-12 it-13");
    query.territory = NULL;

    query.on = "DJ";
    assert_ids (state, query, "it-11");
    query.on = NULL;

    query.category = "Administrativo";
    assert_ids (state, query, "it-10 it-12 it-13");
    query.category = "administrativo";      /* exact, as stored */
    assert_ids (state, query, "");
    query.category = NULL;

    query.has_quadrant = true;
    query.quadrant = 4;
    assert_ids (state, query, "it-12");
    query.quadrant = 2;
    assert_ids (state, query, "it-13");
    query.has_quadrant = false;

    query.stage = (char *) MOT_STAGE_SEGUIMIENTO;
    assert_ids (state, query, "it-10 it-12");
    query.stage = "";                       /* empty: left out */
    assert_ids (state, query, "it-10 it-11 it-12 it-13");
}

static void
test_filters_combine_and_apply_to_every_item_register (void **state)
{
    store_four (fixture_of (state));
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MUPOI);
    query.territory = "OOAD-15";
    query.stage = (char *) MOT_STAGE_SEGUIMIENTO;
    assert_ids (state, query, "it-10");
    query.kind = MOT__V1__QUERY_KIND__MURO;
    assert_ids (state, query, "it-12");
    query.unit = "UAD";
    assert_ids (state, query, "");
    query.kind = MOT__V1__QUERY_KIND__ITEMS;
    assert_ids (state, query, "it-10");
}

/* ---- refused filters ------------------------------------------------------------ */

static void
assert_refused (void **state, Mot__V1__Query query, Mot__V1__ErrorCode code, const char *field)
{
    world_t *world = *state;
    register_filter_t filter;
    register_filter_error_t error = {0};
    assert_false (register_filter_read (&filter, &query, world->territories, &error));
    assert_int_equal (error.code, code);
    assert_string_equal (error.field, field);
    assert_non_null (error.reason);
}

static void
test_bad_filters_are_refused_naming_the_field (void **state)
{
    Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MUPOI);
    query.has_quadrant = true;
    query.quadrant = 7;
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "quadrant");
    query.quadrant = 0;
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "quadrant");
    query = query_of (MOT__V1__QUERY_KIND__MURO);
    query.stage = "cerrada";
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "stage");
    query = query_of (MOT__V1__QUERY_KIND__ITEMS);
    query.unit = "DPM";
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "unit");
    query.unit = "SOURCE_UNSPECIFIED";
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "unit");
    query = query_of (MOT__V1__QUERY_KIND__UNCLASSIFIED);
    query.territory = "OOAD-99";
    assert_refused (state, query, MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY, "territory");
    query = query_of (MOT__V1__QUERY_KIND__ITEMS);
    query.category = "\xc3(";
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_UTF8, "category");
    query = query_of (MOT__V1__QUERY_KIND__ITEMS);
    query.has_closed = query.closed = true;
    query.has_all = query.all = true;
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "all");
    query = query_of (MOT__V1__QUERY_KIND__OBLIGATIONS);
    query.unit = "UAD";
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "kind");
    query.unit = NULL;
    query.has_all = query.all = true;
    assert_refused (state, query, MOT__V1__ERROR_CODE__INVALID_VALUE, "kind");
}

/* The valid values of each filter are read as given. */
static void
test_good_filters_are_read (void **state)
{
    world_t *world = *state;
    const char *stages[] = {MOT_STAGE_IDENTIFICACION, MOT_STAGE_SEGUIMIENTO, MOT_STAGE_MONITOREO,
                            MOT_STAGE_MEJORA_CONTINUA};
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__ITEMS);
        query.stage = (char *) stages[i];
        register_filter_t filter;
        register_filter_error_t error;
        assert_true (register_filter_read (&filter, &query, world->territories, &error));
        assert_string_equal (filter.stage, stages[i]);
        assert_int_equal (filter.scope, REGISTER_OPEN_ITEMS);
    }
    const char *units[] = {"UEOD", "UAD", "UCS", "CV", "CAPSOI"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        Mot__V1__Query query = query_of (MOT__V1__QUERY_KIND__MURO);
        query.unit = (char *) units[i];
        query.has_quadrant = true;
        query.quadrant = (uint32_t) (i % 4) + 1;
        register_filter_t filter;
        register_filter_error_t error;
        assert_true (register_filter_read (&filter, &query, world->territories, &error));
        assert_string_equal (filter.unit, units[i]);
        assert_int_equal (filter.quadrant, (int) (i % 4) + 1);
    }
    Mot__V1__Query obligations = query_of (MOT__V1__QUERY_KIND__OBLIGATIONS);
    register_filter_t filter;
    register_filter_error_t error;
    assert_true (register_filter_read (&filter, &obligations, world->territories, &error));
}

/* ---- the fixture -------------------------------------------------------------- */

static int
setup (void **state)
{
    world_t *world = calloc (1, sizeof *world);
    char *error = NULL;
    if (!world)
        return -1;
    world->territories = mot_catalog_new (MOT_CATALOG_DEFAULT_FILE, &error);
    free (error);
    void *fixture = NULL;
    if (!world->territories || redis_fixture_setup (&fixture, "return 0") != 0) {
        mot_catalog_destroy (&world->territories);
        free (world);
        return -1;
    }
    world->fixture = fixture;
    *state = world;
    return 0;
}

static int
teardown (void **state)
{
    world_t *world = *state;
    void *fixture = world->fixture;
    int rc = redis_fixture_teardown (&fixture);
    mot_catalog_destroy (&world->territories);
    free (world);
    return rc;
}

static int
flush (void **state)
{
    world_t *world = *state;
    void *fixture = world->fixture;
    return redis_fixture_flush (&fixture);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup (test_registers_keep_their_columns_and_add_the_lifecycle_after_them, flush),
        cmocka_unit_test_setup (test_a_valued_item_shows_its_lifecycle, flush),
        cmocka_unit_test_setup (test_the_csv_rows_as_written, flush),
        cmocka_unit_test_setup (test_an_item_without_lifecycle_fields_shows_its_source_and_zeros, flush),
        cmocka_unit_test_setup (test_average_rounds_down_and_a_worse_riesgo_shows_positive_changes, flush),
        cmocka_unit_test_setup (test_closed_items_leave_the_registers_unless_asked_for, flush),
        cmocka_unit_test_setup (test_a_closed_item_shows_the_local_date_and_who_closed_it, flush),
        cmocka_unit_test_setup (test_unclassified_closed_items_are_found_with_closed_or_all, flush),
        cmocka_unit_test_setup (test_each_filter_keeps_the_items_it_names, flush),
        cmocka_unit_test_setup (test_filters_combine_and_apply_to_every_item_register, flush),
        cmocka_unit_test_setup (test_bad_filters_are_refused_naming_the_field, flush),
        cmocka_unit_test_setup (test_good_filters_are_read, flush),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
