/*  followup — fortnightly obligations of open follow-up periods (see
 *  followup.h).
 */
#include "followup.h"
#include "mot_call.h"
#include "mot_schema.h"
#include "mot_scripts.h"
#include "mot_log.h"
#include "mot_wire.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUTS_PER_CALL 48

#include "progress_lua.h"

struct _followup_t {
    mot_redis_t *redis;
    mot_obligations_t *catalogue;
    obligation_store_t *store;
    mot_script_t *progress;
};

followup_t *
followup_new (mot_redis_t *redis, mot_obligations_t *catalogue, obligation_store_t *store)
{
    followup_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->catalogue = catalogue;
    self->store = store;
    self->progress = mot_script_new (progress_lua);
    if (!self->progress)
        followup_destroy (&self);
    return self;
}

void
followup_destroy (followup_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->progress);
    free (*self_p);
    *self_p = NULL;
}

static bool
set_if_absent (followup_t *self, const char *field, const char *value)
{
    redisReply *reply = mot_redis_command (self->redis, "HSETNX %s %s %s", MOT_KEY_FOLLOWUPS, field, value);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    return ok;
}

bool
followup_open (followup_t *self, const mot_obligation_def_t *def, const char *ref, mot_day_t opened_on)
{
    char *field = mot_obligation_id (def, ref);
    char day[MOT_DAY_TEXT_SIZE];
    mot_day_format (opened_on, day);
    char *value = zsys_sprintf ("%s -", day);
    bool ok = field && value && set_if_absent (self, field, value);
    if (ok)
        mot_log_info ("followup_opened", "followup=%s opened_on=%s", field, day);
    free (field);
    free (value);
    return ok;
}

/* Creates the cut-offs after `from` up to `until` (at most a batch); *last
 * is the last one created (from when none). False when Redis failed. */
static bool
create_cuts (followup_t *self, const mot_obligation_def_t *def, const char *ref, mot_day_t from, mot_day_t until,
             int64_t now, mot_day_t *last)
{
    *last = from;
    int count = 0;
    for (mot_day_t cut = mot_obligation_fortnight_cut_after (from); cut <= until && count < CUTS_PER_CALL;
         cut = mot_obligation_fortnight_cut_after (cut), count++) {
        char day[MOT_DAY_TEXT_SIZE];
        mot_day_format (cut, day);
        char *period = zsys_sprintf ("%s@%s", ref, day);
        obligation_spec_t spec = {.def = def, .period = period, .anchor = cut, .n = def->n};
        bool ok = period && obligation_store_create (self->store, &spec, now) != OBLIGATION_FAILED;
        free (period);
        if (!ok)
            return false;
        *last = cut;
    }
    return true;
}

/* Parses "<opened_on> <last or ->"; *from = the later of the two. */
static bool
parse_progress (const char *value, mot_day_t *from)
{
    char opened[MOT_DAY_TEXT_SIZE] = "", done[MOT_DAY_TEXT_SIZE] = "";
    if (strlen (value) > 2 * MOT_DAY_TEXT_SIZE || sscanf (value, "%10s %10s", opened, done) != 2
        || !mot_day_parse (opened, from))
        return false;
    mot_day_t last;
    if (mot_day_parse (done, &last) && last > *from)
        *from = last;
    return true;
}

/* Splits "<UNIT>:<code>:<ref>" into its definition and ref. */
static const mot_obligation_def_t *
parse_field (followup_t *self, const char *field, const char **ref)
{
    char unit_name[16], code[MOT_OBLIGATION_MAX_CODE + 1];
    const char *colon = strchr (field, ':');
    const char *second = colon ? strchr (colon + 1, ':') : NULL;
    if (!second || (size_t) (colon - field) >= sizeof unit_name || (size_t) (second - colon - 1) >= sizeof code)
        return NULL;
    memcpy (unit_name, field, (size_t) (colon - field));
    unit_name[colon - field] = 0;
    memcpy (code, colon + 1, (size_t) (second - colon - 1));
    code[second - colon - 1] = 0;
    Mot__V1__Source unit;
    *ref = second + 1;
    const mot_obligation_def_t *def
        = mot_source_parse (unit_name, &unit) ? mot_obligations_find (self->catalogue, unit, code) : NULL;
    return def && def->rule == MOT_RULE_FORTNIGHT ? def : NULL;
}

static bool
advance_one (followup_t *self, const char *field, const char *value, mot_day_t until, int64_t now)
{
    const char *ref;
    const mot_obligation_def_t *def = parse_field (self, field, &ref);
    mot_day_t from, last;
    if (!def || !parse_progress (value, &from)) {
        mot_log_warn ("followup_ignored", "followup=%s reason=not_in_catalogue_or_garbled", field);
        return true;
    }
    if (!create_cuts (self, def, ref, from, until, now, &last))
        return false;
    if (last == from)
        return true;
    char opened[MOT_DAY_TEXT_SIZE] = "", done[MOT_DAY_TEXT_SIZE];
    memcpy (opened, value, MOT_DAY_TEXT_SIZE - 1);
    mot_day_format (last, done);
    char *progress = zsys_sprintf ("%s %s", opened, done);
    mot_call_t call;
    mot_call_init (&call, PROGRESS_KEYS, PROGRESS_ARGS);
    mot_call_key (&call, PROGRESS_KEY_FOLLOWUPS, MOT_KEY_FOLLOWUPS);
    mot_call_arg (&call, PROGRESS_ARG_FIELD, field);
    mot_call_arg (&call, PROGRESS_ARG_VALUE, progress);
    redisReply *reply = progress ? mot_call_eval (&call, self->redis, self->progress) : NULL;
    mot_call_free (&call);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    free (progress);
    return ok;
}

bool
followup_close (followup_t *self, const mot_obligation_def_t *def, const char *ref, mot_day_t closed_on, int64_t now)
{
    char *field = mot_obligation_id (def, ref);
    redisReply *value = field ? mot_redis_command (self->redis, "HGET %s %s", MOT_KEY_FOLLOWUPS, field) : NULL;
    bool ok = mot_reply_ok (value);
    if (ok && value->type == REDIS_REPLY_STRING) {
        mot_day_t from, last;
        if (parse_progress (value->str, &from))
            do {                        /* a batch at a time, up to the closing day */
                ok = create_cuts (self, def, ref, from, closed_on, now, &last);
                bool more = last != from;
                from = last;
                if (!more)
                    break;
            } while (ok);
        redisReply *removed = ok ? mot_redis_command (self->redis, "HDEL %s %s", MOT_KEY_FOLLOWUPS, field) : NULL;
        ok = ok && mot_reply_ok (removed);
        if (removed)
            freeReplyObject (removed);
        if (ok)
            mot_log_info ("followup_closed", "followup=%s", field);
    }
    if (value)
        freeReplyObject (value);
    free (field);
    return ok;
}

bool
followup_tick (followup_t *self, int64_t now)
{
    redisReply *open = mot_redis_command (self->redis, "HGETALL %s", MOT_KEY_FOLLOWUPS);
    bool ok = mot_reply_ok (open) && open->type == REDIS_REPLY_ARRAY;
    mot_day_t today = mot_day_local_of (now);
    for (size_t i = 0; ok && i + 1 < open->elements; i += 2)
        if (open->element[i]->type == REDIS_REPLY_STRING && open->element[i + 1]->type == REDIS_REPLY_STRING)
            ok = advance_one (self, open->element[i]->str, open->element[i + 1]->str, today, now);
    if (open)
        freeReplyObject (open);
    return ok;
}
