#!/usr/bin/env bash
# down.sh — stops what deploy/local/up.sh started (the five services and the
# private redis-server; its data stays in run/redis for the next start).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
RUN=${MOT_RUN_DIR:-$MOT_SOURCE/run}
mot_stop_all "$RUN"
echo "stopped (data kept in $RUN/redis; remove $RUN to start from scratch)"
