# SPDX-License-Identifier: Apache-2.0
# tests/system/lib.sh: helpers for the system tests, which drive the built certvigil binary.
# Each test sources this, gets a private work dir ($WORK) removed on exit, and stops only the
# processes it started (by PID).
set -euo pipefail

CERTVIGIL=${CERTVIGIL:?set by ctest}
PKI=${CERTVIGIL_BINARY_DIR:?set by ctest}/test-pki
WORK=$(mktemp -d /tmp/certvigil-system-XXXXXX)
DAEMON_PID=""

cleanup() {
  [ -n "${KEEP_WORK:-}" ] && return 0
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
