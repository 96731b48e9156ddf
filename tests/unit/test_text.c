/*  test_text — unit tests for mot_text: strict UTF-8 validation (RFC 3629),
 *  code point counting, topic normalisation and decimal digits. The byte
 *  sequences are written out by hand from the UTF-8 tables (e.g. U+00F1 ñ = C3 B1,
 *  U+20AC € = E2 82 AC, U+1F600 = F0 9F 98 80).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mot_text.h"

/* `bytes` of exactly `length` bytes (may hold NUL). */
static void
assert_utf8 (const char *bytes, size_t length, bool expected)
{
    if (mot_text_is_utf8 (bytes, length) != expected)
        fail_msg ("mot_text_is_utf8 of %zu bytes: expected %s", length, expected ? "valid" : "invalid");
}

#define VALID(literal) assert_utf8 (literal, sizeof (literal) - 1, true)
#define INVALID(literal) assert_utf8 (literal, sizeof (literal) - 1, false)

static void
test_utf8_valid_sequences (void **state)
{
    (void) state;
    assert_utf8 ("", 0, true);
    VALID ("plain ASCII, 0123456789 ~");
    VALID ("\x7f");                       /* highest 1-byte */
    VALID ("\xc2\x80");                   /* U+0080, lowest 2-byte */
    VALID ("\xc3\xb1");                   /* ñ */
    VALID ("Atenci\xc3\xb3n");            /* Atención */
    VALID ("\xdf\xbf");                   /* U+07FF, highest 2-byte */
    VALID ("\xe0\xa0\x80");               /* U+0800, lowest 3-byte */
    VALID ("\xe2\x82\xac");               /* € */
    VALID ("\xed\x9f\xbf");               /* U+D7FF, just below the surrogates */
    VALID ("\xee\x80\x80");               /* U+E000, just above them */
    VALID ("\xef\xbf\xbf");               /* U+FFFF */
    VALID ("\xf0\x90\x80\x80");           /* U+10000, lowest 4-byte */
    VALID ("\xf0\x9f\x98\x80");           /* U+1F600 */
    VALID ("\xf4\x8f\xbf\xbf");           /* U+10FFFF, the last code point */
}

static void
test_utf8_truncated_sequences (void **state)
{
    (void) state;
    INVALID ("\xc3");
    INVALID ("\xe2\x82");
    INVALID ("\xf0\x9f\x98");
    INVALID ("abc\xc3");                  /* truncated at the end of the text */
    INVALID ("\xe2\x82" "a");             /* continuation replaced by ASCII */
    INVALID ("\xf0\x9f\x98" "a");
    assert_utf8 ("\xc3\xb1", 1, false);   /* length cuts a valid sequence */
    assert_utf8 ("\xf0\x9f\x98\x80", 3, false);
    INVALID ("\x80");                     /* lone continuation byte */
    INVALID ("a\xbf" "b");
}

static void
test_utf8_overlongs (void **state)
{
    (void) state;
    INVALID ("\xc0\xaf");                 /* '/' in 2 bytes */
    INVALID ("\xc0\x80");                 /* NUL in 2 bytes */
    INVALID ("\xc1\xbf");                 /* U+007F in 2 bytes */
    INVALID ("\xe0\x80\xaf");             /* '/' in 3 bytes */
    INVALID ("\xe0\x9f\xbf");             /* U+07FF in 3 bytes */
    INVALID ("\xf0\x80\x80\xaf");         /* '/' in 4 bytes */
    INVALID ("\xf0\x8f\xbf\xbf");         /* U+FFFF in 4 bytes */
}

static void
test_utf8_surrogates_and_beyond_unicode (void **state)
{
    (void) state;
    INVALID ("\xed\xa0\x80");             /* U+D800 */
    INVALID ("\xed\xbf\xbf");             /* U+DFFF */
    INVALID ("\xed\xa0\xbd\xed\xb8\x80"); /* CESU-8 pair for U+1F600 */
    INVALID ("\xf4\x90\x80\x80");         /* U+110000 */
    INVALID ("\xf5\x80\x80\x80");
    INVALID ("\xf8\x88\x80\x80\x80");     /* old 5-byte form */
    INVALID ("\xfe");
    INVALID ("\xff");
}

static void
test_utf8_embedded_nul (void **state)
{
    (void) state;
    INVALID ("a\0b");
    INVALID ("\0");
    assert_utf8 ("ab\0cd", 2, true);       /* the NUL is outside the length */
}

static void
test_length_counts_code_points (void **state)
{
    (void) state;
    assert_int_equal (mot_text_length (""), 0);
    assert_int_equal (mot_text_length ("abc"), 3);
    assert_int_equal (mot_text_length ("\xc3\xb1" "and\xc3\xba"), 5);          /* ñandú */
    assert_int_equal (mot_text_length ("Atenci\xc3\xb3n"), 8);                 /* Atención */
    assert_int_equal (mot_text_length ("\xe2\x82\xac"), 1);                    /* € */
    assert_int_equal (mot_text_length ("\xf0\x9f\x98\x80" "x"), 2);            /* U+1F600 x */
}

static void
assert_normalises (const char *input, const char *expected)
{
    char *output = mot_text_normalise (input);
    assert_non_null (output);
    assert_string_equal (output, expected);
    free (output);
}

static void
test_normalise_examples (void **state)
{
    (void) state;
    assert_normalises ("Oportunidad de la Atenci\xc3\xb3n", "oportunidad de la atencion");
    assert_normalises ("  ABASTO de   medicamentos!! ", "abasto de medicamentos");
    assert_normalises ("Ni\xc3\xb1o \xc3\x91" "and\xc3\xba", "nino nandu");   /* Niño Ñandú */
    assert_normalises ("Ping\xc3\xbcino", "pinguino");                        /* Pingüino */
    assert_normalises ("", "");
}

static void
test_normalise_accents_punctuation_and_space (void **state)
{
    (void) state;
    /* ÁÉÍÓÚ áéíóú Üü */
    assert_normalises ("\xc3\x81\xc3\x89\xc3\x8d\xc3\x93\xc3\x9a \xc3\xa1\xc3\xa9\xc3\xad\xc3\xb3\xc3\xba "
                       "\xc3\x9c\xc3\xbc",
                       "aeiou aeiou uu");
    assert_normalises ("Trato,digno;y-oportuno", "trato digno y oportuno");
    assert_normalises ("\tFalta\nde\r\nCamas\t", "falta de camas");
    assert_normalises ("Cita 2026 HGZ 46", "cita 2026 hgz 46");
    assert_normalises ("!!! ... ???", "");
    assert_normalises ("   ", "");
}

/* Spanish punctuation and white space outside ASCII are punctuation and
 * white space too: ¿ (C2 BF), ¡ (C2 A1), « » (C2 AB, C2 BB), no-break
 * space U+00A0 (C2 A0). */
static void
test_normalise_non_ascii_punctuation (void **state)
{
    (void) state;
    assert_normalises ("\xc2\xbf" "Abasto de medicamentos?", "abasto de medicamentos");
    assert_normalises ("\xc2\xa1Trato digno!", "trato digno");
    assert_normalises ("\xc2\xab" "Cita\xc2\xbb", "cita");
    assert_normalises ("Abasto\xc2\xa0" "de\xc2\xa0medicamentos", "abasto de medicamentos");
    /* General Punctuation: em dash U+2014 (E2 80 94), curly quotes U+201C/D. */
    assert_normalises ("Trato \xe2\x80\x94 \xe2\x80\x9c" "digno\xe2\x80\x9d", "trato digno");
    /* Other scripts are kept as they are. */
    assert_normalises ("Caf\xc3\xa9 \xce\xb1", "cafe \xce\xb1");
    /* × and ÷ (C3 97, C3 B7) are in the folded block and already work. */
    assert_normalises ("2\xc3\x97" "3 \xc3\xb7 camas", "2 3 camas");
}

static void
assert_digits (unsigned long long n, const char *expected)
{
    char out[MOT_TEXT_DIGITS_MAX + 1];
    memset (out, '#', sizeof out);
    size_t count = mot_text_digits (n, out);
    assert_int_equal (count, strlen (expected));
    assert_memory_equal (out, expected, count);
    assert_int_equal (out[count], '#');     /* nothing written after them */
}

static void
test_digits_of_numbers (void **state)
{
    (void) state;
    assert_digits (0, "0");
    assert_digits (9, "9");
    assert_digits (10, "10");
    assert_digits (1234567890, "1234567890");
    assert_digits (18446744073709551615ULL, "18446744073709551615");
}

static void
test_listed_words_are_whole_parts (void **state)
{
    (void) state;
    assert_true (mot_text_listed ("UEOD,CV", "UEOD", 4));
    assert_true (mot_text_listed ("UEOD,CV", "CV", 2));
    assert_true (mot_text_listed ("CV", "CV", 2));
    assert_false (mot_text_listed ("UEOD,CV", "UE", 2));   /* a prefix is not a part */
    assert_false (mot_text_listed ("UEOD,CV", "C", 1));
    assert_false (mot_text_listed ("UEOD,CVX", "CV", 2));
    assert_false (mot_text_listed ("", "CV", 2));
    assert_false (mot_text_listed (NULL, "CV", 2));
    assert_true (mot_text_listed ("UAD,CAPSOI", "CAPSOIX", 6));   /* the first 6 bytes of the word */
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_utf8_valid_sequences),
        cmocka_unit_test (test_utf8_truncated_sequences),
        cmocka_unit_test (test_utf8_overlongs),
        cmocka_unit_test (test_utf8_surrogates_and_beyond_unicode),
        cmocka_unit_test (test_utf8_embedded_nul),
        cmocka_unit_test (test_length_counts_code_points),
        cmocka_unit_test (test_normalise_examples),
        cmocka_unit_test (test_normalise_accents_punctuation_and_space),
        cmocka_unit_test (test_normalise_non_ascii_punctuation),
        cmocka_unit_test (test_digits_of_numbers),
        cmocka_unit_test (test_listed_words_are_whole_parts),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
