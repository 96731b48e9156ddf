/*  mot_date — civil dates as day numbers, and the local time zone.
 *
 *  Owns: the date arithmetic every module shares (proleptic Gregorian day
 *  numbers, strict YYYY-MM-DD / YYYY-MM parsing) and the mapping between unix
 *  seconds and local calendar dates in America/Mexico_City, which has been a
 *  fixed UTC-06:00 since October 2022 (no DST). A deadline "on day D" ends at
 *  23:59:59 local time of D.
 */
#ifndef MOT_DATE_H_INCLUDED
#define MOT_DATE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t mot_day_t;          /* days since 1970-01-01 */

#define MOT_UTC_OFFSET_SECONDS (-6 * 3600)
#define MOT_DAY_TEXT_SIZE 11        /* "YYYY-MM-DD" + NUL */

mot_day_t mot_day_from_ymd (int year, int month, int day);
void mot_day_to_ymd (mot_day_t day, int *year, int *month, int *dom);
/* 0 = Sunday … 6 = Saturday */
int mot_day_weekday (mot_day_t day);
bool mot_day_is_weekend (mot_day_t day);
int mot_days_in_month (int year, int month);
mot_day_t mot_day_last_of_month (int year, int month);
/* Strict "YYYY-MM-DD", a real date, year 1900..9999. */
bool mot_day_parse (const char *text, mot_day_t *day);
void mot_day_format (mot_day_t day, char out[MOT_DAY_TEXT_SIZE]);
/* Strict "YYYY-MM". */
bool mot_period_parse (const char *text, int *year, int *month);
/* Months as numbers, year * 12 + month - 1 (month 1..12), so that the
 * month after m is m + 1: from a year and month, back, and as "YYYY-MM"
 * (out holds 8 bytes or more). */
int mot_month_index (int year, int month);
int mot_month_index_year (int index);
int mot_month_index_month (int index);
void mot_month_index_text (int index, char *out, size_t size);
/* The month of an instant's local date. */
int mot_month_index_local_of (int64_t unix_seconds);
/* The Spanish name of a month (1..12): "enero" … "diciembre"; "" otherwise. */
const char *mot_month_name (int month);
/* "noviembre de 2026" for "2026-11" into out; false (out empty) when
 * `period` is not a month or out is too small. */
bool mot_period_name (const char *period, char *out, size_t size);

/* Local (America/Mexico_City) date of an instant, and the instants a local day
 * starts (00:00:00) and ends (23:59:59). */
mot_day_t mot_day_local_of (int64_t unix_seconds);
int64_t mot_day_start_local (mot_day_t day);
int64_t mot_day_end_local (mot_day_t day);

#endif
