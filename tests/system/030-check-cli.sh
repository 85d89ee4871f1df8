#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `certvigil check` and `certvigil config check` as a script or Nagios sees them: exit codes
# 0/1/2/3 on the test PKI, --json that parses with the expected finding codes, --role,
# --warn-days/--crit-days, and config check's file:line problems and exit code 78.
source "$(dirname "$0")/lib.sh"

# expect_rc WANT CMD...: runs CMD (output in $WORK/out, $WORK/err) and checks its exit code.
expect_rc() {
  local want=$1
  shift
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" != "$want" ]; then
    echo "--- stdout" >&2
    cat "$WORK/out" >&2
    echo "--- stderr" >&2
    cat "$WORK/err" >&2
    fail "exit code $rc, expected $want: $*"
  fi
}

# json_codes FILE: the finding codes of a --json document, sorted, space-separated ("" if none).
json_codes() {
  python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
codes = sorted(f["code"] for r in doc["results"] for f in r["findings"])
print(" ".join(codes))' "$1"
}

# json_severity FILE CODE: the severity of the first finding with CODE.
json_severity() {
  python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(next(f["severity"] for r in doc["results"] for f in r["findings"] if f["code"] == sys.argv[2]))' \
    "$1" "$2"
}

CA=(--ca "$PKI/ec-root.crt")

# --- exit codes of the human report
expect_rc 0 "$CERTVIGIL" check "${CA[@]}" "$PKI/leaf-server-fullchain.pem"
head -1 "$WORK/out" | grep -qE "^CERTVIGIL OK - 0 critical, 0 warning, 1 ok \| '[^']*leaf-server-fullchain.pem'=[0-9]+;28;7;0$" ||
  fail "no plugin status line for a good chain: $(head -1 "$WORK/out")"
grep -q '^OK  .*leaf-server-fullchain.pem (file)$' "$WORK/out" || fail "no OK line for a good chain"
grep -q '^1 target: 0 critical, 0 warning, 1 ok$' "$WORK/out" || fail "summary line of a good chain"
if grep -q $'\033' "$WORK/out"; then fail "colour escapes when stdout is not a terminal"; fi

expect_rc 1 "$CERTVIGIL" check "${CA[@]}" --warn-days 30 --crit-days 5 "$PKI/leaf-20d-fullchain.pem"
head -1 "$WORK/out" | grep -qE "^CERTVIGIL WARNING - 0 critical, 1 warning, 0 ok \| '[^']*leaf-20d-fullchain.pem'=[0-9]+;30;5;0$" ||
  fail "plugin status line of leaf-20d: $(head -1 "$WORK/out")"
grep -q '^    warning expires_soon: ' "$WORK/out" || fail "no expires_soon warning for leaf-20d"
grep -q '^      fix: renew ' "$WORK/out" || fail "no remedy under the finding"

expect_rc 2 "$CERTVIGIL" check "${CA[@]}" "$PKI/leaf-expired-fullchain.pem"
grep -q '^    critical expired: ' "$WORK/out" || fail "no expired finding for leaf-expired"
head -1 "$WORK/out" | grep -qE "^CERTVIGIL CRITICAL - 1 critical, 0 warning, 0 ok \| '[^']*'=-[0-9]+;28;7;0$" ||
  fail "plugin status line of leaf-expired: $(head -1 "$WORK/out")"

# Worst first across targets, whatever the command-line order.
expect_rc 2 "$CERTVIGIL" check "${CA[@]}" "$PKI/leaf-server-fullchain.pem" \
  "$PKI/leaf-20d-fullchain.pem" "$PKI/leaf-expired-fullchain.pem"
tail -n +2 "$WORK/out" | grep -v '^ ' | sed 's/  .*test-pki\// /' >"$WORK/order"
printf '%s\n' 'CRITICAL leaf-expired-fullchain.pem (file)' 'WARNING leaf-20d-fullchain.pem (file)' \
  'OK leaf-server-fullchain.pem (file)' '3 targets: 1 critical, 1 warning, 1 ok' >"$WORK/order.want"
diff -u "$WORK/order.want" "$WORK/order" >&2 || fail "targets not worst first"

# --- UNKNOWN (3): usage errors and what this build cannot check
expect_rc 3 "$CERTVIGIL" check --no-such-option "$PKI/leaf-server-fullchain.pem"
expect_rc 3 "$CERTVIGIL" check --ca "$WORK/no-such-root.pem" "$PKI/leaf-server-fullchain.pem"
expect_rc 3 "$CERTVIGIL" check --role janitor "$PKI/leaf-server-fullchain.pem"
expect_rc 3 "$CERTVIGIL" check --warn-days 7 --crit-days 28 "$PKI/leaf-server-fullchain.pem"
expect_rc 3 "$CERTVIGIL" check --client-key "$PKI/leaf-client.key" 127.0.0.1:443
expect_rc 3 "$CERTVIGIL" check --mtls sometimes 127.0.0.1:443
expect_rc 3 "$CERTVIGIL" check

# An endpoint nobody listens on is a finding (connect_failed), not a usage error.
closed=$(free_port)
expect_rc 2 "$CERTVIGIL" check --json "${CA[@]}" "127.0.0.1:$closed"
[ "$(json_codes "$WORK/out")" = "connect_failed" ] || fail "closed port: $(json_codes "$WORK/out")"

# A file that is not there is a finding of its own, not a usage error.
expect_rc 2 "$CERTVIGIL" check --json "${CA[@]}" "$WORK/missing.pem"
[ "$(json_codes "$WORK/out")" = "parse_error" ] || fail "missing file: $(json_codes "$WORK/out")"

# --- --json: one document with the expected codes and the exit code of the human report
expect_rc 0 "$CERTVIGIL" check --json "${CA[@]}" "$PKI/leaf-server-fullchain.pem"
[ "$(json_codes "$WORK/out")" = "" ] || fail "good chain has findings: $(json_codes "$WORK/out")"
python3 -c '
import json, re, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["evaluated_at", "results"], list(doc)
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["evaluated_at"]), doc
(r,) = doc["results"]
assert r["kind"] == "file" and r["target"].endswith("leaf-server-fullchain.pem"), r
assert [c["position"] for c in r["certificates"]] == [0, 1]
for c in r["certificates"]:
    for k in ("fingerprint_sha256", "subject", "issuer", "not_before", "not_after", "position"):
        assert k in c, k
    assert re.fullmatch(r"[0-9a-f]{64}", c["fingerprint_sha256"]), c["fingerprint_sha256"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c["not_after"]), c["not_after"]
assert r["certificates"][0]["subject"] == "CN=server.test,O=certvigil test"
' "$WORK/out" || fail "--json shape"

expect_rc 1 "$CERTVIGIL" check --json "${CA[@]}" "$PKI/leaf-20d-fullchain.pem"
[ "$(json_codes "$WORK/out")" = "expires_soon" ] || fail "leaf-20d: $(json_codes "$WORK/out")"
[ "$(json_severity "$WORK/out" expires_soon)" = "warning" ] || fail "leaf-20d not a warning"

expect_rc 2 "$CERTVIGIL" check --json "${CA[@]}" "$PKI/leaf-expired-fullchain.pem"
[ "$(json_codes "$WORK/out")" = "expired" ] || fail "leaf-expired: $(json_codes "$WORK/out")"
python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["results"][0]["findings"][0]
assert f["severity"] == "critical" and f["message"] and f["remedy"], f
assert len(f["fingerprint_sha256"]) == 64, f
assert "cause" not in f, f
' "$WORK/out" || fail "expired finding fields"

# --- --role ca-bundle judges the file as a CA bundle
expect_rc 2 "$CERTVIGIL" check --json --role ca-bundle "$PKI/bundle-multiple-roots.pem"
[ "$(json_codes "$WORK/out")" = "bundle_multiple_roots" ] ||
  fail "bundle-multiple-roots: $(json_codes "$WORK/out")"
python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["results"][0]["kind"] == "bundle"' "$WORK/out" ||
  fail "--role ca-bundle did not make a bundle target"
expect_rc 0 "$CERTVIGIL" check --role ca-bundle "$PKI/bundle-good.pem"

# --- thresholds from the command line: 20 days left is critical under --crit-days 21
expect_rc 2 "$CERTVIGIL" check --json "${CA[@]}" --warn-days 30 --crit-days 21 \
  "$PKI/leaf-20d-fullchain.pem"
[ "$(json_severity "$WORK/out" expires_soon)" = "critical" ] || fail "--crit-days 21 ignored"
expect_rc 0 "$CERTVIGIL" check "${CA[@]}" --warn-days 10 --crit-days 5 "$PKI/leaf-20d-fullchain.pem"

# --- config check
cat >"$WORK/bad.yaml" <<'YAML'
interval: 1h
files:
  - path: /etc/ssl/x.pem
    role: nonsense
no_such_key: 1
YAML
expect_rc 78 "$CERTVIGIL" config check "$WORK/bad.yaml"
grep -q "^$WORK/bad.yaml:4:[0-9]*: files\[0\].role: " "$WORK/err" || fail "no file:line for the bad role"
grep -q "^$WORK/bad.yaml:5:[0-9]*: .*no_such_key" "$WORK/err" || fail "no file:line for the unknown key"
grep -q '^2 problems in ' "$WORK/err" || fail "no problem count"

expect_rc 78 "$CERTVIGIL" config check "$WORK/absent.yaml"

expect_rc 0 "$CERTVIGIL" config check "$CERTVIGIL_SOURCE_DIR/etc/certvigil.example.yaml"
grep -q '^configuration OK' "$WORK/out" || fail "example config not OK"

echo "030-check-cli: ok"
