/*  replay_main — a harness as a plain test (no clang, no libFuzzer): feeds
 *  every file of the folders named on the command line to
 *  LLVMFuzzerTestOneInput, in name order. The first folder is the harness's
 *  seed corpus and must hold at least one file (so a moved corpus fails the
 *  test instead of passing it empty); the others (kept crash reproducers)
 *  may be missing or empty. A crash, a sanitizer report or a broken
 *  invariant fails the test; it says which file it was on first.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static int
by_name (const struct dirent **a, const struct dirent **b)
{
    return strcmp ((*a)->d_name, (*b)->d_name);
}

static bool
read_file (const char *path, uint8_t **data, size_t *size)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return false;
    bool ok = fseek (file, 0, SEEK_END) == 0;
    long length = ok ? ftell (file) : -1;
    ok = length >= 0 && fseek (file, 0, SEEK_SET) == 0;
    *size = ok ? (size_t) length : 0;
    *data = ok ? malloc (*size + 1) : NULL;
    ok = *data && fread (*data, 1, *size, file) == *size;
    fclose (file);
    if (!ok) {
        free (*data);
        *data = NULL;
    }
    return ok;
}

/* Replays the regular files of `folder`; -1 when it cannot be read. */
static long
replay_folder (const char *folder)
{
    struct dirent **names = NULL;
    int count = scandir (folder, &names, NULL, by_name);
    if (count < 0)
        return -1;
    long replayed = 0;
    for (int i = 0; i < count; i++) {
        char path[4096];
        bool skip = names[i]->d_name[0] == '.';
        if (!skip && snprintf (path, sizeof path, "%s/%s", folder, names[i]->d_name) < (int) sizeof path) {
            uint8_t *data = NULL;
            size_t size = 0;
            if (read_file (path, &data, &size)) {
                fprintf (stderr, "replay %s (%zu bytes)\n", path, size);
                LLVMFuzzerTestOneInput (data, size);
                free (data);
                replayed++;
            }
        }
        free (names[i]);
    }
    free (names);
    return replayed;
}

int
main (int argc, char **argv)
{
    if (argc < 2) {
        fprintf (stderr, "usage: %s CORPUS [CRASHES...]\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize (&argc, &argv);
    long total = 0;
    for (int i = 1; i < argc; i++) {
        long replayed = replay_folder (argv[i]);
        if (i == 1 && replayed <= 0) {
            fprintf (stderr, "%s: no seed inputs\n", argv[i]);
            return 1;
        }
        total += replayed > 0 ? replayed : 0;
    }
    printf ("%ld inputs replayed\n", total);
    return 0;
}
