/*  mot_notice_text — the Spanish text of a notice (see mot_notice_text.h).
 */
#include "mot_notice_text.h"
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

static bool
recipients_are_text (const Mot__V1__Notice *notice)
{
    if (notice->n_recipients > MOT_NOTICE_MAX_RECIPIENTS)
        return false;
    for (size_t i = 0; i < notice->n_recipients; i++)
        if (!is_text (notice->recipients[i], MOT_NOTICE_MAX_NAME))
            return false;
    return true;
}

bool
mot_notice_text_is_publishable (const Mot__V1__Notice *notice, const char **reason)
{
    *reason = NULL;
    if (!is_token (notice->notice_id, MOT_NOTICE_MAX_ID))
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
    if (!is_text (notice->report_name, MOT_NOTICE_MAX_NAME) || !is_text (notice->period, MOT_OBLIGATION_MAX_REF)
        || !is_text (notice->deadline, MOT_DAY_TEXT_SIZE))
        *reason = "bad_text_field";
    else
    if ((notice->territory && (!mot_obligation_ref_is_safe (notice->territory) || strchr (notice->territory, '/')))
        || (notice->responsible && !mot_obligation_ref_is_safe (notice->responsible)))
        *reason = "bad_territory_or_responsible";
    else
    if (!recipients_are_text (notice))
        *reason = "bad_recipients";
    return *reason == NULL;
}

/* "1 día hábil" / "N días hábiles" (malloc'd). */
static char *
business_days (uint32_t count)
{
    return count == 1 ? zsys_sprintf ("1 día hábil") : zsys_sprintf ("%u días hábiles", count);
}

bool
mot_notice_text_is_catch_up (const Mot__V1__Notice *notice)
{
    return notice->has_catch_up && notice->catch_up;
}

/* The first sentence, by kind (malloc'd). */
static char *
render_headline (const Mot__V1__Notice *notice, const char *unit, const char *late)
{
    switch (notice->kind) {
        case MOT__V1__NOTICE_KIND__REMINDER:
            return zsys_sprintf ("Recordatorio: «%s» de %s, periodo %s, vence el %s.", notice->report_name, unit,
                                 notice->period, notice->deadline);
        case MOT__V1__NOTICE_KIND__OVERDUE:
            return zsys_sprintf ("Vencido: «%s» de %s, periodo %s, venció el %s; %s de atraso.",
                                 notice->report_name, unit, notice->period, notice->deadline, late);
        case MOT__V1__NOTICE_KIND__ESCALATION:
            return zsys_sprintf ("Escalamiento nivel %u: «%s» de %s, periodo %s, venció el %s; %s de atraso.",
                                 notice->has_escalation_level ? notice->escalation_level : 1, notice->report_name,
                                 unit, notice->period, notice->deadline, late);
        case MOT__V1__NOTICE_KIND__DELIVERED_LATE:
            return zsys_sprintf ("Entregado con atraso de %s: «%s» de %s, periodo %s, venció el %s.", late,
                                 notice->report_name, unit, notice->period, notice->deadline);
        default:
            return NULL;
    }
}

/* Appends " <label>: <value>." to *text when value is set (false on OOM). */
static bool
append (char **text, const char *label, const char *value)
{
    if (!*text || !value || !*value)
        return *text != NULL;
    char *longer = zsys_sprintf ("%s %s: %s.", *text, label, value);
    free (*text);
    *text = longer;
    return longer != NULL;
}

/* "a; b; c" (malloc'd), or NULL when there are none or on OOM. */
static char *
join_recipients (const Mot__V1__Notice *notice)
{
    char *joined = NULL;
    for (size_t i = 0; i < notice->n_recipients; i++) {
        char *longer = joined ? zsys_sprintf ("%s; %s", joined, notice->recipients[i])
                              : zsys_sprintf ("%s", notice->recipients[i]);
        free (joined);
        joined = longer;
        if (!joined)
            return NULL;
    }
    return joined;
}

char *
mot_notice_text_render (const Mot__V1__Notice *notice)
{
    char *late = business_days (notice->has_business_days_late ? notice->business_days_late : 0);
    char *text = late ? render_headline (notice, mot_source_name (notice->unit), late) : NULL;
    free (late);
    char *recipients = join_recipients (notice);
    bool ok = append (&text, "Territorio", notice->territory) && append (&text, "Responsable", notice->responsible)
           && append (&text, "Destinatarios", recipients);
    free (recipients);
    if (ok && mot_notice_text_is_catch_up (notice)) {
        char *longer = zsys_sprintf ("%s (notificación tardía)", text);
        free (text);
        text = longer;
    }
    return text;
}

