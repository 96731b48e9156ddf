/*  mot_score — the norm's scales and quadrants (MOT-SPEC §4).
 */
#include "mot_score.h"

#include <stddef.h>

bool
mot_score_is_valid (long score)
{
    return score >= 1 && score <= 10;
}

int
mot_score_quadrant (long impact, long vertical)
{
    if (!mot_score_is_valid (impact) || !mot_score_is_valid (vertical))
        return 0;
    bool high_impact = impact > 5;
    bool high_vertical = vertical > 5;
    if (high_impact && high_vertical)
        return 1;
    if (high_vertical)
        return 2;
    if (high_impact)
        return 4;
    return 3;
}

static const char *
pick (int quadrant, const char *const table[4])
{
    return quadrant >= 1 && quadrant <= 4 ? table[quadrant - 1] : "";
}

void
mot_score_quadrant_lookup (char *out)
{
    for (int impact = 0; impact <= 10; impact++)
        for (int vertical = 0; vertical <= 10; vertical++)
            out[impact * 11 + vertical] = (char) ('0' + mot_score_quadrant (impact, vertical));
    out[MOT_SCORE_QUADRANT_LOOKUP_SIZE - 1] = 0;
}

int
mot_score_quadrant_severity (int quadrant)
{
    static const int severity[] = {0, 4, 3, 1, 2};
    return quadrant >= 1 && quadrant <= 4 ? severity[quadrant] : 0;
}

void
mot_score_severity_lookup (char *out)
{
    for (int quadrant = 0; quadrant <= 4; quadrant++)
        out[quadrant] = (char) ('0' + mot_score_quadrant_severity (quadrant));
    out[5] = 0;
}

const char *
mot_score_quadrant_roman (int quadrant)
{
    static const char *const names[4] = {"I", "II", "III", "IV"};
    return pick (quadrant, names);
}

const char *
mot_score_quadrant_colour (int quadrant)
{
    static const char *const colours[4] = {"rojo", "naranja", "verde", "amarillo"};
    return pick (quadrant, colours);
}

const char *
mot_score_quadrant_meaning (int quadrant, bool riesgo)
{
    static const char *const problematicas[4] = {"vigilancia permanente", "vigilancia constante",
                                                 "vigilancia periódica", "vigilancia continua"};
    static const char *const riesgos[4] = {"atención inmediata", "atención periódica", "controlados",
                                           "seguimiento"};
    return pick (quadrant, riesgo ? riesgos : problematicas);
}

/* Both scales group 1..10 in pairs: 1-2, 3-4, 5-6, 7-8, 9-10. */
static const char *
scale_label (long score, const char *const labels[5])
{
    return mot_score_is_valid (score) ? labels[(score - 1) / 2] : "";
}

const char *
mot_score_impact_label (long impact)
{
    static const char *const labels[5] = {"Menor", "Bajo", "Moderado", "Grave", "Catastrófico"};
    return scale_label (impact, labels);
}

const char *
mot_score_vertical_label (long vertical)
{
    static const char *const labels[5] = {"Remota", "Inusual", "Probable", "Muy probable", "Recurrente"};
    return scale_label (vertical, labels);
}
