#!/usr/bin/env bash
# Least privilege on Redis (issue #12): each service connects as its own
# Redis ACL user (deploy/redis/users.acl) with a password read from a file.
# Checked here against the real Redis and the five real services:
#   - every service's connection runs as its own user, none as `default`;
#   - what each user may do works, and what it may not is refused: the
#     reporter cannot write the registers, the notifier cannot touch items,
#     the watcher reads items but cannot write them, nobody can FLUSHALL,
#     CONFIG, KEYS, SHUTDOWN, EVAL or change the ACL, and a script loaded
#     by a service reaches no key outside its user's list;
#   - no connection without a user; a wrong password and a missing or empty
#     password file are refused with a typed error in the log;
#   - a script's writes survive a Redis restart with `default` off (Redis
#     7.0 replays the AOF as `default`), and the services authenticate
#     again when they reconnect;
#   - no password in any log, in `ps`, in a service's environment or in
#     Redis's ACL file (which holds their SHA-256), the files' modes;
#   - every key pattern of users.acl names keys of mot_schema.h's key map.
# Expected outcomes are written here by hand from users.acl's intent.
source "$(dirname "$0")/lib.sh"

printf 'abasto\tAdministrativo\tDA\t8\n' >"$RUN/rules.tsv"
export MOT_CLASSIFICATION_RULES=$RUN/rules.tsv MOT_WATCH_FROM=2026-10
mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-11-03T09:00 >/dev/null || fail "motctl clock as its own user"
e2e_start_all

# --- redis-cli as one of the users ------------------------------------------
as_user() {   # as_user USER ARGS...: redis-cli as USER, its password from the run's secrets
  local user=$1
  shift
  REDISCLI_AUTH=$(head -n 1 "$MOT_REDIS_SECRETS/$user.password") redis-cli --user "$user" -s "$RUN/redis.sock" "$@" 2>&1
}
refused() {   # refused USER ARGS...: Redis refuses it for the user's rights
  local out
  out=$(as_user "$@")
  case $out in
    NOPERM*|"ERR The user executing the script can't"*) return 0 ;;
  esac
  echo "  as $1: ${*:2} -> $out" >&2
  return 1
}
answers() {   # answers EXPECTED USER ARGS...: the user may, and Redis answers EXPECTED
  local expected=$1 out
  shift
  out=$(as_user "$@")
  [ "$out" = "$expected" ] && return 0
  echo "  as $1: ${*:2} -> '$out', expected '$expected'" >&2
  return 1
}
export -f as_user refused answers

# --- traffic, so that there is an item, an event and notices ---------------
cat >"$RUN/events.jsonl" <<'JSONL'
{"type":"queja","source":"UAD","external_id":"ACL-Q1","territory":"OOAD-15","reason":"Abasto de medicamentos","received_on":"2026-10-01"}
{"type":"queja","source":"UAD","external_id":"ACL-Q2","territory":"OOAD-15","reason":"Abasto de medicamentos","received_on":"2026-10-02"}
JSONL
"$MOTCTL" submit --wait <"$RUN/events.jsonl" >"$RUN/acks.jsonl" || fail "submit: $(cat "$RUN/acks.jsonl")"
equals "two events applied to one item" "it-1 it-1" "$(grep -o '"item_id":"it-[0-9]*"' "$RUN/acks.jsonl" | cut -d'"' -f4 | paste -sd' ')"
check_generated 2026-10

# --- each service as its own user ---------------------------------------------
for name in "${MOT_SERVICES[@]}"; do
  check "mot-$name says which Redis user it is" grep -q "started redis=unix:$RUN/redis.sock redis_user=$name " "$RUN/log/$name.log"
done
equals "the connections' users: the five services' and the harness's admin, nobody as default" \
  "admin classifier deadline-watcher intake notifier reporter" \
  "$(rcli CLIENT LIST | grep -o ' user=[^ ]*' | cut -d= -f2 | sort -u | paste -sd' ')"

# --- nobody but the admin: the server's dangerous commands ------------------
for user in intake classifier deadline-watcher notifier reporter motctl; do
  check "$user cannot FLUSHALL, FLUSHDB, CONFIG, KEYS, SCAN, SHUTDOWN, ACL, EVAL, SCRIPT FLUSH, PUBLISH" bash -c "
    refused $user FLUSHALL && refused $user FLUSHDB && refused $user CONFIG GET maxmemory &&
    refused $user CONFIG SET appendonly no && refused $user KEYS '*' && refused $user SCAN 0 &&
    refused $user SHUTDOWN NOSAVE && refused $user ACL SETUSER $user '+@all' &&
    refused $user ACL LIST && refused $user EVAL 'return 1' 0 && refused $user SCRIPT FLUSH &&
    refused $user PUBLISH mot:notices x"
done
# --- what each may and may not do (users.acl) -------------------------------------
check "intake reads the clock and its hand-offs (none left)" \
  bash -c "answers 1793718000 intake GET mot:clock && answers '' intake ZSCORE mot:pending:classify ev-1"
check "intake reads an item (its units, for an analyst's command), read-only" bash -c "
  answers 'UAD' intake HGET 'mot:item:{it-1}' units"
check "intake cannot touch items, obligations, timers, the notice log, nor delete an event" bash -c "
  refused intake HSET 'mot:item:{it-1}' stage cerrado &&
  refused intake ZADD mot:timers 0 x && refused intake XADD mot:notices '*' n 1 && refused intake DEL mot:event:ev-1"
check "the classifier reads its item" answers identificacion classifier HGET 'mot:item:{it-1}' stage
check "the classifier cannot touch obligations, timers, the notifier's mark or the clock" bash -c "
  refused classifier HSET 'mot:obl:{UAD:quejas-gestiones:2026-10}' status delivered &&
  refused classifier ZADD mot:timers 0 x && refused classifier SET mot:notices:published 0 &&
  refused classifier XTRIM mot:notices MAXLEN 0 && refused classifier SET mot:clock 0"
check "the watcher reads an item's territory and writes positions" bash -c "
  answers OOAD-15 deadline-watcher HGET 'mot:item:{it-1}' territory &&
  answers 1 deadline-watcher HSETNX 'mot:item:{it-acl}:positions' 2026-10 '5,5,3,identificacion'"
check "the watcher cannot write or delete an item, nor read events" bash -c "
  refused deadline-watcher HSET 'mot:item:{it-1}' stage cerrado && refused deadline-watcher DEL 'mot:item:{it-1}' &&
  refused deadline-watcher ZADD mot:items:problematica 99 it-99 && refused deadline-watcher HGET mot:event:ev-1 envelope"
check "the notifier reads the notice log and its counter" bash -c "
  answers \"\$(rcli GET mot:seq:notice)\" notifier GET mot:seq:notice &&
  answers \"\$(rcli XRANGE mot:notices - + COUNT 1)\" notifier XRANGE mot:notices - + COUNT 1"
check "the notifier cannot touch items or events, nor write the counter, nor run scripts" bash -c "
  refused notifier HGET 'mot:item:{it-1}' stage && refused notifier HSET 'mot:item:{it-1}' stage cerrado &&
  refused notifier ZRANGE mot:items:problematica 0 -1 && refused notifier HGETALL mot:event:ev-1 &&
  refused notifier SET mot:seq:notice 0 && refused notifier DEL mot:notices && refused notifier SCRIPT LOAD 'return 1'"
check "the reporter reads items and obligations" bash -c "
  answers identificacion reporter HGET 'mot:item:{it-1}' stage &&
  answers \"\$(rcli ZRANGE mot:obls 0 0)\" reporter ZRANGE mot:obls 0 0"
check "the reporter cannot write: items, indexes, obligations, timers, events, counters, the clock" bash -c "
  refused reporter HSET 'mot:item:{it-1}' stage cerrado && refused reporter DEL 'mot:item:{it-1}' &&
  refused reporter ZADD mot:items:problematica 99 it-99 && refused reporter SET mot:seq:event 0 &&
  refused reporter HSET 'mot:obl:{UAD:quejas-gestiones:2026-10}' status delivered &&
  refused reporter ZREM mot:timers x && refused reporter HSET mot:event:ev-1 outcome applied &&
  refused reporter SET mot:clock 0 && refused reporter XTRIM mot:notices MAXLEN 0"
check "motctl's user moves the clock and reads nothing else" bash -c "
  answers 1793718000 motctl GET mot:clock && refused motctl HGET 'mot:item:{it-1}' stage && refused motctl GET mot:seq:notice"

# A script is no way round: its declared keys need read and write, and each
# command it runs is checked against the user running it.
sha_declared=$(as_user reporter SCRIPT LOAD "return redis.call('HSET', KEYS[1], 'stage', 'cerrado')")
sha_inside=$(as_user reporter SCRIPT LOAD "return redis.call('HSET', 'mot:item:{it-1}', 'stage', 'cerrado')")
check "the reporter's script cannot write an item it declares" refused reporter EVALSHA "$sha_declared" 1 'mot:item:{it-1}'
check "nor one it names inside" refused reporter EVALSHA "$sha_inside" 0
sha_del=$(as_user intake SCRIPT LOAD "return redis.call('DEL', KEYS[1])")
check "intake's script cannot run a command intake may not" refused intake EVALSHA "$sha_del" 1 mot:event:ev-1
equals "the item is untouched" identificacion "$(rcli HGET 'mot:item:{it-1}' stage)"
check "Redis logged those refusals with the user (ACL LOG)" bash -c "
  rcli ACL LOG 20 | paste -sd' ' | grep -q 'reason key context toplevel object mot:item:{it-1} username reporter' &&
  rcli ACL LOG 20 | paste -sd' ' | grep -q 'reason key context lua object mot:item:{it-1} username reporter' &&
  rcli ACL LOG 20 | paste -sd' ' | grep -q 'reason command context lua object del username intake'"
rcli ACL LOG RESET >/dev/null

# --- who may connect ---------------------------------------------------------------
equals "no connection without a user" "NOAUTH Authentication required." \
  "$(redis-cli -s "$RUN/redis.sock" GET mot:clock 2>&1)"
check "default cannot be authenticated as" bash -c "
  REDISCLI_AUTH=anything redis-cli --user default -s '$RUN/redis.sock' PING 2>&1 | grep -q '^AUTH failed: WRONGPASS'"
check "a wrong password is refused" bash -c "
  REDISCLI_AUTH=not-the-password redis-cli --user reporter -s '$RUN/redis.sock' PING 2>&1 | grep -q '^AUTH failed: WRONGPASS'"

# A service with a wrong password keeps retrying, saying why, and never serves.
mkdir -p "$RUN/wrong" "$RUN/none" "$RUN/empty"
chmod 700 "$RUN/wrong" "$RUN/none" "$RUN/empty"
wrong_password=wrong-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
echo "$wrong_password" >"$RUN/wrong/reporter.password"
: >"$RUN/empty/notifier.password"
MOT_REDIS_SECRETS=$RUN/wrong mot_start_service "$RUN" "$MOT_BIN" reporter:wrong \
  --query "tcp://127.0.0.1:$((${MOT_REPORTER_QUERY##*:} + 1))" --http off
auth_failed() {
  grep -q "ERROR reporter redis_auth_failed address=unix:$RUN/redis.sock user=reporter reason=\"WRONGPASS" "$RUN/log/reporter-wrong.log" &&
    [ "$(grep -c 'redis_retry' "$RUN/log/reporter-wrong.log")" -ge 2 ]
}
check "a refused password: redis_auth_failed with the user, retried every second" mot_wait 20 auth_failed
check "... the service is still running" mot_pid_alive "$RUN/pids/reporter-wrong.pid"
check "... and never got ready" bash -c "! grep -q 'INFO reporter ready' '$RUN/log/reporter-wrong.log'"
check "... and its password is not in its log" bash -c "! grep -qF '$wrong_password' '$RUN/log/reporter-wrong.log'"
mot_kill_service "$RUN" reporter-wrong
rcli ACL LOG RESET >/dev/null      # the refused AUTHs

set +e
MOT_REDIS_SECRETS=$RUN/none timeout 20 "$MOT_BIN/mot-notifier" >"$RUN/none.out" 2>&1
none_status=$?
MOT_REDIS_SECRETS=$RUN/empty timeout 20 "$MOT_BIN/mot-notifier" >"$RUN/empty.out" 2>&1
empty_status=$?
set -e
equals "no password file: the service stops (exit 1)" 1 "$none_status"
check "... saying which file and why" grep -q \
  "ERROR notifier redis_password_unreadable user=notifier file=$RUN/none/notifier.password reason=\"No such file or directory\"" "$RUN/none.out"
equals "an empty password file: the service stops (exit 1)" 1 "$empty_status"
check "... saying it is empty" grep -q \
  "ERROR notifier redis_password_unreadable user=notifier file=$RUN/empty/notifier.password reason=\"empty\"" "$RUN/empty.out"

# --- a restart of Redis: script writes replayed, services authenticate again --
# What accept.lua, commit.lua and create.lua wrote (each logged in the AOF
# as a MULTI/EXEC block).
q2=$(grep '"external_id":"ACL-Q2"' "$RUN/acks.jsonl" | grep -o '"event_id":"ev-[0-9]*"' | cut -d'"' -f4)
script_writes() {
  echo "items=$(rcli ZRANGE mot:items:problematica 0 -1 | paste -sd,) events=$(rcli HGET 'mot:item:{it-1}' events)" \
    "dedup=$(rcli GET mot:dedup:UAD:ACL-Q2) item=$(rcli HGET "mot:event:$q2" item_id)" \
    "obligation=$(rcli HGET 'mot:obl:{UAD:quejas-gestiones:2026-10}' deadline)"
}
before=$(script_writes)
# UAD's October report: 10 business days after Saturday Oct 31 → Friday Nov 13.
equals "before the restart: the scripts' writes" \
  "items=it-1 events=2 dedup=$q2 item=it-1 obligation=2026-11-13" "$before"
rcli SHUTDOWN >/dev/null 2>&1 || true
mot_wait 10 bash -c "! [ -S '$RUN/redis.sock' ]" || fail "redis did not stop"
mot_start_redis "$RUN"
equals "after the restart they are back (the AOF replayed with default off)" "$before" "$(script_writes)"
equals "nothing refused while replaying" "" "$(rcli ACL LOG)"
echo '{"type":"queja","source":"UAD","external_id":"ACL-Q3","territory":"OOAD-15","reason":"Abasto de medicamentos","received_on":"2026-10-03"}' \
  | "$MOTCTL" submit >"$RUN/acks3.jsonl" || true
check "the services authenticate again when they reconnect: intake stores" grep -q '"status":"accepted"' "$RUN/acks3.jsonl"
third_event() { [ "$(rcli HGET 'mot:item:{it-1}' events)" = 3 ]; }
check "... the classifier applies" mot_wait 30 third_event
reporter_reads() { "$MOTCTL" mupoi --csv --timeout 2 >"$RUN/mupoi.csv" && [ "$(csv_field "$RUN/mupoi.csv" id it-1 eventos)" = 3 ]; }
check "... the reporter reads" mot_wait 30 reporter_reads

# --- no password anywhere it could leak ---------------------------------------------
cat "$MOT_REDIS_SECRETS"/*.password | sort -u >"$RUN/passwords.txt"
equals "nine users have a password of their own" 9 "$(wc -l <"$RUN/passwords.txt")"
check "no password in any log (Redis's too)" bash -c "! grep -rqF -f '$RUN/passwords.txt' '$RUN/log'"
check "no password in ps" bash -c "! ps -eo args | grep -qF -f '$RUN/passwords.txt'"
check "no password in a service's environment" bash -c "
  for f in '$RUN'/pids/{intake,classifier,deadline-watcher,notifier,reporter}.pid; do
    tr '\0' '\n' </proc/\$(cat \$f)/environ | grep -qF -f '$RUN/passwords.txt' && exit 1
  done; exit 0"
check "no password in Redis's ACL file" bash -c "! grep -qF -f '$RUN/passwords.txt' '$RUN/redis/users.acl'"
for user in intake classifier deadline-watcher notifier reporter motctl admin; do
  hash=$(head -n 1 "$MOT_REDIS_SECRETS/$user.password" | tr -d '\n' | sha256sum | cut -d' ' -f1)
  check "the ACL file holds $user's password as its SHA-256" grep -q "^user $user .* #$hash\$" "$RUN/redis/users.acl"
done
equals "the secrets folder is 700, each password file 600, the ACL file 600" "700 600 600" \
  "$(stat -c %a "$MOT_REDIS_SECRETS") $(stat -c %a "$MOT_REDIS_SECRETS"/*.password | sort -u) $(stat -c %a "$RUN/redis/users.acl")"

# --- the key patterns name keys of the schema's key map --------------------------
# The key map in mot_schema.h's header, ids replaced by "x".
grep '^ \*    mot:' "$MOT_SOURCE/common/mot_schema.h" | grep -o 'mot:[^ ]*' | sed 's/<[^>]*>/x/g' >"$RUN/keys.txt"
check "the key map lists the keys (e.g. mot:item:{x}:positions, mot:seq:item)" bash -c "
  grep -qxF 'mot:item:{x}:positions' '$RUN/keys.txt' && grep -qxF mot:seq:item '$RUN/keys.txt'"
grep -v '^[[:space:]]*#' "$MOT_SOURCE/deploy/redis/users.acl" | grep -o '~[^ ]*' | sed 's/^~//' | sort -u >"$RUN/patterns.txt"
unmatched=""
while read -r pattern; do
  found=0
  while read -r key; do
    # shellcheck disable=SC2053  # the pattern is a glob, as Redis reads it
    [[ $key == $pattern ]] && found=1 && break
  done <"$RUN/keys.txt"
  [ $found = 1 ] || unmatched="$unmatched $pattern"
done <"$RUN/patterns.txt"
check "users.acl has key patterns" [ "$(wc -l <"$RUN/patterns.txt")" -gt 20 ]
equals "every key pattern of users.acl names keys of mot_schema.h" "" "$unmatched"

echo "$E2E_CHECKS passed, 0 failed"
