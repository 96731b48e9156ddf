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
    return split_recipients (level);
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
    size_t index = level < 1 ? 0 : (size_t) level - 1;
    if (index >= self->size)
        index = self->size - 1;
    *count = self->levels[index].count;
    return self->levels[index].names;
}
