/*  motctl_net — what every motctl verb that talks to a service shares.
 *
 *  Owns: the REQ round trip with a timeout, unpacking a reply, printing a
 *  typed error, and reading the options verbs have in common (--timeout SEC,
 *  counts).
 */
#ifndef MOTCTL_NET_H_INCLUDED
#define MOTCTL_NET_H_INCLUDED

#include "mot.pb-c.h"
#include <czmq.h>
#include <stdbool.h>

#define MOTCTL_DEFAULT_TIMEOUT_MS 5000

/* Connects a REQ socket to `endpoint` (CURVE unless MOT_CURVE=off:
 * checked against the service `peer`'s key, see mot_curve), sends the packed request and waits up
 * to timeout_ms for the reply. Returns the reply's frames (caller destroys),
 * or NULL with *error set to a malloc'd sentence naming the endpoint (caller
 * frees): no reply in time, bad endpoint, interrupted. */
zmsg_t *motctl_request (const char *endpoint, const char *peer, const ProtobufCMessage *request, int timeout_ms,
                        char **error);

/* The reply's one frame unpacked as `descriptor` (no size limit: the peer is
 * our own service). NULL with *error (malloc'd) when it is not one. Free the
 * result with protobuf_c_message_free_unpacked (m, NULL). */
ProtobufCMessage *motctl_unpack (zmsg_t *reply, const ProtobufCMessageDescriptor *descriptor, char **error);

/* Prints "motctl: <CODE>: <reason>" to stderr, then " (field <name>)" when
 * the error names one. */
void motctl_print_error (const Mot__V1__Error *error);

/* True when argv[*index] is option `name` ("--name VALUE" or "--name=VALUE");
 * then *value is the value (NULL when it is missing) and *index points at the
 * last word used. */
bool motctl_take_option (int argc, char **argv, int *index, const char *name, const char **value);

/* "SEC": seconds > 0 (fractions allowed, at most a day) as milliseconds.
 * Prints the error and returns false when it is not. */
bool motctl_parse_timeout (const char *text, int *timeout_ms);
/* A decimal integer in [min, max]; prints the error and returns false when not. */
bool motctl_parse_long (const char *option, const char *text, long min, long max, long *value);

#endif
