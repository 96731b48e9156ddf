/*  mot_text — UTF-8 validation and topic normalisation.
 */
#include "mot_text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above
 * U+10FFFF, and no NUL bytes inside the given length. */
bool
mot_text_is_utf8 (const char *text, size_t length)
{
    const unsigned char *s = (const unsigned char *) text;
    size_t i = 0;
    while (i < length) {
        unsigned char c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t extra;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        }
        else
            return false;
        if (length - i <= extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF
            || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

size_t
mot_text_length (const char *text)
{
    size_t count = 0;
    for (const unsigned char *s = (const unsigned char *) text; *s; s++)
        if ((*s & 0xC0) != 0x80)
            count++;
    return count;
}

/* Latin-1 supplement letters (U+00C0..U+00FF, encoded C3 80..C3 BF) folded
 * to their lower-case ASCII base letter; 0 for the two non-letters. */
static char
fold_latin1 (unsigned char second)
{
    static const char map[64] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
                                "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    return map[second - 0x80];
}

/* U+0080..U+00BF (C2 80..C2 BF, all punctuation, symbols and spaces but
 * the ordinal indicators ª º) or U+2000..U+206F (E2 80..81 xx). */
static bool
is_separator_sequence (const unsigned char *s, size_t available)
{
    if (available >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0xBF)
        return s[1] != 0xAA && s[1] != 0xBA;
    return available >= 3 && s[0] == 0xE2 && (s[1] == 0x80 || s[1] == 0x81) && s[2] >= 0x80 && s[2] <= 0xBF;
}

char *
mot_text_normalise (const char *text)
{
    size_t length = strlen (text);
    char *out = malloc (length + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    bool pending_space = false;
    const unsigned char *s = (const unsigned char *) text;
    for (size_t i = 0; i < length; i++) {
        char letter = 0;
        if (s[i] == 0xC3 && i + 1 < length && s[i + 1] >= 0x80 && s[i + 1] <= 0xBF) {
            letter = fold_latin1 (s[i + 1]);
            i++;
        }
        else if (s[i] < 0x80 && isalnum (s[i]))
            letter = (char) tolower (s[i]);
        else if (is_separator_sequence (s + i, length - i)) {
            /* Latin-1 punctuation and spaces (¡ ¿ « » NBSP …) and the General
             * Punctuation block (dashes, curly quotes, odd spaces). */
            i += s[i] == 0xC2 ? 1 : 2;
            pending_space = true;
            continue;
        }
        else if (s[i] >= 0x80) {
            /* Other non-ASCII: keep the bytes of the sequence as they are. */
            if (pending_space && n > 0)
                out[n++] = ' ';
            pending_space = false;
            out[n++] = (char) s[i];
            continue;
        }
        if (letter) {
            if (pending_space && n > 0)
                out[n++] = ' ';
            pending_space = false;
            out[n++] = letter;
        }
        else
            pending_space = true;
    }
    out[n] = 0;
    return out;
}

size_t
mot_text_digits (unsigned long long n, char *out)
{
    char reversed[MOT_TEXT_DIGITS_MAX];
    size_t count = 0;
    do {
        reversed[count++] = (char) ('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < count; i++)
        out[i] = reversed[count - 1 - i];
    return count;
}

bool
mot_text_listed (const char *list, const char *word, size_t length)
{
    for (const char *part = list; part; part = strchr (part, ',')) {
        if (*part == ',')
            part++;
        if (strncmp (part, word, length) == 0 && (part[length] == ',' || part[length] == '\0'))
            return true;
    }
    return false;
}
