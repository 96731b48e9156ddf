/*  motctl_pdf — a PDF of an HTML document, printed by headless Chromium
 *  (see motctl_pdf.h).
 */
#include "motctl_pdf.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes the document into the folder; its path (caller frees) or NULL. */
static char *
write_document (const char *folder, const void *html, size_t size)
{
    char *path = zsys_sprintf ("%s/informe.html", folder);
    FILE *file = path ? fopen (path, "wb") : NULL;
    bool ok = file && fwrite (html, 1, size, file) == size;
    if (file && fclose (file) != 0)
        ok = false;
    if (!ok) {
        fprintf (stderr, "motctl: cannot write a temporary file in %s: %s\n", folder, strerror (errno));
        free (path);
        return NULL;
    }
    return path;
}

/* Runs the browser; its exit status (-1 when it could not run). */
static int
run_browser (const char *folder, const char *document, const char *pdf)
{
    const char *browser = getenv ("MOT_CHROMIUM") && *getenv ("MOT_CHROMIUM") ? getenv ("MOT_CHROMIUM") : "chromium";
    char *profile = zsys_sprintf ("--user-data-dir=%s/profile", folder);
    char *output = zsys_sprintf ("--print-to-pdf=%s", pdf);
    char *url = zsys_sprintf ("file://%s", document);
    int status = -1;
    if (profile && output && url) {
        const char *argv[] = {browser, "--headless=new", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
                              profile, output, url, geteuid () == 0 ? "--no-sandbox" : NULL, NULL};
        pid_t child = fork ();
        if (child == 0) {
            int null = open ("/dev/null", O_WRONLY);
            if (null >= 0) {                    /* the browser's chatter is not ours */
                dup2 (null, STDOUT_FILENO);
                dup2 (null, STDERR_FILENO);
            }
            execvp (browser, (char *const *) argv);
            _exit (127);
        }
        int wstatus;
        if (child > 0 && waitpid (child, &wstatus, 0) == child && WIFEXITED (wstatus))
            status = WEXITSTATUS (wstatus);
    }
    free (profile);
    free (output);
    free (url);
    return status;
}

/* The path made absolute (the browser runs in its own folder); caller frees. */
static char *
absolute_path (const char *path)
{
    if (path[0] == '/')
        return strdup (path);
    char *cwd = getcwd (NULL, 0);
    char *out = cwd ? zsys_sprintf ("%s/%s", cwd, path) : NULL;
    free (cwd);
    return out;
}

static bool
is_pdf (const char *path)
{
    char magic[5] = "";
    FILE *file = fopen (path, "rb");
    bool ok = file && fread (magic, 1, 5, file) == 5 && memcmp (magic, "%PDF-", 5) == 0;
    if (file)
        fclose (file);
    return ok;
}

int
motctl_pdf_write (const void *html, size_t size, const char *path)
{
    char folder[] = "/tmp/motctl-pdf.XXXXXX";
    if (!mkdtemp (folder)) {
        fprintf (stderr, "motctl: cannot make a temporary folder: %s\n", strerror (errno));
        return 1;
    }
    char *document = write_document (folder, html, size);
    char *absolute = NULL;
    int rc = 1;
    if (document) {
        absolute = absolute_path (path);
        if (absolute) {
            unlink (absolute);
            int status = run_browser (folder, document, absolute);
            if (status == 0 && is_pdf (absolute))
                rc = 0;
            else {
                fprintf (stderr, "motctl: the browser (%s) did not print a PDF (exit %d)\n",
                         getenv ("MOT_CHROMIUM") ? getenv ("MOT_CHROMIUM") : "chromium", status);
                unlink (absolute);
            }
        }
    }
    zdir_t *dir = zdir_new (folder, NULL);
    if (dir) {
        zdir_remove (dir, true);
        zdir_destroy (&dir);
    }
    rmdir (folder);
    free (document);
    free (absolute);
    return rc;
}
