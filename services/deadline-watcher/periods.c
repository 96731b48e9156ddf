/*  periods — freezing each closed month's item positions, a chunk of items
 *  per tick (see periods.h).
 */
#include "periods.h"
#include "month_mark.h"
#include "mot_date.h"
#include "mot_log.h"
#include "mot_schema.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What freezing a month needs of an item, in this order (HMGET). */
static const char *const read_fields[] = {MOT_ITEM_ID, MOT_ITEM_IMPACT, MOT_ITEM_VERTICAL, MOT_ITEM_QUADRANT,
                                          MOT_ITEM_STAGE, MOT_ITEM_CREATED_AT, MOT_ITEM_CLOSED_AT};
enum { READ_ID, READ_IMPACT, READ_VERTICAL, READ_QUADRANT, READ_STAGE, READ_CREATED_AT, READ_CLOSED_AT, READ_COUNT };

static const char *const kinds[] = {MOT_KIND_PROBLEMATICA, MOT_KIND_RIESGO};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

struct _periods_t {
    mot_redis_t *redis;
    size_t per_tick;
    month_mark_t *mark;                 /* mot:periods:frozen */
    /* the month being frozen: -1 when none */
    int month;
    char text[16];                      /* its YYYY-MM */
    int64_t closed_at;                  /* the instant it closed (unix s) */
    size_t kind, offset;                /* the next chunk: items of kinds[kind] from rank offset */
    size_t frozen;                      /* positions written for it by this watcher */
};

periods_t *
periods_new (mot_redis_t *redis, const char *watch_from, size_t per_tick)
{
    periods_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->per_tick = per_tick > 0 ? per_tick : 1;
    self->month = -1;
    self->mark = month_mark_new (redis, MOT_KEY_PERIODS_FROZEN, watch_from);
    if (!self->mark)
        periods_destroy (&self);
    return self;
}

void
periods_destroy (periods_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    month_mark_destroy (&(*self_p)->mark);
    free (*self_p);
    *self_p = NULL;
}

static void
start_month (periods_t *self, int month)
{
    self->month = month;
    mot_month_index_text (month, self->text, sizeof self->text);
    self->closed_at = mot_day_end_local (mot_day_last_of_month (mot_month_index_year (month), mot_month_index_month (month)));
    self->kind = 0;
    self->offset = 0;
    self->frozen = 0;
}

/* ---- one chunk ----------------------------------------------------------- */

/* Whether the item read (an HMGET reply of read_fields) was open when the
 * month closed: created before, not closed or closed after. */
static bool
was_open_at_close (periods_t *self, redisReply *item)
{
    redisReply **field = item->element;
    if (field[READ_ID]->type != REDIS_REPLY_STRING || field[READ_CREATED_AT]->type != REDIS_REPLY_STRING
        || field[READ_STAGE]->type != REDIS_REPLY_STRING)
        return false;
    if (strtoll (field[READ_CREATED_AT]->str, NULL, 10) >= self->closed_at)
        return false;
    if (strcmp (field[READ_STAGE]->str, MOT_STAGE_CERRADO) != 0)
        return true;
    return field[READ_CLOSED_AT]->type == REDIS_REPLY_STRING
        && strtoll (field[READ_CLOSED_AT]->str, NULL, 10) >= self->closed_at;
}

/* The position text of the item read, NULL when its values are not a
 * position (logged). A closed item is placed in the stage it closed from:
 * monitoreo, where a resolved item is before its closure. */
static char *
position_of (redisReply *item)
{
    redisReply **field = item->element;
    mot_position_t position = {0};
    if (field[READ_IMPACT]->type == REDIS_REPLY_STRING)
        position.impact = atoi (field[READ_IMPACT]->str);
    if (field[READ_VERTICAL]->type == REDIS_REPLY_STRING)
        position.vertical = atoi (field[READ_VERTICAL]->str);
    if (field[READ_QUADRANT]->type == REDIS_REPLY_STRING)
        position.quadrant = atoi (field[READ_QUADRANT]->str);
    const char *stage = field[READ_STAGE]->str;
    if (strcmp (stage, MOT_STAGE_CERRADO) == 0)
        stage = MOT_STAGE_MONITOREO;
    if (strlen (stage) < sizeof position.stage)
        strcpy (position.stage, stage);
    char *text = mot_position_format (&position);
    if (!text)
        mot_log_warn ("position_skipped", "item_id=%s reason=\"not a position\"", field[READ_ID]->str);
    return text;
}

/* Sends the HMGET of each item of `ids`; returns how many were sent. */
static size_t
ask_items (periods_t *self, redisReply *ids)
{
    size_t sent = 0;
    for (size_t i = 0; i < ids->elements && ids->element[i]->type == REDIS_REPLY_STRING; i++) {
        char *key = mot_key_item (ids->element[i]->str);
        const char *argv[2 + READ_COUNT] = {"HMGET", key};
        memcpy (argv + 2, read_fields, sizeof read_fields);
        bool ok = key && mot_redis_append (self->redis, 2 + READ_COUNT, argv, NULL);
        free (key);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

/* Appends the HSETNX of the item's position; false when it could not. */
static bool
append_position (periods_t *self, redisReply *item, size_t *appended)
{
    if (!was_open_at_close (self, item))
        return true;
    char *position = position_of (item);
    if (!position)
        return true;
    char *key = mot_key_item_positions (item->element[READ_ID]->str);
    const char *argv[] = {"HSETNX", key, self->text, position};
    bool ok = key && mot_redis_append (self->redis, 4, argv, NULL);
    free (key);
    free (position);
    if (ok)
        (*appended)++;
    return ok;
}

/* Reads `count` replies, all of them (the connection stays in step);
 * counts the 1s (positions written) into *written when not NULL. */
static bool
read_replies (periods_t *self, size_t count, size_t *written)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        redisReply *reply = mot_redis_read (self->redis);
        ok = ok && mot_reply_ok (reply);
        if (ok && written && reply->type == REDIS_REPLY_INTEGER && reply->integer == 1)
            (*written)++;
        if (reply)
            freeReplyObject (reply);
    }
    return ok;
}

/* Reads the items of `ids` and writes the positions of those open at the
 * month's close. */
static bool
freeze_items (periods_t *self, redisReply *ids)
{
    size_t sent = ask_items (self, ids);
    redisReply **items = sent ? calloc (sent, sizeof *items) : NULL;
    bool ok = sent == ids->elements && (sent == 0 || items);
    for (size_t i = 0; i < sent; i++) {
        items[i] = mot_redis_read (self->redis);
        ok = ok && mot_reply_ok (items[i]) && items[i]->type == REDIS_REPLY_ARRAY && items[i]->elements == READ_COUNT;
    }
    size_t appended = 0;
    for (size_t i = 0; ok && i < sent; i++)
        ok = append_position (self, items[i], &appended);
    for (size_t i = 0; i < sent; i++)
        if (items[i])
            freeReplyObject (items[i]);
    free (items);
    if (!read_replies (self, appended, &self->frozen))
        ok = false;
    if (!ok)
        mot_redis_disconnect (self->redis);  /* drops whatever reply is still on its way */
    return ok;
}

/* The month is done: when it was frozen, and the mark moves on. */
static bool
finish_month (periods_t *self, int64_t now)
{
    redisReply *reply = mot_redis_command (self->redis, "HSETNX %s %s %lld", MOT_KEY_PERIODS, self->text,
                                           (long long) now);
    bool ok = mot_reply_ok (reply);
    if (reply)
        freeReplyObject (reply);
    if (ok)
        ok = month_mark_advance (self->mark, self->month);
    if (ok) {
        mot_log_info ("period_frozen", "period=%s positions=%zu", self->text, self->frozen);
        self->month = -1;
    }
    return ok;
}

/* The next chunk of the month being frozen; finishes it after the last. */
static bool
freeze_chunk (periods_t *self, int64_t now)
{
    if (self->kind == KIND_COUNT)
        return finish_month (self, now);
    char *key = mot_key_items (kinds[self->kind]);
    redisReply *ids = key ? mot_redis_command (self->redis, "ZRANGE %s %lld %lld", key, (long long) self->offset,
                                               (long long) (self->offset + self->per_tick - 1))
                          : NULL;
    free (key);
    bool ok = mot_reply_ok (ids) && ids->type == REDIS_REPLY_ARRAY && freeze_items (self, ids);
    if (ok && ids->elements < self->per_tick) {
        self->kind++;
        self->offset = 0;
    }
    else
    if (ok)
        self->offset += ids->elements;
    if (ids)
        freeReplyObject (ids);
    return ok;
}

bool
periods_freeze (periods_t *self, int64_t now)
{
    if (self->month < 0) {
        int first, last_closed;
        if (!month_mark_next (self->mark, now, &first, &last_closed))
            return false;
        if (first > last_closed)
            return true;
        start_month (self, first);
    }
    return freeze_chunk (self, now);
}
