/*  report_archive — the monthly reports the reporter generates by itself.
 *
 *  Owns: the stored monthly CAPSOI → TDOE reports (norm 7.2.4.14) and the
 *  notice of their availability. Keys (mot_schema.h): the report
 *  mot:report:monthly:{M} (MOT_REPORT_FIELDS: the standalone HTML, the
 *  figures as JSON, when, the obligation, the notice's seq), the index
 *  mot:reports:monthly (month → when), the leases
 *  mot:report:monthly:{M}:lease and the mark mot:reports:monthly:next.
 *
 *  A month's report is due once its report obligation (--report-obligation,
 *  "CAPSOI:comportamiento-mensual": the after: row of the catalogue, which
 *  waits for the month's identification and follow-up reports) exists and
 *  no longer waits, i.e. the month's inputs are all delivered. Each look
 *  (report_archive_look) goes over the months from the mark to the last
 *  closed month (at most 24): a due month without a stored report is built
 *  (monthly_report, monthly_html) by the reporter that takes its lease
 *  (SET NX EX, so that two reporters do not both build it), and archive.lua
 *  stores it and logs its REPORT_AVAILABLE notice to the addressee
 *  (--report-to, "TDOE") in one step, unless another reporter stored it
 *  first: one report and one notice per month, whoever builds it and
 *  however often. A month whose positions the watcher has not frozen yet
 *  waits for a later look. The mark then moves past the months whose
 *  report is stored, and past those the watcher handled without creating
 *  the obligation (months before it started: no report will come). With
 *  no mark yet the looks start at --reports-from, or else at the month
 *  before today.
 *
 *  The stored report is the month's official version, as it stood when it
 *  was generated; recording the obligation's delivery (motctl deliver
 *  CAPSOI comportamiento-mensual M) is what clears 7.2.4.14, as for every
 *  report. motctl report monthly M --stored and the dashboard read it.
 */
#ifndef REPORT_ARCHIVE_H_INCLUDED
#define REPORT_ARCHIVE_H_INCLUDED

#include "mot_redis.h"
#include "register_filter.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The report obligation of the shipped catalogue (deploy/obligations.tsv):
 * --report-obligation's default, and the one the dashboard shows. */
#define REPORT_ARCHIVE_UNIT "CAPSOI"
#define REPORT_ARCHIVE_CODE "comportamiento-mensual"

typedef struct _report_archive_t report_archive_t;

/* obligation: "UNIT:code" of the report obligation; addressee: the
 * notice's recipient (e.g. TDOE); reports_from: "YYYY-MM" or "" / NULL.
 * NULL (logged) on a bad option. */
report_archive_t *report_archive_new (mot_redis_t *redis, const char *obligation, const char *addressee,
                                      const char *reports_from);
void report_archive_destroy (report_archive_t **self_p);

/* One look at `now` (the service clock): builds and stores the reports
 * that are due. Returns how many this call stored, -1 when Redis failed
 * (the next look retries). */
int report_archive_look (report_archive_t *self, int64_t now);

/* The stored report of `month`: its HTML document (html) or its figures
 * (JSON), malloc'd, *size bytes; NULL with *error: INVALID_VALUE naming
 * "period" (not a month, or no report stored for it), UNAVAILABLE. */
char *report_archive_read (mot_redis_t *redis, const char *month, bool html, size_t *size,
                           register_filter_error_t *error);

#endif
