/*  notice_log — notice ids, and waking the notifier (see notice_log.h).
 */
#include "notice_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _notice_log_t {
    zsock_t *notifier;
};

notice_log_t *
notice_log_new (zsock_t *notifier)
{
    notice_log_t *self = calloc (1, sizeof *self);
    if (self)
        self->notifier = notifier;
    return self;
}

void
notice_log_destroy (notice_log_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

char *
notice_log_notice_id (const char *obligation_id, Mot__V1__NoticeKind kind)
{
    const char *word = mot_notice_kind_name (kind);
    size_t size = strlen (obligation_id) + 1 + strlen (word) + 1;
    char *id = malloc (size);
    if (id)
        snprintf (id, size, "%s|%s", obligation_id, word);
    return id;
}

void
notice_log_wake_notifier (notice_log_t *self)
{
    /* Fails only when its queue is full: the notifier has wake-ups waiting. */
    (void) zmq_send (zsock_resolve (self->notifier), "", 0, ZMQ_DONTWAIT);
}
