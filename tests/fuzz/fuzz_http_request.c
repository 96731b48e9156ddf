/*  fuzz_http_request — what the dashboard reads from a request before any
 *  page runs: the target (path and query string) and the form body, as
 *  services/reporter/http_target.c decodes and checks them for
 *  http_server.c, and a session cookie's token as http_auth looks it up.
 *  Input: "TARGET\nBODY\nTOKEN" (no second line: a GET without a body; a
 *  target longer than HTTP_SERVER_MAX_TARGET or a body longer than
 *  HTTP_SERVER_MAX_BODY is refused before parsing, as the server does).
 *
 *  Invariants: an accepted path is plain ('/' then [A-Za-z0-9_/-]); at
 *  most HTTP_SERVER_MAX_PARAMS parameters, each name and value free of NUL
 *  bytes and valid UTF-8, and the first of each name is what
 *  http_target_param answers; an unknown token has no account.
 */
#include "fuzz.h"
#include "http_auth.h"
#include "http_target.h"
#include "mot_text.h"

#include <stdlib.h>
#include <string.h>

static http_auth_t *auth;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_quiet_logs ();
    auth = http_auth_new (MOT_DEPLOY_DIR "/accounts.example.tsv");
    FUZZ_ASSERT (auth);
    return 0;
}

static void
check_read (const http_target_t *target)
{
    FUZZ_ASSERT (target->path && target->path[0] == '/');
    FUZZ_ASSERT (strspn (target->path, "/_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                 == strlen (target->path));
    FUZZ_ASSERT (target->params <= HTTP_SERVER_MAX_PARAMS);
    for (size_t i = 0; i < target->params; i++) {
        FUZZ_ASSERT (mot_text_is_utf8 (target->names[i], strlen (target->names[i])));
        FUZZ_ASSERT (mot_text_is_utf8 (target->values[i], strlen (target->values[i])));
        const char *first = http_target_param (target, target->names[i]);
        size_t j = 0;
        while (strcmp (target->names[j], target->names[i]) != 0)
            j++;
        FUZZ_ASSERT (first == target->values[j]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const uint8_t *target_bytes, *rest, *body_bytes, *token_bytes;
    size_t target_size, rest_size, body_size, token_size;
    bool has_body = fuzz_split (data, size, "\n", &target_bytes, &target_size, &rest, &rest_size);
    fuzz_split (rest, rest_size, "\n", &body_bytes, &body_size, &token_bytes, &token_size);
    char *target = fuzz_strndup (target_bytes, target_size);
    char *body = has_body ? fuzz_strndup (body_bytes, body_size) : NULL;
    char *token = fuzz_strndup (token_bytes, token_size);
    if (!target || (has_body && !body) || !token) {
        free (target);
        free (body);
        free (token);
        return 0;
    }
    /* As the server hands them over: a target too long is NULL; a body too
     * large is answered 413 and not read. */
    bool too_large = has_body && body_size > HTTP_SERVER_MAX_BODY;
    if (!too_large) {
        http_target_t asked;
        memset (&asked, 0, sizeof asked);
        bool ok = http_target_read (&asked, strlen (target) <= HTTP_SERVER_MAX_TARGET ? target : NULL, body,
                                    body ? body_size : 0);
        if (ok)
            check_read (&asked);
        http_target_clear (&asked);
    }
    FUZZ_ASSERT (http_auth_session (auth, token, 1790000000) == NULL);
    http_auth_logout (auth, token);
    free (target);
    free (body);
    free (token);
    return 0;
}
