/*  mot_calendar — Mexican business days (MOT-SPEC §5).
 *
 *  Owns: which local dates are working days for the IMSS. Non-working are
 *  Saturdays, Sundays, the statutory rest days of Ley Federal del Trabajo
 *  art. 74 computed for any year (1 Jan; first Monday of Feb; third Monday of
 *  Mar; 1 May; 16 Sep; 1 Oct every six years from 2024; third Monday of Nov;
 *  25 Dec), and the extra days the Institute publishes, loaded from a data file
 *  (one "YYYY-MM-DD<TAB>name" per line, '#' comments, blank lines allowed).
 *  "N business days after X" is the N-th business day counted from the day
 *  after X; X itself never counts.
 */
#ifndef MOT_CALENDAR_H_INCLUDED
#define MOT_CALENDAR_H_INCLUDED

#include "mot_date.h"
#include <stddef.h>

typedef struct _mot_calendar_t mot_calendar_t;

/* The calendar with the extra non-working days of `path` (NULL: statutory
 * days only). On a bad file returns NULL and sets *error to a malloc'd text
 * naming the line (caller frees). */
mot_calendar_t *mot_calendar_new (const char *path, char **error);
void mot_calendar_destroy (mot_calendar_t **self_p);

/* The LFT art. 74 rest day falling on `day`, or NULL. */
const char *mot_calendar_statutory_holiday (mot_day_t day);
/* The statutory or extra non-working day on `day` (NULL: none). Weekends are
 * not named. */
const char *mot_calendar_holiday_name (mot_calendar_t *self, mot_day_t day);
bool mot_calendar_is_business_day (mot_calendar_t *self, mot_day_t day);
/* The n-th business day after `from` (n >= 1); n == 0 returns `from`. */
mot_day_t mot_calendar_add_business_days (mot_calendar_t *self, mot_day_t from, int n);
/* The n-th business day after the last day of month (year, month). */
mot_day_t mot_calendar_after_month_close (mot_calendar_t *self, int year, int month, int n);
/* `day` itself when it is a business day, else the first business day after
 * it (what is received on a non-business day counts as received then). */
mot_day_t mot_calendar_next_business_day (mot_calendar_t *self, mot_day_t day);
/* Business days in (from, to]; 0 when to <= from. "Late by N business days". */
int mot_calendar_business_days_between (mot_calendar_t *self, mot_day_t from, mot_day_t to);

/* Calls fn for each non-working weekday of `year` (statutory and extra), in
 * date order, once per date. */
typedef void (mot_calendar_holiday_fn) (mot_day_t day, const char *name, void *arg);
void mot_calendar_each_holiday (mot_calendar_t *self, int year, mot_calendar_holiday_fn *fn, void *arg);

/* The shipped default extra-days file. */
#define MOT_CALENDAR_DEFAULT_FILE MOT_DEPLOY_DIR "/calendar/dias-inhabiles.tsv"

#endif
