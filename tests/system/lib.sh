# SPDX-License-Identifier: Apache-2.0
# tests/system/lib.sh: helpers for the system tests, which drive the built certvigil binary.
# Each test sources this, gets a private work dir ($WORK) removed on exit, and stops only the
# processes it started (by PID).
set -euo pipefail

CERTVIGIL=${CERTVIGIL:?set by ctest}
PKI=${CERTVIGIL_BINARY_DIR:?set by ctest}/test-pki
WORK=$(mktemp -d /tmp/certvigil-system-XXXXXX)
DAEMON_PID=""
NGINX_PID=""  # start_nginx

cleanup() {
  stop_nginx
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/daemon.log" ]; then echo "--- daemon log" >&2; tail -n 40 "$WORK/daemon.log" >&2; fi
  exit 1
}

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_daemon CONFIG: starts `certvigil run` in the background, logs to $WORK/daemon.log.
start_daemon() {
  "$CERTVIGIL" run --config "$1" --log-level debug >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
}

# wait_for CMD...: retries CMD every 0.1 s for at most 30 s.
wait_for() {
  for _ in $(seq 1 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# sql DB QUERY: one query against a certvigil database.
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# start_nginx PORT < SERVER_BLOCKS: starts nginx in the foreground on 127.0.0.1 (killed by PID
# at exit) with the http { ... } server blocks read from stdin, its files under $WORK/nginx,
# and waits until PORT answers.
stop_nginx() {
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  NGINX_PID=""  # stopped once: a second call must not signal a PID the system gave away again
}
start_nginx() {
  local port=$1 dir="$WORK/nginx"
  mkdir -p "$dir"
  {
    cat <<CONF
worker_processes 1;
error_log $dir/error.log info;
pid $dir/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
CONF
    cat
    echo "}"
  } >"$dir/nginx.conf"
  # No trap of its own here: cleanup() stops nginx, and setting one would replace the caller's
  # (105-ari.sh's stopped its ARI server; start_nginx's trap left that server running).
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/stdout" 2>&1 &
  NGINX_PID=$!
  wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || fail "nginx did not start"
}
