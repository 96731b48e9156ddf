/*  mot_notice_text — the Spanish text of a notice (the topic is
 *  mot_notice_topic). The deadline-watcher renders it before a notice enters
 *  the log; the notifier checks what it publishes with the same rules.
 *
 *  Owns: what subscribers read. Texts follow the norm's terms, e.g.
 *    Vencido: «Informe de quejas y gestiones (OOAD, UMAE)» de UAD, periodo
 *      2026-10, venció el 2026-11-13; 5 días hábiles de atraso.
 *    Recordatorio: «…» de UAD, periodo 2026-10, vence el 2026-11-13.
 *    Escalamiento nivel 2: «…» de UAD, periodo 2026-10, venció el
 *      2026-11-13; 10 días hábiles de atraso. Destinatarios: TDOE.
 *    Entregado con atraso de 3 días hábiles: «…» de UAD, periodo 2026-10,
 *      venció el 2026-11-13.
 *    Informe disponible: «Comportamiento mensual …» de CAPSOI, periodo
 *      2026-10; se entrega a más tardar el 2026-11-20. Destinatarios: TDOE.
 *  followed by " Territorio: OOAD-15." and " Responsable: DA." when the
 *  obligation has them, and " (notificación tardía)" on a notice the
 *  watcher marked catch_up: fired well after its time (caught up after a
 *  downtime), whatever its kind. Only report names, codes, dates and office roles: never
 *  personal data.
 *  Topics are "<kind>/<UNIT>/<report-code>/<territory or ->", e.g.
 *  "overdue/UAD/quejas-gestiones/-" or "escalation/CV/acuerdo/OOAD-15", so
 *  subscribers filter by kind, unit, report and territory with ZeroMQ prefix
 *  matching ("overdue/", "overdue/UAD", "escalation/CV/acuerdo/OOAD-15").
 */
#ifndef MOT_NOTICE_TEXT_H_INCLUDED
#define MOT_NOTICE_TEXT_H_INCLUDED

#include "mot.pb-c.h"
#include <stdbool.h>

/* Longest notice id and report name accepted, in bytes. */
#define MOT_NOTICE_MAX_ID 320
#define MOT_NOTICE_MAX_NAME 300
#define MOT_NOTICE_MAX_RECIPIENTS 16

/* True when every field the text and the topic use is present, of a known
 * kind and unit, valid UTF-8 and within its length; else sets *reason. */
bool mot_notice_text_is_publishable (const Mot__V1__Notice *notice, const char **reason);
/* The Spanish text (malloc'd; NULL on allocation failure). */
char *mot_notice_text_render (const Mot__V1__Notice *notice);
/* True for a notice the watcher marked catch_up (fired late). */
bool mot_notice_text_is_catch_up (const Mot__V1__Notice *notice);

#endif
