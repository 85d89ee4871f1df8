#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Java keystores and kubeconfigs end to end through the binary: keystores made by keytool
# (tests/pki/make_keystores.sh: JKS, JCEKS, PKCS#12 trust store, an expired entry), a wrong
# password, and kubeconfigs with inline data and with file paths, through `certvigil check`
# (report and JSON) and the daemon (SQLite and /metrics).
source "$(dirname "$0")/lib.sh"

KS=${CERTVIGIL_BINARY_DIR}/test-keystores
[ -f "$KS/.complete" ] || bash "$(dirname "$0")/../pki/make_keystores.sh" "$PKI" "$KS"
cp "$KS/ks.jks" "$KS/ks.jceks" "$KS/truststore.p12" "$KS/expired-trust.jks" "$KS/store.pass" \
  "$KS/wrong.pass" "$WORK/"
# The keystore under another name: it is recognised by its content.
cp "$KS/ks.jks" "$WORK/app-store.bin"

echo "== check: JKS and JCEKS entries with their chains, the expired entry critical (exit 2)"
rc=0
"$CERTVIGIL" check --json --ca "$PKI/ec-root.crt" --password-file "$WORK/store.pass" \
  "$WORK/ks.jks" "$WORK/ks.jceks" "$WORK/truststore.p12" "$WORK/expired-trust.jks" \
  "$WORK/app-store.bin" \
  >"$WORK/stores.json" || rc=$?
[ "$rc" -eq 2 ] || fail "keystores: exit $rc, want 2"
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
doc = json.load(open(work + "/stores.json"))
by = {r["target"]: r for r in doc["results"]}
codes = lambda t: sorted(f["code"] for f in by[t]["findings"])
for store in ("ks.jks", "ks.jceks", "app-store.bin"):
    base = work + "/" + store
    assert sorted(k for k in by if k.startswith(base)) == [
        base, base + "#leaf-expired", base + "#leaf-server"], sorted(by)
    server = by[base + "#leaf-server"]
    assert server["kind"] == "file" and codes(server["target"]) == [], server["findings"]
    assert [c["subject"] for c in server["certificates"][:2]] == [
        "CN=server.test,O=certvigil test", "CN=certvigil EC Intermediate,O=certvigil test"]
    assert codes(base + "#leaf-expired") == ["expired"], by[base + "#leaf-expired"]["findings"]
    trusted = by[base]
    assert trusted["kind"] == "bundle" and codes(base) == [], trusted["findings"]
trust = by[work + "/truststore.p12"]
assert trust["kind"] == "bundle", trust
assert len(trust["certificates"]) == 2
assert codes(trust["target"]) == ["bundle_multiple_roots"], trust["findings"]
# A trust store holding an expired root: expired, on that certificate.
old = by[work + "/expired-trust.jks"]
assert old["kind"] == "bundle", old
expired = [f for f in old["findings"] if f["code"] == "expired"]
assert len(expired) == 1 and "j-old-root" in expired[0]["message"], old["findings"]
PY

echo "== check: a wrong password is a parse_error that names it, with keytool's remedy"
rc=0
"$CERTVIGIL" check --ca "$PKI/ec-root.crt" --password-file "$WORK/wrong.pass" "$WORK/ks.jceks" \
  >"$WORK/wrong.txt" || rc=$?
[ "$rc" -eq 2 ] || fail "wrong password: exit $rc, want 2"
grep -q "parse_error: $WORK/ks.jceks: JCEKS: integrity check failed: wrong password" \
  "$WORK/wrong.txt" || { cat "$WORK/wrong.txt"; fail "no wrong-password finding"; }
grep -q "keytool -list -keystore FILE" "$WORK/wrong.txt" || fail "remedy does not name keytool"

echo "== kubeconfigs: inline data and file paths"
mkdir -p "$WORK/kube/pki"
cp "$PKI/leaf-expired.crt" "$PKI/leaf-expired.key" "$PKI/ec-root.crt" "$WORK/kube/pki/"
chmod 600 "$WORK/kube/pki/leaf-expired.key"
b64() { base64 -w0 "$@"; }
cat >"$WORK/kube/inline.yaml" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: $(b64 "$PKI/ec-root.crt")
users:
- name: alice
  user:
    client-certificate-data: $(cat "$PKI/leaf-client.crt" "$PKI/ec-int.crt" | b64)
    client-key-data: $(b64 "$PKI/leaf-client.key")
- name: robot
  user: {token: not-a-certificate}
contexts:
- name: alice@prod
  context: {cluster: prod, user: alice}
current-context: alice@prod
YAML
chmod 600 "$WORK/kube/inline.yaml"
cat >"$WORK/kube/files.yaml" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:6444", certificate-authority: pki/ec-root.crt}
users:
- name: bob
  user: {client-certificate: pki/leaf-expired.crt, client-key: pki/leaf-expired.key}
contexts:
- name: bob@dev
  context: {cluster: dev, user: bob}
YAML
rc=0
"$CERTVIGIL" check --ca "$PKI/ec-root.crt" --kubeconfig "$WORK/kube/inline.yaml" \
  >"$WORK/kube-inline.txt" || rc=$?
[ "$rc" -eq 0 ] || { cat "$WORK/kube-inline.txt"; fail "inline kubeconfig: exit $rc, want 0"; }
grep -q "^OK  kubeconfig:$WORK/kube/inline.yaml#user/alice (file)" "$WORK/kube-inline.txt" ||
  fail "no user target"
grep -q "^OK  kubeconfig:$WORK/kube/inline.yaml#cluster/prod (bundle)" "$WORK/kube-inline.txt" ||
  fail "no cluster target"
rc=0
"$CERTVIGIL" check --json --ca "$PKI/ec-root.crt" --kubeconfig "$WORK/kube/files.yaml" \
  >"$WORK/kube-files.json" || rc=$?
[ "$rc" -eq 2 ] || fail "file-path kubeconfig: exit $rc, want 2"
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
by = {r["target"]: r for r in json.load(open(work + "/kube-files.json"))["results"]}
name = "kubeconfig:" + work + "/kube/files.yaml"
assert sorted(by) == [name + "#cluster/dev", name + "#user/bob"], sorted(by)
assert "expired" in [f["code"] for f in by[name + "#user/bob"]["findings"]]
PY
chmod 644 "$WORK/kube/inline.yaml"  # the inline key is now readable by everyone

echo "== daemon: the same targets in SQLite and /metrics"
PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
files:
  - path: $WORK/ks.jks
    password_file: $WORK/store.pass
kubeconfig:
  - $WORK/kube/inline.yaml
  - path: $WORK/kube/files.yaml
    interval: 1h
YAML
"$CERTVIGIL" config check "$WORK/certvigil.yaml" >/dev/null || fail "config check"
mkdir -p "$WORK/state"
start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
wait_for bash -c "[ \"\$(sqlite3 $DB 'SELECT count(*) FROM scans' 2>/dev/null)\" -ge 3 ]" ||
  fail "no scans recorded"
targets=$(sql "$DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM targets ORDER BY name)")
want="$WORK/ks.jks $WORK/ks.jks#leaf-expired $WORK/ks.jks#leaf-server"
want+=" kubeconfig:$WORK/kube/files.yaml#cluster/dev kubeconfig:$WORK/kube/files.yaml#user/bob"
want+=" kubeconfig:$WORK/kube/inline.yaml#cluster/prod kubeconfig:$WORK/kube/inline.yaml#user/alice"
[ "$targets" = "$want" ] || fail "targets: $targets"
perm=$(sql "$DB" "SELECT count(*) FROM findings f JOIN targets t ON t.id = f.target_id WHERE t.name = 'kubeconfig:$WORK/kube/inline.yaml#user/alice' AND f.code = 'key_permissions' AND f.resolved_at IS NULL")
[ "$perm" = 1 ] || fail "no key_permissions for a world-readable kubeconfig holding a key"
metrics=$(curl -sf "http://127.0.0.1:$PORT/metrics") || fail "scrape"
grep -qF "target=\"kubeconfig:$WORK/kube/files.yaml#user/bob\"" <<<"$metrics" ||
  fail "no series for the kubeconfig user"
grep -qF "target=\"$WORK/ks.jks#leaf-server\"" <<<"$metrics" || fail "no series for the key entry"
echo "ok"
