/*  mot_csv — RFC 4180 CSV text.
 *
 *  Owns: how one field and one record are written. A field is quoted when it
 *  contains a comma, a double quote, CR or LF (or starts/ends with a space,
 *  which some readers trim); quotes inside are doubled. Records end in CRLF.
 *  Bytes are copied as they are, so UTF-8 text stays UTF-8.
 */
#ifndef MOT_CSV_H_INCLUDED
#define MOT_CSV_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when `field` must be written between quotes. */
bool mot_csv_needs_quotes (const char *field);
/* A new copy of `field` as it appears in a CSV record (caller frees);
 * NULL is written as the empty field. NULL on allocation failure. */
char *mot_csv_quote (const char *field);
/* Writes one field (no separator). False on a write error. */
bool mot_csv_write_field (FILE *out, const char *field);
/* Writes `count` fields separated by commas and the CRLF record end. */
bool mot_csv_write_record (FILE *out, const char *const *fields, size_t count);

#endif
