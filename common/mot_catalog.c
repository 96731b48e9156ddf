/*  mot_catalog — the territory catalogue, from a TSV data file.
 */
#include "mot_catalog.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *kind;
    char *name;
} territory_t;

struct _mot_catalog_t {
    zhashx_t *territories;      /* code → territory_t */
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

static char *
format_error (const char *path, size_t line, const char *reason)
{
    return zsys_sprintf ("%s:%zu: %s", path, line, reason);
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

static bool
load_file (mot_catalog_t *self, FILE *file, const char *path, char **error)
{
    char *line = NULL;
    size_t capacity = 0;
    size_t number = 0;
    const char *reason = NULL;
    while (!reason && getline (&line, &capacity, file) >= 0) {
        number++;
        if (line[0] == '#' || line[strspn (line, " \t\r\n")] == 0)
            continue;
        char *code, *kind, *name;
        reason = parse_line (line, &code, &kind, &name);
        if (!reason)
            reason = add_territory (self, code, kind, name);
    }
    free (line);
    if (reason)
        *error = format_error (path, number, reason);
    return reason == NULL;
}

mot_catalog_t *
mot_catalog_new (const char *path, char **error)
{
    *error = NULL;
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = format_error (path, 0, "cannot open");
        return NULL;
    }
    mot_catalog_t *self = calloc (1, sizeof *self);
    if (self)
        self->territories = zhashx_new ();
    if (!self || !self->territories) {
        fclose (file);
        mot_catalog_destroy (&self);
        *error = format_error (path, 0, "out of memory");
        return NULL;
    }
    zhashx_set_destructor (self->territories, territory_destroy);
    bool ok = load_file (self, file, path, error);
    fclose (file);
    if (!ok)
        mot_catalog_destroy (&self);
    return self;
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
