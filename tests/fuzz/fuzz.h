/*  fuzz — what every libFuzzer harness of tests/fuzz/ shares.
 *
 *  Owns: the entry points a harness defines (libFuzzer's), and the helpers
 *  they share: quiet logs (a harness drives code that logs refusals on
 *  stderr), an in-memory file with a path for the readers that open data
 *  files by name, the shipped catalogues, and an envelope packed and
 *  decoded again.
 *  Each harness is built twice: with clang and -fsanitize=fuzzer (MOT_FUZZ,
 *  tests/fuzz/run.sh), and as a plain executable with replay_main.c that
 *  feeds it every file of its corpus and of its crashes folder (ctest,
 *  label fuzz-regression).
 */
#ifndef FUZZ_H_INCLUDED
#define FUZZ_H_INCLUDED

#include "mot.pb-c.h"
#include "mot_catalog.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <czmq.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Logs below ERROR are dropped (called once, before the first input). */
void fuzz_quiet_logs (void);

/* A path naming `size` bytes of `data` (an anonymous memory file, reused
 * from call to call: the path stays the same), or NULL when it cannot be
 * made. `slot` picks one of a few such files (0..3), for readers that take
 * several. */
const char *fuzz_file (int slot, const uint8_t *data, size_t size);

/* A malloc'd copy of data[0..size) ending in a NUL. */
char *fuzz_strndup (const uint8_t *data, size_t size);

/* Splits data at the first occurrence of the byte sequence `separator`:
 * the part before into (*head, *head_size), the rest into (*tail,
 * *tail_size). False (and *head = all) when it does not occur. */
bool fuzz_split (const uint8_t *data, size_t size, const char *separator, const uint8_t **head, size_t *head_size,
                 const uint8_t **tail, size_t *tail_size);

/* The shipped territory and ON catalogues, loaded (aborts when they do not load). */
void fuzz_shipped_catalogues (mot_catalog_t **territories, mot_catalog_t **ons);

/* The envelope packed as intake stores it, its frame into *packed (caller
 * destroys), and decoded again (caller frees; aborts when it does not
 * decode: what was packed must be readable). */
Mot__V1__Envelope *fuzz_repacked (const Mot__V1__Envelope *envelope, zframe_t **packed);

/* Aborts with the message when `condition` is false: a broken invariant is
 * a crash libFuzzer keeps. */
#define FUZZ_ASSERT(condition) ((condition) ? (void) 0 : fuzz_fail (#condition, __FILE__, __LINE__))
void fuzz_fail (const char *what, const char *file, int line) __attribute__ ((noreturn));

#endif
