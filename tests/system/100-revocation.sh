#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Revocation from the CA end to end: certificates whose CRL distribution points name nginx on
# 127.0.0.1 (good, revoked, stale, another issuer's CRL, garbage, 404), a port nobody listens on
# and a tarpit, and certificates whose OCSP responder is `openssl ocsp` (good, revoked, unknown,
# signed by another CA, down). `certvigil check` must say revoked only on a verified CRL that lists the
# certificate, revocation_unknown with the URL otherwise, and finish quickly on a tarpit; the
# daemon must fetch one CRL once for many certificates, and a tarpit CRL must not stretch the
# TLS probe of an endpoint whose certificate points at it, nor fail it.
source "$(dirname "$0")/lib.sh"
SRC=${CERTVIGIL_SOURCE_DIR:?set by ctest}

CRL_PORT=$(free_port)
TLS_PORT=$(free_port)
TLS_TARPIT_PORT=$(free_port)
TARPIT_PORT=$(free_port)
DEAD_PORT=$(free_port)
OCSP_PORT=$(free_port)
BAD_OCSP_PORT=$(free_port)
REV="$WORK/rev"
bash "$SRC/tests/system/revocation_pki.sh" "$REV" "http://127.0.0.1:$CRL_PORT" \
  "http://127.0.0.1:$TARPIT_PORT/ca.crl" "http://127.0.0.1:$DEAD_PORT/ca.crl" \
  "http://127.0.0.1:$OCSP_PORT" "http://127.0.0.1:$BAD_OCSP_PORT"

HELPER_PIDS=()
stop_all() {
  for pid in "${HELPER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_nginx
  cleanup
}
trap stop_all EXIT
python3 "$SRC/bench/tls/tarpit.py" "$TARPIT_PORT" 1 120 >"$WORK/tarpit.out" 2>&1 &
HELPER_PIDS+=($!)
wait_for grep -q ready "$WORK/tarpit.out" || fail "tarpit did not start"
# start_ocsp PORT SIGNER: `openssl ocsp` answering for rev-ca's index, signed by SIGNER (it
# takes a port number only, so it listens on every address; only 127.0.0.1 ever talks to it).
start_ocsp() {
  openssl ocsp -index "$REV/rev-ca/index.txt" -port "$1" -CA "$REV/rev-ca.pem" \
    -rsigner "$REV/$2.pem" -rkey "$REV/$2.key" -nmin 10 -ignore_err >"$WORK/ocsp-$1.log" 2>&1 &
  HELPER_PIDS+=($!)
  # Listening, per the kernel: a probe connection that sends nothing wedges `openssl ocsp`.
  wait_for bash -c "ss -ltnH 'sport = :$1' | grep -q ." || fail "openssl ocsp on $1 did not start"
}
start_ocsp "$OCSP_PORT" rev-ca
start_ocsp "$BAD_OCSP_PORT" other-ca
# staple NAME PORT OUT: the responder's answer about NAME, for nginx to staple.
staple() {
  openssl ocsp -issuer "$REV/rev-ca.pem" -cert "$REV/$1.pem" -url "http://127.0.0.1:$2" \
    -noverify -timeout 5 -respout "$REV/$3" >/dev/null 2>&1 || fail "no OCSP answer for $1"
}
staple ocsp-revoked "$OCSP_PORT" staple-revoked.der
staple ocsp-good "$BAD_OCSP_PORT" staple-badsigner.der
cat "$REV/ocsp-revoked.pem" "$REV/rev-ca.pem" >"$REV/ocsp-revoked-fullchain.pem"
cat "$REV/ocsp-good.pem" "$REV/rev-ca.pem" >"$REV/ocsp-good-fullchain.pem"
# nginx's workers run as nobody: let them read the CRLs (mktemp -d is private).
chmod 755 "$WORK" "$REV"
chmod 644 "$REV"/*.crl
STAPLE_REVOKED_PORT=$(free_port)
STAPLE_BAD_PORT=$(free_port)

start_nginx "$CRL_PORT" <<CONF
  server {
    listen 127.0.0.1:$CRL_PORT;
    access_log $WORK/nginx/crl-access.log;
    root $REV;
    location / { try_files \$uri =404; }
  }
  server {
    listen 127.0.0.1:$TLS_PORT ssl;
    ssl_certificate $REV/server-fullchain.pem;
    ssl_certificate_key $REV/server.key;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$TLS_TARPIT_PORT ssl;
    ssl_certificate $REV/server-tarpit-fullchain.pem;
    ssl_certificate_key $REV/server-tarpit.key;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$STAPLE_REVOKED_PORT ssl;
    ssl_certificate $REV/ocsp-revoked-fullchain.pem;
    ssl_certificate_key $REV/ocsp-revoked.key;
    ssl_stapling on;
    ssl_stapling_file $REV/staple-revoked.der;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$STAPLE_BAD_PORT ssl;
    ssl_certificate $REV/ocsp-good-fullchain.pem;
    ssl_certificate_key $REV/ocsp-good.key;
    ssl_stapling on;
    ssl_stapling_file $REV/staple-badsigner.der;
    location / { return 200 "hello\n"; }
  }
CONF
trap stop_all EXIT

# check_one NAME WANT_RC: `certvigil check --json` of one leaf into $WORK/NAME.json, with
# --timeout $TIMEOUT (5 s: a CRL from the local nginx on a loaded CI machine once took over 2 s).
TIMEOUT=5
check_one() {
  local rc=0
  "$CERTVIGIL" check --json --timeout "$TIMEOUT" --ca "$REV/rev-ca.pem" "$REV/$1.pem" >"$WORK/$1.json" || rc=$?
  [ "$rc" -eq "$2" ] || { cat "$WORK/$1.json"; fail "$1: exit $rc, want $2"; }
}
# findings NAME CODE COUNT [TEXT]: the report of NAME has COUNT findings CODE, whose messages
# all contain TEXT.
findings() {
  python3 - "$WORK/$1.json" "$2" "$3" "${4:-}" <<'PY'
import json, sys
path, code, count, text = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
found = [f for r in json.load(open(path))["results"] for f in r["findings"] if f["code"] == code]
assert len(found) == count, (path, code, found)
for f in found:
    assert text in f["message"], (path, text, f["message"])
PY
}

echo "== good: the CRL verifies and does not list it (exit 0)"
check_one good 0
findings good revocation_unknown 0
findings good revoked 0

echo "== revoked: critical, with the reason and the URL (exit 2)"
check_one revoked 2
findings revoked revoked 1 "keyCompromise"
findings revoked revoked 1 "http://127.0.0.1:$CRL_PORT/ca.crl"

echo "== --revocation off: the CA is not asked (exit 0)"
rc=0
"$CERTVIGIL" check --json --revocation off --ca "$REV/rev-ca.pem" "$REV/revoked.pem" \
  >"$WORK/off.json" || rc=$?
[ "$rc" -eq 0 ] || fail "--revocation off: exit $rc"
findings off revoked 0

echo "== every failure is revocation_unknown (warning, exit 1), never revoked"
for case in "stale:is stale" "other:not from the issuer" "garbage:not a CRL" \
            "missing:HTTP status 404" "down:/127.0.0.1:$DEAD_PORT/" "ldap:is not fetched"; do
  name=${case%%:*} text=${case#*:}
  check_one "$name" 1
  findings "$name" revocation_unknown 1 "$text"
  findings "$name" revoked 0
done

echo "== OCSP: good is silent, revoked is revoked, every failure is revocation_unknown"
check_one ocsp-good 0
findings ocsp-good revocation_unknown 0
check_one ocsp-revoked 2
findings ocsp-revoked revoked 1 "its OCSP responder at http://127.0.0.1:$OCSP_PORT"
for case in "ocsp-unknown:does not know it" "ocsp-badsigner:signature does not verify" \
            "ocsp-down:127.0.0.1:$DEAD_PORT"; do
  name=${case%%:*} text=${case#*:}
  check_one "$name" 1
  findings "$name" revocation_unknown 1 "$text"
  findings "$name" revoked 0
done

echo "== stapled OCSP: a verified staple says revoked; one signed by another CA is not trusted"
# endpoint NAME PORT WANT_RC [OPTIONS...]: `certvigil check --json` of one nginx endpoint.
endpoint() {
  local name=$1 port=$2 want=$3 rc=0
  shift 3
  "$CERTVIGIL" check --json --timeout 2 --ca "$REV/rev-ca.pem" --servername localhost "$@" \
    "127.0.0.1:$port" >"$WORK/$name.json" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$WORK/$name.json"; fail "$name: exit $rc, want $want"; }
}
endpoint staple-revoked "$STAPLE_REVOKED_PORT" 2 --revocation off
findings staple-revoked revoked 1 "according to the stapled OCSP response"
endpoint staple-bad "$STAPLE_BAD_PORT" 1 --revocation off
findings staple-bad revocation_unknown 1 "stapled OCSP response cannot be trusted"
findings staple-bad revoked 0
endpoint staple-bad-asked "$STAPLE_BAD_PORT" 0
findings staple-bad-asked revocation_unknown 0

echo "== diagnose names the revoked server certificate (exit 2)"
rc=0
"$CERTVIGIL" diagnose --ca "$REV/rev-ca.pem" --servername localhost --timeout 2 \
  "127.0.0.1:$STAPLE_REVOKED_PORT" >"$WORK/diagnose.txt" || rc=$?
[ "$rc" -eq 2 ] || { cat "$WORK/diagnose.txt"; fail "diagnose: exit $rc, want 2"; }
grep -q "is revoked since" "$WORK/diagnose.txt" || { cat "$WORK/diagnose.txt"; fail "diagnose: no revoked"; }

echo "== a tarpit CRL: revocation_unknown within the --timeout, not a hang"
start=$(date +%s)
TIMEOUT=2 check_one tarpit 1
elapsed=$(( $(date +%s) - start ))
findings tarpit revocation_unknown 1 "127.0.0.1:$TARPIT_PORT"
[ "$elapsed" -le 6 ] || fail "tarpit: check took ${elapsed}s with --timeout 2"

echo "== daemon: 40 certificates, one CRL URL, one fetch; an endpoint beside a tarpit CRL"
mkdir -p "$WORK/many"
for i in $(seq 1 40); do cp "$REV/good.pem" "$WORK/many/good-$i.pem"; done
cp "$REV/revoked.pem" "$WORK/many/revoked.pem"
cp "$REV/tarpit.pem" "$WORK/tarpit-file.pem"
: >"$WORK/nginx/crl-access.log"
LISTEN_PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$LISTEN_PORT
state_dir: $WORK/state
interval: 1h
timeout: 5s
trust: {system: false, ca_files: [$REV/rev-ca.pem]}
revocation: {timeout: 3s}
files:
  - path: $WORK/many
  - path: $WORK/tarpit-file.pem
endpoints:
  - address: 127.0.0.1:$TLS_PORT
    servername: localhost
  - address: 127.0.0.1:$TLS_TARPIT_PORT
    servername: localhost
YAML
"$CERTVIGIL" config check "$WORK/certvigil.yaml" >/dev/null || fail "config check"
start_daemon "$WORK/certvigil.yaml"
metrics() { curl -sf "http://127.0.0.1:$LISTEN_PORT/metrics"; }
scanned() {
  local body
  body=$(metrics) || return 1
  grep -q "certvigil_probe_success{.*127.0.0.1:$TLS_PORT" <<<"$body" &&
    grep -q "certvigil_probe_success{.*127.0.0.1:$TLS_TARPIT_PORT" <<<"$body" &&
    grep -q 'code="revoked"' <<<"$body" && grep -q "tarpit-file.pem" <<<"$body"
}
wait_for scanned || fail "the daemon did not scan everything"
body=$(metrics)
grep -q "certvigil_probe_success{[^}]*127.0.0.1:$TLS_PORT[^}]*} 1" <<<"$body" ||
  fail "probe_success is not 1 for the endpoint"
echo "== the deadline test: a tarpit CRL neither fails nor stretches the probe"
grep -q "certvigil_probe_success{[^}]*127.0.0.1:$TLS_TARPIT_PORT[^}]*} 1" <<<"$body" ||
  fail "probe_success is not 1 for the endpoint whose CRL is a tarpit"
duration=$(grep "certvigil_probe_duration_seconds{[^}]*127.0.0.1:$TLS_TARPIT_PORT" <<<"$body" |
  awk '{print $2}' | head -n 1)
python3 -c "import sys; d=float(sys.argv[1]); assert d < 1.0, d" "$duration" ||
  fail "the probe took ${duration}s: the CRL fetch (3 s timeout) stretched it"
grep -q "certvigil_finding{[^}]*127.0.0.1:$TLS_TARPIT_PORT[^}]*code=\"revocation_unknown\"" <<<"$body" ||
  grep -q "certvigil_finding{[^}]*code=\"revocation_unknown\"[^}]*127.0.0.1:$TLS_TARPIT_PORT" <<<"$body" ||
  fail "no revocation_unknown for the endpoint whose CRL is a tarpit"
fetches=$(grep -c 'GET /ca.crl' "$WORK/nginx/crl-access.log" || true)
[ "$fetches" -eq 1 ] || fail "/ca.crl fetched $fetches times for 41 files and an endpoint, want 1"
revoked=$(grep -c 'certvigil_finding{[^}]*code="revoked"' <<<"$body" || true)
[ "$revoked" -eq 1 ] || fail "want 1 revoked finding series, got $revoked"

echo "== the API's target detail (the status page's) gives each certificate's revocation status"
revocation_of() {
  curl -sf "http://127.0.0.1:$LISTEN_PORT/api/v1/targets/$1" | python3 -c '
import json, sys
live = json.load(sys.stdin)["live"]
print(" ".join(c["revocation"]["status"] + "/" + c["revocation"]["source"]
               for c in live["certificates"] if "revocation" in c))'
}
got=$(revocation_of "$WORK/many/good-1.pem")
[ "$got" = "good/CRL" ] || fail "good-1.pem: revocation in the target detail is '$got'"
got=$(revocation_of "$WORK/many/revoked.pem")
[ "$got" = "revoked/CRL" ] || fail "revoked.pem: revocation in the target detail is '$got'"

echo "== metrics per CRL URL and per kind of request; the CRL kept in SQLite"
grep -q "certvigil_crl_next_update_timestamp_seconds{url=\"http://127.0.0.1:$CRL_PORT/ca.crl\"}" <<<"$body" ||
  fail "no certvigil_crl_next_update_timestamp_seconds for ca.crl"
grep -q "certvigil_crl_last_fetch_success{url=\"http://127.0.0.1:$TARPIT_PORT/ca.crl\"} 0" <<<"$body" ||
  fail "the tarpit CRL is not shown as failing"
grep -q 'certvigil_revocation_fetch_total{kind="crl",result="ok"} 1' <<<"$body" ||
  fail "want 1 successful CRL fetch counted"
kept=$(sql "$WORK/state/certvigil.db" "SELECT count(*) FROM crl_cache WHERE url LIKE '%/ca.crl' AND length(body) > 0")
[ "$kept" -ge 1 ] || fail "the fetched CRL is not kept in the database"

echo "== a restart reads the kept CRL instead of fetching it again"
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=""
: >"$WORK/nginx/crl-access.log"
start_daemon "$WORK/certvigil.yaml"
wait_for scanned || fail "the restarted daemon did not scan everything"
fetches=$(grep -c 'GET /ca.crl' "$WORK/nginx/crl-access.log" || true)
[ "$fetches" -eq 0 ] || fail "/ca.crl fetched $fetches times after a restart, want 0 (kept in SQLite)"
body=$(metrics)
revoked=$(grep -c 'certvigil_finding{[^}]*code="revoked"' <<<"$body" || true)
[ "$revoked" -eq 1 ] || fail "after the restart: want 1 revoked finding series, got $revoked"
echo "ok"
