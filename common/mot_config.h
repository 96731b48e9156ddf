/*  mot_config — flags and environment variables, with --help.
 *
 *  Owns: how every binary reads its configuration. Each option has a flag
 *  (--name=value or --name value), an environment variable and a default;
 *  the flag wins over the environment, the environment over the default.
 *  Every binary also gets the common options below, so they are named and
 *  documented once:
 *    --redis       MOT_REDIS       host:port, unix:/path or sentinel:H:P[,H:P…]/MASTER (127.0.0.1:6379)
 *    --redis-user  MOT_REDIS_USER  the Redis ACL user (the service's name)
 *    --redis-secrets MOT_REDIS_SECRETS  folder of USER.password (none: no AUTH)
 *    --redis-wait  MOT_REDIS_WAIT  REPLICAS[:TIMEOUT_MS] or off (off), see mot_redis_wait
 *    --env         MOT_ENV         production | development | test (production)
 *    --test-clock  MOT_TEST_CLOCK  1: read time from Redis (refused in production)
 *    --log-level   MOT_LOG_LEVEL   debug | info | warn | error (info)
 *    --curve       MOT_CURVE       on | off: ZeroMQ CURVE on every socket (on)
 *    --certs       MOT_CERTS       the certificates folder (/etc/mot/certs)
 *    --cert        MOT_SERVICE_CERT  this service's keypair (default
 *                                  CERTS/servers/NAME.cert), see mot_curve;
 *                                  a client's is MOT_CERT
 */
#ifndef MOT_CONFIG_H_INCLUDED
#define MOT_CONFIG_H_INCLUDED

#include <stdbool.h>

typedef struct {
    const char *name;       /* flag name without "--" */
    const char *env;        /* environment variable */
    const char *fallback;   /* default value, NULL for none */
    const char *help;
} mot_option_t;

typedef struct _mot_config_t mot_config_t;

/* Parses argv (options terminated by a {NULL} entry). Returns NULL when the
 * program must exit: *exit_code is 0 after --help, 2 after a usage error
 * (already printed). Positional arguments are kept in order. */
mot_config_t *mot_config_new (const char *program, const char *summary,
                              const mot_option_t *options, int argc, char **argv,
                              int *exit_code);
void mot_config_destroy (mot_config_t **self_p);

/* The value of an option (never NULL for options that have a default). */
const char *mot_config_get (mot_config_t *self, const char *name);
/* Parses the value as a decimal integer in [min, max]; prints a clear error
 * and returns false when it is not. */
bool mot_config_get_long (mot_config_t *self, const char *name, long min, long max, long *value);
/* "1", "true", "yes", "on" are true. */
bool mot_config_text_is_true (const char *text);
bool mot_config_get_bool (mot_config_t *self, const char *name);
int mot_config_positional_count (mot_config_t *self);
const char *mot_config_positional (mot_config_t *self, int index);

#endif
