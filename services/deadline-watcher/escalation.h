/*  escalation — who hears of an obligation that stays overdue, by level.
 *
 *  Owns: the escalation data file (deploy/escalation.tsv; its header
 *  documents the format): one line per level 1, 2, ... in order,
 *  "<level><TAB><recipient>[;<recipient>...]", recipients being offices or
 *  roles, never people. Each level goes further up: no recipient may be
 *  named at two levels (nor twice in one; compared ignoring ASCII case), so
 *  a file that repeats one is refused. There is no level above the last
 *  line: the watcher escalates at most that far (escalation_highest_level).
 */
#ifndef ESCALATION_H_INCLUDED
#define ESCALATION_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct _escalation_t escalation_t;

#define ESCALATION_MAX_LEVELS 20
#define ESCALATION_DEFAULT_FILE MOT_DEPLOY_DIR "/escalation.tsv"

/* Loads the file; NULL with *error = malloc'd "PATH:LINE: reason". */
escalation_t *escalation_new (const char *path, char **error);
void escalation_destroy (escalation_t **self_p);
/* How many levels the file names. */
size_t escalation_levels (escalation_t *self);
/* The recipients of `level` (1..escalation_levels): *count strings owned by
 * self; NULL with *count 0 for a level the file does not name. */
char **escalation_recipients (escalation_t *self, int level, size_t *count);
/* The highest level to send: `requested` (--escalate-max), capped to the
 * file's last level; the file's last level when `requested` < 0 (not
 * set). *capped tells whether a requested level was lowered. */
int escalation_highest_level (escalation_t *self, long requested, bool *capped);

#endif
