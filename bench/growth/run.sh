#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/growth/run.sh: growth curves (issue 15, item 4). Runs the real daemon (`certvigil run`)
# on 1,000 / 10,000 / 100,000 file targets and on 100 / 1,000 / 10,000 TLS endpoints, one size at
# a time, and measures for each: the cold scan (start to /healthz ready), a warm sweep's CPU
# (triggered by POST /api/v1/scan) and so the CPU per hour at the default 1 h interval, RSS,
# the /metrics scrape, every API list's first, deepest-offset and deepest-cursor page, the
# status page's requests, and the database after 30 simulated days (bench/history_growth).
# Then bench/growth/report.py prints a table per kind with the exponent of each tenfold step,
# log10(cost at 10N / cost at N): 1 is linear.
#
#   bench/growth/run.sh                        # about 10 minutes on 2 CPUs (trees cached)
#   FILES="1000 10000" ENDPOINTS="" bench/growth/run.sh
#
# Files: make_tree trees of N files, N/10 distinct certificates (10 copies each, so that every
#   tenfold step is tenfold work of each kind), cached in $BENCH_DIR.
# Endpoints: one nginx (bench/tls/make_farm.sh) on N/$NAMES ports of 127.0.0.1, each asked under
#   $NAMES SNI names (one endpoint entry per address and name); started and killed by PID.
# The database is on /dev/shm. SKIP_BUILD=1 BUILD_DIR=... measures an existing build.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BENCH_DIR=${BENCH_DIR:-/tmp/certvigil-growth}
FILES=${FILES-1000 10000 100000}
ENDPOINTS=${ENDPOINTS-100 1000 10000}
NAMES=${NAMES:-5}                # SNI names per nginx port
WARM=${WARM:-3}                  # warm sweeps (median)
ROUNDS=${ROUNDS:-3}              # repeats of each page and scrape (median)
IDLE_S=${IDLE_S:-5}              # idle window for the CPU between sweeps
SETTLE_S=${SETTLE_S:-1}          # after a sweep is recorded, before its CPU is read
HISTORY_SWEEPS=${HISTORY_SWEEPS:-24}  # simulated sweeps, projected to 30 days
SWEEP_LIMIT=${SWEEP_LIMIT:-300}  # seconds any one wait may take
BASE_PORT=${BASE_PORT:-24000}
INTERVAL_S=3600                  # the default `interval` (docs/CONFIGURATION.md)
OUT=$BENCH_DIR/out
WORK=$BENCH_DIR/work
CERTVIGIL=$BUILD_DIR/certvigil
STATE=/dev/shm/certvigil-growth-$$

mkdir -p "$OUT" "$WORK"
if [ -z "${SKIP_BUILD:-}" ]; then
  cmake --build "$BUILD_DIR" --target certvigil make_tree history_growth >/dev/null
fi
ulimit -n "$(ulimit -Hn)"
# shellcheck source=bench/growth/measure.sh
source "$ROOT/bench/growth/measure.sh"

PID="" NGINX_PID=""
stop_pid() {  # stop_pid PID: TERM, then wait (bounded: KILL after 10 s)
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$PID"
  stop_pid "$NGINX_PID"
  rm -rf "$STATE" /dev/shm/certvigil-growth-hg-$$.db*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# write_config KIND N: the daemon's config for one size, defaults everywhere but the paths.
write_config() {
  local kind=$1 n=$2 p k
  {
    echo "listen: 127.0.0.1:$PORT"
    echo "state_dir: $STATE"
    echo "api: {token_file: $WORK/token}"
    if [ "$kind" = files ]; then
      echo "trust: {system: false, ca_files: [$(tree_dir "$n")/ca.pem]}"
      echo "files: [{path: $(tree_dir "$n")}]"
    else
      echo "trust: {system: false, ca_files: [$BENCH_DIR/farm/root.pem]}"
      echo "endpoints:"
      for ((p = BASE_PORT; p < BASE_PORT + n / NAMES; p++)); do
        for ((k = 0; k < NAMES; k++)); do
          echo "  - {address: 127.0.0.1:$p, servername: s$k.growth.test}"
        done
      done
    fi
  } >"$WORK/certvigil.yaml"
}

tree_dir() { echo "$BENCH_DIR/tree-$1"; }
make_tree() {
  local n=$1 dir
  dir=$(tree_dir "$n")
  [ -f "$dir/.done" ] && return 0
  rm -rf "$dir"
  "$BUILD_DIR/bench/make_tree" "$dir" $((n / 10)) 10 >/dev/null
  touch "$dir/.done"
}

# One nginx on the ports the largest endpoint size needs; all sizes use its first ports.
start_farm() {
  local max=0 n ports i
  for n in $ENDPOINTS; do ((n > max)) && max=$n; done
  ports=$((max / NAMES))
  for ((i = 0; i < 10; i++)); do
    [ -z "$(ss -Hltn "( sport >= :$BASE_PORT and sport < :$((BASE_PORT + ports)) )")" ] && break
    BASE_PORT=$((BASE_PORT + ports))
  done
  local san="IP:127.0.0.1" k
  for ((k = 0; k < NAMES; k++)); do san+=",DNS:s$k.growth.test"; done
  rm -rf "$BENCH_DIR/farm"
  SAN=$san bash "$ROOT/bench/tls/make_farm.sh" "$BENCH_DIR/farm" "$BASE_PORT" "$ports" >/dev/null
  nginx -p "$BENCH_DIR/farm" -e "$BENCH_DIR/farm/error.log" -c "$BENCH_DIR/farm/nginx.conf" \
    -g 'daemon off;' >/dev/null 2>&1 &
  NGINX_PID=$!
  for ((i = 0; i < 200; i++)); do
    ss -Hltn "sport = :$((BASE_PORT + ports - 1))" | grep -q . && return 0
    sleep 0.1
  done
  echo "growth: nginx did not listen" >&2
  exit 1
}

# The database after 30 simulated days at the default interval (no daemon: history_growth).
history_30_days() {
  local kind=$1 n=$2 db=/dev/shm/certvigil-growth-hg-$$.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$BUILD_DIR/bench/history_growth" "$db" "$kind" "$n" "$INTERVAL_S" "$HISTORY_SWEEPS" |
    awk '$1 == "db_mb_30_days" {print "db_mb_30_days", $2}' >>"$RESULT"
  rm -f "$db" "$db-wal" "$db-shm"
}

run_size() {
  local kind=$1 n=$2 start
  RESULT=$OUT/$kind-$n
  : >"$RESULT"
  echo "growth: $kind $n" >&2
  rm -rf "$STATE" && mkdir -p "$STATE"
  DB=$STATE/certvigil.db
  PORT=$(free_port)
  UNITS=$([ "$kind" = files ] && echo 1 || echo "$n")
  write_config "$kind" "$n"
  put load_start "$(load1)"
  start=$(now)
  "$CERTVIGIL" run --config "$WORK/certvigil.yaml" >"$WORK/daemon-$kind-$n.log" 2>&1 &
  PID=$!
  measure_cold "$start"
  measure_warm
  measure_metrics
  measure_api
  measure_status_page
  measure_db
  put load_end "$(load1)"
  stop_pid "$PID"
  PID=""
  history_30_days "$kind" "$n"
}

printf 'growth-curve-test-token-0123456789\n' >"$WORK/token"
chmod 600 "$WORK/token"
TOKEN=growth-curve-test-token-0123456789
rm -f "$OUT"/*
uptime >"$OUT/uptime_start"
for n in $FILES; do make_tree "$n"; done
for n in $FILES; do run_size files "$n"; done
if [ -n "$ENDPOINTS" ]; then
  start_farm
  for n in $ENDPOINTS; do run_size endpoints "$n"; done
fi
uptime >"$OUT/uptime_end"
python3 "$ROOT/bench/growth/report.py" "$OUT"
