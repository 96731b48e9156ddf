/*  mot_schema — the Redis data layout (see mot_schema.h).
 */
#include "mot_schema.h"
#include "mot_score.h"
#include "mot_wire.h"

#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MOT_SCHEMA_DEFINE(name, text) const char name[] = text;
MOT_EVENT_FIELDS (MOT_SCHEMA_DEFINE)
MOT_ITEM_FIELDS (MOT_SCHEMA_DEFINE)
MOT_OBLIGATION_FIELDS (MOT_SCHEMA_DEFINE)
MOT_LOG_FIELDS (MOT_SCHEMA_DEFINE)
MOT_REPORT_FIELDS (MOT_SCHEMA_DEFINE)
MOT_KINDS (MOT_SCHEMA_DEFINE)
MOT_ITEM_VALUES (MOT_SCHEMA_DEFINE)
MOT_STAGES (MOT_SCHEMA_DEFINE)
MOT_STATUSES (MOT_SCHEMA_DEFINE)
MOT_WORK_FIELDS (MOT_SCHEMA_DEFINE)
MOT_SESSION_FIELDS (MOT_SCHEMA_DEFINE)
MOT_OUTCOMES (MOT_SCHEMA_DEFINE)
MOT_RESOLUTIONS (MOT_SCHEMA_DEFINE)
MOT_WORK_KINDS (MOT_SCHEMA_DEFINE)
MOT_WORK_STATUSES (MOT_SCHEMA_DEFINE)
MOT_COMMANDS (MOT_SCHEMA_DEFINE)
MOT_REFUSALS (MOT_SCHEMA_DEFINE)
MOT_REF_ROLES (MOT_SCHEMA_DEFINE)
MOT_FACT_FIELDS (MOT_SCHEMA_DEFINE)
MOT_FACT_KINDS (MOT_SCHEMA_DEFINE)

/* ---- keys ---------------------------------------------------------------- */

/* The concatenation of `count` strings (malloc'd; NULL when out of memory
 * or a part is NULL). Keys and members are built on every script call:
 * this costs a fraction of a formatted print. */
static char *
join (int count, ...)
{
    va_list parts;
    size_t size = 1;
    bool missing = false;
    va_start (parts, count);
    for (int i = 0; i < count; i++) {
        const char *part = va_arg (parts, const char *);
        missing = missing || !part;
        size += part ? strlen (part) : 0;
    }
    va_end (parts);
    char *out = missing ? NULL : malloc (size), *at = out;
    va_start (parts, count);
    for (int i = 0; out && i < count; i++) {
        const char *part = va_arg (parts, const char *);
        size_t length = strlen (part);
        memcpy (at, part, length);
        at += length;
    }
    va_end (parts);
    if (out)
        *at = 0;
    return out;
}

char *
mot_key_dedup (const char *source, const char *external_id)
{
    return join (4, "mot:dedup:", source, ":", external_id);
}

char *
mot_key_event (const char *event_id)
{
    return join (2, "mot:event:", event_id);
}

char *
mot_key_item (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}");
}

char *
mot_key_item_audit (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}:audit");
}

char *
mot_key_item_index (const char *kind, const char *territory, const char *topic_key)
{
    return join (6, "mot:itemidx:", kind, ":", territory, ":", topic_key);
}

char *
mot_key_items (const char *kind)
{
    return join (2, "mot:items:", kind);
}

char *
mot_key_item_valuations (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}:valuations");
}

char *
mot_key_item_work (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}:work");
}

char *
mot_key_item_dedup (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}:dedup");
}

char *
mot_key_item_positions (const char *item_id)
{
    return join (3, "mot:item:{", item_id, "}:positions");
}

char *
mot_key_report_monthly (const char *month)
{
    return join (3, "mot:report:monthly:{", month, "}");
}

char *
mot_key_report_monthly_lease (const char *month)
{
    return join (3, "mot:report:monthly:{", month, "}:lease");
}

char *
mot_key_work (const char *work_id)
{
    return join (3, "mot:work:{", work_id, "}");
}

char *
mot_key_work_reports (const char *work_id)
{
    return join (3, "mot:work:{", work_id, "}:reports");
}

char *
mot_key_session (const char *session_id)
{
    return join (3, "mot:session:{", session_id, "}");
}

char *
mot_key_obligation (const char *obligation_id)
{
    return join (3, "mot:obl:{", obligation_id, "}");
}

char *
mot_key_obligation_audit (const char *obligation_id)
{
    return join (3, "mot:obl:{", obligation_id, "}:audit");
}

/* ---- ids ----------------------------------------------------------------- */

#define ITEM_ID_PREFIX "it-"

char *
mot_event_id (long long number)
{
    return zsys_sprintf ("ev-%lld", number);
}

char *
mot_item_id (long long number)
{
    return zsys_sprintf (ITEM_ID_PREFIX "%lld", number);
}

bool
mot_item_number (const char *item_id, long long *number)
{
    size_t prefix = strlen (ITEM_ID_PREFIX);
    if (!item_id || strncmp (item_id, ITEM_ID_PREFIX, prefix) != 0 || !isdigit ((unsigned char) item_id[prefix]))
        return false;
    char *end = NULL;
    errno = 0;
    *number = strtoll (item_id + prefix, &end, 10);
    return errno == 0 && *end == 0;
}

char *
mot_obligation_id_of (const char *unit, const char *report, const char *period)
{
    return join (5, unit, ":", report, ":", period);
}

/* ---- kinds and statuses -------------------------------------------------- */

const char *
mot_item_kind_of (Mot__V1__Source source)
{
    return source == MOT__V1__SOURCE__CAPSOI ? MOT_KIND_RIESGO : MOT_KIND_PROBLEMATICA;
}

bool
mot_status_is_pending (const char *status)
{
    return status && (strcmp (status, MOT_STATUS_PENDING) == 0 || strcmp (status, MOT_STATUS_LEGACY_OVERDUE) == 0);
}

/* ---- timer members ------------------------------------------------------- */

char *
mot_timer_member (const char *obligation_id, Mot__V1__NoticeKind kind, int level)
{
    const char *word = mot_notice_kind_name (kind);
    if (!obligation_id || !*word)
        return NULL;
    if (kind != MOT__V1__NOTICE_KIND__ESCALATION)
        return join (3, obligation_id, "|", word);
    if (level < 1 || level > MOT_TIMER_MAX_LEVEL)
        return NULL;
    return zsys_sprintf ("%s|%s|%d", obligation_id, word, level);
}

/* "<id>|escalation|<level>": cuts `copy` at the kind and sets *level. */
static bool
parse_escalation (char *copy, const char *level_text, int *level)
{
    char *end = NULL;
    long value = strtol (level_text, &end, 10);
    char *kind_bar = strrchr (copy, '|');
    if (!*level_text || *end || value < 1 || value > MOT_TIMER_MAX_LEVEL || !kind_bar
        || strcmp (kind_bar + 1, mot_notice_kind_name (MOT__V1__NOTICE_KIND__ESCALATION)) != 0)
        return false;
    *kind_bar = 0;
    *level = (int) value;
    return true;
}

bool
mot_timer_member_parse (const char *member, char **obligation_id, Mot__V1__NoticeKind *kind, int *level)
{
    char *copy = member ? strdup (member) : NULL;
    char *bar = copy ? strrchr (copy, '|') : NULL;
    bool ok = false;
    *level = 0;
    if (bar) {
        *bar = 0;
        const char *word = bar + 1;
        if (strcmp (word, mot_notice_kind_name (MOT__V1__NOTICE_KIND__OVERDUE)) == 0
            || strcmp (word, mot_notice_kind_name (MOT__V1__NOTICE_KIND__REMINDER)) == 0)
            ok = mot_notice_kind_parse (word, kind);
        else
        if (parse_escalation (copy, word, level)) {
            *kind = MOT__V1__NOTICE_KIND__ESCALATION;
            ok = true;
        }
    }
    if (ok)
        *obligation_id = copy;
    else
        free (copy);
    return ok;
}

/* ---- item positions ---------------------------------------------------- */

static bool
is_stage (const char *text)
{
#define STAGE_NAME(name, text) name,
    static const char *const stages[] = {MOT_STAGES (STAGE_NAME)};
#undef STAGE_NAME
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp (text, stages[i]) == 0)
            return true;
    return false;
}

static bool
is_position (const mot_position_t *position)
{
    return mot_score_is_valid (position->impact) && mot_score_is_valid (position->vertical)
        && position->quadrant == mot_score_quadrant (position->impact, position->vertical)
        && is_stage (position->stage);
}

char *
mot_position_format (const mot_position_t *position)
{
    if (!is_position (position))
        return NULL;
    return zsys_sprintf ("%d,%d,%d,%s", position->impact, position->vertical, position->quadrant, position->stage);
}

bool
mot_position_parse (const char *text, mot_position_t *position)
{
    int used = 0;
    if (!text || sscanf (text, "%2d,%2d,%1d,%n", &position->impact, &position->vertical, &position->quadrant, &used) != 3
        || used == 0 || strlen (text + used) >= sizeof position->stage)
        return false;
    strcpy (position->stage, text + used);
    return is_position (position);
}
