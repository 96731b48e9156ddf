/*  mot_validate — field-level validation of what enters through intake.
 *
 *  Each check fills the result with a typed code, the field's name and a
 *  reason, and returns false; the first failing check wins. A queja's NSS
 *  (11 digits, the last a Luhn check digit) and CURP (RENAPO's structure:
 *  letters, a birth date that exists, sex, state, consonants, check digit)
 *  are checked before intake hashes them; a reason never quotes a value.
 */
#include "mot_validate.h"
#include "mot_score.h"
#include "mot_text.h"
#include "mot_wire.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool
fail (mot_validation_t *result, Mot__V1__ErrorCode code, const char *field, const char *reason)
{
    result->code = code;
    result->field = field;
    snprintf (result->reason, sizeof result->reason, "%s: %s", field, reason);
    return false;
}

/* A string field: present when required, valid UTF-8 and not longer than
 * `max` code points. */
static bool
check_text (const char *value, bool required, size_t max, const char *field, mot_validation_t *result)
{
    if (!value || !*value)
        return required ? fail (result, MOT__V1__ERROR_CODE__MISSING_FIELD, field, "required") : true;
    size_t bytes = strlen (value);
    if (!mot_text_is_utf8 (value, bytes))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_UTF8, field, "not valid UTF-8");
    if (mot_text_length (value) > max) {
        char reason[64];
        snprintf (reason, sizeof reason, "longer than %zu characters", max);
        return fail (result, MOT__V1__ERROR_CODE__TOO_LONG, field, reason);
    }
    for (const unsigned char *s = (const unsigned char *) value; *s; s++)
        if (*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
            return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "control character");
    return true;
}

/* Identifiers and codes: also no white space at all. */
static bool
check_id (const char *value, bool required, const char *field, mot_validation_t *result)
{
    if (!check_text (value, required, MOT_MAX_ID_LENGTH, field, result))
        return false;
    for (const char *s = value; s && *s; s++)
        if (isspace ((unsigned char) *s))
            return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "white space in an identifier");
    return true;
}

static bool
check_date (const char *value, mot_day_t today, const char *field, mot_validation_t *result)
{
    if (!check_text (value, true, 10, field, result))
        return false;
    mot_day_t day;
    if (!mot_day_parse (value, &day))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "not a date YYYY-MM-DD");
    if (day < mot_day_from_ymd (2000, 1, 1))
        return fail (result, MOT__V1__ERROR_CODE__OUT_OF_RANGE, field, "before 2000-01-01");
    if (day > today + 1)
        return fail (result, MOT__V1__ERROR_CODE__OUT_OF_RANGE, field, "in the future");
    return true;
}

static bool
check_score (protobuf_c_boolean present, uint32_t value, const char *field, mot_validation_t *result)
{
    if (present && !mot_score_is_valid ((long) value))
        return fail (result, MOT__V1__ERROR_CODE__OUT_OF_RANGE, field, "score must be 1..10");
    return true;
}

static bool
check_territory (const char *value, mot_catalog_t *territories, const char *field, mot_validation_t *result)
{
    if (!check_id (value, true, field, result))
        return false;
    if (territories && !mot_catalog_has (territories, value))
        return fail (result, MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY, field, "not in the territory catalogue");
    return true;
}

/* An ON code (optional): from the ON catalogue. */
static bool
check_on (const char *value, mot_catalog_t *ons, const char *field, mot_validation_t *result)
{
    if (!check_id (value, false, field, result))
        return false;
    if (value && *value && ons && !mot_catalog_has (ons, value))
        return fail (result, MOT__V1__ERROR_CODE__UNKNOWN_ON, field, "not in the ON catalogue");
    return true;
}

/* Who answers for an action (optional): an ON, or an OOAD/UMAE code. */
static bool
check_responsible (const char *value, mot_catalog_t *territories, mot_catalog_t *ons, const char *field,
                   mot_validation_t *result)
{
    if (!check_id (value, false, field, result))
        return false;
    if (value && *value && ons && !mot_catalog_has (ons, value) && !(territories && mot_catalog_has (territories, value)))
        return fail (result, MOT__V1__ERROR_CODE__UNKNOWN_ON, field,
                     "neither an ON of the ON catalogue nor an OOAD/UMAE code");
    return true;
}

/* ---- personal identifiers: structure checked before intake hashes them ---- */

#define DIGITS "0123456789"
#define CAPITALS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define CONSONANTS "BCDFGHJKLMNPQRSTVWXYZ"      /* X stands for a missing or special one */

static bool
is_in (char c, const char *set)
{
    return c && strchr (set, c);
}

/* The first `count` characters of `text` are all from `set`. */
static bool
starts_with_run_of (const char *text, size_t count, const char *set)
{
    return strspn (text, set) >= count;
}

/* The IMSS NSS's 11th digit is a Luhn check digit over the first ten:
 * from the left the 2nd, 4th, … 10th digits are doubled (a product over 9
 * loses 9) and the sum of all eleven is a multiple of 10. */
static bool
nss_check_digit_holds (const char *nss)
{
    int sum = 0;
    for (int i = 0; i < 11; i++) {
        int digit = nss[i] - '0';
        if (i % 2 == 1)
            digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
        sum += digit;
    }
    return sum % 10 == 0;
}

/* What is wrong with an NSS, NULL when nothing; never the value itself. */
static const char *
nss_fault (const char *nss)
{
    if (strlen (nss) != 11 || !starts_with_run_of (nss, 11, DIGITS))
        return "an NSS has 11 digits";
    if (!nss_check_digit_holds (nss))
        return "the 11th digit is not the NSS's check digit";
    return NULL;
}

/* RENAPO's two-letter codes of the 32 states, and NE for births abroad. */
static bool
is_curp_state (const char *code)
{
    static const char *const states[] = {"AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
                                         "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
                                         "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strncmp (code, states[i], 2) == 0)
            return true;
    return false;
}

static int
two_digits (const char *text)
{
    return (text[0] - '0') * 10 + (text[1] - '0');
}

/* The birth date of characters 5-10 (YYMMDD), the century told by character
 * 17: a digit for births up to 1999, a letter from 2000. False when no such
 * day exists. */
static bool
curp_birth_date (const char *curp, mot_day_t *day)
{
    int year = (is_in (curp[16], DIGITS) ? 1900 : 2000) + two_digits (curp + 4);
    int month = two_digits (curp + 6), dom = two_digits (curp + 8);
    if (month < 1 || month > 12 || dom < 1 || dom > mot_days_in_month (year, month))
        return false;
    *day = mot_day_from_ymd (year, month, dom);
    return true;
}

/* A character's value in RENAPO's 37-symbol alphabet
 * "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ": Ñ (never written in a CURP,
 * which has X instead) still takes 24, so O..Z are 25..36. */
static int
curp_symbol_value (char c)
{
    if (is_in (c, DIGITS))
        return c - '0';
    return c <= 'N' ? c - 'A' + 10 : c - 'A' + 11;
}

/* Character 18: the sum of the first 17 characters' values, weighted 18
 * for the first down to 2 for the 17th; the check digit is what brings
 * that sum up to a multiple of 10 (0 when it already is one). */
static char
curp_check_digit (const char *curp)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += curp_symbol_value (curp[i]) * (18 - i);
    return (char) ('0' + (10 - sum % 10) % 10);
}

/* What is wrong with a CURP, NULL when nothing; never the value itself. */
static const char *
curp_fault (const char *curp, mot_day_t today)
{
    mot_day_t born;
    if (strlen (curp) != 18)
        return "a CURP has 18 characters";
    if (!starts_with_run_of (curp, 4, CAPITALS))
        return "a CURP starts with 4 capital letters";
    if (!starts_with_run_of (curp + 4, 6, DIGITS))
        return "characters 5-10 of a CURP are a birth date YYMMDD";
    if (!is_in (curp[10], "HMX"))
        return "character 11 of a CURP (sex) is H, M or X";
    if (!is_curp_state (curp + 11))
        return "characters 12-13 of a CURP are a RENAPO state code";
    if (!starts_with_run_of (curp + 13, 3, CONSONANTS))
        return "characters 14-16 of a CURP are consonants";
    if (!is_in (curp[16], DIGITS CAPITALS))
        return "character 17 of a CURP is a digit (born up to 1999) or a capital letter (from 2000)";
    if (!is_in (curp[17], DIGITS))
        return "character 18 of a CURP is its check digit";
    if (!curp_birth_date (curp, &born))
        return "the birth date in a CURP does not exist";
    if (born > today)
        return "the birth date in a CURP is in the future";
    if (curp[17] != curp_check_digit (curp))
        return "character 18 is not the CURP's check digit";
    return NULL;
}

static bool
check_person (const Mot__V1__PersonalData *person, mot_day_t today, mot_validation_t *result)
{
    if (!person)
        return true;
    if (!check_id (person->nss, false, "queja.person.nss", result)
        || !check_id (person->curp, false, "queja.person.curp", result)
        || !check_text (person->full_name, false, MOT_MAX_TOPIC_LENGTH, "queja.person.full_name", result))
        return false;
    const char *fault;
    if (person->nss && *person->nss && (fault = nss_fault (person->nss)))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, "queja.person.nss", fault);
    if (person->curp && *person->curp && (fault = curp_fault (person->curp, today)))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, "queja.person.curp", fault);
    return true;
}

static bool
check_queja (const Mot__V1__Queja *q, mot_catalog_t *territories, mot_day_t today, mot_validation_t *r)
{
    return check_territory (q->territory, territories, "queja.territory", r)
           && check_text (q->reason, true, MOT_MAX_TOPIC_LENGTH, "queja.reason", r)
           && check_date (q->received_on, today, "queja.received_on", r)
           && check_text (q->description, false, MOT_MAX_TEXT_LENGTH, "queja.description", r)
           && check_text (q->operating_unit, false, MOT_MAX_TOPIC_LENGTH, "queja.operating_unit", r)
           && check_person (q->person, today, r);
}

static bool
check_media (const Mot__V1__MediaEvent *m, mot_catalog_t *territories, mot_day_t today, mot_validation_t *r)
{
    return check_territory (m->territory, territories, "media.territory", r)
           && check_text (m->theme, true, MOT_MAX_TOPIC_LENGTH, "media.theme", r)
           && check_date (m->published_on, today, "media.published_on", r)
           && check_text (m->headline, false, MOT_MAX_TEXT_LENGTH, "media.headline", r)
           && check_text (m->outlet, false, MOT_MAX_TOPIC_LENGTH, "media.outlet", r);
}

static bool
check_finding (const Mot__V1__DoeFinding *f, mot_catalog_t *territories, mot_day_t today, mot_validation_t *r)
{
    return check_territory (f->territory, territories, "finding.territory", r)
           && check_text (f->topic, true, MOT_MAX_TOPIC_LENGTH, "finding.topic", r)
           && check_date (f->found_on, today, "finding.found_on", r)
           && check_text (f->description, false, MOT_MAX_TEXT_LENGTH, "finding.description", r)
           && check_score (f->has_impact, f->impact, "finding.impact", r)
           && check_score (f->has_frequency, f->frequency, "finding.frequency", r);
}

static bool
check_risk (const Mot__V1__RiskFinding *k, mot_catalog_t *territories, mot_day_t today, mot_validation_t *r)
{
    return check_territory (k->territory, territories, "risk.territory", r)
           && check_text (k->topic, true, MOT_MAX_TOPIC_LENGTH, "risk.topic", r)
           && check_date (k->found_on, today, "risk.found_on", r)
           && check_text (k->description, false, MOT_MAX_TEXT_LENGTH, "risk.description", r)
           && check_score (k->has_impact, k->impact, "risk.impact", r)
           && check_score (k->has_probability, k->probability, "risk.probability", r)
           && check_text (k->meeting, false, MOT_MAX_TOPIC_LENGTH, "risk.meeting", r);
}

static bool
check_delivery (const Mot__V1__ReportDelivery *d, mot_day_t today, mot_validation_t *r)
{
    return check_id (d->report, true, "delivery.report", r) && check_id (d->period, true, "delivery.period", r)
           && check_date (d->delivered_on, today, "delivery.delivered_on", r)
           && check_text (d->reference, false, MOT_MAX_TOPIC_LENGTH, "delivery.reference", r);
}

static bool
check_trigger (const Mot__V1__TriggerEvent *t, mot_day_t today, mot_validation_t *r)
{
    return check_id (t->trigger, true, "trigger.trigger", r) && check_id (t->ref, true, "trigger.ref", r)
           && check_date (t->occurred_on, today, "trigger.occurred_on", r);
}

static bool
is_one_of (const char *value, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp (value, allowed[i]) == 0)
            return true;
    return false;
}

static bool
check_override (const Mot__V1__Override *o, mot_catalog_t *ons, mot_validation_t *r)
{
    static const char *const categories[] = {"Estratégico", "Legal", "Financiero", "Administrativo", NULL};
    if (!check_id (o->item_id, true, "override.item_id", r) || !check_score (o->has_impact, o->impact, "override.impact", r)
        || !check_score (o->has_vertical, o->vertical, "override.vertical", r)
        || !check_text (o->category, false, MOT_MAX_TOPIC_LENGTH, "override.category", r)
        || !check_on (o->on, ons, "override.on", r) || !check_id (o->analyst, true, "override.analyst", r)
        || !check_text (o->reason, true, MOT_MAX_TEXT_LENGTH, "override.reason", r))
        return false;
    if (o->category && *o->category && !is_one_of (o->category, categories))
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, "override.category",
                     "must be Estratégico, Legal, Financiero or Administrativo");
    if (!o->has_impact && !o->has_vertical && !(o->category && *o->category) && !(o->on && *o->on))
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "override", "overrides nothing");
    return true;
}

/* A due date: a date from 2000 up to ten years ahead (it may be future). */
static bool
check_due_date (const char *value, mot_day_t today, const char *field, mot_validation_t *r)
{
    mot_day_t due;
    if (!check_text (value, true, 10, field, r))
        return false;
    if (!mot_day_parse (value, &due))
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "not a date YYYY-MM-DD");
    if (due < mot_day_from_ymd (2000, 1, 1) || due > today + 3660)
        return fail (r, MOT__V1__ERROR_CODE__OUT_OF_RANGE, field, "before 2000 or more than ten years ahead");
    return true;
}

static bool
check_ids (char **values, size_t count, bool required, const char *field, mot_validation_t *r)
{
    if (required && count == 0)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, field, "at least one required");
    if (count > MOT_MAX_LIST_LENGTH)
        return fail (r, MOT__V1__ERROR_CODE__TOO_LONG, field, "too many values");
    for (size_t i = 0; i < count; i++)
        if (!check_id (values[i], true, field, r))
            return false;
    return true;
}

static const char *const work_kinds[] = {"accion-correctiva", "acuerdo", "recomendacion", NULL};

static bool
check_kind (const char *kind, const char *field, mot_validation_t *r)
{
    if (!check_id (kind, true, field, r))
        return false;
    if (!is_one_of (kind, work_kinds))
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, field, "must be accion-correctiva, acuerdo or recomendacion");
    return true;
}

/* Who did it and why: an account or office (never a person's data). */
static bool
check_who (const char *analyst, const char *reason, bool reason_required, const char *analyst_field,
           const char *reason_field, mot_validation_t *r)
{
    return check_id (analyst, true, analyst_field, r)
        && check_text (reason, reason_required, MOT_MAX_TEXT_LENGTH, reason_field, r);
}

static bool
check_action (const Mot__V1__ActionDue *a, Mot__V1__Source source, mot_catalog_t *territories, mot_catalog_t *ons,
              mot_day_t today, mot_validation_t *r)
{
    static const char *const types[] = {"preventiva", "correctiva", "detectiva", NULL};
    if (!check_id (a->action_id, true, "action.action_id", r) || !check_kind (a->kind, "action.kind", r)
        || !check_due_date (a->due_on, today, "action.due_on", r) || !check_id (a->item_id, false, "action.item_id", r)
        || !check_responsible (a->responsible, territories, ons, "action.responsible", r)
        || !check_text (a->description, false, MOT_MAX_TEXT_LENGTH, "action.description", r)
        || !check_text (a->pat_line, false, MOT_MAX_TOPIC_LENGTH, "action.pat_line", r)
        || !check_id (a->session_id, false, "action.session_id", r)
        || !check_id (a->recommendation_type, false, "action.recommendation_type", r)
        || !check_ids (a->item_ids, a->n_item_ids, false, "action.item_ids", r)
        || !check_text (a->operating_unit, false, MOT_MAX_TOPIC_LENGTH, "action.operating_unit", r)
        || !check_id (a->analyst, false, "action.analyst", r))
        return false;
    bool items = (a->item_id && *a->item_id) || a->n_item_ids > 0;
    bool agreement = strcmp (a->kind, "acuerdo") == 0, recommendation = strcmp (a->kind, "recomendacion") == 0;
    if (a->recommendation_type && *a->recommendation_type && !is_one_of (a->recommendation_type, types))
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, "action.recommendation_type",
                     "must be preventiva, correctiva or detectiva");
    if (items && agreement && !(a->session_id && *a->session_id))
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "action.session_id", "an agreement on items needs its session");
    if (items && recommendation && !(a->recommendation_type && *a->recommendation_type))
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "action.recommendation_type",
                     "a recommendation on items needs its type");
    if (items && recommendation && source != MOT__V1__SOURCE__CAPSOI)
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", "CAPSOI issues recommendations (7.2.5.8)");
    return true;
}

static bool
check_progress (const Mot__V1__Progress *p, mot_day_t today, mot_validation_t *r)
{
    if (!check_kind (p->kind, "progress.kind", r) || !check_id (p->action_id, true, "progress.action_id", r)
        || !check_date (p->cut_off, today, "progress.cut_off", r)
        || !check_text (p->evidence, false, MOT_MAX_TOPIC_LENGTH, "progress.evidence", r)
        || !check_id (p->analyst, true, "progress.analyst", r))
        return false;
    if (!p->has_percent)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "progress.percent", "required");
    if (p->percent > 100)
        return fail (r, MOT__V1__ERROR_CODE__OUT_OF_RANGE, "progress.percent", "must be 0..100");
    return true;
}

static bool
check_verification (const Mot__V1__Verification *v, mot_day_t today, mot_validation_t *r)
{
    if (!check_kind (v->kind, "verification.kind", r) || !check_id (v->action_id, true, "verification.action_id", r)
        || !check_date (v->cut_off, today, "verification.cut_off", r))
        return false;
    if (!v->has_verified)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "verification.verified", "required");
    return check_who (v->analyst, v->reason, !v->verified, "verification.analyst", "verification.reason", r);
}

static bool
check_reschedule (const Mot__V1__Reschedule *s, mot_day_t today, mot_validation_t *r)
{
    return check_kind (s->kind, "reschedule.kind", r) && check_id (s->action_id, true, "reschedule.action_id", r)
        && check_due_date (s->due_on, today, "reschedule.due_on", r)
        && check_who (s->analyst, s->reason, true, "reschedule.analyst", "reschedule.reason", r);
}

static bool
check_valuation (const Mot__V1__Valuation *v, mot_day_t today, mot_validation_t *r)
{
    if (!check_id (v->item_id, true, "valuation.item_id", r)
        || !check_date (v->valued_on, today, "valuation.valued_on", r)
        || !check_who (v->analyst, v->reason, false, "valuation.analyst", "valuation.reason", r))
        return false;
    if (!v->has_impact)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "valuation.impact", "required");
    if (!v->has_vertical)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "valuation.vertical", "required");
    if (!check_score (v->has_impact, v->impact, "valuation.impact", r)
        || !check_score (v->has_vertical, v->vertical, "valuation.vertical", r))
        return false;
    if (!v->has_outcome)
        return fail (r, MOT__V1__ERROR_CODE__MISSING_FIELD, "valuation.outcome", "required");
    if (v->outcome != MOT__V1__VALUATION_OUTCOME__RESOLVED && v->outcome != MOT__V1__VALUATION_OUTCOME__RESIDUAL)
        return fail (r, MOT__V1__ERROR_CODE__INVALID_VALUE, "valuation.outcome", "must be RESOLVED or RESIDUAL");
    return true;
}

static bool
check_session (const Mot__V1__ConsensusSession *s, mot_day_t today, mot_validation_t *r)
{
    return check_id (s->session_id, true, "session.session_id", r)
        && check_date (s->held_on, today, "session.held_on", r)
        && check_text (s->medium, true, MOT_MAX_TOPIC_LENGTH, "session.medium", r)
        && check_ids (s->offices, s->n_offices, false, "session.offices", r)
        && check_ids (s->item_ids, s->n_item_ids, true, "session.item_ids", r)
        && check_id (s->analyst, true, "session.analyst", r);
}

/* Start of monitoring, closure, reopening: an item, who and why. */
#define CHECK_ITEM_STEP(body, name, r)                                         \
    (check_id ((body)->item_id, true, name ".item_id", r)                      \
     && check_who ((body)->analyst, (body)->reason, true, name ".analyst", name ".reason", r))

/* Which unit may publish which body (MOT-SPEC §2); the Coordinación
 * Administrativa only delivers reports (its IAT progress, Apéndice B). */
static bool
source_fits_body (Mot__V1__Source source, Mot__V1__Envelope__BodyCase body)
{
    if (source == MOT__V1__SOURCE__CA)
        return body == MOT__V1__ENVELOPE__BODY_DELIVERY;
    switch (body) {
    case MOT__V1__ENVELOPE__BODY_QUEJA: return source == MOT__V1__SOURCE__UAD;
    case MOT__V1__ENVELOPE__BODY_MEDIA: return source == MOT__V1__SOURCE__UCS;
    case MOT__V1__ENVELOPE__BODY_FINDING:
        return source == MOT__V1__SOURCE__UEOD || source == MOT__V1__SOURCE__CV;
    case MOT__V1__ENVELOPE__BODY_RISK: return source == MOT__V1__SOURCE__CAPSOI;
    default: return true;
    }
}

static bool
check_body (const Mot__V1__Envelope *e, mot_catalog_t *territories, mot_catalog_t *ons, mot_day_t today,
            mot_validation_t *r)
{
    switch (e->body_case) {
    case MOT__V1__ENVELOPE__BODY_QUEJA: return check_queja (e->queja, territories, today, r);
    case MOT__V1__ENVELOPE__BODY_MEDIA: return check_media (e->media, territories, today, r);
    case MOT__V1__ENVELOPE__BODY_FINDING: return check_finding (e->finding, territories, today, r);
    case MOT__V1__ENVELOPE__BODY_RISK: return check_risk (e->risk, territories, today, r);
    case MOT__V1__ENVELOPE__BODY_DELIVERY: return check_delivery (e->delivery, today, r);
    case MOT__V1__ENVELOPE__BODY_TRIGGER: return check_trigger (e->trigger, today, r);
    case MOT__V1__ENVELOPE__BODY_OVERRIDE: return check_override (e->override, ons, r);
    case MOT__V1__ENVELOPE__BODY_ACTION: return check_action (e->action, e->source, territories, ons, today, r);
    case MOT__V1__ENVELOPE__BODY_PROGRESS: return check_progress (e->progress, today, r);
    case MOT__V1__ENVELOPE__BODY_VERIFICATION: return check_verification (e->verification, today, r);
    case MOT__V1__ENVELOPE__BODY_RESCHEDULE: return check_reschedule (e->reschedule, today, r);
    case MOT__V1__ENVELOPE__BODY_VALUATION: return check_valuation (e->valuation, today, r);
    case MOT__V1__ENVELOPE__BODY_SESSION: return check_session (e->session, today, r);
    case MOT__V1__ENVELOPE__BODY_START_MONITORING:
        return CHECK_ITEM_STEP (e->start_monitoring, "start_monitoring", r);
    case MOT__V1__ENVELOPE__BODY_CLOSURE:
        return CHECK_ITEM_STEP (e->closure, "closure", r);
    case MOT__V1__ENVELOPE__BODY_REOPEN:
        return CHECK_ITEM_STEP (e->reopen, "reopen", r);
    default: return fail (r, MOT__V1__ERROR_CODE__UNKNOWN_TYPE, "body", "no body of a known type");
    }
}

bool
mot_validate_envelope (const Mot__V1__Envelope *envelope, mot_catalog_t *territories, mot_catalog_t *ons,
                       mot_day_t today, mot_validation_t *result)
{
    memset (result, 0, sizeof *result);
    if (!check_id (envelope->external_id, true, "external_id", result))
        return false;
    if (!envelope->has_source)
        return fail (result, MOT__V1__ERROR_CODE__MISSING_FIELD, "source", "required");
    if (!*mot_source_name (envelope->source))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", "unknown unit");
    if (!check_body (envelope, territories, ons, today, result))
        return false;
    if (!source_fits_body (envelope->source, envelope->body_case))
        return fail (result, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", "this unit does not publish this type");
    return true;
}
