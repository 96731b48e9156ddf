/*  mot_service — what every service does before its loop starts.
 *
 *  Owns: parsing the configuration (the service's options plus the common
 *  ones of mot_config), starting the log, refusing a test clock in
 *  production, connecting to Redis with retries (a clear error per failed
 *  try, never a crash), the clock, and the service's one event loop (a
 *  zloop, mot_service_loop_new), which SIGINT/SIGTERM end through CZMQ's
 *  interrupt handling (zsys_interrupted). And every service's --metrics
 *  option and listener (mot_health: /metrics, /healthz, /readyz), started
 *  after open, beaten from the loop, ready after attach.
 */
#ifndef MOT_SERVICE_H_INCLUDED
#define MOT_SERVICE_H_INCLUDED

#include "mot_clock.h"
#include <czmq.h>
#include "mot_config.h"
#include "mot_health.h"
#include "mot_log.h"
#include "mot_redis.h"

typedef struct {
    const char *name;
    mot_config_t *config;
    mot_redis_t *redis;
    mot_clock_t *clock;
    mot_health_t *health;       /* /metrics, /healthz, /readyz; NULL with --metrics off */
    void *all_options;          /* the service's options and --metrics */
} mot_service_t;

/* How often a waiting loop looks at zsys_interrupted: a SIGTERM that lands
 * between the loop's check and its poll would otherwise wait for the next
 * message or timer. */
#define MOT_SERVICE_SIGNAL_CHECK_MS 500

/* What a service is, as its entry file (services/<name>/main.c) declares
 * it: every service runs the same way, through mot_service_run. `self` is
 * the service's own state. */
typedef struct {
    const char *name;
    const char *summary;                /* for --help */
    const mot_option_t *options;
    /* Reads its options, loads its data files, opens its sockets and
     * modules; false when it cannot run (logged). */
    bool (*open) (void *self, mot_service_t *service);
    /* Registers its readers and timers on the loop and logs "serving";
     * false on failure. Runs after a successful open. */
    bool (*attach) (void *self, zloop_t *loop);
    /* Frees what open made, whether open succeeded or not. */
    void (*close) (void *self);
} mot_service_class_t;

/* The whole life of a service process: configuration, log, Redis and
 * clock (mot_service_new), open, attach ("ready service=NAME"), the zloop
 * until SIGINT/SIGTERM ("stopping reason=signal"), close ("stopped rc=N"). Returns the exit
 * code: 0 after a clean stop or --help, 2 on a usage error, 1 when the
 * service cannot run. */
int mot_service_run (const mot_service_class_t *class, void *self, int argc, char **argv);

/* NULL when the service must exit with *exit_code. */
mot_service_t *mot_service_new (const char *name, const char *summary, const mot_option_t *options,
                                int argc, char **argv, int *exit_code);
void mot_service_destroy (mot_service_t **self_p);

/* A zloop for the service: ends on SIGINT/SIGTERM within
 * MOT_SERVICE_SIGNAL_CHECK_MS even when nothing else wakes it. */
zloop_t *mot_service_loop_new (void);

#endif
