#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The daemon end to end: config -> scan -> SQLite -> /metrics -> promtool; a bad SIGHUP keeps
# the running config; SIGTERM stops it with exit code 0.
source "$(dirname "$0")/lib.sh"

PORT=$(free_port)
mkdir -p "$WORK/certs"
cp "$PKI/leaf-server-fullchain.pem" "$PKI/leaf-expired.crt" "$WORK/certs/"
cp "$PKI/bundle-good.pem" "$WORK/bundle.pem"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1h
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
files:
  - path: $WORK/certs
bundles:
  - path: $WORK/bundle.pem
YAML
"$CERTVIGIL" config check "$WORK/certvigil.yaml" || fail "config check rejected a valid config"

start_daemon "$WORK/certvigil.yaml"
wait_for curl -sf "http://127.0.0.1:$PORT/healthz" || fail "daemon never became healthy"
metrics_ready() {
  curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt" &&
    grep -q 'certvigil_cert_not_after_timestamp_seconds{.*leaf-expired' "$WORK/metrics.txt" &&
    grep -q 'certvigil_last_scan_timestamp_seconds{.*bundle.pem' "$WORK/metrics.txt"
}
wait_for metrics_ready || fail "/metrics never showed both scans"

promtool check metrics <"$WORK/metrics.txt" || fail "promtool check metrics failed"
grep -q 'certvigil_finding{.*code="expired".*severity="critical"' "$WORK/metrics.txt" ||
  fail "no expired finding series"
grep -q '^certvigil_build_info{' "$WORK/metrics.txt" || fail "no build info"

DB="$WORK/state/certvigil.db"
[ "$(sql "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(sql "$DB" 'PRAGMA journal_mode')" = wal ] || fail "database not in WAL mode"
certs=$(sql "$DB" 'SELECT count(*) FROM certificates')
[ "$certs" -ge 4 ] || fail "expected >= 4 certificates in the database, got $certs"
expired=$(sql "$DB" "SELECT count(*) FROM findings WHERE code='expired' AND resolved_at IS NULL")
[ "$expired" -ge 1 ] || fail "the expired finding is not stored as active"

"$CERTVIGIL" inventory --database "$DB" --json >"$WORK/inventory.json" || fail "inventory"
grep -q '"leaf-expired' "$WORK/inventory.json" || grep -q 'leaf-expired' "$WORK/inventory.json" ||
  fail "inventory lacks the expired certificate"

# A bad reload keeps the running config.
echo "unknown_key: 1" >>"$WORK/certvigil.yaml"
kill -HUP "$DAEMON_PID"
wait_for grep -q "reload failed" "$WORK/daemon.log" || fail "bad reload not reported"
kill -0 "$DAEMON_PID" || fail "daemon died on a bad reload"
# Fetch first, then grep: `curl | grep -q` fails under pipefail when grep stops reading early.
metrics() { curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/scrape.txt"; }
reload_gauge_zero() {
  metrics && grep -q 'certvigil_config_last_reload_successful 0' "$WORK/scrape.txt"
}
wait_for reload_gauge_zero || fail "reload gauge not 0 after a failed reload"

# Removing a file makes its series disappear after the next scan (SIGHUP with a good config
# rescans nothing by itself, so change the interval to force a prompt rescan).
sed -i '/unknown_key/d; s/interval: 1h/interval: 1s/' "$WORK/certvigil.yaml"
rm "$WORK/certs/leaf-expired.crt"
kill -HUP "$DAEMON_PID"
gone() { metrics && ! grep -q 'leaf-expired' "$WORK/scrape.txt"; }
wait_for gone || fail "series of a removed certificate did not disappear"

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"; rc=$?
DAEMON_PID=""
[ "$rc" -eq 0 ] || fail "SIGTERM exit code $rc"
[ "$(sql "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after stop"
echo "PASS"
