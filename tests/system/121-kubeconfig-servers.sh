#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# probe_servers: a kubeconfig's API servers probed as mTLS endpoints with each context's user.
# One `openssl s_server` on 127.0.0.1 plays the API server and requires a client certificate
# from ec-root. The kubeconfig's contexts: alice (a client certificate the server accepts: no
# finding; contexts with the same server and user probed once), mallory (a certificate from
# another CA, sent with its root: client_cert_rejected, cause unknown_ca), carol (no root sent,
# hers known only from the cluster's CA bundle: unknown_ca too), a cluster whose CA is not the
# server's (chain finding), tls-server-name right and wrong (the SNI and the name verified),
# insecure-skip-tls-verify (trust not judged, said so), a context naming no cluster and an http
# server (parse_error). Through `check --probe-servers` and the daemon (SQLite, origin, metrics).
source "$(dirname "$0")/lib.sh"

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap 'stop_server; cleanup' EXIT

API=$(free_port)
cat "$PKI/ec-root.crt" "$PKI/ec-int.crt" >"$WORK/client-ca.pem"
openssl s_server -quiet -www -accept "127.0.0.1:$API" -cert "$PKI/leaf-server.crt" \
  -key "$PKI/leaf-server.key" -cert_chain "$PKI/ec-int.crt" \
  -Verify 2 -verify_return_error -CAfile "$WORK/client-ca.pem" >"$WORK/s_server.log" 2>&1 &
SERVER_PID=$!
wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$API" || fail "s_server did not start"

mkdir -p "$WORK/kube"
cp "$PKI/leaf-other-client-fullchain-root.pem" "$PKI/leaf-other-client-fullchain.pem" "$PKI/leaf-other-client.key" "$PKI/other-root.crt" \
  "$WORK/kube/"
chmod 600 "$WORK/kube/leaf-other-client.key"
b64() { base64 -w0 "$@"; }
KUBE="$WORK/kube/config"
cat >"$KUBE" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: ok
  cluster: {server: "https://127.0.0.1:$API", certificate-authority-data: $(b64 "$PKI/ec-root.crt")}
- name: ok-path
  cluster: {server: "https://127.0.0.1:$API/", certificate-authority-data: $(b64 "$PKI/ec-root.crt")}
- name: wrong-ca
  cluster: {server: "https://127.0.0.1:$API", certificate-authority: other-root.crt}
- name: named
  cluster:
    server: https://127.0.0.1:$API
    tls-server-name: server.test
    certificate-authority-data: $(b64 "$PKI/ec-root.crt")
- name: misnamed
  cluster:
    server: https://127.0.0.1:$API
    tls-server-name: wrong.test
    certificate-authority-data: $(b64 "$PKI/ec-root.crt")
- name: skip
  cluster: {server: "https://localhost:$API", insecure-skip-tls-verify: true}
- name: plain
  cluster: {server: "http://127.0.0.1:$API"}
- name: two-cas
  cluster:
    server: https://127.0.0.1:$API
    certificate-authority-data: $(cat "$PKI/ec-root.crt" "$PKI/other-root.crt" | b64)
users:
- name: alice
  user:
    client-certificate-data: $(cat "$PKI/leaf-client.crt" "$PKI/ec-int.crt" | b64)
    client-key-data: $(b64 "$PKI/leaf-client.key")
- name: mallory
  user: {client-certificate: leaf-other-client-fullchain-root.pem, client-key: leaf-other-client.key}
- name: carol
  user: {client-certificate: leaf-other-client-fullchain.pem, client-key: leaf-other-client.key}
contexts:
- {name: alice@ok, context: {cluster: ok, user: alice}}
- {name: alice@ok-again, context: {cluster: ok, user: alice}}
- {name: alice@ok-path, context: {cluster: ok-path, user: alice}}
- {name: mallory@ok, context: {cluster: ok, user: mallory}}
- {name: alice@wrong-ca, context: {cluster: wrong-ca, user: alice}}
- {name: alice@named, context: {cluster: named, user: alice}}
- {name: alice@misnamed, context: {cluster: misnamed, user: alice}}
- {name: alice@skip, context: {cluster: skip, user: alice}}
- {name: alice@plain, context: {cluster: plain, user: alice}}
- {name: carol@two-cas, context: {cluster: two-cas, user: carol}}
- {name: ghost, context: {cluster: nowhere, user: alice}}
YAML
chmod 600 "$KUBE"

echo "== check without --probe-servers: no traffic, no context targets"
rc=0
"$CERTVIGIL" check --json --ca "$PKI/ec-root.crt" --kubeconfig "$KUBE" >"$WORK/quiet.json" || rc=$?
python3 - "$WORK/quiet.json" "$KUBE" <<'PY'
import json, sys
names = [r["target"] for r in json.load(open(sys.argv[1]))["results"]]
assert not [n for n in names if "#context/" in n], names
PY

echo "== check --probe-servers: each context's server with its user's certificate"
rc=0
"$CERTVIGIL" check --json --timeout 5 --ca "$PKI/ec-root.crt" --kubeconfig "$KUBE" \
  --probe-servers >"$WORK/probe.json" || rc=$?
[ "$rc" -eq 2 ] || { cat "$WORK/probe.json"; fail "probe-servers: exit $rc, want 2"; }
python3 - "$WORK/probe.json" "$KUBE" <<'PY'
import json, sys
doc, kube = json.load(open(sys.argv[1])), sys.argv[2]
by = {r["target"]: r for r in doc["results"]}
ctx = lambda name: "kubeconfig:" + kube + "#context/" + name
codes = lambda name: sorted(f["code"] for f in by[ctx(name)]["findings"])
got = sorted(n for n in by if "#context/" in n)
want = sorted(ctx(n) for n in ("alice@ok", "mallory@ok", "alice@wrong-ca", "alice@named",
               "alice@misnamed", "alice@skip", "alice@plain", "ghost", "carol@two-cas"))
# alice@ok-again (the same cluster) and alice@ok-path (another cluster, the same server dialled
# the same way) are alice@ok again: probed once.
assert got == want, got
ok = by[ctx("alice@ok")]
assert codes("alice@ok") == [], ok["findings"]
assert ok["kind"] == "endpoint", ok
mtls = ok["endpoint"]["mtls"]
assert mtls["expected"] == "required" and mtls["client_certificate_sent"], mtls
assert mtls["answer"]["served"], mtls
assert not [n for n in by if n.endswith("#client")], "the user's certificate is its own target"
rejected = [f for f in by[ctx("mallory@ok")]["findings"] if f["code"] == "client_cert_rejected"]
assert rejected and rejected[0]["cause"] == "unknown_ca", by[ctx("mallory@ok")]["findings"]
# carol sends no root, and the trust store (--ca) does not know hers: the cluster's CA bundle
# does, so the refusal is still a wrong CA, not a missing intermediate.
carol = [f for f in by[ctx("carol@two-cas")]["findings"] if f["code"] == "client_cert_rejected"]
assert carol and carol[0]["cause"] == "unknown_ca", by[ctx("carol@two-cas")]["findings"]
assert set(codes("alice@wrong-ca")) & {"chain_incomplete", "untrusted_root"}, codes("alice@wrong-ca")
assert codes("alice@named") == [], by[ctx("alice@named")]["findings"]
assert by[ctx("alice@named")]["endpoint"]["servername"] == "server.test"
assert codes("alice@misnamed") == ["hostname_mismatch"], codes("alice@misnamed")
assert by[ctx("alice@misnamed")]["endpoint"]["servername"] == "wrong.test"
skip = by[ctx("alice@skip")]
assert codes("alice@skip") == [], skip["findings"]
assert "insecure-skip-tls-verify" in skip["endpoint"]["trust_not_judged"], skip["endpoint"]
plain = by[ctx("alice@plain")]["findings"]
assert [f["code"] for f in plain] == ["parse_error"] and "not an https URL" in plain[0]["message"]
ghost = by[ctx("ghost")]["findings"]
assert [f["code"] for f in ghost] == ["parse_error"] and "nowhere" in ghost[0]["message"]
PY

echo "== check --probe-servers, text: the report says when trust is not judged"
rc=0
"$CERTVIGIL" check --timeout 5 --ca "$PKI/ec-root.crt" --kubeconfig "$KUBE" --probe-servers \
  >"$WORK/probe.txt" || rc=$?
[ "$rc" -eq 2 ] || fail "probe-servers text: exit $rc, want 2"
grep -A6 "^OK  kubeconfig:$KUBE#context/alice@skip (endpoint)" "$WORK/probe.txt" |
  grep -q "trust not judged: the kubeconfig sets insecure-skip-tls-verify for cluster skip" ||
  { cat "$WORK/probe.txt"; fail "no 'trust not judged' line"; }

echo "== daemon: the context targets in SQLite (with their origin) and /metrics"
PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
timeout: 5s
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
kubeconfig:
  - path: $KUBE
    probe_servers: true
YAML
"$CERTVIGIL" config check "$WORK/certvigil.yaml" >/dev/null || fail "config check"
mkdir -p "$WORK/state"
start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
wait_for bash -c "[ \"\$(sqlite3 $DB 'SELECT count(*) FROM scans' 2>/dev/null)\" -ge 1 ]" ||
  fail "no scans recorded"
T="kubeconfig:$KUBE#context"
rejected=$(sql "$DB" "SELECT count(*) FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.name = '$T/mallory@ok' AND f.code = 'client_cert_rejected' AND f.resolved_at IS NULL")
[ "$rejected" = 1 ] || fail "no client_cert_rejected for mallory in SQLite"
origin=$(sql "$DB" "SELECT o.origin FROM target_origins o JOIN targets t ON t.id = o.target_id WHERE t.name = '$T/alice@ok'")
[ "$origin" = "$KUBE context alice@ok (cluster ok, user alice)" ] || fail "origin: '$origin'"
metrics=$(curl -sf "http://127.0.0.1:$PORT/metrics") || fail "scrape"
grep -F "certvigil_probe_success{" <<<"$metrics" | grep -qF "target=\"$T/alice@ok\"" ||
  fail "no probe_success series for alice@ok"
echo "ok"
