#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shows that check_ecosystem.py fails when the shipped files drift from the code and docs: each
# case copies the files it reads into a scratch tree, breaks one thing, and expects a failure.
set -euo pipefail
SRC=${1:?usage: checker_selftest.sh SOURCE_DIR}
CHECKER="$SRC/tests/unit/ecosystem/check_ecosystem.py"
WORK=$(mktemp -d /tmp/certvigil-ecosystem-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fresh_tree() {
  rm -rf "$WORK/src"
  mkdir -p "$WORK/src"
  (cd "$SRC" && cp --parents etc/prometheus/certvigil-rules.yml \
    tests/unit/ecosystem/certvigil-rules.test.yml etc/grafana/certvigil-dashboard.json \
    docs/METRICS.md docs/SCALING.md exporters/prometheus/metric_families.h "$WORK/src/")
}

# expect_failure CHECK DESCRIPTION: the checker must exit non-zero on the broken tree.
expect_failure() {
  if python3 "$CHECKER" "$WORK/src" "$1" >"$WORK/out.txt" 2>&1; then
    cat "$WORK/out.txt"
    echo "FAIL: check $1 passed although $2"
    exit 1
  fi
  echo "ok: check $1 fails when $2"
}

fresh_tree
python3 "$CHECKER" "$WORK/src" metric-names dashboard rules scaling >/dev/null ||
  { echo "FAIL: the unbroken copy does not pass"; exit 1; }

fresh_tree
sed -i 's/certvigil_scan_duration_seconds{/certvigil_scan_seconds{/' \
  "$WORK/src/etc/grafana/certvigil-dashboard.json"
expect_failure metric-names "the dashboard queries a metric nobody exports"

fresh_tree
sed -i 's/certvigil_probe_success == 0/certvigil_probe_success{endpoint="x"} == 0/' \
  "$WORK/src/etc/prometheus/certvigil-rules.yml"
expect_failure metric-names "a rule matches a label the metric does not have"

fresh_tree
sed -i '/`certvigil_finding`/d' "$WORK/src/docs/METRICS.md"
expect_failure metric-names "a metric used by the rules is missing from METRICS.md"

fresh_tree
sed -i 's/"certvigil_probe_success"/"certvigil_probe_ok"/' \
  "$WORK/src/exporters/prometheus/metric_families.h"
expect_failure metric-names "the code no longer exports a metric the rules use"

fresh_tree
sed -i 's/<= 7 \* 86400/<= 6 * 86400/' "$WORK/src/etc/prometheus/certvigil-rules.yml"
expect_failure rules "the 7-day threshold changed without its test"

fresh_tree
sed -i 's/"certvigil_finding{job/"certvigil_finding{{job/' \
  "$WORK/src/etc/grafana/certvigil-dashboard.json"
expect_failure dashboard "a dashboard query does not parse"

fresh_tree
sed -i 's/action: hashmod/action: hashmodd/' "$WORK/src/docs/SCALING.md"
expect_failure scaling "the prometheus.yml in SCALING.md is invalid"
