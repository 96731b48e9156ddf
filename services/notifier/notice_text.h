/*  notice_text — the Spanish text and the topic of a notice.
 *
 *  Owns: what subscribers read. Texts follow the norm's terms, e.g.
 *    Vencido: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo
 *      2026-10, venció el 2026-11-13; 5 días hábiles de atraso.
 *    Recordatorio: «…» de UAD, periodo 2026-10, vence el 2026-11-13.
 *    Entregado con atraso de 3 días hábiles: «…» de UAD, periodo 2026-10,
 *      venció el 2026-11-13.
 *  Topics are "<kind>/<UNIT>/<report-code>", e.g. "overdue/UAD/quejas-gestiones",
 *  so subscribers filter by kind, unit and report with ZeroMQ prefix matching.
 */
#ifndef NOTICE_TEXT_H_INCLUDED
#define NOTICE_TEXT_H_INCLUDED

#include "mot.pb-c.h"
#include <stdbool.h>

/* Longest notice id and report name accepted, in bytes. */
#define NOTICE_MAX_ID 320
#define NOTICE_MAX_NAME 300

/* True when every field the text and the topic use is present, of a known
 * kind and unit, valid UTF-8 and within its length; else sets *reason. */
bool notice_text_is_publishable (const Mot__V1__Notice *notice, const char **reason);
/* The Spanish text (malloc'd; NULL on allocation failure). */
char *notice_text_render (const Mot__V1__Notice *notice);
/* "<kind>/<UNIT>/<report>" (malloc'd; NULL on allocation failure). */
char *notice_text_topic (const Mot__V1__Notice *notice);

#endif
