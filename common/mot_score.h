/*  mot_score — the norm's scales and quadrants (MOT-SPEC §4).
 *
 *  Owns: labels of the 1..10 impact and frequency/probability scales and the
 *  quadrant of a pair. "High" means > 5 on an axis; 5 is low.
 *    I   impact > 5, vertical > 5   rojo
 *    II  impact <= 5, vertical > 5  naranja
 *    III impact <= 5, vertical <= 5 verde
 *    IV  impact > 5, vertical <= 5  amarillo
 */
#ifndef MOT_SCORE_H_INCLUDED
#define MOT_SCORE_H_INCLUDED

#include <stdbool.h>

bool mot_score_is_valid (long score);               /* 1..10 */
/* 1..4 for quadrants I..IV; 0 when a score is out of range. */
int mot_score_quadrant (long impact, long vertical);
/* The quadrant of every pair (impact, vertical) in 0..10, for a Lua script
 * that scores (commit.lua): out[impact * 11 + vertical] is '0' + the
 * quadrant (0 when a score is out of range); out must hold
 * MOT_SCORE_QUADRANT_LOOKUP_SIZE bytes and is NUL-terminated. */
#define MOT_SCORE_QUADRANT_LOOKUP_SIZE (11 * 11 + 1)
void mot_score_quadrant_lookup (char *out);
/* How serious a quadrant is, by the norm's colours: I rojo 4, II naranja 3,
 * IV amarillo 2, III verde 1 (0: none). A move to a higher one is a move
 * to a worse quadrant. The lookup holds the severity of quadrants 0..4, one
 * digit each, for commit.lua; out must hold MOT_SCORE_SEVERITY_LOOKUP_SIZE
 * bytes and is NUL-terminated. */
int mot_score_quadrant_severity (int quadrant);
#define MOT_SCORE_SEVERITY_LOOKUP_SIZE (5 + 1)
void mot_score_severity_lookup (char *out);
const char *mot_score_quadrant_roman (int quadrant);  /* "I".."IV", "" */
const char *mot_score_quadrant_colour (int quadrant); /* "rojo", "naranja", "verde", "amarillo" */
/* The norm's reading of the quadrant for problemáticas or riesgos,
 * e.g. "vigilancia permanente" / "atención inmediata". */
const char *mot_score_quadrant_meaning (int quadrant, bool riesgo);
const char *mot_score_impact_label (long impact);      /* "Catastrófico" … "Menor" */
const char *mot_score_vertical_label (long vertical);  /* "Recurrente" … "Remota" */

#endif
