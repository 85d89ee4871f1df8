#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/tls/make_farm.sh DIR BASE_PORT COUNT: writes the TLS farm's PKI and nginx config into DIR.
#   PKI: an EC P-256 root, an intermediate under it, and a leaf (SAN IP:127.0.0.1, DNS:localhost)
#   served as leaf + intermediate (fullchain.pem); root.pem is what probers trust. SAN=... replaces
#   the leaf's subjectAltName (bench/growth asks several SNI names of each port).
#   nginx.conf: one server listening on COUNT ports of 127.0.0.1 from BASE_PORT, with session
#   tickets and the session cache off so that every probe is a full handshake.
# Start it with: nginx -p DIR -e DIR/error.log -c DIR/nginx.conf -g 'daemon off;'
set -euo pipefail
DIR=$1 BASE=$2 COUNT=$3
SAN=${SAN:-IP:127.0.0.1,DNS:localhost}
mkdir -p "$DIR/tmp"
cd "$DIR"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
# sign NAME ISSUER EXTENSIONS: a certificate for NAME.key signed by ISSUER (.pem/.key), 30 days.
sign() {
  printf '%b' "$3" >"$1.ext"
  openssl req -new -key "$1.key" -subj "/O=certvigil bench/CN=bench $1" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 30 \
    -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

if [ ! -f fullchain.pem ]; then
  ec_key root.key
  openssl req -x509 -new -key root.key -subj "/O=certvigil bench/CN=bench root" -days 30 \
    -sha256 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
  ec_key int.key
  sign int root "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n"
  ec_key leaf.key
  sign leaf int "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=$SAN\n"
  cat leaf.pem int.pem >fullchain.pem
fi

{
  cat <<CONF
worker_processes auto;
worker_rlimit_nofile 16384;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
# Every listening socket takes a connection slot in every worker.
events { worker_connections $((COUNT + 4096)); }
http {
  access_log off;
  client_body_temp_path $DIR/tmp/body;
  proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi;
  uwsgi_temp_path $DIR/tmp/uwsgi;
  scgi_temp_path $DIR/tmp/scgi;
  ssl_certificate $DIR/fullchain.pem;
  ssl_certificate_key $DIR/leaf.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_tickets off;
  ssl_session_cache off;
  ssl_conf_command NumTickets 0;  # TLS 1.3 would still send two (useless) tickets
  server {
    server_name localhost;
CONF
  for ((p = BASE; p < BASE + COUNT; p++)); do echo "    listen 127.0.0.1:$p ssl;"; done
  cat <<CONF
    location / { return 200 "ok\n"; }
  }
}
CONF
} >nginx.conf
