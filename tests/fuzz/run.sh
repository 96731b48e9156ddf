#!/usr/bin/env bash
# run.sh [SECONDS] [HARNESS...] — fuzzes every harness of tests/fuzz (or the
# ones named) for SECONDS each (default 60), one after the other, one
# process at a time (no -jobs: one process): builds them with clang (-DMOT_FUZZ=ON:
# libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) into
# build-fuzz/, runs each on a working corpus build-fuzz/corpus/<harness>/
# seeded from tests/fuzz/corpus/<harness>/ and the kept crashes, and keeps
# any crash, leak or timeout input under tests/fuzz/crashes/<harness>/
# (commit it with the fix: the normal ctest run replays it, label
# fuzz-regression). Exits non-zero when a harness found something.
#   MOT_FUZZ_BUILD_DIR   the build folder (default build-fuzz)
#   MOT_FUZZ_JOBS        make -j for the build (default 2)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=()
  for src in "$top"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    [ "$name" = fuzz_util ] || [ "$name" = fuzz_resp ] || harnesses+=("$name")
  done
fi
build=${MOT_FUZZ_BUILD_DIR:-$top/build-fuzz}

command -v clang >/dev/null || { echo "run.sh: clang is needed (apt-get install clang)" >&2; exit 2; }
CC=clang cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DMOT_FUZZ=ON >/dev/null
cmake --build "$build" -j"${MOT_FUZZ_JOBS:-2}" --target "${harnesses[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
found=0
for name in "${harnesses[@]}"; do
  work="$build/corpus/$name"
  crashes="$top/tests/fuzz/crashes/$name"
  mkdir -p "$work" "$crashes"
  log="$build/$name.log"
  echo "== $name: ${seconds}s (log $log)"
  status=0
  "$build/tests/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$work" "$top/tests/fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::new_units_added|Done)" "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "!! $name found something (exit $status): see $log and $crashes/" >&2
    grep -E "ERROR: |SUMMARY: |runtime error|invariant broken" "$log" | head -5 >&2 || true
    found=1
  fi
done
exit "$found"
