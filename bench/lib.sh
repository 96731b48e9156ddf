# bench/lib.sh — what the benchmarks share (sourced by bench/*.sh after
# deploy/local/lib.sh): the release build, a throwaway run folder, the PII
# key, throwaway CURVE certificates, and every service's endpoint on a block
# of loopback ports.
#
#   bench_setup BASE   sets BUILD (MOT_BENCH_BUILD_DIR, default build-bench)
#                      and RUN, builds, removes RUN and stops what it started
#                      on exit, and exports the endpoints on ports BASE..BASE+4.
bench_setup() {
  local base=$1
  BUILD=${MOT_BENCH_BUILD_DIR:-$top/build-bench}
  RUN=$(mktemp -d /tmp/mot-bench.XXXXXX)
  trap 'mot_stop_all "$RUN"; rm -rf "$RUN"' EXIT
  cmake -S "$top" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMOT_SANITIZE=OFF >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" >/dev/null
  export MOT_LOG_LEVEL=warn MOT_PII_KEY_FILE=$RUN/pii.key
  head -c 32 /dev/urandom >"$MOT_PII_KEY_FILE"
  mot_make_certs "$RUN" "$BUILD"      # CURVE on, as in production
  export MOT_INTAKE_INGRESS=tcp://127.0.0.1:$base
  export MOT_INTAKE_CLASSIFY=tcp://127.0.0.1:$((base + 1)) MOT_CLASSIFIER_INTAKE=tcp://127.0.0.1:$((base + 1))
  export MOT_INTAKE_WATCH=tcp://127.0.0.1:$((base + 2)) MOT_WATCHER_INTAKE=tcp://127.0.0.1:$((base + 2))
  export MOT_NOTIFIER_COLLECT=tcp://127.0.0.1:$((base + 3)) MOT_WATCHER_NOTIFIER=tcp://127.0.0.1:$((base + 3))
  export MOT_NOTIFIER_PUBLISH=tcp://127.0.0.1:$((base + 4))
  export MOT_METRICS=127.0.0.1:0      # each process's /metrics on a free port: none collides with a demo's
}
