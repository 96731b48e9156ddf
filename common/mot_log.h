/*  mot_log — one structured line per significant event.
 *
 *  Owns: the log format. Each line goes to stderr as
 *    2026-11-22T09:32:00Z INFO intake accepted event_id=ev:42 source=UAD
 *  (UTC, level, service, event, then key=value pairs from the caller).
 *  Never pass personal data (NSS, CURP, names) or free text from complaints.
 */
#ifndef MOT_LOG_H_INCLUDED
#define MOT_LOG_H_INCLUDED

typedef enum { MOT_LOG_DEBUG, MOT_LOG_INFO, MOT_LOG_WARN, MOT_LOG_ERROR } mot_log_level_t;

void mot_log_init (const char *service, const char *level);
void mot_log (mot_log_level_t level, const char *event, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

#define mot_log_debug(event, ...) mot_log (MOT_LOG_DEBUG, event, __VA_ARGS__)
#define mot_log_info(event, ...) mot_log (MOT_LOG_INFO, event, __VA_ARGS__)
#define mot_log_warn(event, ...) mot_log (MOT_LOG_WARN, event, __VA_ARGS__)
#define mot_log_error(event, ...) mot_log (MOT_LOG_ERROR, event, __VA_ARGS__)

#endif
