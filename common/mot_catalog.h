/*  mot_catalog — the code catalogues: territories (35 OOAD, 25 UMAE) and
 *  normative bodies (ON).
 *
 *  Owns: loading the data files the ops team edits without a rebuild,
 *  '#' comments and blank lines allowed in both:
 *    deploy/catalog/territories.tsv  one "CODE<TAB>KIND<TAB>Name" per line
 *                                    (KIND is OOAD or UMAE);
 *    deploy/catalog/on.tsv           one "CODE<TAB>Name" per line (kind "ON").
 *  Codes are unique within a file.
 */
#ifndef MOT_CATALOG_H_INCLUDED
#define MOT_CATALOG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _mot_catalog_t mot_catalog_t;

/* The territory catalogue. On a bad file returns NULL and sets *error
 * (malloc'd "PATH:LINE: reason", caller frees). */
mot_catalog_t *mot_catalog_new (const char *path, char **error);
/* The ON catalogue ("CODE<TAB>Name" lines), the same way. */
mot_catalog_t *mot_catalog_new_on (const char *path, char **error);
void mot_catalog_destroy (mot_catalog_t **self_p);
bool mot_catalog_has (mot_catalog_t *self, const char *code);
const char *mot_catalog_name (mot_catalog_t *self, const char *code);   /* NULL if unknown */
const char *mot_catalog_kind (mot_catalog_t *self, const char *code);   /* "OOAD" | "UMAE" | "ON" */
size_t mot_catalog_size (mot_catalog_t *self);

#define MOT_CATALOG_DEFAULT_FILE MOT_DEPLOY_DIR "/catalog/territories.tsv"
#define MOT_ON_CATALOG_DEFAULT_FILE MOT_DEPLOY_DIR "/catalog/on.tsv"

#endif
