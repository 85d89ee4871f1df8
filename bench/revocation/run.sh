#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/revocation/run.sh: revocation on versus off over $COUNT loopback TLS endpoints (one nginx,
# bench/tls/make_farm.sh) that all serve one leaf whose OCSP responder is `openssl ocsp` and whose
# intermediate names one CRL served by a second nginx. Runs bench/revocation/revocation_sweep
# (the daemon's Monitor, alternately off and on, $ROUNDS warm rounds after one cold one) and
# counts the requests the CRL server and the responder saw. Every server it starts is killed by
# PID on exit. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-2000}
ROUNDS=${ROUNDS:-3}
BASE_PORT=${BASE_PORT:-22000}
CRL_PORT=${CRL_PORT:-21998}
OCSP_PORT=${OCSP_PORT:-21999}
BUILD_DIR=${BUILD_DIR:-build}
WORK=${BENCH_DIR:-/tmp/certvigil-revocation-bench}

ulimit -n "$(ulimit -Hn)"
nice -n 5 cmake --build "$BUILD_DIR" --target revocation_sweep >/dev/null
rm -rf "$WORK" && mkdir -p "$WORK/ca" "$WORK/crl/tmp"

source bench/lib.sh

# The PKI: root -> int (CDP: the root's CRL) -> leaf (AIA OCSP), before make_farm.sh writes the
# nginx config around it (it keeps an existing fullchain.pem).
cd "$WORK"
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
sign() {  # sign NAME ISSUER EXTENSIONS
  printf '%b' "$3" >"$1.ext"
  openssl req -new -key "$1.key" -subj "/O=certvigil bench/CN=bench $1" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 30 \
    -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
ec_key root.key
openssl req -x509 -new -key root.key -subj "/O=certvigil bench/CN=bench root" -days 30 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out root.pem
ec_key int.key
sign int root "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\ncrlDistributionPoints=URI:http://127.0.0.1:$CRL_PORT/root.crl\n"
ec_key leaf.key
sign leaf int "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:$OCSP_PORT\n"
cat leaf.pem int.pem >fullchain.pem
printf '[ca]\ndefault_ca=this\n[this]\ndatabase=%s/ca/root.txt\ncrlnumber=%s/ca/root.num\ndefault_md=sha256\ndefault_crl_days=7\n' \
  "$WORK" "$WORK" >root.cnf
: >ca/root.txt && echo 01 >ca/root.num
openssl ca -config root.cnf -cert root.pem -keyfile root.key -gencrl -out crl/root.crl 2>/dev/null
printf '[ca]\ndefault_ca=this\n[this]\ndatabase=%s/ca/int.txt\ndefault_md=sha256\n' "$WORK" >int.cnf
: >ca/int.txt
openssl ca -config int.cnf -cert int.pem -keyfile int.key -valid leaf.pem 2>/dev/null
cd - >/dev/null

bash bench/tls/make_farm.sh "$WORK" "$BASE_PORT" "$COUNT" >/dev/null
nginx -p "$WORK" -e "$WORK/error.log" -c "$WORK/nginx.conf" -g 'daemon off;' &
pids+=($!)
cat >"$WORK/crl/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/crl/nginx.pid;
error_log $WORK/crl/error.log warn;
events { worker_connections 64; }
http {
  access_log $WORK/crl/access.log;
  client_body_temp_path $WORK/crl/tmp/body; proxy_temp_path $WORK/crl/tmp/proxy;
  fastcgi_temp_path $WORK/crl/tmp/fcgi; uwsgi_temp_path $WORK/crl/tmp/uwsgi;
  scgi_temp_path $WORK/crl/tmp/scgi;
  server { listen 127.0.0.1:$CRL_PORT; root $WORK/crl; }
}
CONF
nginx -p "$WORK/crl" -e "$WORK/crl/error.log" -c "$WORK/crl/nginx.conf" -g 'daemon off;' &
pids+=($!)
openssl ocsp -index "$WORK/ca/int.txt" -port "$OCSP_PORT" -CA "$WORK/int.pem" \
  -rsigner "$WORK/int.pem" -rkey "$WORK/int.key" -nmin 60 -ignore_err \
  >"$WORK/ocsp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  # ss, not a probe connection: one that sends nothing wedges `openssl ocsp`.
  if (exec 3<>"/dev/tcp/127.0.0.1/$((BASE_PORT + COUNT - 1))") 2>/dev/null &&
     ss -ltnH "sport = :$OCSP_PORT" | grep -q .; then break; fi
  sleep 0.1
done

"$BUILD_DIR/bench/revocation/revocation_sweep" "$BASE_PORT" "$COUNT" "$WORK/root.pem" "$ROUNDS" |
  tee "$WORK/sweeps.txt"
# The CRL server's own count, beside the counters the sweeps print (crl_fetches, ocsp_requests).
echo "crl_server_requests $(grep -c 'GET /root.crl' "$WORK/crl/access.log" || true)"
