/*  monthly — creating the obligation instances of each month's close
 *  (monthly, quarterly, after:), with the progress kept in Redis (see
 *  monthly.h).
 */
#include "monthly.h"
#include "month_mark.h"
#include "mot_log.h"
#include "mot_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIODS_PER_CALL 24

struct _monthly_t {
    mot_redis_t *redis;
    mot_obligations_t *catalogue;
    calendar_file_t *calendars;
    obligation_store_t *store;
    month_mark_t *mark;                 /* mot:watch:generated */
};

typedef struct {
    int year, month;
} period_t;

monthly_t *
monthly_new (mot_redis_t *redis, mot_obligations_t *catalogue, calendar_file_t *calendars,
             obligation_store_t *store, const char *watch_from)
{
    monthly_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->catalogue = catalogue;
    self->calendars = calendars;
    self->store = store;
    self->mark = month_mark_new (redis, MOT_KEY_WATCH_GENERATED, watch_from);
    if (!self->mark)
        monthly_destroy (&self);
    return self;
}

void
monthly_destroy (monthly_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    month_mark_destroy (&(*self_p)->mark);
    free (*self_p);
    *self_p = NULL;
}

/* The instance of one catalogue row for the month `text` that closed on
 * `close` (nothing for rows that do not fall due at a month's close, or a
 * quarterly row in a month that ends no quarter). False when Redis failed. */
static bool
generate_row (monthly_t *self, const mot_obligation_def_t *def, period_t period, const char *text, mot_day_t close,
              int64_t now)
{
    int quarter = mot_obligation_quarter_closed_by (period.month);
    char quarter_text[MOT_OBLIGATION_PERIOD_SIZE];
    snprintf (quarter_text, sizeof quarter_text, "%04d-Q%d", period.year, quarter);
    obligation_spec_t spec = {.def = def, .period = text, .n = def->n, .anchor = close};
    if (mot_obligation_is_quarterly (def) && quarter)
        spec.period = quarter_text;
    else
    if (def->rule == MOT_RULE_AFTER)
        return obligation_store_await (self->store, def, text, close, now) != OBLIGATION_FAILED;
    else
    if (!mot_obligation_is_monthly (def))
        return true;
    return obligation_store_create (self->store, &spec, now) != OBLIGATION_FAILED;
}

static bool
generate_period (monthly_t *self, int month, int64_t now)
{
    period_t period = {mot_month_index_year (month), mot_month_index_month (month)};
    char text[MOT_OBLIGATION_PERIOD_SIZE];
    mot_month_index_text (month, text, sizeof text);
    mot_day_t close = mot_obligation_month_close (period.year, period.month);
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++)
        if (!generate_row (self, mot_obligations_at (self->catalogue, i), period, text, close, now))
            return false;
    bool ok = month_mark_advance (self->mark, month);
    if (ok)
        mot_log_info ("period_generated", "period=%s", text);
    return ok;
}

bool
monthly_generate (monthly_t *self, int64_t now)
{
    int first, last_closed;
    if (!month_mark_next (self->mark, now, &first, &last_closed))
        return false;
    for (int month = first; month <= last_closed && month < first + PERIODS_PER_CALL; month++)
        if (!generate_period (self, month, now))
            return false;
    return true;
}
