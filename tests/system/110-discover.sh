#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Discovery end to end with the real servers: nginx, Apache httpd and HAProxy, each started on
# 127.0.0.1 with a configuration this test writes (includes with globs and relative paths, a
# sites-enabled symlink, several server blocks and SNI names, mTLS on one, a proxy client
# certificate on one). `certvigil discover` must find exactly what the configurations use; the
# daemon following them (discover:) probes the discovered endpoints, records where each target
# came from, reports served_cert_mismatch when a certificate is renewed on disk without reloading
# the server, clears it when the server reloads, and drops a target the configuration no longer
# names.
source "$(dirname "$0")/lib.sh"

P="$WORK/pki"
mkdir -p "$P"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/CN=discover test root" -keyout "$P/ca.key" -out "$P/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null
# issue NAME EKU SAN...: NAME.crt signed by the root for the given names (key kept on renewal).
issue() {
  local name=$1 eku=$2 sans="" n
  shift 2
  for n in "$@"; do sans="${sans:+$sans,}DNS:$n"; done
  [ -f "$P/$name.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$P/$name.key" 2>/dev/null
  chmod 600 "$P/$name.key"
  openssl req -new -key "$P/$name.key" -subj "/CN=$1" -out "$P/$name.csr" 2>/dev/null
  openssl x509 -req -in "$P/$name.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -days 20 \
    -set_serial "0x$(openssl rand -hex 8)" -out "$P/$name.crt" -extfile <(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" "extendedKeyUsage=$eku" "subjectAltName=$sans" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid") 2>/dev/null
}
issue a serverAuth a.test www.a.test
issue b serverAuth b.test
issue c serverAuth c.test alias.c.test
issue d serverAuth d.test
issue client clientAuth proxy-client
cat "$P/d.crt" "$P/d.key" >"$P/d.pem" && chmod 600 "$P/d.pem"

NGINX_PORT=$(free_port)
MTLS_PORT=$(free_port)
APACHE_PORT=$(free_port)
HAPROXY_PORT=$(free_port)
PIDS=()
stop_servers() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap 'stop_servers; cleanup' EXIT

# wait_port PORT: something listens on 127.0.0.1:PORT (bounded by wait_for).
wait_port() { wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$1"; }

echo "== nginx: includes (a glob, a relative path, a sites-enabled symlink), mTLS, proxy client"
N="$WORK/nginx"
mkdir -p "$N/conf.d" "$N/sites-available" "$N/sites-enabled"
cat >"$N/nginx.conf" <<CONF
worker_processes 1;
error_log $N/error.log info;
pid $N/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $N/body; proxy_temp_path $N/proxy;
  fastcgi_temp_path $N/fcgi; uwsgi_temp_path $N/uwsgi; scgi_temp_path $N/scgi;
  include conf.d/*.conf;
  include sites-enabled/*;
}
CONF
cat >"$N/sites-available/a.conf" <<CONF
# the public site, two names
server {
  listen 127.0.0.1:$NGINX_PORT ssl;
  server_name a.test www.a.test;
  ssl_certificate ../pki/a.crt;      # relative to the directory of nginx.conf
  ssl_certificate_key ../pki/a.key;
  location / { return 200 "a\n"; }
  location /up/ {
    proxy_pass https://127.0.0.1:$HAPROXY_PORT;
    proxy_ssl_name d.test;
    proxy_ssl_certificate $P/client.crt;
    proxy_ssl_certificate_key $P/client.key;
  }
}
CONF
ln -s "$N/sites-available/a.conf" "$N/sites-enabled/a.conf"
cat >"$N/conf.d/mtls.conf" <<CONF
server {
  listen 127.0.0.1:$MTLS_PORT ssl;
  server_name b.test;
  ssl_certificate $P/b.crt;
  ssl_certificate_key $P/b.key;
  ssl_verify_client on;
  ssl_client_certificate $P/ca.crt;
  location / { return 200 "b\n"; }
}
CONF
nginx -p "$N" -c "$N/nginx.conf" -g 'daemon off;' >"$N/stdout" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_port "$NGINX_PORT" || { cat "$N/stdout" "$N/error.log"; fail "nginx did not start"; }

echo "== apache: a self-contained config (-f, -d), IncludeOptional, a VirtualHost with aliases"
A="$WORK/apache"
mkdir -p "$A/sites-enabled" "$A/run"
M=/usr/lib/apache2/modules
cat >"$A/apache2.conf" <<CONF
ServerRoot $A
ServerName localhost
PidFile $A/run/apache2.pid
DefaultRuntimeDir $A/run
Mutex file:$A/run default
ErrorLog $A/error.log
LogLevel warn
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule socache_shmcb_module $M/mod_socache_shmcb.so
LoadModule ssl_module $M/mod_ssl.so
Listen 127.0.0.1:$APACHE_PORT
IncludeOptional sites-enabled/*.conf
CONF
cat >"$A/sites-enabled/c.conf" <<CONF
<IfModule ssl_module>
<VirtualHost 127.0.0.1:$APACHE_PORT>
    ServerName c.test
    ServerAlias alias.c.test
    SSLEngine on
    SSLCertificateFile $P/c.crt
    SSLCertificateKeyFile "$P/c.key"
</VirtualHost>
</IfModule>
CONF
apache2 -f "$A/apache2.conf" -d "$A" -DFOREGROUND >"$A/stdout" 2>&1 &
APACHE_PID=$!
PIDS+=("$APACHE_PID")
wait_port "$APACHE_PORT" || { cat "$A/stdout" "$A/error.log"; fail "apache did not start"; }

echo "== haproxy: a crt-list naming the SNI, client certificates verified"
H="$WORK/haproxy"
mkdir -p "$H"
echo "d.pem d.test" >"$H/certs.list"
cat >"$H/haproxy.cfg" <<CONF
global
    crt-base $P
defaults
    mode http
    timeout connect 5s
    timeout client 5s
    timeout server 5s
frontend fe_tls
    bind 127.0.0.1:$HAPROXY_PORT ssl crt-list $H/certs.list ca-file $P/ca.crt verify optional
    http-request return status 200 content-type text/plain string ok
CONF
haproxy -W -db -f "$H/haproxy.cfg" >"$H/stdout" 2>&1 &
HAPROXY_PID=$!
PIDS+=("$HAPROXY_PID")
wait_port "$HAPROXY_PORT" || { cat "$H/stdout"; fail "haproxy did not start"; }

echo "== certvigil discover finds exactly what each configuration uses"
"$CERTVIGIL" discover --format json "$N/nginx.conf" --apache "$A/apache2.conf" \
  --haproxy "$H/haproxy.cfg" >"$WORK/discover.json" || fail "discover exited $?"
python3 - "$WORK/discover.json" "$P" "$N" "$NGINX_PORT" "$MTLS_PORT" "$APACHE_PORT" "$HAPROXY_PORT" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
pki, n, ngx, mtls, apache, hap = sys.argv[2:]
by = {s["server"]: s for s in doc["servers"]}
def targets(s): return {e["target"]: e for e in s["endpoints"]}
def files(s): return {(f["path"], f["role"]) for f in s["files"]}
ng = by["nginx"]
assert ng["source"] == "discover:nginx"
assert set(targets(ng)) == {f"127.0.0.1:{ngx}/a.test", f"127.0.0.1:{ngx}/www.a.test",
                            f"127.0.0.1:{mtls}/b.test", f"127.0.0.1:{hap}/d.test"}, targets(ng)
a = targets(ng)[f"127.0.0.1:{ngx}/a.test"]
assert a["expect_file"] == f"{pki}/a.crt" and a["mtls"] == "none", a
assert a["origin"] == f"{n}/sites-enabled/a.conf:3", a["origin"]
assert targets(ng)[f"127.0.0.1:{mtls}/b.test"]["mtls"] == "required"
up = targets(ng)[f"127.0.0.1:{hap}/d.test"]
assert up["client_cert"] == f"{pki}/client.crt" and up["origin"] == f"{n}/sites-enabled/a.conf:9", up
assert files(ng) == {(f"{pki}/a.crt", "server"), (f"{pki}/b.crt", "server"),
                     (f"{pki}/client.crt", "client")}, files(ng)
assert [b["path"] for b in ng["bundles"]] == [f"{pki}/ca.crt"], ng["bundles"]
assert ng["skipped"] == [] and ng["problems"] == [], (ng["skipped"], ng["problems"])
ap = by["apache"]
assert set(targets(ap)) == {f"127.0.0.1:{apache}/c.test", f"127.0.0.1:{apache}/alias.c.test"}
assert files(ap) == {(f"{pki}/c.crt", "server")}, files(ap)
ha = by["haproxy"]
assert set(targets(ha)) == {f"127.0.0.1:{hap}/d.test"}, targets(ha)
assert targets(ha)[f"127.0.0.1:{hap}/d.test"]["mtls"] == "optional"
assert files(ha) == {(f"{pki}/d.pem", "server")}, files(ha)
assert [b["path"] for b in ha["bundles"]] == [f"{pki}/ca.crt"]
PY
"$CERTVIGIL" discover "$N/nginx.conf" >"$WORK/discover.yaml" || fail "discover yaml"
grep -q "# $N/sites-enabled/a.conf:5 ssl_certificate" "$WORK/discover.yaml" ||
  { cat "$WORK/discover.yaml"; fail "the yaml lacks the origin comment"; }
"$CERTVIGIL" config check "$WORK/discover.yaml" >/dev/null || fail "the yaml is not a valid config"

echo "== the daemon follows the three configurations"
API_PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<CONF
listen: 127.0.0.1:$API_PORT
state_dir: $WORK/state
interval: 1h
trust: {system: false, ca_files: [$P/ca.crt]}
discover:
  - nginx: $N/nginx.conf
  - apache: $A/apache2.conf
  - haproxy: $H/haproxy.cfg
CONF
start_daemon "$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
first_pass() { [ "$(sql "$DB" "SELECT count(*) FROM units WHERE kind='discover' AND last_scan_at IS NOT NULL")" = 3 ]; }
wait_for first_pass || fail "the discover units were not scanned"

# active CODE TARGET: the count of active CODE findings on present targets named TARGET.
active() {
  sql "$DB" "SELECT count(*) FROM findings f JOIN targets t ON t.id = f.target_id
             WHERE f.code = '$1' AND t.name = '$2' AND f.resolved_at IS NULL AND t.gone_at IS NULL"
}
A_EP="127.0.0.1:$NGINX_PORT/a.test"
C_EP="127.0.0.1:$APACHE_PORT/c.test"
D_EP="127.0.0.1:$HAPROXY_PORT/d.test"
metrics=$(curl -sf "http://127.0.0.1:$API_PORT/metrics") || fail "/metrics"
for ep in "$A_EP" "$C_EP" "$D_EP" "127.0.0.1:$MTLS_PORT/b.test"; do
  grep -q "certvigil_probe_success{source=\"discover:[a-z]*\",target=\"$ep\"} 1" <<<"$metrics" ||
    fail "$ep was not probed successfully"
done
for ep in "$A_EP" "$C_EP" "$D_EP"; do
  [ "$(active served_cert_mismatch "$ep")" = 0 ] || fail "$ep: served_cert_mismatch before renewal"
done
origin=$(sql "$DB" "SELECT o.origin || ' ' || o.source FROM target_origins o JOIN targets t ON t.id = o.target_id WHERE t.name = '$A_EP'")
[ "$origin" = "$N/sites-enabled/a.conf:3 discover:nginx" ] || fail "origin in SQLite: '$origin'"
id=$(sql "$DB" "SELECT id FROM targets WHERE name = '$C_EP'")
api=$(curl -sf "http://127.0.0.1:$API_PORT/api/v1/targets/$id") || fail "/api/v1/targets/$id"
python3 -c 'import json,sys; t=json.loads(sys.argv[1])["target"]; assert t["origin"]==sys.argv[2] and t["source"]=="discover:apache", t' \
  "$api" "$A/sites-enabled/c.conf:2" || fail "origin in the API"

echo "== renewed on disk, servers not reloaded: served_cert_mismatch"
issue a serverAuth a.test www.a.test
issue c serverAuth c.test alias.c.test
issue d serverAuth d.test
cat "$P/d.crt" "$P/d.key" >"$P/d.pem"
kill -HUP "$DAEMON_PID"  # a reload reads the server configurations again at once
mismatch_all() {
  [ "$(active served_cert_mismatch "$A_EP")" = 1 ] && [ "$(active served_cert_mismatch "$C_EP")" = 1 ] &&
    [ "$(active served_cert_mismatch "$D_EP")" = 1 ]
}
wait_for mismatch_all || fail "no served_cert_mismatch after renewal on disk"
[ "$(active served_cert_mismatch "127.0.0.1:$MTLS_PORT/b.test")" = 0 ] || fail "b.test was not renewed"

echo "== servers reloaded: the mismatch clears"
kill -HUP "$NGINX_PID"
kill -USR1 "$APACHE_PID"   # graceful restart
kill -USR2 "$HAPROXY_PID"  # master-worker reload
sleep 2
kill -HUP "$DAEMON_PID"
mismatch_none() {
  [ "$(active served_cert_mismatch "$A_EP")" = 0 ] && [ "$(active served_cert_mismatch "$C_EP")" = 0 ] &&
    [ "$(active served_cert_mismatch "$D_EP")" = 0 ]
}
for _ in 1 2 3 4 5; do  # the servers finish reloading in their own time: scan again if needed
  if wait_for mismatch_none; then break; fi
  kill -HUP "$DAEMON_PID"
done
mismatch_none || fail "served_cert_mismatch stayed after the servers reloaded"

echo "== a site removed from sites-enabled disappears from certvigil"
rm "$N/sites-enabled/a.conf"
kill -HUP "$DAEMON_PID"
gone() { [ "$(sql "$DB" "SELECT count(*) FROM targets WHERE name = '$A_EP' AND gone_at IS NOT NULL")" = 1 ]; }
wait_for gone || fail "$A_EP is still present after its server block was removed"
[ "$(sql "$DB" "SELECT gone_at IS NULL FROM targets WHERE name = '127.0.0.1:$MTLS_PORT/b.test'")" = 1 ] ||
  fail "b.test went away with a.test"
echo "PASS"
