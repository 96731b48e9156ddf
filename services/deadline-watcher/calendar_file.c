/*  calendar_file — the watcher's calendar, reloaded when its file changes
 *  (see calendar_file.h).
 */
#include "calendar_file.h"
#include "mot_log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct _calendar_file_t {
    char *path;
    mot_calendar_t *calendar;
    struct stat seen;                   /* the file when last loaded (or tried) */
    bool have_seen;
};

static bool
same_file (const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec
        && a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

/* Loads the file; on success replaces the calendar in force. */
static bool
load (calendar_file_t *self)
{
    self->have_seen = stat (self->path, &self->seen) == 0;
    char *error = NULL;
    mot_calendar_t *calendar = mot_calendar_new (self->path, &error);
    if (!calendar) {
        mot_log_error ("calendar_invalid", "error=\"%s\" kept=%s", error ? error : "out of memory",
                       self->calendar ? "previous" : "none");
        free (error);
        return false;
    }
    mot_calendar_destroy (&self->calendar);
    self->calendar = calendar;
    return true;
}

calendar_file_t *
calendar_file_new (const char *path)
{
    calendar_file_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->path = strdup (path);
    if (!self->path || !load (self))
        calendar_file_destroy (&self);
    return self;
}

void
calendar_file_destroy (calendar_file_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    calendar_file_t *self = *self_p;
    mot_calendar_destroy (&self->calendar);
    free (self->path);
    free (self);
    *self_p = NULL;
}

mot_calendar_t *
calendar_file_current (calendar_file_t *self)
{
    return self->calendar;
}

const char *
calendar_file_path (calendar_file_t *self)
{
    return self->path;
}

bool
calendar_file_check (calendar_file_t *self, bool force)
{
    struct stat now;
    bool exists = stat (self->path, &now) == 0;
    bool changed = exists != self->have_seen || (exists && !same_file (&now, &self->seen));
    if (!force && !changed)
        return false;
    bool loaded = load (self);
    mot_log_info ("calendar_reload", "path=%s reason=%s loaded=%d", self->path, force ? "signal" : "file_changed",
                  loaded ? 1 : 0);
    return loaded;
}
