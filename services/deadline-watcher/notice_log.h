/*  notice_log — how a notice leaves the deadline-watcher: into the notice
 *  log, in the same Lua step as the state change that causes it.
 *
 *  Owns: the wake-up sent to the notifier after a script logged notices.
 *  What a script logs is built with common/mot_notice_log.h (the log's
 *  format: each notice with its Spanish text, packed into a NoticeBatch, at
 *  most MOT_NOTICE_LOG_WRITE_MAX an entry) and appended by the scripts with
 *  common/lua/lib/notice_log.lua; notice ids are timer members
 *  (mot_timer_member in mot_schema.h). The notifier tails the log by seq
 *  ("Clone" pattern: the log is the snapshot, its PUB the updates), so the
 *  wake-up only saves it a poll: a lost one (notifier down, queue full)
 *  costs nothing but latency, and there is nothing to re-send.
 */
#ifndef NOTICE_LOG_H_INCLUDED
#define NOTICE_LOG_H_INCLUDED

#include <czmq.h>

typedef struct _notice_log_t notice_log_t;

/* `notifier` is the PUSH socket towards the notifier (not owned). */
notice_log_t *notice_log_new (zsock_t *notifier);
void notice_log_destroy (notice_log_t **self_p);

/* Tells the notifier the log has new notices, without blocking. */
void notice_log_wake_notifier (notice_log_t *self);

#endif
