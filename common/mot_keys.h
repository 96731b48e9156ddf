/*  mot_keys — the Redis key space, in one place.
 *
 *  Owns: every key name the services share. Keys of one item/obligation use
 *  a hash tag so that a script touching one of them stays in one slot.
 *
 *    mot:clock                       string  test clock (unix seconds)
 *    mot:seq:event / mot:seq:item    string  id counters
 *    mot:dedup:<source>:<extid>      string  event id of the first submission
 *    mot:event:<event_id>            hash    source, type, body (packed, sanitised
 *                                            Envelope), received_at, item_id
 *    mot:pending:classify            zset    event ids dispatched to the classifier
 *                                            and not yet committed (score: last send)
 *    mot:pending:watch               zset    same, for the deadline-watcher
 *    mot:item:{<item_id>}            hash    the item (see services/classifier)
 *    mot:item:{<item_id>}:audit      list    JSON audit entries, oldest first
 *    mot:itemidx:<kind>:<terr>:<topic> string open item for that key
 *    mot:items:<kind>                zset    item ids by creation order
 *                                            (kind: problematica | riesgo)
 *    mot:obl:{<obligation_id>}       hash    an obligation instance
 *    mot:obls                        zset    obligation ids by deadline
 *    mot:timers                      zset    "<obligation_id>|<kind>" by fire time
 *    mot:seq:notice                  string  notice sequence (the last seq given)
 *    mot:notices                     stream  the notice log: one entry per watcher step
 *                                            (see mot_notice_log.h); appended by the
 *                                            watchers' scripts, trimmed by the notifier
 *                                            to --log-size once published
 *    mot:notices:published           string  the last seq the notifier took to publish
 */
#ifndef MOT_KEYS_H_INCLUDED
#define MOT_KEYS_H_INCLUDED

#define MOT_KEY_CLOCK "mot:clock"
#define MOT_KEY_SEQ_EVENT "mot:seq:event"
#define MOT_KEY_SEQ_ITEM "mot:seq:item"
#define MOT_KEY_DEDUP_PREFIX "mot:dedup:"
#define MOT_KEY_EVENT_PREFIX "mot:event:"
#define MOT_KEY_PENDING_CLASSIFY "mot:pending:classify"
#define MOT_KEY_PENDING_WATCH "mot:pending:watch"
#define MOT_KEY_ITEM_PREFIX "mot:item:"
#define MOT_KEY_ITEMIDX_PREFIX "mot:itemidx:"
#define MOT_KEY_ITEMS_PREFIX "mot:items:"
#define MOT_KEY_OBL_PREFIX "mot:obl:"
#define MOT_KEY_OBLS "mot:obls"
#define MOT_KEY_TIMERS "mot:timers"
#define MOT_KEY_SEQ_NOTICE "mot:seq:notice"
#define MOT_KEY_NOTICES "mot:notices"
#define MOT_KEY_NOTICES_PUBLISHED "mot:notices:published"

/* issue 3 classifier: items whose effective category or ON is still
 * "sin clasificar" (score: item number), for an analyst; kept by the
 * classifier's commit script, read by the reporter (UNCLASSIFIED). */
#define MOT_KEY_ITEMS_UNCLASSIFIED "mot:items:sin_clasificar"

/* ---- issue 4: deadline-watcher in depth ------------------------------------
 *    mot:obl:{<obligation_id>}:audit list    JSON lines: deadline moves (calendar
 *                                            change, a later "last update")
 *    mot:calendar:audit              list    JSON lines: each calendar reload and
 *                                            how many deadlines it moved
 *    mot:watch:followups             hash    open fortnightly follow-ups:
 *                                            "<UNIT>:<code>:<ref>" -> "<opened_on> <last cut-off done or ->"
 *    mot:timers members also "<obligation_id>|escalation|<level>"
 */
#define MOT_KEY_CALENDAR_AUDIT "mot:calendar:audit"
#define MOT_KEY_FOLLOWUPS "mot:watch:followups"

#endif
