#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Clock jumps: the daemon runs under libfaketime, whose offset this test rewrites (the wall clock
# steps; CLOCK_MONOTONIC does not, as on a real machine whose clock is set). A certificate has
# 28.5 days left (warning threshold 28 d).
#   forward a day:   expires_soon fires at the next scan, once; no burst of scans; at most one
#                    repeat per active finding (a day passed), not a flood;
#   back an hour:    scans go on at their interval (scheduling is on the monotonic clock), and
#                    nothing transitions;
#   back a day more: judged for the wall clock again, expires_soon resolves at the next scan.
# Uses the test build (alert delivery x0.05: repeats are looked for every 3 s).
CERTVIGIL=${CERTVIGIL_TIME_SCALED:?set by ctest}
source "$(dirname "$0")/lib.sh"

FAKETIME_LIB=""
for lib in /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 \
  /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
  if [ -f "$lib" ]; then FAKETIME_LIB=$lib; break; fi
done
[ -n "$FAKETIME_LIB" ] || fail "libfaketime is not installed (scripts/install-deps.sh: faketime)"

PORT=$(free_port)
mkdir -p "$WORK/certs" "$WORK/state"
# notAfter 28.5 days from now: made 7188 hours ago with a 328-day lifetime (so that the
# fraction rule does not apply: a third of it is 109 days, more than 28).
made=$(date -u -d '-7188 hours' '+%Y-%m-%d %H:%M:%S')
faketime "$made" openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$WORK/jump.key" -out "$WORK/certs/jump.pem" -days 328 -subj "/CN=jump.test" \
  -addext "subjectAltName=DNS:jump.test" -addext "extendedKeyUsage=serverAuth" 2>/dev/null ||
  fail "cannot make the certificate"
HOOK_PORT=$(free_port)
python3 "$(dirname "$0")/alerts_receiver.py" --port "$HOOK_PORT" --secret s \
  --log "$WORK/received.jsonl" >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
trap 'kill "$RECEIVER_PID" 2>/dev/null || true; cleanup' EXIT
wait_for grep -q ready "$WORK/receiver.out" || fail "receiver did not start"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1s
trust: {system: false, ca_files: [$WORK/certs/jump.pem]}
files:
  - path: $WORK/certs
    role: server
notifiers:
  - {type: webhook, name: hook, url: "http://127.0.0.1:$HOOK_PORT/webhook", timeout: 2s}
YAML

echo "+0" >"$WORK/faketime"
export CERTVIGIL_TEST_TIME_SCALE=0.05
LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE="$WORK/faketime" FAKETIME_NO_CACHE=1 \
  DONT_FAKE_MONOTONIC=1 start_daemon "$WORK/certvigil.yaml"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "never healthy"
DB="$WORK/state/certvigil.db"
events() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }
scans() { grep -c "scanned $WORK/certs" "$WORK/daemon.log" || true; }
# scans_during SECONDS: how many scans the daemon logs in that many (real) seconds.
scans_during() {
  local before
  before=$(scans)
  sleep "$1"
  echo $(($(scans) - before))
}
[ "$(events "code = 'expires_soon'")" -eq 0 ] || fail "expires_soon before any jump"
active=$(sql "$DB" "SELECT count(*) FROM findings WHERE resolved_at IS NULL")
echo "before: $(scans) scans, $active active findings, no expires_soon"

# Forward a day: 27.5 days left.
echo "+1d" >"$WORK/faketime"
fired() { [ "$(events "code = 'expires_soon' AND kind = 'firing'")" -eq 1 ]; }
wait_for fired || fail "expires_soon did not fire after the clock jumped a day forward"
n=$(scans_during 5)
echo "forward a day: expires_soon fired; $n scans in the next 5 s"
[ "$n" -ge 2 ] && [ "$n" -le 8 ] || fail "$n scans in 5 s at a 1 s interval after the jump"
sleep 4  # more than a repeat check at this scale
repeats=$(events "kind = 'repeat'")
echo "repeats after a day: $repeats (active findings before: $active)"
[ "$repeats" -le "$active" ] || fail "$repeats repeats for $active active findings: a flood"
sleep 4
[ "$(events "kind = 'repeat'")" -eq "$repeats" ] || fail "repeats keep coming"
[ "$(events "code = 'expires_soon'")" -eq 1 ] || fail "more than one expires_soon event"

# Back an hour: no stall, nothing changes.
total=$(events "1")
echo "+23h" >"$WORK/faketime"
n=$(scans_during 5)
echo "back an hour: $n scans in the next 5 s"
[ "$n" -ge 3 ] || fail "the scheduler stalled after the clock stepped back ($n scans in 5 s)"
[ "$(events "1")" -eq "$total" ] || fail "stepping back an hour wrote events: $(events "1") vs $total"

# Back to the real time: judged for the wall clock, 28.5 days left again.
echo "+0" >"$WORK/faketime"
resolved() { [ "$(events "code = 'expires_soon' AND kind = 'resolved'")" -eq 1 ]; }
wait_for resolved || fail "expires_soon did not resolve when the clock went back a day"
n=$(scans_during 3)
[ "$n" -ge 2 ] || fail "the scheduler stalled after the clock stepped back a day ($n scans in 3 s)"
echo "back a day: expires_soon resolved; $n scans in the next 3 s"
delivered() {
  [ "$(grep -c '"expires_soon"' "$WORK/received.jsonl" 2>/dev/null || true)" -ge 2 ]
}
wait_for delivered || fail "the receiver did not get the firing and the resolved event"
echo "099-clock-jumps: OK"
