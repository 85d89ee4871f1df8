#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One command from a fresh Debian 12 checkout to a running daemon: installs the dependencies,
# builds, and runs certvigil on etc/certvigil.yaml in the foreground (Ctrl-C stops it).
# Then: curl -s 127.0.0.1:9879/metrics | grep certvigil_cert_not_after | head
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p state
exec build/certvigil run --config etc/certvigil.yaml "$@"
