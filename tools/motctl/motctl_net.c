/*  motctl_net — what every motctl verb that talks to a service shares
 *  (see motctl_net.h).
 */
#include "motctl_net.h"

#include "mot_curve.h"
#include "mot_wire.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zsock_t *
connect_req (const char *endpoint, const char *peer, int timeout_ms, char **error)
{
    zsock_t *socket = zsock_new (ZMQ_REQ);
    if (!socket) {
        *error = zsys_sprintf ("cannot create a socket for %s", endpoint);
        return NULL;
    }
    if (!mot_curve_secure (socket, false, peer, "request")) {
        *error = zsys_sprintf ("no CURVE keys for %s: set MOT_CERT (your keypair) and MOT_CERTS, or MOT_CURVE=off",
                               endpoint);
        zsock_destroy (&socket);
        return NULL;
    }
    zsock_set_linger (socket, 0);
    zsock_set_sndtimeo (socket, timeout_ms);
    if (zsock_connect (socket, "%s", endpoint) < 0) {
        *error = zsys_sprintf ("cannot connect to %s: %s", endpoint, zmq_strerror (zmq_errno ()));
        zsock_destroy (&socket);
    }
    return socket;
}

static bool
send_request (zsock_t *socket, const char *endpoint, const ProtobufCMessage *request, char **error)
{
    zframe_t *frame = mot_wire_frame (request);
    if (frame && zframe_send (&frame, socket, 0) == 0)
        return true;
    zframe_destroy (&frame);
    *error = zsys_sprintf ("cannot send to %s", endpoint);
    return false;
}

static zmsg_t *
receive_reply (zsock_t *socket, const char *endpoint, int timeout_ms, char **error)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    if (!poller) {
        *error = zsys_sprintf ("out of memory waiting for %s", endpoint);
        return NULL;
    }
    zmsg_t *reply = NULL;
    if (zpoller_wait (poller, timeout_ms) == socket)
        reply = zmsg_recv (socket);
    if (!reply)
        *error = zpoller_terminated (poller)
                     ? zsys_sprintf ("interrupted waiting for %s", endpoint)
                     : zsys_sprintf ("timeout: no reply from %s within %g s", endpoint, timeout_ms / 1000.0);
    zpoller_destroy (&poller);
    return reply;
}

zmsg_t *
motctl_request (const char *endpoint, const char *peer, const ProtobufCMessage *request, int timeout_ms,
                char **error)
{
    *error = NULL;
    zsock_t *socket = connect_req (endpoint, peer, timeout_ms, error);
    if (!socket)
        return NULL;
    zmsg_t *reply = NULL;
    if (send_request (socket, endpoint, request, error))
        reply = receive_reply (socket, endpoint, timeout_ms, error);
    zsock_destroy (&socket);
    return reply;
}

ProtobufCMessage *
motctl_unpack (zmsg_t *reply, const ProtobufCMessageDescriptor *descriptor, char **error)
{
    *error = NULL;
    if (zmsg_size (reply) != 1) {
        *error = zsys_sprintf ("reply has %zu frames, expected 1", zmsg_size (reply));
        return NULL;
    }
    Mot__V1__ErrorCode code;
    ProtobufCMessage *message = mot_wire_unpack (zmsg_first (reply), descriptor, 0, &code);
    if (!message)
        *error = zsys_sprintf ("reply is not a %s", descriptor->name);
    return message;
}

void
motctl_print_error (const Mot__V1__Error *error)
{
    bool field = error->field && *error->field;
    fprintf (stderr, "motctl: %s: %s%s%s%s\n", mot_error_code_name (error->code), error->reason ? error->reason : "",
             field ? " (field " : "", field ? error->field : "", field ? ")" : "");
}

bool
motctl_take_option (int argc, char **argv, int *index, const char *name, const char **value)
{
    const char *word = argv[*index];
    size_t length = strlen (name);
    if (strncmp (word, "--", 2) != 0 || strncmp (word + 2, name, length) != 0)
        return false;
    const char *rest = word + 2 + length;
    if (*rest == '=') {
        *value = rest + 1;
        return true;
    }
    if (*rest != '\0')
        return false;
    *value = *index + 1 < argc ? argv[++*index] : NULL;
    return true;
}

bool
motctl_parse_timeout (const char *text, int *timeout_ms)
{
    char *end = NULL;
    errno = 0;
    double seconds = text ? strtod (text, &end) : 0;
    if (!text || errno != 0 || end == text || *end != '\0' || !(seconds > 0) || seconds > 86400) {
        fprintf (stderr, "motctl: --timeout needs seconds between 0 and 86400, got '%s'\n", text ? text : "");
        return false;
    }
    *timeout_ms = (int) ceil (seconds * 1000);
    return true;
}

bool
motctl_parse_long (const char *option, const char *text, long min, long max, long *value)
{
    char *end = NULL;
    errno = 0;
    long parsed = text ? strtol (text, &end, 10) : 0;
    if (!text || errno != 0 || end == text || *end != '\0' || parsed < min || parsed > max) {
        fprintf (stderr, "motctl: %s needs a whole number between %ld and %ld, got '%s'\n", option, min, max,
                 text ? text : "");
        return false;
    }
    *value = parsed;
    return true;
}
