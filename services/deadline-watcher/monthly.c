/*  monthly — creating the obligation instances of each month's close
 *  (monthly, quarterly, after:), with the progress kept in Redis (see
 *  monthly.h).
 */
#include "monthly.h"
#include "mot_call.h"
#include "mot_log.h"
#include "mot_schema.h"
#include "mot_scripts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIODS_PER_CALL 24

#include "advance_lua.h"

struct _monthly_t {
    mot_redis_t *redis;
    mot_obligations_t *catalogue;
    calendar_file_t *calendars;
    obligation_store_t *store;
    int from_year, from_month;          /* 0 when not configured */
    mot_script_t *advance;
};

typedef struct {
    int year, month;
} period_t;

static int
period_index (period_t period)
{
    return period.year * 12 + period.month - 1;
}

static period_t
period_at (int index)
{
    return (period_t) {index / 12, index % 12 + 1};
}

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
    if (watch_from && *watch_from && !mot_period_parse (watch_from, &self->from_year, &self->from_month)) {
        mot_log_error ("bad_option", "option=watch-from expected=YYYY-MM");
        free (self);
        return NULL;
    }
    self->advance = mot_script_new (advance_lua);
    if (!self->advance)
        monthly_destroy (&self);
    return self;
}

void
monthly_destroy (monthly_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->advance);
    free (*self_p);
    *self_p = NULL;
}

/* The first period still to generate; false when Redis could not be read. */
static bool
first_pending_period (monthly_t *self, int last_due, int *first)
{
    redisReply *reply = mot_redis_command (self->redis, "GET %s", MOT_KEY_WATCH_GENERATED);
    if (!mot_reply_ok (reply)) {
        if (reply)
            freeReplyObject (reply);
        return false;
    }
    period_t done;
    if (reply->type == REDIS_REPLY_STRING && mot_period_parse (reply->str, &done.year, &done.month))
        *first = period_index (done) + 1;
    else
        *first = self->from_year ? period_index ((period_t) {self->from_year, self->from_month}) : last_due;
    if (self->from_year && period_index ((period_t) {self->from_year, self->from_month}) > *first)
        *first = period_index ((period_t) {self->from_year, self->from_month});
    freeReplyObject (reply);
    return true;
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
generate_period (monthly_t *self, period_t period, int64_t now)
{
    char text[MOT_OBLIGATION_PERIOD_SIZE];
    snprintf (text, sizeof text, "%04d-%02d", period.year, period.month);
    mot_day_t close = mot_obligation_month_close (period.year, period.month);
    for (size_t i = 0; i < mot_obligations_size (self->catalogue); i++)
        if (!generate_row (self, mot_obligations_at (self->catalogue, i), period, text, close, now))
            return false;
    mot_call_t call;
    mot_call_init (&call, ADVANCE_KEYS, ADVANCE_ARGS);
    mot_call_key (&call, ADVANCE_KEY_GENERATED, MOT_KEY_WATCH_GENERATED);
    mot_call_arg (&call, ADVANCE_ARG_PERIOD, text);
    redisReply *reply = mot_call_eval (&call, self->redis, self->advance);
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    if (ok)
        mot_log_info ("period_generated", "period=%s", text);
    return ok;
}

bool
monthly_generate (monthly_t *self, int64_t now)
{
    period_t today;
    int dom;
    mot_day_to_ymd (mot_day_local_of (now), &today.year, &today.month, &dom);
    int last_due = period_index (today) - 1;
    int first;
    if (!first_pending_period (self, last_due, &first))
        return false;
    for (int index = first; index <= last_due && index < first + PERIODS_PER_CALL; index++)
        if (!generate_period (self, period_at (index), now))
            return false;
    return true;
}
