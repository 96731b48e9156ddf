/*  mot_obligations — the catalogue of report obligations (MOT-SPEC §5).
 *
 *  Owns: loading deploy/obligations.tsv, a data file the ops team edits
 *  without a rebuild (its header comment documents the columns), the
 *  deadline rules it names, and the shape of obligation ids. Two rules:
 *    month_close  N business days after the close of the period month
 *                 (period = YYYY-MM of the month reported; "within the first
 *                 N business days of each month" is the same date, with the
 *                 previous month as period);
 *    event:<trig> N business days after the day a trigger event occurred
 *                 (period = the trigger's reference).
 *  An obligation id is "<UNIT>:<code>:<period>", e.g. "UAD:quejas-gestiones:2026-10".
 */
#ifndef MOT_OBLIGATIONS_H_INCLUDED
#define MOT_OBLIGATIONS_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_calendar.h"
#include "mot_date.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    MOT_RULE_MONTH_CLOSE = 1,       /* monthly, n bd after the close of the period */
    MOT_RULE_EVENT = 2              /* n bd after a trigger event */
} mot_obligation_rule_t;

/* One row of the catalogue. Strings are owned by the catalogue. */
typedef struct {
    Mot__V1__Source unit;
    const char *unit_name;          /* "UAD" */
    const char *code;               /* "quejas-gestiones": [a-z0-9-], unique per unit */
    const char *stage;              /* identificacion | seguimiento | monitoreo | plan */
    mot_obligation_rule_t rule;
    const char *trigger;            /* MOT_RULE_EVENT: "rtm_held"; NULL otherwise */
    int n;                          /* business days, 1..MOT_OBLIGATION_MAX_DAYS */
    const char *name;               /* the norm's name, Spanish */
    int line;                       /* line in the file, for messages */
} mot_obligation_def_t;

typedef struct _mot_obligations_t mot_obligations_t;

#define MOT_OBLIGATION_MAX_DAYS 60
#define MOT_OBLIGATION_MAX_CODE 64
#define MOT_OBLIGATION_MAX_NAME 300 /* bytes */
/* The longest period / trigger reference accepted in an obligation id. */
#define MOT_OBLIGATION_MAX_REF 128

/* Loads the catalogue. On a bad file returns NULL and sets *error to a
 * malloc'd "PATH:LINE: reason" (caller frees). */
mot_obligations_t *mot_obligations_new (const char *path, char **error);
void mot_obligations_destroy (mot_obligations_t **self_p);

size_t mot_obligations_size (mot_obligations_t *self);
/* The index-th row in file order; NULL past the end. */
const mot_obligation_def_t *mot_obligations_at (mot_obligations_t *self, size_t index);
/* The row of (unit, code), or NULL. */
const mot_obligation_def_t *mot_obligations_find (mot_obligations_t *self, Mot__V1__Source unit,
                                                  const char *code);

/* Deadline of a month_close obligation for period (year, month). */
mot_day_t mot_obligation_deadline_for_month (const mot_obligation_def_t *def, mot_calendar_t *calendar,
                                             int year, int month);
/* Deadline of an event obligation whose trigger occurred on `occurred_on`. */
mot_day_t mot_obligation_deadline_after_event (const mot_obligation_def_t *def,
                                               mot_calendar_t *calendar, mot_day_t occurred_on);
/* The business day that lies `business_days` business days before `deadline`
 * (so that business_days_between (result, deadline) == business_days);
 * `deadline` itself when business_days <= 0. */
mot_day_t mot_obligation_reminder_day (mot_calendar_t *calendar, mot_day_t deadline, int business_days);

/* True when `ref` may be used as a period in an obligation id and Redis key:
 * 1..MOT_OBLIGATION_MAX_REF bytes of printable ASCII other than
 * '|', '{', '}', and spaces (ids are split on '|', keys hash-tagged on {}). */
bool mot_obligation_ref_is_safe (const char *ref);
/* "<UNIT>:<code>:<period>" (malloc'd, caller frees; NULL on allocation failure). */
char *mot_obligation_id (const mot_obligation_def_t *def, const char *period);

#define MOT_OBLIGATIONS_DEFAULT_FILE MOT_DEPLOY_DIR "/obligations.tsv"

#endif
