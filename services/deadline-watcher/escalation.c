/*  escalation — recipients per escalation level, from a data file (see
 *  escalation.h).
 */
#include "escalation.h"
#include "mot_datafile.h"
#include "mot_text.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RECIPIENTS 16
#define MAX_RECIPIENT 200               /* bytes */

typedef struct {
    char *storage;                      /* the recipients, split in place */
    char *names[MAX_RECIPIENTS];
    size_t count;
} level_t;

struct _escalation_t {
    level_t levels[ESCALATION_MAX_LEVELS];
    size_t size;
    char reason[2 * MAX_RECIPIENT];     /* the last refusal that names a recipient */
};

/* Splits "a;b;c" in place into level->names. */
static const char *
split_recipients (level_t *level)
{
    char *cursor = level->storage;
    while (cursor) {
        char *semicolon = strchr (cursor, ';');
        if (semicolon)
            *semicolon = 0;
        size_t length = strlen (cursor);
        if (length == 0 || length > MAX_RECIPIENT || !mot_text_is_utf8 (cursor, length))
            return "each recipient must be 1..200 bytes of UTF-8, separated by ';'";
        if (level->count == MAX_RECIPIENTS)
            return "at most 16 recipients per level";
        level->names[level->count++] = cursor;
        cursor = semicolon ? semicolon + 1 : NULL;
    }
    return NULL;
}

/* The level (1..) that already names `name`, among the levels before the
 * last one and the names of the last one before `upto`; 0 when none. */
static int
level_naming (escalation_t *self, const char *name, size_t upto)
{
    for (size_t l = 0; l < self->size; l++) {
        const level_t *level = &self->levels[l];
        size_t count = l + 1 == self->size ? upto : level->count;
        for (size_t i = 0; i < count; i++)
            if (strcasecmp (level->names[i], name) == 0)
                return (int) l + 1;
    }
    return 0;
}

/* Each level names offices no other level names. */
static const char *
check_distinct (escalation_t *self)
{
    const level_t *level = &self->levels[self->size - 1];
    for (size_t i = 0; i < level->count; i++) {
        int earlier = level_naming (self, level->names[i], i);
        if (earlier) {
            snprintf (self->reason, sizeof self->reason,
                      "\"%s\" is already named at level %d: each level must name other offices", level->names[i],
                      earlier);
            return self->reason;
        }
    }
    return NULL;
}

static const char *
add_line (escalation_t *self, char *line)
{
    line[strcspn (line, "\r\n")] = 0;
    char *tab = strchr (line, '\t');
    if (!tab)
        return "expected <level><TAB><recipient>[;<recipient>...]";
    *tab = 0;
    char *end = NULL;
    long number = strtol (line, &end, 10);
    if (!*line || *end || number != (long) self->size + 1)
        return "levels must be 1, 2, 3, ... in order";
    if (self->size == ESCALATION_MAX_LEVELS)
        return "at most 20 levels";
    level_t *level = &self->levels[self->size];
    level->storage = strdup (tab + 1);
    if (!level->storage)
        return "out of memory";
    self->size++;
    const char *reason = split_recipients (level);
    return reason ? reason : check_distinct (self);
}

static const char *
take_line (char *line, size_t number, void *arg)
{
    (void) number;
    return add_line ((escalation_t *) arg, line);
}

escalation_t *
escalation_new (const char *path, char **error)
{
    *error = NULL;
    escalation_t *self = calloc (1, sizeof *self);
    if (!self) {
        *error = zsys_sprintf ("%s:0: out of memory", path);
        return NULL;
    }
    size_t lines = 0;
    if (!mot_datafile_read (path, take_line, self, &lines, error))
        escalation_destroy (&self);
    else if (self->size == 0) {
        *error = zsys_sprintf ("%s:%zu: no levels", path, lines);
        escalation_destroy (&self);
    }
    return self;
}

void
escalation_destroy (escalation_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    escalation_t *self = *self_p;
    for (size_t i = 0; i < self->size; i++)
        free (self->levels[i].storage);
    free (self);
    *self_p = NULL;
}

size_t
escalation_levels (escalation_t *self)
{
    return self->size;
}

char **
escalation_recipients (escalation_t *self, int level, size_t *count)
{
    if (level < 1 || (size_t) level > self->size) {
        *count = 0;
        return NULL;
    }
    *count = self->levels[level - 1].count;
    return self->levels[level - 1].names;
}

int
escalation_highest_level (escalation_t *self, long requested, bool *capped)
{
    *capped = requested > (long) self->size;
    return requested < 0 || *capped ? (int) self->size : (int) requested;
}
