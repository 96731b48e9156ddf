/*  motctl_pdf — a PDF of an HTML document, printed by headless Chromium.
 *
 *  Owns: running the browser (MOT_CHROMIUM, default "chromium" on the
 *  PATH; Debian's package) on the document in a private temporary folder
 *  (the document, the browser's profile), with no header or footer on the
 *  pages, and checking that what it wrote is a PDF. The page size and
 *  margins are the document's own (@page). As root the browser runs
 *  without its sandbox (it refuses to start otherwise).
 */
#ifndef MOTCTL_PDF_H_INCLUDED
#define MOTCTL_PDF_H_INCLUDED

#include <stddef.h>

/* Writes the PDF of `html` (size bytes) to `path`. 0 when done; 1 with the
 * reason on stderr (the browser missing or failing, no PDF written). */
int motctl_pdf_write (const void *html, size_t size, const char *path);

#endif
