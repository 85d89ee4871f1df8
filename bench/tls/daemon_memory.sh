#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/tls/daemon_memory.sh: the daemon's memory per endpoint (issue 15, item 1). Sets up the
# loopback farm of bench/tls/make_farm.sh (one nginx on $COUNT ports) and, for each N of $SIZES:
#   starts `certvigil run` on N endpoints of the farm (interval 1h, state on $WORK, which should
#   be a tmpfs), triggers sweeps back to back with `POST /api/v1/scan` (the next once the
#   database's sum(scan_count) has grown by N: the sweep is recorded), and records VmRSS,
#   RssAnon, RssFile, Pss (smaps_rollup) and VmHWM after the sweeps of $CHECKPOINTS;
# then, in the same run, blackbox_exporter's VmHWM / VmRSS for one /probe sweep of the same
# $COUNT endpoints (bench/tls/blackbox_driver, 16 in flight). Prints the base (the smallest N),
# KB per endpoint beyond it and the ratio to blackbox's RSS; and the CPU of the daemon's
# triggered sweeps of the largest N (the mean of sweeps 2..last: probing, judging, recording)
# against blackbox's CPU for its sweep (issue 15's first row). Every process it starts is killed
# by PID on exit. Not part of CI.
#   SIZES="10 2000" CHECKPOINTS="1 5 15 50" BASE_PORT=27000 WORK=/dev/shm/certvigil-daemon-mem
#   MALLOC_ENV="MALLOC_ARENA_MAX=4" (extra environment for the daemon, an experiment)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${SIZES:-"10 2000"}
CHECKPOINTS=${CHECKPOINTS:-"1 5 15 50"}
BASE_PORT=${BASE_PORT:-27000}
BUILD_DIR=${BUILD_DIR:-build}
WORK=${WORK:-/dev/shm/certvigil-daemon-mem}
BLACKBOX=${BLACKBOX:-/usr/bin/prometheus-blackbox-exporter}
MALLOC_ENV=${MALLOC_ENV:-}
BLACKBOX_ROUNDS=${BLACKBOX_ROUNDS:-3}  # a fresh exporter each; its figures are their medians
COUNT=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)
SWEEPS=$(tr ' ' '\n' <<<"$CHECKPOINTS" | sort -n | tail -1)
SMALLEST=$(tr ' ' '\n' <<<"$SIZES" | sort -n | head -1)

ulimit -n "$(ulimit -Hn)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  nice -n 5 cmake --build "$BUILD_DIR" --target certvigil blackbox_driver >/dev/null
fi
rm -rf "$WORK"
mkdir -p "$WORK"
OUT=$WORK/results.txt

source bench/lib.sh
# The kB of one field of /proc/$1/status (VmRSS, RssAnon, RssFile, VmHWM).
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
pss_kb() { awk '$1 == "Pss:" {print $2}' "/proc/$1/smaps_rollup"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU seconds (user + system) the process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

pick_ports $((COUNT + 2))
API_PORT=$((BASE_PORT + COUNT))
BLACKBOX_PORT=$((API_PORT + 1))
FARM=$WORK/farm
bench/tls/make_farm.sh "$FARM" "$BASE_PORT" "$COUNT"
nginx -p "$FARM" -e "$FARM/error.log" -c "$FARM/nginx.conf" -g 'daemon off;' &
pids+=($!)
await_port $((BASE_PORT + COUNT - 1)) nginx
head -c 24 /dev/urandom | base64 >"$WORK/api.token"
chmod 600 "$WORK/api.token"

# config N: a daemon config watching the first N ports of the farm.
config() {
  cat <<YAML
listen: 127.0.0.1:$API_PORT
state_dir: $WORK/state-$1
interval: 1h
timeout: 5s
trust: {system: false, ca_files: [$FARM/root.pem]}
api: {token_file: $WORK/api.token}
endpoints:
YAML
  for ((p = BASE_PORT; p < BASE_PORT + $1; p++)); do echo "  - {address: 127.0.0.1:$p, servername: localhost}"; done
}
scans() { sqlite3 "$WORK/state-$1/certvigil.db" 'SELECT coalesce(sum(scan_count), 0) FROM scans' 2>/dev/null || echo 0; }
# await_scans N TARGET: polls (at most 10 min) until the database holds TARGET scans.
await_scans() {
  for _ in $(seq 6000); do
    [ "$(scans "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "daemon_memory.sh: the sweep of $1 endpoints did not finish" >&2
  exit 1
}
record() {  # record N SWEEP PID
  echo "daemon n=$1 sweep=$2 rss=$(status_kb "$3" VmRSS) anon=$(status_kb "$3" RssAnon)" \
    "file=$(status_kb "$3" RssFile) pss=$(pss_kb "$3") hwm=$(status_kb "$3" VmHWM)" \
    "threads=$(status_kb "$3" Threads) cpu=$(cpu_s "$3") load=$(load | tr ' ' ,)" | tee -a "$OUT"
  cp "/proc/$3/smaps" "$WORK/smaps-$1-$2"  # where the pages are: bench/tls/smaps_by_mapping.sh
}

run_daemon() {  # run_daemon N
  local n=$1
  config "$n" >"$WORK/certvigil-$n.yaml"
  # shellcheck disable=SC2086  # MALLOC_ENV: NAME=VALUE words
  env $MALLOC_ENV "$BUILD_DIR/certvigil" run --config "$WORK/certvigil-$n.yaml" \
    >"$WORK/daemon-$n.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  await_port "$API_PORT" certvigil
  await_scans "$n" "$n"  # the first sweep, at start
  sleep 1                 # its snapshot published
  local cpu_after_first
  cpu_after_first=$(cpu_s "$pid")
  for ((s = 1; s <= SWEEPS; s++)); do
    if ((s > 1)); then
      curl -sf -X POST -H "Authorization: Bearer $(cat "$WORK/api.token")" \
        "http://127.0.0.1:$API_PORT/api/v1/scan" >/dev/null
      await_scans "$n" $((n * s))
    fi
    if grep -qw "$s" <<<"$CHECKPOINTS"; then
      sleep 1  # the snapshot is published after the scans are recorded
      record "$n" "$s" "$pid"
    fi
  done
  if ((SWEEPS > 1)); then
    echo "sweepcpu n=$n sweeps=$((SWEEPS - 1)) cpu_per_sweep=$(awk -v a="$cpu_after_first" \
      -v b="$(cpu_s "$pid")" -v k=$((SWEEPS - 1)) 'BEGIN {printf "%.3f", (b - a) / k}')" | tee -a "$OUT"
  fi
  stop "$pid"
}

run_blackbox() {
  seq "$BASE_PORT" $((BASE_PORT + COUNT - 1)) | sed 's/^/127.0.0.1:/' >"$WORK/targets.txt"
  cat >"$WORK/blackbox.yml" <<CONF
modules:
  tls_connect:
    prober: tcp
    timeout: 5s
    tcp: {preferred_ip_protocol: ip4, tls: true,
          tls_config: {ca_file: $FARM/root.pem, server_name: localhost}}
CONF
  "$BLACKBOX" --config.file="$WORK/blackbox.yml" --web.listen-address="127.0.0.1:$BLACKBOX_PORT" \
    >"$WORK/blackbox.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  await_port "$BLACKBOX_PORT" blackbox_exporter
  "$BUILD_DIR/bench/tls/blackbox_driver" "$WORK/targets.txt" "$BLACKBOX_PORT" "$pid" \
    tls_connect 16 >"$WORK/blackbox.out"
  echo "blackbox n=$COUNT rss=$(status_kb "$pid" VmRSS) anon=$(status_kb "$pid" RssAnon)" \
    "file=$(status_kb "$pid" RssFile) pss=$(pss_kb "$pid") hwm=$(status_kb "$pid" VmHWM)" \
    "ok=$(awk '$1 == "ok" {print $2}' "$WORK/blackbox.out")" \
    "cpu=$(awk '$1 == "cpu_seconds" {print $2}' "$WORK/blackbox.out") load=$(load | tr ' ' ,)" |
    tee -a "$OUT"
  stop "$pid"
}

for n in $SIZES; do run_daemon "$n"; done
for _ in $(seq "$BLACKBOX_ROUNDS"); do run_blackbox; done

# The summary: base = the smallest N's RSS after the last sweep; KB per endpoint beyond it.
awk -v small="$SMALLEST" -v big="$COUNT" -v last="$SWEEPS" '
  function v(line, key,   i, kv) {
    for (i = 1; i <= split(line, f, " "); i++) { split(f[i], kv, "="); if (kv[1] == key) return kv[2] }
  }
  /^daemon/ && v($0, "sweep") == last { rss[v($0, "n")] = v($0, "rss"); pss[v($0, "n")] = v($0, "pss") }
  # the median of the blackbox rounds (insertion-sorted: a handful of values)
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /^blackbox/ { ++rounds; r[rounds] = v($0, "rss"); h[rounds] = v($0, "hwm"); p[rounds] = v($0, "pss"); c[rounds] = v($0, "cpu") }
  /^sweepcpu/ && v($0, "n") == big { sweep = v($0, "cpu_per_sweep") }
  END {
    bb = median(r, rounds); bbhwm = median(h, rounds); bbpss = median(p, rounds); bbcpu = median(c, rounds)
    printf "base (n=%d, after %d sweeps): %.1f MB RSS, %.1f MB PSS\n", small, last, rss[small] / 1024, pss[small] / 1024
    printf "n=%d after %d sweeps: %.1f MB RSS, %.1f MB PSS\n", big, last, rss[big] / 1024, pss[big] / 1024
    if (big > small) printf "per endpoint beyond the base: %.2f KB\n", (rss[big] - rss[small]) / (big - small)
    printf "blackbox_exporter, one sweep of %d (median of %d): %.1f MB RSS (VmHWM %.1f MB, PSS %.1f MB)\n", big, rounds, bb / 1024, bbhwm / 1024, bbpss / 1024
    printf "certvigil / blackbox RSS: %.2f\n", rss[big] / bb
    if (sweep > 0 && bbcpu > 0)
      printf "CPU a sweep of %d: certvigil %.2f s (the daemon), blackbox %.2f s: %.2fx fewer CPU-s\n", big, sweep, bbcpu, bbcpu / sweep
  }' "$OUT" | tee "$WORK/summary.txt"
