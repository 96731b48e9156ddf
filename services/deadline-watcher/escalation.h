/*  escalation — who hears of an obligation that stays overdue, by level.
 *
 *  Owns: the escalation data file (deploy/escalation.tsv; its header
 *  documents the format): one line per level 1, 2, ... in order,
 *  "<level><TAB><recipient>[;<recipient>...]", recipients being offices or
 *  roles, never people. A level above the last line uses the last line's
 *  recipients.
 */
#ifndef ESCALATION_H_INCLUDED
#define ESCALATION_H_INCLUDED

#include <stddef.h>

typedef struct _escalation_t escalation_t;

#define ESCALATION_MAX_LEVELS 20
#define ESCALATION_DEFAULT_FILE MOT_DEPLOY_DIR "/escalation.tsv"

/* Loads the file; NULL with *error = malloc'd "PATH:LINE: reason". */
escalation_t *escalation_new (const char *path, char **error);
void escalation_destroy (escalation_t **self_p);
/* How many levels the file names. */
size_t escalation_levels (escalation_t *self);
/* The recipients of `level` (>= 1): *count strings owned by self. */
char **escalation_recipients (escalation_t *self, int level, size_t *count);

#endif
