/*  notice_log — rendering and packing notices for the log, and waking the
 *  notifier (see notice_log.h).
 */
#include "notice_log.h"
#include "mot_notice_log.h"
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

void
notice_batch_init (notice_batch_t *self)
{
    memset (self, 0, sizeof *self);
}

void
notice_batch_clear (notice_batch_t *self)
{
    free (self->data);
    notice_batch_init (self);
}

/* Room for `more` bytes. */
static bool
batch_reserve (notice_batch_t *self, size_t more)
{
    if (self->size + more <= self->capacity)
        return true;
    size_t capacity = self->capacity ? self->capacity : 4096;
    while (capacity < self->size + more)
        capacity *= 2;
    uint8_t *data = realloc (self->data, capacity);
    if (!data)
        return false;
    self->data = data;
    self->capacity = capacity;
    return true;
}

/* NoticeBatch field 1 (notices), wire type 2 (length-delimited). */
#define NOTICES_TAG 0x0a
#define VARINT_MAX 10

bool
notice_batch_append (notice_batch_t *self, Mot__V1__Notice *notice)
{
    char *text = mot_notice_text_render (notice);
    if (!text)
        return false;
    notice->text = text;
    size_t size = mot__v1__notice__get_packed_size (notice);
    bool ok = batch_reserve (self, 1 + VARINT_MAX + size);
    if (ok) {
        uint8_t *out = self->data + self->size;
        out[0] = NOTICES_TAG;
        size_t head = 1 + mot_notice_log_put_varint (out + 1, size);
        self->size += head + mot__v1__notice__pack (notice, out + head);
        self->count++;
    }
    notice->text = NULL;
    free (text);
    return ok;
}

void
notice_log_wake_notifier (notice_log_t *self)
{
    /* Fails only when its queue is full: the notifier has wake-ups waiting. */
    (void) zmq_send (zsock_resolve (self->notifier), "", 0, ZMQ_DONTWAIT);
}
