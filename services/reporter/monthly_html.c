/*  monthly_html — the monthly report as HTML (see monthly_html.h).
 */
#include "monthly_html.h"
#include "map_svg.h"
#include "monthly_report.h"
#include "mot_date.h"
#include "mot_score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANGES_SHOWN 100

static const char *const ROMANS[4] = {"I", "II", "III", "IV"};

/* The standalone document's style: screen and print (A4 or Letter). */
static const char STYLE[] =
    "*{box-sizing:border-box}"
    "body{margin:0 auto;max-width:60rem;padding:1rem;font-family:system-ui,'DejaVu Sans',sans-serif;color:#1d2733}"
    "h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #12395c}"
    "h3{font-size:1rem;margin:1rem 0 .4rem}"
    ".sub{color:#4a5663;margin:0 0 1rem}"
    ".cards{display:flex;flex-wrap:wrap;gap:.5rem}"
    ".card{border:1px solid #c9d1d9;padding:.4rem .7rem;min-width:7rem}.card b{display:block;font-size:1.2rem}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.3rem 0}"
    "th,td{padding:.25rem .45rem;border-bottom:1px solid #dde3e8;text-align:left}"
    "th{background:#e9eef3}td.n{font-variant-numeric:tabular-nums}"
    ".q{display:inline-block;min-width:2.2em;text-align:center;border-radius:3px;padding:0 .3em;font-weight:700}"
    ".q-I{background:#d7263d;color:#fff}.q-II{background:#f08a24;color:#000}"
    ".q-III{background:#2e9e44;color:#fff}.q-IV{background:#f2d024;color:#000}"
    ".map svg{width:100%;height:auto;max-width:44rem;display:block}"
    "@page{margin:14mm}"
    "@media print{body{max-width:none;padding:0}.map{break-inside:avoid}tr{break-inside:avoid}"
    "h2{break-after:avoid}}";

/* ---- small pieces ---------------------------------------------------------- */

static long long
figure_of (json_t *object, const char *key)
{
    return (long long) json_integer_value (json_object_get (object, key));
}

/* A card: a label and the figure, findable by data-figure. */
static void
card (html_t *html, const char *id, const char *label, long long value)
{
    html_raw (html, "<div class=\"card\" data-figure=\"");
    html_text (html, id);
    html_raw (html, "\">");
    html_text (html, label);
    html_printf (html, "<b>%lld</b></div>", value);
}

static void
number_cell (html_t *html, long long value)
{
    html_printf (html, "<td class=\"n\">%lld</td>", value);
}

static void
text_cell (html_t *html, const char *value)
{
    html_raw (html, "<td>");
    html_text (html, value);
    html_raw (html, "</td>");
}

static void
quadrant_badge (html_t *html, const char *roman)
{
    html_raw (html, "<span class=\"q q-");
    html_text (html, roman);
    html_raw (html, "\">");
    html_text (html, roman);
    html_raw (html, "</span>");
}

static void
table_begin (html_t *html, const char *id, const char *const *headers, size_t count)
{
    html_raw (html, "<div class=\"scroll\"><table id=\"");
    html_text (html, id);
    html_raw (html, "\"><thead><tr>");
    for (size_t i = 0; i < count; i++) {
        html_raw (html, "<th>");
        html_text (html, headers[i]);
        html_raw (html, "</th>");
    }
    html_raw (html, "</tr></thead><tbody>\n");
}

static void
table_end (html_t *html)
{
    html_raw (html, "</tbody></table></div>\n");
}

/* A cell of a JSON value: a string as text, a number right as a number,
 * anything else empty. */
static void
value_cell (html_t *html, json_t *value)
{
    if (json_is_integer (value))
        number_cell (html, (long long) json_integer_value (value));
    else
        text_cell (html, json_string_value (value));
}

/* A table of the JSON objects `rows`: a column per key, its header beside. */
static void
rows_table (html_t *html, const char *id, const char *const *headers, const char *const *keys, size_t count,
            json_t *rows)
{
    table_begin (html, id, headers, count);
    size_t i;
    json_t *row;
    json_array_foreach (rows, i, row) {
        html_raw (html, "<tr>");
        for (size_t k = 0; k < count; k++)
            value_cell (html, json_object_get (row, keys[k]));
        html_raw (html, "</tr>\n");
    }
    table_end (html);
}

/* ---- a register's behaviour -------------------------------------------------- */

static void
quadrant_table (html_t *html, const char *name, json_t *block, bool riesgo)
{
    const char *const headers[] = {"Cuadrante", "Lectura", "Mes anterior", "Este mes", "Cambio"};
    char id[48];
    snprintf (id, sizeof id, "%s-cuadrantes", name);
    table_begin (html, id, headers, 5);
    json_t *now = json_object_get (block, "por_cuadrante"), *before = json_object_get (block, "por_cuadrante_anterior");
    for (int q = 1; q <= 4; q++) {
        const char *roman = ROMANS[q - 1];
        html_raw (html, "<tr data-quadrant=\"");
        html_text (html, roman);
        html_raw (html, "\"><td>");
        quadrant_badge (html, roman);
        html_raw (html, "</td>");
        text_cell (html, mot_score_quadrant_meaning (q, riesgo));
        if (json_is_object (before))
            html_printf (html, "<td class=\"n\" data-month=\"anterior\">%lld</td>", figure_of (before, roman));
        else
            html_raw (html, "<td class=\"n\" data-month=\"anterior\">—</td>");
        html_printf (html, "<td class=\"n\" data-month=\"actual\">%lld</td>", figure_of (now, roman));
        if (json_is_object (before))
            html_printf (html, "<td class=\"n\">%+lld</td>", figure_of (now, roman) - figure_of (before, roman));
        else
            html_raw (html, "<td class=\"n\">—</td>");
        html_raw (html, "</tr>\n");
    }
    table_end (html);
}

static void
changes_table (html_t *html, const char *name, json_t *changes)
{
    if (json_array_size (changes) == 0) {
        html_raw (html, "<p>Ningún cambio de cuadrante.</p>\n");
        return;
    }
    const char *const headers[] = {"Id", "De", "A", "Sentido"};
    char id[48];
    snprintf (id, sizeof id, "%s-cambios", name);
    table_begin (html, id, headers, 4);
    size_t i;
    json_t *change;
    json_array_foreach (changes, i, change) {
        if (i == CHANGES_SHOWN)
            break;
        html_raw (html, "<tr>");
        text_cell (html, json_string_value (json_object_get (change, "id")));
        html_raw (html, "<td>");
        quadrant_badge (html, json_string_value (json_object_get (change, "de")));
        html_raw (html, "</td><td>");
        quadrant_badge (html, json_string_value (json_object_get (change, "a")));
        html_raw (html, "</td>");
        text_cell (html, json_string_value (json_object_get (change, "sentido")));
        html_raw (html, "</tr>\n");
    }
    table_end (html);
    if (json_array_size (changes) > CHANGES_SHOWN)
        html_printf (html, "<p>… y %zu cambios más (todos en los datos JSON del informe).</p>\n",
                     json_array_size (changes) - CHANGES_SHOWN);
}

static void
breakdown_table (html_t *html, const char *name, const char *what, const char *title, json_t *rows)
{
    html_raw (html, "<h3>");
    html_text (html, title);
    html_raw (html, "</h3>\n");
    const char *const headers[] = {"Clave", "Total", "I", "II", "III", "IV"};
    const char *const keys[] = {"clave", "total", "I", "II", "III", "IV"};
    char id[64];
    snprintf (id, sizeof id, "%s-%s", name, what);
    rows_table (html, id, headers, keys, 6, rows);
}

static void
register_section (html_t *html, const char *name, const char *title, json_t *block, bool riesgo, const char *svg)
{
    html_raw (html, "<h2>");
    html_text (html, title);
    html_raw (html, "</h2>\n<div class=\"cards\">");
    const char *const figures[][2] = {{"total", "Al cierre del mes"}, {"nuevas", "Nuevas"},
                                      {"cerradas", "Cerradas en el mes"}, {"resueltas", "Resueltas"},
                                      {"residuales", "Residuales"}, {"mejoran", "Mejoran de cuadrante"},
                                      {"empeoran", "Empeoran de cuadrante"}};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        char id[48];
        snprintf (id, sizeof id, "%s.%s", name, figures[i][0]);
        card (html, id, figures[i][1], figure_of (block, figures[i][0]));
    }
    html_raw (html, "</div>\n<h3>Por cuadrante</h3>\n");
    quadrant_table (html, name, block, riesgo);
    if (svg) {
        const char *start = strstr (svg, "<svg");
        html_raw (html, "<div class=\"map\">");
        html_raw (html, start ? start : svg);
        html_raw (html, "</div>\n");
    }
    html_raw (html, "<h3>Cambios de cuadrante</h3>\n");
    changes_table (html, name, json_object_get (block, "cambios"));
    breakdown_table (html, name, "territorio", "Por territorio", json_object_get (block, "por_territorio"));
    breakdown_table (html, name, "categoria", "Por categoría", json_object_get (block, "por_categoria"));
    breakdown_table (html, name, "unidad", "Por unidad que la detectó", json_object_get (block, "por_unidad"));
}

/* ---- obligations and open work --------------------------------------------- */

static void
obligations_section (html_t *html, json_t *obligations)
{
    html_raw (html, "<h2>Informes del mes (obligaciones con fecha límite en el mes)</h2>\n<div class=\"cards\">");
    const char *const figures[][2] = {{"total", "Total"}, {"a_tiempo", "A tiempo"}, {"tarde", "Con atraso"},
                                      {"vencidas", "Vencidas"}, {"pendientes", "Pendientes"},
                                      {"en_espera", "En espera"}};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        char id[48];
        snprintf (id, sizeof id, "obligaciones.%s", figures[i][0]);
        card (html, id, figures[i][1], figure_of (obligations, figures[i][0]));
    }
    html_raw (html, "</div>\n<h3>Por unidad</h3>\n");
    const char *const units[] = {"Unidad", "Total", "A tiempo", "Con atraso", "Vencidas", "Pendientes", "En espera"};
    const char *const unit_keys[] = {"unidad", "total", "a_tiempo", "tarde", "vencidas", "pendientes", "en_espera"};
    rows_table (html, "obligaciones-unidad", units, unit_keys, 7, json_object_get (obligations, "por_unidad"));
    html_raw (html, "<h3>Entregados con atraso</h3>\n");
    const char *const late[] = {"Obligación", "Unidad", "Fecha límite", "Entregado el", "Días hábiles de atraso"};
    const char *const late_keys[] = {"id", "unidad", "fecha_limite", "entregado_el", "dias_habiles_atraso"};
    rows_table (html, "obligaciones-tarde", late, late_keys, 5, json_object_get (obligations, "tarde_detalle"));
    html_raw (html, "<h3>Vencidos sin entregar</h3>\n");
    const char *const overdue[] = {"Obligación", "Unidad", "Fecha límite"};
    const char *const overdue_keys[] = {"id", "unidad", "fecha_limite"};
    rows_table (html, "obligaciones-vencidas", overdue, overdue_keys, 3,
                json_object_get (obligations, "vencidas_detalle"));
}

static void
work_section (html_t *html, json_t *work)
{
    html_raw (html, "<h2>Acciones, acuerdos y recomendaciones abiertos</h2>\n<div class=\"cards\">");
    card (html, "trabajo.acciones", "Acciones correctivas", figure_of (work, "acciones"));
    card (html, "trabajo.acuerdos", "Acuerdos", figure_of (work, "acuerdos"));
    card (html, "trabajo.recomendaciones", "Recomendaciones", figure_of (work, "recomendaciones"));
    html_raw (html, "</div>\n");
    const char *const headers[] = {"Id", "Tipo", "Problemáticas o riesgos", "Responsable", "Vence", "% avance"};
    const char *const keys[] = {"id", "tipo", "items", "responsable", "vence", "avance"};
    rows_table (html, "trabajo-abierto", headers, keys, 6, json_object_get (work, "detalle"));
}

/* ---- the report -------------------------------------------------------------- */

void
monthly_html_body (html_t *html, json_t *data, const char *mupoi_svg, const char *muro_svg)
{
    char month[40], previous[40];
    mot_period_name (json_string_value (json_object_get (data, "periodo")), month, sizeof month);
    mot_period_name (json_string_value (json_object_get (data, "anterior")), previous, sizeof previous);
    html_raw (html, "<p class=\"sub\">Periodo: ");
    html_text (html, month);
    if (json_is_true (json_object_get (data, "anterior_congelado"))) {
        html_raw (html, " · comparado con ");
        html_text (html, previous);
    }
    html_raw (html, " · de la CAPSOI a la TDOE (norma 7.2.4.14)</p>\n");
    register_section (html, "problematicas", "Problemáticas operativas (MUPOI)", json_object_get (data, "problematicas"),
                      false, mupoi_svg);
    register_section (html, "riesgos", "Riesgos operativos (MURO)", json_object_get (data, "riesgos"), true, muro_svg);
    obligations_section (html, json_object_get (data, "obligaciones"));
    work_section (html, json_object_get (data, "trabajo_abierto"));
}

/* A map drawn by monthly_report_data_maps, as map_query_svg answers it: its
 * document (caller frees), or NULL. */
static char *
map_document (map_svg_t *map, register_filter_error_t *error)
{
    size_t size;
    char *svg = map_svg_render (map, &size);
    if (!svg)
        register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "could not draw the map");
    return svg;
}

/* The figures and both maps come from one read of the items
 * (monthly_report_data_maps). */
bool
monthly_html_build (html_t *html, mot_redis_t *redis, const char *month, int64_t now, const char *link_mupoi,
                    const char *link_muro, json_t **figures, register_filter_error_t *error)
{
    map_svg_t *maps[2] = {map_svg_new (MAP_SVG_MUPOI), map_svg_new (MAP_SVG_MURO)};
    json_t *data = NULL;
    if (!maps[0] || !maps[1] || !map_svg_set_link (maps[0], link_mupoi) || !map_svg_set_link (maps[1], link_muro))
        register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    else
        data = monthly_report_data_maps (redis, month, now, maps[0], maps[1], error);
    char *mupoi = data ? map_document (maps[0], error) : NULL;
    char *muro = mupoi ? map_document (maps[1], error) : NULL;
    if (muro)
        monthly_html_body (html, data, mupoi, muro);
    free (mupoi);
    free (muro);
    if (figures && muro)
        *figures = json_incref (data);
    json_decref (data);
    map_svg_destroy (&maps[0]);
    map_svg_destroy (&maps[1]);
    return muro != NULL;
}

char *
monthly_html_document (mot_redis_t *redis, const char *month, int64_t now, size_t *size, json_t **figures,
                       register_filter_error_t *error)
{
    html_t *html = html_new ();
    if (!html) {
        register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
        return NULL;
    }
    char name[40];
    mot_period_name (month, name, sizeof name);
    html_raw (html, "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    html_raw (html, "Informe mensual de problemáticas y riesgos operativos — ");
    html_text (html, name);
    html_raw (html, "</title><style>");
    html_raw (html, STYLE);
    html_raw (html, "</style></head><body>\n<h1>Informe mensual de problemáticas y riesgos operativos</h1>\n");
    char *document = NULL;
    if (monthly_html_build (html, redis, month, now, NULL, NULL, figures, error)) {
        html_raw (html, "</body></html>\n");
        document = html_take (html, size);
        if (!document)
            register_filter_refuse (error, MOT__V1__ERROR_CODE__INTERNAL, NULL, "out of memory");
    }
    if (!document && figures && *figures) {
        json_decref (*figures);
        *figures = NULL;
    }
    html_destroy (&html);
    return document;
}
