#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Endpoints end to end through the binary: nginx with mTLS on 127.0.0.1, probed by
# `certvigil check`, `certvigil diagnose` and the daemon; the cause of a refused client
# certificate must reach the report, the JSON, SQLite and /metrics, and the acceptable client CA
# names must be stored and exported.
source "$(dirname "$0")/lib.sh"

# nginx serving leaf-server + ec-int, requiring client certificates from ec-root.
NGINX_PORT=$(free_port)
OPEN_PORT=$(free_port)
start_nginx "$NGINX_PORT" <<CONF
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $PKI/leaf-server-fullchain.pem;
    ssl_certificate_key $PKI/leaf-server.key;
    ssl_verify_client on;
    ssl_client_certificate $PKI/ec-root.crt;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$OPEN_PORT ssl;
    ssl_certificate $PKI/leaf-server-fullchain.pem;
    ssl_certificate_key $PKI/leaf-server.key;
    ssl_verify_client optional;
    ssl_client_certificate $PKI/ec-root.crt;
    location / { return 200 "hello\n"; }
  }
CONF

MTLS="127.0.0.1:$NGINX_PORT"

echo "== check: a good client certificate is silent (exit 0)"
rc=0
"$CERTVIGIL" check --ca "$PKI/ec-root.crt" --servername localhost --mtls required \
  --client-cert "$PKI/leaf-client-fullchain.pem" --client-key "$PKI/leaf-client.key" "$MTLS" \
  >"$WORK/good.txt" || rc=$?
[ "$rc" -eq 0 ] || { cat "$WORK/good.txt"; fail "good client certificate: exit $rc"; }

echo "== check: a leaf without its intermediate is refused, cause incomplete_chain (exit 2)"
rc=0
"$CERTVIGIL" check --json --ca "$PKI/ec-root.crt" --servername localhost --mtls required \
  --client-cert "$PKI/leaf-client.crt" --client-key "$PKI/leaf-client.key" "$MTLS" \
  >"$WORK/leaf-only.json" || rc=$?
[ "$rc" -eq 2 ] || fail "leaf only: exit $rc, want 2"
python3 - "$WORK/leaf-only.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
server = [r for r in doc["results"] if not r["target"].endswith("#client")][0]
rejected = [f for f in server["findings"] if f["code"] == "client_cert_rejected"]
assert len(rejected) == 1, server["findings"]
assert rejected[0]["cause"] == "incomplete_chain", rejected[0]
assert "cat " in rejected[0]["remedy"], rejected[0]["remedy"]
mtls = server["endpoint"]["mtls"]
assert mtls["certificate_requested"] is True
assert mtls["acceptable_ca_names"] == ["CN=certvigil EC Root,O=certvigil test"], mtls
assert mtls["answer"]["http"]["status"] == 400, mtls["answer"]
PY

echo "== diagnose: names the server side, the cause and the fix"
rc=0
"$CERTVIGIL" diagnose --ca "$PKI/ec-root.crt" --servername localhost --mtls required \
  --client-cert "$PKI/leaf-client-wrong-eku-fullchain.pem" --client-key "$PKI/leaf-client-wrong-eku.key" \
  "$MTLS" >"$WORK/diagnose.txt" || rc=$?
[ "$rc" -eq 2 ] || { cat "$WORK/diagnose.txt"; fail "diagnose: exit $rc, want 2"; }
grep -q "rejected by the server side (unsupported_purpose)" "$WORK/diagnose.txt" ||
  { cat "$WORK/diagnose.txt"; fail "diagnose verdict"; }
grep -q "extendedKeyUsage=clientAuth" "$WORK/diagnose.txt" || fail "diagnose fix"
"$CERTVIGIL" diagnose --json --ca "$PKI/ec-root.crt" --servername localhost \
  --client-cert "$PKI/leaf-client.crt" --client-key "$PKI/leaf-client.key" "$MTLS" \
  >"$WORK/diagnose.json" || true
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d["verdict"]; assert v["rejecting_side"]=="server" and v["cause"]=="incomplete_chain", v' "$WORK/diagnose.json"

echo "== check: connect_failed on a closed port, timeout on a tarpit"
CLOSED=$(free_port)
rc=0
"$CERTVIGIL" check --json "127.0.0.1:$CLOSED" >"$WORK/closed.json" || rc=$?
[ "$rc" -eq 2 ] || fail "closed port: exit $rc"
grep -q '"connect_failed"' "$WORK/closed.json" || fail "closed port: no connect_failed"

echo "== daemon: endpoints are scheduled, stored and exported"
PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1h
timeout: 5s
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
endpoints:
  - address: $MTLS
    servername: localhost
    mtls: required
    client_cert: $PKI/leaf-client.crt
    client_key: $PKI/leaf-client.key
  - address: 127.0.0.1:$OPEN_PORT
    servername: localhost
    mtls: required
    client_cert: $PKI/leaf-client-fullchain.pem
    client_key: $PKI/leaf-client.key
    expect_file: $PKI/leaf-5d.crt
YAML
mkdir -p "$WORK/state"
start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
wait_for bash -c "[ \"\$(sqlite3 $DB 'SELECT count(*) FROM scans' 2>/dev/null)\" -ge 2 ]" || fail "no scans recorded"

cause=$(sql "$DB" "SELECT cause FROM findings WHERE code = 'client_cert_rejected' AND resolved_at IS NULL")
[ "$cause" = "incomplete_chain" ] || fail "stored cause: '$cause'"
names=$(sql "$DB" "SELECT acceptable_ca_names FROM endpoint_facts ef JOIN targets t ON t.id = ef.target_id WHERE t.name = '$MTLS/localhost'")
[ "$names" = '["CN=certvigil EC Root,O=certvigil test"]' ] || fail "stored CA names: $names"
codes=$(sql "$DB" "SELECT group_concat(code) FROM (SELECT code FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.name = '127.0.0.1:$OPEN_PORT/localhost' AND resolved_at IS NULL ORDER BY code)")
[ "$codes" = "client_cert_not_enforced,served_cert_mismatch" ] || fail "open endpoint findings: $codes"

curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt" || fail "scrape"
grep -q "certvigil_probe_success{.*target=\"$MTLS/localhost\".*} 1" "$WORK/metrics.txt" || fail "probe_success"
grep -q 'certvigil_finding{.*code="client_cert_rejected"' "$WORK/metrics.txt" || fail "finding metric"
grep -q "certvigil_mtls_acceptable_ca_info{.*ca=\"CN=certvigil EC Root,O=certvigil test\"" "$WORK/metrics.txt" ||
  fail "acceptable CA info series"
promtool check metrics <"$WORK/metrics.txt" || fail "promtool"

echo "== /probe: a configured endpoint answers its metrics, an unconfigured one is refused"
curl -sf "http://127.0.0.1:$PORT/probe?target=$MTLS&servername=localhost" >"$WORK/probe.txt" || fail "/probe"
grep -q "certvigil_probe_success{.*} 1" "$WORK/probe.txt" || fail "/probe success"
if grep -q "127.0.0.1:$OPEN_PORT" "$WORK/probe.txt"; then fail "/probe leaked another target"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/probe?target=127.0.0.1:$CLOSED")
[ "$code" = "403" ] || fail "/probe of an unconfigured target: $code"
echo "PASS"
