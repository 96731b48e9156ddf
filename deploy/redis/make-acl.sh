#!/usr/bin/env bash
# make-acl.sh — Redis's ACL file for the MOT pipeline, from the shipped
# template (users.acl beside this script, or MOT_REDIS_ACL_TEMPLATE) and a
# folder of passwords.
#
#   make-acl.sh SECRETS_DIR OUT_FILE
#
# SECRETS_DIR holds one password per user, <user>.password (its first
# line); a missing one is made, 64 random hex digits, mode 600 in a folder
# of mode 700. OUT_FILE (mode 600) gets each user of the template on one
# line with the SHA-256 of its password (`#<hex>`: Redis keeps the hash,
# never the password); a user that is `off` gets none. The template's
# comments and blank lines are dropped and each indented line is joined to
# the user line above: Redis's ACL file has neither. Nothing prints a
# password.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: make-acl.sh SECRETS_DIR OUT_FILE" >&2
  exit 2
fi
secrets=$1 out=$2
template=${MOT_REDIS_ACL_TEMPLATE:-$(cd "$(dirname "$0")" && pwd)/users.acl}
if [ ! -r "$template" ]; then
  echo "make-acl.sh: cannot read the template $template" >&2
  exit 1
fi
umask 077
mkdir -p "$secrets"
chmod 700 "$secrets"

# The template's users, one line each.
users() {
  awk '/^[[:space:]]*(#|$)/ { next }
       /^[[:space:]]/ { sub(/^[[:space:]]+/, ""); line = line " " $0; next }
       { if (line != "") print line; line = $0 }
       END { if (line != "") print line }' "$template"
}

# make_password FILE: 32 random bytes as hex, unless FILE has one.
make_password() {
  [ -s "$1" ] && return 0
  od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1"
  echo >>"$1"
}

password_hash() {   # password_hash FILE: SHA-256 of its first line
  head -n 1 "$1" | tr -d '\r\n' | sha256sum | cut -d' ' -f1
}

tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
while read -r -a rules; do
  if [ "${rules[0]}" != user ] || [ ${#rules[@]} -lt 2 ]; then
    echo "make-acl.sh: $template: a line that does not start with 'user NAME'" >&2
    exit 1
  fi
  case " ${rules[*]} " in
    *" off "*) echo "${rules[*]}" ;;
    *) make_password "$secrets/${rules[1]}.password"
       echo "${rules[*]} #$(password_hash "$secrets/${rules[1]}.password")" ;;
  esac
done < <(users) >"$tmp"
mv "$tmp" "$out"
trap - EXIT
