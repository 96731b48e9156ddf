/*  rules — the analyst-editable rules the classifier proposes with.
 *
 *  Owns: deploy/rules/classification.tsv (KEYWORD, CATEGORY, ON, IMPACT; the
 *  first keyword found in the normalised topic + description wins) and
 *  deploy/rules/frequency.tsv (MIN_EVENTS, SCORE; the score of the last row
 *  whose minimum the item's event count reaches). Both are read at start-up.
 */
#ifndef RULES_H_INCLUDED
#define RULES_H_INCLUDED

#include <stdbool.h>

#define RULES_UNCLASSIFIED "sin clasificar"

typedef struct _rules_t rules_t;

typedef struct {
    const char *category;       /* RULES_UNCLASSIFIED when nothing matched */
    const char *on;
    int impact;                 /* 0 when nothing matched */
    const char *keyword;        /* the rule that matched, or NULL */
} rules_match_t;

/* NULL with *error set (malloc'd "FILE:LINE: reason") on a bad file. */
rules_t *rules_new (const char *classification_path, const char *frequency_path, char **error);
void rules_destroy (rules_t **self_p);
/* `text` must already be normalised (mot_text_normalise). */
rules_match_t rules_match (rules_t *self, const char *text);
/* The frequency table as "min:score,min:score,…" for the Lua commit step. */
const char *rules_frequency_table (rules_t *self);

#endif
