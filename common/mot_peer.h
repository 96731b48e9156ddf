/*  mot_peer — what the peer that sent a message may do (issue #12).
 *
 *  Owns: reading a certificate's metadata where CZMQ's zauth left it (the
 *  ZAP properties of every frame the peer sends, see mot_curve and
 *  motctl_cert.c for what each property means) and the rules built on it:
 *    role service      everything: the pipeline's own processes, and trusted
 *                      relays (motctl on an operator's console, a gateway
 *                      that authenticated the analysts it relays for)
 *    role analyst      events and analyst commands as its units
 *    role upstream     events as its units, no analyst command
 *    role subscriber, viewer   nothing sent; reads as below
 *    registers, topics what it may read: listed names / topic prefixes, or *
 *                      (the words are mot_grant's, shared with the
 *                      dashboard's accounts; `items` holds mupoi and muro)
 *  A peer this process connected to as a CURVE client is the server whose
 *  key it checked: a service. With CURVE off there is no certificate: every peer may do everything
 *  (a development set-up), and the name is the one the client gave.
 */
#ifndef MOT_PEER_H_INCLUDED
#define MOT_PEER_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

typedef struct {
    bool certified;             /* false: CURVE off, every rule allows */
    const char *name;           /* the properties, owned by the frame they */
    const char *role;           /* came with: valid while it lives; "" */
    const char *units;          /* when the certificate lacks one */
    const char *registers;
    const char *topics;
} mot_peer_t;

/* The peer that sent `frame` (a frame as received, with its properties). */
mot_peer_t mot_peer_of (zframe_t *frame);

/* Credentials forwarded by a device (mot-proxy's ingress), which the peer
 * behind it cannot otherwise see: a frame "mot.peer\0NAME\0ROLE\0UNITS\0
 * REGISTERS\0TOPICS\0" appended after the body. Only a service's is
 * believed (mot_peer_forwarded). */
#define MOT_PEER_FRAME_MAGIC "mot.peer"
/* The frame for `self` (certified); NULL when out of memory. */
zframe_t *mot_peer_frame_new (const mot_peer_t *self);
/* Whether `frame` looks like one (the magic), not whether it is valid. */
bool mot_peer_frame_is (zframe_t *frame);
/* The peer a frame from `sender` speaks for: true with *peer filled (its
 * strings point into `frame`) when the sender is a certified service and
 * the frame is well formed; false otherwise. */
bool mot_peer_forwarded (const mot_peer_t *sender, zframe_t *frame, mot_peer_t *peer);

/* A service, or no certificate at all (CURVE off). */
bool mot_peer_is_service (const mot_peer_t *self);
/* May publish events as `unit` (a Source name: UAD, UCS, ...). */
bool mot_peer_may_publish_as (const mot_peer_t *self, const char *unit);
/* May record analyst commands for `unit`. */
bool mot_peer_may_command_for (const mot_peer_t *self, const char *unit);
/* May read the register (or view) `name`: mupoi, muro, items, ... */
bool mot_peer_may_read (const mot_peer_t *self, const char *name);
/* May receive notices on `topic` prefix (a subscription or a catch-up
 * topic): one of its prefixes starts it; "" (every topic) needs *. */
bool mot_peer_may_follow (const mot_peer_t *self, const char *topic);

#endif
