/*  register_filter — which items a register query shows.
 *
 *  Owns: reading the filters of a Query (unit, territory, on, category,
 *  quadrant, stage, closed, all), refusing bad values with a typed error
 *  that names the field, and deciding whether a stored item passes. The
 *  filters combine with AND:
 *    unit       one of the units that detected the item (the item's units,
 *               else its source for items stored before units were kept);
 *               a unit name of the contract (UEOD, UAD, UCS, CV, CAPSOI)
 *    territory  the item's territory code; must be in the catalogue
 *    on, category  the effective ON and category, exactly as stored (no
 *               catalogue of them: an unknown value matches nothing)
 *    quadrant   1..4, the quadrant the register shows
 *    stage      one of MOT_STAGES
 *    closed, all   which items by closure: open ones (stage not cerrado)
 *               by default, closed ones only with closed, both with all;
 *               stage cerrado asks for closed items by itself
 *    within     not from a Query: a set of units (mot_grant.h), one of
 *               which detected the item (a dashboard account's units;
 *               0: any)
 *  An empty string is a filter left out. OBLIGATIONS takes no filter.
 *  A filter borrows its strings from the Query it was read from.
 */
#ifndef REGISTER_FILTER_H_INCLUDED
#define REGISTER_FILTER_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_grant.h"
#include "mot_redis.h"
#include <stdbool.h>

typedef enum {
    REGISTER_OPEN_ITEMS,        /* the default: items not closed */
    REGISTER_CLOSED_ITEMS,
    REGISTER_ALL_ITEMS,
} register_scope_t;

typedef struct {
    const char *unit;           /* NULL: any */
    const char *territory;
    const char *on;
    const char *category;
    int quadrant;               /* 0: any */
    const char *stage;
    register_scope_t scope;
    mot_grant_set_t within;     /* 0: any unit */
} register_filter_t;

/* A refused filter: the error code, the Query field it names and why
 * (static strings, safe to log: no value is echoed). */
typedef struct {
    Mot__V1__ErrorCode code;
    const char *field;
    const char *reason;
} register_filter_error_t;

/* Reads the filters of `query` into *filter. False with *error when a
 * value is not allowed: INVALID_VALUE (unknown unit or stage, quadrant not
 * 1..4, closed together with all, any filter on OBLIGATIONS),
 * UNKNOWN_TERRITORY (not in `territories`; not checked when NULL),
 * INVALID_UTF8. */
bool register_filter_read (register_filter_t *filter, const Mot__V1__Query *query, mot_catalog_t *territories,
                           register_filter_error_t *error);

/* Sets *error (code, field, reason: static strings) and returns false: a
 * refusal of the reporter's queries, filters and others alike. */
bool register_filter_refuse (register_filter_error_t *error, Mot__V1__ErrorCode code, const char *field,
                             const char *reason);

/* Whether the filter keeps closed items (closed, all, or stage cerrado). */
bool register_filter_wants_closed (const register_filter_t *filter);

/* Whether the item in `hash` (an HGETALL reply of mot:item:{id}) passes;
 * `quadrant` is the quadrant the register shows for it (0: none). */
bool register_filter_admits (const register_filter_t *filter, redisReply *hash, int quadrant);

#endif
