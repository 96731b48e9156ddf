/*  mot_xlsx_write — a test-only driver of motctl's workbook writer
 *  (tools/motctl/motctl_xlsx.c): reads a register as the reporter's JSON
 *  from stdin and writes it to FILE, with no reporter.
 *
 *    mot_xlsx_write FILE [COLUMN...] < register.json
 *
 *  COLUMNs name the columns of a register without rows (what motctl takes
 *  from the CSV header). Exit 0 written, 1 refused (the reason on stderr),
 *  2 bad arguments.
 */
#include "motctl_xlsx.h"

#include <stdio.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
    if (argc < 2) {
        fprintf (stderr, "usage: mot_xlsx_write FILE [COLUMN...] < register.json\n");
        return 2;
    }
    json_error_t parse;
    json_t *reg = json_loadf (stdin, 0, &parse);
    if (!reg) {
        fprintf (stderr, "mot_xlsx_write: stdin is not JSON: %s\n", parse.text);
        return 1;
    }
    char *error = NULL;
    motctl_xlsx_t *book = motctl_xlsx_new (reg, &error);
    bool ok = book && motctl_xlsx_set_columns (book, (const char *const *) argv + 2, (size_t) argc - 2)
              && motctl_xlsx_save (book, argv[1], &error);
    if (!ok)
        fprintf (stderr, "mot_xlsx_write: %s\n", error ? error : "out of memory");
    free (error);
    motctl_xlsx_destroy (&book);
    json_decref (reg);
    return ok ? 0 : 1;
}
