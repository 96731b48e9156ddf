/*  dashboard_html — building the dashboard's pages.
 *
 *  Owns: a growing HTML buffer whose every value goes through the escaper
 *  (html_text, html_attr), and the layout every page shares: the document
 *  head (viewport meta tag, the one inline style sheet: no external asset,
 *  no script), the navigation bar with the account and the logout button,
 *  and the footer. An allocation failure is remembered and makes
 *  html_take answer NULL.
 */
#ifndef DASHBOARD_HTML_H_INCLUDED
#define DASHBOARD_HTML_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _html_t html_t;

html_t *html_new (void);
void html_destroy (html_t **self_p);

/* Trusted markup, as is (never a value from a request or from Redis). */
void html_raw (html_t *self, const char *markup);
void html_rawn (html_t *self, const char *markup, size_t length);
/* Trusted markup through printf: only numbers and literals as arguments. */
void html_printf (html_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
/* Any value, escaped (& < > " ' become entities); NULL writes nothing. */
void html_text (html_t *self, const char *value);
/* A value inside a URL's query string, percent-encoded then escaped. */
void html_url_value (html_t *self, const char *value);

/* A link to `page` (trusted, e.g. "/item?id=") followed by `value`
 * percent-encoded, its text `value` escaped; `css_class` (trusted) or NULL. */
void html_link (html_t *self, const char *page, const char *value, const char *css_class);

/* The page so far (caller frees), its length in *size; NULL after an
 * allocation failure. The builder is emptied. */
char *html_take (html_t *self, size_t *size);

/* A link of the header: where it goes and its text (both trusted). */
typedef struct {
    const char *href;
    const char *label;
} html_link_t;

/* The document up to the page's own content: title (escaped), the signed
 * in account (NULL on the login page: no navigation) with the header's
 * `links` (`count` of them: the pages the account may open). */
void html_page_begin (html_t *self, const char *title, const char *account, const html_link_t *links, size_t count);
void html_page_end (html_t *self);

#endif
