/*  fuzz_util — the helpers of fuzz.h.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "mot_wire.h"
#include "mot_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 4

void
fuzz_quiet_logs (void)
{
    mot_log_init ("fuzz", "error");
}

const char *
fuzz_file (int slot, const uint8_t *data, size_t size)
{
    static int fds[SLOTS] = {-1, -1, -1, -1};
    static char paths[SLOTS][64];
    if (slot < 0 || slot >= SLOTS)
        return NULL;
    if (fds[slot] < 0) {
        fds[slot] = memfd_create ("fuzz", 0);
        if (fds[slot] < 0)
            return NULL;
        snprintf (paths[slot], sizeof paths[slot], "/proc/self/fd/%d", fds[slot]);
    }
    int fd = fds[slot];
    if (ftruncate (fd, 0) != 0 || lseek (fd, 0, SEEK_SET) != 0)
        return NULL;
    size_t done = 0;
    while (done < size) {
        ssize_t wrote = write (fd, data + done, size - done);
        if (wrote <= 0)
            return NULL;
        done += (size_t) wrote;
    }
    return paths[slot];
}

char *
fuzz_strndup (const uint8_t *data, size_t size)
{
    char *copy = malloc (size + 1);
    if (!copy)
        return NULL;
    if (size)
        memcpy (copy, data, size);
    copy[size] = '\0';
    return copy;
}

bool
fuzz_split (const uint8_t *data, size_t size, const char *separator, const uint8_t **head, size_t *head_size,
            const uint8_t **tail, size_t *tail_size)
{
    size_t length = strlen (separator);
    const uint8_t *found = size >= length ? memmem (data, size, separator, length) : NULL;
    *head = data;
    *head_size = found ? (size_t) (found - data) : size;
    *tail = found ? found + length : data + size;
    *tail_size = found ? size - *head_size - length : 0;
    return found != NULL;
}

void
fuzz_fail (const char *what, const char *file, int line)
{
    fprintf (stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort ();
}

void
fuzz_shipped_catalogues (mot_catalog_t **territories, mot_catalog_t **ons)
{
    char *error = NULL;
    *territories = mot_catalog_new (MOT_CATALOG_DEFAULT_FILE, &error);
    FUZZ_ASSERT (*territories);
    *ons = mot_catalog_new_on (MOT_ON_CATALOG_DEFAULT_FILE, &error);
    FUZZ_ASSERT (*ons);
}

Mot__V1__Envelope *
fuzz_repacked (const Mot__V1__Envelope *envelope, zframe_t **packed)
{
    *packed = mot_wire_frame (&envelope->base);
    FUZZ_ASSERT (*packed);
    Mot__V1__ErrorCode code;
    Mot__V1__Envelope *again = (Mot__V1__Envelope *) mot_wire_unpack_bytes (
        zframe_data (*packed), zframe_size (*packed), &mot__v1__envelope__descriptor, SIZE_MAX, &code);
    FUZZ_ASSERT (again);
    return again;
}
