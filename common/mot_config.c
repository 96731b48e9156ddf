/*  mot_config — flags and environment variables, with --help.
 */
#include "mot_config.h"
#include "mot_endpoints.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const mot_option_t common_options[] = {
    {"redis", "MOT_REDIS", MOT_DEFAULT_REDIS, "Redis address: host:port, unix:/path/to/socket or sentinel:HOST:PORT[,HOST:PORT...]/MASTER"},
    {"redis-user", "MOT_REDIS_USER", "", "Redis ACL user to authenticate as (empty: the service's name)"},
    {"redis-secrets", "MOT_REDIS_SECRETS", "", "folder of the Redis users' passwords, USER.password (empty: no AUTH)"},
    {"redis-wait", "MOT_REDIS_WAIT", "off", "REPLICAS[:TIMEOUT_MS]: a write's result leaves the process only once that many replicas have it (WAIT); off"},
    {"env", "MOT_ENV", "production", "production | development | test"},
    {"test-clock", "MOT_TEST_CLOCK", "0", "1: read time from Redis key mot:clock (refused in production)"},
    {"log-level", "MOT_LOG_LEVEL", "info", "debug | info | warn | error"},
    {"curve", "MOT_CURVE", "on", "on: every socket is ZeroMQ CURVE (clients need a certificate); off: plain"},
    {"certs", "MOT_CERTS", MOT_DEFAULT_CERTS, "the certificates folder (clients/, servers/, revoked/: motctl cert)"},
    {"cert", "MOT_SERVICE_CERT", "", "this service's keypair (FILE and FILE_secret), default CERTS/servers/NAME.cert"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    const mot_option_t *option;
    const char *value;          /* points into argv, environ or the table */
} setting_t;

struct _mot_config_t {
    char *program;                  /* a copy: callers pass stack buffers */
    setting_t *settings;
    int setting_count;
    const char **positionals;
    int positional_count;
};

static int
count_options (const mot_option_t *options)
{
    int count = 0;
    while (options && options[count].name)
        count++;
    return count;
}

static void
print_option (const mot_option_t *option)
{
    printf ("  --%-22s %s\n  %-24s env %s, default \"%s\"\n", option->name, option->help, "",
            option->env, option->fallback ? option->fallback : "");
}

static void
print_help (const char *program, const char *summary, const mot_option_t *options)
{
    printf ("usage: %s [OPTIONS]\n%s\n\noptions (flag, or environment variable):\n", program, summary);
    for (int i = 0; options && options[i].name; i++)
        print_option (&options[i]);
    printf ("\ncommon options:\n");
    for (int i = 0; common_options[i].name; i++)
        print_option (&common_options[i]);
    printf ("  --help                   this text\n");
}

static setting_t *
find_setting (mot_config_t *self, const char *name, size_t length)
{
    for (int i = 0; i < self->setting_count; i++)
        if (strlen (self->settings[i].option->name) == length
            && strncmp (self->settings[i].option->name, name, length) == 0)
            return &self->settings[i];
    return NULL;
}

static void
add_settings (mot_config_t *self, const mot_option_t *options)
{
    for (int i = 0; options && options[i].name; i++) {
        setting_t *setting = &self->settings[self->setting_count++];
        setting->option = &options[i];
        const char *env = options[i].env ? getenv (options[i].env) : NULL;
        setting->value = env ? env : options[i].fallback;
    }
}

/* Reads one "--name[=value]" argument (and maybe the next one). Returns the
 * number of argv entries used, 0 on error. */
static int
parse_flag (mot_config_t *self, int argc, char **argv, int index)
{
    const char *name = argv[index] + 2;
    const char *equals = strchr (name, '=');
    size_t length = equals ? (size_t) (equals - name) : strlen (name);
    setting_t *setting = find_setting (self, name, length);
    if (!setting) {
        fprintf (stderr, "%s: unknown option '%s' (try --help)\n", self->program, argv[index]);
        return 0;
    }
    if (equals) {
        setting->value = equals + 1;
        return 1;
    }
    if (index + 1 >= argc) {
        fprintf (stderr, "%s: option '--%s' needs a value\n", self->program, setting->option->name);
        return 0;
    }
    setting->value = argv[index + 1];
    return 2;
}

mot_config_t *
mot_config_new (const char *program, const char *summary, const mot_option_t *options, int argc,
                char **argv, int *exit_code)
{
    *exit_code = 2;
    for (int i = 1; i < argc; i++)
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            print_help (program, summary, options);
            *exit_code = 0;
            return NULL;
        }
    mot_config_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->program = strdup (program);
    int total = count_options (options) + count_options (common_options);
    self->settings = calloc ((size_t) total, sizeof *self->settings);
    self->positionals = calloc ((size_t) argc + 1, sizeof *self->positionals);
    if (!self->program || !self->settings || !self->positionals) {
        mot_config_destroy (&self);
        return NULL;
    }
    add_settings (self, options);
    add_settings (self, common_options);
    for (int i = 1; i < argc;) {
        if (strncmp (argv[i], "--", 2) == 0 && argv[i][2]) {
            int used = parse_flag (self, argc, argv, i);
            if (used == 0) {
                mot_config_destroy (&self);
                return NULL;
            }
            i += used;
        }
        else
            self->positionals[self->positional_count++] = argv[i++];
    }
    return self;
}

void
mot_config_destroy (mot_config_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    mot_config_t *self = *self_p;
    free (self->program);
    free (self->settings);
    free (self->positionals);
    free (self);
    *self_p = NULL;
}

const char *
mot_config_get (mot_config_t *self, const char *name)
{
    setting_t *setting = find_setting (self, name, strlen (name));
    return setting ? setting->value : NULL;
}

bool
mot_config_get_long (mot_config_t *self, const char *name, long min, long max, long *value)
{
    const char *text = mot_config_get (self, name);
    char *end = NULL;
    errno = 0;
    long parsed = text && *text ? strtol (text, &end, 10) : 0;
    if (!text || !*text || errno || *end || parsed < min || parsed > max) {
        fprintf (stderr, "%s: --%s must be an integer from %ld to %ld (got '%s')\n", self->program,
                 name, min, max, text ? text : "");
        return false;
    }
    *value = parsed;
    return true;
}

bool
mot_config_get_bool (mot_config_t *self, const char *name)
{
    return mot_config_text_is_true (mot_config_get (self, name));
}

bool
mot_config_text_is_true (const char *text)
{
    if (!text)
        return false;
    return strcmp (text, "1") == 0 || strcasecmp (text, "true") == 0 || strcasecmp (text, "yes") == 0
           || strcasecmp (text, "on") == 0;
}

int
mot_config_positional_count (mot_config_t *self)
{
    return self->positional_count;
}

const char *
mot_config_positional (mot_config_t *self, int index)
{
    return index >= 0 && index < self->positional_count ? self->positionals[index] : NULL;
}
