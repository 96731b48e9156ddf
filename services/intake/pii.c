/*  pii — personal data of insured persons, kept only as a keyed hash.
 */
#include "pii.h"
#include "mot_text.h"

#include <czmq.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PII_REF_BYTES 16

struct _pii_t {
    unsigned char key[crypto_generichash_KEYBYTES];
};

static bool
read_key_material (const char *path, unsigned char *key)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return false;
    crypto_generichash_state state;
    unsigned char chunk[256];
    size_t total = 0, got;
    crypto_generichash_init (&state, NULL, 0, crypto_generichash_KEYBYTES);
    while ((got = fread (chunk, 1, sizeof chunk, file)) > 0) {
        crypto_generichash_update (&state, chunk, got);
        total += got;
    }
    bool ok = !ferror (file) && total >= 16;
    fclose (file);
    crypto_generichash_final (&state, key, crypto_generichash_KEYBYTES);
    sodium_memzero (chunk, sizeof chunk);
    return ok;
}

pii_t *
pii_new (const char *key_file)
{
    if (sodium_init () < 0) {
        fprintf (stderr, "mot-intake: libsodium failed to initialise\n");
        return NULL;
    }
    pii_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (!key_file || !*key_file || !read_key_material (key_file, self->key)) {
        fprintf (stderr, "mot-intake: cannot read the personal-data key file '%s' "
                         "(--pii-key-file, MOT_PII_KEY_FILE; at least 16 bytes)\n",
                 key_file ? key_file : "");
        pii_destroy (&self);
        return NULL;
    }
    return self;
}

void
pii_destroy (pii_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sodium_memzero ((*self_p)->key, sizeof (*self_p)->key);
    free (*self_p);
    *self_p = NULL;
}

/* The identifier to hash: NSS first, else CURP, else the normalised name,
 * each with its own prefix so they never collide. NULL when there is none. */
static char *
person_identity (const Mot__V1__PersonalData *person)
{
    if (person->nss && *person->nss)
        return zsys_sprintf ("nss:%s", person->nss);
    if (person->curp && *person->curp)
        return zsys_sprintf ("curp:%s", person->curp);
    if (person->full_name && *person->full_name) {
        char *name = mot_text_normalise (person->full_name);
        char *identity = name ? zsys_sprintf ("name:%s", name) : NULL;
        free (name);
        return identity;
    }
    return NULL;
}

bool
pii_pseudonymise (pii_t *self, Mot__V1__Queja *queja)
{
    /* Only intake sets a person_ref: one the sender wrote is not kept (it
     * could hold personal data in clear, or link to another person). */
    free (queja->person_ref);
    queja->person_ref = NULL;
    if (!queja->person)
        return true;
    char *identity = person_identity (queja->person);
    protobuf_c_message_free_unpacked (&queja->person->base, NULL);
    queja->person = NULL;
    if (!identity)
        return true;
    unsigned char digest[PII_REF_BYTES];
    crypto_generichash (digest, sizeof digest, (const unsigned char *) identity, strlen (identity),
                        self->key, sizeof self->key);
    sodium_memzero (identity, strlen (identity));
    zstr_free (&identity);
    char hex[2 * PII_REF_BYTES + 1];
    sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
    /* The string belongs to the unpacked message: protobuf-c frees it with
     * the default allocator (free), so malloc it the same way. */
    queja->person_ref = zsys_sprintf ("p-%s", hex);
    return queja->person_ref != NULL;
}
