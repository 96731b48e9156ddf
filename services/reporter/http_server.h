/*  http_server — the reporter's HTTP listener (GNU libmicrohttpd).
 *
 *  Owns: the listening socket, one internal polling thread (so handlers
 *  run one at a time, never concurrently), and what reaches a handler: only
 *  well-formed requests. It refuses by itself, before any handler runs:
 *    405  a method other than GET, HEAD or POST (Allow: GET, HEAD, POST)
 *    400  a request target longer than HTTP_SERVER_MAX_TARGET bytes, a
 *         query string or form body with bad percent-encoding, a NUL,
 *         invalid UTF-8 or more than HTTP_SERVER_MAX_PARAMS parameters, a
 *         path that is not plain (anything but / and [A-Za-z0-9_-])
 *    413  a POST body over HTTP_SERVER_MAX_BODY bytes
 *  A handler gets the path, the method, the decoded parameters (query
 *  string, and for POST the application/x-www-form-urlencoded body) and
 *  the cookies, and fills an http_response_t. Every response carries
 *  Cache-Control: no-store and a Content-Security-Policy allowing nothing
 *  external (inline styles only).
 *
 *  HTTPS (GnuTLS, through libmicrohttpd's MHD_USE_TLS): with a certificate
 *  and its key the port speaks TLS only (a plain HTTP request gets no
 *  answer: the handshake fails) and every response also carries
 *  Strict-Transport-Security. The key file is read into memory, never
 *  logged, and wiped when the server stops. Plain HTTP is refused on an
 *  address beyond loopback (127.0.0.0/8) unless the caller says it is
 *  wanted (a TLS proxy in front): logged http_tls_required, no server.
 */
#ifndef HTTP_SERVER_H_INCLUDED
#define HTTP_SERVER_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#define HTTP_SERVER_MAX_TARGET 2048
#define HTTP_SERVER_MAX_PARAMS 32
#define HTTP_SERVER_MAX_BODY 4096

typedef struct _http_server_t http_server_t;
typedef struct _http_request_t http_request_t;

typedef struct {
    int status;                 /* 200 unless set */
    char *body;                 /* malloc'd, taken by the server; NULL: empty */
    size_t size;
    const char *content_type;   /* static; NULL: text/html; charset=utf-8 */
    char *location;             /* malloc'd or NULL: a Location header */
    char *set_cookie;           /* malloc'd or NULL: a Set-Cookie header */
} http_response_t;

typedef void (http_handler_fn) (void *arg, const http_request_t *request, http_response_t *response);

#define HTTP_SERVER_MAX_PEM (1024 * 1024)

/* Where and how to listen. */
typedef struct {
    const char *address;        /* "host:port", IPv4 */
    const char *cert_path;      /* PEM certificate (chain); NULL or "": plain HTTP */
    const char *key_path;       /* its PEM private key (unencrypted) */
    bool plain_beyond_loopback; /* plain HTTP allowed on a non-loopback address */
} http_listen_t;

/* Listens as `listen` says and serves until destroyed. NULL (logged) when
 * the address is bad or cannot be bound, only one of certificate and key
 * is given, a file cannot be read (or is over HTTP_SERVER_MAX_PEM bytes),
 * libmicrohttpd has no TLS or does not load them, or plain HTTP is asked
 * beyond loopback without plain_beyond_loopback. */
http_server_t *http_server_new (const http_listen_t *listen, http_handler_fn *handler, void *arg);
/* Whether the server speaks HTTPS. */
bool http_server_is_tls (const http_server_t *self);
/* Stops the thread, closes the socket. */
void http_server_destroy (http_server_t **self_p);

const char *http_request_path (const http_request_t *self);
bool http_request_is_post (const http_request_t *self);
/* The decoded value of a parameter (first occurrence), NULL when absent. */
const char *http_request_param (const http_request_t *self, const char *name);
/* A cookie's value, NULL when absent. */
const char *http_request_cookie (const http_request_t *self, const char *name);

#endif
