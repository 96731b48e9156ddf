/*  mot_service — what every service does before its loop starts.
 *
 *  Owns: parsing the configuration (the service's options plus the common
 *  ones of mot_config), starting the log, refusing a test clock in
 *  production, connecting to Redis with retries (a clear error per failed
 *  try, never a crash), the clock, and the service's one event loop (a
 *  zloop, mot_service_loop_new), which SIGINT/SIGTERM end through CZMQ's
 *  interrupt handling (zsys_interrupted).
 */
#ifndef MOT_SERVICE_H_INCLUDED
#define MOT_SERVICE_H_INCLUDED

#include "mot_clock.h"
#include <czmq.h>
#include "mot_config.h"
#include "mot_log.h"
#include "mot_redis.h"

typedef struct {
    const char *name;
    mot_config_t *config;
    mot_redis_t *redis;
    mot_clock_t *clock;
} mot_service_t;

/* How often a waiting loop looks at zsys_interrupted: a SIGTERM that lands
 * between the loop's check and its poll would otherwise wait for the next
 * message or timer. */
#define MOT_SERVICE_SIGNAL_CHECK_MS 500

/* NULL when the service must exit with *exit_code. */
mot_service_t *mot_service_new (const char *name, const char *summary, const mot_option_t *options,
                                int argc, char **argv, int *exit_code);
void mot_service_destroy (mot_service_t **self_p);

/* A zloop for the service: ends on SIGINT/SIGTERM within
 * MOT_SERVICE_SIGNAL_CHECK_MS even when nothing else wakes it. */
zloop_t *mot_service_loop_new (void);

#endif
