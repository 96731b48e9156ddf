/*  test_validate — unit tests for mot_validate_envelope: required fields,
 *  which unit may publish which body (MOT-SPEC §2), scores 1..10, strict
 *  dates between 2000-01-01 and today + 1, UTF-8, length limits, identifiers,
 *  personal identifiers (an NSS's Luhn check digit, a CURP's RENAPO
 *  structure and check digit), territory codes from a catalogue, ON codes from
 *  the ON catalogue (an override's ON, an action's responsible: an ON or an
 *  OOAD/UMAE code) and the Coordinación Administrativa (CA) delivering
 *  reports only.
 *
 *  "Today" is fixed at 2026-03-15; every date below is written out by hand
 *  relative to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mot_validate.h"
#include "mot_wire.h"

#define VALID_DAY "2026-03-14"
#define TODAY_PLUS_1 "2026-03-16"
#define TODAY_PLUS_2 "2026-03-17"

static mot_day_t today;
static mot_catalog_t *catalog;  /* OOAD-15, OOAD-09 and UMAE-03 only */
static mot_catalog_t *ons;      /* DA, DJ and DPM only */

/* One envelope and a valid instance of every body, so a test can select a
 * body and break one field. */
typedef struct {
    Mot__V1__Envelope envelope;
    Mot__V1__Queja queja;
    Mot__V1__PersonalData person;
    Mot__V1__MediaEvent media;
    Mot__V1__DoeFinding finding;
    Mot__V1__RiskFinding risk;
    Mot__V1__ReportDelivery delivery;
    Mot__V1__TriggerEvent trigger;
    Mot__V1__Override override;
    Mot__V1__ActionDue action;
} fixture_t;

static void
fixture_init (fixture_t *f, Mot__V1__Envelope__BodyCase body)
{
    memset (f, 0, sizeof *f);
    f->person = (Mot__V1__PersonalData) MOT__V1__PERSONAL_DATA__INIT;
    f->person.nss = (char *) "12345678903";             /* see test_nss_… for the check digits */
    f->person.curp = (char *) "GOMA800101HDFRRN05";     /* and test_curp_… */
    f->person.full_name = (char *) "María Gómez Ñúñez";

    f->queja = (Mot__V1__Queja) MOT__V1__QUEJA__INIT;
    f->queja.territory = (char *) "OOAD-15";
    f->queja.reason = (char *) "Oportunidad de la atención";
    f->queja.received_on = (char *) VALID_DAY;
    f->queja.description = (char *) "Espera de 6 horas en urgencias";
    f->queja.operating_unit = (char *) "HGZ 46";
    f->queja.person = &f->person;

    f->media = (Mot__V1__MediaEvent) MOT__V1__MEDIA_EVENT__INIT;
    f->media.territory = (char *) "OOAD-09";
    f->media.theme = (char *) "Abasto de medicamentos";
    f->media.published_on = (char *) VALID_DAY;
    f->media.headline = (char *) "Faltan medicamentos en clínicas";
    f->media.has_reach = true;
    f->media.reach = 150000;

    f->finding = (Mot__V1__DoeFinding) MOT__V1__DOE_FINDING__INIT;
    f->finding.territory = (char *) "UMAE-03";
    f->finding.topic = (char *) "Diferimiento quirúrgico";
    f->finding.found_on = (char *) VALID_DAY;
    f->finding.has_impact = true;
    f->finding.impact = 7;
    f->finding.has_frequency = true;
    f->finding.frequency = 4;

    f->risk = (Mot__V1__RiskFinding) MOT__V1__RISK_FINDING__INIT;
    f->risk.territory = (char *) "OOAD-15";
    f->risk.topic = (char *) "Infraestructura hospitalaria";
    f->risk.found_on = (char *) VALID_DAY;
    f->risk.has_impact = true;
    f->risk.impact = 9;
    f->risk.has_probability = true;
    f->risk.probability = 6;
    f->risk.meeting = (char *) "RTR 2026-03";

    f->delivery = (Mot__V1__ReportDelivery) MOT__V1__REPORT_DELIVERY__INIT;
    f->delivery.report = (char *) "INF-MENSUAL";
    f->delivery.period = (char *) "2026-02";
    f->delivery.delivered_on = (char *) VALID_DAY;
    f->delivery.reference = (char *) "Oficio 123/2026";

    f->trigger = (Mot__V1__TriggerEvent) MOT__V1__TRIGGER_EVENT__INIT;
    f->trigger.trigger = (char *) "rtm_held";
    f->trigger.ref = (char *) "RTM-2026-03-OOAD-15";
    f->trigger.occurred_on = (char *) VALID_DAY;

    f->override = (Mot__V1__Override) MOT__V1__OVERRIDE__INIT;
    f->override.item_id = (char *) "it-42";
    f->override.on = (char *) "DJ";
    f->override.analyst = (char *) "analista.norte";
    f->override.reason = (char *) "Revisión de expedientes";

    f->action = (Mot__V1__ActionDue) MOT__V1__ACTION_DUE__INIT;
    f->action.action_id = (char *) "AC-2026-001";
    f->action.kind = (char *) "accion-correctiva";
    f->action.due_on = (char *) "2026-04-10";
    f->action.responsible = (char *) "DA";

    Mot__V1__Envelope *e = &f->envelope;
    *e = (Mot__V1__Envelope) MOT__V1__ENVELOPE__INIT;
    e->external_id = (char *) "ext-0001";
    e->has_source = true;
    e->body_case = body;
    switch (body) {
    case MOT__V1__ENVELOPE__BODY_QUEJA: e->queja = &f->queja; e->source = MOT__V1__SOURCE__UAD; break;
    case MOT__V1__ENVELOPE__BODY_MEDIA: e->media = &f->media; e->source = MOT__V1__SOURCE__UCS; break;
    case MOT__V1__ENVELOPE__BODY_FINDING: e->finding = &f->finding; e->source = MOT__V1__SOURCE__UEOD; break;
    case MOT__V1__ENVELOPE__BODY_RISK: e->risk = &f->risk; e->source = MOT__V1__SOURCE__CAPSOI; break;
    case MOT__V1__ENVELOPE__BODY_DELIVERY: e->delivery = &f->delivery; e->source = MOT__V1__SOURCE__UEOD; break;
    case MOT__V1__ENVELOPE__BODY_TRIGGER: e->trigger = &f->trigger; e->source = MOT__V1__SOURCE__CAPSOI; break;
    case MOT__V1__ENVELOPE__BODY_OVERRIDE: e->override = &f->override; e->source = MOT__V1__SOURCE__UEOD; break;
    case MOT__V1__ENVELOPE__BODY_ACTION: e->action = &f->action; e->source = MOT__V1__SOURCE__UEOD; break;
    default: e->source = MOT__V1__SOURCE__UAD; break;
    }
}

/* The string field named as the validator names it, e.g. "queja.reason". */
static char **
text_field (fixture_t *f, const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"external_id", offsetof (fixture_t, envelope.external_id)},
        {"queja.territory", offsetof (fixture_t, queja.territory)},
        {"queja.reason", offsetof (fixture_t, queja.reason)},
        {"queja.received_on", offsetof (fixture_t, queja.received_on)},
        {"queja.description", offsetof (fixture_t, queja.description)},
        {"queja.person.nss", offsetof (fixture_t, person.nss)},
        {"queja.person.curp", offsetof (fixture_t, person.curp)},
        {"media.territory", offsetof (fixture_t, media.territory)},
        {"media.theme", offsetof (fixture_t, media.theme)},
        {"media.published_on", offsetof (fixture_t, media.published_on)},
        {"finding.territory", offsetof (fixture_t, finding.territory)},
        {"finding.topic", offsetof (fixture_t, finding.topic)},
        {"finding.found_on", offsetof (fixture_t, finding.found_on)},
        {"risk.territory", offsetof (fixture_t, risk.territory)},
        {"risk.topic", offsetof (fixture_t, risk.topic)},
        {"risk.found_on", offsetof (fixture_t, risk.found_on)},
        {"delivery.report", offsetof (fixture_t, delivery.report)},
        {"delivery.period", offsetof (fixture_t, delivery.period)},
        {"delivery.delivered_on", offsetof (fixture_t, delivery.delivered_on)},
        {"trigger.trigger", offsetof (fixture_t, trigger.trigger)},
        {"trigger.ref", offsetof (fixture_t, trigger.ref)},
        {"trigger.occurred_on", offsetof (fixture_t, trigger.occurred_on)},
        {"override.on", offsetof (fixture_t, override.on)},
        {"action.responsible", offsetof (fixture_t, action.responsible)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp (fields[i].name, name) == 0)
            return (char **) ((char *) f + fields[i].offset);
    fail_msg ("test bug: no field %s", name);
    return NULL;
}

/* The body a field belongs to, from its name's prefix. */
static Mot__V1__Envelope__BodyCase
body_of (const char *field)
{
    static const struct {
        const char *prefix;
        Mot__V1__Envelope__BodyCase body;
    } bodies[] = {
        {"queja.", MOT__V1__ENVELOPE__BODY_QUEJA},      {"media.", MOT__V1__ENVELOPE__BODY_MEDIA},
        {"finding.", MOT__V1__ENVELOPE__BODY_FINDING},  {"risk.", MOT__V1__ENVELOPE__BODY_RISK},
        {"delivery.", MOT__V1__ENVELOPE__BODY_DELIVERY}, {"trigger.", MOT__V1__ENVELOPE__BODY_TRIGGER},
        {"override.", MOT__V1__ENVELOPE__BODY_OVERRIDE}, {"action.", MOT__V1__ENVELOPE__BODY_ACTION},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        if (strncmp (field, bodies[i].prefix, strlen (bodies[i].prefix)) == 0)
            return bodies[i].body;
    return MOT__V1__ENVELOPE__BODY_QUEJA;       /* envelope fields: any body will do */
}

static void
expect_valid_with (fixture_t *f, mot_catalog_t *territories, mot_catalog_t *on_catalog, const char *what)
{
    mot_validation_t result;
    memset (&result, 0x5a, sizeof result);
    if (!mot_validate_envelope (&f->envelope, territories, on_catalog, today, &result))
        fail_msg ("%s: expected valid, got %s (%s)", what, mot_error_code_name (result.code), result.reason);
    assert_int_equal (result.code, MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED);
}

#define expect_valid(f, what) expect_valid_with (f, catalog, ons, what)

/* Refused with `code` naming `field` (not checked when NULL), the result
 * left in `result`. */
static void
expect_refusal (fixture_t *f, Mot__V1__ErrorCode code, const char *field, const char *what,
                mot_validation_t *result)
{
    memset (result, 0, sizeof *result);
    if (mot_validate_envelope (&f->envelope, catalog, ons, today, result))
        fail_msg ("%s: accepted, expected %s on %s", what, mot_error_code_name (code), field ? field : "-");
    if (result->code != code || (field && (!result->field || strcmp (result->field, field) != 0)))
        fail_msg ("%s: expected %s on %s, got %s on %s (%s)", what, mot_error_code_name (code),
                  field ? field : "-", mot_error_code_name (result->code), result->field ? result->field : "(null)",
                  result->reason);
    assert_true (strlen (result->reason) > 0);
}

static void
expect_error (fixture_t *f, Mot__V1__ErrorCode code, const char *field, const char *what)
{
    mot_validation_t result;
    expect_refusal (f, code, field, what, &result);
}

/* A fresh valid envelope for the body of `field` with the field set to `value`. */
static void
set_text (fixture_t *f, const char *field, const char *value)
{
    fixture_init (f, body_of (field));
    *text_field (f, field) = (char *) value;
}

static void
expect_text_error (const char *field, const char *value, Mot__V1__ErrorCode code)
{
    fixture_t f;
    set_text (&f, field, value);
    expect_error (&f, code, field, field);
}

static void
expect_text_ok (const char *field, const char *value)
{
    fixture_t f;
    set_text (&f, field, value);
    expect_valid (&f, field);
}

/* ---------------------------------------------------------------------- */

static void
test_valid_envelope_of_each_body (void **state)
{
    (void) state;
    fixture_t f;
    static const Mot__V1__Envelope__BodyCase bodies[] = {
        MOT__V1__ENVELOPE__BODY_QUEJA, MOT__V1__ENVELOPE__BODY_MEDIA, MOT__V1__ENVELOPE__BODY_FINDING,
        MOT__V1__ENVELOPE__BODY_RISK, MOT__V1__ENVELOPE__BODY_DELIVERY, MOT__V1__ENVELOPE__BODY_TRIGGER};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        fixture_init (&f, bodies[i]);
        expect_valid (&f, mot_body_name (bodies[i]));
    }
    /* Optional parts may be absent. */
    fixture_init (&f, MOT__V1__ENVELOPE__BODY_QUEJA);
    f.queja.person = NULL;
    f.queja.description = NULL;
    f.queja.operating_unit = NULL;
    expect_valid (&f, "queja without optional fields");
    fixture_init (&f, MOT__V1__ENVELOPE__BODY_FINDING);
    f.finding.has_impact = f.finding.has_frequency = false;
    expect_valid (&f, "finding without scores");
}

static void
test_missing_envelope_fields (void **state)
{
    (void) state;
    expect_text_error ("external_id", NULL, MOT__V1__ERROR_CODE__MISSING_FIELD);
    expect_text_error ("external_id", "", MOT__V1__ERROR_CODE__MISSING_FIELD);
    fixture_t f;
    fixture_init (&f, MOT__V1__ENVELOPE__BODY_QUEJA);
    f.envelope.has_source = false;
    f.envelope.source = MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
    expect_error (&f, MOT__V1__ERROR_CODE__MISSING_FIELD, "source", "no source");
}

static void
test_missing_required_body_fields (void **state)
{
    (void) state;
    static const char *const required[] = {
        "queja.territory",   "queja.reason",      "queja.received_on",     "media.territory",
        "media.theme",       "media.published_on", "finding.territory",    "finding.topic",
        "finding.found_on",  "risk.territory",    "risk.topic",            "risk.found_on",
        "delivery.report",   "delivery.period",   "delivery.delivered_on", "trigger.trigger",
        "trigger.ref",       "trigger.occurred_on"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        expect_text_error (required[i], NULL, MOT__V1__ERROR_CODE__MISSING_FIELD);
}

static void
test_source_values (void **state)
{
    (void) state;
    fixture_t f;
    fixture_init (&f, MOT__V1__ENVELOPE__BODY_DELIVERY);
    f.envelope.source = (Mot__V1__Source) 99;
    expect_error (&f, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", "source 99");
    f.envelope.source = MOT__V1__SOURCE__SOURCE_UNSPECIFIED;
    expect_error (&f, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", "source 0 present");
}

/* `body` from `source` is accepted or refused as INVALID_VALUE on "source". */
static void
expect_source_fits (Mot__V1__Envelope__BodyCase body, Mot__V1__Source source, bool fits)
{
    fixture_t f;
    fixture_init (&f, body);
    f.envelope.source = source;
    char what[64];
    snprintf (what, sizeof what, "%s from %s", mot_body_name (body), mot_source_name (source));
    if (fits)
        expect_valid (&f, what);
    else
        expect_error (&f, MOT__V1__ERROR_CODE__INVALID_VALUE, "source", what);
}

static void
test_which_unit_publishes_which_body (void **state)
{
    (void) state;
    expect_source_fits (MOT__V1__ENVELOPE__BODY_QUEJA, MOT__V1__SOURCE__UAD, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_QUEJA, MOT__V1__SOURCE__UCS, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_QUEJA, MOT__V1__SOURCE__CAPSOI, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_MEDIA, MOT__V1__SOURCE__UCS, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_MEDIA, MOT__V1__SOURCE__UAD, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_FINDING, MOT__V1__SOURCE__UEOD, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_FINDING, MOT__V1__SOURCE__CV, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_FINDING, MOT__V1__SOURCE__CAPSOI, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_FINDING, MOT__V1__SOURCE__UAD, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_RISK, MOT__V1__SOURCE__CAPSOI, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_RISK, MOT__V1__SOURCE__UEOD, false);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_RISK, MOT__V1__SOURCE__CV, false);
}

/* Sets one score of a fresh finding or risk. */
static void
expect_score (const char *field, uint32_t value, bool ok)
{
    fixture_t f;
    fixture_init (&f, body_of (field));
    if (strcmp (field, "finding.impact") == 0)
        f.finding.impact = value;
    else if (strcmp (field, "finding.frequency") == 0)
        f.finding.frequency = value;
    else if (strcmp (field, "risk.impact") == 0)
        f.risk.impact = value;
    else if (strcmp (field, "risk.probability") == 0)
        f.risk.probability = value;
    else
        fail_msg ("test bug: no score %s", field);
    char what[64];
    snprintf (what, sizeof what, "%s = %u", field, value);
    if (ok)
        expect_valid (&f, what);
    else
        expect_error (&f, MOT__V1__ERROR_CODE__OUT_OF_RANGE, field, what);
}

static void
test_scores_must_be_1_to_10 (void **state)
{
    (void) state;
    static const char *const scores[] = {"finding.impact", "finding.frequency", "risk.impact",
                                         "risk.probability"};
    for (size_t i = 0; i < sizeof scores / sizeof scores[0]; i++) {
        expect_score (scores[i], 0, false);
        expect_score (scores[i], 11, false);
        expect_score (scores[i], 1, true);
        expect_score (scores[i], 10, true);
    }
}

static void
test_dates (void **state)
{
    (void) state;
    static const char *const dates[] = {"queja.received_on", "media.published_on", "finding.found_on",
                                        "risk.found_on", "delivery.delivered_on", "trigger.occurred_on"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        const char *field = dates[i];
        expect_text_error (field, "2026-02-30", MOT__V1__ERROR_CODE__INVALID_VALUE);
        expect_text_error (field, "2026-2-3", MOT__V1__ERROR_CODE__INVALID_VALUE);
        expect_text_error (field, "14/03/2026", MOT__V1__ERROR_CODE__INVALID_VALUE);
        expect_text_error (field, "1999-12-31", MOT__V1__ERROR_CODE__OUT_OF_RANGE);
        expect_text_ok (field, "2000-01-01");
        expect_text_ok (field, "2026-03-15");      /* today */
        expect_text_ok (field, TODAY_PLUS_1);
        expect_text_error (field, TODAY_PLUS_2, MOT__V1__ERROR_CODE__OUT_OF_RANGE);
    }
}

static void
test_tomorrow_across_a_month_end (void **state)
{
    (void) state;
    mot_day_t saved = today;
    today = mot_day_from_ymd (2026, 2, 28);
    expect_text_ok ("queja.received_on", "2026-03-01");
    expect_text_error ("queja.received_on", "2026-03-02", MOT__V1__ERROR_CODE__OUT_OF_RANGE);
    today = saved;
}

static void
test_invalid_utf8 (void **state)
{
    (void) state;
    expect_text_error ("queja.reason", "\xff", MOT__V1__ERROR_CODE__INVALID_UTF8);
    expect_text_error ("queja.reason", "\xc0\xaf", MOT__V1__ERROR_CODE__INVALID_UTF8);
    expect_text_error ("queja.reason", "Atenci\xf3n", MOT__V1__ERROR_CODE__INVALID_UTF8);   /* Latin-1 */
    expect_text_error ("queja.description", "\xed\xa0\x80", MOT__V1__ERROR_CODE__INVALID_UTF8);
    expect_text_error ("media.theme", "\xff", MOT__V1__ERROR_CODE__INVALID_UTF8);
    expect_text_error ("external_id", "id-\xff", MOT__V1__ERROR_CODE__INVALID_UTF8);
}

/* `count` copies of `unit` in a new string (caller frees). */
static char *
repeat (const char *unit, size_t count)
{
    size_t size = strlen (unit);
    char *text = malloc (size * count + 1);
    assert_non_null (text);
    for (size_t i = 0; i < count; i++)
        memcpy (text + i * size, unit, size);
    text[size * count] = 0;
    return text;
}

static void
test_topic_length_is_counted_in_code_points (void **state)
{
    (void) state;
    /* "ñá" is 2 code points in 4 bytes: 200 code points are 400 bytes. */
    char *exactly_200 = repeat ("\xc3\xb1\xc3\xa1", 100);
    expect_text_ok ("queja.reason", exactly_200);
    char *over = malloc (strlen (exactly_200) + 3);
    assert_non_null (over);
    sprintf (over, "%s\xc3\xa9", exactly_200);            /* + "é": 201 code points */
    expect_text_error ("queja.reason", over, MOT__V1__ERROR_CODE__TOO_LONG);
    expect_text_error ("media.theme", over, MOT__V1__ERROR_CODE__TOO_LONG);
    expect_text_error ("finding.topic", over, MOT__V1__ERROR_CODE__TOO_LONG);
    expect_text_error ("risk.topic", over, MOT__V1__ERROR_CODE__TOO_LONG);
    free (over);
    free (exactly_200);
}

static void
test_external_id_format (void **state)
{
    (void) state;
    expect_text_error ("external_id", "ext 0001", MOT__V1__ERROR_CODE__INVALID_VALUE);
    expect_text_error ("external_id", "ext\t0001", MOT__V1__ERROR_CODE__INVALID_VALUE);
    char *id_128 = repeat ("a", 128);
    char *id_129 = repeat ("a", 129);
    expect_text_ok ("external_id", id_128);
    expect_text_error ("external_id", id_129, MOT__V1__ERROR_CODE__TOO_LONG);
    free (id_128);
    free (id_129);
}

static void
test_unknown_territory (void **state)
{
    (void) state;
    static const char *const territories[] = {"queja.territory", "media.territory", "finding.territory",
                                              "risk.territory"};
    for (size_t i = 0; i < sizeof territories / sizeof territories[0]; i++) {
        expect_text_error (territories[i], "OOAD-36", MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY);
        expect_text_error (territories[i], "ooad-15", MOT__V1__ERROR_CODE__UNKNOWN_TERRITORY);
    }
    /* Without a catalogue any well-formed code passes. */
    fixture_t f;
    set_text (&f, "queja.territory", "OOAD-36");
    expect_valid_with (&f, NULL, ons, "no catalogue");
}

static void
test_unknown_on (void **state)
{
    (void) state;
    expect_text_ok ("override.on", "DJ");
    expect_text_error ("override.on", "XX", MOT__V1__ERROR_CODE__UNKNOWN_ON);
    expect_text_error ("override.on", "dj", MOT__V1__ERROR_CODE__UNKNOWN_ON);
    expect_text_error ("override.on", "OOAD-15", MOT__V1__ERROR_CODE__UNKNOWN_ON);   /* a territory is no ON */
    /* An action's responsible: an ON, or an OOAD/UMAE code of the territory catalogue. */
    expect_text_ok ("action.responsible", "DA");
    expect_text_ok ("action.responsible", "OOAD-15");
    expect_text_ok ("action.responsible", "UMAE-03");
    expect_text_ok ("action.responsible", NULL);           /* optional */
    expect_text_error ("action.responsible", "DOE", MOT__V1__ERROR_CODE__UNKNOWN_ON);
    expect_text_error ("action.responsible", "OOAD-36", MOT__V1__ERROR_CODE__UNKNOWN_ON);
    expect_text_error ("action.responsible", "DA ", MOT__V1__ERROR_CODE__INVALID_VALUE);
    /* Without an ON catalogue any well-formed code passes. */
    fixture_t f;
    set_text (&f, "override.on", "XX");
    expect_valid_with (&f, catalog, NULL, "no ON catalogue (override)");
    set_text (&f, "action.responsible", "XX");
    expect_valid_with (&f, catalog, NULL, "no ON catalogue (action)");
}

static void
test_ca_only_delivers_reports (void **state)
{
    (void) state;
    static const Mot__V1__Envelope__BodyCase others[] = {
        MOT__V1__ENVELOPE__BODY_QUEJA,   MOT__V1__ENVELOPE__BODY_MEDIA,    MOT__V1__ENVELOPE__BODY_FINDING,
        MOT__V1__ENVELOPE__BODY_RISK,    MOT__V1__ENVELOPE__BODY_TRIGGER,  MOT__V1__ENVELOPE__BODY_OVERRIDE,
        MOT__V1__ENVELOPE__BODY_ACTION};
    Mot__V1__Source ca;
    assert_true (mot_source_parse ("CA", &ca));
    assert_int_equal (ca, MOT__V1__SOURCE__CA);
    assert_string_equal (mot_source_name (MOT__V1__SOURCE__CA), "CA");
    expect_source_fits (MOT__V1__ENVELOPE__BODY_DELIVERY, MOT__V1__SOURCE__CA, true);
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        expect_source_fits (others[i], MOT__V1__SOURCE__CA, false);
    /* The other units still send what they sent. */
    expect_source_fits (MOT__V1__ENVELOPE__BODY_OVERRIDE, MOT__V1__SOURCE__UAD, true);
    expect_source_fits (MOT__V1__ENVELOPE__BODY_ACTION, MOT__V1__SOURCE__CV, true);
}

static void
test_personal_data_is_optional (void **state)
{
    (void) state;
    expect_text_ok ("queja.person.nss", NULL);
    expect_text_ok ("queja.person.nss", "");
    expect_text_ok ("queja.person.curp", NULL);
    expect_text_ok ("queja.person.curp", "");
}

/* Refused as INVALID_VALUE on `field`, the reason saying `because` and
 * never quoting the value. */
static void
expect_refused_because (const char *field, const char *value, const char *because)
{
    fixture_t f;
    set_text (&f, field, value);
    mot_validation_t result;
    expect_refusal (&f, MOT__V1__ERROR_CODE__INVALID_VALUE, field, value, &result);
    if (!strstr (result.reason, because))
        fail_msg ("%s: reason \"%s\" does not say \"%s\"", value, result.reason, because);
    if (strstr (result.reason, value))
        fail_msg ("%s: the reason quotes the value", value);
}

static void
expect_curp_refused (const char *curp, const char *because)
{
    expect_refused_because ("queja.person.curp", curp, because);
}

/* The NSS: 11 digits, the 11th a Luhn check digit over the first ten (from
 * the left, the 2nd, 4th, 6th, 8th and 10th digits doubled, a product over
 * 9 minus 9; the check digit brings the sum up to a multiple of 10). */
static void
test_nss_has_11_digits_the_last_its_luhn_check_digit (void **state)
{
    (void) state;
    /* The worked example public descriptions of the NSS give, 92-91-90-8443-1:
     * 9 4 9 2 9 0 8 8 4 6 = 59, 60 - 59 = 1. */
    expect_text_ok ("queja.person.nss", "92919084431");
    /* 1 4 3 8 5 (6*2=12, 12-9=)3 7 (8*2=16, 16-9=)7 9 0 = 47, 50 - 47 = 3. */
    expect_text_ok ("queja.person.nss", "12345678903");
    /* 0 2 0 2 0 2 0 2 0 2 = 10, already a multiple of 10: 0. */
    expect_text_ok ("queja.person.nss", "01010101010");

    expect_refused_because ("queja.person.nss", "1234567890", "11 digits");
    expect_refused_because ("queja.person.nss", "123456789034", "11 digits");
    expect_refused_because ("queja.person.nss", "1234567890A", "11 digits");
    expect_refused_because ("queja.person.nss", "12345-67890", "11 digits");
    expect_refused_because ("queja.person.nss", "12345678901", "check digit");   /* 1, not 3 */
    expect_refused_because ("queja.person.nss", "92919084432", "check digit");   /* 2, not 1 */
    /* Two digits swapped: 2 (9*2=18, 18-9=)9 9 2 9 0 8 8 4 6 = 57, check 3. */
    expect_refused_because ("queja.person.nss", "29919084431", "check digit");
}

/* A CURP's check digit (character 18), as RENAPO computes it: each of the
 * first 17 characters takes its index in "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
 * (0-9 for digits, A=10 … N=23, Ñ=24, O=25 … Z=36), times 18 for the
 * first down to 2 for the 17th; the check digit brings the sum up to a
 * multiple of 10.
 *
 * HEGG560427MVZRRL04, the example public descriptions of the CURP give
 * (Gloria Hernández García, a woman born on 27 April 1956 in Veracruz):
 *   H 17*18=306  E 14*17=238  G 16*16=256  G 16*15=240  5*14=70  6*13=78
 *   0*12=0  4*11=44  2*10=20  7*9=63  M 22*8=176  V 32*7=224  Z 36*6=216
 *   R 28*5=140  R 28*4=112  L 21*3=63  0*2=0;  sum 2246, 2250 - 2246 = 4.
 * BOXW310820HNERXN09, a man born abroad (NE) on 20 August 1931:
 *   B 11*18=198  O 25*17=425  X 34*16=544  W 33*15=495  3*14=42  1*13=13
 *   0*12=0  8*11=88  2*10=20  0*9=0  H 17*8=136  N 23*7=161  E 14*6=84
 *   R 28*5=140  X 34*4=136  N 23*3=69  0*2=0;  sum 2551, 2560 - 2551 = 9.
 * GOMA800101HDFRRN05 (the fixture's), born 1 January 1980 in the capital:
 *   288 425 352 150 112 0 0 11 0 9 136 91 90 140 112 69 0 = 1985: 5.
 * HEGG560427XVZRRL08, the example with sex X: M 176 becomes X 34*8=272,
 *   sum 2246 + 96 = 2342: 8.
 * GOMA000229MJCRRNA0, born 29 February 2000 (a leap year: divisible by
 *   400), the letter A telling the century: 288 425 352 150 0 0 0 22 20 81
 *   M 176  J 19*7=133  C 12*6=72  140 112 69  A 10*2=20 = 2060: 0.
 * GOMA260315HDFRRNA3, born today (2026-03-15): 288 425 352 150 28 78 0 33
 *   10 45 136 91 90 140 112 69 20 = 2067: 3.
 * GOMA991231HDFRRN01, born 31 December 1999: 288 425 352 150 126 117 12 22
 *   30 9 136 91 90 140 112 69 0 = 2169: 1.
 *
 * The malformed ones below carry the check digit their 17 characters call
 * for (computed the same way, sums given), so that only the rule under
 * test can refuse them. */
static void
test_curp_as_renapo_issues_them (void **state)
{
    (void) state;
    expect_text_ok ("queja.person.curp", "HEGG560427MVZRRL04");
    expect_text_ok ("queja.person.curp", "BOXW310820HNERXN09");
    expect_text_ok ("queja.person.curp", "GOMA800101HDFRRN05");
    expect_text_ok ("queja.person.curp", "HEGG560427XVZRRL08");   /* X: RENAPO issues it (first in 2023) */
    expect_text_ok ("queja.person.curp", "GOMA000229MJCRRNA0");
    expect_text_ok ("queja.person.curp", "GOMA260315HDFRRNA3");
    expect_text_ok ("queja.person.curp", "GOMA991231HDFRRN01");
}

static void
test_curp_structure (void **state)
{
    (void) state;
    /* 18 characters. */
    expect_curp_refused ("HEGG560427MVZRRL0", "18 characters");
    expect_curp_refused ("HEGG560427MVZRRL041", "18 characters");
    /* 4 capital letters (A-Z: RENAPO writes X for Ñ). */
    expect_curp_refused ("123456789012345678", "4 capital letters");
    expect_curp_refused ("hegg560427mvzrrl04", "4 capital letters");
    expect_curp_refused ("HEG6560427MVZRRL04", "4 capital letters");
    /* A birth date of 6 digits. */
    expect_curp_refused ("HEGG56O427MVZRRL04", "birth date YYMMDD");
    /* Sex H, M or X: F (an English "female") is none of them; sum 2190. */
    expect_curp_refused ("HEGG560427FVZRRL00", "H, M or X");
    /* A state of RENAPO's list: MX is the country's code, not a state's;
     * sum 2164. */
    expect_curp_refused ("HEGG560427MMXRRL06", "state code");
    expect_curp_refused ("HEGG560427MvzRRL04", "state code");
    /* Three internal consonants: A is a vowel (sum 2156), 1 no letter. */
    expect_curp_refused ("HEGG560427MVZARL04", "consonants");
    expect_curp_refused ("HEGG560427MVZR1L04", "consonants");
    /* Character 17 a digit or a capital letter, 18 a digit. */
    expect_curp_refused ("HEGG560427MVZRRL-4", "character 17");
    expect_curp_refused ("HEGG560427MVZRRL0A", "character 18");
}

static void
test_curp_birth_date_exists_and_is_past (void **state)
{
    (void) state;
    /* The two failures the issue reports: 18 digits (above), month 13
     * (sum 2247). */
    expect_curp_refused ("HEGG561327MVZRRL03", "does not exist");
    expect_curp_refused ("HEGG560027MVZRRL08", "does not exist");   /* month 00, 2202 */
    expect_curp_refused ("HEGG560400MVZRRL07", "does not exist");   /* day 00, 2163 */
    expect_curp_refused ("HEGG560431MVZRRL08", "does not exist");   /* 31 April, 2202 */
    /* 29 February: 2000 was a leap year (accepted above); with a digit at
     * 17 the year is 1900, which was not (divisible by 100, not by 400):
     * 2060 - 20 (A*2 becomes 0*2) = 2040, check 0. 2001 was not either:
     * 2060 + 13 (1*13) = 2073, check 7. */
    expect_curp_refused ("GOMA000229MJCRRN00", "does not exist");
    expect_curp_refused ("GOMA010229MJCRRNA7", "does not exist");
    /* Born tomorrow (2026-03-16): 2067 + 9 (6*9 instead of 5*9) = 2076: 4.
     * With a letter at 17, 99 is 2099 (2169 + 20 = 2189: 1). */
    expect_curp_refused ("GOMA260316HDFRRNA4", "in the future");
    expect_curp_refused ("GOMA991231HDFRRNA1", "in the future");
}

static void
test_curp_check_digit (void **state)
{
    (void) state;
    expect_curp_refused ("HEGG560427MVZRRL05", "check digit");   /* 4 is due */
    expect_curp_refused ("GOMA800101HDFRRN09", "check digit");   /* 5 is due */
    /* One digit of the date mistyped: 8*9 for 7*9, sum 2255, 5 is due. */
    expect_curp_refused ("HEGG560428MVZRRL04", "check digit");
    /* The first two letters swapped: E 14*18 + H 17*17 = 541 for 544,
     * sum 2243, 7 is due. */
    expect_curp_refused ("EHGG560427MVZRRL04", "check digit");
}

static void
test_no_body_is_unknown_type (void **state)
{
    (void) state;
    fixture_t f;
    fixture_init (&f, MOT__V1__ENVELOPE__BODY__NOT_SET);
    expect_error (&f, MOT__V1__ERROR_CODE__UNKNOWN_TYPE, NULL, "no body");
}

/* ---------------------------------------------------------------------- */

static int
setup (void **state)
{
    (void) state;
    today = mot_day_from_ymd (2026, 3, 15);
    char path[] = "/tmp/test_validate_XXXXXX";
    int fd = mkstemp (path);
    if (fd < 0)
        return -1;
    static const char content[] = "# test catalogue\n"
                                  "OOAD-09\tOOAD\tCiudad de México Norte\n"
                                  "OOAD-15\tOOAD\tJalisco\n"
                                  "UMAE-03\tUMAE\tHospital de Especialidades\n";
    bool written = write (fd, content, sizeof content - 1) == (ssize_t) (sizeof content - 1);
    close (fd);
    char *error = NULL;
    catalog = written ? mot_catalog_new (path, &error) : NULL;
    unlink (path);
    if (error)
        fprintf (stderr, "%s\n", error);
    free (error);
    error = NULL;
    char on_path[] = "/tmp/test_validate_on_XXXXXX";
    fd = mkstemp (on_path);
    if (fd < 0)
        return -1;
    static const char on_content[] = "# test ON catalogue\n"
                                     "DA\tDirección de Administración\n"
                                     "DJ\tDirección Jurídica\n"
                                     "DPM\tDirección de Prestaciones Médicas\n";
    written = write (fd, on_content, sizeof on_content - 1) == (ssize_t) (sizeof on_content - 1);
    close (fd);
    ons = written ? mot_catalog_new_on (on_path, &error) : NULL;
    unlink (on_path);
    if (error)
        fprintf (stderr, "%s\n", error);
    free (error);
    return catalog && ons ? 0 : -1;
}

static int
teardown (void **state)
{
    (void) state;
    mot_catalog_destroy (&catalog);
    mot_catalog_destroy (&ons);
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_valid_envelope_of_each_body),
        cmocka_unit_test (test_missing_envelope_fields),
        cmocka_unit_test (test_missing_required_body_fields),
        cmocka_unit_test (test_source_values),
        cmocka_unit_test (test_which_unit_publishes_which_body),
        cmocka_unit_test (test_scores_must_be_1_to_10),
        cmocka_unit_test (test_dates),
        cmocka_unit_test (test_tomorrow_across_a_month_end),
        cmocka_unit_test (test_invalid_utf8),
        cmocka_unit_test (test_topic_length_is_counted_in_code_points),
        cmocka_unit_test (test_external_id_format),
        cmocka_unit_test (test_unknown_territory),
        cmocka_unit_test (test_unknown_on),
        cmocka_unit_test (test_ca_only_delivers_reports),
        cmocka_unit_test (test_personal_data_is_optional),
        cmocka_unit_test (test_nss_has_11_digits_the_last_its_luhn_check_digit),
        cmocka_unit_test (test_curp_as_renapo_issues_them),
        cmocka_unit_test (test_curp_structure),
        cmocka_unit_test (test_curp_birth_date_exists_and_is_past),
        cmocka_unit_test (test_curp_check_digit),
        cmocka_unit_test (test_no_body_is_unknown_type),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
