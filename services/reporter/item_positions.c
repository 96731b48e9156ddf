/*  item_positions — an item's evolution period by period (see
 *  item_positions.h).
 */
#include "item_positions.h"
#include "mot_date.h"
#include "mot_schema.h"
#include "mot_score.h"

#include <czmq.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The replies read, in this order. */
enum { R_ITEM, R_POSITIONS, R_PERIODS, R_VALUATIONS, R_COUNT };
/* The item's fields (HMGET), in this order. */
enum { F_ID, F_IMPACT, F_VERTICAL, F_QUADRANT, F_STAGE, F_COUNT };

static const char *
text_of (const redisReply *value)
{
    return value && value->type == REDIS_REPLY_STRING ? value->str : NULL;
}

/* The value of `field` in a flat HGETALL reply, NULL when absent. */
static const char *
field_of (const redisReply *hash, const char *field)
{
    for (size_t i = 0; i + 1 < hash->elements; i += 2)
        if (text_of (hash->element[i]) && strcmp (hash->element[i]->str, field) == 0)
            return text_of (hash->element[i + 1]);
    return NULL;
}

static void
set_day (json_t *line, const char *name, long long unix_seconds)
{
    char day[MOT_DAY_TEXT_SIZE];
    mot_day_format (mot_day_local_of ((int64_t) unix_seconds), day);
    json_object_set_new (line, name, json_string (day));
}

/* The scores, quadrant and colour of a position into `line`. */
static void
set_scores (json_t *line, int impact, int vertical, int quadrant)
{
    json_object_set_new (line, "impacto", json_integer (impact));
    json_object_set_new (line, "vertical", json_integer (vertical));
    json_object_set_new (line, "cuadrante", json_string (mot_score_quadrant_roman (quadrant)));
    json_object_set_new (line, "color", json_string (mot_score_quadrant_colour (quadrant)));
}

/* The line of `period` in `lines` (made when missing); NULL when out of memory. */
static json_t *
line_of (json_t *lines, const char *period)
{
    json_t *line = json_object_get (lines, period);
    if (line)
        return line;
    line = json_object ();
    if (!line || json_object_set_new (lines, period, line) != 0)
        return NULL;
    json_object_set_new (line, "periodo", json_string (period));
    return line;
}

/* A line per frozen position. */
static bool
add_positions (json_t *lines, const redisReply *positions, const redisReply *periods)
{
    for (size_t i = 0; i + 1 < positions->elements; i += 2) {
        const char *period = text_of (positions->element[i]);
        mot_position_t position;
        if (!period || !mot_position_parse (text_of (positions->element[i + 1]), &position))
            continue;                   /* not ours: skipped */
        json_t *line = line_of (lines, period);
        if (!line)
            return false;
        set_scores (line, position.impact, position.vertical, position.quadrant);
        json_object_set_new (line, "etapa", json_string (position.stage));
        const char *frozen_at = field_of (periods, period);
        if (frozen_at)
            set_day (line, "congelado_el", strtoll (frozen_at, NULL, 10));
    }
    return true;
}

/* The valuation as listed among a month's late ones. */
static json_t *
late_entry_of (json_t *valuation)
{
    json_t *entry = json_object ();
    if (!entry)
        return NULL;
    json_object_set (entry, "valorada_el", json_object_get (valuation, "valued_on"));
    json_int_t quadrant = json_integer_value (json_object_get (valuation, "quadrant"));
    set_scores (entry, (int) json_integer_value (json_object_get (valuation, "impact")),
                (int) json_integer_value (json_object_get (valuation, "vertical")), (int) quadrant);
    json_object_set (entry, "resultado", json_object_get (valuation, "resolution"));
    set_day (entry, "registrada_el", json_integer_value (json_object_get (valuation, "at")));
    json_object_set (entry, "event_id", json_object_get (valuation, "event_id"));
    return entry;
}

/* Each valuation recorded after its month was frozen, listed with that month. */
static bool
add_late_valuations (json_t *lines, const redisReply *valuations, const redisReply *periods)
{
    bool ok = true;
    for (size_t i = 0; ok && i < valuations->elements; i++) {
        json_t *valuation = text_of (valuations->element[i]) ? json_loads (valuations->element[i]->str, 0, NULL) : NULL;
        const char *month = json_string_value (json_object_get (valuation, "month"));
        const char *frozen_at = month ? field_of (periods, month) : NULL;
        if (frozen_at && json_integer_value (json_object_get (valuation, "at")) > strtoll (frozen_at, NULL, 10)) {
            json_t *line = line_of (lines, month);
            json_t *late = line ? json_object_get (line, "valoraciones_tardias") : NULL;
            if (line && !late && json_object_set_new (line, "valoraciones_tardias", json_array ()) == 0)
                late = json_object_get (line, "valoraciones_tardias");
            ok = late && json_array_append_new (late, late_entry_of (valuation)) == 0;
        }
        json_decref (valuation);
    }
    return ok;
}

static int
compare_texts (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The lines, oldest month first, then `now`'s, as one buffer. */
static char *
render (json_t *lines, json_t *now)
{
    size_t count = json_object_size (lines);
    const char **periods = calloc (count + 1, sizeof *periods);
    if (!periods)
        return NULL;
    size_t n = 0;
    const char *period;
    json_t *line;
    json_object_foreach (lines, period, line)
        periods[n++] = period;
    qsort (periods, n, sizeof *periods, compare_texts);
    zchunk_t *out = zchunk_new (NULL, 256);
    bool ok = out != NULL;
    for (size_t i = 0; ok && i <= n; i++) {
        char *text = json_dumps (i < n ? json_object_get (lines, periods[i]) : now, JSON_COMPACT | JSON_PRESERVE_ORDER);
        ok = text && zchunk_extend (out, text, strlen (text)) && zchunk_extend (out, "\n", 1);
        free (text);
    }
    free (periods);
    char *body = ok ? strndup ((const char *) zchunk_data (out), zchunk_size (out)) : NULL;
    zchunk_destroy (&out);
    return body;
}

/* The line of the item's position now. */
static json_t *
now_of (const redisReply *item)
{
    json_t *now = json_object ();
    if (!now)
        return NULL;
    json_object_set_new (now, "periodo", json_string ("actual"));
    const char *impact = text_of (item->element[F_IMPACT]), *vertical = text_of (item->element[F_VERTICAL]);
    const char *quadrant = text_of (item->element[F_QUADRANT]);
    if (impact && vertical && quadrant)
        set_scores (now, atoi (impact), atoi (vertical), atoi (quadrant));
    json_object_set_new (now, "etapa", json_string (text_of (item->element[F_STAGE]) ? item->element[F_STAGE]->str : ""));
    return now;
}

static char *
positions_of (redisReply **r, Mot__V1__ErrorCode *code)
{
    *code = MOT__V1__ERROR_CODE__INTERNAL;
    if (r[R_ITEM]->type != REDIS_REPLY_ARRAY || r[R_ITEM]->elements != F_COUNT || r[R_POSITIONS]->type != REDIS_REPLY_ARRAY
        || r[R_PERIODS]->type != REDIS_REPLY_ARRAY || r[R_VALUATIONS]->type != REDIS_REPLY_ARRAY)
        return NULL;
    if (!text_of (r[R_ITEM]->element[F_ID])) {
        *code = MOT__V1__ERROR_CODE__INVALID_VALUE;
        return NULL;
    }
    json_t *lines = json_object (), *now = now_of (r[R_ITEM]);
    char *body = lines && now && add_positions (lines, r[R_POSITIONS], r[R_PERIODS])
                      && add_late_valuations (lines, r[R_VALUATIONS], r[R_PERIODS])
                   ? render (lines, now)
                   : NULL;
    json_decref (lines);
    json_decref (now);
    return body;
}

char *
item_positions_json (mot_redis_t *redis, const char *item_id, size_t *size, Mot__V1__ErrorCode *code)
{
    if (!item_id || !*item_id) {
        *code = MOT__V1__ERROR_CODE__MISSING_FIELD;
        return NULL;
    }
    char *item = mot_key_item (item_id), *positions = mot_key_item_positions (item_id);
    char *valuations = mot_key_item_valuations (item_id);
    const char *hmget[2 + F_COUNT] = {"HMGET", item, MOT_ITEM_ID, MOT_ITEM_IMPACT, MOT_ITEM_VERTICAL,
                                      MOT_ITEM_QUADRANT, MOT_ITEM_STAGE};
    const char *hgetall[] = {"HGETALL", positions};
    const char *periods[] = {"HGETALL", MOT_KEY_PERIODS};
    const char *lrange[] = {"LRANGE", valuations, "0", "-1"};
    bool sent = item && positions && valuations && mot_redis_append (redis, 2 + F_COUNT, hmget, NULL)
             && mot_redis_append (redis, 2, hgetall, NULL) && mot_redis_append (redis, 2, periods, NULL)
             && mot_redis_append (redis, 4, lrange, NULL);
    redisReply *r[R_COUNT] = {NULL};
    bool read = sent;
    for (int i = 0; sent && i < R_COUNT; i++) {
        r[i] = mot_redis_read (redis);
        read = read && mot_reply_ok (r[i]);
    }
    char *body = NULL;
    *code = MOT__V1__ERROR_CODE__UNAVAILABLE;
    if (read)
        body = positions_of (r, code);
    for (int i = 0; i < R_COUNT; i++)
        if (r[i])
            freeReplyObject (r[i]);
    free (item);
    free (positions);
    free (valuations);
    if (body)
        *size = strlen (body);
    return body;
}
