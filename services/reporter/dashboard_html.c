/*  dashboard_html — the dashboard's HTML builder and layout: see
 *  dashboard_html.h.
 */
#include "dashboard_html.h"
#include "text_buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _html_t {
    text_buffer_t out;
};

/* One style sheet for every page: laptop and phone (tables scroll inside
 * their own box, the page body never scrolls sideways). */
static const char STYLE[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:system-ui,sans-serif;color:#1d2733;background:#f4f6f8;overflow-x:hidden}"
    "header{background:#12395c;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;"
    "align-items:center}"
    "header a{color:#fff;text-decoration:none;font-weight:600}"
    "header .who{margin-left:auto;font-size:.9rem}"
    "header form{display:inline;margin:0}"
    "main{padding:1rem;max-width:1400px;margin:0 auto}"
    "h1{font-size:1.4rem;margin:.2rem 0 1rem}"
    "h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
    ".scroll{overflow-x:auto;max-width:100%;background:#fff;border:1px solid #d5dbe1}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{padding:.35rem .5rem;border-bottom:1px solid #e3e7eb;text-align:left;white-space:nowrap}"
    "th{background:#e9eef3;position:sticky;top:0}"
    "th a{color:inherit}"
    ".q{display:inline-block;min-width:2.2em;text-align:center;border-radius:3px;padding:0 .3em;font-weight:700}"
    ".q-I{background:#d7263d;color:#fff}.q-II{background:#f08a24;color:#000}"
    ".q-III{background:#2e9e44;color:#fff}.q-IV{background:#f2d024;color:#000}"
    "form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:1rem}"
    "form.filters label{display:flex;flex-direction:column;font-size:.8rem}"
    "input,select,button{font:inherit;padding:.25rem .4rem;max-width:100%}"
    ".pager{margin:.7rem 0;display:flex;gap:1rem;flex-wrap:wrap}"
    ".error{background:#fde2e4;border:1px solid #d7263d;padding:.5rem 1rem}"
    ".login{max-width:22rem;margin:3rem auto;background:#fff;padding:1.5rem;border:1px solid #d5dbe1}"
    ".login label{display:block;margin:.6rem 0}.login input{width:100%}"
    ".map{background:#fff;border:1px solid #d5dbe1;max-width:900px}"
    ".map svg{width:100%;height:auto;display:block}"
    ".map svg .marks{pointer-events:none}"
    ".cards{display:flex;flex-wrap:wrap;gap:.7rem}"
    ".card{background:#fff;border:1px solid #d5dbe1;padding:.6rem .9rem;min-width:9rem}"
    ".card b{display:block;font-size:1.3rem}"
    "pre{white-space:pre-wrap;word-break:break-all;margin:0}"
    "footer{padding:1rem;font-size:.8rem;color:#5b6875;text-align:center}";

html_t *
html_new (void)
{
    return calloc (1, sizeof (html_t));
}

void
html_destroy (html_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    text_buffer_free (&(*self_p)->out);
    free (*self_p);
    *self_p = NULL;
}

void
html_rawn (html_t *self, const char *markup, size_t length)
{
    if (markup)
        (void) text_buffer_add (&self->out, markup, length);   /* a failure sticks: html_take says it */
}

void
html_raw (html_t *self, const char *markup)
{
    (void) text_buffer_add_text (&self->out, markup);
}

void
html_printf (html_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    (void) text_buffer_vaddf (&self->out, format, args);
    va_end (args);
}

void
html_text (html_t *self, const char *value)
{
    if (!value)
        return;
    for (const char *c = value; *c; c++) {
        switch (*c) {
        case '&': html_raw (self, "&amp;"); break;
        case '<': html_raw (self, "&lt;"); break;
        case '>': html_raw (self, "&gt;"); break;
        case '"': html_raw (self, "&quot;"); break;
        case '\'': html_raw (self, "&#39;"); break;
        default: html_rawn (self, c, 1);
        }
    }
}

void
html_url_value (html_t *self, const char *value)
{
    if (!value)
        return;
    for (const unsigned char *c = (const unsigned char *) value; *c; c++) {
        bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-'
                  || *c == '_' || *c == '.' || *c == '~';
        if (plain)
            html_rawn (self, (const char *) c, 1);
        else
            html_printf (self, "%%%02X", *c);
    }
}

void
html_link (html_t *self, const char *page, const char *value, const char *css_class)
{
    html_raw (self, "<a ");
    if (css_class)
        html_printf (self, "class=\"%s\" ", css_class);
    html_raw (self, "href=\"");
    html_raw (self, page);
    html_url_value (self, value);
    html_raw (self, "\">");
    html_text (self, value);
    html_raw (self, "</a>");
}

char *
html_take (html_t *self, size_t *size)
{
    return text_buffer_take (&self->out, size);
}

void
html_page_begin (html_t *self, const char *title, const char *account, const html_link_t *links, size_t count)
{
    html_raw (self, "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    html_text (self, title);
    html_raw (self, " — MOT</title><style>");
    html_raw (self, STYLE);
    html_raw (self, "</style></head><body>\n<header><a href=\"/\">MOT</a>");
    if (account) {
        for (size_t i = 0; i < count; i++)
            html_printf (self, "<a href=\"%s\">%s</a>", links[i].href, links[i].label);
        html_raw (self, "<span class=\"who\">");
        html_text (self, account);
        html_raw (self, " <form method=\"post\" action=\"/logout\"><button type=\"submit\">Salir</button></form>"
                        "</span>");
    }
    html_raw (self, "</header>\n<main>\n<h1>");
    html_text (self, title);
    html_raw (self, "</h1>\n");
}

void
html_page_end (html_t *self)
{
    html_raw (self, "</main>\n<footer>Monitoreo Operativo · sólo lectura</footer>\n</body></html>\n");
}
