#!/usr/bin/env bash
# Installs every Debian 12 package the MOT pipeline needs to build, run and
# test (idempotent; apt-get does nothing for what is already there).
# Runs as root, or through sudo when that exists.
set -euo pipefail

packages=(
  gcc make cmake pkg-config libc6-dev             # toolchain
  protobuf-c-compiler libprotobuf-c-dev           # the contract (proto/)
  libzmq3-dev libczmq-dev                         # messaging
  libhiredis-dev redis-server redis-tools         # state and timers
  libjansson-dev                                  # JSON (motctl, reporter)
  libxlsxwriter-dev zlib1g-dev                    # motctl --xlsx: the registers as Excel workbooks (its .pc links -lz, the package does not pull zlib in)
  libsodium-dev                                   # keyed hashing of personal data
  libcmocka-dev valgrind                          # tests
  python3-zmq python3-protobuf protobuf-compiler  # the Python publisher example, tested
  jq                                              # tests read JSON answers
  libmicrohttpd-dev libcrypt-dev                  # the reporter's web dashboard (Debian builds libmicrohttpd with GnuTLS: its HTTPS)
  chromium chromium-driver fonts-dejavu-core      # the dashboard's browser tests (and readable screenshots)
  iproute2                                        # test_hosts.sh: the hosts as network namespaces (ip netns, veth, bridge; ss)
  help2man lintian debootstrap systemd systemd-container  # the Debian package: man pages from --help, lintian, the clean Debian 12 it is installed into, systemd-analyze verify, systemd-nspawn to boot it (tests/e2e/test_package.sh)
  curl openssl                                    # raw HTTP(S) in the dashboard tests; the accounts' hashes (up.sh, the tests); the TLS test's throwaway CA
  prometheus                                      # scrapes the services' /metrics; promtool checks deploy/prometheus/ (tests)
)

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (or install sudo)" >&2; exit 1; }
  as_root=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all ${#packages[@]} packages present"
