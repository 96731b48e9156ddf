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

/* The item fields a map reads (HMGET), in this order: where it is now, then
 * what the filters look at (asked only when a filter is given). */
enum { F_ID, F_STAGE, F_IMPACT, F_VERTICAL, F_QUADRANT, F_UNITS, F_SOURCE, F_TERRITORY, F_ON, F_CATEGORY, F_COUNT };
static const char *const field_names[F_COUNT] = {MOT_ITEM_ID,    MOT_ITEM_STAGE,  MOT_ITEM_IMPACT,    MOT_ITEM_VERTICAL,
                                                 MOT_ITEM_QUADRANT, MOT_ITEM_UNITS, MOT_ITEM_SOURCE, MOT_ITEM_TERRITORY,
                                                 MOT_ITEM_ON,    MOT_ITEM_CATEGORY};
#define PLACE_FIELDS 5          /* F_ID .. F_QUADRANT */

/* Whether the filter looks at more than the scope and the quadrant. */
static bool
filters_fields (const register_filter_t *filter)
{
    return filter->unit || filter->territory || filter->on || filter->category || filter->stage || filter->within;
}

static const char *
field_of (redisReply *fields, int index)
{
    redisReply *value = index < (int) fields->elements ? fields->element[index] : NULL;
    return value && value->type == REDIS_REPLY_STRING ? value->str : NULL;
}

/* The item's effective place now, none when it is closed. */
static place_t
place_now (redisReply *fields)
{
    place_t place = {false, 0, 0, 0};
    const char *stage = field_of (fields, F_STAGE), *impact = field_of (fields, F_IMPACT);
    const char *vertical = field_of (fields, F_VERTICAL), *quadrant = field_of (fields, F_QUADRANT);
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

/* Whether the filter admits the item: it is handed the fields read as the
 * name/value pairs of an HGETALL reply, which is what it reads. */
static bool
is_admitted (map_t *self, redisReply *fields, int quadrant)
{
    redisReply names[F_COUNT];
    redisReply *pairs[2 * F_COUNT];
    size_t count = !fields ? 0 : fields->elements < F_COUNT ? fields->elements : F_COUNT;
    for (size_t i = 0; i < count; i++) {
        names[i] = (redisReply) {.type = REDIS_REPLY_STRING, .str = (char *) field_names[i],
                                 .len = strlen (field_names[i])};
        pairs[2 * i] = &names[i];
        pairs[2 * i + 1] = fields->element[i];
    }
    redisReply view = {.type = REDIS_REPLY_ARRAY, .elements = 2 * count, .element = pairs};
    return register_filter_admits (&self->filter, &view, quadrant);
}

/* Puts the item on the map: `id` from the index, its fields (NULL when not
 * asked: a period shown and no filter on them), its positions at period
 * and compare (NULL when not asked). */
static bool
place_item (map_t *self, const char *id, redisReply *fields, redisReply *positions)
{
    if (fields && !field_of (fields, F_ID))
        return true;                    /* gone meanwhile */
    place_t none = {false, 0, 0, 0};
    place_t shown = self->period ? place_frozen (positions->element[0]) : place_now (fields);
    place_t was = self->compare ? place_frozen (positions->element[1]) : none;
    if (!is_admitted (self, fields, shown.has ? shown.quadrant : was.quadrant))
        return true;
    if (shown.has)
        return map_svg_add_item (self->map, id, shown.impact, shown.vertical, was.impact, was.vertical);
    if (was.has)
        return map_svg_add_closed (self->map, id, was.impact, was.vertical);
    return true;
}

/* ---- the items, a batch at a time ------------------------------------------ */

/* Whether the map needs the items' frozen positions. */
static bool
wants_positions (map_t *self)
{
    return self->period || self->compare;
}

/* Whether the map needs the items' fields: for where they are now, or for
 * a filter (items are never deleted: a period's map needs only the
 * positions). */
static bool
wants_fields (map_t *self)
{
    return !self->period || filters_fields (&self->filter);
}

/* Sends, per id of [from, to), HMGET of the item's fields (when wanted)
 * and, with a period or a comparison, HMGET of its positions at them;
 * returns how many ids were sent. */
static size_t
ask_batch (map_t *self, redisReply *ids, size_t from, size_t to)
{
    const char *hmget[2 + F_COUNT] = {"HMGET"};
    memcpy (hmget + 2, field_names, sizeof field_names);
    int argc = 2 + (filters_fields (&self->filter) ? F_COUNT : PLACE_FIELDS);
    size_t sent = 0;
    for (size_t i = from; i < to && ids->element[i]->type == REDIS_REPLY_STRING; i++) {
        char *item = mot_key_item (ids->element[i]->str), *positions = mot_key_item_positions (ids->element[i]->str);
        hmget[1] = item;
        const char *at[] = {"HMGET", positions, self->period ? self->period : "-", self->compare ? self->compare : "-"};
        bool ok = item && positions && (!wants_fields (self) || mot_redis_append (self->redis, argc, hmget, NULL))
               && (!wants_positions (self) || mot_redis_append (self->redis, 4, at, NULL));
        free (item);
        free (positions);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

/* Reads the replies of `count` ids and places each item; false with *error
 * at the first failure (the replies left are not read). */
static bool
place_batch (map_t *self, redisReply *ids, size_t from, size_t count, register_filter_error_t *error)
{
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        redisReply *fields = wants_fields (self) ? mot_redis_read (self->redis) : NULL;
        redisReply *positions = wants_positions (self) ? mot_redis_read (self->redis) : NULL;
        bool fields_ok = !wants_fields (self) || (mot_reply_ok (fields) && fields->type == REDIS_REPLY_ARRAY);
        bool positions_ok = !wants_positions (self)
                         || (mot_reply_ok (positions) && positions->type == REDIS_REPLY_ARRAY && positions->elements == 2);
        if (!fields_ok || !positions_ok)
            ok = redis_failed (error, !fields_ok ? fields : positions, "could not read the items");
        if (ok && !place_item (self, ids->element[from + i]->str, fields, positions))
            ok = register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        if (fields)
            freeReplyObject (fields);
        if (positions)
            freeReplyObject (positions);
    }
    return ok;
}

/* What one reading of the items needs (mot_redis_batches). */
typedef struct {
    map_t *self;
    redisReply *ids;
    register_filter_error_t *error;
} placing_t;

static size_t
ask_placing (void *arg, size_t from, size_t to)
{
    placing_t *placing = arg;
    return ask_batch (placing->self, placing->ids, from, to);
}

static bool
take_placing (void *arg, size_t from, size_t asked)
{
    placing_t *placing = arg;
    return place_batch (placing->self, placing->ids, from, asked, placing->error);
}

/* Places the items a batch at a time, one batch ahead. */
static bool
place_all (map_t *self, redisReply *ids, register_filter_error_t *error)
{
    placing_t placing = {self, ids, error};
    bool unasked;
    bool ok = mot_redis_batches (self->redis, ids->elements, BATCH_SIZE, ask_placing, take_placing, &placing, &unasked);
    if (unasked)
        register_filter_refuse (error, MOT__V1__ERROR_CODE__UNAVAILABLE, NULL, "could not read the items");
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
    else
        ok = place_all (self, ids, error);
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
