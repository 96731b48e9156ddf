/*  mot_date — civil dates as day numbers, and the local time zone.
 *
 *  Owns: the proleptic Gregorian arithmetic (Howard Hinnant's
 *  days_from_civil / civil_from_days), strict date parsing and formatting,
 *  and the fixed UTC-06:00 mapping between unix seconds and local dates.
 */
#include "mot_date.h"

#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400
#define MIN_YEAR 1900
#define MAX_YEAR 9999

mot_day_t
mot_day_from_ymd (int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                        /* [0, 399] */
    int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                /* [0, 146096] */
    return (mot_day_t) (era * 146097 + doe - 719468);
}

void
mot_day_to_ymd (mot_day_t day, int *year, int *month, int *dom)
{
    int z = (int) day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;                                     /* [0, 146096] */
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
    int mp = (5 * doy + 2) / 153;                                   /* [0, 11] */
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (dom)
        *dom = d;
}

int
mot_day_weekday (mot_day_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    return day >= -4 ? (int) ((day + 4) % 7) : (int) ((day + 5) % 7 + 6);
}

bool
mot_day_is_weekend (mot_day_t day)
{
    int weekday = mot_day_weekday (day);
    return weekday == 0 || weekday == 6;
}

static bool
is_leap_year (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
mot_days_in_month (int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap_year (year))
        return 29;
    return days[month - 1];
}

mot_day_t
mot_day_last_of_month (int year, int month)
{
    return mot_day_from_ymd (year, month, mot_days_in_month (year, month));
}

/* Reads exactly `count` ASCII digits from `text` into *value. */
static bool
read_digits (const char *text, int count, int *value)
{
    int result = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        result = result * 10 + (text[i] - '0');
    }
    *value = result;
    return true;
}

/* "YYYY-MM" at the start of text, year 1900..9999, month 1..12. */
static bool
read_year_month (const char *text, int *year, int *month)
{
    int y, m;
    if (!read_digits (text, 4, &y) || text[4] != '-' || !read_digits (text + 5, 2, &m))
        return false;
    if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12)
        return false;
    *year = y;
    *month = m;
    return true;
}

bool
mot_day_parse (const char *text, mot_day_t *day)
{
    int year, month, dom;
    if (!text || !read_year_month (text, &year, &month))
        return false;
    if (text[7] != '-' || !read_digits (text + 8, 2, &dom) || text[10] != '\0')
        return false;
    if (dom < 1 || dom > mot_days_in_month (year, month))
        return false;
    if (day)
        *day = mot_day_from_ymd (year, month, dom);
    return true;
}

void
mot_day_format (mot_day_t day, char out[MOT_DAY_TEXT_SIZE])
{
    int year, month, dom;
    mot_day_to_ymd (day, &year, &month, &dom);
    if (year < 0 || year > MAX_YEAR) {
        /* Never produced from parsed dates; an unparseable marker rather
         * than a wrong date. */
        snprintf (out, MOT_DAY_TEXT_SIZE, "0000-00-00");
        return;
    }
    /* By hand: dates are formatted for every obligation a batch creates,
     * and a formatted print costs several times this. */
    unsigned y = (unsigned) year % 10000u, m = (unsigned) month % 100u, d = (unsigned) dom % 100u;
    const char text[MOT_DAY_TEXT_SIZE] = {(char) ('0' + y / 1000), (char) ('0' + y / 100 % 10), (char) ('0' + y / 10 % 10),
                                          (char) ('0' + y % 10), '-', (char) ('0' + m / 10), (char) ('0' + m % 10), '-',
                                          (char) ('0' + d / 10), (char) ('0' + d % 10), 0};
    memcpy (out, text, MOT_DAY_TEXT_SIZE);
}

bool
mot_period_parse (const char *text, int *year, int *month)
{
    int y, m;
    if (!text || !read_year_month (text, &y, &m) || text[7] != '\0')
        return false;
    if (year)
        *year = y;
    if (month)
        *month = m;
    return true;
}

int
mot_month_index (int year, int month)
{
    return year * 12 + month - 1;
}

int
mot_month_index_year (int index)
{
    return index / 12;
}

int
mot_month_index_month (int index)
{
    return index % 12 + 1;
}

void
mot_month_index_text (int index, char *out, size_t size)
{
    snprintf (out, size, "%04d-%02d", mot_month_index_year (index), mot_month_index_month (index));
}

int
mot_month_index_local_of (int64_t unix_seconds)
{
    int year, month, dom;
    mot_day_to_ymd (mot_day_local_of (unix_seconds), &year, &month, &dom);
    return mot_month_index (year, month);
}

const char *
mot_month_name (int month)
{
    static const char *const names[12] = {"enero",  "febrero", "marzo",      "abril",   "mayo",      "junio",
                                          "julio",  "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
    return month >= 1 && month <= 12 ? names[month - 1] : "";
}

bool
mot_period_name (const char *period, char *out, size_t size)
{
    int year, month;
    if (size > 0)
        *out = '\0';
    if (!mot_period_parse (period, &year, &month))
        return false;
    int written = snprintf (out, size, "%s de %d", mot_month_name (month), year);
    if (written < 0 || (size_t) written >= size) {
        if (size > 0)
            *out = '\0';
        return false;
    }
    return true;
}

/* floor (a / b) for b > 0. */
static int64_t
floor_divide (int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

mot_day_t
mot_day_local_of (int64_t unix_seconds)
{
    return (mot_day_t) floor_divide (unix_seconds + MOT_UTC_OFFSET_SECONDS, SECONDS_PER_DAY);
}

int64_t
mot_day_start_local (mot_day_t day)
{
    return (int64_t) day * SECONDS_PER_DAY - MOT_UTC_OFFSET_SECONDS;
}

int64_t
mot_day_end_local (mot_day_t day)
{
    return mot_day_start_local (day) + SECONDS_PER_DAY - 1;
}
