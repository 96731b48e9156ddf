#!/usr/bin/env bash
# A full year (2026) of the monthly and quarterly obligations of every unit
# of the shipped catalogue (its month_close, last_update and quarter_close
# rows: the quarterly ones are the six units' IAT, period YYYY-Qn, due 3 bd
# after the close of March, June, September and December), some delivered
# on time, some early, some late (on a Saturday: counted as received on the
# next business day), some never. The clock is stepped
# through every moment something is due (timers fire at 00:00 local, the
# test delivers at 12:00), waiting at each step until the system is quiet.
# The notices published — (notice id, kind, deadline, business days late,
# escalation level, fired_at) — must equal a list computed HERE by a second,
# independent method: the awk business-day counter below, written from the
# rules of MOT-SPEC §5 (weekends; LFT art. 74: 1 Jan, first Monday of Feb,
# third Monday of Mar, 1 May, 16 Sep, 1 Oct every six years from 2024, third
# Monday of Nov, 25 Dec; plus the shipped extra-days file), not by motctl or
# the C calendar. The escalation file is the test's own, three levels of
# distinct offices (the shipped one has two), so that the cap at
# --escalate-max 3 is seen.
source "$(dirname "$0")/lib.sh"

export MOT_WATCH_FROM=2026-01 MOT_REMIND_BD=2 MOT_ESCALATE_EVERY_BD=5 MOT_ESCALATE_MAX=3
export MOT_WATCHER_TICK_MS=50 MOT_OBLIGATIONS=$RUN/obligations.tsv MOT_ESCALATION=$RUN/escalation.tsv
awk -F'\t' '!/^#/ && NF == 6 && ($4 == "month_close" || $4 ~ /^last_update:/ || $4 == "quarter_close")' \
  "$MOT_SOURCE/deploy/obligations.tsv" >"$MOT_OBLIGATIONS"
rows=$(wc -l <"$MOT_OBLIGATIONS")
[ "$rows" -ge 10 ] || fail "only $rows monthly rows in the shipped catalogue"
equals "the shipped catalogue has the six units' quarterly IAT" "CA CAPSOI CV UAD UCS UEOD" \
  "$(awk -F'\t' '$4 == "quarter_close" && $2 == "avance-iat" { print $1 }' "$MOT_OBLIGATIONS" | sort | tr '\n' ' ' | sed 's/ $//')"
printf '1\tTitular de la unidad\n2\tTDOE\n3\tOficina de prueba del nivel 3\n' >"$MOT_ESCALATION"
grep -v '^#' "$MOT_SOURCE/deploy/calendar/dias-inhabiles.tsv" | cut -f1 | grep . >"$RUN/extra-days.txt"

# ---- the second method -------------------------------------------------------
# Each obligation (row i, month index k from 2026-01; a quarterly row only
# when month k ends a quarter, period YYYY-Qn) gets a fate (i + k) % 4:
#   0 delivered on its deadline day, 1 never, 2 delivered on the first
#   Saturday after the 7th business day late, 3 delivered the day after the
#   month's close.
# Notices: reminder at 00:00 of the 2nd business day before the deadline;
# overdue at 00:00 after the deadline day (late: 1 if that day is a business
# day, else 0); escalation k at 00:00 of the (5k)-th business day after the
# deadline (late 5k), k = 1..3; each only if it falls before the delivery;
# delivered_late at the delivery, late = business days in (deadline, the
# first business day from the delivery day on] (a Saturday delivery counts
# as received on the next business day).
# The clock visits T = 00:00:30 local of every timer day and 12:00 local of
# every delivery day, up to the last event of the 2026 periods (END); the
# notices of 2027-01 that fall before END are part of the list too.
awk -F'\t' -v rows="$rows" -v out="$RUN" '
function days(y, m, d,   era, yoe, doy, doe) {      # days since 1970-01-01
  y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
  doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
  return era * 146097 + doe - 719468
}
function wday(z) { return (z % 7 + 11) % 7 }          # 0 Sunday .. 6 Saturday; 1970-01-01 was a Thursday
function nth_monday(y, m, n,   z) { z = days(y, m, 1); while (wday(z) != 1) z++; return z + 7 * (n - 1) }
function add_holidays(y) {
  hol[days(y, 1, 1)]; hol[nth_monday(y, 2, 1)]; hol[nth_monday(y, 3, 3)]; hol[days(y, 5, 1)]
  hol[days(y, 9, 16)]; hol[nth_monday(y, 11, 3)]; hol[days(y, 12, 25)]
  if (y >= 2024 && (y - 2024) % 6 == 0) hol[days(y, 10, 1)]
}
function bd(z) { return wday(z) != 0 && wday(z) != 6 && !(z in hol) }
function add_bd(z, n) { while (n > 0) { z++; if (bd(z)) n-- } return z }
function back_bd(z, n) { while (n > 0) { z--; if (bd(z)) n-- } return z }
function between(a, b,   c) { c = 0; while (a < b) { a++; if (bd(a)) c++ } return c }
function received(z) { while (!bd(z)) z++; return z }
function last_day(y, m) { return m == 12 ? days(y + 1, 1, 1) - 1 : days(y, m + 1, 1) - 1 }
function ymd(z,   a, b, c, d, e, m, y) {              # z → YYYY-MM-DD (Fliegel & Van Flandern)
  a = z + 2440588 + 32044; b = int((4 * a + 3) / 146097); c = a - int(146097 * b / 4)
  d = int((4 * c + 3) / 1461); e = c - int(1461 * d / 4); m = int((5 * e + 2) / 153)
  y = 100 * b + d - 4800 + int(m / 10)
  return sprintf("%04d-%02d-%02d", y, m + 3 - 12 * int(m / 10), e - int((153 * m + 2) / 5) + 1)
}
function at(z, seconds) { return sprintf("%.0f", z * 86400 + 6 * 3600 + seconds) + 0 }   # local time, UTC-6
function txt(t) { return sprintf("%.0f", t) }
function note(t, line) { n_notes++; note_t[n_notes] = t; note_line[n_notes] = line }
FILENAME == ARGV[1] { split($1, p, "-"); hol[days(p[1] + 0, p[2] + 0, p[3] + 0)]; next }
{ unit[FNR] = $1; code[FNR] = $2; nbd[FNR] = $5; quarterly[FNR] = $4 == "quarter_close" }
END {
  for (y = 2026; y <= 2027; y++) add_holidays(y)
  end_time = 0
  for (k = 0; k <= 12; k++) {
    y = 2026 + int(k / 12); m = k % 12 + 1; period = sprintf("%04d-%02d", y, m)
    cl = last_day(y, m)
    for (i = 1; i <= rows; i++) {
      if (quarterly[i] && m % 3 != 0) continue
      pp = quarterly[i] ? sprintf("%04d-Q%d", y, m / 3) : period
      id = unit[i] ":" code[i] ":" pp; dl = add_bd(cl, nbd[i]); fate = (i - 1 + k) % 4
      saturday = add_bd(dl, 7); while (wday(saturday) != 6) saturday++
      deliver_day = fate == 0 ? dl : fate == 2 ? saturday : fate == 3 ? cl + 1 : -1
      td = deliver_day < 0 ? 9e18 : at(deliver_day, 12 * 3600)
      n = 0
      t_[++n] = at(back_bd(dl, 2), 30); l_[n] = id "|reminder reminder " ymd(dl) " - -"
      t_[++n] = at(dl + 1, 30); l_[n] = id "|overdue overdue " ymd(dl) " " (bd(dl + 1) ? 1 : 0) " -"
      for (e = 1; e <= 3; e++) { t_[++n] = at(add_bd(dl, 5 * e), 30); l_[n] = id "|escalation|" e " escalation " ymd(dl) " " (5 * e) " " e }
      for (j = 1; j <= n; j++) if (t_[j] < td) { note(t_[j], l_[j] " " txt(t_[j])); if (k < 12 && t_[j] > end_time) end_time = t_[j] }
      if (deliver_day >= 0) {
        late = deliver_day <= dl ? 0 : between(dl, received(deliver_day))
        if (late > 0) note(td, id "|delivered_late delivered_late " ymd(dl) " " late " - " txt(td))
        deliveries[++n_del] = txt(td) "\tdeliver\t" unit[i] "\t" code[i] "\t" pp "\t" ymd(deliver_day)
        if (k < 12 && td > end_time) end_time = td
      }
    }
  }
  for (j = 1; j <= n_notes; j++) if (note_t[j] <= end_time) { print note_line[j] > (out "/expected.txt"); print txt(note_t[j]) "\tstep" > (out "/steps.txt") }
  for (j = 1; j <= n_del; j++) { split(deliveries[j], f, "\t"); if (f[1] + 0 <= end_time + 0) print deliveries[j] > (out "/steps.txt") }
}' "$RUN/extra-days.txt" "$MOT_OBLIGATIONS" || fail "the expected list could not be computed"
[ -s "$RUN/expected.txt" ] && [ -s "$RUN/steps.txt" ] || fail "awk wrote no lists"
sort -o "$RUN/expected.txt" "$RUN/expected.txt"
sort -u "$RUN/steps.txt" | sort -n -s -k1,1 -o "$RUN/steps.txt"
expected_count=$(wc -l <"$RUN/expected.txt")
echo "expected $expected_count notices over $(cut -f1 "$RUN/steps.txt" | sort -u | wc -l) clock steps"

# ---- the system --------------------------------------------------------------
quiet_lua="local now = redis.call('GET', 'mot:clock')
if redis.call('ZCOUNT', 'mot:timers', '-inf', now) > 0 then return 0 end
if tonumber(redis.call('GET', 'mot:notices:published') or '0') ~= tonumber(redis.call('GET', 'mot:seq:notice') or '0') then return 0 end
if redis.call('ZCARD', 'mot:pending:watch') > 0 then return 0 end
if ARGV[1] ~= '' and (redis.call('GET', 'mot:watch:generated') or '') < ARGV[1] then return 0 end
return 1"
settle() {   # settle PERIOD_THAT_MUST_BE_GENERATED (or "")
  local i
  for i in $(seq 1200); do
    [ "$(rcli EVAL "$quiet_lua" 0 "$1")" = 1 ] && return 0
    sleep 0.05
  done
  fail "not quiet at $(rcli GET mot:clock) (generated: $(rcli GET mot:watch:generated))"
}
# The last month the watcher must have generated at unix time $1: the month
# before its local month ("" in January 2026).
month_before() {
  local ym
  ym=$(date -u -d "@$(($1 - 6 * 3600))" +%Y-%m)
  [ "$ym" = 2026-01 ] && { echo ""; return; }
  date -u -d "${ym}-01 -1 month" +%Y-%m
}

mot_start_redis "$RUN"
"$MOTCTL" clock set 2026-01-20T12:00 >/dev/null
e2e_start_all
clock_now=""
while IFS=$'\t' read -r t what u c p d; do
  if [ "$t" != "$clock_now" ]; then
    rcli SET mot:clock "$t" >/dev/null
    clock_now=$t
    settle "$(month_before "$t")"
  fi
  if [ "$what" != step ]; then
    "$MOTCTL" deliver "$u" "$c" "$p" "$d" >/dev/null || fail "deliver $u $c $p $d"
    settle "$(month_before "$t")"
  fi
done <"$RUN/steps.txt"
check "the year ran to its end with nothing left due" settle "$(month_before "$clock_now")"

"$MOTCTL" subscribe --since 0 --count "$expected_count" --timeout 60 >"$RUN/notices.jsonl" ||
  fail "got $(wc -l <"$RUN/notices.jsonl") of $expected_count notices"
sleep 1
equals "no notice beyond the expected ones" "$expected_count" "$(rcli GET mot:seq:notice)"
value() { grep -o "\"$1\":[^,]*" | cut -d: -f2- | tr -d '"' | sed 's/^null$/-/'; }
while read -r line; do
  echo "$(value notice_id <<<"$line") $(value kind <<<"$line") $(value deadline <<<"$line")" \
       "$(value business_days_late <<<"$line") $(value escalation_level <<<"$line") $(value fired_at <<<"$line")"
done <"$RUN/notices.jsonl" | sort >"$RUN/actual.txt"
if ! diff "$RUN/expected.txt" "$RUN/actual.txt" >"$RUN/diff.txt"; then
  head -20 "$RUN/diff.txt" >&2
fi
equals "the notices equal the independently computed list ($expected_count)" "" "$(cat "$RUN/diff.txt")"
for kind in reminder overdue escalation delivered_late; do
  check "the list has $kind notices" grep -q " $kind " "$RUN/expected.txt"
done
check "escalations reach level 3 and stop" bash -c "grep -q '|escalation|3 ' '$RUN/expected.txt' && ! grep -q '|escalation|4' '$RUN/actual.txt'"
check "the list has the quarterly IAT of the six units" bash -c \
  "for u in UEOD UAD UCS CV CAPSOI CA; do grep -q \"^\$u:avance-iat:2026-Q[1-4]|\" '$RUN/expected.txt' || exit 1; done"
check "no IAT instance for a month" bash -c "! grep -q ':avance-iat:2026-[0-9]' '$RUN/actual.txt'"
# Late deliveries are all made on Saturdays: each counts up to the next business day.
check "the list has late Saturday deliveries" grep -q ' delivered_late ' "$RUN/expected.txt"

echo "$E2E_CHECKS passed, 0 failed"
