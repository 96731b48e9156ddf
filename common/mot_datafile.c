/*  mot_datafile — reading the data files the ops team edits.
 */
#include "mot_datafile.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
is_blank_or_comment (const char *line)
{
    const char *start = line + strspn (line, " \t\r\n");
    return *start == 0 || *start == '#';
}

bool
mot_datafile_read (const char *path, mot_datafile_line_fn *fn, void *arg, size_t *lines, char **error)
{
    *error = NULL;
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = zsys_sprintf ("%s:0: cannot open", path);
        return false;
    }
    char *line = NULL;
    size_t capacity = 0, number = 0;
    const char *reason = NULL;
    while (!reason && getline (&line, &capacity, file) >= 0) {
        number++;
        line[strcspn (line, "\r\n")] = 0;
        if (!is_blank_or_comment (line))
            reason = fn (line, number, arg);
    }
    if (!reason && ferror (file)) {
        reason = "read error";
        number = 0;
    }
    free (line);
    fclose (file);
    if (lines)
        *lines = number;
    if (reason)
        *error = zsys_sprintf ("%s:%zu: %s", path, number, reason);
    return reason == NULL;
}
