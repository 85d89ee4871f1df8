#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/history_growth.sh: the state database after 30 simulated days at the default retention,
# for 2,000 endpoints and 100,000 files at 1-hour and 5-minute intervals (bench/history_growth).
# With BASE_REF set (e.g. BASE_REF=main), the same tool is also built against that commit
# (git archive into $BENCH_DIR/base-src) and measured beside the current build.
#   bench/history_growth.sh                 # SWEEPS=96: simulate 96 sweeps, project to 30 days
#   SWEEPS=all bench/history_growth.sh      # simulate every sweep of the 30 days (slow)
#   BASE_REF=main bench/history_growth.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BENCH_DIR=${BENCH_DIR:-/tmp/certvigil-bench}
DB_DIR=${DB_DIR:-/dev/shm}  # tmpfs: the size is the same, fsync does not set the pace
SWEEPS=${SWEEPS:-96}
BASE_REF=${BASE_REF:-}

mkdir -p "$BENCH_DIR"
if [ -z "${SKIP_BUILD:-}" ]; then
  cmake --build "$BUILD_DIR" --target history_growth >/dev/null
fi
tools=("current:$BUILD_DIR/bench/history_growth")
if [ -n "$BASE_REF" ]; then
  src="$BENCH_DIR/base-src"
  rm -rf "$src" && mkdir -p "$src"
  git -C "$ROOT" archive "$BASE_REF" | tar -x -C "$src"
  cp "$ROOT/bench/history_growth.cpp" "$ROOT/bench/api_paging.cpp" "$ROOT/bench/CMakeLists.txt" \
    "$src/bench/"
  cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$src/build" --target history_growth >/dev/null
  tools=("$BASE_REF:$src/build/bench/history_growth" "${tools[@]}")
fi

db="$DB_DIR/certvigil-history-growth-$$.db"
trap 'rm -f "$db" "$db-wal" "$db-shm"' EXIT
printf '| build | scenario | interval | sweeps simulated / in 30 days | scan rows after 30 days | MB after 1 sweep | MB after 30 days |\n'
printf '|---|---|---|---|---|---|---|\n'
for scenario in "endpoints 2000" "files 100000"; do
  for interval in 3600 300; do
    for entry in "${tools[@]}"; do
      name=${entry%%:*}
      tool=${entry#*:}
      rm -f "$db" "$db-wal" "$db-shm"
      args=("$db" $scenario "$interval")
      [ "$SWEEPS" = all ] || args+=("$SWEEPS")
      out=$("$tool" "${args[@]}")
      get() { awk -v k="$1" '$1 == k {print $2" "$3" "$4}' <<<"$out"; }
      first=$(awk '$1 == "db_bytes_after_first_sweep" {printf "%.1f", $2 / 1e6}' <<<"$out")
      sweeps=$(awk '$1 == "sweeps_simulated" {print $2" / "$4}' <<<"$out")
      printf '| %s | %s | %ss | %s | %s | %s | %s |\n' "$name" "$scenario" "$interval" \
        "$sweeps" "$(get scan_rows_30_days | awk '{print $1}')" "$first" \
        "$(get db_mb_30_days | awk '{print $1}')"
    done
  done
done
