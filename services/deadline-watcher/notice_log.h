/*  notice_log — how a notice leaves the deadline-watcher: into the notice
 *  log, in the same Lua step as the state change that causes it.
 *
 *  Owns: the notice's final form (its Spanish text rendered here, so the log
 *  holds exactly what subscribers get), the batches the scripts log (a
 *  packed NoticeBatch, see proto/mot.proto, built here one notice at a
 *  time), and the wake-up sent to the notifier after a script logged
 *  notices (the scripts append with common/lua/lib/notice_log.lua). The notifier tails the log by seq ("Clone"
 *  pattern: the log is the snapshot, its PUB the updates), so the wake-up
 *  only saves it a poll: a lost one (notifier down, queue full) costs
 *  nothing but latency, and there is nothing to re-send.
 *  Notice ids are timer members (mot_timer_member in mot_schema.h).
 */
#ifndef NOTICE_LOG_H_INCLUDED
#define NOTICE_LOG_H_INCLUDED

#include "mot_wire.h"
#include <czmq.h>
#include <stdint.h>

typedef struct _notice_log_t notice_log_t;

/* `notifier` is the PUSH socket towards the notifier (not owned). */
notice_log_t *notice_log_new (zsock_t *notifier);
void notice_log_destroy (notice_log_t **self_p);

/* A packed NoticeBatch being built (its bytes are what a script logs). */
typedef struct {
    uint8_t *data;
    size_t size, capacity;
    size_t count;                   /* notices in it */
} notice_batch_t;

void notice_batch_init (notice_batch_t *self);
/* Frees the bytes and empties the batch. */
void notice_batch_clear (notice_batch_t *self);
/* Renders the notice's text and appends the notice; false on allocation
 * failure (the batch is then unchanged). */
bool notice_batch_append (notice_batch_t *self, Mot__V1__Notice *notice);

/* Tells the notifier the log has new notices, without blocking. */
void notice_log_wake_notifier (notice_log_t *self);

#endif
