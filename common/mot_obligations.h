/*  mot_obligations — the catalogue of report obligations (MOT-SPEC §5).
 *
 *  Owns: loading deploy/obligations.tsv, a data file the ops team edits
 *  without a rebuild (its header comment documents the columns), the
 *  deadline rules it names, and the shape of obligation ids. The rules:
 *    month_close  N business days after the close of the period month
 *                 (period = YYYY-MM of the month reported; "within the first
 *                 N business days of each month" is the same date, with the
 *                 previous month as period);
 *    event:<trig> N business days after the day a trigger event occurred
 *                 (period = the trigger's reference);
 *    action       on the due date an ActionDue recorded (n = 0; period =
 *                 the action id; code = the action kind);
 *    last_update:<trig>  monthly, N business days after the later of the
 *                 month's close and the last <trig> TriggerEvent whose ref is
 *                 that month (YYYY-MM);
 *    fortnight:<stem>    N business days after each cut-off (the 15th and the
 *                 last day of a month) while a follow-up opened by a
 *                 <stem>_opened TriggerEvent is not closed by <stem>_closed
 *                 (period = "<ref>@<cut-off date>");
 *    after:<UNIT>/<code>,...  monthly, N business days after the later of
 *                 the month's close and the delivery of the last of the
 *                 named monthly reports of that period; from the month's
 *                 close until then the instance waits (status waiting,
 *                 naming the reports still missing, no timers);
 *    quarter_close N business days after the close of a quarter's last month
 *                 (March, June, September, December); period = "YYYY-Qn"
 *                 (n = 1..4), e.g. "2027-Q1" is due n bd after 2027-03-31.
 *  Every deadline is "n business days after an anchor day" (add_business_days
 *  (anchor, n)), so it can be recomputed when the calendar changes.
 *  A delivery made on a Saturday, Sunday or non-working day counts as
 *  received on the next business day, so one after the deadline is at least
 *  1 business day late (Mexican administrative practice); one made on or
 *  before the deadline day is on time.
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
    MOT_RULE_EVENT = 2,             /* n bd after a trigger event */
    MOT_RULE_ACTION = 3,            /* on the due date recorded with an ActionDue (n = 0) */
    MOT_RULE_LAST_UPDATE = 4,       /* monthly, n bd after max(close, last recorded update) */
    MOT_RULE_FORTNIGHT = 5,         /* n bd after each cut-off (15th, last day) while open */
    MOT_RULE_AFTER = 6,             /* monthly, n bd after the last of `deps` is delivered */
    MOT_RULE_QUARTER_CLOSE = 7      /* quarterly, n bd after the close of the quarter (period YYYY-Qn) */
} mot_obligation_rule_t;

/* One report an after: rule waits for. */
typedef struct {
    Mot__V1__Source unit;
    const char *code;
} mot_obligation_dep_t;

/* One row of the catalogue. Strings are owned by the catalogue. */
typedef struct {
    Mot__V1__Source unit;
    const char *unit_name;          /* "UAD" */
    const char *code;               /* "quejas-gestiones": [a-z0-9-], unique per unit */
    const char *stage;              /* identificacion | seguimiento | monitoreo | plan */
    mot_obligation_rule_t rule;
    const char *trigger;            /* EVENT, LAST_UPDATE: the trigger ("rtm_held");
                                       FORTNIGHT: the stem of <stem>_opened / <stem>_closed;
                                       NULL otherwise */
    mot_obligation_dep_t *deps;     /* AFTER: the reports waited for; NULL otherwise */
    size_t dep_count;
    int n;                          /* business days, 1..MOT_OBLIGATION_MAX_DAYS (0 for ACTION) */
    const char *name;               /* the norm's name, Spanish */
    int line;                       /* line in the file, for messages */
} mot_obligation_def_t;

typedef struct _mot_obligations_t mot_obligations_t;

#define MOT_OBLIGATION_MAX_DAYS 60
#define MOT_OBLIGATION_MAX_CODE 64
#define MOT_OBLIGATION_MAX_NAME 300 /* bytes */
/* The longest period / trigger reference accepted in an obligation id. */
#define MOT_OBLIGATION_MAX_REF 128
/* Room for a formatted period of a monthly ("YYYY-MM") or quarterly
 * ("YYYY-Qn") rule. */
#define MOT_OBLIGATION_PERIOD_SIZE 16

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
/* Deadline of a quarter_close obligation for period (year, quarter 1..4). */
mot_day_t mot_obligation_deadline_for_quarter (const mot_obligation_def_t *def, mot_calendar_t *calendar,
                                               int year, int quarter);
/* Deadline of an event obligation whose trigger occurred on `occurred_on`. */
mot_day_t mot_obligation_deadline_after_event (const mot_obligation_def_t *def,
                                               mot_calendar_t *calendar, mot_day_t occurred_on);
/* The business day that lies `business_days` business days before `deadline`
 * (so that business_days_between (result, deadline) == business_days);
 * `deadline` itself when business_days <= 0. */
mot_day_t mot_obligation_reminder_day (mot_calendar_t *calendar, mot_day_t deadline, int business_days);

/* month_close or last_update: one instance per month. */
bool mot_obligation_is_monthly (const mot_obligation_def_t *def);
/* quarter_close: one instance per quarter. */
bool mot_obligation_is_quarterly (const mot_obligation_def_t *def);
/* Strict "YYYY-Qn", n = 1..4 (year 1900..9999). */
bool mot_obligation_quarter_parse (const char *text, int *year, int *quarter);
/* The quarter (1..4) whose last month is `month` (3, 6, 9, 12); 0 for the
 * other months. */
int mot_obligation_quarter_closed_by (int month);
/* The day a period of `def` closes: the month's last day (YYYY-MM) for
 * monthly and after: rules, the quarter's last day (YYYY-Qn) for
 * quarter_close. False when the rule has no periods of its own or `period`
 * does not fit it. */
bool mot_obligation_period_close (const mot_obligation_def_t *def, const char *period, mot_day_t *close);
/* The anchor of an after: rule once every report it waits for is in: the
 * later of the month's close and the last delivery (a report on a month
 * cannot fall due before the month has closed). */
mot_day_t mot_obligation_after_anchor (mot_day_t close, mot_day_t last_delivered_on);
/* Business days late of a delivery made on `delivered_on` for `deadline`:
 * 0 on or before the deadline day; after it, the business days in
 * (deadline, the first business day from delivered_on on], so a delivery
 * on a non-business day counts as received on the next business day (a
 * Saturday delivery for a Friday deadline is 1 day late). */
int mot_obligation_business_days_late (mot_calendar_t *calendar, mot_day_t deadline, mot_day_t delivered_on);
/* AFTER rules: true when (unit, code) is one of the reports waited for. */
bool mot_obligation_depends_on (const mot_obligation_def_t *def, Mot__V1__Source unit, const char *code);
/* The last day of month (year, month): the anchor of monthly deadlines. */
mot_day_t mot_obligation_month_close (int year, int month);
/* The first fortnightly cut-off (15th or last day of a month) strictly after `day`. */
mot_day_t mot_obligation_fortnight_cut_after (mot_day_t day);
/* The day escalation `level` (1, 2, ...) is due: level × every_bd business
 * days after the deadline (it fires at the start of that day, when the
 * obligation is level × every_bd business days late). */
mot_day_t mot_obligation_escalation_day (mot_calendar_t *calendar, mot_day_t deadline, int level, int every_bd);

/* True when `ref` may be used as a period in an obligation id and Redis key:
 * 1..MOT_OBLIGATION_MAX_REF bytes of printable ASCII other than
 * '|', '{', '}', and spaces (ids are split on '|', keys hash-tagged on {}). */
bool mot_obligation_ref_is_safe (const char *ref);
/* "<UNIT>:<code>:<period>" (malloc'd, caller frees; NULL on allocation failure). */
char *mot_obligation_id (const mot_obligation_def_t *def, const char *period);

#define MOT_OBLIGATIONS_DEFAULT_FILE MOT_DEPLOY_DIR "/obligations.tsv"

#endif
