/*  mot_schema — the Redis data layout (see mot_schema.h).
 */
#include "mot_schema.h"
#include "mot_wire.h"

#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MOT_SCHEMA_DEFINE(name, text) const char name[] = text;
MOT_EVENT_FIELDS (MOT_SCHEMA_DEFINE)
MOT_ITEM_FIELDS (MOT_SCHEMA_DEFINE)
MOT_OBLIGATION_FIELDS (MOT_SCHEMA_DEFINE)
MOT_LOG_FIELDS (MOT_SCHEMA_DEFINE)
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

char *
mot_key_dedup (const char *source, const char *external_id)
{
    return zsys_sprintf ("mot:dedup:%s:%s", source, external_id);
}

char *
mot_key_event (const char *event_id)
{
    return zsys_sprintf ("mot:event:%s", event_id);
}

char *
mot_key_item (const char *item_id)
{
    return zsys_sprintf ("mot:item:{%s}", item_id);
}

char *
mot_key_item_audit (const char *item_id)
{
    return zsys_sprintf ("mot:item:{%s}:audit", item_id);
}

char *
mot_key_item_index (const char *kind, const char *territory, const char *topic_key)
{
    return zsys_sprintf ("mot:itemidx:%s:%s:%s", kind, territory, topic_key);
}

char *
mot_key_items (const char *kind)
{
    return zsys_sprintf ("mot:items:%s", kind);
}

char *
mot_key_item_valuations (const char *item_id)
{
    return zsys_sprintf ("mot:item:{%s}:valuations", item_id);
}

char *
mot_key_item_work (const char *item_id)
{
    return zsys_sprintf ("mot:item:{%s}:work", item_id);
}

char *
mot_key_item_dedup (const char *item_id)
{
    return zsys_sprintf ("mot:item:{%s}:dedup", item_id);
}

char *
mot_key_work (const char *work_id)
{
    return zsys_sprintf ("mot:work:{%s}", work_id);
}

char *
mot_key_work_reports (const char *work_id)
{
    return zsys_sprintf ("mot:work:{%s}:reports", work_id);
}

char *
mot_key_session (const char *session_id)
{
    return zsys_sprintf ("mot:session:{%s}", session_id);
}

char *
mot_key_obligation (const char *obligation_id)
{
    return zsys_sprintf ("mot:obl:{%s}", obligation_id);
}

char *
mot_key_obligation_audit (const char *obligation_id)
{
    return zsys_sprintf ("mot:obl:{%s}:audit", obligation_id);
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
    return zsys_sprintf ("%s:%s:%s", unit, report, period);
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
        return zsys_sprintf ("%s|%s", obligation_id, word);
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
