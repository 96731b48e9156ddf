/*  test_text_buffer — unit tests for the reporter's text_buffer: what is
 *  written comes back NUL-terminated, formatted writes, growth across many
 *  writes, a failure that sticks until the buffer is taken, and clearing
 *  that keeps the memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text_buffer.h"

static void
test_writes_come_back_in_order (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    assert_true (text_buffer_add_text (&buffer, "<svg>"));
    assert_true (text_buffer_add_char (&buffer, '\n'));
    assert_true (text_buffer_addf (&buffer, "<rect x=\"%d\" width=\"%.1f\"/>", 12, 2.5));
    assert_true (text_buffer_add (&buffer, "</svg>ignored", 6));
    assert_true (text_buffer_add_text (&buffer, NULL));
    size_t size = 0;
    char *text = text_buffer_take (&buffer, &size);
    assert_string_equal (text, "<svg>\n<rect x=\"12\" width=\"2.5\"/></svg>");
    assert_int_equal (size, strlen ("<svg>\n<rect x=\"12\" width=\"2.5\"/></svg>"));
    free (text);
    assert_null (buffer.data);      /* taken: empty and usable again */
    assert_true (text_buffer_add_text (&buffer, "otra"));
    text_buffer_free (&buffer);
}

static void
test_an_empty_buffer_gives_an_empty_text (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    size_t size = 99;
    char *text = text_buffer_take (&buffer, &size);
    assert_non_null (text);
    assert_string_equal (text, "");
    assert_int_equal (size, 0);
    free (text);
}

static void
test_it_grows_across_many_writes (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    for (int i = 0; i < 100000; i++)
        assert_true (text_buffer_addf (&buffer, "%05d,", i % 100000));
    assert_int_equal (buffer.size, 600000);
    assert_memory_equal (buffer.data + 6 * 99999, "99999,", 6);
    assert_int_equal (buffer.data[buffer.size], '\0');
    text_buffer_free (&buffer);
}

/* Past 4 MB a buffer asks for huge pages: what is written stays as written,
 * reserved at once or grown. */
static void
test_a_large_buffer_keeps_its_bytes (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    assert_true (text_buffer_reserve (&buffer, 6u << 20));
    for (int i = 0; i < 1400000; i++)
        assert_true (text_buffer_addf (&buffer, "%07d,", i));
    assert_int_equal (buffer.size, 11200000);
    assert_memory_equal (buffer.data, "0000000,0000001,", 16);
    assert_memory_equal (buffer.data + 8 * 765432, "0765432,", 8);
    assert_memory_equal (buffer.data + 8 * 1399999, "1399999,", 8);
    size_t size = 0;
    char *text = text_buffer_take (&buffer, &size);
    assert_int_equal (size, 11200000);
    assert_int_equal (text[size], '\0');
    free (text);
}

static void
test_a_failure_sticks_until_taken (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    assert_true (text_buffer_add_text (&buffer, "antes"));
    assert_false (text_buffer_reserve (&buffer, SIZE_MAX - 8));   /* cannot be had */
    assert_false (text_buffer_add_text (&buffer, "después"));      /* refused from then on */
    assert_false (text_buffer_addf (&buffer, "%d", 1));
    size_t size = 99;
    assert_null (text_buffer_take (&buffer, &size));
    assert_int_equal (size, 0);
    assert_true (text_buffer_add_text (&buffer, "de nuevo"));     /* taken: usable again */
    char *text = text_buffer_take (&buffer, NULL);
    assert_string_equal (text, "de nuevo");
    free (text);
}

/* Clearing keeps the memory (no new allocation for the next writes) and
 * starts again from nothing; a failure survives it. */
static void
test_clear_keeps_the_memory (void **state)
{
    (void) state;
    text_buffer_t buffer = TEXT_BUFFER_INIT;
    assert_true (text_buffer_add_text (&buffer, "una fila larga"));
    char *memory = buffer.data;
    text_buffer_clear (&buffer);
    assert_int_equal (buffer.size, 0);
    assert_true (text_buffer_add_text (&buffer, "otra"));
    assert_ptr_equal (buffer.data, memory);
    char *text = text_buffer_take (&buffer, NULL);
    assert_string_equal (text, "otra");
    free (text);
    assert_false (text_buffer_reserve (&buffer, SIZE_MAX - 8));
    text_buffer_clear (&buffer);
    assert_false (text_buffer_add_text (&buffer, "después"));
    assert_null (text_buffer_take (&buffer, NULL));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_writes_come_back_in_order),
        cmocka_unit_test (test_an_empty_buffer_gives_an_empty_text),
        cmocka_unit_test (test_it_grows_across_many_writes),
        cmocka_unit_test (test_a_large_buffer_keeps_its_bytes),
        cmocka_unit_test (test_a_failure_sticks_until_taken),
        cmocka_unit_test (test_clear_keeps_the_memory),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
