/*  motctl — the command line for people and scripts.
 *
 *  Owns: the verb table. Each verb is `int motctl_<verb> (int argc, char **argv)`
 *  with argv[0] the verb's name, returning the process exit code (0 ok,
 *  1 failure, 2 usage). Endpoints come from the same environment variables
 *  the services read (MOT_INTAKE_INGRESS, MOT_REPORTER_QUERY,
 *  MOT_NOTIFIER_PUBLISH, MOT_REDIS), or their defaults (mot_endpoints.h).
 */
#ifndef MOTCTL_H_INCLUDED
#define MOTCTL_H_INCLUDED

#include "mot_endpoints.h"

#include <jansson.h>

/* The value of environment variable `name`, or `fallback`. */
const char *motctl_env (const char *name, const char *fallback);

int motctl_submit (int argc, char **argv);      /* motctl_submit.c */
int motctl_deliver (int argc, char **argv);
int motctl_clock (int argc, char **argv);
int motctl_due (int argc, char **argv);         /* motctl_calendar.c */
int motctl_holidays (int argc, char **argv);
int motctl_items (int argc, char **argv);       /* motctl_query.c */
int motctl_mupoi (int argc, char **argv);
int motctl_muro (int argc, char **argv);
int motctl_obligations (int argc, char **argv);
int motctl_unclassified (int argc, char **argv);
int motctl_audit (int argc, char **argv);
int motctl_positions (int argc, char **argv);
int motctl_map (int argc, char **argv);
int motctl_report (int argc, char **argv);
int motctl_status (int argc, char **argv);
int motctl_subscribe (int argc, char **argv);
int motctl_cert (int argc, char **argv);        /* motctl_cert.c */

/* The reporter's STATUS of an event as a JSON object (caller decrefs), or
 * NULL with *error (malloc'd). */
json_t *motctl_event_status (const char *event_id, int timeout_ms, char **error);

#endif
