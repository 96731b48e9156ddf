/*  mot_csv — RFC 4180 CSV text (see mot_csv.h).
 */
#include "mot_csv.h"

#include <stdlib.h>
#include <string.h>

bool
mot_csv_needs_quotes (const char *field)
{
    if (!field || !*field)
        return false;
    size_t length = strlen (field);
    if (field[0] == ' ' || field[length - 1] == ' ')
        return true;
    return strpbrk (field, ",\"\r\n") != NULL;
}

static size_t
count_quotes (const char *field)
{
    size_t count = 0;
    for (const char *c = field; *c; c++)
        count += *c == '"';
    return count;
}

char *
mot_csv_quote (const char *field)
{
    if (!field)
        field = "";
    if (!mot_csv_needs_quotes (field))
        return strdup (field);
    size_t length = strlen (field) + count_quotes (field) + 2;
    char *quoted = malloc (length + 1);
    if (!quoted)
        return NULL;
    char *out = quoted;
    *out++ = '"';
    for (const char *c = field; *c; c++) {
        if (*c == '"')
            *out++ = '"';
        *out++ = *c;
    }
    *out++ = '"';
    *out = '\0';
    return quoted;
}

bool
mot_csv_write_field (FILE *out, const char *field)
{
    char *quoted = mot_csv_quote (field);
    if (!quoted)
        return false;
    bool ok = fputs (quoted, out) >= 0;
    free (quoted);
    return ok;
}

bool
mot_csv_write_record (FILE *out, const char *const *fields, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && fputc (',', out) == EOF)
            return false;
        if (!mot_csv_write_field (out, fields[i]))
            return false;
    }
    return fputs ("\r\n", out) >= 0;
}
