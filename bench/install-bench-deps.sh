#!/usr/bin/env bash
# Installs what the benchmarks need beyond scripts/install-deps.sh (the build and test
# dependencies): the peers certvigil is measured against and the tools the scripts call.
# Not part of CI. Idempotent; needs root (or sudo).
set -euo pipefail

packages=(
  prometheus-blackbox-exporter  # bench/tls: the peer probing the farm through /probe
  nginx-light                   # bench/tls: the farm of TLS endpoints
  openssl                       # bench/tls: the farm's PKI
  python3                       # bench/tls/tarpit.py
  iproute2                      # ss: free ports, readiness
  time                          # /usr/bin/time for `certvigil check` (CHECK=1)
  linux-perf                    # profiling a run (optional)
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-bench-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-bench-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The packages start services on install; the benchmark starts its own instances on 127.0.0.1.
for svc in prometheus-blackbox-exporter nginx; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
