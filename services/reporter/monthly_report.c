/*  monthly_report — the figures of the monthly report (see
 *  monthly_report.h).
 */
#include "monthly_report.h"
#include "mot_date.h"
#include "mot_schema.h"
#include "mot_score.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_SIZE 500

/* An item's fields the report reads (HMGET), in this order. */
enum { F_ID, F_TERRITORY, F_CATEGORY, F_UNITS, F_SOURCE, F_CLOSED_AT, F_COUNT };
/* Per item, the replies read: its fields, its two positions, its valuations, its works. */
enum { R_FIELDS, R_POSITIONS, R_VALUATIONS, R_WORK, R_COUNT };

typedef struct {
    mot_redis_t *redis;
    char month[16], previous[16];
    bool previous_frozen;
    int64_t now;
    json_t *works;              /* work id → true: the works named by the items read */
    map_svg_t *maps[2];         /* problemáticas, riesgos (NULL: not drawn) */
    map_svg_t *map;             /* the block's being read, or NULL */
    register_filter_error_t *error;
} report_t;

static bool
fail (report_t *self, const redisReply *reply, const char *reason)
{
    return register_filter_refuse (self->error,
                                   reply ? MOT__V1__ERROR_CODE__INTERNAL : MOT__V1__ERROR_CODE__UNAVAILABLE, NULL,
                                   reason);
}

static const char *
text_of (const redisReply *value)
{
    return value && value->type == REDIS_REPLY_STRING ? value->str : NULL;
}

/* ---- counting ------------------------------------------------------------- */

static void
add_to (json_t *object, const char *key, json_int_t delta)
{
    json_object_set_new (object, key, json_integer (json_integer_value (json_object_get (object, key)) + delta));
}

static json_t *
quadrant_counts (void)
{
    return json_pack ("{s:i,s:i,s:i,s:i}", "I", 0, "II", 0, "III", 0, "IV", 0);
}

/* The row of `key` in a breakdown (an object clave → row), made when new. */
static json_t *
row_of (json_t *breakdown, const char *key)
{
    json_t *row = json_object_get (breakdown, key);
    if (!row) {
        row = quadrant_counts ();
        json_object_set_new (row, "clave", json_string (key));
        json_object_set_new (row, "total", json_integer (0));
        json_object_set_new (breakdown, key, row);
    }
    return row;
}

static void
count_in (json_t *breakdown, const char *key, const char *roman)
{
    json_t *row = row_of (breakdown, key && *key ? key : "(sin dato)");
    add_to (row, "total", 1);
    add_to (row, roman, 1);
}

static json_t *
new_block (bool previous_frozen)
{
    return json_pack ("{s:i,s:o,s:o,s:i,s:i,s:i,s:i,s:i,s:i,s:[],s:{},s:{},s:{}}", "total", 0, "por_cuadrante",
                      quadrant_counts (), "por_cuadrante_anterior", previous_frozen ? quadrant_counts () : json_null (),
                      "nuevas", 0, "cerradas", 0, "resueltas", 0, "residuales", 0, "mejoran", 0, "empeoran", 0,
                      "cambios", "por_territorio", "por_categoria", "por_unidad");
}

/* The month (YYYY-MM, local) of a unix time. */
static void
month_of (int64_t unix_seconds, char out[16])
{
    char day[MOT_DAY_TEXT_SIZE];
    mot_day_format (mot_day_local_of (unix_seconds), day);
    memcpy (out, day, 7);
    out[7] = '\0';
}

/* The last valuation dated in the month: its resolution, or NULL. */
static const char *
resolution_in_month (report_t *self, const redisReply *valuations, json_t **held)
{
    const char *resolution = NULL;
    for (size_t i = 0; i < valuations->elements; i++) {
        json_t *valuation = text_of (valuations->element[i]) ? json_loads (valuations->element[i]->str, 0, NULL) : NULL;
        const char *month = json_string_value (json_object_get (valuation, "month"));
        if (month && strcmp (month, self->month) == 0) {
            json_decref (*held);
            *held = valuation;
            resolution = json_string_value (json_object_get (valuation, "resolution"));
        }
        else
            json_decref (valuation);
    }
    return resolution;
}

/* The change of quadrant between the two closes, into the block. */
static void
count_change (json_t *block, const char *id, int before, int after)
{
    if (before == after)
        return;
    bool worse = mot_score_quadrant_severity (after) > mot_score_quadrant_severity (before);
    add_to (block, worse ? "empeoran" : "mejoran", 1);
    json_array_append_new (json_object_get (block, "cambios"),
                           json_pack ("{s:s,s:s,s:s,s:s}", "id", id, "de", mot_score_quadrant_roman (before), "a",
                                      mot_score_quadrant_roman (after), "sentido", worse ? "empeora" : "mejora"));
}

/* Puts the item on the block's map as map_query draws the month compared
 * with the month before: at its place at the close, moved from its place
 * the month before, or closed from there. */
static bool
draw_item (report_t *self, const char *id, const mot_position_t *now, const mot_position_t *before)
{
    if (!self->map)
        return true;
    if (now)
        return map_svg_add_item (self->map, id, now->impact, now->vertical, before ? before->impact : 0,
                                 before ? before->vertical : 0);
    return !before || map_svg_add_closed (self->map, id, before->impact, before->vertical);
}

/* Counts one item (its replies) into the block and draws it; false when it
 * could not be drawn. */
static bool
count_item (report_t *self, json_t *block, redisReply **r)
{
    redisReply **f = r[R_FIELDS]->element;
    const char *id = text_of (f[F_ID]);
    if (!id)
        return true;                    /* gone meanwhile */
    mot_position_t now, before;
    bool has_now = mot_position_parse (text_of (r[R_POSITIONS]->element[0]), &now);
    bool has_before = self->previous_frozen && mot_position_parse (text_of (r[R_POSITIONS]->element[1]), &before);
    if (!draw_item (self, id, has_now ? &now : NULL, has_before ? &before : NULL))
        return false;
    if (has_before)
        add_to (json_object_get (block, "por_cuadrante_anterior"), mot_score_quadrant_roman (before.quadrant), 1);
    char closed_month[16] = "";
    if (text_of (f[F_CLOSED_AT]))
        month_of (strtoll (f[F_CLOSED_AT]->str, NULL, 10), closed_month);
    if (strcmp (closed_month, self->month) == 0)
        add_to (block, "cerradas", 1);
    json_t *valuation = NULL;
    const char *resolution = resolution_in_month (self, r[R_VALUATIONS], &valuation);
    if (resolution)
        add_to (block, strcmp (resolution, MOT_RESOLUTION_RESOLVED) == 0 ? "resueltas" : "residuales", 1);
    json_decref (valuation);
    if (!has_now)
        return true;
    const char *roman = mot_score_quadrant_roman (now.quadrant);
    add_to (block, "total", 1);
    add_to (json_object_get (block, "por_cuadrante"), roman, 1);
    if (self->previous_frozen && !has_before)
        add_to (block, "nuevas", 1);
    if (has_before)
        count_change (block, id, before.quadrant, now.quadrant);
    count_in (json_object_get (block, "por_territorio"), text_of (f[F_TERRITORY]), roman);
    count_in (json_object_get (block, "por_categoria"), text_of (f[F_CATEGORY]), roman);
    const char *units = text_of (f[F_UNITS]) && *f[F_UNITS]->str ? f[F_UNITS]->str : text_of (f[F_SOURCE]);
    char *copy = strdup (units ? units : "");
    for (char *unit = copy ? strtok (copy, ",") : NULL; unit; unit = strtok (NULL, ","))
        count_in (json_object_get (block, "por_unidad"), unit, roman);
    free (copy);
    return true;
}

/* ---- reading the items ---------------------------------------------------- */

static size_t
ask_items (report_t *self, redisReply *ids, size_t from, size_t to)
{
    size_t sent = 0;
    for (size_t i = from; i < to && text_of (ids->element[i]); i++) {
        const char *id = ids->element[i]->str;
        char *item = mot_key_item (id), *positions = mot_key_item_positions (id);
        char *valuations = mot_key_item_valuations (id), *work = mot_key_item_work (id);
        const char *hmget[2 + F_COUNT] = {"HMGET", item, MOT_ITEM_ID, MOT_ITEM_TERRITORY, MOT_ITEM_CATEGORY,
                                          MOT_ITEM_UNITS, MOT_ITEM_SOURCE, MOT_ITEM_CLOSED_AT};
        const char *at[] = {"HMGET", positions, self->month, self->previous};
        const char *lrange[] = {"LRANGE", valuations, "0", "-1"};
        const char *zrange[] = {"ZRANGE", work, "0", "-1"};
        bool ok = item && positions && valuations && work && mot_redis_append (self->redis, 2 + F_COUNT, hmget, NULL)
               && mot_redis_append (self->redis, 4, at, NULL) && mot_redis_append (self->redis, 4, lrange, NULL)
               && mot_redis_append (self->redis, 4, zrange, NULL);
        free (item);
        free (positions);
        free (valuations);
        free (work);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

static bool
is_array (const redisReply *reply, size_t elements)
{
    return mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && (elements == 0 || reply->elements == elements);
}

/* Reads the replies of `count` items (all of them) and counts each. */
static bool
count_items (report_t *self, json_t *block, size_t count)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        redisReply *r[R_COUNT];
        for (int k = 0; k < R_COUNT; k++)
            r[k] = mot_redis_read (self->redis);
        if (ok && !(is_array (r[R_FIELDS], F_COUNT) && is_array (r[R_POSITIONS], 2) && is_array (r[R_VALUATIONS], 0)
                    && is_array (r[R_WORK], 0)))
            ok = fail (self, r[R_FIELDS], "could not read the items");
        if (ok && !count_item (self, block, r))
            ok = register_filter_refuse (self->error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "could not draw the map");
        if (ok) {
            for (size_t w = 0; w < r[R_WORK]->elements; w++)
                if (text_of (r[R_WORK]->element[w]))
                    json_object_set_new (self->works, r[R_WORK]->element[w]->str, json_true ());
        }
        for (int k = 0; k < R_COUNT; k++)
            if (r[k])
                freeReplyObject (r[k]);
    }
    return ok;
}

/* What one reading of the items needs (mot_redis_batches). */
typedef struct {
    report_t *self;
    json_t *block;
    redisReply *ids;
} counting_t;

static size_t
ask_counting (void *arg, size_t from, size_t to)
{
    counting_t *counting = arg;
    return ask_items (counting->self, counting->ids, from, to);
}

static bool
take_counting (void *arg, size_t from, size_t asked)
{
    (void) from;
    counting_t *counting = arg;
    return count_items (counting->self, counting->block, asked);
}

/* Counts the items a batch at a time, one batch ahead. */
static bool
count_all (report_t *self, json_t *block, redisReply *ids)
{
    counting_t counting = {self, block, ids};
    bool unasked;
    bool ok = mot_redis_batches (self->redis, ids->elements, BATCH_SIZE, ask_counting, take_counting, &counting,
                                 &unasked);
    if (unasked)
        fail (self, NULL, "could not read the items");
    return ok;
}

/* A breakdown object (clave → row) as an array sorted by clave. */
static json_t *
sorted_rows (json_t *breakdown)
{
    json_t *rows = json_array ();
    const char *key;
    json_t *row;
    json_object_foreach (breakdown, key, row)
        json_array_append (rows, row);
    size_t n = json_array_size (rows);
    for (size_t i = 1; i < n; i++)      /* insertion sort: a few dozen keys */
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get (rows, j - 1), *b = json_array_get (rows, j);
            if (strcmp (json_string_value (json_object_get (a, "clave")), json_string_value (json_object_get (b, "clave")))
                <= 0)
                break;
            json_incref (a);
            json_array_set (rows, j - 1, b);
            json_array_set_new (rows, j, a);
        }
    return rows;
}

static json_t *
block_of (report_t *self, const char *kind, map_svg_t *map)
{
    self->map = map;
    char *key = mot_key_items (kind);
    redisReply *ids = key ? mot_redis_command (self->redis, "ZRANGE %s 0 -1", key) : NULL;
    free (key);
    json_t *block = new_block (self->previous_frozen);
    bool ok = block && is_array (ids, 0);
    if (!ok && block)
        fail (self, ids, "could not read the items");
    if (ok && !count_all (self, block, ids))
        ok = false;
    if (ids)
        freeReplyObject (ids);
    const char *const breakdowns[] = {"por_territorio", "por_categoria", "por_unidad"};
    for (size_t i = 0; ok && i < 3; i++)
        json_object_set_new (block, breakdowns[i], sorted_rows (json_object_get (block, breakdowns[i])));
    if (!ok)
        json_decref (block);
    return ok ? block : NULL;
}

/* ---- obligations and open work --------------------------------------------- */

enum { O_ID, O_UNIT, O_DEADLINE, O_DUE_AT, O_STATUS, O_DELIVERED_ON, O_LATE, O_COUNT };

/* Counts one obligation whose deadline falls in the month. */
static void
count_obligation (report_t *self, json_t *out, redisReply **f)
{
    const char *deadline = text_of (f[O_DEADLINE]), *status = text_of (f[O_STATUS]);
    if (!text_of (f[O_ID]) || !deadline || strncmp (deadline, self->month, 7) != 0 || !status)
        return;
    const char *unit = text_of (f[O_UNIT]) ? f[O_UNIT]->str : "";
    bool overdue = strcmp (status, MOT_STATUS_PENDING) == 0 && text_of (f[O_DUE_AT])
                && self->now > strtoll (f[O_DUE_AT]->str, NULL, 10);
    const char *column = strcmp (status, MOT_STATUS_DELIVERED) == 0        ? "a_tiempo"
                       : strcmp (status, MOT_STATUS_DELIVERED_LATE) == 0   ? "tarde"
                       : overdue || strcmp (status, MOT_STATUS_LEGACY_OVERDUE) == 0 ? "vencidas"
                       : strcmp (status, MOT_STATUS_WAITING) == 0          ? "en_espera"
                                                                           : "pendientes";
    add_to (out, "total", 1);
    add_to (out, column, 1);
    json_t *units = json_object_get (out, "por_unidad_");
    json_t *row = json_object_get (units, unit);
    if (!row) {
        row = json_pack ("{s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "unidad", unit, "total", 0, "a_tiempo", 0, "tarde", 0,
                         "vencidas", 0, "pendientes", 0, "en_espera", 0);
        json_object_set_new (units, unit, row);
    }
    add_to (row, "total", 1);
    add_to (row, column, 1);
    if (strcmp (column, "tarde") == 0)
        json_array_append_new (json_object_get (out, "tarde_detalle"),
                               json_pack ("{s:s,s:s,s:s,s:s?,s:I}", "id", f[O_ID]->str, "unidad", unit, "fecha_limite",
                                          deadline, "entregado_el", text_of (f[O_DELIVERED_ON]), "dias_habiles_atraso",
                                          (json_int_t) (text_of (f[O_LATE]) ? strtoll (f[O_LATE]->str, NULL, 10) : 0)));
    else if (strcmp (column, "vencidas") == 0)
        json_array_append_new (json_object_get (out, "vencidas_detalle"),
                               json_pack ("{s:s,s:s,s:s}", "id", f[O_ID]->str, "unidad", unit, "fecha_limite", deadline));
}

/* Reads the hashes of `ids` (their keys by key_of) with HMGET of `fields`,
 * a batch at a time, and hands each reply's elements to `use`. */
typedef void (use_fn) (report_t *self, json_t *out, redisReply **fields);
static bool
read_each (report_t *self, const char *const *ids, size_t n, char *(*key_of) (const char *),
           const char *const *fields, size_t count, use_fn *use, json_t *out)
{
    bool ok = true;
    for (size_t from = 0; ok && from < n; from += BATCH_SIZE) {
        size_t to = from + BATCH_SIZE < n ? from + BATCH_SIZE : n, sent = 0;
        for (size_t i = from; i < to; i++, sent++) {
            char *key = key_of (ids[i]);
            const char *argv[2 + 16] = {"HMGET", key};
            memcpy (argv + 2, fields, count * sizeof *fields);
            bool appended = key && mot_redis_append (self->redis, (int) (2 + count), argv, NULL);
            free (key);
            if (!appended)
                break;
        }
        for (size_t i = 0; i < sent; i++) {
            redisReply *reply = mot_redis_read (self->redis);
            if (ok && !is_array (reply, count))
                ok = fail (self, reply, "could not read the obligations or the work");
            if (ok)
                use (self, out, reply->element);
            if (reply)
                freeReplyObject (reply);
        }
        if (ok && sent < to - from)
            ok = fail (self, NULL, "could not read the obligations or the work");
    }
    return ok;
}

static int
compare_texts (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static json_t *
obligations_of (report_t *self)
{
    static const char *const fields[O_COUNT] = {MOT_OBL_ID, MOT_OBL_UNIT, MOT_OBL_DEADLINE, MOT_OBL_DUE_AT,
                                                MOT_OBL_STATUS, MOT_OBL_DELIVERED_ON, MOT_OBL_BUSINESS_DAYS_LATE};
    redisReply *ids = mot_redis_command (self->redis, "ZRANGE %s 0 -1", MOT_KEY_OBLS);
    json_t *out = json_pack ("{s:i,s:i,s:i,s:i,s:i,s:i,s:{},s:[],s:[]}", "total", 0, "a_tiempo", 0, "tarde", 0,
                             "vencidas", 0, "pendientes", 0, "en_espera", 0, "por_unidad_", "tarde_detalle",
                             "vencidas_detalle");
    bool ok = out && (is_array (ids, 0) || fail (self, ids, "could not read the obligations"));
    const char **names = ok && ids->elements ? calloc (ids->elements, sizeof *names) : NULL;
    size_t n = 0;
    for (size_t i = 0; names && i < ids->elements; i++)
        if (text_of (ids->element[i]))
            names[n++] = ids->element[i]->str;
    ok = ok && (ids->elements == 0 || names)
      && read_each (self, names, n, mot_key_obligation, fields, O_COUNT, count_obligation, out);
    free (names);
    if (ids)
        freeReplyObject (ids);
    if (!ok) {
        json_decref (out);
        return NULL;
    }
    json_t *units = json_object_get (out, "por_unidad_");
    json_t *rows = json_array ();
    const char *unit;
    json_t *row;
    json_object_foreach (units, unit, row)
        json_array_append (rows, row);
    json_object_set_new (out, "por_unidad", rows);
    json_object_del (out, "por_unidad_");
    return out;
}

enum { W_ID, W_KIND, W_ITEMS, W_RESPONSIBLE, W_DUE_ON, W_STATUS, W_PERCENT, W_COUNT };

static void
count_work (report_t *self, json_t *out, redisReply **f)
{
    (void) self;
    const char *kind = text_of (f[W_KIND]), *status = text_of (f[W_STATUS]);
    if (!text_of (f[W_ID]) || !kind || !status || strcmp (status, MOT_WORK_OPEN) != 0)
        return;
    add_to (out, strcmp (kind, MOT_WORK_AGREEMENT) == 0        ? "acuerdos"
                 : strcmp (kind, MOT_WORK_RECOMMENDATION) == 0 ? "recomendaciones"
                                                              : "acciones",
            1);
    json_array_append_new (json_object_get (out, "detalle"),
                           json_pack ("{s:s,s:s,s:s?,s:s?,s:s?,s:I}", "id", f[W_ID]->str, "tipo", kind, "items",
                                      text_of (f[W_ITEMS]), "responsable", text_of (f[W_RESPONSIBLE]), "vence",
                                      text_of (f[W_DUE_ON]),
                                      "avance", (json_int_t) (text_of (f[W_PERCENT]) ? atoll (f[W_PERCENT]->str) : 0)));
}

static json_t *
open_work_of (report_t *self)
{
    static const char *const fields[W_COUNT] = {MOT_WORK_ID, MOT_WORK_KIND, MOT_WORK_ITEMS, MOT_WORK_RESPONSIBLE,
                                                MOT_WORK_DUE_ON, MOT_WORK_STATUS, MOT_WORK_PERCENT};
    json_t *out = json_pack ("{s:i,s:i,s:i,s:[]}", "acciones", 0, "acuerdos", 0, "recomendaciones", 0, "detalle");
    /* the work ids the items named, sorted */
    size_t n = json_object_size (self->works), k = 0;
    const char **ids = n ? calloc (n, sizeof *ids) : NULL;
    const char *id;
    json_t *value;
    json_object_foreach (self->works, id, value)
        if (ids)
            ids[k++] = id;
    if (ids)
        qsort (ids, n, sizeof *ids, compare_texts);
    bool ok = out && (n == 0 || ids) && read_each (self, ids, n, mot_key_work, fields, W_COUNT, count_work, out);
    free (ids);
    if (!ok) {
        json_decref (out);
        return NULL;
    }
    return out;
}

/* ---- the report ---------------------------------------------------------- */

static bool
read_months (report_t *self, const char *month)
{
    int year, number;
    if (!month || !mot_period_parse (month, &year, &number))
        return register_filter_refuse (self->error, MOT__V1__ERROR_CODE__INVALID_VALUE, "period",
                                       "expected a month, YYYY-MM");
    snprintf (self->month, sizeof self->month, "%04d-%02d", year % 10000, number);
    int before = year * 12 + number - 2;
    snprintf (self->previous, sizeof self->previous, "%04d-%02d", (before / 12) % 10000, before % 12 + 1);
    redisReply *reply = mot_redis_command (self->redis, "HMGET %s %s %s", MOT_KEY_PERIODS, self->month, self->previous);
    bool ok = is_array (reply, 2);
    if (!ok)
        fail (self, reply, "could not read the periods");
    else
    if (!text_of (reply->element[0]))
        ok = register_filter_refuse (self->error, MOT__V1__ERROR_CODE__INVALID_VALUE, "period",
                                     "no positions frozen for that month (not closed yet, or before the first freeze)");
    else
        self->previous_frozen = text_of (reply->element[1]) != NULL;
    if (reply)
        freeReplyObject (reply);
    return ok;
}

/* The maps' titles: the month, compared with the month before when it was
 * frozen (what map_query draws for MAP_* with that period and compare). */
static bool
set_map_periods (report_t *self)
{
    for (int i = 0; i < 2; i++)
        if (self->maps[i] && !map_svg_set_periods (self->maps[i], self->month,
                                                   self->previous_frozen ? self->previous : NULL))
            return register_filter_refuse (self->error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "could not draw the map");
    return true;
}

json_t *
monthly_report_data_maps (mot_redis_t *redis, const char *month, int64_t now, map_svg_t *mupoi, map_svg_t *muro,
                          register_filter_error_t *error)
{
    report_t self = {.redis = redis, .now = now, .maps = {mupoi, muro}, .error = error};
    if (!read_months (&self, month) || !set_map_periods (&self))
        return NULL;
    self.works = json_object ();
    json_t *report = json_pack ("{s:s,s:s,s:b}", "periodo", self.month, "anterior", self.previous,
                                "anterior_congelado", self.previous_frozen);
    json_t *problematicas = report && self.works ? block_of (&self, MOT_KIND_PROBLEMATICA, mupoi) : NULL;
    json_t *riesgos = problematicas ? block_of (&self, MOT_KIND_RIESGO, muro) : NULL;
    json_t *obligations = riesgos ? obligations_of (&self) : NULL;
    json_t *work = obligations ? open_work_of (&self) : NULL;
    if (work) {
        json_object_set_new (report, "problematicas", problematicas);
        json_object_set_new (report, "riesgos", riesgos);
        json_object_set_new (report, "obligaciones", obligations);
        json_object_set_new (report, "trabajo_abierto", work);
    }
    else {
        if (!problematicas || !riesgos || !obligations)
            if (error->code == MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED)
                register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        json_decref (problematicas);
        json_decref (riesgos);
        json_decref (obligations);
        json_decref (report);
        report = NULL;
    }
    json_decref (self.works);
    return report;
}

json_t *
monthly_report_data (mot_redis_t *redis, const char *month, int64_t now, register_filter_error_t *error)
{
    return monthly_report_data_maps (redis, month, now, NULL, NULL, error);
}
