/*  mot_catalog — the territory catalogue (35 OOAD, 25 UMAE).
 *
 *  Owns: loading deploy/catalog/territories.tsv, a data file the ops team
 *  edits without a rebuild: one "CODE<TAB>KIND<TAB>Name" per line (KIND is
 *  OOAD or UMAE), '#' comments and blank lines allowed.
 */
#ifndef MOT_CATALOG_H_INCLUDED
#define MOT_CATALOG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _mot_catalog_t mot_catalog_t;

/* On a bad file returns NULL and sets *error (malloc'd, caller frees). */
mot_catalog_t *mot_catalog_new (const char *path, char **error);
void mot_catalog_destroy (mot_catalog_t **self_p);
bool mot_catalog_has (mot_catalog_t *self, const char *code);
const char *mot_catalog_name (mot_catalog_t *self, const char *code);   /* NULL if unknown */
const char *mot_catalog_kind (mot_catalog_t *self, const char *code);   /* "OOAD" | "UMAE" */
size_t mot_catalog_size (mot_catalog_t *self);

#define MOT_CATALOG_DEFAULT_FILE MOT_DEPLOY_DIR "/catalog/territories.tsv"

#endif
