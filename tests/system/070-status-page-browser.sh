#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The status page in headless Chromium (Debian's chromium, driven over the DevTools protocol by
# tests/system/status_page_check.py): the page loads, its rows match the database, a finding
# filter and a typed target filter work, the detail view shows a target's chain, findings and
# history, a file name and a subject carrying HTML stay text, the page refreshes by itself after
# a scan requested through the API (about 30 s), the expiry timeline matches the database and
# filters the list when a bar is clicked, and no CSP violation occurs.
# Then the API's POST routes: 401 without the token, 202 with it. The screenshot is kept in
# $CERTVIGIL_BINARY_DIR/artifacts/ (CI uploads it).
source "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (scripts/install-deps.sh installs chromium)"

PORT=$(free_port)
mkdir -p "$WORK/certs"
cp "$PKI/leaf-server-fullchain.pem" "$PKI/leaf-expired.crt" "$PKI/leaf-5d-fullchain.pem" \
  "$PKI/leaf-client-fullchain.pem" "$WORK/certs/"
# Attacker-controlled text: a file name and a subject that are HTML.
EVIL_NAME='<img src=x onerror=window.__xss=1>.pem'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3 \
  -keyout "$WORK/evil.key" -out "$WORK/certs/$EVIL_NAME" \
  -subj '/O=x" onmouseover="window.__xss=2/CN=<img src=x onerror=window.__xss=3>' 2>/dev/null ||
  fail "cannot make the test certificate"
printf 'system-test-token-0123456789\n' >"$WORK/api.token"
chmod 600 "$WORK/api.token"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1h
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
files:
  - path: $WORK/certs
api:
  token_file: $WORK/api.token
YAML

start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
scanned() {
  [ -f "$DB" ] && [ "$(sql "$DB" 'SELECT count(*) FROM observations WHERE ended_at IS NULL')" -ge 8 ]
}
wait_for scanned || fail "the daemon never recorded the test files"
api_total() { curl -sf "http://127.0.0.1:$PORT/api/v1/certificates?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
[ "$(api_total)" = "$(sql "$DB" 'SELECT count(*) FROM observations WHERE ended_at IS NULL')" ] ||
  fail "/api/v1/certificates and the database disagree"

ARTIFACTS="$CERTVIGIL_BINARY_DIR/artifacts"
mkdir -p "$ARTIFACTS"
SHOT="$ARTIFACTS/status-page.png"
rm -f "$SHOT"
CHROMIUM="$CHROMIUM" CERTVIGIL_API_TOKEN=system-test-token-0123456789 \
  timeout 240 python3 "$(dirname "$0")/status_page_check.py" "http://127.0.0.1:$PORT/" "$DB" \
  "$SHOT" "$EVIL_NAME" "$WORK" "$PKI/leaf-20d-fullchain.pem" "$WORK/certs" ||
  fail "status page check failed (browser log: $WORK/chromium.log)"
[ -s "$SHOT" ] || fail "no screenshot"
echo "status page screenshot: $SHOT"

# POST routes: refused without the token (and the refusal is logged), accepted with it.
code=$(curl -s -o /dev/null -w '%{http_code}' --data '' "http://127.0.0.1:$PORT/api/v1/scan")
[ "$code" = 401 ] || fail "POST /api/v1/scan without a token answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --data '' \
  -H "Authorization: Bearer system-test-token-0123456789" "http://127.0.0.1:$PORT/api/v1/scan")
[ "$code" = 202 ] || fail "POST /api/v1/scan with the token answered $code"
grep -q "refused POST scan from 127.0.0.1" "$WORK/daemon.log" || fail "refusal not logged"
! grep -q "system-test-token" "$WORK/daemon.log" || fail "the token appears in the log"
scans_before=$(sql "$DB" 'SELECT coalesce(sum(scan_count), 0) FROM scans')
more_scans() { [ "$(sql "$DB" 'SELECT coalesce(sum(scan_count), 0) FROM scans')" -gt "$scans_before" ]; }
code=$(curl -s -o /dev/null -w '%{http_code}' --data '' \
  -H "Authorization: Bearer system-test-token-0123456789" "http://127.0.0.1:$PORT/api/v1/scan")
wait_for more_scans || fail "POST /api/v1/scan did not lead to a scan"
echo "PASS"
