/*  commit — the classifier's one atomic step per event.
 */
#include "commit.h"
#include "mot_keys.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

/* KEYS[1] event hash, KEYS[2] pending set, KEYS[3] item counter, KEYS[4] item index key.
 * ARGV: 1 event_id, 2 kind, 3 source, 4 territory, 5 topic, 6 topic_key, 7 day,
 *       8 category, 9 on, 10 impact, 11 given vertical (0: none), 12 rule, 13 now,
 *       14 item key prefix, 15 items-by-kind prefix, 16 frequency table "min:score,…".
 * The quadrant rule mirrors mot_score_quadrant (common/mot_score.c): high
 * means > 5 on an axis. */
static const char *commit_lua =
    "local done = redis.call('HGET', KEYS[1], 'item_id')\n"
    "if done then redis.call('ZREM', KEYS[2], ARGV[1]) return {done, 0} end\n"
    "local now = tonumber(ARGV[13])\n"
    "local id = redis.call('GET', KEYS[4])\n"
    "local key\n"
    "local function audit(entry)\n"
    "  entry.at = now entry.who = 'classifier' entry.event_id = ARGV[1]\n"
    "  redis.call('RPUSH', key .. ':audit', cjson.encode(entry))\n"
    "end\n"
    "if not id then\n"
    "  local n = redis.call('INCR', KEYS[3])\n"
    "  id = 'it-' .. n\n"
    "  key = ARGV[14] .. '{' .. id .. '}'\n"
    "  redis.call('SET', KEYS[4], id)\n"
    "  redis.call('HSET', key, 'id', id, 'kind', ARGV[2], 'source', ARGV[3], 'territory', ARGV[4],\n"
    "    'topic', ARGV[5], 'topic_key', ARGV[6], 'category', ARGV[8], 'on', ARGV[9],\n"
    "    'stage', 'identificacion', 'events', 0, 'first_seen', ARGV[7], 'last_seen', ARGV[7],\n"
    "    'created_at', now, 'version', 0, 'impact', 0)\n"
    "  redis.call('ZADD', ARGV[15] .. ARGV[2], n, id)\n"
    "  if ARGV[8] == 'sin clasificar' then redis.call('ZADD', ARGV[15] .. 'sin_clasificar', n, id) end\n"
    "  audit({what = 'created', stage = 'identificacion', category = ARGV[8], on = ARGV[9], rule = ARGV[12]})\n"
    "else\n"
    "  key = ARGV[14] .. '{' .. id .. '}'\n"
    "end\n"
    "local events = redis.call('HINCRBY', key, 'events', 1)\n"
    "redis.call('HINCRBY', key, 'month:' .. string.sub(ARGV[7], 1, 7), 1)\n"
    "if ARGV[7] > redis.call('HGET', key, 'last_seen') then redis.call('HSET', key, 'last_seen', ARGV[7]) end\n"
    "if ARGV[7] < redis.call('HGET', key, 'first_seen') then redis.call('HSET', key, 'first_seen', ARGV[7]) end\n"
    "if redis.call('HGET', key, 'category') == 'sin clasificar' and ARGV[8] ~= 'sin clasificar' then\n"
    "  redis.call('HSET', key, 'category', ARGV[8], 'on', ARGV[9])\n"
    "  redis.call('ZREM', ARGV[15] .. 'sin_clasificar', id)\n"
    "  audit({what = 'categorised', category = ARGV[8], on = ARGV[9], rule = ARGV[12]})\n"
    "end\n"
    "if tonumber(ARGV[11]) > 0 then redis.call('HSET', key, 'vertical_given', ARGV[11]) end\n"
    "local vertical = tonumber(redis.call('HGET', key, 'vertical_given') or '0')\n"
    "if vertical == 0 then\n"
    "  vertical = 1\n"
    "  for min, score in string.gmatch(ARGV[16], '(%d+):(%d+)') do\n"
    "    if events >= tonumber(min) then vertical = tonumber(score) end\n"
    "  end\n"
    "end\n"
    "local impact = math.max(tonumber(redis.call('HGET', key, 'impact')), tonumber(ARGV[10]))\n"
    "local quadrant = 3\n"
    "if impact > 5 and vertical > 5 then quadrant = 1 elseif vertical > 5 then quadrant = 2\n"
    "elseif impact > 5 then quadrant = 4 end\n"
    "local old = redis.call('HMGET', key, 'impact', 'vertical', 'quadrant')\n"
    "redis.call('HSET', key, 'impact', impact, 'vertical', vertical, 'quadrant', quadrant, 'updated_at', now)\n"
    "redis.call('HINCRBY', key, 'version', 1)\n"
    "audit({what = 'evidence', events = events, source = ARGV[3], day = ARGV[7]})\n"
    "if tostring(impact) ~= old[1] or tostring(vertical) ~= old[2] or tostring(quadrant) ~= old[3] then\n"
    "  audit({what = 'scored', impact = impact, vertical = vertical, quadrant = quadrant,\n"
    "         proposed_by = 'rules', events = events})\n"
    "end\n"
    "redis.call('HSET', KEYS[1], 'item_id', id)\n"
    "redis.call('ZREM', KEYS[2], ARGV[1])\n"
    "return {id, 1}\n";

struct _commit_t {
    mot_redis_t *redis;         /* not owned */
    mot_script_t *script;
    char *frequency_table;
};

commit_t *
commit_new (mot_redis_t *redis, const char *frequency_table)
{
    commit_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->redis = redis;
    self->script = mot_script_new (commit_lua);
    self->frequency_table = strdup (frequency_table);
    if (!self->script || !self->frequency_table)
        commit_destroy (&self);
    return self;
}

void
commit_destroy (commit_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_script_destroy (&(*self_p)->script);
    free ((*self_p)->frequency_table);
    free (*self_p);
    *self_p = NULL;
}

bool
commit_event (commit_t *self, const commit_event_t *event, char **item_id, bool *applied)
{
    *item_id = NULL;
    *applied = false;
    char *event_key = zsys_sprintf ("%s%s", MOT_KEY_EVENT_PREFIX, event->event_id);
    char *index_key = zsys_sprintf ("%s%s:%s:%s", MOT_KEY_ITEMIDX_PREFIX, event->kind, event->territory,
                                    event->topic_key);
    char *impact = zsys_sprintf ("%d", event->impact);
    char *given = zsys_sprintf ("%d", event->given_vertical);
    char *now = zsys_sprintf ("%lld", (long long) event->now);
    bool ok = false;
    if (event_key && index_key && impact && given && now) {
        const char *argv[] = {event_key, MOT_KEY_PENDING_CLASSIFY, MOT_KEY_SEQ_ITEM, index_key,
                              event->event_id, event->kind, event->source, event->territory, event->topic,
                              event->topic_key, event->day, event->category, event->on, impact, given,
                              event->rule, now, MOT_KEY_ITEM_PREFIX, MOT_KEY_ITEMS_PREFIX, self->frequency_table};
        redisReply *reply = mot_redis_eval (self->redis, self->script, 4, 20, argv, NULL);
        if (mot_reply_ok (reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
            && reply->element[0]->type == REDIS_REPLY_STRING) {
            *item_id = strdup (reply->element[0]->str);
            *applied = reply->element[1]->integer == 1;
            ok = *item_id != NULL;
        }
        if (reply)
            freeReplyObject (reply);
    }
    zstr_free (&event_key);
    zstr_free (&index_key);
    zstr_free (&impact);
    zstr_free (&given);
    zstr_free (&now);
    return ok;
}
