/*  mot_text — strings that come from outside.
 *
 *  Owns: UTF-8 validation and the normalisation of topics (complaint reasons,
 *  media themes) used to group events into items: lower case, Spanish accents
 *  and diaeresis removed (ñ kept as n), runs of white space and punctuation
 *  folded into one space, trimmed. And writing a number's decimal digits
 *  without printf, for code that writes millions of them. And whether a
 *  word is one of a comma-separated list's.
 */
#ifndef MOT_TEXT_H_INCLUDED
#define MOT_TEXT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

bool mot_text_is_utf8 (const char *text, size_t length);
/* Number of code points; text must be valid UTF-8. */
size_t mot_text_length (const char *text);
/* A new normalised copy (caller frees). */
char *mot_text_normalise (const char *text);

/* Whether the `length` bytes at `word` are one of the comma-separated
 * parts of `list` ("UEOD,CV" lists UEOD and CV, not UE); false for NULL. */
bool mot_text_listed (const char *list, const char *word, size_t length);

/* The decimal digits of n at out (room for MOT_TEXT_DIGITS_MAX, no NUL
 * written); how many. */
#define MOT_TEXT_DIGITS_MAX 20
size_t mot_text_digits (unsigned long long n, char *out);

#endif
