#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what the benchmarks need beyond the build and test dependencies: the peer certvigil
# is measured against and the tools the scripts call. Not part of CI. Idempotent; needs root (or
# sudo). nginx, openssl and python3 (the farm, its PKI, tarpit.py) are test dependencies already.
set -euo pipefail
exec "$(dirname "$0")/../scripts/install-deps.sh" \
  prometheus-blackbox-exporter `# bench/tls: the peer probing the farm through /probe` \
  iproute2 `# ss: free ports, readiness` \
  time `# /usr/bin/time for certvigil check (CHECK=1)` \
  linux-perf `# profiling a run (optional)`
