/*  http_server — the reporter's HTTP listener: see http_server.h.
 *
 *  Owns: libmicrohttpd's daemon and each request's state from its first
 *  line (the raw target, taken from the URI log callback so that the query
 *  string is decoded and checked by http_target.c) to its completion.
 */
#include "http_server.h"
#include "http_target.h"
#include "mot_health.h"
#include "mot_log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONNECTION_TIMEOUT_S 30
#define CONNECTION_LIMIT 64
#define SECURITY_POLICY \
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"
#define TRANSPORT_POLICY "max-age=31536000"

struct _http_server_t {
    struct MHD_Daemon *daemon;
    http_handler_fn *handler;
    void *arg;
    bool tls;
    char *cert;                 /* PEM, NUL-terminated; NULL: plain HTTP */
    char *key;                  /* PEM; wiped before it is freed */
    size_t key_size;
};

struct _http_request_t {
    struct MHD_Connection *connection;
    char *target;               /* as received, NULL when too long */
    bool started, post, allowed;
    char *body;
    size_t body_size;
    bool body_too_large;
    http_target_t asked;        /* path and parameters (http_target.c) */
};

/* ---- the request's state ------------------------------------------------ */

static void *
on_uri (void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void) cls;
    (void) connection;
    http_request_t *request = calloc (1, sizeof *request);
    if (request && uri && strlen (uri) <= HTTP_SERVER_MAX_TARGET)
        request->target = strdup (uri);
    return request;
}

static void
request_free (http_request_t *request)
{
    http_target_clear (&request->asked);
    free (request->target);
    free (request->body);
    free (request);
}

static void
on_completed (void *cls, struct MHD_Connection *connection, void **req_cls, enum MHD_RequestTerminationCode code)
{
    (void) cls;
    (void) connection;
    (void) code;
    if (*req_cls)
        request_free (*req_cls);
    *req_cls = NULL;
}

/* ---- answering ----------------------------------------------------------- */

static enum MHD_Result
queue (const http_server_t *self, struct MHD_Connection *connection, http_response_t *answer)
{
    struct MHD_Response *response
        = answer->body ? MHD_create_response_from_buffer (answer->size, answer->body, MHD_RESPMEM_MUST_FREE)
                       : MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
    if (!response) {
        free (answer->body);
        free (answer->location);
        free (answer->set_cookie);
        return MHD_NO;
    }
    bool ok = MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                       answer->content_type ? answer->content_type : "text/html; charset=utf-8")
           && MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store")
           && MHD_add_response_header (response, "Content-Security-Policy", SECURITY_POLICY)
           && MHD_add_response_header (response, "X-Content-Type-Options", "nosniff")
           && MHD_add_response_header (response, "Referrer-Policy", "no-referrer");
    if (self->tls)
        ok = ok && MHD_add_response_header (response, "Strict-Transport-Security", TRANSPORT_POLICY);
    if (answer->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        ok = ok && MHD_add_response_header (response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
    if (answer->location)
        ok = ok && MHD_add_response_header (response, MHD_HTTP_HEADER_LOCATION, answer->location);
    if (answer->set_cookie)
        ok = ok && MHD_add_response_header (response, MHD_HTTP_HEADER_SET_COOKIE, answer->set_cookie);
    free (answer->location);
    free (answer->set_cookie);
    enum MHD_Result result = ok ? MHD_queue_response (connection, (unsigned) answer->status, response) : MHD_NO;
    MHD_destroy_response (response);
    return result;
}

static enum MHD_Result
queue_refusal (const http_server_t *self, struct MHD_Connection *connection, int status, const char *text)
{
    http_response_t answer = {.status = status, .content_type = "text/plain; charset=utf-8"};
    answer.body = strdup (text);
    answer.size = answer.body ? strlen (answer.body) : 0;
    mot_log_info ("http_refused", "status=%d", status);
    return queue (self, connection, &answer);
}

static enum MHD_Result
answer_request (http_server_t *self, http_request_t *request)
{
    if (!request->allowed)
        return queue_refusal (self, request->connection, MHD_HTTP_METHOD_NOT_ALLOWED, "Método no permitido\n");
    if (request->body_too_large)
        return queue_refusal (self, request->connection, MHD_HTTP_CONTENT_TOO_LARGE, "Petición demasiado grande\n");
    if (!http_target_read (&request->asked, request->target, request->body, request->body_size))
        return queue_refusal (self, request->connection, MHD_HTTP_BAD_REQUEST, "Petición mal formada\n");
    http_response_t answer = {.status = MHD_HTTP_OK};
    self->handler (self->arg, request, &answer);
    return queue (self, request->connection, &answer);
}

static void
take_body (http_request_t *request, const char *data, size_t size)
{
    if (request->body_too_large || request->body_size + size > HTTP_SERVER_MAX_BODY) {
        request->body_too_large = true;
        return;
    }
    char *grown = realloc (request->body, request->body_size + size + 1);
    if (!grown) {
        request->body_too_large = true;
        return;
    }
    memcpy (grown + request->body_size, data, size);
    request->body = grown;
    request->body_size += size;
    request->body[request->body_size] = '\0';
}

static enum MHD_Result
on_access (void *cls, struct MHD_Connection *connection, const char *url, const char *method, const char *version,
           const char *upload_data, size_t *upload_data_size, void **req_cls)
{
    (void) url;
    (void) version;
    http_request_t *request = *req_cls;
    if (!request)
        return MHD_NO;
    if (!request->started) {
        request->started = true;
        request->connection = connection;
        request->post = strcmp (method, MHD_HTTP_METHOD_POST) == 0;
        request->allowed = request->post || strcmp (method, MHD_HTTP_METHOD_GET) == 0
                        || strcmp (method, MHD_HTTP_METHOD_HEAD) == 0;
        if (request->post)
            return MHD_YES;
    }
    if (request->post && *upload_data_size) {
        take_body (request, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer_request (cls, request);
}

/* ---- lifetime ----------------------------------------------------------- */

static bool
is_loopback (const struct sockaddr_in *address)
{
    return (ntohl (address->sin_addr.s_addr) >> 24) == 127;
}

static bool
is_given (const char *path)
{
    return path && *path;
}

/* The whole of a PEM file, NUL-terminated (caller wipes and frees), NULL
 * when it cannot be read, is empty or larger than HTTP_SERVER_MAX_PEM. */
static char *
read_pem (const char *path, size_t *size)
{
    FILE *file = fopen (path, "rb");
    struct stat status;
    bool sized = file && fstat (fileno (file), &status) == 0 && status.st_size > 0
              && status.st_size <= HTTP_SERVER_MAX_PEM;
    *size = sized ? (size_t) status.st_size : 0;
    char *text = sized ? malloc (*size + 1) : NULL;
    bool ok = text && fread (text, 1, *size, file) == *size;
    if (file)
        fclose (file);
    if (!ok && text) {
        sodium_memzero (text, *size);
        free (text);
        text = NULL;
    }
    if (text)
        text[*size] = '\0';
    return text;
}

/* Reads the certificate and key when both are given; false (logged, by
 * path only) when one is missing, unreadable, or TLS is not built in. */
static bool
load_credentials (http_server_t *self, const http_listen_t *listen)
{
    if (!is_given (listen->cert_path) && !is_given (listen->key_path))
        return true;
    if (!is_given (listen->cert_path) || !is_given (listen->key_path)) {
        mot_log_error ("http_failed", "reason=\"--http-cert and --http-key go together\"");
        return false;
    }
    if (MHD_is_feature_supported (MHD_FEATURE_TLS) != MHD_YES) {
        mot_log_error ("http_failed", "reason=\"libmicrohttpd was built without TLS\"");
        return false;
    }
    size_t cert_size = 0;
    self->cert = read_pem (listen->cert_path, &cert_size);
    if (!self->cert) {
        mot_log_error ("http_failed", "cert=%s reason=\"cannot read the certificate\"", listen->cert_path);
        return false;
    }
    self->key = read_pem (listen->key_path, &self->key_size);
    if (!self->key) {
        mot_log_error ("http_failed", "key=%s reason=\"cannot read the private key\"", listen->key_path);
        return false;
    }
    self->tls = true;
    return true;
}

/* Plain HTTP beyond loopback only when the caller says so. */
static bool
transport_allowed (const http_server_t *self, const http_listen_t *listen, const struct sockaddr_in *address)
{
    if (self->tls || is_loopback (address) || listen->plain_beyond_loopback)
        return true;
    mot_log_error ("http_tls_required",
                   "address=%s reason=\"a dashboard beyond loopback serves HTTPS: give --http-cert and --http-key"
                   " (or --http-plain yes behind a TLS proxy)\"",
                   listen->address);
    return false;
}

static struct MHD_Daemon *
start_daemon (http_server_t *self, const struct sockaddr_in *address)
{
    struct MHD_OptionItem tls[] = {{MHD_OPTION_HTTPS_MEM_CERT, 0, self->cert},
                                   {MHD_OPTION_HTTPS_MEM_KEY, 0, self->key},
                                   {MHD_OPTION_END, 0, NULL}};
    struct MHD_OptionItem plain[] = {{MHD_OPTION_END, 0, NULL}};
    return MHD_start_daemon (
        MHD_USE_AUTO_INTERNAL_THREAD | (self->tls ? MHD_USE_TLS : 0), 0, NULL, NULL, on_access, self,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *) address,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned) CONNECTION_LIMIT,
        MHD_OPTION_EXTERNAL_LOGGER, mot_health_log_library, (void *) "http_library",
        MHD_OPTION_ARRAY, self->tls ? tls : plain,
        MHD_OPTION_END);
}

http_server_t *
http_server_new (const http_listen_t *listen, http_handler_fn *handler, void *arg)
{
    struct sockaddr_in socket_address;
    if (!mot_health_read_address (listen->address, false, &socket_address)) {
        mot_log_error ("http_failed", "address=%s reason=\"not an IPv4 host:port\"",
                       listen->address ? listen->address : "");
        return NULL;
    }
    http_server_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->handler = handler;
    self->arg = arg;
    if (!load_credentials (self, listen) || !transport_allowed (self, listen, &socket_address)) {
        http_server_destroy (&self);
        return NULL;
    }
    self->daemon = start_daemon (self, &socket_address);
    if (!self->daemon) {
        mot_log_error ("http_failed", "address=%s reason=\"%s\"", listen->address,
                       self->tls ? "cannot listen, or the certificate and key do not load as a pair"
                                 : "cannot listen");
        http_server_destroy (&self);
        return NULL;
    }
    return self;
}

void
http_server_destroy (http_server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    http_server_t *self = *self_p;
    if (self->daemon)
        MHD_stop_daemon (self->daemon);
    if (self->key)
        sodium_memzero (self->key, self->key_size);
    free (self->key);
    free (self->cert);
    free (self);
    *self_p = NULL;
}

bool
http_server_is_tls (const http_server_t *self)
{
    return self->tls;
}

const char *
http_request_path (const http_request_t *self)
{
    return self->asked.path;
}

bool
http_request_is_post (const http_request_t *self)
{
    return self->post;
}

const char *
http_request_param (const http_request_t *self, const char *name)
{
    return http_target_param (&self->asked, name);
}

const char *
http_request_cookie (const http_request_t *self, const char *name)
{
    return MHD_lookup_connection_value (self->connection, MHD_COOKIE_KIND, name);
}
