/*  notice_log — how a notice leaves the deadline-watcher: into the notice
 *  log, in the same Lua step as the state change that causes it.
 *
 *  Owns: notice ids, the Lua helper every recording script starts with
 *  (notice_log.lua: the next seqs from mot:seq:notice, one entry appended to
 *  the stream mot:notices), and the wake-up sent to the notifier after a
 *  script logged notices. What a script logs is built with
 *  mot_notice_log.h (the log's format: each notice with its Spanish text,
 *  packed into a NoticeBatch, at most MOT_NOTICE_LOG_WRITE_MAX an entry).
 *  The notifier tails the log by seq ("Clone" pattern: the log is the
 *  snapshot, its PUB the updates), so the wake-up only saves it a poll: a
 *  lost one (notifier down, queue full) costs nothing but latency, and
 *  there is nothing to re-send.
 *  Notice ids are "<obligation_id>|<kind>" with kind the topic word
 *  ("reminder", "overdue", "delivered_late"), "…|escalation|<level>".
 */
#ifndef NOTICE_LOG_H_INCLUDED
#define NOTICE_LOG_H_INCLUDED

#include "mot_wire.h"
#include <czmq.h>
#include <stdint.h>

#include "notice_log_lua.h"

/* A recording script's source: the helper, then its body (string literals,
 * joined at compile time): NOTICE_LOG_SCRIPT (FIRE_LUA_TEXT). */
#define NOTICE_LOG_SCRIPT(body) NOTICE_LOG_LUA_TEXT body

typedef struct _notice_log_t notice_log_t;

/* `notifier` is the PUSH socket towards the notifier (not owned). */
notice_log_t *notice_log_new (zsock_t *notifier);
void notice_log_destroy (notice_log_t **self_p);

/* "<obligation_id>|<kind word>" (malloc'd; NULL on allocation failure). */
char *notice_log_notice_id (const char *obligation_id, Mot__V1__NoticeKind kind);

/* Tells the notifier the log has new notices, without blocking. */
void notice_log_wake_notifier (notice_log_t *self);

#endif
