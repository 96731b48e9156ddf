/*  text_buffer — a growing, NUL-terminated text buffer (see text_buffer.h).
 */
#include "text_buffer.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FIRST_CAPACITY 4096
/* From this size on a buffer asks for huge pages. */
#define HUGE_PAGES_FROM (4u << 20)
#define HUGE_PAGE (2u << 20)

/* A large buffer is mostly written once, into fresh memory: each 4 KB page
 * costs the kernel a fault (about 5 µs on a virtual machine), a 2 MB page
 * one fault for 512 of them. A hint (Linux, transparent huge pages in
 * madvise mode); where it is not taken, nothing changes. */
static void
ask_for_huge_pages (char *data, size_t capacity)
{
    if (capacity < HUGE_PAGES_FROM)
        return;
    uintptr_t start = ((uintptr_t) data + HUGE_PAGE - 1) & ~(uintptr_t) (HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t) data + capacity) & ~(uintptr_t) (HUGE_PAGE - 1);
    if (end > start)
        madvise ((void *) start, end - start, MADV_HUGEPAGE);
}

bool
text_buffer_reserve (text_buffer_t *self, size_t more)
{
    if (self->failed)
        return false;
    if (self->data && self->capacity - self->size > more)
        return true;
    size_t capacity = self->capacity ? self->capacity : FIRST_CAPACITY;
    while (capacity - self->size <= more) {
        if (capacity > SIZE_MAX / 2) {
            self->failed = true;
            return false;
        }
        capacity *= 2;
    }
    char *data = realloc (self->data, capacity);
    if (!data) {
        self->failed = true;
        return false;
    }
    self->data = data;
    self->capacity = capacity;
    ask_for_huge_pages (data, capacity);
    return true;
}

bool
text_buffer_add (text_buffer_t *self, const char *bytes, size_t length)
{
    if (!text_buffer_reserve (self, length))
        return false;
    memcpy (self->data + self->size, bytes, length);
    self->size += length;
    self->data[self->size] = '\0';
    return true;
}

bool
text_buffer_add_text (text_buffer_t *self, const char *text)
{
    return !text || text_buffer_add (self, text, strlen (text));
}

bool
text_buffer_add_char (text_buffer_t *self, char c)
{
    return text_buffer_add (self, &c, 1);
}

bool
text_buffer_vaddf (text_buffer_t *self, const char *format, va_list args)
{
    va_list copy;
    va_copy (copy, args);
    int length = vsnprintf (NULL, 0, format, copy);
    va_end (copy);
    if (length < 0)
        self->failed = true;
    if (length < 0 || !text_buffer_reserve (self, (size_t) length))
        return false;
    vsnprintf (self->data + self->size, (size_t) length + 1, format, args);
    self->size += (size_t) length;
    return true;
}

bool
text_buffer_addf (text_buffer_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    bool ok = text_buffer_vaddf (self, format, args);
    va_end (args);
    return ok;
}

char *
text_buffer_take (text_buffer_t *self, size_t *size)
{
    char *data = text_buffer_reserve (self, 0) ? self->data : NULL;
    if (data)
        data[self->size] = '\0';
    if (size)
        *size = data ? self->size : 0;
    if (!data)
        free (self->data);
    *self = (text_buffer_t) TEXT_BUFFER_INIT;
    return data;
}

void
text_buffer_clear (text_buffer_t *self)
{
    self->size = 0;
}

void
text_buffer_free (text_buffer_t *self)
{
    free (self->data);
    *self = (text_buffer_t) TEXT_BUFFER_INIT;
}
