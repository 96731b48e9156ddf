/*  mot_log — one structured line per significant event, on stderr.
 */
#include "mot_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *log_service = "mot";
static mot_log_level_t log_threshold = MOT_LOG_INFO;
static const char *level_names[] = {"DEBUG", "INFO", "WARN", "ERROR"};

void
mot_log_init (const char *service, const char *level)
{
    log_service = service ? service : "mot";
    log_threshold = MOT_LOG_INFO;
    if (level == NULL)
        return;
    if (strcmp (level, "debug") == 0)
        log_threshold = MOT_LOG_DEBUG;
    else if (strcmp (level, "warn") == 0)
        log_threshold = MOT_LOG_WARN;
    else if (strcmp (level, "error") == 0)
        log_threshold = MOT_LOG_ERROR;
}

void
mot_log (mot_log_level_t level, const char *event, const char *format, ...)
{
    if (level < log_threshold)
        return;
    char stamp[32] = "";
    time_t now = time (NULL);
    struct tm utc;
    if (gmtime_r (&now, &utc))
        strftime (stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    flockfile (stderr);
    fprintf (stderr, "%s %s %s %s", stamp, level_names[level], log_service, event);
    if (format && *format) {
        fputc (' ', stderr);
        va_list args;
        va_start (args, format);
        vfprintf (stderr, format, args);
        va_end (args);
    }
    fputc ('\n', stderr);
    funlockfile (stderr);
}
