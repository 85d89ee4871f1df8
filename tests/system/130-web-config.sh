#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The listener's exporter-toolkit web config, through the binary with real curl and openssl:
# TLS, basic auth (good, wrong, missing), the bearer token still guarding POSTs, configured
# headers, a renewed certificate served from the next connection without a restart, a bad
# change kept out (degraded), client certificates required and verified, and malformed web
# configs refused by `config check` and at start.
source "$(dirname "$0")/lib.sh"

PORT=$(free_port)
URL="https://127.0.0.1:$PORT"
mkdir -p "$WORK/tls" "$WORK/state"
cp "$PKI/leaf-server-fullchain.pem" "$WORK/tls/server.pem"
cp "$PKI/leaf-server.key" "$WORK/tls/server.key"
HASH=$(htpasswd -nbBC 5 "" 's3cret pass' | tr -d ':\n')
TOKEN=0123456789abcdef0123456789abcdef
printf '%s\n' "$TOKEN" >"$WORK/api.token"
chmod 600 "$WORK/api.token"

write_web_config() { # write_web_config [EXTRA_TLS_LINES]
  cat >"$WORK/web.yml.new" <<YAML
tls_server_config:
  cert_file: tls/server.pem
  key_file: tls/server.key
  min_version: TLS12
  curve_preferences: [X25519, CurveP256]
${1:-}
http_server_config:
  headers:
    X-Frame-Options: deny
basic_auth_users:
  prometheus: '$HASH'
YAML
  mv "$WORK/web.yml.new" "$WORK/web.yml"
}
write_web_config
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1h
web_config_file: web.yml
api:
  token_file: api.token
files:
  - path: $PKI/leaf-20d.crt
YAML

CURL=(curl -sS --max-time 10 --cacert "$PKI/ec-root.crt")
AUTH=(-u 'prometheus:s3cret pass')

# served_serial: the serial of the certificate the listener presents now (a new connection).
served_serial() {
  openssl s_client -connect "127.0.0.1:$PORT" -servername localhost </dev/null 2>/dev/null |
    openssl x509 -noout -serial
}

echo "== config check reads the web config"
out=$("$CERTVIGIL" config check "$WORK/certvigil.yaml" 2>&1) || fail "config check: $out"
echo "$out" | grep -q "configuration OK" || fail "config check: $out"

start_daemon "$WORK/certvigil.yaml"
wait_for "${CURL[@]}" "${AUTH[@]}" -f "$URL/healthz" || fail "the daemon did not serve HTTPS"

echo "== basic auth: missing and wrong credentials get 401 with WWW-Authenticate"
headers=$("${CURL[@]}" -D - -o /dev/null "$URL/metrics")
echo "$headers" | grep -q "^HTTP/1.1 401" || fail "no credentials: $headers"
echo "$headers" | grep -qi '^WWW-Authenticate: Basic realm="certvigil"' || fail "$headers"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -u 'prometheus:wrong' "$URL/metrics")
[ "$code" = 401 ] || fail "wrong password: $code"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -u 'nobody:s3cret pass' "$URL/")
[ "$code" = 401 ] || fail "unknown user: $code"

echo "== basic auth: the right password reads /metrics, with the configured header"
metrics=$("${CURL[@]}" -D "$WORK/headers" "${AUTH[@]}" "$URL/metrics")
grep -q "^certvigil_build_info" <<<"$metrics" || fail "no metrics with the right password"
grep -qi "^X-Frame-Options: deny" "$WORK/headers" || fail "no X-Frame-Options: $(cat "$WORK/headers")"

echo "== the bearer token, not basic auth, guards POST /api/v1/scan"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST "${AUTH[@]}" "$URL/api/v1/scan")
[ "$code" = 401 ] || fail "POST with basic auth only: $code"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/scan")
[ "$code" = 202 ] || fail "POST with the token: $code"

echo "== a renewed certificate is served from the next connection, without a restart"
[ "$(served_serial)" = "serial=01A2B3C4D5E6F7" ] || fail "first serial: $(served_serial)"
want=$(openssl x509 -noout -serial -in "$PKI/leaf-5d.crt")
cp "$PKI/leaf-5d-fullchain.pem" "$WORK/tls/new.pem" && cp "$PKI/leaf-5d.key" "$WORK/tls/new.key"
mv "$WORK/tls/new.key" "$WORK/tls/server.key" && mv "$WORK/tls/new.pem" "$WORK/tls/server.pem"
[ "$(served_serial)" = "$want" ] || fail "after renewal: $(served_serial), want $want"
"${CURL[@]}" -f -o /dev/null "${AUTH[@]}" --resolve "5d.test:$PORT:127.0.0.1" \
  "https://5d.test:$PORT/healthz" || fail "curl does not accept the renewed certificate"
grep -q "web configuration and TLS files reloaded" "$WORK/daemon.log" || fail "no reload logged"

echo "== a key that does not match is refused: the previous certificate stays, degraded"
cp "$PKI/leaf-server.key" "$WORK/tls/server.key"
[ "$(served_serial)" = "$want" ] || fail "mismatched key: $(served_serial)"
health=$("${CURL[@]}" -k "${AUTH[@]}" "$URL/healthz")
grep -q "degraded" <<<"$health" && grep -q "does not belong" <<<"$health" || fail "$health"
cp "$PKI/leaf-5d.key" "$WORK/tls/server.key"
health=$("${CURL[@]}" -k "${AUTH[@]}" "$URL/healthz")
[ "$health" = "ok" ] || fail "after the fix: $health"
cp "$PKI/leaf-server-fullchain.pem" "$WORK/tls/new.pem" && cp "$PKI/leaf-server.key" "$WORK/tls/new.key"
mv "$WORK/tls/new.key" "$WORK/tls/server.key" && mv "$WORK/tls/new.pem" "$WORK/tls/server.pem"

echo "== client certificates: RequireAndVerifyClientCert against ec-root"
write_web_config "  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $PKI/ec-root.crt"
if "${CURL[@]}" -o /dev/null "${AUTH[@]}" "$URL/healthz" 2>/dev/null; then
  fail "served a client without a certificate"
fi
health=$("${CURL[@]}" "${AUTH[@]}" --cert "$PKI/leaf-client-fullchain.pem" \
  --key "$PKI/leaf-client.key" "$URL/healthz") || fail "refused a good client certificate"
[ "$health" = "ok" ] || fail "with a client certificate: $health"
if "${CURL[@]}" -o /dev/null "${AUTH[@]}" --cert "$PKI/leaf-other-client-fullchain-root.pem" \
  --key "$PKI/leaf-other-client.key" "$URL/healthz" 2>/dev/null; then
  fail "served a client certificate from another CA"
fi
# s_client fails the handshake without a certificate; what it saw is kept in a file first.
openssl s_client -connect "127.0.0.1:$PORT" </dev/null >"$WORK/s_client.txt" 2>&1 || true
names=$(sed -n '/Acceptable client certificate CA names/,/Requested/p' "$WORK/s_client.txt")
grep -q "CN = certvigil EC Root" <<<"$names" || fail "CertificateRequest names: $names"

echo "== Prometheus scrapes it through TLS, a client certificate and basic auth"
PROM_PORT=$(free_port)
cat >"$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: certvigil
    scheme: https
    tls_config:
      ca_file: $PKI/ec-root.crt
      cert_file: $PKI/leaf-client-fullchain.pem
      key_file: $PKI/leaf-client.key
    basic_auth: {username: prometheus, password: 's3cret pass'}
    static_configs: [{targets: ['127.0.0.1:$PORT']}]
YAML
prometheus --config.file "$WORK/prometheus.yml" --storage.tsdb.path "$WORK/tsdb" \
  --web.listen-address "127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
trap 'kill "$PROM_PID" 2>/dev/null || true; wait "$PROM_PID" 2>/dev/null || true; cleanup' EXIT
scraped() {
  local answer
  answer=$(curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query?query=certvigil_build_info" ||
    true)
  grep -q '"certvigil_build_info"' <<<"$answer"
}
wait_for scraped || fail "Prometheus did not scrape: $(tail -5 "$WORK/prometheus.log")"
kill "$PROM_PID" && wait "$PROM_PID" 2>/dev/null || true

echo "== client_allowed_sans: a verified certificate without an allowed SAN is refused"
write_web_config "  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $PKI/ec-root.crt
  client_allowed_sans: [both.test]"
if "${CURL[@]}" -o /dev/null "${AUTH[@]}" --cert "$PKI/leaf-client-fullchain.pem" \
  --key "$PKI/leaf-client.key" "$URL/healthz" 2>/dev/null; then
  fail "served a client certificate without an allowed SAN"
fi
"${CURL[@]}" -f -o /dev/null "${AUTH[@]}" --cert "$PKI/leaf-both-fullchain.pem" \
  --key "$PKI/leaf-both.key" "$URL/healthz" || fail "refused a client with an allowed SAN"

kill -TERM "$DAEMON_PID" && wait "$DAEMON_PID" || fail "the daemon did not stop cleanly"
DAEMON_PID=""

echo "== malformed web configs are refused by config check and at start, with file:line"
cat >"$WORK/bad.yml" <<YAML
tls_server_config:
  cert_file: tls/server.pem
  key_file: tls/server.key
  client_auth_type: RequireAndVerify
  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]
basic_auth_users:
  alice: not-a-hash
http_server_config:
  headers:
    Server: certvigil
YAML
sed -i "s|web_config_file: web.yml|web_config_file: bad.yml|" "$WORK/certvigil.yaml"
rc=0
out=$("$CERTVIGIL" config check "$WORK/certvigil.yaml" 2>&1) || rc=$?
[ "$rc" = 78 ] || fail "config check of a bad web config: exit $rc: $out"
for want in "bad.yml:4:21: tls_server_config.client_auth_type: 'RequireAndVerify' is not one of" \
  "bad.yml:5:19: tls_server_config.cipher_suites[0]: unknown cipher suite" \
  "bad.yml:7:10: basic_auth_users.alice: not a bcrypt hash" \
  "bad.yml:10:5: http_server_config.headers.Server: HTTP header 'Server' can not be configured"; do
  grep -qF "$want" <<<"$out" || fail "config check does not say '$want': $out"
done
grep -q "not-a-hash" <<<"$out" && fail "a hash is quoted: $out"
rc=0
"$CERTVIGIL" run --config "$WORK/certvigil.yaml" --web.config.file "$WORK/bad.yml" \
  >"$WORK/bad-start.log" 2>&1 || rc=$?
[ "$rc" = 78 ] || fail "start with a bad web config: exit $rc"
grep -q "bad.yml:7:10: basic_auth_users.alice: not a bcrypt hash" "$WORK/bad-start.log" ||
  fail "start does not name the problem: $(cat "$WORK/bad-start.log")"

echo "== a certificate file that cannot be loaded stops the start, named"
cat >"$WORK/nocert.yml" <<YAML
tls_server_config:
  cert_file: tls/missing.pem
  key_file: tls/server.key
YAML
rc=0
"$CERTVIGIL" run --config "$WORK/certvigil.yaml" --web.config.file "$WORK/nocert.yml" \
  >"$WORK/nocert.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "started without its certificate"
grep -q "tls_server_config.cert_file $WORK/tls/missing.pem: cannot read: No such file" \
  "$WORK/nocert.log" || fail "the missing certificate is not named: $(cat "$WORK/nocert.log")"

echo "== tls: and tls_server_config both set is refused"
sed -i "s|web_config_file: bad.yml|web_config_file: web.yml\ntls:\n  cert_file: tls/server.pem\n  key_file: tls/server.key|" "$WORK/certvigil.yaml"
rc=0
out=$("$CERTVIGIL" config check "$WORK/certvigil.yaml" 2>&1) || rc=$?
[ "$rc" = 78 ] && grep -q "both tls: and" <<<"$out" || fail "tls: twice: exit $rc: $out"
echo "PASS"
