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
 *    mot:itemidx:<kind>:<terr>:<topic> string the open item of that kind, territory
 *                                             and normalised topic
 *    mot:items:<kind>                 zset    item ids by number (kind: MOT_KINDS)
 *    mot:items:sin_clasificar         zset    items whose category or ON is still
 *                                             unclassified (score: item number)
 *    mot:obl:{<obligation_id>}        hash    MOT_OBLIGATION_FIELDS
 *    mot:obl:{<obligation_id>}:audit  list    JSON lines: deadline moves
 *    mot:obls                         zset    obligation ids by deadline day number
 *    mot:timers                       zset    one member per pending timer (format
 *                                             below) by fire time (unix s)
 *    mot:calendar:audit               list    JSON lines: calendar reloads
 *    mot:watch:followups              hash    open fortnightly follow-ups (followup.h)
 *    mot:watch:generated              string  the last month whose monthly
 *                                             obligations exist (monthly.h)
 *    mot:seq:notice                   string  the last notice seq given
 *    mot:notices                      stream  the notice log (mot_notice_log.h)
 *    mot:notices:published            string  the last seq the notifier took
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
#define MOT_KEY_SEQ_NOTICE "mot:seq:notice"
#define MOT_KEY_NOTICES "mot:notices"
#define MOT_KEY_NOTICES_PUBLISHED "mot:notices:published"

/* ---- keys built from ids (malloc'd; NULL when out of memory) ---------- */

char *mot_key_dedup (const char *source, const char *external_id);
char *mot_key_event (const char *event_id);
char *mot_key_item (const char *item_id);
char *mot_key_item_audit (const char *item_id);
char *mot_key_item_index (const char *kind, const char *territory, const char *topic_key);
char *mot_key_items (const char *kind);
char *mot_key_obligation (const char *obligation_id);
char *mot_key_obligation_audit (const char *obligation_id);

/* ---- ids (malloc'd; NULL when out of memory) ------------------------------ */

/* "ev-<number>", "it-<number>": the numbers come from mot:seq:event and
 * mot:seq:item. */
char *mot_event_id (long long number);
char *mot_item_id (long long number);
/* The number of an item id; false when it is not "it-<number>". */
bool mot_item_number (const char *item_id, long long *number);

/* ---- shared hash fields, kinds, stages, statuses ------------------------
 * Each list is X (C name, text). The C names are `const char []` declared
 * below; the Lua prelude defines a local of the same name without "MOT_". */

#define MOT_EVENT_FIELDS(X)                                                    \
    X (MOT_EVENT_ENVELOPE, "envelope")      /* packed, sanitised Envelope */   \
    X (MOT_EVENT_SOURCE, "source")                                             \
    X (MOT_EVENT_TYPE, "type")                                                 \
    X (MOT_EVENT_RECEIVED_AT, "received_at")                                   \
    X (MOT_EVENT_ITEM_ID, "item_id")        /* set once classified */          \
    X (MOT_EVENT_REJECTED, "rejected")      /* why a command was refused */

#define MOT_ITEM_FIELDS(X)                                                     \
    X (MOT_ITEM_ID, "id")                                                      \
    X (MOT_ITEM_KIND, "kind")                                                  \
    X (MOT_ITEM_SOURCE, "source")                                              \
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
    X (MOT_ITEM_VERTICAL_GIVEN_DAY, "vertical_given_day")

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
    X (MOT_OBL_ESCALATION_LEVEL, "escalation_level")

/* The fields of an entry of the notice log mot:notices (mot_notice_log.h),
 * and the value of `which` when the entry holds every notice of its batch. */
#define MOT_LOG_FIELDS(X)                                                      \
    X (MOT_LOG_N, "n")                      /* notices held */                 \
    X (MOT_LOG_WHICH, "which")              /* "all", or the indexes held */   \
    X (MOT_LOG_NOTICES, "notices")          /* a packed NoticeBatch */         \
    X (MOT_LOG_WHICH_ALL, "all")

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
    X (MOT_STAGE_MEJORA_CONTINUA, "mejora_continua")

/* An obligation's stored status. Overdue is not stored: an obligation is
 * overdue while pending after due_at. "overdue" was stored by older
 * versions and still reads as pending. */
#define MOT_STATUSES(X)                                                        \
    X (MOT_STATUS_PENDING, "pending")                                          \
    X (MOT_STATUS_DELIVERED, "delivered")                                      \
    X (MOT_STATUS_DELIVERED_LATE, "delivered_late")                            \
    X (MOT_STATUS_LEGACY_OVERDUE, "overdue")

#define MOT_SCHEMA_DECLARE(name, text) extern const char name[];
MOT_EVENT_FIELDS (MOT_SCHEMA_DECLARE)
MOT_ITEM_FIELDS (MOT_SCHEMA_DECLARE)
MOT_OBLIGATION_FIELDS (MOT_SCHEMA_DECLARE)
MOT_LOG_FIELDS (MOT_SCHEMA_DECLARE)
MOT_KINDS (MOT_SCHEMA_DECLARE)
MOT_ITEM_VALUES (MOT_SCHEMA_DECLARE)
MOT_STAGES (MOT_SCHEMA_DECLARE)
MOT_STATUSES (MOT_SCHEMA_DECLARE)

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

#endif
