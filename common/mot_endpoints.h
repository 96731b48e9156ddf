/*  mot_endpoints — where the pipeline meets by default.
 *
 *  Owns: the default address of every socket and of Redis, declared once for
 *  the services, mot-proxy, motctl and the bench tools. Each binary takes
 *  these as the defaults of its options (see mot_config); a deployment
 *  changes them through flags or environment variables, never here.
 */
#ifndef MOT_ENDPOINTS_H_INCLUDED
#define MOT_ENDPOINTS_H_INCLUDED

/* intake's ROUTER for upstreams and motctl submit (mot-proxy's, with several intakes) */
#define MOT_DEFAULT_INGRESS "tcp://127.0.0.1:5550"
/* intake's dispatches to classifiers (PUSH) */
#define MOT_DEFAULT_CLASSIFY "tcp://127.0.0.1:5551"
/* intake's dispatches to deadline-watchers (PUSH) */
#define MOT_DEFAULT_WATCH "tcp://127.0.0.1:5552"
/* the notifier's PULL for the watchers' wake-ups */
#define MOT_DEFAULT_COLLECT "tcp://127.0.0.1:5553"
/* the notifier's PUB for alert subscribers */
#define MOT_DEFAULT_PUBLISH "tcp://127.0.0.1:5554"
/* the notifier's ROUTER where subscribers ask for the notices they missed */
#define MOT_DEFAULT_CATCHUP "tcp://127.0.0.1:5557"
/* the reporter's ROUTER for queries */
#define MOT_DEFAULT_QUERY "tcp://127.0.0.1:5555"

/* the reporter's web dashboard (IPv4 host:port; plain HTTP only on loopback) */
#define MOT_DEFAULT_DASHBOARD "127.0.0.1:5556"

/* mot-proxy's inner side: where intakes connect behind the ingress, and
 * where they push their dispatches */
#define MOT_DEFAULT_INGRESS_WORKERS "tcp://127.0.0.1:5560"
#define MOT_DEFAULT_CLASSIFY_IN "tcp://127.0.0.1:5561"
#define MOT_DEFAULT_WATCH_IN "tcp://127.0.0.1:5562"

/* the CURVE certificates (motctl cert, mot_curve) */
#define MOT_DEFAULT_CERTS "/etc/mot/certs"

/* Redis: host:port or unix:/path */
#define MOT_DEFAULT_REDIS "127.0.0.1:6379"

#endif
