#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A polite probe against Debian's real PostgreSQL: a batch of STARTTLS probes leaves nothing in
# the server's log. Before the close_notify at the end of STARTTLS probes, every probe left
# "LOG: could not receive data from client: Connection reset by peer" there (psql and
# `openssl s_client -starttls postgres` leave nothing). The server runs as the postgres user on
# 127.0.0.1 and is stopped by its PID at exit. With TLS then turned off, refused probes (the
# server answers the SSLRequest with N) leave nothing either.
source "$(dirname "$0")/lib.sh"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/postgres" ] || fail "PostgreSQL is missing (scripts/install-deps.sh installs postgresql)"
id postgres >/dev/null 2>&1 || fail "no postgres user (the postgresql package creates it)"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PORT=$(free_port)
PGDIR="$WORK/pg"
mkdir -p "$PGDIR"
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
as_postgres "$PG_BIN/initdb" -D "$PGDIR/data" -A trust >"$WORK/initdb.log" 2>&1 ||
  fail "initdb failed: $(tail -3 "$WORK/initdb.log")"
cp "$PKI/leaf-server-fullchain.pem" "$PGDIR/data/server.crt"
cp "$PKI/leaf-server.key" "$PGDIR/data/server.key"
chmod 600 "$PGDIR/data/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR/data/server.crt" "$PGDIR/data/server.key"
cat >>"$PGDIR/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGDIR'
ssl = on
logging_collector = off
CONF
as_postgres "$PG_BIN/postgres" -D "$PGDIR/data" >"$WORK/postgres.log" 2>&1 &
PG_PID=$!
trap 'kill "$PG_PID" 2>/dev/null || true; wait "$PG_PID" 2>/dev/null || true; cleanup' EXIT
ready() { grep -q "ready to accept connections" "$WORK/postgres.log"; }
wait_for ready || fail "PostgreSQL did not start: $(tail -5 "$WORK/postgres.log")"
before=$(wc -l <"$WORK/postgres.log")

echo "== 10 STARTTLS probes of PostgreSQL"
for _ in $(seq 1 10); do
  out=$("$CERTVIGIL" check --ca "$PKI/ec-root.crt" --servername localhost --starttls postgres \
    "127.0.0.1:$PORT") || fail "probe failed: $out"
done
sleep 1
new=$(tail -n +"$((before + 1))" "$WORK/postgres.log")
[ -z "$new" ] || fail "the probes left lines in PostgreSQL's log: $new"
echo "PostgreSQL logged nothing for 10 probes"

echo "== TLS off (reloaded): the SSLRequest is refused with N; the probe leaves nothing either"
echo "ssl = off" >>"$PGDIR/data/postgresql.conf"
kill -HUP "$(head -n 1 "$PGDIR/data/postmaster.pid")" # the postmaster ($PG_PID may be runuser)
reloaded() { grep -q 'parameter "ssl" changed to "off"' "$WORK/postgres.log"; }
wait_for reloaded || fail "PostgreSQL did not reload: $(tail -5 "$WORK/postgres.log")"
before=$(wc -l <"$WORK/postgres.log")
for _ in $(seq 1 5); do
  if out=$("$CERTVIGIL" check --starttls postgres "127.0.0.1:$PORT"); then fail "TLS is off: $out"; fi
  grep -q "does not accept TLS (N)" <<<"$out" || fail "not the refusal: $out"
done
sleep 1
new=$(tail -n +"$((before + 1))" "$WORK/postgres.log")
[ -z "$new" ] || fail "the refused probes left lines in PostgreSQL's log: $new"
echo "PostgreSQL logged nothing for 5 refused probes"
echo "PASS"
