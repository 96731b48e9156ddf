/*  fuzz_datafiles — the TSV data files the ops team edits, read by their
 *  real loaders: the first input byte picks the file, the rest is its
 *  content (an in-memory file, fuzz_file):
 *    0 calendar/dias-inhabiles.tsv   mot_calendar_new
 *    1 catalog/territories.tsv       mot_catalog_new
 *    2 catalog/on.tsv                mot_catalog_new_on
 *    3 obligations.tsv               mot_obligations_new
 *    4 escalation.tsv                escalation_new (deadline-watcher)
 *    5 rules/classification.tsv      rules_new (classifier), the other two shipped
 *    6 rules/frequency.tsv           the same
 *    7 rules/impact.tsv              the same
 *  A file that loads is then used as the services use it.
 *
 *  Invariants: a refused file names its line (an error "PATH:LINE: …"); a
 *  loaded calendar's n-th business day after a day is a business day n
 *  business days later; deadlines fall after the period they close; an
 *  escalation level's recipients exist for 1..levels and the highest level
 *  is at most the last; the classifier's scores are 1..10 and its
 *  frequency lookup has one score per count.
 */
#include "fuzz.h"
#include "mot_calendar.h"
#include "mot_catalog.h"
#include "mot_obligations.h"
#include "mot_text.h"
#include "escalation.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

enum { CALENDAR, TERRITORIES, ONS, OBLIGATIONS, ESCALATION, CLASSIFICATION, FREQUENCY, IMPACT, FILES };

static mot_calendar_t *shipped_calendar;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    char *error = NULL;
    shipped_calendar = mot_calendar_new (MOT_CALENDAR_DEFAULT_FILE, &error);
    FUZZ_ASSERT (shipped_calendar);
    return 0;
}

/* A refusal says where: "PATH:LINE: reason". */
static void
check_refusal (const char *path, char *error)
{
    FUZZ_ASSERT (error);
    size_t length = strlen (path);
    FUZZ_ASSERT (strncmp (error, path, length) == 0 && error[length] == ':');
    free (error);
}

static void
on_holiday (mot_day_t day, const char *name, void *arg)
{
    FUZZ_ASSERT (name && !mot_day_is_weekend (day));
    mot_day_t *previous = arg;
    FUZZ_ASSERT (day > *previous);
    *previous = day;
}

static void
use_calendar (mot_calendar_t *calendar)
{
    mot_day_t from = mot_day_from_ymd (2026, 1, 1);
    for (int n = 1; n <= 60; n += 7) {
        mot_day_t due = mot_calendar_add_business_days (calendar, from, n);
        FUZZ_ASSERT (due > from && mot_calendar_is_business_day (calendar, due));
        FUZZ_ASSERT (mot_calendar_business_days_between (calendar, from, due) == n);
    }
    mot_day_t previous = 0;
    for (int year = 2024; year <= 2031; year++)
        mot_calendar_each_holiday (calendar, year, on_holiday, &previous);
}

static void
use_catalog (mot_catalog_t *catalog)
{
    const char *codes[] = {"OOAD-01", "UMAE-03", "DPM", "", "OOAD"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (mot_catalog_has (catalog, codes[i]))
            FUZZ_ASSERT (mot_catalog_name (catalog, codes[i]) && mot_catalog_kind (catalog, codes[i]));
    (void) mot_catalog_size (catalog);
}

static void
use_obligations (mot_obligations_t *obligations)
{
    for (size_t i = 0; i < mot_obligations_size (obligations); i++) {
        const mot_obligation_def_t *def = mot_obligations_at (obligations, i);
        FUZZ_ASSERT (def && mot_obligations_find (obligations, def->unit, def->code));
        if (def->rule == MOT_RULE_MONTH_CLOSE)
            FUZZ_ASSERT (mot_obligation_deadline_for_month (def, shipped_calendar, 2026, 12)
                         > mot_obligation_month_close (2026, 12));
        if (def->rule == MOT_RULE_QUARTER_CLOSE)
            FUZZ_ASSERT (mot_obligation_deadline_for_quarter (def, shipped_calendar, 2026, 4)
                         > mot_obligation_month_close (2026, 12));
        if (def->rule == MOT_RULE_EVENT)
            FUZZ_ASSERT (mot_obligation_deadline_after_event (def, shipped_calendar, mot_day_from_ymd (2026, 5, 4))
                         > mot_day_from_ymd (2026, 5, 4));
        mot_day_t close;
        (void) mot_obligation_period_close (def, "2026-05", &close);
        (void) mot_obligation_period_close (def, "2026-Q2", &close);
        (void) mot_obligation_depends_on (def, MOT__V1__SOURCE__UAD, "quejas-gestiones");
        char *id = mot_obligation_id (def, "2026-05");
        FUZZ_ASSERT (id);
        free (id);
    }
}

static void
use_escalation (escalation_t *escalation)
{
    size_t levels = escalation_levels (escalation);
    FUZZ_ASSERT (levels >= 1 && levels <= ESCALATION_MAX_LEVELS);
    for (size_t level = 1; level <= levels; level++) {
        size_t count = 0;
        char **recipients = escalation_recipients (escalation, (int) level, &count);
        FUZZ_ASSERT (recipients && count >= 1);
        for (size_t i = 0; i < count; i++)
            FUZZ_ASSERT (recipients[i] && *recipients[i]);
    }
    size_t none = 1;
    FUZZ_ASSERT (!escalation_recipients (escalation, (int) levels + 1, &none) && none == 0);
    bool capped = false;
    FUZZ_ASSERT (escalation_highest_level (escalation, -1, &capped) == (int) levels && !capped);
    FUZZ_ASSERT (escalation_highest_level (escalation, 1000, &capped) == (int) levels && capped);
}

static void
use_rules (rules_t *rules)
{
    char *text = mot_text_normalise ("Trato digno; muerte materna en la UMAE, fallecimiento");
    FUZZ_ASSERT (text);
    rules_match_t match = rules_match (rules, text);
    free (text);
    FUZZ_ASSERT (match.category);
    const char *lookup = rules_frequency_lookup (rules);
    FUZZ_ASSERT (lookup && *lookup);
    size_t counts = strlen (lookup);
    FUZZ_ASSERT (counts <= RULES_MAX_MIN_EVENTS + 1);
    for (size_t count = 0; count < counts; count += 1 + count / 2) {
        int score = rules_frequency (rules, (long) count);
        FUZZ_ASSERT (score >= 1 && score <= 10 && lookup[count] == '0' + score);
    }
    FUZZ_ASSERT (rules_frequency (rules, 1L << 40) == lookup[counts - 1] - '0');
    const char *sources[] = {"UAD", "UCS", "UEOD", "CV", "CAPSOI"};
    const char *places[] = {"OOAD-01", "UMAE-03", "OOAD-35", "X"};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 4; j++) {
            rules_impact_input_t input = {.source = sources[i], .territory = places[j],
                                          .keyword_impact = match.impact, .has_reach = j % 2,
                                          .reach = (uint32_t) (j * 4000000u), .given_impact = 0};
            char *basis = NULL;
            int impact = rules_impact (rules, &input, &basis);
            FUZZ_ASSERT (impact >= 1 && impact <= 10 && basis);
            free (basis);
        }
}

static void
load_rules (int which, const char *path)
{
    const char *paths[] = {MOT_DEPLOY_DIR "/rules/classification.tsv", MOT_DEPLOY_DIR "/rules/frequency.tsv",
                           MOT_DEPLOY_DIR "/rules/impact.tsv"};
    paths[which - CLASSIFICATION] = path;
    char *error = NULL;
    rules_t *rules = rules_new (paths[0], paths[1], paths[2], 5, &error);
    if (rules) {
        FUZZ_ASSERT (!error);
        use_rules (rules);
        rules_destroy (&rules);
    }
    else
        check_refusal (path, error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % FILES;
    const char *path = fuzz_file (0, data + 1, size - 1);
    FUZZ_ASSERT (path);
    char *error = NULL;
    switch (which) {
    case CALENDAR: {
        mot_calendar_t *calendar = mot_calendar_new (path, &error);
        if (calendar)
            use_calendar (calendar);
        else
            check_refusal (path, error);
        mot_calendar_destroy (&calendar);
        break;
    }
    case TERRITORIES:
    case ONS: {
        mot_catalog_t *catalog = which == ONS ? mot_catalog_new_on (path, &error) : mot_catalog_new (path, &error);
        if (catalog)
            use_catalog (catalog);
        else
            check_refusal (path, error);
        mot_catalog_destroy (&catalog);
        break;
    }
    case OBLIGATIONS: {
        mot_obligations_t *obligations = mot_obligations_new (path, &error);
        if (obligations)
            use_obligations (obligations);
        else
            check_refusal (path, error);
        mot_obligations_destroy (&obligations);
        break;
    }
    case ESCALATION: {
        escalation_t *escalation = escalation_new (path, &error);
        if (escalation)
            use_escalation (escalation);
        else
            check_refusal (path, error);
        escalation_destroy (&escalation);
        break;
    }
    default: load_rules (which, path);
    }
    return 0;
}
