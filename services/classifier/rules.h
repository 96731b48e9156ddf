/*  rules — the analyst-editable rules the classifier proposes with.
 *
 *  Owns three data files, read at start-up (no rebuild to change them):
 *  - deploy/rules/classification.tsv: KEYWORD, CATEGORY, ON, IMPACT; the
 *    first keyword found in the normalised topic + description wins.
 *  - deploy/rules/frequency.tsv: MIN_EVENTS, SCORE; the score of the last
 *    row whose minimum the item's event count (in the window) reaches (1
 *    below the first row). MIN_EVENTS is at most RULES_MAX_MIN_EVENTS.
 *  - deploy/rules/impact.tsv: rows `origin SOURCE IMPACT`, `reach MIN IMPACT`
 *    and `territory CODE|KIND ADJUST`. An event's impact, when the unit did
 *    not score it:
 *      1. base = the keyword rule's impact when a keyword matched, else the
 *         origin row of the event's unit, else the default impact;
 *      2. a media note: the highest reach row whose MIN its reach attains
 *         raises the base to that IMPACT (max);
 *      3. territory: the ADJUST of the row for the exact code, else of the
 *         row for its kind (the code's part before '-': OOAD, UMAE), is added;
 *      4. the result is capped to 1..10.
 *    An impact the unit gave (UEOD/CV findings, CAPSOI risks) is taken as is.
 */
#ifndef RULES_H_INCLUDED
#define RULES_H_INCLUDED

#include "mot_schema.h"
#include <stdbool.h>
#include <stdint.h>

#define RULES_MAX_MIN_EVENTS 10000

typedef struct _rules_t rules_t;

typedef struct {
    const char *category;       /* MOT_UNCLASSIFIED when nothing matched */
    const char *on;
    int impact;                 /* 0 when nothing matched */
    const char *keyword;        /* the rule that matched, or NULL */
} rules_match_t;

typedef struct {
    const char *source;         /* unit code, e.g. "UAD" */
    const char *territory;      /* catalogue code, e.g. "UMAE-03" */
    int keyword_impact;         /* 0: no keyword matched */
    bool has_reach;             /* a media note with an audience estimate */
    uint32_t reach;
    int given_impact;           /* 0: the unit gave none */
} rules_impact_input_t;

/* NULL with *error set (malloc'd "FILE:LINE: reason") on a bad file.
 * default_impact (1..10) is the base when neither a keyword nor an origin
 * row applies. */
rules_t *rules_new (const char *classification_path, const char *frequency_path, const char *impact_path,
                    int default_impact, char **error);
void rules_destroy (rules_t **self_p);
/* `text` must already be normalised (mot_text_normalise). */
rules_match_t rules_match (rules_t *self, const char *text);
/* The frequency score of an item with `count` events in the window. */
int rules_frequency (rules_t *self, long count);
/* The frequency score of 0, 1, 2… events, as the Lua commit step takes it
 * (mot_scripts.h): one character '0' + score per count up to the highest
 * MIN_EVENTS, which stands for every larger count. */
const char *rules_frequency_lookup (rules_t *self);
/* The proposed impact, 1..10. When `basis` is not NULL it receives (malloc'd,
 * NULL on allocation failure) the rules applied, for the audit trail, e.g.
 * "keyword 8; reach>=100000 9; territory UMAE +1". */
int rules_impact (rules_t *self, const rules_impact_input_t *input, char **basis);

#endif
