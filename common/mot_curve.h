/*  mot_curve — ZeroMQ CURVE for this process's sockets (issue #12).
 *
 *  Owns: the process's one CURVE identity and what makes a socket use it.
 *  One per process, like CZMQ's zsys: ZeroMQ asks one ZAP handler per
 *  context, and CZMQ gives a process one context.
 *    - A service loads its keypair from CERTS/servers/NAME.cert_secret and
 *      starts CZMQ's zauth on CERTS/clients: a client connects only with a
 *      certificate there, which zauth re-reads when the folder changes, so
 *      adding or revoking one (motctl cert) takes effect at the next
 *      connection, without a restart. zauth hands the certificate's metadata
 *      to the socket, where mot_peer reads it for authorisation.
 *    - A client (motctl, a subscriber, a tool) loads its own keypair (the
 *      file `motctl cert create --out FILE` wrote: FILE and FILE_secret) and
 *      checks each server against CERTS/servers/PEER.cert.
 *    - Refused peers are logged: an unknown key as `peer_refused
 *      reason=unknown_key` with the key's fingerprint (zauth says so on
 *      CZMQ's log, which this module reads), a client without CURVE as
 *      `peer_refused reason=not_curve|handshake` (ZeroMQ's monitor of each
 *      CURVE server socket, read by an actor of this module; at most a line
 *      a second per socket).
 *  With security off (--curve off) every function does nothing and sockets
 *  stay plain.
 */
#ifndef MOT_CURVE_H_INCLUDED
#define MOT_CURVE_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

#include "mot_config.h"

/* The length of a fingerprint: 16 hexadecimal digits of the SHA-256 of the
 * 32-byte public key, what logs and `motctl cert list` show. */
#define MOT_CURVE_FINGERPRINT_LENGTH 16

/* Reads --curve, --certs and --cert. `service` names the service (its
 * keypair is servers/SERVICE.cert_secret unless --cert says otherwise, and
 * it starts zauth), NULL for a client (--cert is then required). Logs and
 * returns false when security is on and the keys are not there: sockets are
 * then refused, never made plain. */
bool mot_curve_start (mot_config_t *config, const char *service);
/* The same for a client without mot_config (motctl, tools): MOT_CURVE (on
 * unless 0/off/false/no), MOT_CERTS and MOT_CERT from the environment. */
bool mot_curve_start_client (void);
/* Stops zauth and forgets the keys; safe to call when never started. */
void mot_curve_stop (void);
/* Whether sockets are made CURVE (security on and the keys loaded). */
bool mot_curve_on (void);

/* Makes `socket`, before it binds or connects, a CURVE server with this
 * process's keypair (`server`), or a client that expects the key of
 * servers/PEER.cert. Returns false (logged with `what`) when a key is
 * missing. Does nothing with security off. A process that started nothing
 * (a client) starts with mot_curve_start_client at its first socket. */
bool mot_curve_secure (zsock_t *socket, bool server, const char *peer, const char *what);

/* The same, presenting the keypair of the service `as`
 * (CERTS/servers/AS.cert) instead of the process's: a device that stands
 * for several services (mot-proxy). NULL `as`: mot_curve_secure. */
bool mot_curve_secure_as (zsock_t *socket, bool server, const char *as, const char *peer, const char *what);

/* Fills `fingerprint` (MOT_CURVE_FINGERPRINT_LENGTH + 1 bytes) from a
 * Z85-encoded public key; false when it is not one. */
bool mot_curve_fingerprint (const char *public_txt, char *fingerprint);

#endif
