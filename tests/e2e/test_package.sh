#!/usr/bin/env bash
# test_package.sh — the Debian package (issue #13, "Packaged and supervised"):
# builds the .deb from this tree (deploy/debian/build.sh, a Release build of
# its own in $MOT_BIN/package), checks its control fields and lintian,
# installs it with apt into a clean Debian 12 (debootstrap --variant=minbase,
# cached as a tarball in $MOT_BIN/package-test across runs) so that its
# Depends come from the mirror, and checks there: each binary's --help and
# the installed data files as defaults, the conffiles, what postinst made
# (users, secrets, certificates, Redis's ACL file) with owners and modes, a
# second postinst and a reinstall changing none of it, `systemd-analyze
# verify` and `security` on every unit. Then it boots that Debian with
# systemd-nspawn (real systemd, the units' sandboxing, the shipped
# configuration): mot.target up, a second classifier, a classifier killed
# and restarted, an event applied, an upgrade restarting the services, a
# removal stopping them. Last, without systemd, it starts Redis, the five
# services, mot-proxy and two intakes behind it as their unit files say
# (user, group, environment files, directories, ExecStartPre/ExecStart),
# takes events through both set-ups, and backs up and restores Redis's AOF.
# Runs no binary of the build under valgrind: skipped (77) when MOT_WRAP is
# set, and when not root.
set -euo pipefail
if [ -n "${MOT_WRAP:-}" ]; then
  echo "SKIP: the package test runs the packaged binaries, not the build's under valgrind"
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: the package test needs root (debootstrap, chroot)"
  exit 77
fi
source "$MOT_SOURCE/tests/e2e/lib.sh"

WORK=$MOT_BIN/package-test
ROOT=$WORK/root
CACHE=$WORK/debian12-minbase.tar
MIRROR=${MOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$WORK"

in_root() { chroot "$ROOT" "$@"; }

# Processes started in the chroot, stopped by pid before /proc goes (only
# a process whose root is $ROOT: a pid file an interrupted run left behind
# may name another process by now).
in_chroot() { [ "$(readlink "/proc/$1/root" 2>/dev/null)" = "$ROOT" ]; }
stop_units() {   # SIGTERM, then SIGKILL what still runs 10 s later
  local file pid i
  for file in "$WORK"/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    in_chroot "$pid" && kill "$pid" 2>/dev/null || true
  done
  for file in "$WORK"/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    for i in $(seq 50); do in_chroot "$pid" || break; sleep 0.2; done
    in_chroot "$pid" && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
  done
}
package_cleanup() {
  stop_units
  if mountpoint -q "$ROOT/proc"; then umount "$ROOT/proc"; fi
}
trap 'status=$?; [ "$status" -eq 0 ] || E2E_FAILED=1; package_cleanup; e2e_cleanup
      trap - EXIT; exit $((E2E_FAILED ? 1 : 0))' EXIT

# A clean Debian 12 at $ROOT: the cached minbase tree, unpacked afresh
# (made once with debootstrap, in the background while the package builds).
make_cache() {
  local tmp=$WORK/debootstrap
  if mountpoint -q "$tmp/proc"; then umount "$tmp/proc"; fi
  rm -rf "$tmp"
  debootstrap --variant=minbase bookworm "$tmp" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 &&
    tar -C "$tmp" -cf "$CACHE.tmp" . && mv "$CACHE.tmp" "$CACHE" && rm -rf "$tmp"
}
fresh_root() {
  package_cleanup
  rm -rf "$ROOT"
  mkdir -p "$ROOT"
  tar -C "$ROOT" -xf "$CACHE"
  mount -t proc proc "$ROOT/proc"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  forbid_daemons
}
# No daemon may start while packages are installed in the chroot
# (redis-server's own): Debian's policy-rc.d answering "forbidden".
forbid_daemons() {
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
}

cache_pid=""
if [ ! -s "$CACHE" ]; then
  make_cache &
  cache_pid=$!
fi
DEB=$(bash "$MOT_SOURCE/deploy/debian/build.sh" "$MOT_BIN/package" 2>"$WORK/build.log" | tail -n 1) ||
  fail "the package did not build: $(tail -n 20 "$WORK/build.log")"
if [ -n "$cache_pid" ]; then
  wait "$cache_pid" || fail "debootstrap failed: $(tail -n 5 "$WORK/debootstrap.log")"
fi
echo "package: $DEB"

# --- the package itself
control() { dpkg-deb -f "$DEB" "$1"; }
version=$(sed -n 's/^project(mot VERSION \([0-9.]*\) .*/\1/p' "$MOT_SOURCE/CMakeLists.txt")
equals "the package's version is the project's (CMakeLists.txt)" "$version-1" "$(control Version)"
check "its maintainer is set" test -n "$(control Maintainer)"
depends=$(control Depends)
for dep in redis-server libczmq4 libzmq5 libhiredis0.14 libprotobuf-c1 libjansson4 libsodium23 \
           libmicrohttpd12 libxlsxwriter4 libc6 adduser; do
  check "it depends on $dep" grep -qE "(^|, )$dep( |,|$)" <<<"$depends"
done
check "lintian finds nothing it does not explain (deploy/debian/lintian-overrides)" \
  lintian --fail-on error,warning,info,pedantic --pedantic --display-info "$DEB"

# --- installed with apt into a clean Debian 12
fresh_root
cp "$DEB" "$ROOT/root/mot.deb"
export DEBIAN_FRONTEND=noninteractive
in_root apt-get update -qq >"$WORK/apt.log" 2>&1 || fail "apt-get update in the chroot: $(tail -n 5 "$WORK/apt.log")"
in_root apt-get install -y -qq --no-install-recommends /root/mot.deb systemd >>"$WORK/apt.log" 2>&1 ||
  fail "apt-get install of the package: $(tail -n 20 "$WORK/apt.log")"
equals "apt installed it and its dependencies" "install ok installed" \
  "$(in_root dpkg-query -W -f='${Status}' mot)"

# Each binary runs and names the installed data files as its defaults.
for binary in /usr/sbin/mot-intake /usr/sbin/mot-classifier /usr/sbin/mot-deadline-watcher \
              /usr/sbin/mot-notifier /usr/sbin/mot-reporter /usr/sbin/mot-proxy; do
  in_root "$binary" --help >"$WORK/help.txt" 2>&1 || fail "$binary --help"
  equals "$binary --help runs" "usage: ${binary##*/} [OPTIONS]" "$(head -n 1 "$WORK/help.txt")"
done
in_root motctl --help >"$WORK/help.txt" 2>&1 || fail "motctl --help"
equals "motctl --help runs" "usage: motctl VERB [ARGS]" "$(head -n 1 "$WORK/help.txt")"
check "the classifier's rules default to /etc/mot/rules" \
  grep -q 'default "/etc/mot/rules/classification.tsv"' <(in_root mot-classifier --help 2>&1)
check "the watcher's calendar defaults to /etc/mot/calendar" \
  grep -q 'default "/etc/mot/calendar/dias-inhabiles.tsv"' <(in_root mot-deadline-watcher --help 2>&1)
check "the man page of mot-intake is installed" test -s "$ROOT/usr/share/man/man8/mot-intake.8.gz"
check "the Redis helpers are installed" test -x "$ROOT/usr/lib/mot/ha-conf.sh" -a -x "$ROOT/usr/lib/mot/backup.sh"

# The editable files are conffiles.
conffiles=$(in_root dpkg-query -W -f='${Conffiles}\n' mot | awk '{print $1}')
for file in /etc/mot/mot.env /etc/mot/intake.env /etc/mot/classifier.env /etc/mot/obligations.tsv \
            /etc/mot/escalation.tsv /etc/mot/calendar/dias-inhabiles.tsv /etc/mot/catalog/territories.tsv \
            /etc/mot/catalog/on.tsv /etc/mot/rules/classification.tsv /etc/mot/rules/frequency.tsv \
            /etc/mot/rules/impact.tsv /etc/mot/redis/redis.conf /etc/mot/redis/users.acl \
            /etc/mot/redis/sentinel.acl /etc/mot/accounts.example.tsv; do
  check "$file is a conffile" grep -qx "$file" <<<"$conffiles"
done

# What postinst made: owner, group and mode of each.
stat_of() { in_root stat -c '%U:%G %a' "$1"; }
check "the system user mot exists" test -n "$(in_root getent passwd mot)"
check "the system user mot-redis exists, in the group mot" \
  test "$(in_root id -gn mot-redis)" = mot
equals "the secrets folder" "mot:mot 700" "$(stat_of /etc/mot/secrets)"
equals "the PII key: mot's only" "mot:mot 600" "$(stat_of /etc/mot/secrets/pii.key)"
equals "the PII key is 32 bytes" 32 "$(in_root stat -c %s /etc/mot/secrets/pii.key)"
equals "the certificates folder" "root:mot 750" "$(stat_of /etc/mot/certs)"
for name in intake classifier deadline-watcher notifier reporter; do
  equals "$name's secret key: mot's only" "mot:mot 600" "$(stat_of "/etc/mot/certs/servers/$name.cert_secret")"
  check "$name's public certificate is trusted" test -s "$ROOT/etc/mot/certs/clients/$name.cert"
done
for user in intake classifier deadline-watcher notifier reporter motctl admin; do
  equals "the Redis password of $user" "mot:mot 600" "$(stat_of "/etc/mot/secrets/redis/$user.password")"
done
equals "Redis's ACL file: mot-redis's only" "mot-redis:mot 600" "$(stat_of /var/lib/mot-redis/users.acl)"
intake_password=$(head -n 1 "$ROOT/etc/mot/secrets/redis/intake.password")
check "the ACL file holds the SHA-256 of intake's password, not the password" \
  grep -q "^user intake .*#$(printf %s "$intake_password" | sha256sum | cut -d' ' -f1)" "$ROOT/var/lib/mot-redis/users.acl"
check "... and never a password" bash -c "! grep -qF '$intake_password' '$ROOT/var/lib/mot-redis/users.acl'"
# The Sentinel set's files, as an operator makes them on an installed host.
in_root /usr/lib/mot/ha-conf.sh redis /root/ha-redis.conf --port 6380 --bind 10.0.0.1 --dir /var/lib/mot-redis \
  --aclfile /var/lib/mot-redis/users.acl --secrets /etc/mot/secrets/redis --replica-of 10.0.0.2 6380 ||
  fail "ha-conf.sh redis on the installed system"
check "ha-conf.sh includes the installed redis.conf" grep -qx 'include /etc/mot/redis/redis.conf' "$ROOT/root/ha-redis.conf"
check "and is a replica of the one named" grep -qx 'replicaof 10.0.0.2 6380' "$ROOT/root/ha-redis.conf"
equals "a file with a password in it is the owner's alone" "root:root 600" "$(stat_of /root/ha-redis.conf)"

# Configuring again (an upgrade) replaces nothing it made.
key_before=$(sha256sum <"$ROOT/etc/mot/secrets/pii.key")
cert_before=$(sha256sum <"$ROOT/etc/mot/certs/servers/intake.cert_secret")
in_root dpkg-reconfigure mot >>"$WORK/apt.log" 2>&1 || fail "postinst a second time"
equals "a second postinst keeps the PII key" "$key_before" "$(sha256sum <"$ROOT/etc/mot/secrets/pii.key")"
equals "... and the keypairs" "$cert_before" "$(sha256sum <"$ROOT/etc/mot/certs/servers/intake.cert_secret")"

# Reinstalling (as an upgrade does) keeps an edited conffile and the secrets.
echo "MOT_LOG_LEVEL=debug   # edited by the operator" >>"$ROOT/etc/mot/intake.env"
in_root apt-get install -y -qq --reinstall -o Dpkg::Options::=--force-confold /root/mot.deb >>"$WORK/apt.log" 2>&1 ||
  fail "reinstalling the package: $(tail -n 20 "$WORK/apt.log")"
check "a reinstall keeps the operator's edit of a conffile" grep -q '^MOT_LOG_LEVEL=debug' "$ROOT/etc/mot/intake.env"
equals "... and the PII key" "$key_before" "$(sha256sum <"$ROOT/etc/mot/secrets/pii.key")"
sed -i '/edited by the operator/d' "$ROOT/etc/mot/intake.env"

# --- the units
units=(mot.target mot-redis.service mot-intake.service mot-intake@1.service mot-classifier@1.service
       mot-classifier@2.service mot-deadline-watcher@1.service mot-notifier.service mot-reporter.service
       mot-proxy.service)
in_root systemd-analyze verify --man=no "${units[@]}" >"$WORK/verify.log" 2>&1 || true
equals "systemd-analyze verify finds nothing in the units" "" "$(cat "$WORK/verify.log")"
for unit in "$ROOT"/lib/systemd/system/mot-*.service; do
  in_root systemd-analyze security --offline=yes --threshold=20 "${unit#"$ROOT"}" >"$WORK/security.log" 2>&1 ||
    fail "${unit##*/}: $(tail -n 1 "$WORK/security.log")"
  equals "${unit##*/}: systemd-analyze security rates it OK (exposure at most 2.0)" "OK" \
    "$(sed -n 's/.*Overall exposure level for .*: [0-9.]* \([A-Z]*\).*/\1/p' "$WORK/security.log")"
done

# The operator's own keypair (README, "Operations").
in_root env MOT_CERTS=/etc/mot/certs motctl cert create operator --role service --units '*' \
  --topics '*' --registers '*' --out /root/operator.cert >/dev/null || fail "motctl cert create"

# --- booted: systemd runs mot.target as shipped (default ports, in a
# network namespace of its own), sandboxing and all. Inside, a one-shot
# unit (not named mot-*: removing the package stops those) scales the
# classifier, kills one (Restart=on-failure), sends an event, upgrades and
# removes the package and powers off; its findings come back in /root/boot/.
# systemd-nspawn needs a kernel and a container manager that let it boot a
# systemd; where it cannot, this part is reported skipped and the units are
# only started by hand below.
boot_check() {
  cat >"$ROOT/root/boot-check.sh" <<'CHECK'
#!/bin/sh
# Runs in the booted Debian 12 after mot.target (test_package.sh).
out=/root/boot
mkdir -p $out
motctl_() { MOT_CERTS=/etc/mot/certs MOT_CERT=/root/operator.cert motctl "$@"; }
i=0
until motctl_ items --timeout 1 >/dev/null 2>&1 || [ $i -ge 60 ]; do sleep 1; i=$((i + 1)); done
systemctl start mot-classifier@2.service
main_pid() { systemctl show -p MainPID --value "$1"; }
first=$(main_pid mot-classifier@1.service)
systemctl kill -s KILL mot-classifier@1.service
i=0
until [ "$(main_pid mot-classifier@1.service)" != "$first" ] && [ "$(main_pid mot-classifier@1.service)" != 0 ] &&
      [ "$(systemctl is-active mot-classifier@1.service)" = active ] || [ $i -ge 30 ]; do sleep 1; i=$((i + 1)); done
# (a new pid is "activating" until its exec is done: on a loaded machine, for a moment)
for unit in mot-redis mot-intake mot-classifier@1 mot-classifier@2 mot-deadline-watcher@1 mot-notifier mot-reporter; do
  echo "$unit $(systemctl is-active $unit.service)" >>$out/active
done
[ "$(main_pid mot-classifier@1.service)" != "$first" ] && echo restarted >$out/classifier-restart
stat -c %U "/proc/$(main_pid mot-intake.service)" >$out/intake-user
# classifier@2's health endpoint on its own port (the unit's 558%i)
bash -c 'exec 3<>/dev/tcp/127.0.0.1/5582 && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3' >$out/healthz 2>&1
motctl_ submit --wait --timeout 30 </root/event.json >$out/ack.json 2>&1
# An upgrade (the same package again) restarts the services that run, on
# the new files, and leaves Redis running.
before=$(main_pid mot-intake.service)
redis_before=$(main_pid mot-redis.service)
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold /root/mot.deb >$out/upgrade.log 2>&1
[ "$(main_pid mot-intake.service)" != "$before" ] && [ "$(systemctl is-active mot-intake.service)" = active ] &&
  echo restarted >$out/upgrade
[ "$(main_pid mot-redis.service)" = "$redis_before" ] && echo kept >$out/upgrade-redis
sleep 1
journalctl --no-pager -u 'mot-*' >$out/journal 2>&1
# Removing the package stops the pipeline and leaves its data.
DEBIAN_FRONTEND=noninteractive apt-get remove -y mot >$out/remove.log 2>&1
echo "$(systemctl is-active mot-intake.service mot-redis.service | paste -sd' ')" >$out/removed
systemctl poweroff
CHECK
  chmod 755 "$ROOT/root/boot-check.sh"
  printf '[Unit]\nAfter=mot.target\n[Service]\nType=oneshot\nExecStart=/root/boot-check.sh\n[Install]\nWantedBy=multi-user.target\n' \
    >"$ROOT/etc/systemd/system/package-check.service"
  sed -n 3p "$MOT_SOURCE/deploy/demo/events.jsonl" >"$ROOT/root/event.json"
  in_root systemctl enable mot.target package-check.service >/dev/null 2>&1 || fail "systemctl enable mot.target"
  rm "$ROOT/usr/sbin/policy-rc.d"   # a booted system lets packages restart services
  umount "$ROOT/proc"
  timeout 240 systemd-nspawn -D "$ROOT" --quiet --register=no --keep-unit --private-network \
    --machine="mot-package-$$" -b >"$WORK/boot.log" 2>&1 || true
  mount -t proc proc "$ROOT/proc"
  forbid_daemons
  in_root dpkg -i /root/mot.deb >>"$WORK/apt.log" 2>&1 || fail "installing the package again after its removal"
  in_root systemctl disable mot.target package-check.service >/dev/null 2>&1
  local boot=$ROOT/root/boot
  for unit in mot-redis mot-intake mot-classifier@1 mot-classifier@2 mot-deadline-watcher@1 mot-notifier mot-reporter; do
    equals "booted: $unit.service is active" "$unit active" "$(grep "^$unit " "$boot/active" 2>/dev/null)"
  done
  check "booted: a classifier killed with SIGKILL is restarted (Restart=on-failure)" test -s "$boot/classifier-restart"
  check "booted: mot-classifier@2 answers /healthz on its own port, 5582" grep -q '^HTTP/1.[01] 200' "$boot/healthz"
  equals "booted: intake runs as the user mot" mot "$(tr -d ' ' <"$boot/intake-user" 2>/dev/null)"
  equals "booted: the event is accepted" accepted "$(jq -r .status "$boot/ack.json" 2>/dev/null)"
  equals "booted: ... and applied by a classifier" applied "$(jq -r .outcome "$boot/ack.json" 2>/dev/null)"
  check "booted: an upgrade restarts the running services (postinst)" test -s "$boot/upgrade"
  check "booted: ... and not Redis" test -s "$boot/upgrade-redis"
  check "booted: ... which loaded the ACL file again" \
    bash -c "grep -q 'Setting up mot' '$boot/upgrade.log' && ! grep -q 'did not load the new ACL' '$boot/upgrade.log'"
  equals "booted: removing the package stops them (prerm)" "inactive inactive" "$(cat "$boot/removed" 2>/dev/null)"
  check "booted: ... and leaves Redis's data" test -d "$ROOT/var/lib/mot-redis/appendonlydir"
  check "booted: no service logged an error" bash -c "! grep -E ' ERROR ' '$boot/journal'"
  rm -rf "$boot"
}
umount "$ROOT/proc"
if systemd-nspawn -D "$ROOT" --quiet --register=no --keep-unit --pipe /bin/true >"$WORK/nspawn.log" 2>&1; then
  mount -t proc proc "$ROOT/proc"
  boot_check
else
  mount -t proc proc "$ROOT/proc"
  echo "skipped: booting the chroot (systemd-nspawn cannot run here: $(head -n 1 "$WORK/nspawn.log"))"
fi

# --- the pipeline, started as its units say
# unit_setting UNIT KEY [INSTANCE]: every value of KEY in the installed
# unit file (continued lines joined, %i replaced), one a line.
unit_setting() {
  local file=$ROOT/lib/systemd/system/$1
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$file" | sed -n "s/^$2=//p" | sed "s/%i/${3:-}/g"
}
# unit_environment UNIT [INSTANCE]: VARIABLE=value lines, as systemd
# builds the environment: Environment= first, then each EnvironmentFile=
# in order (a leading '-': optional), later ones winning.
unit_environment() {
  local file
  unit_setting "$1" Environment "${2:-}"
  while read -r file; do
    [ -e "$ROOT${file#-}" ] || { [ "${file:0:1}" = - ] && continue; fail "$1: no $file"; }
    grep -E '^[A-Z_][A-Z0-9_]*=' "$ROOT${file#-}" || true
  done < <(unit_setting "$1" EnvironmentFile "${2:-}")
}
# start_unit UNIT [INSTANCE]: its RuntimeDirectory/StateDirectory made as
# systemd makes them, its ExecStartPre run ('+': as root), its ExecStart
# started in the background as User:Group with only the unit's environment.
start_unit() {
  local unit=$1 instance=${2:-} user group dir command label=${1%.service}${2:-}
  user=$(unit_setting "$unit" User) group=$(unit_setting "$unit" Group)
  for dir in $(unit_setting "$unit" RuntimeDirectory); do
    in_root install -d -o "$user" -g "$group" -m "$(unit_setting "$unit" RuntimeDirectoryMode)" "/run/$dir"
  done
  for dir in $(unit_setting "$unit" StateDirectory); do
    in_root install -d -o "$user" -g "$group" -m "$(unit_setting "$unit" StateDirectoryMode)" "/var/lib/$dir"
  done
  mapfile -t environment < <(unit_environment "$unit" "$instance")
  while read -r command; do
    [ "${command:0:1}" = + ] || fail "$unit: ExecStartPre not as root is not handled here"
    in_root env -i "${environment[@]}" ${command#+} || fail "$unit: ExecStartPre $command"
  done < <(unit_setting "$unit" ExecStartPre "$instance")
  command=$(unit_setting "$unit" ExecStart "$instance")
  setsid chroot --userspec="$user:$group" "$ROOT" env -i "${environment[@]}" $command \
    </dev/null >"$WORK/$label.log" 2>&1 &
  echo $! >"$WORK/$label.pid"
}

# This host's ports for the test (lib.sh's block), set once for every
# service in mot.env, as an operator sets them for several hosts.
# intake's own in intake.env (mot-intake@N reads its own file instead).
for variable in MOT_CLASSIFIER_INTAKE MOT_WATCHER_INTAKE MOT_NOTIFIER_COLLECT MOT_WATCHER_NOTIFIER \
                MOT_NOTIFIER_PUBLISH MOT_NOTIFIER_CATCHUP MOT_REPORTER_QUERY MOT_REPORTER_HTTP; do
  echo "$variable=${!variable}" >>"$ROOT/etc/mot/mot.env"
done
for variable in MOT_INTAKE_INGRESS MOT_INTAKE_CLASSIFY MOT_INTAKE_WATCH; do
  echo "$variable=${!variable}" >>"$ROOT/etc/mot/intake.env"
done
# Metrics: each service's port of lib.sh's block, host-wide in mot.env
# (MOT_<SERVICE>_METRICS); an instance's own (MOT_METRICS, which its unit
# sets to 558N/559N) moved to any free port: this host's may be taken.
for variable in MOT_INTAKE_METRICS MOT_NOTIFIER_METRICS MOT_REPORTER_METRICS; do
  echo "$variable=${!variable}" >>"$ROOT/etc/mot/mot.env"
done
for file in classifier@1 deadline-watcher@1; do
  echo "MOT_METRICS=127.0.0.1:0" >>"$ROOT/etc/mot/$file.env"
done

start_unit mot-redis.service
redis_up() { [ -S "$ROOT/run/mot-redis/redis.sock" ]; }
mot_wait 30 redis_up || fail "mot-redis did not start: $(tail -n 5 "$WORK/mot-redis.log")"
equals "Redis's socket is open to the group mot only" "mot-redis:mot 770" "$(stat_of /run/mot-redis/redis.sock)"
start_unit mot-intake.service
start_unit mot-classifier@.service 1
start_unit mot-deadline-watcher@.service 1
start_unit mot-notifier.service
start_unit mot-reporter.service

# The operator's keypair made above, then one event.
operator() { in_root env -i MOT_CERTS=/etc/mot/certs MOT_CERT=/root/operator.cert \
  MOT_INTAKE_INGRESS="$MOT_INTAKE_INGRESS" MOT_REPORTER_QUERY="$MOT_REPORTER_QUERY" motctl "$@"; }
mot_wait 60 operator items --timeout 1 || fail "the reporter did not answer: $(tail -n 5 "$WORK"/*.log)"
head -n 1 "$MOT_SOURCE/deploy/demo/events.jsonl" | operator submit --wait --timeout 20 >"$WORK/ack.json" ||
  fail "the event: $(cat "$WORK/ack.json")"
equals "intake in the chroot accepted the event" "accepted" "$(jq -r .status "$WORK/ack.json")"
equals "the classifier applied it" "applied" "$(jq -r .outcome "$WORK/ack.json")"
check "the reporter lists its problemática in the MUPOI (OOAD-15)" grep -q 'OOAD-15' <(operator mupoi --csv)
equals "intake's metrics count it (MOT_INTAKE_METRICS from mot.env)" 1 \
  "$(curl -s "http://$MOT_INTAKE_METRICS/metrics" | sed -n 's/^mot_intake_requests_total{outcome="accepted",code="OK"} //p')"
# Several intakes behind mot-proxy: mot-intake.service gives way to
# mot-proxy.service (same addresses) and two mot-intake@N.service, whose
# unit connects them to the proxy's default ports — moved here to this
# test's block by each instance's file, as /etc/mot/intake@N.env can.
check "mot-intake@N connects to the proxy's ports by default" \
  grep -qx 'MOT_INTAKE_INGRESS=>tcp://127.0.0.1:5560' <(unit_environment mot-intake@.service 9)
metrics_port() { unit_environment "$1" "$2" | sed -n 's/^MOT_METRICS=//p' | tail -n 1; }
equals "mot-classifier@2's metrics port is its own" 127.0.0.1:5582 "$(metrics_port mot-classifier@.service 2)"
equals "mot-deadline-watcher@12's" 127.0.0.1:55912 "$(metrics_port mot-deadline-watcher@.service 12)"
equals "mot-intake@3's" 127.0.0.1:5603 "$(metrics_port mot-intake@.service 3)"
kill "$(cat "$WORK/mot-intake.pid")"
intake_gone() { ! kill -0 "$(cat "$WORK/mot-intake.pid")" 2>/dev/null; }
mot_wait 20 intake_gone || fail "mot-intake did not stop"
rm -f "$WORK/mot-intake.pid"
port=${MOT_INTAKE_INGRESS##*:}
cat >"$ROOT/etc/mot/proxy.env" <<PROXY
MOT_PROXY_INGRESS=$MOT_INTAKE_INGRESS
MOT_PROXY_CLASSIFY_OUT=$MOT_INTAKE_CLASSIFY
MOT_PROXY_WATCH_OUT=$MOT_INTAKE_WATCH
MOT_PROXY_INGRESS_WORKERS=tcp://127.0.0.1:$((port + 16))
MOT_PROXY_CLASSIFY_IN=tcp://127.0.0.1:$((port + 17))
MOT_PROXY_WATCH_IN=tcp://127.0.0.1:$((port + 18))
PROXY
for instance in 1 2; do
  printf 'MOT_INTAKE_INGRESS=>tcp://127.0.0.1:%s\nMOT_INTAKE_CLASSIFY=>tcp://127.0.0.1:%s\nMOT_INTAKE_WATCH=>tcp://127.0.0.1:%s\nMOT_METRICS=127.0.0.1:0\n' \
    $((port + 16)) $((port + 17)) $((port + 18)) >"$ROOT/etc/mot/intake@$instance.env"
done
start_unit mot-proxy.service
start_unit mot-intake@.service 1
start_unit mot-intake@.service 2
sed -n 2p "$MOT_SOURCE/deploy/demo/events.jsonl" | operator submit --wait --timeout 30 >"$WORK/ack2.json" ||
  fail "the event through the proxy: $(cat "$WORK/ack2.json")"
equals "an intake behind mot-proxy accepted an event" "accepted" "$(jq -r .status "$WORK/ack2.json")"
equals "... and the classifier applied it" "applied" "$(jq -r .outcome "$WORK/ack2.json")"

check "Redis keeps its data in /var/lib/mot-redis" test -d "$ROOT/var/lib/mot-redis/appendonlydir"
for label in mot-intake mot-classifier@1 mot-deadline-watcher@1 mot-notifier mot-reporter mot-intake@1 mot-intake@2; do
  service=${label#mot-}
  check "$label ran as its unit says (logged ready)" grep -q " INFO ${service%@*} ready " "$WORK/$label.log"
done
for log in "$WORK"/mot-*.log; do
  check "${log##*/}: no error" bash -c "! grep -E '^[^ ]+ ERROR ' '$log'"
done
# Backup and restore with the shipped scripts, as the README's
# "Operations" says for the package.
admin() {
  in_root env REDISCLI_AUTH="$(head -n 1 "$ROOT/etc/mot/secrets/redis/admin.password")" \
    redis-cli --user admin -s /run/mot-redis/redis.sock "$@"
}
keys_before=$(admin DBSIZE)
check "there is something to back up" test "$keys_before" -gt 10
in_root env MOT_REDIS=unix:/run/mot-redis/redis.sock MOT_REDIS_SECRETS=/etc/mot/secrets/redis \
  /usr/lib/mot/backup.sh /root/mot-backup.rdb >"$WORK/backup.log" 2>&1 || fail "backup.sh: $(cat "$WORK/backup.log")"
stop_units
rm -rf "$ROOT/var/lib/mot-redis/appendonlydir"   # the data lost
in_root /usr/lib/mot/restore.sh /root/mot-backup.rdb /var/lib/mot-redis >"$WORK/restore.log" 2>&1 ||
  fail "restore.sh: $(cat "$WORK/restore.log")"
equals "restore: the data takes the folder's owner (Redis runs as mot-redis)" "mot-redis:mot" \
  "$(in_root stat -c %U:%G /var/lib/mot-redis/appendonlydir)"
start_unit mot-redis.service
redis_answers() { [ "$(admin PING)" = PONG ]; }
mot_wait 30 redis_answers || fail "mot-redis did not start on the restored data: $(tail -n 5 "$WORK/mot-redis.log")"
equals "restore: Redis holds every key it held" "$keys_before" "$(admin DBSIZE)"

check "the personal data never reached Redis's files" \
  bash -c "! grep -rqa -e 13957812343 -e GAVM780412MJCRLR07 '$ROOT/var/lib/mot-redis'"
# Purging removes the conffiles and keeps what belongs with the data.
stop_units
in_root apt-get purge -y -qq mot >>"$WORK/apt.log" 2>&1 || fail "apt-get purge mot: $(tail -n 5 "$WORK/apt.log")"
check "purge removes the conffiles" test ! -e "$ROOT/etc/mot/mot.env"
check "... and keeps the PII key, the certificates and Redis's data" \
  test -s "$ROOT/etc/mot/secrets/pii.key" -a -s "$ROOT/etc/mot/certs/servers/intake.cert_secret" \
       -a -d "$ROOT/var/lib/mot-redis/appendonlydir"
echo "$E2E_CHECKS checks"
