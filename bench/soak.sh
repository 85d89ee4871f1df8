#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/soak.sh: the daemon under churn for a while, then the books are checked.
#
#   bench/soak.sh [--duration S] [--files N] [--endpoints N] [--interval S] [--restarts N]
#                 [--churn N]
#
# Defaults: one hour, 20,000 files, 500 endpoints, scans every 10 s, 3 kill -9 restarts, 2 file
# changes a second. While it runs: files are renewed (another certificate copied over), broken
# (garbage), deleted and put back; the endpoints (one nginx listening on N ports of 127.0.0.1)
# lose and regain a tenth of their ports every 30 s; the webhook receiver answers 503 to half
# its requests; SIGHUP comes at random every 20-40 s; kill -9 and a restart happen --restarts
# times in the first third. The receiver gets the info and critical events: the tree's leaves
# all lack an authorityKeyIdentifier, a nonconforming warning 20,000 times at the first scan,
# which one retry per failed request would take most of the hour to deliver. RSS, open fds,
# threads, database and WAL sizes are sampled every 5 s (every second in runs under 5 min).
#
# At the end the receiver must have every event of the outbox (duplicates are counted: kill -9
# can cut a delivery between the answer and the cursor write), `PRAGMA integrity_check` must
# say ok, and RSS, fds and threads must stay flat after the last restart (the median of the
# last third of the samples against the first third, after a warm-up; slopes per hour are
# reported). Prints a short table.
#
# It runs certvigil_time_scaled (alert delivery x0.02: the backoff cap is 6 s, so the outbox
# drains within the run) from CERTVIGIL_BINARY_DIR (default: build/). ctest runs a short
# version (label slow). Exit status 0 when every check holds. SOAK_KEEP=1 keeps the work dir.
set -euo pipefail

DURATION=3600 FILES=20000 ENDPOINTS=500 INTERVAL=10 RESTARTS=3 CHURN=2
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2 ;;
    --files) FILES=$2 ;;
    --endpoints) ENDPOINTS=$2 ;;
    --interval) INTERVAL=$2 ;;
    --restarts) RESTARTS=$2 ;;
    --churn) CHURN=$2 ;;
    *) echo "usage: $0 [--duration S] [--files N] [--endpoints N] [--interval S] [--restarts N]" \
         "[--churn N]" >&2
       exit 2 ;;
  esac
  shift 2
done
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CERTVIGIL_BINARY_DIR:-$SRC/build}
CERTVIGIL=${CERTVIGIL_TIME_SCALED:-$BIN/certvigil_time_scaled}
export CERTVIGIL_TEST_TIME_SCALE=0.02
# Short runs sample every second and flip every 15 s; an hour every 5 s and 30 s.
SAMPLE_EVERY=$((DURATION >= 300 ? 5 : 1)) FLIP_EVERY=$((DURATION >= 300 ? 30 : 15))
WORK=$(mktemp -d /tmp/certvigil-soak-XXXXXX)
DAEMON_PID="" NGINX_PID="" RECEIVER_PID=""

cleanup() {
  for pid in "$DAEMON_PID" "$NGINX_PID" "$RECEIVER_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "$DAEMON_PID" "$NGINX_PID" "$RECEIVER_PID"; do
    if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  done
  if [ -z "${SOAK_KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT
fail() {
  echo "SOAK FAIL: $*" >&2
  tail -n 20 "$WORK/daemon.log" >&2 || true
  exit 1
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# The first of COUNT consecutive free ports, below the kernel's ephemeral range: the other tests
# take their ports from that range (free_port binds port 0), and the endpoints here are closed
# and opened again all run long, so a range inside it could take a port another test was given.
free_range() {
  python3 - "$1" <<'PY'
import random, socket, sys
count = int(sys.argv[1])
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    ephemeral = int(f.read().split()[0])
for _ in range(200):
    base = random.randrange(10000, max(10001, ephemeral - count))
    socks = []
    try:
        for p in range(base, base + count):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
else:
    sys.exit(1)
PY
}
wait_for() {  # wait_for SECONDS CMD...
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- the world: a certificate tree, an nginx farm, a flaky receiver -------------------------
DISTINCT=$(((FILES + 9) / 10))
"$BIN/bench/make_tree" "$WORK/pristine" "$DISTINCT" 10 >/dev/null || fail "make_tree"
cp -a "$WORK/pristine" "$WORK/tree"
mapfile -t PATHS < <(cd "$WORK/pristine" && find . -name 'c[0-9]*.pem' | sort)
BASE=$(free_range "$ENDPOINTS") || fail "no $ENDPOINTS consecutive free ports"
bash "$SRC/bench/tls/make_farm.sh" "$WORK/farm" "$BASE" "$ENDPOINTS" >/dev/null 2>&1 || fail "make_farm"
sed -i 's/worker_processes auto;/worker_processes 1;/' "$WORK/farm/nginx.conf"
cp "$WORK/farm/nginx.conf" "$WORK/farm/all.conf"
sed '/listen 127.0.0.1:[0-9]*7 ssl;/d' "$WORK/farm/all.conf" >"$WORK/farm/fewer.conf"
nginx -p "$WORK/farm" -e "$WORK/farm/error.log" -c "$WORK/farm/nginx.conf" -g 'daemon off;' \
  >"$WORK/farm/stdout" 2>&1 &
NGINX_PID=$!
wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$BASE" || fail "nginx did not start"
HOOK=$(free_port)
python3 "$SRC/tests/system/alerts_receiver.py" --port "$HOOK" --secret soak --fail-rate 0.5 \
  --log "$WORK/received.jsonl" >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
wait_for 30 grep -q ready "$WORK/receiver.out" || fail "receiver did not start"

PORT=$(free_port)
{
  cat <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: ${INTERVAL}s
timeout: 5s
trust: {system: false, ca_files: [$WORK/pristine/ca.pem, $WORK/farm/root.pem]}
files:
  - path: $WORK/tree
notifiers:
  - {type: webhook, name: soak, url: "http://127.0.0.1:$HOOK/webhook", timeout: 5s,
     severities: [info, critical]}
endpoints:
YAML
  for ((p = BASE; p < BASE + ENDPOINTS; p++)); do echo "  - address: 127.0.0.1:$p"; done
} >"$WORK/certvigil.yaml"
DB="$WORK/state/certvigil.db"
start_daemon() {
  "$CERTVIGIL" run --config "$WORK/certvigil.yaml" >>"$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  SEGMENT_START=$SECONDS
}

# --- churn ----------------------------------------------------------------------------------
churn_once() {
  local i=$((RANDOM * 32768 + RANDOM)) j=$((RANDOM * 32768 + RANDOM))
  local path=${PATHS[$((i % ${#PATHS[@]}))]} other=${PATHS[$((j % ${#PATHS[@]}))]}
  case $((RANDOM % 4)) in
    0) cp "$WORK/pristine/$other" "$WORK/tree/$path" ;;  # renewed (another certificate)
    1) echo "not a certificate $RANDOM" >"$WORK/tree/$path" ;;  # broken
    2) rm -f "$WORK/tree/$path" ;;  # deleted
    3) cp "$WORK/pristine/$path" "$WORK/tree/$path" ;;  # put back as it was
  esac
  CHURNED=$((CHURNED + 1))
}
flip_endpoints() {
  if [ "$FARM" = all ]; then FARM=fewer; else FARM=all; fi
  cp "$WORK/farm/$FARM.conf" "$WORK/farm/nginx.conf"
  kill -HUP "$NGINX_PID"
  FLIPS=$((FLIPS + 1))
}
sample() {
  local status
  status=$(cat "/proc/$DAEMON_PID/status" 2>/dev/null) || return 0
  local rss threads fds db wal
  rss=$(awk '/^VmRSS:/ {print $2}' <<<"$status")
  threads=$(awk '/^Threads:/ {print $2}' <<<"$status")
  fds=$(find "/proc/$DAEMON_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  db=$(stat -c %s "$DB" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
  echo "$SECONDS $DAEMON_PID $SEGMENT_START $rss $fds $threads $db $wal" >>"$WORK/samples.txt"
}

CHURNED=0 FLIPS=0 RELOADS=0 KILLS=0 FARM=all
PER_TICK=$CHURN
declare -a KILL_AT=()
for ((k = 1; k <= RESTARTS; k++)); do KILL_AT+=($((DURATION * k / (3 * RESTARTS)))); done
start_daemon
wait_for 120 curl -sf "http://127.0.0.1:$PORT/healthz" || fail "the daemon never answered"
START=$SECONDS
NEXT_HUP=$((START + 20 + RANDOM % 21)) NEXT_FLIP=$((START + FLIP_EVERY)) NEXT_SAMPLE=$START
while [ $((SECONDS - START)) -lt "$DURATION" ]; do
  kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
  for ((c = 0; c < PER_TICK; c++)); do churn_once; done
  if [ "$SECONDS" -ge "$NEXT_SAMPLE" ]; then sample; NEXT_SAMPLE=$((SECONDS + SAMPLE_EVERY)); fi
  if [ "$SECONDS" -ge "$NEXT_FLIP" ]; then flip_endpoints; NEXT_FLIP=$((SECONDS + FLIP_EVERY)); fi
  if [ "$SECONDS" -ge "$NEXT_HUP" ]; then
    kill -HUP "$DAEMON_PID"
    RELOADS=$((RELOADS + 1))
    NEXT_HUP=$((SECONDS + 20 + RANDOM % 21))
  fi
  if [ "$KILLS" -lt "${#KILL_AT[@]}" ] && [ $((SECONDS - START)) -ge "${KILL_AT[$KILLS]}" ]; then
    kill -9 "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null || true
    KILLS=$((KILLS + 1))
    start_daemon
  fi
  sleep 1
done

# --- the books ------------------------------------------------------------------------------
metric() { awk -v m="$1" '$1 == m {print $2}' <<<"$(curl -s "http://127.0.0.1:$PORT/metrics")"; }
drained() { [ "$(metric 'certvigil_outbox_pending{notifier="soak"}')" = 0 ]; }
wait_for $((INTERVAL * 3 + 300)) drained || fail "the outbox did not drain: $(metric 'certvigil_outbox_pending{notifier="soak"}') pending"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "SIGTERM exit status $?"
DAEMON_PID=""
INTEGRITY=$(sqlite3 "$DB" "PRAGMA integrity_check")
sqlite3 "$DB" "SELECT uid FROM events WHERE (notifier IS NULL OR notifier = 'soak')
  AND severity IN ('info', 'critical')" >"$WORK/written.ids"
python3 - "$WORK/samples.txt" "$WORK/written.ids" "$WORK/received.jsonl" "$INTEGRITY" <<PY
import json, sys
samples = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
written = set(l.strip() for l in open(sys.argv[2]) if l.strip())
records = [json.loads(l) for l in open(sys.argv[3])]
ok_ids = [r["id"] for r in records if r["status"] == 200]
delivered = set(ok_ids)
lost = written - delivered
failed = sum(1 for r in records if r["status"] != 200)
print(f"soak: {$DURATION} s, {$FILES} files, {$ENDPOINTS} endpoints, interval {$INTERVAL} s; "
      f"{$CHURNED} file changes, {$FLIPS} endpoint flips, {$RELOADS} SIGHUP, {$KILLS} kill -9")
# The last daemon's life, after a warm-up of a fifth of it (caches fill, first scans).
last = samples[-1][2]
seg = [s for s in samples if s[2] == last]
seg = seg[len(seg) // 5:] or seg
def slope(xs, ys):
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return 0.0 if den == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 3600
cols = {"rss MiB": (3, 1 / 1024), "fds": (4, 1), "threads": (5, 1),
        "db MiB": (6, 1 / 2 ** 20), "wal MiB": (7, 1 / 2 ** 20)}
print(f"{'sample':<8} {'first':>9} {'last':>9} {'min':>9} {'max':>9} {'slope/h':>9}"
      f"   ({len(samples)} samples; slope: the last {seg[-1][0] - seg[0][0]} s, after the last"
      f" restart and a warm-up)")
flat = True
for name, (i, k) in cols.items():
    allv = [s[i] * k for s in samples]
    xs = [s[0] for s in seg]; ys = [s[i] * k for s in seg]
    sl = slope(xs, ys)
    print(f"{name:<8} {allv[0]:9.1f} {allv[-1]:9.1f} {min(allv):9.1f} {max(allv):9.1f} {sl:9.2f}")
    third = max(1, len(ys) // 3)
    early, late = sorted(ys[:third])[third // 2], sorted(ys[-third:])[third // 2]
    limit = {"rss MiB": early * 0.25 + 8, "fds": 8, "threads": 4}.get(name)
    if limit is not None and late - early > limit:
        print(f"  {name} grew from {early:.1f} to {late:.1f} (limit +{limit:.1f})"); flat = False
dups = len(ok_ids) - len(delivered)
print(f"events: {len(written)} written, {len(delivered & written)} delivered, {len(lost)} lost, "
      f"{dups} duplicates; receiver answered 503 to {failed} of {len(records)} requests")
print(f"integrity_check: {sys.argv[4]}")
sys.exit(0 if flat and not lost and sys.argv[4] == "ok" and written else 1)
PY
