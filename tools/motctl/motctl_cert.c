/*  motctl_cert — the `cert` verb: the CURVE certificates the ops team
 *  manages (issue #12), with CZMQ's zcert.
 *
 *  Owns: the layout of the certificates directory (--dir, or MOT_CERTS,
 *  default /etc/mot/certs) and what a certificate's metadata may say:
 *    clients/NAME.cert       the public certificate of each upstream system,
 *                            analyst workstation and subscriber that may
 *                            connect (the services' zauth reads this folder
 *                            and sees additions and removals without a
 *                            restart)
 *    revoked/NAME.cert       revoked ones, moved out of clients/ and kept
 *    servers/NAME.cert, servers/NAME.cert_secret   a service's keypair (its
 *                            public certificate also goes to clients/: a
 *                            service is a client of the ones it connects to)
 *  and the holder's own keypair (--out FILE: FILE and FILE_secret, the
 *  secret readable by its owner only), which never stays in the directory.
 *  Metadata, all in the certificate (authorisation reads it, see issue #12;
 *  the roles and the lists are mot_grant.h's, which the dashboard's
 *  accounts share):
 *    name       the holder: the identity audit trails record
 *    role       upstream | analyst | subscriber | viewer | service
 *    units      the units it publishes as or acts for: UEOD,UAD,… or *
 *    topics     the notice topic prefixes it may read, comma-separated, or *
 *    registers  what it may query: mupoi,muro,items,unclassified,
 *               obligations,audit,positions,status,maps,reports, or *
 *    created    when (UTC)
 *  CZMQ's zauth copies a certificate's metadata into a 512-byte buffer:
 *  create refuses metadata above 400 bytes.
 *
 *    motctl cert create NAME --role ROLE [--units U] [--topics T]
 *                      [--registers R] (--out FILE | --server) [--dir DIR]
 *    motctl cert list [--dir DIR]        one JSON line per certificate
 *    motctl cert revoke NAME [--dir DIR]
 */
#include "motctl.h"
#include "motctl_net.h"

#include "mot_curve.h"
#include "mot_grant.h"

#include <czmq.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CERT_USAGE                                                                                  \
    "usage: motctl cert create NAME --role ROLE [--units U] [--topics T] [--registers R]\n"        \
    "                          (--out FILE | --server) [--dir DIR]\n"                              \
    "       motctl cert list [--dir DIR]\n"                                                          \
    "       motctl cert revoke NAME [--dir DIR]\n"                                                   \
    "  ROLE: upstream, analyst, subscriber, viewer, service; U: units (UEOD,UAD,...) or *;\n"    \
    "  T: notice topic prefixes or *; R: mupoi,muro,items,unclassified,obligations,audit,\n"     \
    "  positions,status,maps,reports or *. DIR: MOT_CERTS, default /etc/mot/certs.\n"

#define MAX_NAME 64
#define MAX_METADATA 400

typedef struct {
    const char *name, *role, *units, *topics, *registers, *out, *dir;
    bool server;
} cert_args_t;

static bool
is_name (const char *name)
{
    size_t length = name ? strlen (name) : 0;
    if (length == 0 || length > MAX_NAME || name[0] == '.')
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
            return false;
    return true;
}

static char *
path_of (const char *dir, const char *folder, const char *name, const char *suffix)
{
    return zsys_sprintf ("%s/%s/%s%s", dir, folder, name, suffix);
}

static bool
make_folder (const char *dir, const char *folder)
{
    char *path = zsys_sprintf ("%s/%s", dir, folder);
    bool ok = path && zsys_dir_create ("%s", path) == 0 && chmod (path, 0755) == 0;   /* public certificates */
    if (!ok)
        fprintf (stderr, "motctl cert: cannot create %s: %s\n", path ? path : folder, strerror (errno));
    zstr_free (&path);
    return ok;
}

/* Prints one JSON line and frees it. */
static void
print_json (json_t *line)
{
    char *text = line ? json_dumps (line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        printf ("%s\n", text);
    free (text);
    json_decref (line);
}

/* ---- create ----------------------------------------------------------------- */

static const char *
refusal_of (const cert_args_t *args)
{
    if (!is_name (args->name))
        return "NAME: 1 to 64 of a-z 0-9 . _ - (not starting with .)";
    mot_grant_set_t set;
    if (!mot_grant_is_role (args->role))
        return "--role: upstream, analyst, subscriber, viewer or service";
    if (args->units && !mot_grant_read_units (args->units, &set))
        return "--units: unit codes (UEOD,UAD,UCS,CV,CAPSOI,CA) separated by commas, or *";
    if (args->topics && !mot_grant_is_topics (args->topics))
        return "--topics: topic prefixes separated by commas, or *";
    if (args->registers && !mot_grant_read_registers (args->registers, &set))
        return "--registers: mupoi,muro,items,unclassified,obligations,audit,positions,status,maps,reports or *";
    if (!args->out == !args->server)
        return "one of --out FILE (a client's keypair) or --server (a service's)";
    return NULL;
}

/* The bytes zauth needs for the metadata: per property 1 + name + 4 + value. */
static size_t
metadata_size (zcert_t *cert)
{
    size_t size = 0;
    zlist_t *keys = zcert_meta_keys (cert);
    for (const char *key = keys ? zlist_first (keys) : NULL; key; key = zlist_next (keys))
        size += 5 + strlen (key) + strlen (zcert_meta (cert, key));
    zlist_destroy (&keys);
    return size;
}

static void
set_metadata (zcert_t *cert, const cert_args_t *args)
{
    char created[32];
    time_t now = time (NULL);
    struct tm fields;
    strftime (created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r (&now, &fields));
    zcert_set_meta (cert, "name", "%s", args->name);
    zcert_set_meta (cert, "role", "%s", args->role);
    zcert_set_meta (cert, "units", "%s", args->units ? args->units : "");
    zcert_set_meta (cert, "topics", "%s", args->topics ? args->topics : "");
    zcert_set_meta (cert, "registers", "%s", args->registers ? args->registers : "");
    zcert_set_meta (cert, "created", "%s", created);
}

/* Whether `path` is free; says so when it is not. */
static bool
is_free (const char *path)
{
    if (path && zsys_file_exists (path))
        fprintf (stderr, "motctl cert: %s exists: revoke it first, or choose another name\n", path);
    return path && !zsys_file_exists (path);
}

/* Writes the certificate where it belongs; false (said) on failure. A
 * client's public certificate goes to clients/ and its keypair to --out; a
 * service's keypair to servers/, and its public certificate to clients/
 * too: a service is the client of the services it connects to. */
static bool
save_certificate (zcert_t *cert, const cert_args_t *args)
{
    char *public_path = path_of (args->dir, "clients", args->name, ".cert");
    char *server_path = args->server ? path_of (args->dir, "servers", args->name, ".cert") : NULL;
    char *secret_out = args->out ? zsys_sprintf ("%s_secret", args->out) : NULL;
    bool ok = is_free (public_path) && (!args->server || is_free (server_path)) && make_folder (args->dir, "clients")
              && (!args->server || make_folder (args->dir, "servers"));
    mode_t old = umask (077);                   /* secrets readable by their owner only */
    if (ok && args->server)
        ok = server_path && zcert_save (cert, server_path) == 0;        /* NAME.cert and NAME.cert_secret */
    else
    if (ok)
        ok = secret_out && zcert_save (cert, args->out) == 0;
    ok = ok && zcert_save_public (cert, public_path) == 0;
    umask (old);
    if (ok && (chmod (public_path, 0644) != 0 || (server_path && chmod (server_path, 0644) != 0)))
        ok = false;
    if (!ok)
        fprintf (stderr, "motctl cert: could not write the certificate %s\n", public_path ? public_path : "");
    else
        print_json (json_pack ("{s:s, s:s, s:s, s:s?}", "name", args->name, "public_key", zcert_public_txt (cert),
                               "certificate", server_path ? server_path : public_path, "secret", secret_out));
    zstr_free (&public_path);
    zstr_free (&server_path);
    zstr_free (&secret_out);
    return ok;
}

static int
create_certificate (const cert_args_t *args)
{
    const char *refusal = refusal_of (args);
    if (refusal) {
        fprintf (stderr, "motctl cert create: %s\n", refusal);
        return 2;
    }
    zcert_t *cert = zcert_new ();
    if (!cert)
        return 1;
    set_metadata (cert, args);
    int rc = 0;
    if (metadata_size (cert) > MAX_METADATA) {
        fprintf (stderr, "motctl cert create: the metadata takes %zu bytes, more than %d (zauth's limit): "
                 "shorten --topics or --registers, or use *\n", metadata_size (cert), MAX_METADATA);
        rc = 2;
    }
    else
    if (!save_certificate (cert, args))
        rc = 1;
    zcert_destroy (&cert);
    return rc;
}

/* ---- list and revoke ------------------------------------------------------------- */

static void
print_certificate (const char *path, const char *state)
{
    zcert_t *cert = zcert_load (path);
    if (!cert) {
        fprintf (stderr, "motctl cert list: %s is not a certificate\n", path);
        return;
    }
    json_t *line = json_object ();
    static const char *const keys[] = {"name", "role", "units", "topics", "registers", "created", NULL};
    for (size_t i = 0; line && keys[i]; i++) {
        const char *value = zcert_meta (cert, keys[i]);
        json_object_set_new (line, keys[i], value ? json_string (value) : json_null ());
    }
    json_object_set_new (line, "state", json_string (state));
    json_object_set_new (line, "public_key", json_string (zcert_public_txt (cert)));
    char fingerprint[MOT_CURVE_FINGERPRINT_LENGTH + 1];
    if (mot_curve_fingerprint (zcert_public_txt (cert), fingerprint))
        json_object_set_new (line, "fingerprint", json_string (fingerprint));
    print_json (line);
    zcert_destroy (&cert);
}

static void
list_folder (const char *dir, const char *folder, const char *state)
{
    char *path = zsys_sprintf ("%s/%s", dir, folder);
    zdir_t *files = path ? zdir_new (path, NULL) : NULL;
    zlist_t *list = files ? zdir_list (files) : NULL;
    for (zfile_t *file = list ? zlist_first (list) : NULL; file; file = zlist_next (list)) {
        const char *name = zfile_filename (file, NULL);
        size_t length = strlen (name);
        if (length > 5 && strcmp (name + length - 5, ".cert") == 0)
            print_certificate (name, state);
    }
    zlist_destroy (&list);
    zdir_destroy (&files);
    zstr_free (&path);
}

static int
revoke_certificate (const cert_args_t *args)
{
    if (!is_name (args->name)) {
        fprintf (stderr, "motctl cert revoke: NAME: 1 to 64 of a-z 0-9 . _ -\n");
        return 2;
    }
    char *from = path_of (args->dir, "clients", args->name, ".cert");
    char *to = path_of (args->dir, "revoked", args->name, ".cert");
    int rc = 1;
    if (from && to && !zsys_file_exists (from))
        fprintf (stderr, "motctl cert revoke: no certificate %s\n", from);
    else
    if (from && to && make_folder (args->dir, "revoked") && rename (from, to) == 0) {
        print_json (json_pack ("{s:s, s:s, s:s}", "name", args->name, "state", "revoked", "certificate", to));
        rc = 0;
    }
    else
        fprintf (stderr, "motctl cert revoke: cannot move %s: %s\n", from ? from : "", strerror (errno));
    zstr_free (&from);
    zstr_free (&to);
    return rc;
}

/* ---- the verb ---------------------------------------------------------------------- */

static bool
parse_args (int argc, char **argv, cert_args_t *args)
{
    args->dir = motctl_env ("MOT_CERTS", "/etc/mot/certs");
    for (int i = 2; i < argc; i++) {
        const char *value = NULL;
        const char **slot = NULL;
        if (motctl_take_option (argc, argv, &i, "role", &value))
            slot = &args->role;
        else if (motctl_take_option (argc, argv, &i, "units", &value))
            slot = &args->units;
        else if (motctl_take_option (argc, argv, &i, "topics", &value))
            slot = &args->topics;
        else if (motctl_take_option (argc, argv, &i, "registers", &value))
            slot = &args->registers;
        else if (motctl_take_option (argc, argv, &i, "out", &value))
            slot = &args->out;
        else if (motctl_take_option (argc, argv, &i, "dir", &value))
            slot = &args->dir;
        else if (strcmp (argv[i], "--server") == 0) {
            args->server = true;
            continue;
        }
        else if (!args->name && argv[i][0] != '-') {
            args->name = argv[i];
            continue;
        }
        if (!slot || !value)
            return false;
        *slot = value;
    }
    return true;
}

int
motctl_cert (int argc, char **argv)
{
    cert_args_t args = {0};
    const char *action = argc > 1 ? argv[1] : "";
    if (!parse_args (argc, argv, &args)) {
        fprintf (stderr, CERT_USAGE);
        return 2;
    }
    if (strcmp (action, "create") == 0)
        return create_certificate (&args);
    if (strcmp (action, "revoke") == 0)
        return revoke_certificate (&args);
    if (strcmp (action, "list") == 0 && !args.name) {
        list_folder (args.dir, "clients", "active");
        list_folder (args.dir, "revoked", "revoked");
        list_folder (args.dir, "servers", "server");
        return 0;
    }
    fprintf (stderr, CERT_USAGE);
    return 2;
}
