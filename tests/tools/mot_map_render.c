/*  mot_map_render — a test-only driver of the reporter's map renderer
 *  (services/reporter/map_svg.c): reads items from stdin, writes the SVG to
 *  stdout.
 *
 *    mot_map_render [--link PREFIX] mupoi|muro [PERIOD|now [COMPARE]] < lines
 *
 *  One line per item, fields separated by one tab:
 *    item<TAB>ID<TAB>IMPACT<TAB>VERTICAL<TAB>WAS_IMPACT<TAB>WAS_VERTICAL
 *    closed<TAB>ID<TAB>WAS_IMPACT<TAB>WAS_VERTICAL
 *  (WAS_* 0 0: new since the compared period; an empty ID: no id). Empty
 *  lines are skipped. Exit 2 naming the line on a line it cannot use (or bad
 *  arguments), 1 when out of memory.
 */
#include "map_svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 6

/* Splits line at tabs in place; the number of fields, or MAX_FIELDS + 1
 * when there are more. */
static int
split_fields (char *line, char *fields[MAX_FIELDS])
{
    int count = 0;
    char *field = line;
    while (field) {
        if (count == MAX_FIELDS)
            return MAX_FIELDS + 1;
        fields[count++] = field;
        char *tab = strchr (field, '\t');
        if (tab)
            *tab++ = 0;
        field = tab;
    }
    return count;
}

/* A whole decimal number 0..99, else -1. */
static int
score_of (const char *text)
{
    if (!*text || strlen (text) > 2 || strspn (text, "0123456789") != strlen (text))
        return -1;
    return atoi (text);
}

static const char *
id_of (const char *text)
{
    return *text ? text : NULL;
}

/* NULL when the line was used, else why not. */
static const char *
apply_line (map_svg_t *map, char *line)
{
    char *f[MAX_FIELDS] = {NULL};
    int count = split_fields (line, f);
    if (strcmp (f[0], "item") == 0) {
        if (count != 6)
            return "an item line has 6 fields";
        int score[4];
        for (int i = 0; i < 4; i++)
            if ((score[i] = score_of (f[2 + i])) < 0)
                return "a score is not a number";
        if (!map_svg_add_item (map, id_of (f[1]), score[0], score[1], score[2], score[3]))
            return "a score is out of range (1..10, or 0 0 for no earlier position)";
        return NULL;
    }
    if (strcmp (f[0], "closed") == 0) {
        if (count != 4)
            return "a closed line has 4 fields";
        int was_impact = score_of (f[2]), was_vertical = score_of (f[3]);
        if (was_impact < 0 || was_vertical < 0)
            return "a score is not a number";
        if (!map_svg_add_closed (map, id_of (f[1]), was_impact, was_vertical))
            return "a score is out of range (1..10)";
        return NULL;
    }
    return "the line is neither item nor closed";
}

static int
read_items (map_svg_t *map)
{
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long number = 0;
    int status = 0;
    while (status == 0 && (length = getline (&line, &capacity, stdin)) >= 0) {
        number++;
        if (length > 0 && line[length - 1] == '\n')
            line[--length] = 0;
        if (length == 0)
            continue;
        const char *why = apply_line (map, line);
        if (why) {
            fprintf (stderr, "mot_map_render: line %ld: %s\n", number, why);
            status = 2;
        }
    }
    free (line);
    return status;
}

static int
usage (void)
{
    fprintf (stderr, "usage: mot_map_render [--link PREFIX] mupoi|muro [PERIOD|now [COMPARE]] < items\n");
    return 2;
}

int
main (int argc, char **argv)
{
    const char *link = NULL;
    int arg = 1;
    if (arg + 1 < argc && strcmp (argv[arg], "--link") == 0) {
        link = argv[arg + 1];
        arg += 2;
    }
    if (arg >= argc || argc - arg > 3)
        return usage ();
    map_svg_kind_t kind;
    if (strcmp (argv[arg], "mupoi") == 0)
        kind = MAP_SVG_MUPOI;
    else if (strcmp (argv[arg], "muro") == 0)
        kind = MAP_SVG_MURO;
    else
        return usage ();
    const char *period = argc - arg > 1 && strcmp (argv[arg + 1], "now") != 0 ? argv[arg + 1] : NULL;
    const char *compare = argc - arg > 2 ? argv[arg + 2] : NULL;

    map_svg_t *map = map_svg_new (kind);
    if (!map) {
        fprintf (stderr, "mot_map_render: out of memory\n");
        return 1;
    }
    if (!map_svg_set_periods (map, period, compare)) {
        fprintf (stderr, "mot_map_render: a period is not YYYY-MM\n");
        map_svg_destroy (&map);
        return 2;
    }
    int status = map_svg_set_link (map, link) ? read_items (map) : 1;
    size_t size = 0;
    char *svg = status == 0 ? map_svg_render (map, &size) : NULL;
    if (status == 0 && !svg)
        status = 1;
    if (svg && fwrite (svg, 1, size, stdout) != size)
        status = 1;
    if (status == 1)
        fprintf (stderr, "mot_map_render: out of memory or output failed\n");
    free (svg);
    map_svg_destroy (&map);
    return status;
}
