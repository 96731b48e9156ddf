/*  mot_notice_text — the Spanish text of a notice (see mot_notice_text.h).
 */
#include "mot_notice_text.h"
#include "mot_obligations.h"
#include "mot_schema.h"
#include "mot_score.h"
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

/* Item notices have no deadline; a report's availability may come after
 * its obligation was delivered without one. */
static bool
may_lack_deadline (const Mot__V1__Notice *notice)
{
    return mot_notice_kind_is_item (notice->kind) || notice->kind == MOT__V1__NOTICE_KIND__REPORT_AVAILABLE;
}

bool
mot_notice_text_is_publishable (const Mot__V1__Notice *notice, const char **reason)
{
    *reason = NULL;
    if (!is_token (notice->notice_id, MOT_NOTICE_MAX_ID))
        *reason = "bad_notice_id";
    else
    if (notice->kind < MOT__V1__NOTICE_KIND__REMINDER || notice->kind > MOT__V1__NOTICE_KIND__REPORT_AVAILABLE)
        *reason = "unknown_kind";
    else
    if (!*mot_source_name (notice->unit) || notice->unit == MOT__V1__SOURCE__SOURCE_UNSPECIFIED)
        *reason = "unknown_unit";
    else
    if (!mot_obligation_ref_is_safe (notice->report) || strchr (notice->report, '/'))
        *reason = "bad_report";
    else
    if (!is_text (notice->report_name, MOT_NOTICE_MAX_NAME) || !is_text (notice->period, MOT_OBLIGATION_MAX_REF)
        || !(is_text (notice->deadline, MOT_DAY_TEXT_SIZE)
             || (may_lack_deadline (notice) && notice->deadline && !*notice->deadline)))
        *reason = "bad_text_field";
    else
    if (mot_notice_kind_is_item (notice->kind) && notice->kind != MOT__V1__NOTICE_KIND__RECOMMENDATION_ISSUED
        && notice->kind != MOT__V1__NOTICE_KIND__ITEM_CLOSED && !(notice->has_quadrant && notice->quadrant >= 1
                                                                  && notice->quadrant <= 4))
        *reason = "bad_quadrant";
    else
    if ((notice->territory && (!mot_obligation_ref_is_safe (notice->territory) || strchr (notice->territory, '/')))
        || (notice->responsible && !mot_obligation_ref_is_safe (notice->responsible)))
        *reason = "bad_territory_or_responsible";
    else
    if (!recipients_are_text (notice))
        *reason = "bad_recipients";
    else
    if (notice->kind == MOT__V1__NOTICE_KIND__REPORT_AVAILABLE
        && (notice->n_recipients == 0 || !mot_obligation_ref_is_safe (notice->recipients[0])
            || strchr (notice->recipients[0], '/')))
        *reason = "bad_addressee";
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
        case MOT__V1__NOTICE_KIND__REPORT_AVAILABLE:
            if (*notice->deadline)
                return zsys_sprintf ("Informe disponible: «%s» de %s, periodo %s; se entrega a más tardar el %s.",
                                     notice->report_name, unit, notice->period, notice->deadline);
            return zsys_sprintf ("Informe disponible: «%s» de %s, periodo %s.", notice->report_name, unit,
                                 notice->period);
        default:
            return NULL;
    }
}

/* ---- notices about items ---------------------------------------------- */

static bool
is_riesgo (const Mot__V1__Notice *notice)
{
    return strcmp (notice->report, MOT_KIND_RIESGO) == 0;
}

/* "la problemática it-4 «Desabasto de medicamentos»" (malloc'd). */
static char *
item_phrase (const Mot__V1__Notice *notice)
{
    return zsys_sprintf ("%s %s «%s»", is_riesgo (notice) ? "el riesgo" : "la problemática", notice->period,
                         notice->report_name);
}

/* "cuadrante II (naranja, vigilancia constante)" (malloc'd). */
static char *
quadrant_phrase (const Mot__V1__Notice *notice, uint32_t quadrant)
{
    bool riesgo = is_riesgo (notice);
    return zsys_sprintf ("cuadrante %s (%s, %s)", mot_score_quadrant_roman ((int) quadrant),
                         mot_score_quadrant_colour ((int) quadrant), mot_score_quadrant_meaning ((int) quadrant, riesgo));
}

/* "impacto 8, frecuencia 7" (malloc'd). */
static char *
scores_phrase (const Mot__V1__Notice *notice)
{
    bool riesgo = is_riesgo (notice);
    return zsys_sprintf ("impacto %u, %s %u", notice->has_impact ? notice->impact : 0,
                         riesgo ? "probabilidad" : "frecuencia", notice->has_vertical ? notice->vertical : 0);
}

static char *
render_item_headline (const Mot__V1__Notice *notice)
{
    char *item = item_phrase (notice), *now = quadrant_phrase (notice, notice->has_quadrant ? notice->quadrant : 0);
    char *before = quadrant_phrase (notice, notice->has_previous_quadrant ? notice->previous_quadrant : 0);
    char *scores = scores_phrase (notice);
    char *text = NULL;
    if (item && now && before && scores)
        switch (notice->kind) {
        case MOT__V1__NOTICE_KIND__ITEM_QUADRANT_I:
            text = zsys_sprintf ("Cuadrante I: %s entró al %s; %s.", item, now, scores);
            break;
        case MOT__V1__NOTICE_KIND__ITEM_WORSE:
            text = zsys_sprintf ("Empeora: %s pasó del %s al %s; %s.", item, before, now, scores);
            break;
        case MOT__V1__NOTICE_KIND__ITEM_RESIDUAL:
            text = zsys_sprintf ("Residual: %s quedó %s como residual en su valoración del %s; %s; %s.", item,
                                 is_riesgo (notice) ? "registrado" : "registrada", notice->deadline, now, scores);
            break;
        case MOT__V1__NOTICE_KIND__RECOMMENDATION_ISSUED:
            text = zsys_sprintf ("Recomendación %s %s de %s sobre %s; vence el %s.",
                                 notice->recommendation_type ? notice->recommendation_type : "",
                                 notice->action_id ? notice->action_id : "", mot_source_name (notice->unit), item,
                                 notice->deadline);
            break;
        case MOT__V1__NOTICE_KIND__ITEM_CLOSED:
            text = zsys_sprintf ("%s: %s se cerró.", is_riesgo (notice) ? "Cerrado" : "Cerrada", item);
            break;
        default:
            break;
        }
    free (item);
    free (now);
    free (before);
    free (scores);
    return text;
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
    char *text = !late ? NULL
               : mot_notice_kind_is_item (notice->kind) ? render_item_headline (notice)
                                                        : render_headline (notice, mot_source_name (notice->unit), late);
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

