/*  mot_service — what every service does before its loop starts.
 */
#include "mot_service.h"
#include "mot_curve.h"
#include "mot_redis_address.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
test_clock_allowed (mot_config_t *config, const char *name)
{
    if (!mot_config_get_bool (config, "test-clock"))
        return true;
    if (strcmp (mot_config_get (config, "env"), "production") == 0) {
        fprintf (stderr, "mot-%s: the test clock is refused in production (--env production); "
                         "use --env test\n", name);
        return false;
    }
    return true;
}

mot_service_t *
mot_service_new (const char *name, const char *summary, const mot_option_t *options, int argc,
                 char **argv, int *exit_code)
{
    char program[64];
    snprintf (program, sizeof program, "mot-%s", name);
    *exit_code = 1;
    mot_health_options_t *all = mot_health_options_new (name, options);
    mot_config_t *config = all ? mot_config_new (program, summary, all->options, argc, argv, exit_code) : NULL;
    if (!config) {
        free (all);
        return NULL;
    }
    *exit_code = 2;
    int wait_replicas, wait_timeout_ms;
    const char *wait_error = NULL;
    if (!mot_redis_wait_parse (mot_config_get (config, "redis-wait"), &wait_replicas, &wait_timeout_ms, &wait_error)) {
        fprintf (stderr, "%s: %s (got '%s')\n", program, wait_error, mot_config_get (config, "redis-wait"));
        mot_config_destroy (&config);
        return NULL;
    }
    if (!test_clock_allowed (config, name) || mot_config_positional_count (config) > 0) {
        if (mot_config_positional_count (config) > 0)
            fprintf (stderr, "%s: unexpected argument '%s' (try --help)\n", program,
                     mot_config_positional (config, 0));
        mot_config_destroy (&config);
        free (all);
        return NULL;
    }
    mot_service_t *self = calloc (1, sizeof *self);
    if (!self) {
        mot_config_destroy (&config);
        free (all);
        return NULL;
    }
    self->name = name;
    self->config = config;
    self->all_options = all;
    mot_log_init (name, mot_config_get (config, "log-level"));
    zsys_init ();
    /* A write to a Redis or peer socket that closed must come back as an
     * error to handle, not kill the process. */
    signal (SIGPIPE, SIG_IGN);
    /* zauth must answer before any socket binds: ZeroMQ lets every CURVE
     * client in when no ZAP handler is there. */
    if (!mot_curve_start (config, name)) {
        *exit_code = 1;
        mot_service_destroy (&self);
        return NULL;
    }
    self->redis = mot_redis_new (mot_config_get (config, "redis"));
    *exit_code = 1;
    if (self->redis)
        mot_redis_set_wait (self->redis, wait_replicas, wait_timeout_ms);
    const char *user = mot_config_get (config, "redis-user");
    if (self->redis && !mot_redis_authenticate_as (self->redis, *user ? user : name, mot_config_get (config, "redis-secrets")))
        mot_redis_destroy (&self->redis);
    /* Redis down at start-up: a clear error per try, every second, until it
     * comes or we are told to stop. */
    while (self->redis && !mot_redis_connect (self->redis, 1, 0)) {
        if (zsys_interrupted) {
            mot_service_destroy (&self);
            return NULL;
        }
        mot_log_warn ("redis_retry", "address=%s in_ms=1000", mot_redis_address (self->redis));
        zclock_sleep (1000);
    }
    self->clock = self->redis ? mot_clock_new (self->redis, mot_config_get_bool (config, "test-clock")) : NULL;
    if (!self->redis || !self->clock) {
        mot_service_destroy (&self);
        return NULL;
    }
    mot_log_info ("started", "redis=%s redis_user=%s redis_wait=%s env=%s test_clock=%d", mot_redis_address (self->redis),
                  mot_redis_user (self->redis) ? mot_redis_user (self->redis) : "-", mot_config_get (config, "redis-wait"),
                  mot_config_get (config, "env"), mot_clock_is_test (self->clock));
    *exit_code = 0;
    return self;
}

/* Wakes the loop so that zloop sees zsys_interrupted (it checks after each
 * poll); the timer itself does nothing. */
static int
on_signal_check (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    (void) arg;
    return 0;
}

zloop_t *
mot_service_loop_new (void)
{
    zloop_t *loop = zloop_new ();
    if (loop && zloop_timer (loop, MOT_SERVICE_SIGNAL_CHECK_MS, 0, on_signal_check, NULL) < 0)
        zloop_destroy (&loop);
    return loop;
}

void
mot_service_destroy (mot_service_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_service_t *self = *self_p;
    mot_health_destroy (&self->health);
    mot_clock_destroy (&self->clock);
    mot_redis_destroy (&self->redis);
    mot_curve_stop ();
    mot_config_destroy (&self->config);
    free (self->all_options);
    free (self);
    *self_p = NULL;
}

/* /metrics, /healthz and /readyz once the service has opened (so that a
 * process that cannot run never holds the port); false when the address
 * is unusable or taken. */
static bool
start_health (mot_service_t *service)
{
    bool failed;
    service->health = mot_health_new (mot_config_get (service->config, "metrics"), &failed);
    return !failed;
}

int
mot_service_run (const mot_service_class_t *class, void *self, int argc, char **argv)
{
    int rc;
    mot_service_t *service = mot_service_new (class->name, class->summary, class->options, argc, argv, &rc);
    if (!service)
        return rc;
    rc = 1;
    if (class->open (self, service) && start_health (service)) {
        zloop_t *loop = mot_service_loop_new ();
        if (loop && class->attach (self, loop) && mot_health_attach (service->health, loop, service->redis)) {
            mot_log_info ("ready", "service=%s", class->name);
            zloop_start (loop);
            mot_health_set_ready (service->health, false);
            mot_log_info ("stopping", "reason=signal");
            rc = 0;
        }
        zloop_destroy (&loop);
    }
    class->close (self);
    mot_log_info ("stopped", "rc=%d", rc);
    mot_service_destroy (&service);
    return rc;
}
