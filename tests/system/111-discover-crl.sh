#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A CRL file nginx checks client certificates against (ssl_crl), watched through discovery and
# judged as nginx uses it. A real nginx with ssl_verify_client on, a client-CA bundle (an
# intermediate and its root) and a CRL file the test swaps; after each swap nginx reloads, a
# client certificate is presented with curl, and the daemon's verdict on the CRL file must agree:
#   fresh CRLs of both CAs            nginx 200                              no finding
#   the intermediate's CRL expired    400 "CRL has expired"                  expired
#   no CRL of the root                400 "unable to get certificate CRL"    revocation_unknown
#   signed by another key             400 "CRL signature failure"            revocation_unknown
# and `certvigil check` on the file alone, run under faketime six days on, warns that the
# weekly CRL expires soon.
source "$(dirname "$0")/lib.sh"

P="$WORK/pki"
mkdir -p "$P"
cd "$P"
ca_conf() { # ca_conf NAME: an `openssl ca` database for CA NAME, weekly CRLs
  mkdir -p "$1"
  : >"$1/index.txt"
  echo 01 >"$1/crlnumber"
  printf '%s\n' "[ ca ]" "default_ca = this" "[ this ]" "database = $P/$1/index.txt" \
    "crlnumber = $P/$1/crlnumber" "default_md = sha256" "default_crl_days = 7" >"$1.cnf"
}
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
sign() { # sign NAME ISSUER SUBJECT EXTENSIONS...: NAME.crt from NAME.key
  local name=$1 issuer=$2 subject=$3
  shift 3
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$@" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$issuer.crt" -CAkey "$issuer.key" -days 20 \
    -set_serial "0x$(openssl rand -hex 8)" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
}
gencrl() { # gencrl CA OUT [OPTIONS...]
  local ca=$1 out=$2
  shift 2
  openssl ca -config "$ca.cnf" -cert "$ca.crt" -keyfile "$ca.key" -gencrl -out "$out" "$@" \
    2>/dev/null || fail "openssl ca -gencrl for $ca"
}
key root
openssl req -x509 -key root.key -days 30 -subj "/CN=crl test root" -out root.crt \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
key int
sign int root "/CN=crl test client CA" "basicConstraints=critical,CA:TRUE" \
  "keyUsage=critical,keyCertSign,cRLSign"
key impostor # the client CA's name, another key
openssl req -x509 -key impostor.key -days 30 -subj "/CN=crl test client CA" -out impostor.crt \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
key client
sign client int "/CN=client" "basicConstraints=critical,CA:FALSE" "extendedKeyUsage=clientAuth"
key server
sign server root "/CN=localhost" "basicConstraints=critical,CA:FALSE" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
for ca in root int impostor; do ca_conf "$ca"; done
gencrl root root.crl
gencrl int int.crl
gencrl int int-expired.crl -crl_lastupdate 20200101000000Z -crl_nextupdate 20200108000000Z
gencrl impostor impostor.crl
cat int.crt root.crt >clients-ca.pem
cat client.crt int.crt >client-chain.pem
cat int.crl root.crl >fresh.crl
cat int-expired.crl root.crl >expired.crl
cp int.crl no-root.crl
cat impostor.crl root.crl >bad-signature.crl
cp fresh.crl clients.crl
# nginx's workers run as nobody: let them read the CRL (mktemp -d is private).
chmod 755 "$WORK" "$P"
chmod 644 ./*.crl ./*.pem ./*.crt
cd /

PORT=$(free_port)
N="$WORK/nginx"
start_nginx "$PORT" <<CONF
  server {
    listen 127.0.0.1:$PORT ssl;
    server_name localhost;
    ssl_certificate $P/server.crt;
    ssl_certificate_key $P/server.key;
    ssl_verify_client on;
    ssl_verify_depth 3;
    ssl_client_certificate $P/clients-ca.pem;
    ssl_crl $P/clients.crl;
    location / { return 200 "hello \$ssl_client_s_dn\n"; }
  }
CONF

# status: the HTTP status nginx answers a client presenting its certificate and chain.
status() {
  curl -s -o /dev/null -w '%{http_code}' --cacert "$P/root.crt" --cert "$P/client-chain.pem" \
    --key "$P/client.key" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
}
# answers STATUS [LOG_TEXT]: the client gets STATUS, and nginx has logged LOG_TEXT for it.
answers() { [ "$(status)" = "$1" ] && { [ -z "${2:-}" ] || grep -q "$2" "$N/error.log"; }; }
# use_crl NAME EXPECTED_STATUS [LOG_TEXT]: nginx reloads with CRL file NAME; the client gets
# EXPECTED_STATUS, and nginx logs LOG_TEXT for the refusal (until the old worker has gone, the
# previous CRL may still answer: asked again until both hold).
use_crl() {
  cp "$P/$1" "$P/clients.crl"
  : >"$N/error.log"
  kill -HUP "$NGINX_PID"
  wait_for answers "$2" "${3:-}" ||
    { tail -5 "$N/error.log"; fail "$1: nginx answered $(status), not $2 ${3:+with '$3'}"; }
}

echo "== discover: the CRL file is a files: entry judged against nginx's client-CA bundle"
"$CERTVIGIL" discover "$N/nginx.conf" >"$WORK/discover.yaml" || fail "discover exited $?"
grep -A1 -- "- path: $P/clients.crl  # $N/nginx.conf:17 ssl_crl" "$WORK/discover.yaml" |
  grep -q "issuers: $P/clients-ca.pem" || { cat "$WORK/discover.yaml"; fail "no CRL entry"; }
"$CERTVIGIL" config check "$WORK/discover.yaml" >/dev/null || fail "the yaml is not a valid config"

echo "== fresh CRLs: nginx serves the client, certvigil is silent"
use_crl fresh.crl 200
API_PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<CONF
listen: 127.0.0.1:$API_PORT
state_dir: $WORK/state
interval: 1h
trust: {system: false, ca_files: [$P/root.crt]}
discover:
  - nginx: $N/nginx.conf
CONF
start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
CRL="$P/clients.crl"
scanned() { [ "$(sql "$DB" "SELECT count(*) FROM targets WHERE name = '$CRL'")" = 1 ]; }
wait_for scanned || fail "the CRL file is not a target"
# findings CODE: the active findings of CODE on the CRL file, "code|severity|message" lines.
findings() {
  sql "$DB" "SELECT f.code || '|' || f.severity || '|' || f.message FROM findings f
             JOIN targets t ON t.id = f.target_id
             WHERE t.name = '$CRL' AND f.resolved_at IS NULL AND f.code LIKE '${1:-%}'"
}
[ -z "$(findings)" ] || fail "findings on a fresh CRL: $(findings)"
origin=$(sql "$DB" "SELECT o.origin || ' ' || o.source FROM target_origins o JOIN targets t ON t.id = o.target_id WHERE t.name = '$CRL'")
[ "$origin" = "$N/nginx.conf:17 discover:nginx" ] || fail "origin of the CRL target: '$origin'"

# expect CODE TEXT: after a rescan, the CRL file's only active finding is a critical CODE whose
# message holds TEXT.
expect() {
  kill -HUP "$DAEMON_PID"
  only() { [ "$(findings | wc -l)" = 1 ] && findings "$1" | grep -q "^$1|critical|.*$2"; }
  wait_for only "$1" "$2" || fail "expected only $1 ($2), have: $(findings)"
  echo "   $(findings)"
}

echo "== the client CA's CRL expired: nginx rejects the client, certvigil says expired"
use_crl expired.crl 400 "CRL has expired"
expect expired "the CRL of CN=crl test client CA expired .* nginx (ssl_crl at $N/nginx.conf:17) rejects every client certificate issued by CN=crl test client CA"

echo "== no CRL of the root: nginx rejects the client, certvigil names the CA without a CRL"
use_crl no-root.crl 400 "unable to get certificate CRL"
expect revocation_unknown "holds no CRL of CA CN=crl test root"

echo "== a CRL signed by another key: nginx rejects the client, certvigil says it is unusable"
use_crl bad-signature.crl 400 "CRL signature failure"
expect revocation_unknown "signature does not verify"

echo "== fresh again: the client gets in and the findings clear"
use_crl fresh.crl 200
kill -HUP "$DAEMON_PID"
cleared() { [ -z "$(findings)" ]; }
wait_for cleared || fail "findings stayed on a fresh CRL: $(findings)"

echo "== check on the file alone, six days on: the weekly CRL expires soon"
rc=0
faketime -f "+6d" "$CERTVIGIL" check --json "$P/fresh.crl" >"$WORK/check.json" || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/check.json"; fail "check exited $rc, not 1 (warning)"; }
python3 - "$WORK/check.json" <<'PY' || fail "check --json: no expires_soon on the CRLs"
import json, sys
findings = json.load(open(sys.argv[1]))["results"][0]["findings"]
assert {f["code"] for f in findings} == {"expires_soon"}, findings
assert len(findings) == 2 and all(f["severity"] == "warning" for f in findings), findings
PY
echo "PASS"
