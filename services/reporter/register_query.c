/*  register_query — the registers, read from Redis (see register_query.h).
 */
#include "register_query.h"

#include "mot_date.h"
#include "mot_schema.h"
#include "mot_score.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads sent to Redis in one go (one batch is answered while the rows of
 * the one before are built). */
#define BATCH_SIZE 256

typedef struct {
    Mot__V1__QueryKind kind;
    const char *name;           /* the register, in the JSON */
    const char *rows_key;
    const char *vertical;       /* column of the vertical score (items) */
    const char *vertical_label;
    const char *vertical_proposed;
    const char *vertical_mitigation;
} register_spec_t;

static const register_spec_t specs[] = {
    {MOT__V1__QUERY_KIND__ITEMS, "ITEMS", "items", "vertical", "vertical_etiqueta", "vertical_propuesto",
     "mitigacion_vertical"},
    {MOT__V1__QUERY_KIND__MUPOI, "MUPOI", "items", "frecuencia", "frecuencia_etiqueta", "frecuencia_propuesta",
     "mitigacion_frecuencia"},
    {MOT__V1__QUERY_KIND__MURO, "MURO", "items", "probabilidad", "probabilidad_etiqueta", "probabilidad_propuesta",
     "mitigacion_probabilidad"},
    {MOT__V1__QUERY_KIND__UNCLASSIFIED, "UNCLASSIFIED", "items", "vertical", "vertical_etiqueta",
     "vertical_propuesto", "mitigacion_vertical"},
    {MOT__V1__QUERY_KIND__OBLIGATIONS, "OBLIGATIONS", "obligations", NULL, NULL, NULL, NULL},
};

/* The registers' default: open items, no other filter. */
static const register_filter_t open_items = {.scope = REGISTER_OPEN_ITEMS};

typedef struct {
    const register_spec_t *spec;
    register_table_t *table;
    mot_catalog_t *territories;
    int64_t now;                /* service clock: an obligation past its deadline is overdue */
    const register_filter_t *filter;
    bool unclassified_only;     /* ids of every item: keep those still "sin clasificar" */
} query_t;

/* The Redis key of a row's id (mot_key_item, mot_key_obligation). */
typedef char *(key_fn) (const char *id);

static const register_spec_t *
spec_of (Mot__V1__QueryKind kind)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (specs[i].kind == kind)
            return &specs[i];
    return NULL;
}

/* Registers that mix problemáticas and riesgos show the kind. */
static bool
is_items_spec (const register_spec_t *spec)
{
    return spec->kind == MOT__V1__QUERY_KIND__ITEMS || spec->kind == MOT__V1__QUERY_KIND__UNCLASSIFIED;
}

/* ---- columns ---------------------------------------------------------- */

static bool
add_columns (register_table_t *table, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (names[i] && !register_table_add_column (table, names[i]))
            return false;
    return true;
}

static bool
add_item_columns (query_t *query)
{
    const register_spec_t *spec = query->spec;
    const char *const names[] = {
        "id", is_items_spec (spec) ? "tipo" : NULL, "territorio", "nombre_territorio", "tema",
        "categoria", "on", "impacto", "impacto_etiqueta", spec->vertical, spec->vertical_label,
        "cuadrante", "color", "lectura", "etapa", "eventos", "primera", "ultima", "impacto_propuesto",
        spec->vertical_proposed, "corregido_por",
        "unidades", "acciones", "acciones_completas", "avance_promedio", "resultado", "ultima_valoracion",
        "valoraciones", "mitigacion_cuadrante", "mitigacion_impacto", spec->vertical_mitigation,
        "acuerdos_abiertos", "recomendaciones_abiertas", "cerrado_el", "cerrado_por"};
    return add_columns (query->table, names, sizeof names / sizeof names[0]);
}

static bool
add_obligation_columns (query_t *query)
{
    const char *const names[] = {"id", "unidad", "informe", "nombre_informe", "periodo",
                                 "fecha_limite", "estado", "entregado_el", "dias_habiles_atraso", "faltan"};
    return add_columns (query->table, names, sizeof names / sizeof names[0]);
}

/* ---- fields of a stored hash ------------------------------------------- */

/* The item fields a row reads, by index (found by name in an HGETALL). */
#define ROW_FIELDS(X)                                                                   \
    X (F_ID, MOT_ITEM_ID) X (F_KIND, MOT_ITEM_KIND) X (F_TERRITORY, MOT_ITEM_TERRITORY)   \
    X (F_TOPIC, MOT_ITEM_TOPIC) X (F_CATEGORY, MOT_ITEM_CATEGORY) X (F_ON, MOT_ITEM_ON)    \
    X (F_IMPACT, MOT_ITEM_IMPACT) X (F_VERTICAL, MOT_ITEM_VERTICAL)                       \
    X (F_QUADRANT, MOT_ITEM_QUADRANT) X (F_STAGE, MOT_ITEM_STAGE) X (F_EVENTS, MOT_ITEM_EVENTS) \
    X (F_FIRST_SEEN, MOT_ITEM_FIRST_SEEN) X (F_LAST_SEEN, MOT_ITEM_LAST_SEEN)             \
    X (F_PROPOSED_IMPACT, MOT_ITEM_PROPOSED_IMPACT)                                       \
    X (F_PROPOSED_VERTICAL, MOT_ITEM_PROPOSED_VERTICAL) X (F_OVERRIDE_BY, MOT_ITEM_OVERRIDE_BY) \
    X (F_UNITS, MOT_ITEM_UNITS) X (F_SOURCE, MOT_ITEM_SOURCE) X (F_ACTIONS, MOT_ITEM_ACTIONS) \
    X (F_ACTIONS_DONE, MOT_ITEM_ACTIONS_DONE) X (F_PROGRESS_SUM, MOT_ITEM_PROGRESS_SUM)   \
    X (F_RESOLUTION, MOT_ITEM_RESOLUTION) X (F_VALUED_ON, MOT_ITEM_VALUED_ON)             \
    X (F_VALUATIONS, MOT_ITEM_VALUATIONS) X (F_BASELINE_IMPACT, MOT_ITEM_BASELINE_IMPACT) \
    X (F_BASELINE_VERTICAL, MOT_ITEM_BASELINE_VERTICAL)                                   \
    X (F_BASELINE_QUADRANT, MOT_ITEM_BASELINE_QUADRANT)                                   \
    X (F_OPEN_AGREEMENTS, MOT_ITEM_OPEN_AGREEMENTS)                                       \
    X (F_OPEN_RECOMMENDATIONS, MOT_ITEM_OPEN_RECOMMENDATIONS)                             \
    X (F_CLOSED_AT, MOT_ITEM_CLOSED_AT) X (F_CLOSED_BY, MOT_ITEM_CLOSED_BY)

#define ROW_FIELD_ENUM(symbol, name) symbol,
#define ROW_FIELD_NAME(symbol, name) name,
typedef enum { ROW_FIELDS (ROW_FIELD_ENUM) F_COUNT } row_field_t;
static const char *const row_field_names[F_COUNT] = {ROW_FIELDS (ROW_FIELD_NAME)};

/* The obligation fields a row reads, in this order. */
#define OBLIGATION_FIELDS(X)                                                              \
    X (O_ID, MOT_OBL_ID) X (O_UNIT, MOT_OBL_UNIT) X (O_REPORT, MOT_OBL_REPORT)             \
    X (O_REPORT_NAME, MOT_OBL_REPORT_NAME) X (O_PERIOD, MOT_OBL_PERIOD)                    \
    X (O_DEADLINE, MOT_OBL_DEADLINE) X (O_STATUS, MOT_OBL_STATUS) X (O_DUE_AT, MOT_OBL_DUE_AT) \
    X (O_DELIVERED_ON, MOT_OBL_DELIVERED_ON) X (O_LATE, MOT_OBL_BUSINESS_DAYS_LATE)         \
    X (O_WAITING_FOR, MOT_OBL_WAITING_FOR)

typedef enum { OBLIGATION_FIELDS (ROW_FIELD_ENUM) O_COUNT } obligation_field_t;
static const char *const obligation_field_names[O_COUNT] = {OBLIGATION_FIELDS (ROW_FIELD_NAME)};

/* The item fields register_filter_admits reads; it is handed them as a
 * name/value pairs reply (what it would find in an HGETALL). */
static const row_field_t filter_fields[] = {F_STAGE, F_UNITS, F_SOURCE, F_TERRITORY, F_ON, F_CATEGORY};
#define FILTER_FIELD_COUNT (sizeof filter_fields / sizeof filter_fields[0])

/* One stored hash as read: its values by field index (an HMGET reply's
 * elements, or those found in an HGETALL). */
typedef struct {
    const redisReply *const *values;
} hash_t;

typedef bool (row_fn) (query_t *query, const hash_t *hash);

/* The value of field `index`; NULL when absent or empty. */
static const char *
hash_field (const hash_t *hash, int index)
{
    const redisReply *value = hash->values[index];
    return value && value->type == REDIS_REPLY_STRING && value->len > 0 ? value->str : NULL;
}

/* The field as a decimal integer; false when absent or not a number. */
static bool
hash_long (const hash_t *hash, int index, long *value)
{
    const char *text = hash_field (hash, index);
    if (!text)
        return false;
    char *end;
    errno = 0;
    *value = strtol (text, &end, 10);
    return errno == 0 && end != text && *end == '\0';
}

static bool
copy_text (query_t *query, const char *column, const hash_t *hash, int field)
{
    return register_table_set_text (query->table, column, hash_field (hash, field));
}

static bool
copy_number (query_t *query, const char *column, const hash_t *hash, int field)
{
    long value;
    return !hash_long (hash, field, &value) || register_table_set_number (query->table, column, value);
}

/* ---- rows --------------------------------------------------------------- */

/* A score cell and its label; both stay empty when the score is not 1..10. */
static bool
set_score (query_t *query, const char *column, const char *label_column, long score,
           const char *label)
{
    if (!mot_score_is_valid (score))
        return true;
    return register_table_set_number (query->table, column, score)
           && register_table_set_text (query->table, label_column, label);
}

/* The quadrant stored in `field` when it is 1..4, else the one of the
 * scores (0: none). */
static int
quadrant_of (const hash_t *hash, int field, long impact, long vertical)
{
    long stored;
    if (hash_long (hash, field, &stored) && stored >= 1 && stored <= 4)
        return (int) stored;
    return mot_score_quadrant (impact, vertical);
}

static bool
set_quadrant (query_t *query, int quadrant, bool riesgo)
{
    if (quadrant == 0)
        return true;
    return register_table_set_text (query->table, "cuadrante", mot_score_quadrant_roman (quadrant))
           && register_table_set_text (query->table, "color", mot_score_quadrant_colour (quadrant))
           && register_table_set_text (query->table, "lectura",
                                       mot_score_quadrant_meaning (quadrant, riesgo));
}

static bool
set_territory (query_t *query, const hash_t *hash)
{
    const char *code = hash_field (hash, F_TERRITORY);
    const char *name = code && query->territories ? mot_catalog_name (query->territories, code) : NULL;
    return register_table_set_text (query->table, "territorio", code)
           && register_table_set_text (query->table, "nombre_territorio", name);
}

/* ---- the lifecycle columns ---- */

/* A count the lifecycle keeps on the item; 0 when not stored (an item with
 * no work yet, or stored before the lifecycle existed). */
static long
count_of (const hash_t *hash, int field)
{
    long value;
    return hash_long (hash, field, &value) && value > 0 ? value : 0;
}

/* unidades: every unit that detected the item, in the order they did;
 * items stored before units were kept name their source. */
static bool
set_units (query_t *query, const hash_t *hash)
{
    const char *units = hash_field (hash, F_UNITS);
    return register_table_set_text (query->table, "unidades", units ? units : hash_field (hash, F_SOURCE));
}

/* avance_promedio: the mean of the corrective actions' last verified
 * % avance, rounded down (so 100 only when every action is at 100); empty
 * while the item has no action. */
static bool
set_average_progress (query_t *query, const hash_t *hash)
{
    long actions = count_of (hash, F_ACTIONS);
    if (actions == 0)
        return true;
    long average = count_of (hash, F_PROGRESS_SUM) / actions;
    return register_table_set_number (query->table, "avance_promedio", average > 100 ? 100 : average);
}

/* resultado: the last valuation's outcome in the norm's words; empty
 * before any valuation (and after a reopening). */
static const char *
outcome_of (const hash_t *hash)
{
    const char *resolution = hash_field (hash, F_RESOLUTION);
    if (resolution && strcmp (resolution, MOT_RESOLUTION_RESOLVED) == 0)
        return "resuelta";
    if (resolution && strcmp (resolution, MOT_RESOLUTION_RESIDUAL) == 0)
        return "residual";
    return NULL;
}

/* A change of score, when both ends are scores. */
static bool
set_change (query_t *query, const char *column, long from, long to)
{
    if (!mot_score_is_valid (from) || !mot_score_is_valid (to))
        return true;
    return register_table_set_number (query->table, column, to - from);
}

/* grado de mitigación: from the effective values just before the first
 * valuation (the baseline) to the effective values now — the quadrant as
 * "I→III", each score as its signed change. Empty before a valuation. */
static bool
set_mitigation (query_t *query, const hash_t *hash, long impact, long vertical, int quadrant)
{
    long base_impact, base_vertical;
    if (!hash_long (hash, F_BASELINE_IMPACT, &base_impact)
        || !hash_long (hash, F_BASELINE_VERTICAL, &base_vertical))
        return true;
    int base_quadrant = quadrant_of (hash, F_BASELINE_QUADRANT, base_impact, base_vertical);
    char change[32] = "";
    if (base_quadrant != 0 && quadrant != 0)
        snprintf (change, sizeof change, "%s→%s", mot_score_quadrant_roman (base_quadrant),
                  mot_score_quadrant_roman (quadrant));
    return register_table_set_text (query->table, "mitigacion_cuadrante", *change ? change : NULL)
           && set_change (query, "mitigacion_impacto", base_impact, impact)
           && set_change (query, query->spec->vertical_mitigation, base_vertical, vertical);
}

/* cerrado_el (the local date of the closure) and cerrado_por (the analyst
 * account), while the item is closed. */
static bool
set_closure (query_t *query, const hash_t *hash)
{
    long closed_at;
    char day[MOT_DAY_TEXT_SIZE] = "";
    if (hash_long (hash, F_CLOSED_AT, &closed_at) && closed_at > 0)
        mot_day_format (mot_day_local_of ((int64_t) closed_at), day);
    return register_table_set_text (query->table, "cerrado_el", *day ? day : NULL)
           && copy_text (query, "cerrado_por", hash, F_CLOSED_BY);
}

static bool
set_lifecycle (query_t *query, const hash_t *hash, long impact, long vertical, int quadrant)
{
    register_table_t *table = query->table;
    return set_units (query, hash)
           && register_table_set_number (table, "acciones", count_of (hash, F_ACTIONS))
           && register_table_set_number (table, "acciones_completas", count_of (hash, F_ACTIONS_DONE))
           && set_average_progress (query, hash)
           && register_table_set_text (table, "resultado", outcome_of (hash))
           && copy_text (query, "ultima_valoracion", hash, F_VALUED_ON)
           && register_table_set_number (table, "valoraciones", count_of (hash, F_VALUATIONS))
           && set_mitigation (query, hash, impact, vertical, quadrant)
           && register_table_set_number (table, "acuerdos_abiertos", count_of (hash, F_OPEN_AGREEMENTS))
           && register_table_set_number (table, "recomendaciones_abiertas",
                                         count_of (hash, F_OPEN_RECOMMENDATIONS))
           && set_closure (query, hash);
}

/* ---- an item's row ---- */

static bool
is_unclassified (const hash_t *hash)
{
    const char *category = hash_field (hash, F_CATEGORY);
    const char *on = hash_field (hash, F_ON);
    return (category && strcmp (category, MOT_UNCLASSIFIED) == 0) || (on && strcmp (on, MOT_UNCLASSIFIED) == 0);
}

/* Whether the filter admits the item: it is handed the fields it reads as
 * the name/value pairs of an HGETALL reply. */
static bool
is_admitted (query_t *query, const hash_t *hash, int quadrant)
{
    redisReply names[FILTER_FIELD_COUNT];
    redisReply *pairs[2 * FILTER_FIELD_COUNT];
    for (size_t i = 0; i < FILTER_FIELD_COUNT; i++) {
        const char *name = row_field_names[filter_fields[i]];
        names[i] = (redisReply) {.type = REDIS_REPLY_STRING, .str = (char *) name, .len = strlen (name)};
        pairs[2 * i] = &names[i];
        pairs[2 * i + 1] = (redisReply *) hash->values[filter_fields[i]];    /* only read */
    }
    redisReply view = {.type = REDIS_REPLY_ARRAY, .elements = 2 * FILTER_FIELD_COUNT, .element = pairs};
    return register_filter_admits (query->filter, &view, quadrant);
}

/* Whether the register shows the item (its filters; see register_filter.h). */
static bool
is_shown (query_t *query, const hash_t *hash, int quadrant)
{
    return (!query->unclassified_only || is_unclassified (hash)) && is_admitted (query, hash, quadrant);
}

/* Adds the item's row when the register shows it (true when it does not). */
static bool
add_item_row (query_t *query, const hash_t *hash)
{
    const register_spec_t *spec = query->spec;
    const char *kind = hash_field (hash, F_KIND);
    bool riesgo = kind && strcmp (kind, MOT_KIND_RIESGO) == 0;
    long impact = 0, vertical = 0;
    hash_long (hash, F_IMPACT, &impact);
    hash_long (hash, F_VERTICAL, &vertical);
    int quadrant = quadrant_of (hash, F_QUADRANT, impact, vertical);
    if (!is_shown (query, hash, quadrant))
        return true;
    return register_table_add_row (query->table)
           && copy_text (query, "id", hash, F_ID)
           && (!is_items_spec (spec) || copy_text (query, "tipo", hash, F_KIND))
           && set_territory (query, hash)
           && copy_text (query, "tema", hash, F_TOPIC)
           && copy_text (query, "categoria", hash, F_CATEGORY)
           && copy_text (query, "on", hash, F_ON)
           && set_score (query, "impacto", "impacto_etiqueta", impact, mot_score_impact_label (impact))
           && set_score (query, spec->vertical, spec->vertical_label, vertical,
                         mot_score_vertical_label (vertical))
           && set_quadrant (query, quadrant, riesgo)
           && copy_text (query, "etapa", hash, F_STAGE)
           && copy_number (query, "eventos", hash, F_EVENTS)
           && copy_text (query, "primera", hash, F_FIRST_SEEN)
           && copy_text (query, "ultima", hash, F_LAST_SEEN)
           && copy_number (query, "impacto_propuesto", hash, F_PROPOSED_IMPACT)
           && copy_number (query, spec->vertical_proposed, hash, F_PROPOSED_VERTICAL)
           && copy_text (query, "corregido_por", hash, F_OVERRIDE_BY)
           && set_lifecycle (query, hash, impact, vertical, quadrant);
}

/* The obligation's state: as stored (pending, waiting, delivered, delivered_late),
 * except that a pending one whose deadline day has ended is overdue (the
 * watcher does not store that: it follows from the time, see timers.h). */
static const char *
obligation_state (query_t *query, const hash_t *hash)
{
    const char *status = hash_field (hash, O_STATUS);
    long due_at;
    if (status && strcmp (status, MOT_STATUS_PENDING) == 0 && hash_long (hash, O_DUE_AT, &due_at)
        && query->now > due_at)
        return "overdue";
    return status;
}

static bool
add_obligation_row (query_t *query, const hash_t *hash)
{
    return register_table_add_row (query->table)
           && copy_text (query, "id", hash, O_ID)
           && copy_text (query, "unidad", hash, O_UNIT)
           && copy_text (query, "informe", hash, O_REPORT)
           && copy_text (query, "nombre_informe", hash, O_REPORT_NAME)
           && copy_text (query, "periodo", hash, O_PERIOD)
           && copy_text (query, "fecha_limite", hash, O_DEADLINE)
           && register_table_set_text (query->table, "estado", obligation_state (query, hash))
           && copy_text (query, "entregado_el", hash, O_DELIVERED_ON)
           && copy_number (query, "dias_habiles_atraso", hash, O_LATE)
           && copy_text (query, "faltan", hash, O_WAITING_FOR);
}

/* ---- Redis -------------------------------------------------------------- */

static Mot__V1__ErrorCode
failure_of (const redisReply *reply)
{
    return reply ? MOT__V1__ERROR_CODE__INTERNAL : MOT__V1__ERROR_CODE__UNAVAILABLE;
}

/* The command that lists the register's ids in order, given the two
 * items-by-kind keys. The unclassified set holds open items only (a closure
 * takes its item out): with closed items the unclassified register reads
 * every item and keeps those still "sin clasificar". */
static redisReply *
ask_ids_of (mot_redis_t *redis, query_t *query, const char *problematicas, const char *riesgos)
{
    switch (query->spec->kind) {
    case MOT__V1__QUERY_KIND__ITEMS:
        return mot_redis_command (redis, "ZUNION 2 %s %s", problematicas, riesgos);
    case MOT__V1__QUERY_KIND__UNCLASSIFIED:
        if (query->unclassified_only)
            return mot_redis_command (redis, "ZUNION 2 %s %s", problematicas, riesgos);
        return mot_redis_command (redis, "ZRANGE %s 0 -1", MOT_KEY_ITEMS_UNCLASSIFIED);
    case MOT__V1__QUERY_KIND__MUPOI:
        return mot_redis_command (redis, "ZRANGE %s 0 -1", problematicas);
    case MOT__V1__QUERY_KIND__MURO:
        return mot_redis_command (redis, "ZRANGE %s 0 -1", riesgos);
    default:
        return mot_redis_command (redis, "ZRANGE %s 0 -1", MOT_KEY_OBLS);
    }
}

/* The register's ids in order (an array reply; NULL when Redis is
 * unavailable or memory ran out). */
static redisReply *
ask_ids (mot_redis_t *redis, query_t *query)
{
    char *problematicas = mot_key_items (MOT_KIND_PROBLEMATICA);
    char *riesgos = mot_key_items (MOT_KIND_RIESGO);
    redisReply *reply = problematicas && riesgos ? ask_ids_of (redis, query, problematicas, riesgos) : NULL;
    zstr_free (&problematicas);
    zstr_free (&riesgos);
    return reply;
}

/* The ids of the register, in order (an array reply), or NULL with *code. */
static redisReply *
read_ids (mot_redis_t *redis, query_t *query, Mot__V1__ErrorCode *code)
{
    redisReply *reply = ask_ids (redis, query);
    if (mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY)
        return reply;
    *code = failure_of (reply);
    if (reply)
        freeReplyObject (reply);
    return NULL;
}

/* How the rows of a register are read: the key of each id, the fields
 * (asked by HMGET, or found by name in an HGETALL) and what makes a row of
 * them. */
typedef struct {
    key_fn *key_of;
    const char *const *fields;
    size_t field_count;
    row_fn *add_row;
    bool whole;                 /* HGETALL, the fields found by name */
} reader_t;

static const reader_t item_reader = {mot_key_item, row_field_names, F_COUNT, add_item_row, true};
static const reader_t obligation_reader = {mot_key_obligation, obligation_field_names, O_COUNT, add_obligation_row,
                                           false};

/* ---- finding a field by name in an HGETALL reply ---- */

#define NAME_SLOTS 128          /* a power of two, over twice the fields */

/* Where each field name a reader asks sits: an open-addressing table. */
typedef struct {
    const char *name[NAME_SLOTS];
    size_t length[NAME_SLOTS];
    int index[NAME_SLOTS];
} name_index_t;

static size_t
name_slot (const char *name, size_t length)
{
    size_t hash = length;
    for (size_t i = 0; i < length; i++)
        hash = hash * 31 + (unsigned char) name[i];
    return hash & (NAME_SLOTS - 1);
}

static void
name_index_fill (name_index_t *self, const reader_t *reader)
{
    memset (self, 0, sizeof *self);
    for (size_t i = 0; i < reader->field_count; i++) {
        size_t length = strlen (reader->fields[i]), slot = name_slot (reader->fields[i], length);
        while (self->name[slot])
            slot = (slot + 1) & (NAME_SLOTS - 1);
        self->name[slot] = reader->fields[i];
        self->length[slot] = length;
        self->index[slot] = (int) i;
    }
}

/* The reader's index of field `name`, -1 when it does not read it. */
static int
name_index_find (const name_index_t *self, const char *name, size_t length)
{
    for (size_t slot = name_slot (name, length); self->name[slot]; slot = (slot + 1) & (NAME_SLOTS - 1))
        if (self->length[slot] == length && memcmp (self->name[slot], name, length) == 0)
            return self->index[slot];
    return -1;
}

/* The values of an HGETALL reply, by the reader's field index. */
static void
values_of_pairs (const name_index_t *names, const redisReply *pairs, const redisReply **values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        values[i] = NULL;
    for (size_t i = 0; i + 1 < pairs->elements; i += 2) {
        const redisReply *name = pairs->element[i];
        int index = name->type == REDIS_REPLY_STRING ? name_index_find (names, name->str, name->len) : -1;
        if (index >= 0)
            values[index] = pairs->element[i + 1];
    }
}

/* Appends the read (HGETALL, or HMGET of the fields) of each of ids
 * [from, to); returns how many were appended. */
static size_t
append_batch (mot_redis_t *redis, const reader_t *reader, redisReply *ids, size_t from, size_t to)
{
    const char *argv[2 + F_COUNT + O_COUNT] = {reader->whole ? "HGETALL" : "HMGET"};
    int argc = reader->whole ? 2 : (int) (2 + reader->field_count);
    memcpy (argv + 2, reader->fields, reader->field_count * sizeof *argv);
    size_t sent = 0;
    for (size_t i = from; i < to; i++) {
        redisReply *id = ids->element[i];
        if (id->type != REDIS_REPLY_STRING)
            break;
        char *key = reader->key_of (id->str);
        argv[1] = key;
        bool ok = key && mot_redis_append (redis, argc, argv, NULL);
        zstr_free (&key);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

/* Reads `count` replies (lent: no allocation per reply) and turns each
 * found hash into a row; false with *code at the first failure (the
 * replies left are not read). */
static bool
read_batch (mot_redis_t *redis, const reader_t *reader, const name_index_t *names, size_t count, query_t *query,
            Mot__V1__ErrorCode *code)
{
    const redisReply *found[F_COUNT + O_COUNT];
    for (size_t i = 0; i < count; i++) {
        const redisReply *reply = mot_redis_read_lent (redis);
        bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY
               && (reader->whole || reply->elements == reader->field_count);
        if (!ok)
            *code = failure_of (reply);
        else if (reader->whole)
            values_of_pairs (names, reply, found, reader->field_count);
        hash_t hash = {!ok ? NULL : reader->whole ? found : (const redisReply *const *) reply->element};
        /* an id whose hash is gone (no id field) is skipped */
        if (ok && hash_field (&hash, 0) && !reader->add_row (query, &hash)) {
            *code = MOT__V1__ERROR_CODE__INTERNAL;
            ok = false;
        }
        if (!ok)
            return false;
    }
    return true;
}

/* What one reading of the rows needs (mot_redis_batches). */
typedef struct {
    mot_redis_t *redis;
    const reader_t *reader;
    const name_index_t *names;
    redisReply *ids;
    query_t *query;
    Mot__V1__ErrorCode *code;
} reading_t;

static size_t
ask_reading (void *arg, size_t from, size_t to)
{
    reading_t *reading = arg;
    return append_batch (reading->redis, reading->reader, reading->ids, from, to);
}

static bool
take_reading (void *arg, size_t from, size_t asked)
{
    (void) from;
    reading_t *reading = arg;
    return read_batch (reading->redis, reading->reader, reading->names, asked, reading->query, reading->code);
}

/* Reads the rows a batch at a time, one batch ahead. */
static bool
read_rows (mot_redis_t *redis, const reader_t *reader, redisReply *ids, query_t *query, Mot__V1__ErrorCode *code)
{
    name_index_t names;
    name_index_fill (&names, reader);
    reading_t reading = {redis, reader, &names, ids, query, code};
    bool unasked;
    bool ok = mot_redis_batches (redis, ids->elements, BATCH_SIZE, ask_reading, take_reading, &reading, &unasked);
    if (unasked)
        *code = MOT__V1__ERROR_CODE__UNAVAILABLE;
    return ok;
}

/* ---- the query ---------------------------------------------------------- */

/* The columns, then the rows (written as CSV as they come when
 * `stream_csv`). */
static bool
fill_table (mot_redis_t *redis, query_t *query, bool stream_csv, Mot__V1__ErrorCode *code)
{
    bool obligations = query->spec->kind == MOT__V1__QUERY_KIND__OBLIGATIONS;
    if (!(obligations ? add_obligation_columns (query) : add_item_columns (query))
        || (stream_csv && !register_table_stream_csv (query->table))) {
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        return false;
    }
    redisReply *ids = read_ids (redis, query, code);
    if (!ids)
        return false;
    register_table_expect_rows (query->table, ids->elements);
    bool ok = read_rows (redis, obligations ? &obligation_reader : &item_reader, ids, query, code);
    freeReplyObject (ids);
    return ok;
}

static register_table_t *
run_query (mot_redis_t *redis, mot_catalog_t *territories, Mot__V1__QueryKind kind, const register_filter_t *filter,
           int64_t now, bool stream_csv, Mot__V1__ErrorCode *code)
{
    query_t query = {spec_of (kind), NULL, territories, now, filter ? filter : &open_items, false};
    if (!query.spec) {
        *code = MOT__V1__ERROR_CODE__UNKNOWN_TYPE;
        return NULL;
    }
    query.unclassified_only = kind == MOT__V1__QUERY_KIND__UNCLASSIFIED && register_filter_wants_closed (query.filter);
    query.table = register_table_new (query.spec->name, query.spec->rows_key);
    if (!query.table) {
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        return NULL;
    }
    if (!fill_table (redis, &query, stream_csv, code))
        register_table_destroy (&query.table);
    return query.table;
}

register_table_t *
register_query_run (mot_redis_t *redis, mot_catalog_t *territories, Mot__V1__QueryKind kind,
                    const register_filter_t *filter, int64_t now, Mot__V1__ErrorCode *code)
{
    return run_query (redis, territories, kind, filter, now, false, code);
}

register_table_t *
register_query_run_csv (mot_redis_t *redis, mot_catalog_t *territories, Mot__V1__QueryKind kind,
                        const register_filter_t *filter, int64_t now, Mot__V1__ErrorCode *code)
{
    return run_query (redis, territories, kind, filter, now, true, code);
}

register_table_t *
register_query_item (mot_redis_t *redis, mot_catalog_t *territories, const char *item_id, int64_t now,
                     Mot__V1__ErrorCode *code)
{
    register_filter_t all = {.scope = REGISTER_ALL_ITEMS};
    query_t query = {spec_of (MOT__V1__QUERY_KIND__ITEMS), NULL, territories, now, &all, false};
    query.table = register_table_new (query.spec->name, query.spec->rows_key);
    if (!query.table || !add_item_columns (&query)) {
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        register_table_destroy (&query.table);
        return NULL;
    }
    char *key = mot_key_item (item_id);
    const char *argv[2 + F_COUNT] = {"HMGET", key};
    memcpy (argv + 2, row_field_names, sizeof row_field_names);
    redisReply *reply = key ? mot_redis_commandv (redis, 2 + F_COUNT, argv, NULL) : NULL;
    free (key);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == F_COUNT;
    hash_t hash = {ok ? (const redisReply *const *) reply->element : NULL};
    if (!ok)
        *code = failure_of (reply);
    else
    if (hash_field (&hash, F_ID) && !add_item_row (&query, &hash)) {
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        ok = false;
    }
    if (reply)
        freeReplyObject (reply);
    if (!ok)
        register_table_destroy (&query.table);
    return query.table;
}

/* ---- an item's audit trail ---------------------------------------------- */

/* The entries, one per line, as a new buffer; NULL with *code. */
static char *
join_lines (redisReply *entries, size_t *size, Mot__V1__ErrorCode *code)
{
    char *text = NULL;
    FILE *out = open_memstream (&text, size);
    bool ok = out != NULL;
    for (size_t i = 0; ok && i < entries->elements; i++) {
        redisReply *entry = entries->element[i];
        ok = entry->type == REDIS_REPLY_STRING && fwrite (entry->str, 1, entry->len, out) == entry->len
             && fputc ('\n', out) != EOF;
    }
    if (out && fclose (out) != 0)
        ok = false;
    if (!ok) {
        free (text);
        *code = MOT__V1__ERROR_CODE__INTERNAL;
        return NULL;
    }
    return text;
}

char *
register_query_audit (mot_redis_t *redis, const char *item_id, size_t *size, Mot__V1__ErrorCode *code)
{
    if (!item_id || !*item_id) {
        *code = MOT__V1__ERROR_CODE__MISSING_FIELD;
        return NULL;
    }
    char *key = mot_key_item (item_id);
    char *audit_key = mot_key_item_audit (item_id);
    redisReply *exists = key ? mot_redis_command (redis, "EXISTS %s", key) : NULL;
    redisReply *entries = audit_key && mot_reply_ok (exists) ? mot_redis_command (redis, "LRANGE %s 0 -1", audit_key) : NULL;
    char *body = NULL;
    if (!(mot_reply_ok (exists) && exists->type == REDIS_REPLY_INTEGER))
        *code = failure_of (exists);
    else if (exists->integer == 0)
        *code = MOT__V1__ERROR_CODE__INVALID_VALUE;
    else if (!(mot_reply_ok (entries) && entries->type == REDIS_REPLY_ARRAY))
        *code = failure_of (entries);
    else
        body = join_lines (entries, size, code);
    if (exists)
        freeReplyObject (exists);
    if (entries)
        freeReplyObject (entries);
    zstr_free (&key);
    zstr_free (&audit_key);
    return body;
}
