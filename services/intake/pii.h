/*  pii — personal data of insured persons, kept only as a keyed hash.
 *
 *  Owns: the key (read from a file named in configuration) and the
 *  replacement of a queja's PersonalData (NSS, CURP, name) by one
 *  person_ref = "p-" + hex(BLAKE2b-128 keyed), so that complaints of the same
 *  person can be linked without the data ever being stored, logged or
 *  forwarded in clear.
 */
#ifndef PII_H_INCLUDED
#define PII_H_INCLUDED

#include "mot.pb-c.h"
#include <stdbool.h>

typedef struct _pii_t pii_t;

/* The key is BLAKE2b-256 of the file's content (at least 16 bytes). NULL with
 * a message on stderr when the file cannot be used. */
pii_t *pii_new (const char *key_file);
void pii_destroy (pii_t **self_p);
/* Replaces queja->person by queja->person_ref (frees the person); a
 * person_ref the sender set is dropped (none without a person). Returns
 * false on allocation failure. */
bool pii_pseudonymise (pii_t *self, Mot__V1__Queja *queja);

#endif
