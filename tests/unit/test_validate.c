/*  test_validate — unit tests for mot_validate_envelope: required fields,
 *  which unit may publish which body (MOT-SPEC §2), scores 1..10, strict
 *  dates between 2000-01-01 and today + 1, UTF-8, length limits, identifiers,
 *  personal data formats, territory codes from a catalogue, ON codes from
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
    f->person.nss = (char *) "12345678901";
    f->person.curp = (char *) "GOMA800101HDFRRN09";
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

/* Refused with `code` naming `field` (not checked when NULL). */
static void
expect_error (fixture_t *f, Mot__V1__ErrorCode code, const char *field, const char *what)
{
    mot_validation_t result;
    memset (&result, 0, sizeof result);
    if (mot_validate_envelope (&f->envelope, catalog, ons, today, &result))
        fail_msg ("%s: accepted, expected %s on %s", what, mot_error_code_name (code), field ? field : "-");
    if (result.code != code || (field && (!result.field || strcmp (result.field, field) != 0)))
        fail_msg ("%s: expected %s on %s, got %s on %s (%s)", what, mot_error_code_name (code),
                  field ? field : "-", mot_error_code_name (result.code), result.field ? result.field : "(null)",
                  result.reason);
    assert_true (strlen (result.reason) > 0);
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
test_personal_data_formats (void **state)
{
    (void) state;
    expect_text_error ("queja.person.nss", "1234567890", MOT__V1__ERROR_CODE__INVALID_VALUE);
    expect_text_error ("queja.person.nss", "123456789012", MOT__V1__ERROR_CODE__INVALID_VALUE);
    expect_text_error ("queja.person.nss", "1234567890A", MOT__V1__ERROR_CODE__INVALID_VALUE);
    expect_text_error ("queja.person.curp", "GOMA800101HDFRRN0", MOT__V1__ERROR_CODE__INVALID_VALUE);
    expect_text_ok ("queja.person.nss", NULL);              /* personal data is optional */
    expect_text_ok ("queja.person.curp", NULL);
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
        cmocka_unit_test (test_personal_data_formats),
        cmocka_unit_test (test_no_body_is_unknown_type),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
