/*  lazy_pirate — a minimal upstream publisher for the MOT ingress, in C.
 *
 *  The ZeroMQ Guide's Lazy Pirate pattern: a REQ socket; if no Ack arrives
 *  within the timeout, close the socket, open a new one and send the SAME
 *  envelope again (same source and external id, so intake answers a retry
 *  with the original event id, flagged duplicate). Give up after a few tries.
 *
 *    lazy_pirate ENDPOINT EXTERNAL_ID      e.g. tcp://127.0.0.1:5550 SIQ-2026-0001234
 *
 *  The ingress speaks ZeroMQ CURVE: the publisher needs its keypair (made by
 *  the ops team: motctl cert create NAME --role upstream --units UAD --out
 *  FILE, given here as MOT_CERT=FILE) and intake's public certificate
 *  (MOT_CERTS/servers/intake.cert). MOT_CURVE=off talks plain, to a system
 *  started with --curve off.
 */
#include "mot.pb-c.h"

#include <czmq.h>

#define TIMEOUT_MS 2500
#define TRIES 3

/* Our keypair and the server's key on the socket; false when a file is missing. */
static bool
use_curve (zsock_t *socket)
{
    const char *off = getenv ("MOT_CURVE");
    if (off && (streq (off, "off") || streq (off, "0")))
        return true;
    const char *certs = getenv ("MOT_CERTS") ? getenv ("MOT_CERTS") : "/etc/mot/certs";
    char *server_path = zsys_sprintf ("%s/servers/intake.cert", certs);
    zcert_t *own = getenv ("MOT_CERT") ? zcert_load (getenv ("MOT_CERT")) : NULL;
    zcert_t *server = server_path ? zcert_load (server_path) : NULL;
    if (own && server) {
        zcert_apply (own, socket);
        zsock_set_curve_serverkey (socket, zcert_public_txt (server));
    }
    else
        fprintf (stderr, "lazy_pirate: need MOT_CERT (our keypair) and %s\n", server_path ? server_path : "intake.cert");
    bool ok = own && server;
    zcert_destroy (&own);
    zcert_destroy (&server);
    zstr_free (&server_path);
    return ok;
}

int
main (int argc, char **argv)
{
    if (argc != 3) {
        fprintf (stderr, "usage: lazy_pirate ENDPOINT EXTERNAL_ID\n");
        return 2;
    }
    /* The event: a complaint about drug supply in Jalisco (OOAD-15). */
    Mot__V1__Queja queja = MOT__V1__QUEJA__INIT;
    queja.territory = "OOAD-15";
    queja.reason = "Abasto de medicamentos";
    queja.received_on = "2026-11-20";
    Mot__V1__Envelope envelope = MOT__V1__ENVELOPE__INIT;
    envelope.external_id = argv[2];
    envelope.has_source = 1;
    envelope.source = MOT__V1__SOURCE__UAD;
    envelope.body_case = MOT__V1__ENVELOPE__BODY_QUEJA;
    envelope.queja = &queja;
    size_t size = protobuf_c_message_get_packed_size (&envelope.base);
    uint8_t *request = malloc (size);
    if (!request)
        return 1;
    protobuf_c_message_pack (&envelope.base, request);

    int rc = 1;
    for (int attempt = 1; attempt <= TRIES && rc == 1; attempt++) {
        zsock_t *req = zsock_new (ZMQ_REQ);
        if (!req || !use_curve (req) || zsock_connect (req, "%s", argv[1]) < 0) {
            zsock_destroy (&req);
            break;
        }
        zsock_set_linger (req, 0);
        zframe_t *frame = zframe_new (request, size);
        zframe_send (&frame, req, 0);
        zpoller_t *poller = zpoller_new (req, NULL);
        if (zpoller_wait (poller, TIMEOUT_MS) == req) {
            zframe_t *reply = zframe_recv (req);
            Mot__V1__Ack *ack = reply ? mot__v1__ack__unpack (NULL, zframe_size (reply), zframe_data (reply)) : NULL;
            if (ack && ack->result_case == MOT__V1__ACK__RESULT_ACCEPTED) {
                printf ("accepted %s event_id=%s duplicate=%d\n", ack->external_id, ack->accepted->event_id,
                        ack->accepted->duplicate);
                rc = 0;
            }
            else if (ack && ack->result_case == MOT__V1__ACK__RESULT_ERROR) {
                printf ("rejected %s code=%d reason=%s\n", ack->external_id, ack->error->code, ack->error->reason);
                rc = ack->error->code == MOT__V1__ERROR_CODE__UNAVAILABLE ? 1 : 3;   /* UNAVAILABLE: retry */
            }
            if (ack)
                mot__v1__ack__free_unpacked (ack, NULL);
            zframe_destroy (&reply);
        }
        else
            fprintf (stderr, "no answer within %d ms (try %d of %d)\n", TIMEOUT_MS, attempt, TRIES);
        zpoller_destroy (&poller);
        zsock_destroy (&req);
    }
    free (request);
    return rc;
}
