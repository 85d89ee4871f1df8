#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A damaged or foreign database: a truncated file, garbage, another application's database, a
# schema newer than this binary and a read-only file. `certvigil run` refuses each with one line naming the reason and the remedy and
# exits non-zero; `inventory` and `events` say the same; the file is left byte for byte as it was.
source "$(dirname "$0")/lib.sh"

# write_config DIR: a config whose state_dir is DIR/state (nothing to scan).
write_config() {
  mkdir -p "$1/state" "$1/certs"
  cat >"$1/certvigil.yaml" <<YAML
listen: 127.0.0.1:$(free_port)
state_dir: $1/state
interval: 1h
trust:
  system: false
files:
  - path: $1/certs
YAML
}

# A real database, closed cleanly by the daemon.
write_config "$WORK/good"
start_daemon "$WORK/good/certvigil.yaml"
GOOD="$WORK/good/state/certvigil.db"
wait_for grep -q "scan" "$WORK/daemon.log" || fail "daemon never scanned"
wait_for test -s "$GOOD" || fail "no database written"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "daemon did not stop cleanly"
DAEMON_PID=""
[ ! -s "$GOOD-wal" ] || fail "a clean stop left a write-ahead log"

# AS: prefix for the commands (empty, or setpriv to an unprivileged user for the read-only case).
AS=()
cv() { "${AS[@]}" "$CERTVIGIL" "$@"; }

# expect_refusal NAME WHAT: every command refuses NAME's database with a line containing WHAT
# and REMEDY, and the file is unchanged.
expect_refusal() {
  local name=$1 what=$2 remedy=$3 dir="$WORK/$1" db="$WORK/$1/state/certvigil.db"
  local before
  before=$(sha256sum <"$db")
  set +e
  timeout 30 "${AS[@]}" "$CERTVIGIL" run --config "$dir/certvigil.yaml" >"$dir/run.out" 2>&1
  local rc=$?
  set -e
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "$name: run exited $rc ($(cat "$dir/run.out"))"
  local line
  line=$(grep -F "$what" "$dir/run.out") || fail "$name: run did not say '$what': $(cat "$dir/run.out")"
  [ "$(wc -l <<<"$line")" -eq 1 ] || fail "$name: the reason is not one line"
  grep -qF "$remedy" <<<"$line" || fail "$name: run gave no remedy: $line"
  echo "$name: run: $line"
  for cmd in inventory events; do
    set +e
    cv "$cmd" --config "$dir/certvigil.yaml" >"$dir/$cmd.out" 2>&1
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$name: $cmd exited 0"
    grep -F "$what" "$dir/$cmd.out" | grep -qF "$remedy" ||
      fail "$name: $cmd did not say the same: $(cat "$dir/$cmd.out")"
  done
  [ "$(sha256sum <"$db")" = "$before" ] || fail "$name: the database file was changed"
  [ ! -s "$db-wal" ] || fail "$name: a write-ahead log was left beside the damaged file"
}

REMEDY="restore it from a backup, or move it aside"
size=$(stat -c %s "$GOOD")
[ "$size" -gt 8192 ] || fail "the good database is too small to truncate ($size bytes)"

write_config "$WORK/truncated"
head -c $((size - 4096)) "$GOOD" >"$WORK/truncated/state/certvigil.db"
expect_refusal truncated "database file is truncated ($((size - 4096)) of $size bytes)" "$REMEDY"

write_config "$WORK/garbage"
head -c 20000 /dev/urandom >"$WORK/garbage/state/certvigil.db"
expect_refusal garbage "not a database (no SQLite header" "$REMEDY"

write_config "$WORK/foreign"
sql "$WORK/foreign/state/certvigil.db" "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')"
expect_refusal foreign "not a certvigil database (another application's SQLite file)" \
  "point state_dir elsewhere"

write_config "$WORK/newer"
cp "$GOOD" "$WORK/newer/state/certvigil.db"
sql "$WORK/newer/state/certvigil.db" "PRAGMA user_version = 999" >/dev/null
expect_refusal newer "database schema 999 is newer than this certvigil" \
  "run the certvigil release that wrote it, or restore a backup"

# Read-only: root writes whatever the mode bits say, so as root the case runs as nobody.
write_config "$WORK/readonly"
cp "$GOOD" "$WORK/readonly/state/certvigil.db"
chmod 0444 "$WORK/readonly/state/certvigil.db"
if [ "$(id -u)" -eq 0 ]; then
  chmod 0755 "$WORK" "$WORK/readonly"
  chown -R nobody "$WORK/readonly"
  AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  # nobody may not reach the build tree (a checkout under /root): run a copy from $WORK.
  cp "$CERTVIGIL" "$WORK/certvigil"
  chmod 0755 "$WORK/certvigil"
  CERTVIGIL="$WORK/certvigil"
fi
dir="$WORK/readonly"
db="$dir/state/certvigil.db"
before=$(sha256sum <"$db")
set +e
timeout 30 "${AS[@]}" "$CERTVIGIL" run --config "$dir/certvigil.yaml" >"$dir/run.out" 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "readonly: run exited $rc ($(cat "$dir/run.out"))"
line=$(grep -F "database is not writable by this user" "$dir/run.out") ||
  fail "readonly: run did not say why: $(cat "$dir/run.out")"
grep -qF "chmod u+w" <<<"$line" || fail "readonly: no remedy: $line"
echo "readonly: run: $line"
# Reading needs no write access: inventory and events still work on a read-only file.
cv inventory --config "$dir/certvigil.yaml" >"$dir/inventory.out" 2>&1 ||
  fail "readonly: inventory failed: $(cat "$dir/inventory.out")"
cv events --config "$dir/certvigil.yaml" >"$dir/events.out" 2>&1 ||
  fail "readonly: events failed: $(cat "$dir/events.out")"
[ "$(sha256sum <"$db")" = "$before" ] || fail "readonly: the database file was changed"
echo "ok: damaged, foreign and read-only databases are refused and left alone"
