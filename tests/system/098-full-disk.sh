#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A full disk, for real: state_dir is a 4 MiB tmpfs this test mounts (as root, or else inside
# a user and mount namespace of its own). A filler file takes the free space, then 300 new
# certificate files make the next scan's transaction outgrow what the database had. The daemon
# goes on serving /metrics from its latest snapshot, says degraded (certvigil_degraded,
# /healthz with SQLite's reason, one log line), keeps every event written before, and recovers
# by itself once the filler is deleted: the new targets and their events are recorded then and
# delivered. Prints which filesystem ran and how long recovery took.
source "$(dirname "$0")/lib.sh"

SKIP=77  # ctest: SKIP_RETURN_CODE
STATE="$WORK/state"
mkdir -p "$STATE" "$WORK/certs"
if [ -z "${CERTVIGIL_IN_NAMESPACE:-}" ] && ! mount -t tmpfs -o size=4m,mode=0750 tmpfs "$STATE" 2>/dev/null; then
  # Not root: a user namespace maps us to root there, and lets us mount a tmpfs of our own.
  if unshare --user --map-root-user --mount true 2>/dev/null; then
    echo "mounting not permitted: running in a user and mount namespace"
    rm -rf "$WORK"
    trap - EXIT
    exec env CERTVIGIL_IN_NAMESPACE=1 unshare --user --map-root-user --mount bash "$0"
  fi
  echo "SKIP: cannot mount a filesystem here (not root, no user namespaces);" \
    "095-degraded covers failed writes with a stand-in"
  exit $SKIP
fi
if [ -n "${CERTVIGIL_IN_NAMESPACE:-}" ]; then
  mount -t tmpfs -o size=4m,mode=0750 tmpfs "$STATE" || fail "cannot mount tmpfs in the namespace"
fi
echo "state_dir on a 4 MiB tmpfs ($(findmnt -no SOURCE,FSTYPE "$STATE" | tr -s ' '))"

RECEIVER_PID=""
cleanup_disk() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  if [ -n "$RECEIVER_PID" ]; then kill "$RECEIVER_PID" 2>/dev/null || true; fi
  umount "$STATE" 2>/dev/null || umount -l "$STATE" 2>/dev/null || true
  cleanup
}
trap cleanup_disk EXIT

PORT=$(free_port)
HOOK_PORT=$(free_port)
SECRET="whsec_$(head -c 24 /dev/urandom | base64)"
python3 "$(dirname "$0")/alerts_receiver.py" --port "$HOOK_PORT" --secret "$SECRET" \
  --log "$WORK/received.jsonl" >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
wait_for grep -q ready "$WORK/receiver.out" || fail "receiver did not start"
cp "$PKI/leaf-20d-fullchain.pem" "$WORK/certs/first.pem"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $STATE
interval: 1s
trust: {system: false, ca_files: [$PKI/ec-root.crt]}
files:
  - path: $WORK/certs
notifiers:
  - {type: webhook, name: hook, url: "http://127.0.0.1:$HOOK_PORT/webhook", timeout: 2s}
YAML
DB="$STATE/certvigil.db"
start_daemon "$WORK/certvigil.yaml"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "never healthy"
has_event() { [ "$(sql "$DB" "SELECT count(*) FROM events")" -ge 1 ]; }
wait_for has_event || fail "no event for the expiring certificate"
sql "$DB" "SELECT uid FROM events ORDER BY id" >"$WORK/before.ids"
metric() { awk -v m="$1" '$1 == m {print $2}' <<<"$(curl -s "http://127.0.0.1:$PORT/metrics")"; }

# Fill the filesystem, then give the next scan more to write than the database has room for.
dd if=/dev/zero of="$STATE/filler" bs=64k status=none 2>/dev/null || true
echo "filled: $(df --output=avail -k "$STATE" | tail -1 | tr -d ' ') KiB left"
for i in $(seq 1 300); do cp "$PKI/leaf-20d-fullchain.pem" "$WORK/certs/new-$i.pem"; done
degraded() { curl -s "http://127.0.0.1:$PORT/healthz" | grep -q "full"; }
wait_for degraded || fail "not degraded on a full disk: $(curl -s "http://127.0.0.1:$PORT/healthz")"
health=$(curl -s "http://127.0.0.1:$PORT/healthz")
echo "healthz while full: $(tr '\n' ' ' <<<"$health")"
[ "${health%%$'\n'*}" = degraded ] || fail "healthz first line: $health"
[ "$(metric certvigil_degraded)" = 1 ] || fail "certvigil_degraded is not 1"
sleep 3  # a few more scans fail: still one log line, still serving
metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
grep -q "certvigil_cert_not_after_timestamp_seconds{.*new-300.pem" <<<"$metrics" ||
  fail "/metrics does not serve the latest scan while the disk is full"
[ "$(grep -c 'cannot record scans' "$WORK/daemon.log")" -eq 1 ] ||
  fail "the full disk must be logged once: $(grep -c 'cannot record scans' "$WORK/daemon.log") lines"
kill -0 "$DAEMON_PID" || fail "the daemon died on a full disk"

# Space returns: the daemon recovers by itself, records what it could not, loses nothing.
start=$(date +%s.%N)
rm -f "$STATE/filler"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "did not recover"
recovery=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)")
echo "recovered ${recovery}s after the filler was deleted"
grep -q "database writes work again" "$WORK/daemon.log" || fail "recovery not logged"
targets_recorded() { [ "$(sql "$DB" "SELECT count(*) FROM targets WHERE name LIKE '%new-%'")" -eq 300 ]; }
wait_for targets_recorded || fail "the new targets were not recorded after recovery"
sql "$DB" "SELECT uid FROM events ORDER BY id" >"$WORK/after.ids"
[ -z "$(comm -23 <(sort "$WORK/before.ids") <(sort "$WORK/after.ids"))" ] ||
  fail "events written before the disk filled are gone"
[ "$(wc -l <"$WORK/after.ids")" -ge 301 ] || fail "the new targets' events were not written"
delivered_all() {
  python3 -c "import json,sys; [print(r['id']) for r in map(json.loads, open(sys.argv[1]))]" \
    "$WORK/received.jsonl" | sort -u >"$WORK/got.ids"
  [ -z "$(comm -23 <(sort "$WORK/after.ids") "$WORK/got.ids")" ]
}
wait_for delivered_all || fail "events not delivered after recovery"
[ "$(sql "$DB" "PRAGMA integrity_check")" = ok ] || fail "integrity_check after the full disk"
echo "events: $(wc -l <"$WORK/before.ids") before, $(wc -l <"$WORK/after.ids") after, all delivered"
echo "098-full-disk: OK"
