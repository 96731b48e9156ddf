/*  map_query — the items of one of the norm's two maps (see map_query.h).
 */
#include "map_query.h"
#include "map_svg.h"
#include "mot_date.h"
#include "mot_schema.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_SIZE 500

typedef struct {
    mot_redis_t *redis;
    map_svg_t *map;
    register_filter_t filter;   /* the query's, over open and closed items */
    const char *period;         /* NULL: now */
    const char *compare;        /* NULL: no movement */
} map_t;

/* A place on the map: scores 1..10, or none. */
typedef struct {
    bool has;
    int impact, vertical, quadrant;
} place_t;

/* A refusal for a Redis reply that failed (NULL: no connection). */
static bool
redis_failed (register_filter_error_t *error, const redisReply *reply, const char *reason)
{
    return register_filter_refuse (error, reply ? MOT__V1__ERROR_CODE__INTERNAL : MOT__V1__ERROR_CODE__UNAVAILABLE,
                                   NULL, reason);
}

static const char *
given (const char *value)
{
    return value && *value ? value : NULL;
}

/* ---- the months asked --------------------------------------------------- */

/* Whether `month` (YYYY-MM) has frozen positions; false with *error. */
static bool
is_frozen (mot_redis_t *redis, const char *month, const char *field, register_filter_error_t *error)
{
    int year, number;
    if (!mot_period_parse (month, &year, &number))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "expected a month, YYYY-MM");
    redisReply *reply = mot_redis_command (redis, "HEXISTS %s %s", MOT_KEY_PERIODS, month);
    bool ok = mot_reply_ok (reply) && reply->type == REDIS_REPLY_INTEGER;
    bool frozen = ok && reply->integer == 1;
    if (reply)
        freeReplyObject (reply);
    if (!ok)
        return redis_failed (error, reply, "could not read the periods");
    if (!frozen)
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, field,
                                       "no positions frozen for that month (not closed yet, or before the first freeze)");
    return true;
}

/* Checks the query's months and scope into the map; false with *error. */
static bool
read_months (map_t *self, const Mot__V1__Query *query, int64_t now, register_filter_error_t *error)
{
    if (register_filter_wants_closed (&self->filter))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "closed",
                                       "a map shows open items (those closed since --compare are marked)");
    self->period = given (query->period);
    self->compare = given (query->compare);
    if (self->period && !is_frozen (self->redis, self->period, "period", error))
        return false;
    if (self->compare && !is_frozen (self->redis, self->compare, "compare", error))
        return false;
    char current[MOT_DAY_TEXT_SIZE];
    mot_day_format (mot_day_local_of (now), current);
    current[7] = '\0';                  /* YYYY-MM */
    if (self->compare && strcmp (self->compare, self->period ? self->period : current) >= 0)
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "compare",
                                       "compare must be before the period shown");
    self->filter.scope = REGISTER_ALL_ITEMS;  /* closed ones may be marked */
    return true;
}

/* ---- one item ------------------------------------------------------------ */

static const char *
field_of (redisReply *hash, const char *field)
{
    for (size_t i = 0; i + 1 < hash->elements; i += 2)
        if (hash->element[i]->type == REDIS_REPLY_STRING && strcmp (hash->element[i]->str, field) == 0)
            return hash->element[i + 1]->type == REDIS_REPLY_STRING ? hash->element[i + 1]->str : NULL;
    return NULL;
}

/* The item's effective place now, none when it is closed. */
static place_t
place_now (redisReply *hash)
{
    place_t place = {false, 0, 0, 0};
    const char *stage = field_of (hash, MOT_ITEM_STAGE), *impact = field_of (hash, MOT_ITEM_IMPACT);
    const char *vertical = field_of (hash, MOT_ITEM_VERTICAL), *quadrant = field_of (hash, MOT_ITEM_QUADRANT);
    if (!stage || strcmp (stage, MOT_STAGE_CERRADO) == 0 || !impact || !vertical || !quadrant)
        return place;
    place = (place_t) {true, atoi (impact), atoi (vertical), atoi (quadrant)};
    return place;
}

/* The place frozen in a position (an HMGET element), none when absent. */
static place_t
place_frozen (redisReply *value)
{
    mot_position_t position;
    if (!value || value->type != REDIS_REPLY_STRING || !mot_position_parse (value->str, &position))
        return (place_t) {false, 0, 0, 0};
    return (place_t) {true, position.impact, position.vertical, position.quadrant};
}

/* Puts the item (its hash, its positions at period and compare) on the map. */
static bool
place_item (map_t *self, redisReply *hash, redisReply *positions)
{
    const char *id = field_of (hash, MOT_ITEM_ID);
    if (!id)
        return true;                    /* gone meanwhile */
    place_t shown = self->period ? place_frozen (positions->element[0]) : place_now (hash);
    place_t was = self->compare ? place_frozen (positions->element[1]) : (place_t) {false, 0, 0, 0};
    if (!register_filter_admits (&self->filter, hash, shown.has ? shown.quadrant : was.quadrant))
        return true;
    if (shown.has)
        return map_svg_add_item (self->map, id, shown.impact, shown.vertical, was.impact, was.vertical);
    if (was.has)
        return map_svg_add_closed (self->map, id, was.impact, was.vertical);
    return true;
}

/* ---- the items, a batch at a time ------------------------------------------ */

/* Sends, per id of [from, to), HGETALL of the item and HMGET of its
 * positions at period and compare; returns how many ids were sent. */
static size_t
ask_batch (map_t *self, redisReply *ids, size_t from, size_t to)
{
    size_t sent = 0;
    for (size_t i = from; i < to && ids->element[i]->type == REDIS_REPLY_STRING; i++) {
        char *item = mot_key_item (ids->element[i]->str), *positions = mot_key_item_positions (ids->element[i]->str);
        const char *hgetall[] = {"HGETALL", item};
        const char *hmget[] = {"HMGET", positions, self->period ? self->period : "-", self->compare ? self->compare : "-"};
        bool ok = item && positions && mot_redis_append (self->redis, 2, hgetall, NULL)
               && mot_redis_append (self->redis, 4, hmget, NULL);
        free (item);
        free (positions);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

/* Reads the replies of `count` ids (all of them: the connection stays in
 * step) and places each item. */
static bool
place_batch (map_t *self, size_t count, register_filter_error_t *error)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        redisReply *hash = mot_redis_read (self->redis), *positions = mot_redis_read (self->redis);
        if (ok && !(mot_reply_ok (hash) && hash->type == REDIS_REPLY_ARRAY && mot_reply_ok (positions)
                    && positions->type == REDIS_REPLY_ARRAY && positions->elements == 2))
            ok = redis_failed (error, hash && positions ? hash : NULL, "could not read the items");
        if (ok && !place_item (self, hash, positions))
            ok = register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        if (hash)
            freeReplyObject (hash);
        if (positions)
            freeReplyObject (positions);
    }
    return ok;
}

static bool
place_items (map_t *self, const char *kind, register_filter_error_t *error)
{
    char *key = mot_key_items (kind);
    redisReply *ids = key ? mot_redis_command (self->redis, "ZRANGE %s 0 -1", key) : NULL;
    free (key);
    bool ok = mot_reply_ok (ids) && ids->type == REDIS_REPLY_ARRAY;
    if (!ok)
        redis_failed (error, ids, "could not read the items");
    for (size_t from = 0; ok && from < ids->elements; from += BATCH_SIZE) {
        size_t to = from + BATCH_SIZE < ids->elements ? from + BATCH_SIZE : ids->elements;
        size_t sent = ask_batch (self, ids, from, to);
        ok = place_batch (self, sent, error);
        if (ok && sent < to - from)
            ok = register_filter_refuse (error, MOT__V1__ERROR_CODE__UNAVAILABLE, NULL, "could not read the items");
    }
    if (ids)
        freeReplyObject (ids);
    return ok;
}

char *
map_query_svg (mot_redis_t *redis, const Mot__V1__Query *query, const register_filter_t *filter, int64_t now,
               const char *link, size_t *size, register_filter_error_t *error)
{
    bool muro = query->kind == MOT__V1__QUERY_KIND__MAP_MURO;
    map_t self = {redis, NULL, *filter, NULL, NULL};
    if (!read_months (&self, query, now, error))
        return NULL;
    self.map = map_svg_new (muro ? MAP_SVG_MURO : MAP_SVG_MUPOI);
    char *svg = NULL;
    if (!self.map || !map_svg_set_periods (self.map, self.period, self.compare) || !map_svg_set_link (self.map, link))
        register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    else
    if (place_items (&self, muro ? MOT_KIND_RIESGO : MOT_KIND_PROBLEMATICA, error)) {
        svg = map_svg_render (self.map, size);
        if (!svg)
            register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "could not draw the map");
    }
    map_svg_destroy (&self.map);
    return svg;
}
