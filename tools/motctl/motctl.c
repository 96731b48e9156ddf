/*  motctl — entry point: picks the verb and runs it.
 */
#include "motctl.h"
#include "mot_log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run) (int argc, char **argv);
    const char *usage;
} motctl_verb_t;

static const motctl_verb_t verbs[] = {
    {"submit", motctl_submit, "submit [--wait] < events.jsonl       submit events (JSON Lines), print one ack per line (--wait: and its outcome)"},
    {"deliver", motctl_deliver, "deliver UNIT REPORT PERIOD [DATE]     record a report delivery"},
    {"items", motctl_items, "items [--csv] [FILTERS]               list all items"},
    {"mupoi", motctl_mupoi, "mupoi [--csv] [FILTERS]               the MUPOI (problemáticas)"},
    {"muro", motctl_muro, "muro [--csv] [FILTERS]                the MURO (riesgos)"},
    {"unclassified", motctl_unclassified, "unclassified [--csv] [FILTERS]        items no rule classified (\"sin clasificar\"), for an analyst"},
    {"audit", motctl_audit, "audit ITEM_ID                         the item's audit trail, one JSON object per line"},
    {"map", motctl_map, "map mupoi|muro [--period M] [--compare M] [filters]  a map as SVG (stdout)"},
    {"report", motctl_report, "report monthly YYYY-MM [--html|--pdf F] [--stored] the monthly CAPSOI → TDOE report: figures (JSON), HTML or PDF; --stored: as generated once its inputs were in"},
    {"positions", motctl_positions, "positions ITEM_ID                     the item's position at each month's close, and now (JSON lines)"},
    {"status", motctl_status, "status EVENT_ID                       what became of an event: pending, applied or refused (and why)"},
    {"obligations", motctl_obligations, "obligations [--csv]                   report obligations and their state"},
    {"cert", motctl_cert, "cert create NAME --role R ... | list | revoke NAME   the CURVE certificates (--dir, MOT_CERTS)"},
    {"subscribe", motctl_subscribe, "subscribe [--topic PREFIX]... [--count N] [--timeout SEC]   print notices as JSON lines"},
    {"clock", motctl_clock, "clock show|set DATETIME|advance DURATION|clear   move the test clock (test mode only)"},
    {"due", motctl_due, "due [--calendar FILE] DATE N          the N-th business day after DATE"},
    {"holidays", motctl_holidays, "holidays [--calendar FILE] YEAR       that year's non-working weekdays"},
};

const char *
motctl_env (const char *name, const char *fallback)
{
    const char *value = getenv (name);
    return value && *value ? value : fallback;
}

static void
print_usage (FILE *out)
{
    fprintf (out, "usage: motctl VERB [ARGS]\n\nverbs:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf (out, "  motctl %s\n", verbs[i].usage);
    fprintf (out, "\nFILTERS (combined; open items unless --closed or --all):\n"
                  "  --unit UNIT --territory CODE --on ON --category CATEGORY --quadrant 1..4|I..IV\n"
                  "  --stage identificacion|seguimiento|monitoreo|mejora_continua|cerrado --closed --all\n");
    fprintf (out,
             "\nenvironment: MOT_INTAKE_INGRESS (%s), MOT_REPORTER_QUERY (%s),\n"
             "  MOT_NOTIFIER_PUBLISH (%s), MOT_REDIS (%s),\n"
             "  MOT_REDIS_USER (motctl), MOT_REDIS_SECRETS (none: no AUTH) for the clock verbs\n",
             MOT_DEFAULT_INGRESS, MOT_DEFAULT_QUERY, MOT_DEFAULT_PUBLISH,
             MOT_DEFAULT_REDIS);
}

int
main (int argc, char **argv)
{
    if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0) {
        print_usage (argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    signal (SIGPIPE, SIG_IGN);     /* a closed Redis socket is an error, not a death */
    mot_log_init ("motctl", "warn");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp (argv[1], verbs[i].name) == 0)
            return verbs[i].run (argc - 1, argv + 1);
    fprintf (stderr, "motctl: unknown verb '%s'\n", argv[1]);
    print_usage (stderr);
    return 2;
}
