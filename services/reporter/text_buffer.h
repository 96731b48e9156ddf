/*  text_buffer — a growing, NUL-terminated text buffer: what the reporter's
 *  renderers write into (register tables as JSON and CSV, the maps' SVG,
 *  the dashboard's and the monthly report's HTML).
 *
 *  Owns: the bytes written so far and the first allocation failure. After
 *  a failure every write is refused (returns false) and take gives NULL,
 *  so a renderer may check once at the end. Zero-initialise one
 *  (TEXT_BUFFER_INIT, or calloc) to start.
 */
#ifndef TEXT_BUFFER_H_INCLUDED
#define TEXT_BUFFER_H_INCLUDED

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;             /* NULL until the first write */
    size_t size;            /* bytes written, without the NUL */
    size_t capacity;
    bool failed;
} text_buffer_t;

#define TEXT_BUFFER_INIT {NULL, 0, 0, false}

/* Room for `more` bytes (and the NUL) without another allocation. */
bool text_buffer_reserve (text_buffer_t *self, size_t more);
bool text_buffer_add (text_buffer_t *self, const char *bytes, size_t length);
/* A C string (NULL writes nothing). */
bool text_buffer_add_text (text_buffer_t *self, const char *text);
bool text_buffer_add_char (text_buffer_t *self, char c);
bool text_buffer_addf (text_buffer_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
bool text_buffer_vaddf (text_buffer_t *self, const char *format, va_list args) __attribute__ ((format (printf, 2, 0)));
/* Hands the bytes over (caller frees; never NULL for an empty buffer), their
 * count in *size (may be NULL); NULL after a failure. The buffer is empty
 * and usable again afterwards. */
char *text_buffer_take (text_buffer_t *self, size_t *size);
/* Empties the buffer, keeping its memory for the next writes (a failure
 * sticks). */
void text_buffer_clear (text_buffer_t *self);
/* Frees the bytes; the buffer is empty and usable again. */
void text_buffer_free (text_buffer_t *self);

#endif
