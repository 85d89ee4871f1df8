#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kill -9 in the middle of a scan, restart: the database passes integrity_check and the next
# scan completes.
source "$(dirname "$0")/lib.sh"

MAKE_TREE=${CERTVIGIL_BINARY_DIR}/bench/make_tree
"$MAKE_TREE" "$WORK/tree" 2000 10 >/dev/null || fail "make_tree"
PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 2s
trust:
  system: false
  ca_files: [$WORK/tree/ca.pem]
files:
  - path: $WORK/tree
YAML
DB="$WORK/state/certvigil.db"
for round in 1 2 3; do
  start_daemon "$WORK/certvigil.yaml"
  # Kill at a different moment each round: while the first scan is running, or later.
  sleep "0.$((round * 3))"
  kill -9 "$DAEMON_PID"
  wait "$DAEMON_PID" 2>/dev/null || true
  DAEMON_PID=""
  if [ -f "$DB" ]; then
    [ "$(sql "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after kill -9 ($round)"
  fi
done
before=$(sql "$DB" "SELECT coalesce(sum(scan_count), 0) FROM scans WHERE outcome='ok'" 2>/dev/null || echo 0)
start_daemon "$WORK/certvigil.yaml"
scanned() { [ "$(sql "$DB" "SELECT coalesce(sum(scan_count), 0) FROM scans WHERE outcome='ok'")" -gt "$before" ]; }
wait_for scanned || fail "no scan completed after restart"
[ "$(sql "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after restart"
targets=$(sql "$DB" "SELECT count(*) FROM targets WHERE gone_at IS NULL")
# 2,000 certificates x 10 copies, plus the CA file make_tree writes beside them.
[ "$targets" -eq 20001 ] || fail "expected 20001 targets after the restart scan, got $targets"
echo "PASS"
