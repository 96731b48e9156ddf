/*  mot_grant — roles, units and registers as certificates and accounts
 *  write them: see mot_grant.h.
 */
#include "mot_grant.h"
#include "mot_wire.h"

#include <stdio.h>
#include <string.h>

static const char *const ROLES[] = {"upstream", "analyst", "subscriber", "viewer", "service", NULL};
static const char *const REGISTERS[MOT_REGISTER_COUNT + 1] = {
    "mupoi", "muro", "items", "unclassified", "obligations", "audit", "positions", "status", "maps", "reports", NULL};

/* A word of a list: its bit in the set, false when it is not a name. */
typedef bool (word_reader_fn) (const char *word, size_t length, mot_grant_set_t *bit);

static bool
is_printable (const char *word, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (word[i] <= ' ' || word[i] > '~')
            return false;
    return length > 0;
}

static bool
read_unit (const char *word, size_t length, mot_grant_set_t *bit)
{
    char unit[16];
    Mot__V1__Source source;
    if (!is_printable (word, length) || length >= sizeof unit)
        return false;
    memcpy (unit, word, length);
    unit[length] = '\0';
    if (!mot_source_parse (unit, &source) || (unsigned) source >= 32)
        return false;
    *bit = (mot_grant_set_t) 1 << (unsigned) source;
    return true;
}

static bool
read_register (const char *word, size_t length, mot_grant_set_t *bit)
{
    for (size_t i = 0; REGISTERS[i]; i++)
        if (strlen (REGISTERS[i]) == length && strncmp (REGISTERS[i], word, length) == 0) {
            *bit = (mot_grant_set_t) 1 << i;
            return true;
        }
    return false;
}

static bool
read_topic (const char *word, size_t length, mot_grant_set_t *bit)
{
    *bit = 0;
    return is_printable (word, length);
}

/* "*" alone, or words separated by commas, each read by `read_word`. */
static bool
read_list (const char *text, word_reader_fn *read_word, mot_grant_set_t *set)
{
    *set = 0;
    if (!text)
        return false;
    if (strcmp (text, "*") == 0) {
        *set = MOT_GRANT_ALL;
        return true;
    }
    for (const char *word = text;;) {
        const char *comma = strchr (word, ',');
        size_t length = comma ? (size_t) (comma - word) : strlen (word);
        mot_grant_set_t bit = 0;
        if (!read_word (word, length, &bit))
            return false;
        *set |= bit;
        if (!comma)
            return true;
        word = comma + 1;
    }
}

const char *
mot_register_name (mot_register_t which)
{
    return (unsigned) which < MOT_REGISTER_COUNT ? REGISTERS[which] : "";
}

bool
mot_grant_is_role (const char *role)
{
    for (size_t i = 0; role && ROLES[i]; i++)
        if (strcmp (ROLES[i], role) == 0)
            return true;
    return false;
}

bool
mot_grant_read_units (const char *text, mot_grant_set_t *units)
{
    return read_list (text, read_unit, units);
}

bool
mot_grant_read_registers (const char *text, mot_grant_set_t *registers)
{
    return read_list (text, read_register, registers);
}

bool
mot_grant_is_topics (const char *text)
{
    mot_grant_set_t none;
    return read_list (text, read_topic, &none);
}

bool
mot_grant_has_register (mot_grant_set_t registers, mot_register_t which)
{
    return (unsigned) which < MOT_REGISTER_COUNT && (registers >> which) & 1u;
}

bool
mot_grant_has_any_unit (mot_grant_set_t set, const char *units)
{
    for (const char *word = units; word && *word;) {
        const char *comma = strchr (word, ',');
        size_t length = comma ? (size_t) (comma - word) : strlen (word);
        mot_grant_set_t bit = 0;
        if (read_unit (word, length, &bit) && (set & bit))
            return true;
        word = comma ? comma + 1 : NULL;
    }
    return false;
}

void
mot_grant_units_text (mot_grant_set_t set, char *out)
{
    out[0] = '\0';
    if (set == MOT_GRANT_ALL) {
        strcpy (out, "*");
        return;
    }
    size_t used = 0;
    for (unsigned source = 1; source < 32; source++) {
        const char *name = mot_source_name ((int) source);
        if (!((set >> source) & 1u) || !*name || used + strlen (name) + 2 > MOT_GRANT_UNITS_TEXT)
            continue;
        used += (size_t) snprintf (out + used, MOT_GRANT_UNITS_TEXT - used, "%s%s", used ? "," : "", name);
    }
}
