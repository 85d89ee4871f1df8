#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The judgement of the whole path (anchors, chain files, names, EKU chains, conformance, CRL
# signers, --at) through the binary, each case beside the real `openssl verify`
# (judgement_cases.py); then a key-only TARGET, a symlink loop, and the same cases through the
# daemon (SQLite, /metrics) and through an endpoint served by nginx.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

python3 "$HERE/judgement_cases.py" "$CERTVIGIL" "$PKI" || fail "judgement cases"

# A key-only file named as a TARGET is a usage mistake: UNKNOWN, exit 3.
set +e
"$CERTVIGIL" check "$PKI/leaf-server.key" >"$WORK/key.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "key-only target exits $rc, not 3"
grep -q "holds a private key and no certificate: pass it with --key" "$WORK/key.out" ||
  fail "key-only target: $(cat "$WORK/key.out")"

# A symlink loop in a scanned directory is skipped, not a finding.
mkdir -p "$WORK/tree"
cp "$PKI/leaf-server-fullchain.pem" "$WORK/tree/"
ln -s . "$WORK/tree/loop"
"$CERTVIGIL" check --json --ca "$PKI/ec-root.crt" "$WORK/tree" >"$WORK/tree.json" ||
  fail "a tree with a symlink loop is not OK: $(cat "$WORK/tree.json")"
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
targets = [r["target"] for r in doc["results"]]
assert len(targets) == 1 and targets[0].endswith("leaf-server-fullchain.pem"), targets
' "$WORK/tree.json" || fail "symlink loop: $(cat "$WORK/tree.json")"

# The daemon: the anchor, the chain file and the CN case in SQLite and /metrics.
PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1h
trust:
  system: false
  ca_files: [$PKI/ec-root.crt, $PKI/j-old-root.crt]
files:
  - path: $PKI/j-leaf-cross.pem
    role: server
  - path: $PKI/j-leaf-under-expired.crt
    role: server
    chain: $PKI/j-int-expired.crt
  - path: $PKI/j-cn-only-fullchain.pem
    role: server
    hostname: cn.test
    clients: [openssl]
  - path: $WORK/tree
YAML
mkdir -p "$WORK/state"
start_daemon "$WORK/certvigil.yaml"
wait_for curl -sf "http://127.0.0.1:$PORT/metrics" || fail "daemon did not serve /metrics"
wait_for bash -c "curl -s http://127.0.0.1:$PORT/metrics | grep -q 'certvigil_walk_skipped.*\\} 1'" ||
  fail "walk_skipped not exported: $(curl -s "http://127.0.0.1:$PORT/metrics" | grep walk)"
DB="$WORK/state/certvigil.db"
active() { sql "$DB" "SELECT f.code || ' ' || f.severity || ' ' || f.position FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.name = '$1' AND f.resolved_at IS NULL ORDER BY 1"; }
[ "$(active "$PKI/j-leaf-cross.pem")" = "expired critical 3" ] ||
  fail "anchor in SQLite: $(active "$PKI/j-leaf-cross.pem")"
[ "$(active "$PKI/j-leaf-under-expired.crt")" = "expired critical 1" ] ||
  fail "chain file in SQLite: $(active "$PKI/j-leaf-under-expired.crt")"
[ "$(active "$PKI/j-cn-only-fullchain.pem")" = "hostname_mismatch warning 0" ] ||
  fail "per-entry clients in SQLite: $(active "$PKI/j-cn-only-fullchain.pem")"
curl -s "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics"
grep -q "certvigil_finding{.*code=\"expired\".*position=\"3\"" "$WORK/metrics" ||
  fail "anchor finding not in /metrics"
promtool check metrics <"$WORK/metrics" || fail "promtool"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=""

# An endpoint: nginx serves the CN-only certificate and the chain that ends at the old root.
NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" <<CONF
  server {
    listen 127.0.0.1:$NGINX_PORT ssl default_server;
    server_name cn.test;
    ssl_certificate $PKI/j-cn-only-fullchain.pem;
    ssl_certificate_key $PKI/j-cn-only.key;
    return 200 "ok\n";
  }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    server_name leaf.test;
    ssl_certificate $PKI/j-leaf-cross.pem;
    ssl_certificate_key $PKI/j-leaf.key;
    return 200 "ok\n";
  }
CONF
endpoint_codes() {
  "$CERTVIGIL" check --json "$@" >"$WORK/ep.json" || true
  python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(" ".join(sorted(f["code"] + ":" + f["severity"] + ":" + str(f["position"]) for r in doc["results"] for f in r["findings"])))
' "$WORK/ep.json"
}
got=$(endpoint_codes --ca "$PKI/ec-root.crt" --servername cn.test "127.0.0.1:$NGINX_PORT")
[ "$got" = "hostname_mismatch:critical:0" ] || fail "endpoint CN-only: $got"
got=$(endpoint_codes --ca "$PKI/j-old-root.crt" --servername leaf.test "127.0.0.1:$NGINX_PORT")
[ "$got" = "expired:critical:3" ] || fail "endpoint expired anchor: $got"
got=$(endpoint_codes --ca "$PKI/j-both-roots.pem" --servername leaf.test "127.0.0.1:$NGINX_PORT")
[ "$got" = "" ] || fail "endpoint with a current root too: $got"
echo "090-judgement: OK"
