/*  mot_grant — what a holder may do, in the words the CURVE certificates'
 *  metadata (motctl cert) and the dashboard's accounts file share (issue
 *  #12: "the dashboard's accounts carry the same roles").
 *
 *  Owns: the roles (upstream | analyst | subscriber | viewer | service), the
 *  names of what may be read (mupoi, muro, items, unclassified,
 *  obligations, audit, positions, status, maps, reports: the reporter's
 *  query kinds, the two maps as one) and the text of a list: names
 *  separated by commas, no space, none empty, or "*" alone for all. Unit
 *  lists use the contract's unit names (UEOD, UAD, UCS, CV, CAPSOI, CA:
 *  mot_source_parse); topic lists any printable prefixes. A unit or
 *  register list is read into a set, one bit each, so that a check is one
 *  AND; "*" is MOT_GRANT_ALL, which also holds names added later.
 */
#ifndef MOT_GRANT_H_INCLUDED
#define MOT_GRANT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t mot_grant_set_t;
#define MOT_GRANT_ALL UINT32_MAX

typedef enum {
    MOT_REGISTER_MUPOI,
    MOT_REGISTER_MURO,
    MOT_REGISTER_ITEMS,
    MOT_REGISTER_UNCLASSIFIED,
    MOT_REGISTER_OBLIGATIONS,
    MOT_REGISTER_AUDIT,
    MOT_REGISTER_POSITIONS,
    MOT_REGISTER_STATUS,
    MOT_REGISTER_MAPS,
    MOT_REGISTER_REPORTS,
    MOT_REGISTER_COUNT
} mot_register_t;

/* The longest text mot_grant_units_text writes, with its NUL. */
#define MOT_GRANT_UNITS_TEXT 64

/* "mupoi", "muro", …; "" out of range. */
const char *mot_register_name (mot_register_t which);
bool mot_grant_is_role (const char *role);
/* Reads a unit list ("UEOD,UAD" or "*") into *units; false when it is not one. */
bool mot_grant_read_units (const char *text, mot_grant_set_t *units);
/* Reads a register list ("mupoi,maps" or "*") into *registers; false when it is not one. */
bool mot_grant_read_registers (const char *text, mot_grant_set_t *registers);
/* Whether `text` is a topic list ("overdue/UAD,report/" or "*"). */
bool mot_grant_is_topics (const char *text);

bool mot_grant_has_register (mot_grant_set_t registers, mot_register_t which);
/* Whether one of the comma-separated unit names of `units` (an item's
 * units, "UEOD,CV") is in `set`; false for NULL or "". */
bool mot_grant_has_any_unit (mot_grant_set_t set, const char *units);
/* The set's unit names, comma-separated in the contract's order ("*" for
 * MOT_GRANT_ALL), into `out` (MOT_GRANT_UNITS_TEXT bytes). */
void mot_grant_units_text (mot_grant_set_t set, char *out);

#endif
