/*  mot_resp — Redis's protocol read in place (see mot_resp.h).
 *
 *  A reply is walked once, its nodes and array slots built in the parser's
 *  arrays as long as they have room; a reply that needs more is only
 *  counted, then walked again once room is made. Its strings are
 *  NUL-terminated only once it is known whole, so a reply that arrives in
 *  pieces leaves the bytes as they were, and is walked again with the next
 *  piece.
 */
#include "mot_resp.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct _mot_resp_t {
    redisReply *nodes;
    size_t node_capacity;
    redisReply **slots;         /* the arrays' elements, a run per array */
    size_t slot_capacity;
};

/* One walk over a reply: nodes and slots are handed out in order while
 * the arrays have room, and counted beyond it. */
typedef struct {
    char *bytes;
    size_t size;
    redisReply *nodes;
    redisReply **slots;
    size_t node_capacity, slot_capacity;
    size_t node_count, slot_count;
} walk_t;

mot_resp_t *
mot_resp_new (void)
{
    return calloc (1, sizeof (mot_resp_t));
}

void
mot_resp_destroy (mot_resp_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_resp_t *self = *self_p;
    free (self->nodes);
    free (self->slots);
    free (self);
    *self_p = NULL;
}

/* ---- pieces of a reply --------------------------------------------------- */

/* Where the "\r\n" ending the line that goes on at `at` starts (lines
 * are a few bytes: a length, a count, a status). */
static mot_resp_status_t
find_line_end (const walk_t *walk, size_t at, size_t *end)
{
    for (size_t i = at; i + 1 < walk->size; i++)
        if (walk->bytes[i] == '\r' && walk->bytes[i + 1] == '\n') {
            *end = i;
            return MOT_RESP_DONE;
        }
    return MOT_RESP_MORE;
}

/* The line from `at` on as a decimal number, optionally negative, that
 * fits a long long; where its "\r\n" starts. */
static mot_resp_status_t
read_number_line (const walk_t *walk, size_t at, long long *value, size_t *end)
{
    const char *bytes = walk->bytes;
    bool negative = at < walk->size && bytes[at] == '-';
    size_t first = at + (negative ? 1 : 0), i = first;
    unsigned long long magnitude = 0;
    for (; i < walk->size && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
        unsigned digit = (unsigned) (bytes[i] - '0');
        if (magnitude > (ULLONG_MAX - digit) / 10)
            return MOT_RESP_INVALID;
        magnitude = magnitude * 10 + digit;
    }
    if (i >= walk->size)
        return MOT_RESP_MORE;
    if (bytes[i] != '\r' || i == first || magnitude > (unsigned long long) LLONG_MAX + (negative ? 1 : 0))
        return MOT_RESP_INVALID;
    if (i + 1 >= walk->size)
        return MOT_RESP_MORE;
    if (bytes[i + 1] != '\n')
        return MOT_RESP_INVALID;
    *value = negative ? (magnitude == 0 ? 0 : -(long long) (magnitude - 1) - 1) : (long long) magnitude;
    *end = i;
    return MOT_RESP_DONE;
}

/* The next node (NULL, only counted, when the array has no room). */
static redisReply *
take_node (walk_t *walk)
{
    size_t index = walk->node_count++;
    return index < walk->node_capacity ? &walk->nodes[index] : NULL;
}

/* The next `count` slots (NULL when the array has no room for them, or
 * count is 0). */
static redisReply **
take_slots (walk_t *walk, size_t count)
{
    size_t index = walk->slot_count;
    walk->slot_count += count;
    return count > 0 && walk->slot_count <= walk->slot_capacity ? &walk->slots[index] : NULL;
}

/* A string node over bytes[text, text + length) (terminated once the
 * reply is known whole: terminate_strings). */
static void
set_string (redisReply *node, int type, char *text, size_t length)
{
    if (node)
        *node = (redisReply) {.type = type, .str = text, .len = length};
}

static void
set_nil (redisReply *node)
{
    if (node)
        *node = (redisReply) {.type = REDIS_REPLY_NIL};
}

static mot_resp_status_t walk_reply (walk_t *walk, size_t at, int depth, size_t *end, redisReply **out);

/* $<length>\r\n<bytes>\r\n, or $-1\r\n (nil); `start` is where the bytes
 * begin. */
static mot_resp_status_t
walk_bulk (walk_t *walk, redisReply *node, long long length, size_t start, size_t *end)
{
    if (length < -1)
        return MOT_RESP_INVALID;
    if (length == -1) {
        set_nil (node);
        *end = start;
        return MOT_RESP_DONE;
    }
    size_t left = walk->size - start;
    if ((unsigned long long) length > left || left - (size_t) length < 2)
        return MOT_RESP_MORE;
    size_t stop = start + (size_t) length;
    if (walk->bytes[stop] != '\r' || walk->bytes[stop + 1] != '\n')
        return MOT_RESP_INVALID;
    set_string (node, REDIS_REPLY_STRING, walk->bytes + start, (size_t) length);
    *end = stop + 2;
    return MOT_RESP_DONE;
}

/* *<count>\r\n and its elements, or *-1\r\n (nil). Each element takes at
 * least 3 bytes, so a count beyond a third of what is left is not whole. */
static mot_resp_status_t
walk_array (walk_t *walk, redisReply *node, long long count, size_t start, int depth, size_t *end)
{
    if (count < -1 || depth >= MOT_RESP_MAX_DEPTH)
        return MOT_RESP_INVALID;
    if (count == -1) {
        set_nil (node);
        *end = start;
        return MOT_RESP_DONE;
    }
    if ((unsigned long long) count > (walk->size - start) / 3)
        return MOT_RESP_MORE;
    redisReply **elements = take_slots (walk, (size_t) count);
    size_t at = start;
    for (size_t i = 0; i < (size_t) count; i++) {
        redisReply *element;
        mot_resp_status_t status = walk_reply (walk, at, depth + 1, &at, &element);
        if (status != MOT_RESP_DONE)
            return status;
        if (elements)
            elements[i] = element;
    }
    if (node)
        *node = (redisReply) {.type = REDIS_REPLY_ARRAY, .elements = (size_t) count, .element = elements};
    *end = at;
    return MOT_RESP_DONE;
}

/* The reply at `at`: where it ends, and while building its node. */
static mot_resp_status_t
walk_reply (walk_t *walk, size_t at, int depth, size_t *end, redisReply **out)
{
    if (at >= walk->size)
        return MOT_RESP_MORE;
    char kind = walk->bytes[at];
    size_t line_end;
    long long number = 0;
    mot_resp_status_t status = kind == ':' || kind == '$' || kind == '*'
                             ? read_number_line (walk, at + 1, &number, &line_end)
                             : find_line_end (walk, at + 1, &line_end);
    if (status != MOT_RESP_DONE)
        return status;
    char *line = walk->bytes + at + 1;
    size_t length = line_end - at - 1, next = line_end + 2;
    redisReply *node = take_node (walk);
    *out = node;
    switch (kind) {
    case '+':
    case '-':
        set_string (node, kind == '+' ? REDIS_REPLY_STATUS : REDIS_REPLY_ERROR, line, length);
        *end = next;
        return MOT_RESP_DONE;
    case ':':
        if (node)
            *node = (redisReply) {.type = REDIS_REPLY_INTEGER, .integer = number};
        *end = next;
        return MOT_RESP_DONE;
    case '$':
        return walk_bulk (walk, node, number, next, end);
    case '*':
        return walk_array (walk, node, number, next, depth, end);
    default:
        return MOT_RESP_INVALID;
    }
}

/* ---- the parser ------------------------------------------------------------ */

/* The capacity that holds `needed` items (doubling from `current`), 0 when
 * that many would not fit in memory. */
static size_t
capacity_for (size_t current, size_t needed, size_t item_size)
{
    if (needed > SIZE_MAX / 2 / item_size)
        return 0;
    size_t capacity = current ? current : 64;
    while (capacity < needed)
        capacity *= 2;
    return capacity;
}

/* Room for a reply of `nodes` nodes and `slots` array slots. */
static bool
make_room (mot_resp_t *self, size_t nodes, size_t slots)
{
    if (nodes > self->node_capacity) {
        size_t capacity = capacity_for (self->node_capacity, nodes, sizeof *self->nodes);
        redisReply *more = capacity ? realloc (self->nodes, capacity * sizeof *more) : NULL;
        if (!more)
            return false;
        self->nodes = more;
        self->node_capacity = capacity;
    }
    if (slots > self->slot_capacity) {
        size_t capacity = capacity_for (self->slot_capacity, slots, sizeof *self->slots);
        redisReply **more = capacity ? realloc (self->slots, capacity * sizeof *more) : NULL;
        if (!more)
            return false;
        self->slots = more;
        self->slot_capacity = capacity;
    }
    return true;
}

/* Each string NUL-terminated in place, over the '\r' after it. */
static void
terminate_strings (redisReply *nodes, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (nodes[i].type == REDIS_REPLY_STRING || nodes[i].type == REDIS_REPLY_STATUS
            || nodes[i].type == REDIS_REPLY_ERROR)
            nodes[i].str[nodes[i].len] = '\0';
}

static walk_t
walk_of (mot_resp_t *self, char *bytes, size_t size)
{
    return (walk_t) {bytes, size, self->nodes, self->slots, self->node_capacity, self->slot_capacity, 0, 0};
}

mot_resp_status_t
mot_resp_parse (mot_resp_t *self, char *bytes, size_t size, size_t *used, redisReply **reply)
{
    walk_t walk = walk_of (self, bytes, size);
    size_t end;
    redisReply *root;
    mot_resp_status_t status = walk_reply (&walk, 0, 0, &end, &root);
    if (status != MOT_RESP_DONE)
        return status;
    if (walk.node_count > self->node_capacity || walk.slot_count > self->slot_capacity) {
        if (!make_room (self, walk.node_count, walk.slot_count))
            return MOT_RESP_INVALID;
        walk = walk_of (self, bytes, size);
        if (walk_reply (&walk, 0, 0, &end, &root) != MOT_RESP_DONE)
            return MOT_RESP_INVALID;    /* cannot happen: the same bytes were whole */
    }
    terminate_strings (self->nodes, walk.node_count);
    *used = end;
    *reply = root;
    return MOT_RESP_DONE;
}
