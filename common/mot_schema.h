/*  mot_schema — the Redis data layout, in one place.
 *
 *  Owns: every key the services share (fixed names and the builders of the
 *  others: no other file formats a key), the field names of every hash two
 *  services share (events, items, obligations), the item kinds and stages,
 *  the obligation statuses, and the timer-member format with its parser.
 *  C code includes this header; the Lua scripts get the same names as
 *  locals from a prelude generated from it at build time (see
 *  mot_scripts.h), so a name is spelled once, here.
 *
 *  The key space:
 *    mot:clock                        string  test clock (unix seconds)
 *    mot:seq:event / mot:seq:item     string  id counters (ev-N, it-N)
 *    mot:dedup:<source>:<extid>       string  event id of the first submission
 *    mot:event:<event_id>             hash    MOT_EVENT_FIELDS
 *    mot:pending:classify             zset    event ids handed to the classifier and
 *                                             not yet committed (score: last send, ms)
 *    mot:pending:watch                zset    the same, for the deadline-watcher
 *    mot:item:{<item_id>}             hash    MOT_ITEM_FIELDS
 *    mot:item:{<item_id>}:audit       list    JSON audit entries, oldest first
 *    mot:item:{<item_id>}:valuations  list    JSON valuations, oldest first (evolución)
 *    mot:item:{<item_id>}:work        zset    the item's actions, agreements and
 *                                             recommendations (work ids) by recording time
 *    mot:item:{<item_id>}:dedup       list    the dedup keys of the item's events (they
 *                                             expire 90 days after the item closes)
 *    mot:item:{<item_id>}:positions   hash    YYYY-MM → the item's position frozen at
 *                                             that month's close (MOT_POSITION_FORMAT)
 *    mot:work:{<work_id>}             hash    MOT_WORK_FIELDS: an action, agreement or
 *                                             recommendation; work id = obligation id
 *                                             "<source>:<kind>:<action_id>"
 *    mot:work:{<work_id>}:reports     hash    cut-off date → JSON progress report
 *    mot:session:{<session_id>}       hash    MOT_SESSION_FIELDS: a sesión de consenso
 *    mot:itemidx:<kind>:<terr>:<topic> string the open item of that kind, territory
 *                                             and normalised topic
 *    mot:items:<kind>                 zset    item ids by number (kind: MOT_KINDS)
 *    mot:items:sin_clasificar         zset    items whose category or ON is still
 *                                             unclassified (score: item number)
 *    mot:obl:{<obligation_id>}        hash    MOT_OBLIGATION_FIELDS
 *    mot:obl:{<obligation_id>}:audit  list    JSON lines: deadline moves
 *    mot:obls                         zset    obligation ids by deadline day number
 *                                             (one waiting for its inputs: by its
 *                                             month's close)
 *    mot:timers                       zset    one member per pending timer (format
 *                                             below) by fire time (unix s)
 *    mot:calendar:audit               list    JSON lines: calendar reloads
 *    mot:watch:followups              hash    open fortnightly follow-ups (followup.h)
 *    mot:watch:generated              string  the last month whose monthly
 *                                             obligations exist (monthly.h)
 *    mot:periods                      hash    YYYY-MM → when its positions were frozen
 *                                             (unix s; periods.h in the watcher)
 *    mot:periods:frozen               string  the last month whose positions are all frozen
 *    mot:outbox                       list    JSON facts about items (MOT_FACT_FIELDS) the
 *                                             classifier's step recorded, until the
 *                                             classifier logs them as notices
 *    mot:seq:notice                   string  the last notice seq given
 *    mot:notices                      stream  the notice log (mot_notice_log.h)
 *    mot:notices:published            string  the last seq the notifier took
 *    mot:report:monthly:{<YYYY-MM>}   hash    MOT_REPORT_FIELDS: the month's CAPSOI →
 *                                             TDOE report as generated once its
 *                                             inputs were all delivered (report_archive.h)
 *    mot:report:monthly:{<YYYY-MM>}:lease  string  the reporter building it (expires)
 *    mot:reports:monthly              hash    YYYY-MM → when its report was stored (unix s)
 *    mot:reports:monthly:next         string  the first month whose report may still
 *                                             be missing (the reporters look from there)
 *
 *  The keys of one item, and of one obligation, share a hash tag ({id}), so
 *  that a step on one of them stays in one Redis Cluster slot.
 */
#ifndef MOT_SCHEMA_H_INCLUDED
#define MOT_SCHEMA_H_INCLUDED

#include <stdbool.h>
#include "mot.pb-c.h"

/* ---- keys with a fixed name ------------------------------------------ */

#define MOT_KEY_CLOCK "mot:clock"
#define MOT_KEY_SEQ_EVENT "mot:seq:event"
#define MOT_KEY_SEQ_ITEM "mot:seq:item"
#define MOT_KEY_PENDING_CLASSIFY "mot:pending:classify"
#define MOT_KEY_PENDING_WATCH "mot:pending:watch"
#define MOT_KEY_ITEMS_UNCLASSIFIED "mot:items:sin_clasificar"
#define MOT_KEY_OBLS "mot:obls"
#define MOT_KEY_TIMERS "mot:timers"
#define MOT_KEY_CALENDAR_AUDIT "mot:calendar:audit"
#define MOT_KEY_FOLLOWUPS "mot:watch:followups"
#define MOT_KEY_WATCH_GENERATED "mot:watch:generated"
#define MOT_KEY_PERIODS "mot:periods"
#define MOT_KEY_PERIODS_FROZEN "mot:periods:frozen"
#define MOT_KEY_OUTBOX "mot:outbox"
#define MOT_KEY_SEQ_NOTICE "mot:seq:notice"
#define MOT_KEY_NOTICES "mot:notices"
#define MOT_KEY_NOTICES_PUBLISHED "mot:notices:published"
#define MOT_KEY_REPORTS_MONTHLY "mot:reports:monthly"
#define MOT_KEY_REPORTS_MONTHLY_NEXT "mot:reports:monthly:next"

/* ---- keys built from ids (malloc'd; NULL when out of memory) ---------- */

char *mot_key_dedup (const char *source, const char *external_id);
char *mot_key_event (const char *event_id);
char *mot_key_item (const char *item_id);
char *mot_key_item_audit (const char *item_id);
char *mot_key_item_index (const char *kind, const char *territory, const char *topic_key);
char *mot_key_items (const char *kind);
char *mot_key_item_valuations (const char *item_id);
char *mot_key_item_work (const char *item_id);
char *mot_key_item_dedup (const char *item_id);
char *mot_key_item_positions (const char *item_id);
char *mot_key_work (const char *work_id);
char *mot_key_work_reports (const char *work_id);
char *mot_key_session (const char *session_id);
char *mot_key_obligation (const char *obligation_id);
char *mot_key_obligation_audit (const char *obligation_id);
char *mot_key_report_monthly (const char *month);
char *mot_key_report_monthly_lease (const char *month);

/* ---- ids (malloc'd; NULL when out of memory) ------------------------------ */

/* "ev-<number>", "it-<number>": the numbers come from mot:seq:event and
 * mot:seq:item. */
char *mot_event_id (long long number);
char *mot_item_id (long long number);
/* The number of an item id; false when it is not "it-<number>". */
bool mot_item_number (const char *item_id, long long *number);
/* An obligation's id, "<unit>:<report>:<period>". An action's,
 * agreement's or recommendation's (work) id is its obligation's:
 * "<source>:<kind>:<action_id>". */
char *mot_obligation_id_of (const char *unit, const char *report, const char *period);

/* ---- shared hash fields, kinds, stages, statuses ------------------------
 * Each list is X (C name, text). The C names are `const char []` declared
 * below; the Lua prelude defines a local of the same name without "MOT_". */

#define MOT_EVENT_FIELDS(X)                                                    \
    X (MOT_EVENT_ENVELOPE, "envelope")      /* packed, sanitised Envelope */   \
    X (MOT_EVENT_SOURCE, "source")                                             \
    X (MOT_EVENT_TYPE, "type")                                                 \
    X (MOT_EVENT_RECEIVED_AT, "received_at")                                   \
    X (MOT_EVENT_ITEM_ID, "item_id")        /* set once classified */          \
    X (MOT_EVENT_REJECTED, "rejected")      /* an override's refusal (older form) */ \
    X (MOT_EVENT_OUTCOME, "outcome")        /* MOT_OUTCOMES, once applied or refused */ \
    X (MOT_EVENT_REFUSAL, "refusal")        /* a Refusal name (proto) */        \
    X (MOT_EVENT_REASON, "reason")          /* the refusal in words */          \
    X (MOT_EVENT_DONE_AT, "done_at")        /* when applied or refused (unix s) */

#define MOT_ITEM_FIELDS(X)                                                     \
    X (MOT_ITEM_ID, "id")                                                      \
    X (MOT_ITEM_KIND, "kind")                                                  \
    X (MOT_ITEM_SOURCE, "source")           /* the unit that found it first */ \
    X (MOT_ITEM_UNITS, "units")             /* every unit that found it, comma-separated */ \
    X (MOT_ITEM_TERRITORY, "territory")                                        \
    X (MOT_ITEM_TOPIC, "topic")                                                \
    X (MOT_ITEM_TOPIC_KEY, "topic_key")                                        \
    X (MOT_ITEM_STAGE, "stage")                                                \
    X (MOT_ITEM_EVENTS, "events")                                              \
    X (MOT_ITEM_FIRST_SEEN, "first_seen")                                      \
    X (MOT_ITEM_LAST_SEEN, "last_seen")                                        \
    X (MOT_ITEM_CREATED_AT, "created_at")                                      \
    X (MOT_ITEM_UPDATED_AT, "updated_at")                                      \
    X (MOT_ITEM_VERSION, "version")                                            \
    X (MOT_ITEM_MONTH_PREFIX, "month:")     /* + YYYY-MM: events that month */ \
    X (MOT_ITEM_IMPACT, "impact")           /* effective values */             \
    X (MOT_ITEM_VERTICAL, "vertical")                                          \
    X (MOT_ITEM_QUADRANT, "quadrant")                                          \
    X (MOT_ITEM_CATEGORY, "category")                                          \
    X (MOT_ITEM_ON, "on")                                                      \
    X (MOT_ITEM_PROPOSED_IMPACT, "proposed_impact")                            \
    X (MOT_ITEM_PROPOSED_VERTICAL, "proposed_vertical")                        \
    X (MOT_ITEM_PROPOSED_CATEGORY, "proposed_category")                        \
    X (MOT_ITEM_PROPOSED_ON, "proposed_on")                                    \
    X (MOT_ITEM_IMPACT_OVERRIDE, "impact_override")                            \
    X (MOT_ITEM_VERTICAL_OVERRIDE, "vertical_override")                        \
    X (MOT_ITEM_CATEGORY_OVERRIDE, "category_override")                        \
    X (MOT_ITEM_ON_OVERRIDE, "on_override")                                    \
    X (MOT_ITEM_OVERRIDE_BY, "override_by")                                    \
    X (MOT_ITEM_OVERRIDE_AT, "override_at")                                    \
    X (MOT_ITEM_WINDOW_EVENTS, "window_events")                                \
    X (MOT_ITEM_VERTICAL_GIVEN, "vertical_given")                              \
    X (MOT_ITEM_VERTICAL_GIVEN_DAY, "vertical_given_day")                      \
    X (MOT_ITEM_STAGE_AT, "stage_at")       /* when it entered its stage */    \
    X (MOT_ITEM_ACTIONS, "actions")         /* corrective actions recorded */  \
    X (MOT_ITEM_ACTIONS_DONE, "actions_done")                                  \
    X (MOT_ITEM_PROGRESS_SUM, "progress_sum") /* sum of the actions' verified % */ \
    X (MOT_ITEM_OPEN_WORK, "open_work")     /* actions, agreements, recommendations not complete */ \
    X (MOT_ITEM_OPEN_AGREEMENTS, "open_agreements")                            \
    X (MOT_ITEM_OPEN_RECOMMENDATIONS, "open_recommendations")                  \
    X (MOT_ITEM_RESOLUTION, "resolution")   /* MOT_RESOLUTIONS: the last valuation's */ \
    X (MOT_ITEM_VALUED_IMPACT, "valued_impact") /* the last valuation's scores */ \
    X (MOT_ITEM_VALUED_VERTICAL, "valued_vertical")                            \
    X (MOT_ITEM_VALUED_ON, "valued_on")                                        \
    X (MOT_ITEM_VALUED_AT, "valued_at")     /* unix s */                       \
    X (MOT_ITEM_VALUATIONS, "valuations")                                      \
    X (MOT_ITEM_BASELINE_IMPACT, "baseline_impact") /* effective before the first valuation */ \
    X (MOT_ITEM_BASELINE_VERTICAL, "baseline_vertical")                        \
    X (MOT_ITEM_BASELINE_QUADRANT, "baseline_quadrant")                        \
    X (MOT_ITEM_SESSIONS, "sessions")       /* sessions that covered it, comma-separated */ \
    X (MOT_ITEM_CLOSED_AT, "closed_at")                                        \
    X (MOT_ITEM_CLOSED_BY, "closed_by")

#define MOT_OBLIGATION_FIELDS(X)                                               \
    X (MOT_OBL_ID, "id")                                                       \
    X (MOT_OBL_UNIT, "unit")                                                   \
    X (MOT_OBL_REPORT, "report")                                               \
    X (MOT_OBL_REPORT_NAME, "report_name")                                     \
    X (MOT_OBL_PERIOD, "period")                                               \
    X (MOT_OBL_DEADLINE, "deadline")        /* YYYY-MM-DD */                   \
    X (MOT_OBL_DUE_AT, "due_at")            /* unix s: the deadline day's end */\
    X (MOT_OBL_ANCHOR, "anchor")            /* the day the n business days follow */\
    X (MOT_OBL_N, "n")                                                         \
    X (MOT_OBL_STATUS, "status")            /* MOT_STATUSES */                 \
    X (MOT_OBL_CREATED_AT, "created_at")                                       \
    X (MOT_OBL_TERRITORY, "territory")                                         \
    X (MOT_OBL_RESPONSIBLE, "responsible")                                     \
    X (MOT_OBL_DELIVERED_ON, "delivered_on")                                   \
    X (MOT_OBL_BUSINESS_DAYS_LATE, "business_days_late")                       \
    X (MOT_OBL_DELIVERY_EVENT, "delivery_event")                               \
    X (MOT_OBL_ESCALATION_LEVEL, "escalation_level")                           \
    X (MOT_OBL_WAITING_FOR, "waiting_for")  /* while waiting: "UNIT/code,…" missing */

/* An action, agreement or recommendation (mot:work:{<work id>}). */
#define MOT_WORK_FIELDS(X)                                                     \
    X (MOT_WORK_ID, "id")                   /* = its obligation's id */        \
    X (MOT_WORK_KIND, "kind")               /* accion-correctiva | acuerdo | recomendacion */ \
    X (MOT_WORK_ACTION_ID, "action_id")                                        \
    X (MOT_WORK_SOURCE, "source")                                              \
    X (MOT_WORK_ITEMS, "items")             /* item ids, comma-separated */    \
    X (MOT_WORK_SESSION, "session_id")                                         \
    X (MOT_WORK_RESPONSIBLE, "responsible")                                    \
    X (MOT_WORK_OPERATING_UNIT, "operating_unit")                              \
    X (MOT_WORK_DESCRIPTION, "description")                                    \
    X (MOT_WORK_PAT_LINE, "pat_line")                                          \
    X (MOT_WORK_TYPE, "recommendation_type")                                   \
    X (MOT_WORK_DUE_ON, "due_on")                                              \
    X (MOT_WORK_STATUS, "status")           /* MOT_WORK_STATUSES */            \
    X (MOT_WORK_PERCENT, "percent")         /* the last verified % avance */   \
    X (MOT_WORK_REPORTED, "reported")       /* the last reported % avance */   \
    X (MOT_WORK_EVENT_ID, "event_id")                                          \
    X (MOT_WORK_ANALYST, "analyst")                                            \
    X (MOT_WORK_CREATED_AT, "created_at")                                      \
    X (MOT_WORK_COMPLETED_AT, "completed_at")

/* A sesión de consenso (mot:session:{<id>}). */
#define MOT_SESSION_FIELDS(X)                                                  \
    X (MOT_SESSION_ID, "id")                                                   \
    X (MOT_SESSION_HELD_ON, "held_on")                                         \
    X (MOT_SESSION_MEDIUM, "medium")                                           \
    X (MOT_SESSION_OFFICES, "offices")      /* comma-separated codes */        \
    X (MOT_SESSION_ITEMS, "items")          /* comma-separated item ids */     \
    X (MOT_SESSION_SOURCE, "source")                                           \
    X (MOT_SESSION_ANALYST, "analyst")                                         \
    X (MOT_SESSION_EVENT_ID, "event_id")                                       \
    X (MOT_SESSION_CREATED_AT, "created_at")

/* The fields of an entry of the notice log mot:notices (mot_notice_log.h),
 * and the value of `which` when the entry holds every notice of its batch. */
#define MOT_LOG_FIELDS(X)                                                      \
    X (MOT_LOG_N, "n")                      /* notices held */                 \
    X (MOT_LOG_WHICH, "which")              /* "all", or the indexes held */   \
    X (MOT_LOG_NOTICES, "notices")          /* a packed NoticeBatch */         \
    X (MOT_LOG_WHICH_ALL, "all")

/* The fields of a stored monthly report (mot:report:monthly:{YYYY-MM}). */
#define MOT_REPORT_FIELDS(X)                                                   \
    X (MOT_REPORT_HTML, "html")             /* the standalone document */      \
    X (MOT_REPORT_JSON, "json")             /* its figures (monthly_report.h) */ \
    X (MOT_REPORT_GENERATED_AT, "generated_at") /* unix s (service clock) */   \
    X (MOT_REPORT_OBLIGATION, "obligation") /* the obligation id it answers */ \
    X (MOT_REPORT_NOTICE_SEQ, "notice_seq") /* the seq of its availability notice */

/* Item kinds: CAPSOI finds riesgos, the other units problemáticas. */
#define MOT_KINDS(X)                                                           \
    X (MOT_KIND_PROBLEMATICA, "problematica")                                  \
    X (MOT_KIND_RIESGO, "riesgo")

/* The category or ON of an item that no rule and no analyst set yet. */
#define MOT_ITEM_VALUES(X)                                                     \
    X (MOT_UNCLASSIFIED, "sin clasificar")

/* The four stages of an item (MOT-SPEC §3); items enter the first. */
#define MOT_STAGES(X)                                                          \
    X (MOT_STAGE_IDENTIFICACION, "identificacion")                             \
    X (MOT_STAGE_SEGUIMIENTO, "seguimiento")                                   \
    X (MOT_STAGE_MONITOREO, "monitoreo")                                       \
    X (MOT_STAGE_MEJORA_CONTINUA, "mejora_continua")                           \
    X (MOT_STAGE_CERRADO, "cerrado")

/* What a lifecycle command's event became (MOT_EVENT_OUTCOME). */
#define MOT_OUTCOMES(X)                                                        \
    X (MOT_OUTCOME_APPLIED, "applied")                                         \
    X (MOT_OUTCOME_REFUSED, "refused")

/* The outcome of a valuation (MOT_ITEM_RESOLUTION). */
#define MOT_RESOLUTIONS(X)                                                     \
    X (MOT_RESOLUTION_RESOLVED, "resolved")                                    \
    X (MOT_RESOLUTION_RESIDUAL, "residual")

/* The kinds of work on an item, and their statuses. */
#define MOT_WORK_KINDS(X)                                                      \
    X (MOT_WORK_ACTION, "accion-correctiva")                                   \
    X (MOT_WORK_AGREEMENT, "acuerdo")                                          \
    X (MOT_WORK_RECOMMENDATION, "recomendacion")
#define MOT_WORK_STATUSES(X)                                                   \
    X (MOT_WORK_OPEN, "open")                                                  \
    X (MOT_WORK_COMPLETE, "complete")

/* The lifecycle commands (the Envelope bodies the classifier applies to
 * items besides evidence and overrides), by the name of their body. */
#define MOT_COMMANDS(X)                                                        \
    X (MOT_COMMAND_ACTION, "action")                                           \
    X (MOT_COMMAND_PROGRESS, "progress")                                       \
    X (MOT_COMMAND_VERIFICATION, "verification")                               \
    X (MOT_COMMAND_RESCHEDULE, "reschedule")                                   \
    X (MOT_COMMAND_START_MONITORING, "start_monitoring")                       \
    X (MOT_COMMAND_VALUATION, "valuation")                                     \
    X (MOT_COMMAND_SESSION, "session")                                         \
    X (MOT_COMMAND_CLOSURE, "closure")                                         \
    X (MOT_COMMAND_REOPEN, "reopen")

/* A fact about an item (an entry of mot:outbox): what a notice will say.
 * Its kind is the name of a NoticeKind (mot_notice_kind_name). */
#define MOT_FACT_FIELDS(X)                                                     \
    X (MOT_FACT_KIND, "kind")                                                  \
    X (MOT_FACT_ID, "id")                   /* the notice's id */              \
    X (MOT_FACT_ITEM, "item_id")                                               \
    X (MOT_FACT_ITEM_KIND, "item_kind")                                        \
    X (MOT_FACT_TOPIC, "topic")                                                \
    X (MOT_FACT_TERRITORY, "territory")                                        \
    X (MOT_FACT_ON, "on")                   /* who acts: the item's ON, a recommendation's addressee */ \
    X (MOT_FACT_UNIT, "unit")               /* the unit whose event caused it */ \
    X (MOT_FACT_EVENT, "event_id")                                             \
    X (MOT_FACT_QUADRANT, "quadrant")                                          \
    X (MOT_FACT_PREVIOUS, "previous_quadrant")                                 \
    X (MOT_FACT_IMPACT, "impact")                                              \
    X (MOT_FACT_VERTICAL, "vertical")                                          \
    X (MOT_FACT_DAY, "day")                 /* valued on, due on */            \
    X (MOT_FACT_ACTION, "action_id")                                           \
    X (MOT_FACT_TYPE, "recommendation_type")                                   \
    X (MOT_FACT_AT, "at")

/* The kinds of facts: the item NoticeKinds' names. */
#define MOT_FACT_KINDS(X)                                                      \
    X (MOT_FACT_QUADRANT_I, "item_quadrant_i")                                 \
    X (MOT_FACT_WORSE, "item_worse")                                           \
    X (MOT_FACT_RESIDUAL, "item_residual")                                     \
    X (MOT_FACT_RECOMMENDATION, "recommendation_issued")                       \
    X (MOT_FACT_CLOSED, "item_closed")

/* The role of a key a lifecycle command names (a REF record of commit.lua). */
#define MOT_REF_ROLES(X)                                                       \
    X (MOT_ROLE_ITEM, "item")               /* mot:item:{id} */                \
    X (MOT_ROLE_AUDIT, "audit")             /* mot:item:{id}:audit */          \
    X (MOT_ROLE_VALUATIONS, "valuations")   /* mot:item:{id}:valuations */     \
    X (MOT_ROLE_ITEM_WORK, "item_work")     /* mot:item:{id}:work */           \
    X (MOT_ROLE_INDEX, "index")             /* the item's index key */         \
    X (MOT_ROLE_DEDUP, "dedup")             /* a dedup key of the item's events */ \
    X (MOT_ROLE_WORK, "work")               /* mot:work:{id} */                \
    X (MOT_ROLE_REPORTS, "reports")         /* mot:work:{id}:reports */        \
    X (MOT_ROLE_SESSION, "session")         /* mot:session:{id} */

/* The refusals a script gives, spelled as the values of the proto's
 * Refusal enum (test_schema checks each is one). */
#define MOT_REFUSALS(X)                                                        \
    X (MOT_REFUSAL_UNKNOWN_ITEM, "UNKNOWN_ITEM")                               \
    X (MOT_REFUSAL_ILLEGAL_TRANSITION, "ILLEGAL_TRANSITION")                   \
    X (MOT_REFUSAL_REASON_REQUIRED, "REASON_REQUIRED")                         \
    X (MOT_REFUSAL_UNKNOWN_ACTION, "UNKNOWN_ACTION")                           \
    X (MOT_REFUSAL_UNKNOWN_SESSION, "UNKNOWN_SESSION")                         \
    X (MOT_REFUSAL_UNKNOWN_REPORT, "UNKNOWN_REPORT")                           \
    X (MOT_REFUSAL_ALREADY_RECORDED, "ALREADY_RECORDED")                       \
    X (MOT_REFUSAL_ALREADY_VERIFIED, "ALREADY_VERIFIED")                       \
    X (MOT_REFUSAL_ALREADY_CLOSED, "ALREADY_CLOSED")                           \
    X (MOT_REFUSAL_NOT_CLOSED, "NOT_CLOSED")                                   \
    X (MOT_REFUSAL_NOT_RESOLVED, "NOT_RESOLVED")                               \
    X (MOT_REFUSAL_NOT_RESIDUAL, "NOT_RESIDUAL")                               \
    X (MOT_REFUSAL_ACTION_COMPLETE, "ACTION_COMPLETE")                         \
    X (MOT_REFUSAL_NOT_COVERED, "NOT_COVERED")

/* An obligation's stored status. Overdue is not stored: an obligation is
 * overdue while pending after due_at. "overdue" was stored by older
 * versions and still reads as pending. "waiting": an after: obligation
 * whose inputs are not all delivered (no deadline, no timers yet). */
#define MOT_STATUSES(X)                                                        \
    X (MOT_STATUS_PENDING, "pending")                                          \
    X (MOT_STATUS_WAITING, "waiting")                                          \
    X (MOT_STATUS_DELIVERED, "delivered")                                      \
    X (MOT_STATUS_DELIVERED_LATE, "delivered_late")                            \
    X (MOT_STATUS_LEGACY_OVERDUE, "overdue")

#define MOT_SCHEMA_DECLARE(name, text) extern const char name[];
MOT_EVENT_FIELDS (MOT_SCHEMA_DECLARE)
MOT_ITEM_FIELDS (MOT_SCHEMA_DECLARE)
MOT_OBLIGATION_FIELDS (MOT_SCHEMA_DECLARE)
MOT_LOG_FIELDS (MOT_SCHEMA_DECLARE)
MOT_REPORT_FIELDS (MOT_SCHEMA_DECLARE)
MOT_KINDS (MOT_SCHEMA_DECLARE)
MOT_ITEM_VALUES (MOT_SCHEMA_DECLARE)
MOT_STAGES (MOT_SCHEMA_DECLARE)
MOT_STATUSES (MOT_SCHEMA_DECLARE)
MOT_WORK_FIELDS (MOT_SCHEMA_DECLARE)
MOT_SESSION_FIELDS (MOT_SCHEMA_DECLARE)
MOT_OUTCOMES (MOT_SCHEMA_DECLARE)
MOT_RESOLUTIONS (MOT_SCHEMA_DECLARE)
MOT_WORK_KINDS (MOT_SCHEMA_DECLARE)
MOT_WORK_STATUSES (MOT_SCHEMA_DECLARE)
MOT_COMMANDS (MOT_SCHEMA_DECLARE)
MOT_REFUSALS (MOT_SCHEMA_DECLARE)
MOT_REF_ROLES (MOT_SCHEMA_DECLARE)
MOT_FACT_FIELDS (MOT_SCHEMA_DECLARE)
MOT_FACT_KINDS (MOT_SCHEMA_DECLARE)

/* The kind of item a unit's findings open. */
const char *mot_item_kind_of (Mot__V1__Source source);
/* Whether a stored status means "not delivered yet". */
bool mot_status_is_pending (const char *status);

/* ---- timer members and notice ids ----------------------------------------
 * A pending timer is the member "<obligation_id>|reminder",
 * "<obligation_id>|overdue" or "<obligation_id>|escalation|<level>" of
 * mot:timers; the notice it fires has the member as its id, and a late
 * delivery's notice is "<obligation_id>|delivered_late". */

#define MOT_TIMER_MAX_LEVEL 200

/* The member of a timer or notice of `kind` (level only for escalations,
 * 1..MOT_TIMER_MAX_LEVEL). Malloc'd; NULL when out of memory or invalid. */
char *mot_timer_member (const char *obligation_id, Mot__V1__NoticeKind kind, int level);

/* Parses a timer member. On success *obligation_id is malloc'd (caller
 * frees), *kind set, *level set for an escalation (0 otherwise). False for
 * anything that is not a member of that format, or a delivered_late id. */
bool mot_timer_member_parse (const char *member, char **obligation_id, Mot__V1__NoticeKind *kind, int *level);

/* ---- item positions -------------------------------------------------------
 * An item's position in a month (a field of mot:item:{id}:positions, the
 * month YYYY-MM its name): "<impact>,<vertical>,<quadrant>,<stage>", e.g.
 * "7,8,1,seguimiento" (effective scores 1..10, quadrant 1..4, a MOT_STAGES
 * name). */

#define MOT_POSITION_STAGE_SIZE 32
typedef struct {
    int impact, vertical, quadrant;
    char stage[MOT_POSITION_STAGE_SIZE];
} mot_position_t;

/* The text of a position; malloc'd, NULL when out of memory or out of range. */
char *mot_position_format (const mot_position_t *position);
/* False for anything that is not a position (scores out of range, a
 * quadrant that is not theirs, an unknown stage). */
bool mot_position_parse (const char *text, mot_position_t *position);

#endif
