#!/usr/bin/env bash
# test_motctl_calendar — `motctl due` and `motctl holidays` against answers
# counted by hand from a printed calendar (not from the code under test).
# Needs no Redis and no sockets. Env: MOT_BIN (build dir), MOT_SOURCE (source dir).
set -euo pipefail

MOT_BIN=${MOT_BIN:?set MOT_BIN to the build directory}
MOT_SOURCE=${MOT_SOURCE:?set MOT_SOURCE to the source directory}
MOTCTL="$MOT_BIN/motctl"
SHIPPED="$MOT_SOURCE/deploy/calendar/dias-inhabiles.tsv"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/test_motctl_calendar.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
EMPTY="$WORK/empty.tsv"
: >"$EMPTY"

failures=0
fail () {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_output DESCRIPTION EXPECTED -- motctl ARGS...
expect_output () {
    local what=$1 expected=$2
    shift 3
    local actual rc=0
    actual=$("$MOTCTL" "$@" 2>"$WORK/stderr") || rc=$?
    if [[ $rc -ne 0 ]]; then
        fail "$what: motctl $* exited $rc: $(cat "$WORK/stderr")"
    elif [[ "$actual" != "$expected" ]]; then
        fail "$what: motctl $*"$'\n'"--- expected"$'\n'"$expected"$'\n'"--- got"$'\n'"$actual"
    fi
}

# expect_exit DESCRIPTION CODE STDERR_SUBSTRING -- motctl ARGS...
expect_exit () {
    local what=$1 code=$2 needle=$3
    shift 4
    local rc=0
    "$MOTCTL" "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    if [[ $rc -ne $code ]]; then
        fail "$what: motctl $* exited $rc, expected $code"
    elif [[ -n "$needle" ]] && ! grep -qF -- "$needle" "$WORK/stderr"; then
        fail "$what: stderr lacks '$needle': $(cat "$WORK/stderr")"
    fi
}

[[ -x "$MOTCTL" ]] || { echo "FAIL: $MOTCTL is not built" >&2; exit 1; }
[[ -r "$SHIPPED" ]] || { echo "FAIL: $SHIPPED is missing" >&2; exit 1; }

# --- holidays ------------------------------------------------------------
expect_output "2030 statutory days incl. 1 Oct" \
"2030-01-01	Año Nuevo
2030-02-04	Día de la Constitución
2030-03-18	Natalicio de Benito Juárez
2030-05-01	Día del Trabajo
2030-09-16	Día de la Independencia
2030-10-01	Transmisión del Poder Ejecutivo Federal
2030-11-18	Revolución Mexicana
2030-12-25	Navidad" -- holidays --calendar /dev/null 2030

# 2027: 1 May and 25 Dec fall on Saturdays and are not listed; no 1 Oct.
expect_output "2027 weekdays only" \
"2027-01-01	Año Nuevo
2027-02-01	Día de la Constitución
2027-03-15	Natalicio de Benito Juárez
2027-09-16	Día de la Independencia
2027-11-15	Revolución Mexicana" -- holidays --calendar "$EMPTY" 2027

expect_output "2026 with the shipped file (default)" \
"2026-01-01	Año Nuevo
2026-02-02	Día de la Constitución
2026-03-16	Natalicio de Benito Juárez
2026-04-02	Jueves Santo
2026-04-03	Viernes Santo
2026-05-01	Día del Trabajo
2026-09-16	Día de la Independencia
2026-11-16	Revolución Mexicana
2026-12-25	Navidad" -- holidays 2026

printf '# extra\n2026-11-02\n2026-12-25\tCierre\n2026-05-05\tBatalla de Puebla\n' >"$WORK/extra.tsv"
expect_output "extra days from --calendar=FILE" \
"2026-01-01	Año Nuevo
2026-02-02	Día de la Constitución
2026-03-16	Natalicio de Benito Juárez
2026-05-01	Día del Trabajo
2026-05-05	Batalla de Puebla
2026-09-16	Día de la Independencia
2026-11-02	Día inhábil
2026-11-16	Revolución Mexicana
2026-12-25	Navidad" -- holidays --calendar="$WORK/extra.tsv" 2026

# --- due -----------------------------------------------------------------
# 10 bd after the close of March 2026: 1-3, 6-10, 13-14 Apr; with the shipped
# file Jueves/Viernes Santo (2-3 Apr) are off: 1, 6-10, 13-16 Apr.
expect_output "10 bd after March 2026, statutory only" "2026-04-14" -- due --calendar "$EMPTY" 2026-03-31 10
expect_output "10 bd after March 2026, shipped file" "2026-04-16" -- due 2026-03-31 10
expect_output "10 bd after March 2026, explicit shipped" "2026-04-16" -- due --calendar "$SHIPPED" 2026-03-31 10
# 24 Dec 2026 Thu: 25 Dec and 1 Jan are Fridays off → 28, 29, 30, 31 Dec, 4 Jan.
expect_output "5 bd after Christmas Eve 2026" "2027-01-04" -- due --calendar=/dev/null 2026-12-24 5
# 1 Oct 2024 is off, 1 Oct 2025 is not.
expect_output "1 Oct 2024" "2024-10-02" -- due --calendar /dev/null 2024-09-30 1
expect_output "1 Oct 2025" "2025-10-01" -- due --calendar /dev/null 2025-09-30 1
# 1 Dec is no longer a holiday: Fri 28 Nov 2025 + 1 = Mon 1 Dec.
expect_output "1 Dec 2025" "2025-12-01" -- due --calendar /dev/null 2025-11-28 1
expect_output "N = 0" "2026-04-04" -- due --calendar /dev/null 2026-04-04 0
expect_output "options after positionals" "2026-04-14" -- due 2026-03-31 10 --calendar "$EMPTY"

# --- errors --------------------------------------------------------------
expect_exit "impossible date" 2 "2026-02-30" -- due 2026-02-30 1
expect_exit "sloppy date" 2 "2026-2-3" -- due 2026-2-3 1
expect_exit "negative N" 2 "-1" -- due 2026-03-31 -1
expect_exit "N too large" 2 "10001" -- due 2026-03-31 10001
expect_exit "N not a number" 2 "ten" -- due 2026-03-31 ten
expect_exit "missing N" 2 "" -- due 2026-03-31
expect_exit "extra argument" 2 "" -- due 2026-03-31 1 2
expect_exit "year too small" 2 "1899" -- holidays 1899
expect_exit "year not a number" 2 "20x6" -- holidays 20x6
expect_exit "unknown option" 2 "--bogus" -- holidays --bogus 2026
expect_exit "--calendar without FILE" 2 "" -- holidays --calendar
expect_exit "missing calendar" 1 "$WORK/nope.tsv" -- holidays --calendar "$WORK/nope.tsv" 2026
printf '2026-04-02\tJueves Santo\n2026-04-03 Viernes Santo\n' >"$WORK/bad.tsv"
expect_exit "bad calendar line" 1 "$WORK/bad.tsv:2:" -- due --calendar "$WORK/bad.tsv" 2026-03-31 1
expect_exit "help" 0 "" -- due --help
expect_exit "help" 0 "" -- holidays --help
if ! "$MOTCTL" holidays --help | grep -q "YEAR"; then fail "holidays --help prints no usage"; fi

if [[ $failures -ne 0 ]]; then
    echo "test_motctl_calendar: $failures failure(s)" >&2
    exit 1
fi
echo "test_motctl_calendar: ok"
