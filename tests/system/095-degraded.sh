#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Degraded is visible: database writes that fail (a trigger another connection adds makes every
# scan insert abort, as a full disk would) keep the daemon scanning and serving, and show in
# /healthz (degraded, with the reason), certvigil_storage_errors_total and certvigil_degraded;
# it recovers by itself once writes work. A refused reload shows the same way, and changes
# nothing (the API token stays the old one).
source "$(dirname "$0")/lib.sh"

PORT=$(free_port)
mkdir -p "$WORK/state" "$WORK/certs"
cp "$PKI/leaf-server-fullchain.pem" "$WORK/certs/"
echo "token-one-0123456789abcdef" >"$WORK/token"
chmod 600 "$WORK/token"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1s
trust: {system: false, ca_files: [$PKI/ec-root.crt]}
api: {token_file: $WORK/token}
files:
  - path: $WORK/certs
YAML
start_daemon "$WORK/certvigil.yaml"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "never healthy"
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
[ "$(metric certvigil_degraded)" = "0" ] || fail "degraded at start"

DB="$WORK/state/certvigil.db"
sql "$DB" "CREATE TRIGGER cv_test_fail BEFORE UPDATE ON units BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END;"
wait_for bash -c "curl -s http://127.0.0.1:$PORT/healthz | grep -q 'simulated write failure'" ||
  fail "/healthz does not say degraded: $(curl -s "http://127.0.0.1:$PORT/healthz")"
health=$(curl -s "http://127.0.0.1:$PORT/healthz")
[ "${health%%$'\n'*}" = degraded ] || fail "healthz first line: $health"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] ||
  fail "a degraded daemon must not fail its liveness probe"
[ "$(metric certvigil_degraded)" = "1" ] || fail "certvigil_degraded is not 1"
errors=$(metric certvigil_storage_errors_total)
[ "${errors%.*}" -ge 1 ] || fail "storage errors not counted: $errors"
# Still serving the latest results. Fetch first, then grep: under pipefail `curl | grep -q` fails
# when grep stops reading before curl has written everything.
metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
grep -q 'certvigil_cert_not_after_timestamp_seconds' <<<"$metrics" ||
  fail "/metrics lost its results while degraded"
[ "$(grep -c 'simulated write failure' "$WORK/daemon.log")" -eq 1 ] ||
  fail "the failure must be logged once, not once per scan"

sql "$DB" "DROP TRIGGER cv_test_fail;"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "did not recover"
grep -q "database writes work again" "$WORK/daemon.log" || fail "recovery not logged"
[ "$(metric certvigil_degraded)" = "0" ] || fail "still degraded after recovery"

# A refused reload: trust anchors that cannot be loaded. Nothing of it applies.
sed -i "s#ca_files: \[$PKI/ec-root.crt\]#ca_files: [$WORK/missing.pem]#" "$WORK/certvigil.yaml"
echo "token-two-0123456789abcdef" >"$WORK/token"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer token-one-0123456789abcdef" \
  "http://127.0.0.1:$PORT/api/v1/reload")
[ "$code" = 202 ] || [ "$code" = 200 ] || fail "reload request answered $code"
wait_for bash -c "curl -s http://127.0.0.1:$PORT/healthz | grep -q 'reload was refused'" ||
  fail "refused reload not shown: $(curl -s "http://127.0.0.1:$PORT/healthz")"
[ "$(metric certvigil_config_last_reload_successful)" = "0" ] || fail "reload gauge"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer token-one-0123456789abcdef" \
  "http://127.0.0.1:$PORT/api/v1/scan")
[ "$code" = 202 ] || fail "the old token must still work after a refused reload (got $code)"
echo "095-degraded: OK"
