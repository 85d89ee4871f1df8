#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when systemd rates the hardening of certvigil.service worse than an exposure of 2.0
# (`systemd-analyze security --offline=true`, which reads the unit file; no running systemd
# needed). Usage: scripts/check-unit.sh [UNIT_FILE [MAX_EXPOSURE]]
set -euo pipefail
cd "$(dirname "$0")/.."
unit=${1:-systemd/certvigil.service}
max=${2:-2.0}

report=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) || {
  echo "$report" >&2
  echo "check-unit: systemd-analyze failed on $unit" >&2
  exit 1
}
# "→ Overall exposure level for certvigil.service: 1.3 OK 🙂"
line=$(grep 'Overall exposure level' <<<"$report" || true)
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9]*\.[0-9]\).*/\1/p' <<<"$line")
if [ -z "$score" ]; then
  echo "$report" >&2
  echo "check-unit: no 'Overall exposure level' line in the output for $unit" >&2
  exit 1
fi
if awk -v s="$score" -v m="$max" 'BEGIN { exit !(s > m) }'; then
  grep '✗' <<<"$report" >&2 || true
  echo "check-unit: $unit exposure $score is above $max" >&2
  exit 1
fi
echo "check-unit: $unit exposure $score (at most $max)"
