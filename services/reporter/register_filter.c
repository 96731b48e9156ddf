/*  register_filter — which items a register query shows (see
 *  register_filter.h).
 */
#include "register_filter.h"

#include "mot_schema.h"
#include "mot_text.h"
#include "mot_wire.h"

#include <string.h>

#define STAGE_NAME(name, text) name,
static const char *const stages[] = {MOT_STAGES (STAGE_NAME)};

/* ---- reading the Query ------------------------------------------------ */

bool
register_filter_refuse (register_filter_error_t *error, Mot__V1__ErrorCode code, const char *field, const char *reason)
{
    error->code = code;
    error->field = field;
    error->reason = reason;
    return false;
}

/* A string filter: NULL when left out (absent or empty). */
static const char *
given (const char *value)
{
    return value && *value ? value : NULL;
}

static bool
is_stage (const char *name)
{
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp (stages[i], name) == 0)
            return true;
    return false;
}

static bool
is_unit (const char *name)
{
    Mot__V1__Source source;
    return mot_source_parse (name, &source) && source != MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
}

static bool
takes_filters (const Mot__V1__Query *query)
{
    return !(query->has_kind && query->kind == MOT__V1__QUERY_KIND__OBLIGATIONS);
}

static bool
has_any_filter (const register_filter_t *filter, const Mot__V1__Query *query)
{
    return filter->unit || filter->territory || filter->on || filter->category || query->has_quadrant
           || filter->stage || (query->has_closed && query->closed) || (query->has_all && query->all);
}

/* The first text filter that is not UTF-8, or NULL. */
static const char *
field_not_utf8 (const register_filter_t *filter)
{
    const char *const values[] = {filter->unit, filter->territory, filter->on, filter->category, filter->stage};
    const char *const names[] = {"unit", "territory", "on", "category", "stage"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (values[i] && !mot_text_is_utf8 (values[i], strlen (values[i])))
            return names[i];
    return NULL;
}

static bool
check_values (const register_filter_t *filter, const Mot__V1__Query *query, mot_catalog_t *territories,
              register_filter_error_t *error)
{
    const char *not_utf8 = field_not_utf8 (filter);
    if (not_utf8)
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_UTF8, not_utf8, "filter is not valid UTF-8");
    if (filter->unit && !is_unit (filter->unit))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "unit",
                                       "unknown unit (UEOD, UAD, UCS, CV, CAPSOI)");
    if (filter->territory && territories && !mot_catalog_has (territories, filter->territory))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY, "territory", "territory not in the catalogue");
    if (query->has_quadrant && (query->quadrant < 1 || query->quadrant > 4))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "quadrant", "quadrant must be 1..4");
    if (filter->stage && !is_stage (filter->stage))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "stage",
                                       "unknown stage (identificacion, seguimiento, monitoreo, mejora_continua, cerrado)");
    if (query->has_closed && query->closed && query->has_all && query->all)
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "all", "closed and all exclude each other");
    return true;
}

bool
register_filter_read (register_filter_t *filter, const Mot__V1__Query *query, mot_catalog_t *territories,
                      register_filter_error_t *error)
{
    *filter = (register_filter_t) {
        .unit = given (query->unit),
        .territory = given (query->territory),
        .on = given (query->on),
        .category = given (query->category),
        .quadrant = query->has_quadrant ? (int) query->quadrant : 0,
        .stage = given (query->stage),
        .scope = query->has_all && query->all ? REGISTER_ALL_ITEMS
                 : query->has_closed && query->closed ? REGISTER_CLOSED_ITEMS
                                                      : REGISTER_OPEN_ITEMS,
    };
    if (!takes_filters (query) && has_any_filter (filter, query))
        return register_filter_refuse (error, MOT__V1__ERROR_CODE__INVALID_VALUE, "kind", "OBLIGATIONS takes no item filter");
    if (!check_values (filter, query, territories, error))
        return false;
    if (filter->stage && strcmp (filter->stage, MOT_STAGE_CERRADO) == 0 && filter->scope == REGISTER_OPEN_ITEMS)
        filter->scope = REGISTER_CLOSED_ITEMS;
    return true;
}

bool
register_filter_wants_closed (const register_filter_t *filter)
{
    return filter->scope != REGISTER_OPEN_ITEMS;
}

/* ---- matching an item ---------------------------------------------------- */

/* The value of `name` in the item's hash; NULL when absent or empty. */
static const char *
item_field (redisReply *hash, const char *name)
{
    const redisReply *value = mot_reply_field (hash, name);
    return value && value->type == REDIS_REPLY_STRING && value->len > 0 ? value->str : NULL;
}

/* A filter left out passes; a given one needs the same value. */
static bool
same (const char *wanted, const char *value)
{
    return !wanted || (value && strcmp (wanted, value) == 0);
}

/* The units that detected the item (its source for an item stored before
 * units were kept), NULL when none. */
static const char *
units_of (redisReply *hash)
{
    const char *units = item_field (hash, MOT_ITEM_UNITS);
    return units ? units : item_field (hash, MOT_ITEM_SOURCE);
}

static bool
detected_by (redisReply *hash, const char *unit)
{
    const char *units = units_of (hash);
    return !unit || mot_text_listed (units, unit, strlen (unit));
}

static bool
detected_within (redisReply *hash, mot_grant_set_t within)
{
    return !within || mot_grant_has_any_unit (within, units_of (hash));
}

static bool
in_scope (const register_filter_t *filter, redisReply *hash)
{
    const char *stage = item_field (hash, MOT_ITEM_STAGE);
    bool closed = stage && strcmp (stage, MOT_STAGE_CERRADO) == 0;
    switch (filter->scope) {
    case REGISTER_CLOSED_ITEMS:
        return closed;
    case REGISTER_ALL_ITEMS:
        return true;
    default:
        return !closed;
    }
}

bool
register_filter_admits (const register_filter_t *filter, redisReply *hash, int quadrant)
{
    return in_scope (filter, hash)
           && same (filter->stage, item_field (hash, MOT_ITEM_STAGE))
           && detected_by (hash, filter->unit)
           && detected_within (hash, filter->within)
           && same (filter->territory, item_field (hash, MOT_ITEM_TERRITORY))
           && same (filter->on, item_field (hash, MOT_ITEM_ON))
           && same (filter->category, item_field (hash, MOT_ITEM_CATEGORY))
           && (filter->quadrant == 0 || filter->quadrant == quadrant);
}
