# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# tests/system/goodbye_lib.sh: helpers for the polite-probe tests against Debian's real servers
# (141, 142), sourced after lib.sh. A batch of connections is run and the lines it added to the
# server's log are kept in $WORK/LABEL.lines; a probe is polite when each one left the server's
# sign of a goodbye (postfix "quit=1", slapd "UNBIND"), none left a line of the server's error
# pattern, and every line it left is one the polite client leaves too, once numbers, times and
# identifiers are normalised away.

# The servers' own programs refuse to run as anyone else, and prosody runs as its user.
require_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "SKIP: $1 needs root (its master process changes user)"
    exit 77
  fi
}

# require_program NAME PACKAGE: skips (77) when NAME is not installed.
require_program() {
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    echo "SKIP: $1 is missing (scripts/install-deps.sh installs $2)"
    exit 77
  fi
}

# Servers started by a test, stopped by PID at exit (then lib.sh's cleanup).
SERVER_PIDS=()
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_servers; cleanup' EXIT

# server_files DIR: DIR with the test server certificate (full chain) and key in it.
server_files() {
  mkdir -p "$1"
  cp "$PKI/leaf-server-fullchain.pem" "$1/server.crt"
  cp "$PKI/leaf-server.key" "$1/server.key"
  chmod 600 "$1/server.key"
}

# wait_for_line FILE REGEX: until a line of FILE matches (at most 30 s).
wait_for_line() { wait_for grep -qE "$2" "$1"; }

log_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# batch LABEL LOG END COUNT CMD...: runs CMD COUNT times, waits (at most 10 s) until the log has
# COUNT more lines matching END (the server's end of a connection), and keeps the new lines in
# $WORK/LABEL.lines. CMD failing fails the test.
batch() {
  local label=$1 log=$2 end=$3 count=$4 from
  shift 4
  from=$(log_lines "$log")
  for _ in $(seq 1 "$count"); do
    "$@" >"$WORK/$label.out" 2>&1 || fail "$label: $* failed: $(tail -n 5 "$WORK/$label.out")"
  done
  for _ in $(seq 1 100); do
    [ "$(tail -n +"$((from + 1))" "$log" | grep -cE "$end")" -ge "$count" ] && break
    sleep 0.1
  done
  sleep 0.3 # the lines a server writes after the end of a connection
  tail -n +"$((from + 1))" "$log" >"$WORK/$label.lines"
}

# normalise: a log line without its time stamp, process or thread id, and with every number,
# session and connection identifier made alike. prosody's ids are 12 characters of base64url,
# which may end in '-' or '_', so no word boundary is asked for after them.
normalise() {
  sed -E -e 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]+ [0-9]{4} //' \
    -e 's/^[A-Z][a-z]{2} +[0-9]+ [0-9:]+ //' \
    -e 's/^[0-9a-f]{8}\.[0-9a-f]{8} 0x[0-9a-f]+ //' \
    -e 's/session=<[^>]*>/session=<>/g' \
    -e 's/\bc2s[0-9a-f]{12}\b/c2s-id/g; s/\b(conn|runner)[0-9A-Za-z_-]{12}/\1-id/g' \
    -e 's/[0-9]+/N/g'
}

# expect_polite NAME COUNT GOOD BAD: $WORK/NAME-certvigil.lines (COUNT probes) holds COUNT lines
# matching GOOD, none matching BAD, and no line (normalised) that $WORK/NAME-polite.lines lacks
# (when there is one: a refusing server has no polite client to compare with).
expect_polite() {
  local name=$1 count=$2 good=$3 bad=$4 probes="$WORK/$1-certvigil.lines" polite="$WORK/$1-polite.lines"
  local said extra
  said=$(grep -cE "$good" "$probes" || true)
  [ "$said" -eq "$count" ] ||
    fail "$name: $said of $count probes left the goodbye's sign /$good/: $(cat "$probes")"
  if grep -E "$bad" "$probes" >"$WORK/$name.bad"; then
    fail "$name: the probes left error lines: $(cat "$WORK/$name.bad")"
  fi
  if [ ! -f "$polite" ]; then
    echo "$name: $count probes said goodbye (/$good/) and left no error line"
    return
  fi
  extra=$(comm -23 <(normalise <"$probes" | sort -u) <(normalise <"$polite" | sort -u))
  [ -z "$extra" ] || fail "$name: lines the polite client does not leave: $extra"
  echo "$name: $count probes said goodbye (/$good/), as politely as the polite client"
}

# expect_rude NAME GOOD BAD: the control ($WORK/NAME-rude.lines, a client that leaves without
# the goodbye) shows what the checks catch: no line matching GOOD, and a line matching BAD where
# the server writes one (BAD empty: this server writes none).
expect_rude() {
  local name=$1 good=$2 bad=$3 rude="$WORK/$1-rude.lines"
  if grep -qE "$good" "$rude"; then fail "$name: the control left the goodbye's sign: $(cat "$rude")"; fi
  if [ -n "$bad" ] && ! grep -qE "$bad" "$rude"; then
    fail "$name: the control (no goodbye) left no error line: $(cat "$rude")"
  fi
  if [ -z "$bad" ]; then
    echo "$name: without a goodbye the server logs no error, only no goodbye"
  else
    echo "$name: without a goodbye the server logs: $(grep -E "$bad" "$rude" | head -n 1)"
  fi
}

# certvigil_probe PROTO PORT: one STARTTLS probe that must succeed.
certvigil_probe() {
  "$CERTVIGIL" check --ca "$PKI/ec-root.crt" --servername localhost --starttls "$1" \
    "127.0.0.1:$2"
}

# s_client_says PROTO PORT BYTES [OPTS...]: openssl s_client as the polite client: STARTTLS,
# then BYTES (the protocol's goodbye) inside TLS, then it reads until the server closes.
s_client_says() {
  local proto=$1 port=$2 bytes=$3
  shift 3
  printf '%b' "$bytes" | timeout 10 openssl s_client -starttls "$proto" -connect "127.0.0.1:$port" \
    -CAfile "$PKI/ec-root.crt" -quiet "$@" || true # some servers close without a close_notify
}

# s_client_leaves PROTO PORT [OPTS...]: the control: STARTTLS and the handshake, then a
# close_notify without the protocol's goodbye.
s_client_leaves() {
  local proto=$1 port=$2
  shift 2
  timeout 10 openssl s_client -starttls "$proto" -connect "127.0.0.1:$port" "$@" </dev/null || true
}
