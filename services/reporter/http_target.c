/*  http_target — a request's target and form body: see http_target.h.
 */
#include "http_target.h"
#include "mot_text.h"

#include <stdlib.h>
#include <string.h>

static int
hex_value (char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The decoded copy of text[0..length) ('+' is a space), NULL when the
 * percent-encoding is bad, it holds a NUL or it is not UTF-8. */
static char *
decode_component (const char *text, size_t length)
{
    char *out = malloc (length + 1);
    if (!out)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '%') {
            int high = i + 1 < length ? hex_value (text[i + 1]) : -1;
            int low = i + 2 < length ? hex_value (text[i + 2]) : -1;
            if (high < 0 || low < 0 || (high == 0 && low == 0)) {
                free (out);
                return NULL;
            }
            out[used++] = (char) (high * 16 + low);
            i += 2;
            continue;
        }
        out[used++] = c == '+' ? ' ' : c;
    }
    out[used] = '\0';
    if (!mot_text_is_utf8 (out, used)) {
        free (out);
        return NULL;
    }
    return out;
}

/* Adds the pairs of a query string or form body; false when one is bad or
 * there are too many. */
static bool
read_params (http_target_t *self, const char *text, size_t length)
{
    size_t start = 0;
    while (start < length) {
        const char *pair = text + start;
        const char *amp = memchr (pair, '&', length - start);
        size_t pair_length = amp ? (size_t) (amp - pair) : length - start;
        start += pair_length + 1;
        if (pair_length == 0)
            continue;
        if (self->params == HTTP_SERVER_MAX_PARAMS)
            return false;
        const char *equals = memchr (pair, '=', pair_length);
        size_t name_length = equals ? (size_t) (equals - pair) : pair_length;
        char *name = decode_component (pair, name_length);
        char *value = equals ? decode_component (equals + 1, pair_length - name_length - 1) : strdup ("");
        if (!name || !value) {
            free (name);
            free (value);
            return false;
        }
        self->names[self->params] = name;
        self->values[self->params++] = value;
    }
    return true;
}

static bool
is_plain_path (const char *path, size_t length)
{
    if (length == 0 || path[0] != '/')
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = path[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/'
                  || c == '_' || c == '-';
        if (!plain)
            return false;
    }
    return true;
}

bool
http_target_read (http_target_t *self, const char *target, const char *body, size_t body_size)
{
    if (!target)
        return false;
    const char *question = strchr (target, '?');
    size_t path_length = question ? (size_t) (question - target) : strlen (target);
    if (!is_plain_path (target, path_length))
        return false;
    self->path = strndup (target, path_length);
    if (!self->path)
        return false;
    if (question && !read_params (self, question + 1, strlen (question + 1)))
        return false;
    return !body || read_params (self, body, body_size);
}

void
http_target_clear (http_target_t *self)
{
    for (size_t i = 0; i < self->params; i++) {
        free (self->names[i]);
        free (self->values[i]);
    }
    free (self->path);
    memset (self, 0, sizeof *self);
}

const char *
http_target_param (const http_target_t *self, const char *name)
{
    for (size_t i = 0; i < self->params; i++)
        if (strcmp (self->names[i], name) == 0)
            return self->values[i];
    return NULL;
}
