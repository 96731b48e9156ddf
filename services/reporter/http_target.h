/*  http_target — what a request asks for: its target (path and query
 *  string) and its form body, decoded and checked, apart from the HTTP
 *  listener (http_server.c) so that it can be tested and fuzzed alone
 *  (tests/fuzz/fuzz_http_request.c).
 *
 *  Owns the rules of http_server.h's 400: the path is plain ('/' first,
 *  then only / and [A-Za-z0-9_-]); the query string and the
 *  application/x-www-form-urlencoded body are '&'-separated name=value
 *  pairs ('+' is a space, %XX a byte), none with bad percent-encoding, a
 *  NUL or invalid UTF-8, at most HTTP_SERVER_MAX_PARAMS of them in all
 *  (empty pairs are skipped; a name without '=' has the value "").
 */
#ifndef HTTP_TARGET_H_INCLUDED
#define HTTP_TARGET_H_INCLUDED

#include "http_server.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *path;
    size_t params;
    char *names[HTTP_SERVER_MAX_PARAMS];
    char *values[HTTP_SERVER_MAX_PARAMS];
} http_target_t;

/* Reads `target` (NULL: it was too long) and the form `body` (NULL: none;
 * body_size bytes, NUL-terminated) into a zeroed self. False when the
 * request is to be answered 400; what was read stays in self until
 * http_target_clear either way. */
bool http_target_read (http_target_t *self, const char *target, const char *body, size_t body_size);
/* Frees what self holds and zeroes it. */
void http_target_clear (http_target_t *self);
/* The decoded value of a parameter (first occurrence), NULL when absent. */
const char *http_target_param (const http_target_t *self, const char *name);

#endif
