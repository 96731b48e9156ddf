/*  mot_scripts — the argument layout of every Lua script, declared once.
 *
 *  Owns: for each script, the keys it receives (KEYS) and the arguments
 *  (ARGV) in order, and the numbers its caller and it agree on (record
 *  tags, outcomes). Both sides come from here: C code gets enums
 *  (<P>_KEY_<NAME>, <P>_ARG_<NAME>, the counts <P>_KEYS and <P>_ARGS, and
 *  <P>_<NAME> for numbers); the build runs tools/lua_prelude, which prints
 *  the same names as Lua locals in front of each script (with the names of
 *  mot_schema.h), so neither side spells a position by hand.
 *
 *  A script's call is its main layout, then zero or more records, each a
 *  record layout. KEYS holds the main layout's keys, then each record's
 *  keys in record order; ARGV the main layout's arguments, then each
 *  record's arguments. In Lua, a main layout's names are 1-based indexes
 *  (KEYS[FIRE_KEY_TIMERS]); a record layout's names are 0-based offsets
 *  from the record's first key or argument (ARGV[a + FIRE_TIMER_ARG_MEMBER]).
 *
 *  Every key a script touches is in KEYS (no key name is built in Lua):
 *  where a key depends on an id Redis hands out (a new event or item), the
 *  caller reserves the number first (intake from a pool it keeps filled,
 *  the classifier with reserve.lua) and passes the key.
 *
 *  Layouts are X-lists: K (prefix, name) a key, A (prefix, name) an
 *  argument, N (prefix, name, value) an integer constant.
 */
#ifndef MOT_SCRIPTS_H_INCLUDED
#define MOT_SCRIPTS_H_INCLUDED

/* ---- intake --------------------------------------------------------------- */

/* accept.lua: stores a batch of envelopes under the event ids intake took
 * from its pool of reserved numbers (store.c) and records their
 * hand-offs. Returns per request {the event id, 0}, or {the id already
 * stored for its (source, external id), 1}: a duplicate, nothing written. */
#define MOT_LAYOUT_ACCEPT(K, A, N) A (ACCEPT, RECEIVED_AT) A (ACCEPT, SENT_MS)
#define MOT_LAYOUT_ACCEPT_REQUEST(K, A, N)                                     \
    K (ACCEPT_REQUEST, DEDUP) K (ACCEPT_REQUEST, EVENT) K (ACCEPT_REQUEST, PENDING) \
    A (ACCEPT_REQUEST, EVENT_ID) A (ACCEPT_REQUEST, ENVELOPE) A (ACCEPT_REQUEST, SOURCE) \
    A (ACCEPT_REQUEST, TYPE)

/* redrive.lua: claims the listed hand-offs that are still pending and last
 * sent before SENT_BEFORE, marks them sent at NOW. Returns {event id,
 * envelope, …}; an id whose event is gone leaves the pending set. */
#define MOT_LAYOUT_REDRIVE(K, A, N) K (REDRIVE, PENDING) A (REDRIVE, SENT_BEFORE) A (REDRIVE, NOW)
#define MOT_LAYOUT_REDRIVE_EVENT(K, A, N) K (REDRIVE_EVENT, EVENT) A (REDRIVE_EVENT, EVENT_ID)

/* ---- classifier ----------------------------------------------------------- */

/* reserve.lua: the open item of each index key, or a number reserved for a
 * new item (one INCRBY; an index repeated in the batch gets the number of
 * its first occurrence). Only for indexes the classifier does not know. */
#define MOT_LAYOUT_RESERVE(K, A, N) K (RESERVE, SEQ)
#define MOT_LAYOUT_RESERVE_LOOKUP(K, A, N) K (RESERVE_LOOKUP, LOOKUP)

/* commit.lua: a batch of evidence, overrides and lifecycle commands
 * (commit.h, lifecycle.h), in the order received. FREQUENCY is
 * the frequency score of 0, 1, 2… events in the window, one character each
 * ('0' + score), the last one for any larger count; QUADRANTS the quadrant
 * of (impact, vertical), both 0..10, at position impact * 11 + vertical,
 * one digit each (0: a score out of range); SEVERITY the severity of
 * quadrant 0..4, one digit each (mot_score_quadrant_severity: a move to a
 * higher one is a move to a worse quadrant). All are computed in C
 * (rules_frequency_lookup, mot_score_quadrant_lookup), so the rules live
 * there only. Facts about items (MOT_FACT_FIELDS) go to OUTBOX.
 * Returns {outcome, item id} per record. */
#define MOT_LAYOUT_COMMIT(K, A, N)                                             \
    K (COMMIT, PENDING) K (COMMIT, UNCLASSIFIED) K (COMMIT, PENDING_WATCH)    \
    K (COMMIT, OUTBOX)                                                         \
    A (COMMIT, NOW) A (COMMIT, WINDOW) A (COMMIT, FREQUENCY) A (COMMIT, QUADRANTS) \
    A (COMMIT, SEVERITY)                                                       \
    N (COMMIT, OUTCOME_ALREADY, 0)    /* done before: a re-driven or repeated dispatch */ \
    N (COMMIT, OUTCOME_APPLIED, 1)                                                   \
    N (COMMIT, OUTCOME_REJECTED, 2)    /* an override for an unknown item */          \
    N (COMMIT, OUTCOME_STALE, 3)      /* the index does not hold the item named: look again */
#define MOT_LAYOUT_EVIDENCE(K, A, N)                                           \
    K (EVIDENCE, EVENT) K (EVIDENCE, INDEX) K (EVIDENCE, ITEM) K (EVIDENCE, AUDIT) \
    K (EVIDENCE, DEDUPS) K (EVIDENCE, ITEMS)                                   \
    A (EVIDENCE, TAG) A (EVIDENCE, EVENT_ID) A (EVIDENCE, ITEM_ID)             \
    A (EVIDENCE, ITEM_NUMBER) A (EVIDENCE, IS_NEW) A (EVIDENCE, KIND)          \
    A (EVIDENCE, SOURCE) A (EVIDENCE, TERRITORY) A (EVIDENCE, TOPIC)           \
    A (EVIDENCE, TOPIC_KEY) A (EVIDENCE, DAY) A (EVIDENCE, CATEGORY)           \
    A (EVIDENCE, ON) A (EVIDENCE, IMPACT) A (EVIDENCE, GIVEN_VERTICAL)         \
    A (EVIDENCE, RULE) A (EVIDENCE, BASIS) A (EVIDENCE, DEDUP)                 \
    N (EVIDENCE, TAG_VALUE, 1)
#define MOT_LAYOUT_OVERRIDE(K, A, N)                                           \
    K (OVERRIDE, EVENT) K (OVERRIDE, ITEM) K (OVERRIDE, AUDIT)                 \
    A (OVERRIDE, TAG) A (OVERRIDE, EVENT_ID) A (OVERRIDE, ITEM_ID)             \
    A (OVERRIDE, ITEM_NUMBER) A (OVERRIDE, IMPACT) A (OVERRIDE, VERTICAL)      \
    A (OVERRIDE, CATEGORY) A (OVERRIDE, ON) A (OVERRIDE, ANALYST)              \
    A (OVERRIDE, REASON) A (OVERRIDE, UNIT)                                    \
    N (OVERRIDE, TAG_VALUE, 2)
/* A lifecycle command: its body as the JSON form of its proto message
 * (field names from proto/mot.proto), then REFS records naming every key it
 * touches, each with its role (MOT_REF_ROLES) and the id it belongs to. */
#define MOT_LAYOUT_LIFECYCLE(K, A, N)                                          \
    K (LIFECYCLE, EVENT)                                                       \
    A (LIFECYCLE, TAG) A (LIFECYCLE, EVENT_ID) A (LIFECYCLE, COMMAND)          \
    A (LIFECYCLE, SOURCE) A (LIFECYCLE, BODY) A (LIFECYCLE, REFS)              \
    N (LIFECYCLE, TAG_VALUE, 3)
#define MOT_LAYOUT_REF(K, A, N) K (REF, KEY) A (REF, ROLE) A (REF, ID) A (REF, NUMBER)

/* notify.lua: logs the facts at the head of the outbox as notices, once:
 * only while the outbox's first fact is still HEAD (no other classifier
 * logged it meanwhile) it takes COUNT facts off and appends NOTICES (a
 * packed NoticeBatch of RENDERED notices, one per fact that could be
 * rendered) to the notice log. Returns the first seq (0 when none was
 * rendered), or -1 when the head moved (read again). */
#define MOT_LAYOUT_NOTIFY(K, A, N)                                             \
    K (NOTIFY, OUTBOX) K (NOTIFY, SEQ) K (NOTIFY, LOG)                         \
    A (NOTIFY, HEAD) A (NOTIFY, COUNT) A (NOTIFY, RENDERED) A (NOTIFY, NOTICES)

/* ---- deadline-watcher ----------------------------------------------------- */

/* create.lua: a batch of new obligation instances with their timers.
 * Returns per instance 1 created (or a waiting one made pending), 0 it
 * existed (nothing changes). */
#define MOT_LAYOUT_CREATE(K, A, N)                                             \
    K (CREATE, OBLS) K (CREATE, TIMERS) K (CREATE, PENDING) A (CREATE, NOW)
#define MOT_LAYOUT_INSTANCE(K, A, N)                                           \
    K (INSTANCE, OBLIGATION)                                                   \
    A (INSTANCE, ID) A (INSTANCE, UNIT) A (INSTANCE, REPORT) A (INSTANCE, REPORT_NAME) \
    A (INSTANCE, PERIOD) A (INSTANCE, DEADLINE) A (INSTANCE, DEADLINE_DAY)     \
    A (INSTANCE, DUE_AT) A (INSTANCE, ANCHOR) A (INSTANCE, DAYS)                \
    A (INSTANCE, TERRITORY) A (INSTANCE, RESPONSIBLE) A (INSTANCE, EVENT_ID)   \
    A (INSTANCE, OVERDUE_MEMBER) A (INSTANCE, OVERDUE_AT)                      \
    A (INSTANCE, REMINDER_MEMBER) A (INSTANCE, REMINDER_AT)

/* fire.lua: a batch of due timers. Returns per timer >0 fired (its seq), 0
 * gone, -1 not due. */
#define MOT_LAYOUT_FIRE(K, A, N)                                               \
    K (FIRE, TIMERS) K (FIRE, SEQ) K (FIRE, LOG) A (FIRE, NOW) A (FIRE, NOTICES)
#define MOT_LAYOUT_FIRE_TIMER(K, A, N)                                         \
    K (FIRE_TIMER, OBLIGATION)                                                 \
    A (FIRE_TIMER, MEMBER) A (FIRE_TIMER, LEVEL) A (FIRE_TIMER, NEXT_MEMBER)   \
    A (FIRE_TIMER, NEXT_AT)

/* deliver.lua: a report delivery; CANCEL records name the timers it
 * cancels. Returns 1 applied, 0 this event before, -1 delivered before. */
#define MOT_LAYOUT_DELIVER(K, A, N)                                            \
    K (DELIVER, OBLIGATION) K (DELIVER, OBLS) K (DELIVER, TIMERS) K (DELIVER, PENDING) \
    K (DELIVER, SEQ) K (DELIVER, LOG)                                          \
    A (DELIVER, EVENT_ID) A (DELIVER, ID) A (DELIVER, UNIT) A (DELIVER, REPORT) \
    A (DELIVER, REPORT_NAME) A (DELIVER, PERIOD) A (DELIVER, DEADLINE)         \
    A (DELIVER, DEADLINE_DAY) A (DELIVER, DUE_AT) A (DELIVER, NOW)             \
    A (DELIVER, DELIVERED_ON) A (DELIVER, STATUS) A (DELIVER, BUSINESS_DAYS_LATE) \
    A (DELIVER, NOTICES) A (DELIVER, KEEP_PENDING)
#define MOT_LAYOUT_CANCEL(K, A, N) A (CANCEL, MEMBER)

/* reschedule.lua: moves a deadline (compare and set on the old one) and
 * the timers still pending. Returns 1 moved, 0 changed meanwhile, -1 the
 * status is not the required one. */
#define MOT_LAYOUT_RESCHEDULE(K, A, N)                                         \
    K (RESCHEDULE, OBLIGATION) K (RESCHEDULE, OBLS) K (RESCHEDULE, TIMERS)     \
    K (RESCHEDULE, AUDIT)                                                      \
    A (RESCHEDULE, ID) A (RESCHEDULE, OLD_DEADLINE) A (RESCHEDULE, DEADLINE)   \
    A (RESCHEDULE, DEADLINE_DAY) A (RESCHEDULE, DUE_AT) A (RESCHEDULE, ANCHOR) \
    A (RESCHEDULE, OVERDUE_MEMBER) A (RESCHEDULE, OVERDUE_AT)                  \
    A (RESCHEDULE, REMINDER_MEMBER) A (RESCHEDULE, REMINDER_AT)                \
    A (RESCHEDULE, ESCALATION_MEMBER) A (RESCHEDULE, ESCALATION_AT)            \
    A (RESCHEDULE, ENTRY) A (RESCHEDULE, REQUIRED_STATUS)

/* await.lua: an after: obligation of a month that has closed, against the
 * obligations of the reports it waits for (one AWAIT_INPUT record each).
 * Returns {AWAIT_SETTLED} it is pending or delivered already (nothing
 * changes); {AWAIT_WAITING, "UNIT/code,…"} some input is not delivered: the
 * obligation exists with status waiting and lists them (created when
 * absent); {AWAIT_READY, "YYYY-MM-DD"} every input is delivered, the last
 * on that day (nothing changes: the caller creates it pending, and
 * create.lua turns a waiting obligation into a pending one). */
#define MOT_LAYOUT_AWAIT(K, A, N)                                              \
    K (AWAIT, OBLIGATION) K (AWAIT, OBLS)                                      \
    A (AWAIT, ID) A (AWAIT, UNIT) A (AWAIT, REPORT) A (AWAIT, REPORT_NAME)     \
    A (AWAIT, PERIOD) A (AWAIT, DAYS) A (AWAIT, CLOSE_DAY) A (AWAIT, NOW)      \
    N (AWAIT, SETTLED, 0) N (AWAIT, WAITING, 1) N (AWAIT, READY, 2)
#define MOT_LAYOUT_AWAIT_INPUT(K, A, N) K (AWAIT_INPUT, OBLIGATION) A (AWAIT_INPUT, NAME)

/* progress.lua: records a follow-up's progress only while it is open. */
#define MOT_LAYOUT_PROGRESS(K, A, N) K (PROGRESS, FOLLOWUPS) A (PROGRESS, FIELD) A (PROGRESS, VALUE)

/* advance.lua: moves the last generated month forward, never back.
 * Returns 1 moved, 0 not. */
#define MOT_LAYOUT_ADVANCE(K, A, N) K (ADVANCE, GENERATED) A (ADVANCE, PERIOD)

/* ---- reporter ------------------------------------------------------------- */

/* archive.lua: stores a month's generated report and logs its
 * availability notice, once. Returns the notice's seq, or 0 when the
 * report was stored already (nothing written). */
#define MOT_LAYOUT_ARCHIVE(K, A, N)                                            \
    K (ARCHIVE, REPORT) K (ARCHIVE, INDEX) K (ARCHIVE, SEQ) K (ARCHIVE, LOG)    \
    A (ARCHIVE, MONTH) A (ARCHIVE, HTML) A (ARCHIVE, JSON) A (ARCHIVE, GENERATED_AT) \
    A (ARCHIVE, OBLIGATION) A (ARCHIVE, NOTICES)

/* ---- the scripts: name (the .lua file's stem), main layout, records ------- */

#define MOT_SCRIPTS(S)                                                         \
    S (reserve, MOT_SCRIPT_RESERVE)                                            \
    S (accept, MOT_SCRIPT_ACCEPT)                                              \
    S (redrive, MOT_SCRIPT_REDRIVE)                                            \
    S (commit, MOT_SCRIPT_COMMIT)                                              \
    S (notify, MOT_SCRIPT_NOTIFY)                                              \
    S (create, MOT_SCRIPT_CREATE)                                              \
    S (fire, MOT_SCRIPT_FIRE)                                                  \
    S (deliver, MOT_SCRIPT_DELIVER)                                            \
    S (reschedule, MOT_SCRIPT_RESCHEDULE)                                      \
    S (await, MOT_SCRIPT_AWAIT)                                                \
    S (progress, MOT_SCRIPT_PROGRESS)                                          \
    S (advance, MOT_SCRIPT_ADVANCE)                                            \
    S (archive, MOT_SCRIPT_ARCHIVE)

/* M (layout, prefix) the main layout, R (layout, prefix) a record layout. */
#define MOT_SCRIPT_RESERVE(M, R) M (MOT_LAYOUT_RESERVE, RESERVE) R (MOT_LAYOUT_RESERVE_LOOKUP, RESERVE_LOOKUP)
#define MOT_SCRIPT_ACCEPT(M, R) M (MOT_LAYOUT_ACCEPT, ACCEPT) R (MOT_LAYOUT_ACCEPT_REQUEST, ACCEPT_REQUEST)
#define MOT_SCRIPT_REDRIVE(M, R) M (MOT_LAYOUT_REDRIVE, REDRIVE) R (MOT_LAYOUT_REDRIVE_EVENT, REDRIVE_EVENT)
#define MOT_SCRIPT_COMMIT(M, R)                                                \
    M (MOT_LAYOUT_COMMIT, COMMIT) R (MOT_LAYOUT_EVIDENCE, EVIDENCE) R (MOT_LAYOUT_OVERRIDE, OVERRIDE) \
    R (MOT_LAYOUT_LIFECYCLE, LIFECYCLE) R (MOT_LAYOUT_REF, REF)
#define MOT_SCRIPT_NOTIFY(M, R) M (MOT_LAYOUT_NOTIFY, NOTIFY)
#define MOT_SCRIPT_CREATE(M, R) M (MOT_LAYOUT_CREATE, CREATE) R (MOT_LAYOUT_INSTANCE, INSTANCE)
#define MOT_SCRIPT_FIRE(M, R) M (MOT_LAYOUT_FIRE, FIRE) R (MOT_LAYOUT_FIRE_TIMER, FIRE_TIMER)
#define MOT_SCRIPT_DELIVER(M, R) M (MOT_LAYOUT_DELIVER, DELIVER) R (MOT_LAYOUT_CANCEL, CANCEL)
#define MOT_SCRIPT_RESCHEDULE(M, R) M (MOT_LAYOUT_RESCHEDULE, RESCHEDULE)
#define MOT_SCRIPT_AWAIT(M, R) M (MOT_LAYOUT_AWAIT, AWAIT) R (MOT_LAYOUT_AWAIT_INPUT, AWAIT_INPUT)
#define MOT_SCRIPT_PROGRESS(M, R) M (MOT_LAYOUT_PROGRESS, PROGRESS)
#define MOT_SCRIPT_ADVANCE(M, R) M (MOT_LAYOUT_ADVANCE, ADVANCE)
#define MOT_SCRIPT_ARCHIVE(M, R) M (MOT_LAYOUT_ARCHIVE, ARCHIVE)

/* ---- the C side: enums from the layouts ---------------------------------- */

#define MOT_LAYOUT_KEY_ENUM(p, n) p##_KEY_##n,
#define MOT_LAYOUT_ARG_ENUM(p, n) p##_ARG_##n,
#define MOT_LAYOUT_NUMBER_ENUM(p, n, v) p##_##n = (v),
#define MOT_LAYOUT_SKIP2(p, n)
#define MOT_LAYOUT_SKIP3(p, n, v)
#define MOT_LAYOUT_ENUMS(layout, p)                                            \
    enum { layout (MOT_LAYOUT_KEY_ENUM, MOT_LAYOUT_SKIP2, MOT_LAYOUT_SKIP3) p##_KEYS }; \
    enum { layout (MOT_LAYOUT_SKIP2, MOT_LAYOUT_ARG_ENUM, MOT_LAYOUT_SKIP3) p##_ARGS }; \
    enum { layout (MOT_LAYOUT_SKIP2, MOT_LAYOUT_SKIP2, MOT_LAYOUT_NUMBER_ENUM) p##_NUMBERS_END_ };
#define MOT_SCRIPT_ENUMS(name, script) script (MOT_LAYOUT_ENUMS, MOT_LAYOUT_ENUMS)
MOT_SCRIPTS (MOT_SCRIPT_ENUMS)

#endif
