/*  mot_datafile — reading the data files the ops team edits.
 *
 *  Owns: the one loop every TSV loader shares (catalogues, rules, the
 *  obligation catalogue, escalation levels): open, read line by line with
 *  no length limit, skip blank lines and comments ('#' after optional white
 *  space), hand each other line to the loader, and name the file and line
 *  of the first problem.
 */
#ifndef MOT_DATAFILE_H_INCLUDED
#define MOT_DATAFILE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

/* Called with a line (its CR/LF removed; the loader may change it in place)
 * and its number. Returns NULL to go on, or the reason to stop. */
typedef const char *(mot_datafile_line_fn) (char *line, size_t number, void *arg);

/* Reads `path`. False with *error (malloc'd "PATH:LINE: reason"; line 0 when
 * the file cannot be opened or read) at the first line fn refuses. *lines
 * (may be NULL) is the number of lines read, for checks of the whole file. */
bool mot_datafile_read (const char *path, mot_datafile_line_fn *fn, void *arg, size_t *lines, char **error);

#endif
