/*  notice_log — rendering and packing notices for the log, and waking the
 *  notifier (see notice_log.h).
 */
#include "notice_log.h"
#include "mot_notice_text.h"

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

uint8_t *
notice_log_pack (Mot__V1__Notice *notice, size_t *size)
{
    char *text = mot_notice_text_render (notice);
    if (!text)
        return NULL;
    notice->text = text;
    *size = mot__v1__notice__get_packed_size (notice);
    uint8_t *packed = malloc (*size ? *size : 1);
    if (packed)
        mot__v1__notice__pack (notice, packed);
    notice->text = NULL;
    free (text);
    return packed;
}

void
notice_log_wake_notifier (notice_log_t *self)
{
    /* Fails only when its queue is full: the notifier has wake-ups waiting. */
    (void) zmq_send (zsock_resolve (self->notifier), "", 0, ZMQ_DONTWAIT);
}
