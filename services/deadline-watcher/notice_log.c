/*  notice_log — waking the notifier (see notice_log.h).
 */
#include "notice_log.h"

#include <stdlib.h>

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

void
notice_log_wake_notifier (notice_log_t *self)
{
    /* Fails only when its queue is full: the notifier has wake-ups waiting. */
    (void) zmq_send (zsock_resolve (self->notifier), "", 0, ZMQ_DONTWAIT);
}
