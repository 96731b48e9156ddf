/*  notice_text — the Spanish text and topic of a notice (see notice_text.h).
 */
#include "notice_text.h"
#include "mot_obligations.h"
#include "mot_text.h"
#include "mot_wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

static bool
is_text (const char *text, size_t max)
{
    if (!text)
        return false;
    size_t length = strlen (text);
    return length > 0 && length <= max && mot_text_is_utf8 (text, length);
}

/* Printable ASCII without spaces: usable in keys, topics and logs. */
static bool
is_token (const char *text, size_t max)
{
    if (!text || !*text || strlen (text) > max)
        return false;
    for (const char *c = text; *c; c++)
        if (*c <= ' ' || *c > '~')
            return false;
    return true;
}

bool
notice_text_is_publishable (const Mot__V1__Notice *notice, const char **reason)
{
    *reason = NULL;
    if (!is_token (notice->notice_id, NOTICE_MAX_ID))
        *reason = "bad_notice_id";
    else
    if (notice->kind < MOT__V1__NOTICE_KIND__REMINDER || notice->kind > MOT__V1__NOTICE_KIND__DELIVERED_LATE)
        *reason = "unknown_kind";
    else
    if (!*mot_source_name (notice->unit) || notice->unit == MOT__V1__SOURCE__SOURCE_UNSPECIFIED)
        *reason = "unknown_unit";
    else
    if (!mot_obligation_ref_is_safe (notice->report) || strchr (notice->report, '/'))
        *reason = "bad_report";
    else
    if (!is_text (notice->report_name, NOTICE_MAX_NAME) || !is_text (notice->period, MOT_OBLIGATION_MAX_REF)
        || !is_text (notice->deadline, MOT_DAY_TEXT_SIZE))
        *reason = "bad_text_field";
    return *reason == NULL;
}

/* "1 día hábil" / "N días hábiles" (malloc'd). */
static char *
business_days (uint32_t count)
{
    return count == 1 ? zsys_sprintf ("1 día hábil") : zsys_sprintf ("%u días hábiles", count);
}

static char *
render_overdue (const Mot__V1__Notice *notice, const char *unit, const char *late)
{
    if (notice->has_business_days_late && notice->business_days_late > 0)
        return zsys_sprintf ("Vencido: «%s» de %s, periodo %s, venció el %s; %s de atraso.", notice->report_name,
                            unit, notice->period, notice->deadline, late);
    return zsys_sprintf ("Vencido: «%s» de %s, periodo %s, venció el %s.", notice->report_name, unit,
                        notice->period, notice->deadline);
}

char *
notice_text_render (const Mot__V1__Notice *notice)
{
    const char *unit = mot_source_name (notice->unit);
    char *late = business_days (notice->has_business_days_late ? notice->business_days_late : 0);
    if (!late)
        return NULL;
    char *text = NULL;
    switch (notice->kind) {
        case MOT__V1__NOTICE_KIND__REMINDER:
            text = zsys_sprintf ("Recordatorio: «%s» de %s, periodo %s, vence el %s.", notice->report_name, unit,
                                notice->period, notice->deadline);
            break;
        case MOT__V1__NOTICE_KIND__OVERDUE:
            text = render_overdue (notice, unit, late);
            break;
        case MOT__V1__NOTICE_KIND__ESCALATION:
            text = zsys_sprintf ("Escalamiento (nivel %u): «%s» de %s, periodo %s, venció el %s; %s de atraso.",
                                notice->has_escalation_level ? notice->escalation_level : 1, notice->report_name,
                                unit, notice->period, notice->deadline, late);
            break;
        case MOT__V1__NOTICE_KIND__DELIVERED_LATE:
            text = zsys_sprintf ("Entregado con atraso de %s: «%s» de %s, periodo %s, venció el %s.", late,
                                notice->report_name, unit, notice->period, notice->deadline);
            break;
        default:
            break;
    }
    free (late);
    return text;
}

char *
notice_text_topic (const Mot__V1__Notice *notice)
{
    return zsys_sprintf ("%s/%s/%s", mot_notice_kind_name (notice->kind), mot_source_name (notice->unit),
                        notice->report);
}
