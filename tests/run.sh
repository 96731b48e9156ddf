#!/usr/bin/env bash
# run.sh — the second README command: installs what is missing, builds with
# AddressSanitizer + UndefinedBehaviorSanitizer, and runs every test with
# ctest: the unit tests, the script tests (each starts a redis-server of its
# own) and the end-to-end tests (which start their own redis-server and the
# five real services on loopback).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${MOT_TEST_BUILD_DIR:-$top/build-test}

bash deploy/install-deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DMOT_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd "$BUILD" && ctest --output-on-failure --timeout 600)

# The same unit, script and end-to-end tests once more under valgrind, in a
# build without sanitizers (the two do not mix).
VG_BUILD=${MOT_VALGRIND_BUILD_DIR:-$top/build-valgrind}
cmake -S . -B "$VG_BUILD" -DCMAKE_BUILD_TYPE=Debug -DMOT_SANITIZE=OFF -DMOT_VALGRIND=ON >/dev/null
cmake --build "$VG_BUILD" -j"$(nproc)" >/dev/null
(cd "$VG_BUILD" && ctest --output-on-failure --timeout 600 -L valgrind)
