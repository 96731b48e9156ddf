/*  calendar_file — the business-day calendar of the deadline-watcher, from
 *  its data file, reloaded while running.
 *
 *  Owns: the current mot_calendar_t and what the file looked like when it was
 *  loaded (modification time, size, inode). calendar_file_check reloads it
 *  when asked (SIGHUP) or when the file changed; a file that no longer loads
 *  is logged and the previous calendar stays in force. Modules never keep the
 *  calendar pointer across calls: they ask calendar_file_current each time.
 */
#ifndef CALENDAR_FILE_H_INCLUDED
#define CALENDAR_FILE_H_INCLUDED

#include "mot_calendar.h"
#include <stdbool.h>

typedef struct _calendar_file_t calendar_file_t;

/* Loads `path`; NULL (logged) when it does not load. */
calendar_file_t *calendar_file_new (const char *path);
void calendar_file_destroy (calendar_file_t **self_p);
/* The calendar in force (owned by self; valid until the next reload). */
mot_calendar_t *calendar_file_current (calendar_file_t *self);
/* The file's path. */
const char *calendar_file_path (calendar_file_t *self);
/* Reloads when `force` or the file changed on disk. True when a new
 * calendar was loaded (the caller recomputes the deadlines). */
bool calendar_file_check (calendar_file_t *self, bool force);

#endif
