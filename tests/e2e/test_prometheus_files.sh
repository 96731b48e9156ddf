#!/usr/bin/env bash
# The shipped Prometheus files (deploy/prometheus/): the scrape configuration
# and the alert rules pass `promtool check`, the rules their unit tests
# (tests/prometheus/alerts_test.yml: each alert fires when its condition has
# held for its `for`, and not on a healthy series), and the scrape
# configuration names each service's default metrics port as mot_health.h
# declares it. Runs no service: skipped (77) in the valgrind pass.
set -euo pipefail
: "${MOT_SOURCE:?MOT_SOURCE must name the source folder}"
if [ -n "${MOT_WRAP:-}" ]; then
  echo "skipped: no service runs here, nothing for valgrind to watch"
  exit 77
fi
failed=0
check() {   # check DESCRIPTION CMD...
  local what=$1
  shift
  if "$@" >/tmp/test_prometheus_files.$$ 2>&1; then echo "ok - $what"; else
    echo "FAIL: $what" >&2
    cat /tmp/test_prometheus_files.$$ >&2
    failed=1
  fi
  rm -f /tmp/test_prometheus_files.$$
}
dir=$MOT_SOURCE/deploy/prometheus
check "promtool check config deploy/prometheus/prometheus.yml (with its rule file)" \
  promtool check config "$dir/prometheus.yml"
check "promtool check rules deploy/prometheus/alerts.yml" promtool check rules "$dir/alerts.yml"
check "promtool test rules tests/prometheus/alerts_test.yml" \
  promtool test rules "$MOT_SOURCE/tests/prometheus/alerts_test.yml"
# The alerts the issue asks for, by name.
for alert in MotServiceDown MotRedisUnreachable MotFiringLagHigh MotOverdueBacklogGrowing MotIntakeRefusalsSpiking; do
  check "alerts.yml has $alert" grep -q "alert: $alert\$" "$dir/alerts.yml"
done
# Each job scrapes its service's default port (common/mot_health.h).
job_scrapes() { grep -A2 -x -e "  - job_name: mot-$1" "$dir/prometheus.yml" | grep -q "\"127.0.0.1:$2\""; }
for pair in intake:5570 classifier:5571 deadline-watcher:5572 notifier:5573 reporter:5574; do
  service=${pair%%:*} port=${pair#*:}
  check "job mot-$service scrapes 127.0.0.1:$port" job_scrapes "$service" "$port"
  check "mot_health.h declares $service's port $port" grep -q "\"127.0.0.1:$port\"" "$MOT_SOURCE/common/mot_health.h"
done
exit $failed
