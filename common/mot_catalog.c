/*  mot_catalog — the territory and ON catalogues, from TSV data files (see
 *  mot_catalog.h).
 */
#include "mot_catalog.h"
#include "mot_datafile.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *kind;
    char *name;
} territory_t;

struct _mot_catalog_t {
    zhashx_t *territories;      /* code → territory_t (an ON is one of kind "ON") */
    bool with_kind;             /* lines are CODE, KIND, Name (territories) or CODE, Name (ON) */
};

static void
territory_destroy (void **item)
{
    territory_t *territory = (territory_t *) *item;
    if (territory) {
        free (territory->kind);
        free (territory->name);
        free (territory);
    }
    *item = NULL;
}

/* Splits "CODE\tKIND\tName" in place. */
static const char *
parse_line (char *line, char **code, char **kind, char **name)
{
    line[strcspn (line, "\r\n")] = 0;
    *code = line;
    char *tab = strchr (line, '\t');
    if (!tab)
        return "expected CODE<TAB>KIND<TAB>Name";
    *tab = 0;
    *kind = tab + 1;
    tab = strchr (*kind, '\t');
    if (!tab)
        return "expected CODE<TAB>KIND<TAB>Name";
    *tab = 0;
    *name = tab + 1;
    if (!**code || !**name)
        return "empty code or name";
    if (strcmp (*kind, "OOAD") != 0 && strcmp (*kind, "UMAE") != 0)
        return "KIND must be OOAD or UMAE";
    return NULL;
}

static const char *
add_territory (mot_catalog_t *self, const char *code, const char *kind, const char *name)
{
    if (zhashx_lookup (self->territories, code))
        return "duplicate code";
    territory_t *territory = calloc (1, sizeof *territory);
    if (!territory)
        return "out of memory";
    territory->kind = strdup (kind);
    territory->name = strdup (name);
    if (!territory->kind || !territory->name || zhashx_insert (self->territories, code, territory) != 0) {
        void *item = territory;
        territory_destroy (&item);
        return "out of memory";
    }
    return NULL;
}

/* Splits "CODE\tName" in place. */
static const char *
parse_on_line (char *line, char **code, char **name)
{
    line[strcspn (line, "\r\n")] = 0;
    *code = line;
    char *tab = strchr (line, '\t');
    if (!tab)
        return "expected CODE<TAB>Name";
    *tab = 0;
    *name = tab + 1;
    if (!**code || !**name)
        return "empty code or name";
    if (strchr (*name, '\t'))
        return "expected CODE<TAB>Name (one tab)";
    return NULL;
}

static const char *
take_line (char *line, size_t number, void *arg)
{
    (void) number;
    mot_catalog_t *self = (mot_catalog_t *) arg;
    char *code, *kind = "ON", *name;
    const char *reason = self->with_kind ? parse_line (line, &code, &kind, &name) : parse_on_line (line, &code, &name);
    return reason ? reason : add_territory (self, code, kind, name);
}

static mot_catalog_t *
catalog_load (const char *path, bool with_kind, char **error)
{
    *error = NULL;
    mot_catalog_t *self = calloc (1, sizeof *self);
    if (self) {
        self->with_kind = with_kind;
        self->territories = zhashx_new ();
    }
    if (!self || !self->territories) {
        mot_catalog_destroy (&self);
        *error = zsys_sprintf ("%s:0: out of memory", path);
        return NULL;
    }
    zhashx_set_destructor (self->territories, territory_destroy);
    if (!mot_datafile_read (path, take_line, self, NULL, error))
        mot_catalog_destroy (&self);
    return self;
}

mot_catalog_t *
mot_catalog_new (const char *path, char **error)
{
    return catalog_load (path, true, error);
}

mot_catalog_t *
mot_catalog_new_on (const char *path, char **error)
{
    return catalog_load (path, false, error);
}

void
mot_catalog_destroy (mot_catalog_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zhashx_destroy (&(*self_p)->territories);
    free (*self_p);
    *self_p = NULL;
}

bool
mot_catalog_has (mot_catalog_t *self, const char *code)
{
    return code && zhashx_lookup (self->territories, code) != NULL;
}

const char *
mot_catalog_name (mot_catalog_t *self, const char *code)
{
    territory_t *territory = code ? zhashx_lookup (self->territories, code) : NULL;
    return territory ? territory->name : NULL;
}

const char *
mot_catalog_kind (mot_catalog_t *self, const char *code)
{
    territory_t *territory = code ? zhashx_lookup (self->territories, code) : NULL;
    return territory ? territory->kind : NULL;
}

size_t
mot_catalog_size (mot_catalog_t *self)
{
    return zhashx_size (self->territories);
}
