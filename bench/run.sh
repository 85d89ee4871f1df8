#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/run.sh: the file-scan benchmark of issues 2 and 15. Builds, makes three trees (once,
# cached in $BENCH_DIR), and measures certvigil beside two peers in the same run:
#   (a) 100,000 files, copies of 100 distinct certificates
#   (b) 10,000 distinct certificates
#   (f) tree (a) without key identifiers: every file has a finding (a warning), so the first
#       scan also writes 100,000 findings and their alert events (the worst case)
# peers: reference_parse (PEM_read_bio_X509 + notAfter per file, the least any tool must do)
#        stat_walk (a plain recursive stat(): the floor for a rescan)
# Each figure is the median of $ROUNDS runs, alternating peer and certvigil.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/certvigil-bench}
ROUNDS=${ROUNDS:-3}
BUILD_DIR=${BUILD_DIR:-build}
# RelWithDebInfo: -O2, as shipped. SKIP_BUILD=1 measures what $BUILD_DIR already holds.
[ "${SKIP_BUILD:-0}" = 1 ] || BUILD_DIR=$BUILD_DIR scripts/build.sh >/dev/null
B=$BUILD_DIR/bench

mkdir -p "$BENCH_DIR"
# make_tree_once DIR ARGS...: a tree is made again only when its arguments changed.
make_tree_once() {
  local dir=$1
  shift
  [ -f "$dir/ca.pem" ] && [ "$(cat "$dir/.made-with" 2>/dev/null)" = "$*" ] && return
  rm -rf "$dir"
  "$B/make_tree" "$dir" "$@"
  echo "$*" >"$dir/.made-with"
}
make_tree_once "$BENCH_DIR/a" 100 1000 --key-ids
make_tree_once "$BENCH_DIR/b" 10000 1 --key-ids
make_tree_once "$BENCH_DIR/f" 100 1000

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { awk -v k="$1" '$1==k {print $2}'; }

declare -A fig
for tree in a b f; do
  T="$BENCH_DIR/$tree"
  "$B/stat_walk" "$T" >/dev/null  # warm the page cache: "cold" means a fresh process
  : >"$BENCH_DIR/$tree.ref" >"$BENCH_DIR/$tree.stat" >"$BENCH_DIR/$tree.cv"
  for _ in $(seq "$ROUNDS"); do
    "$B/reference_parse" "$T" | awk '{print $6}' >>"$BENCH_DIR/$tree.ref"
    "$B/stat_walk" "$T" | awk '{print $4}' >>"$BENCH_DIR/$tree.stat"
    rm -f "$BENCH_DIR/$tree.db"*
    "$B/scan_bench" "$T" "$T/ca.pem" "$BENCH_DIR/$tree.db" >"$BENCH_DIR/$tree.run"
    cat "$BENCH_DIR/$tree.run" >>"$BENCH_DIR/$tree.cv"
  done
  fig[$tree.ref]=$(median <"$BENCH_DIR/$tree.ref")
  fig[$tree.stat]=$(median <"$BENCH_DIR/$tree.stat")
  for k in cold_scan_seconds cold_scan_without_store_seconds warm_rescan_seconds metrics_render_ms \
           metrics_first_render_ms metrics_bytes peak_rss_mb rss_after_cold_scan_mb targets \
           certificates; do
    fig[$tree.$k]=$(field "$k" <"$BENCH_DIR/$tree.cv" | median)
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
cat <<REPORT
== certvigil file-scan benchmark ($(nproc) CPUs, median of $ROUNDS)
tree (a): ${fig[a.targets]} files, 100 distinct certificates
  cold scan (read, decode, chain, judge, SQLite)  ${fig[a.cold_scan_seconds]} s   (without SQLite ${fig[a.cold_scan_without_store_seconds]} s)   target <= 1.5 s
  warm rescan, nothing changed                    ${fig[a.warm_rescan_seconds]} s   stat walk ${fig[a.stat]} s   ratio $(ratio "${fig[a.warm_rescan_seconds]}" "${fig[a.stat]}")  target <= 2.0
  reference parse of every file                   ${fig[a.ref]} s
  /metrics, ${fig[a.certificates]} certificate series  ${fig[a.metrics_render_ms]} ms (first render ${fig[a.metrics_first_render_ms]} ms, ${fig[a.metrics_bytes]} bytes streamed)   target <= 50 ms
  peak RSS                                        ${fig[a.peak_rss_mb]} MB (${fig[a.rss_after_cold_scan_mb]} MB after the cold scan)   target < 150 MB
tree (b): ${fig[b.targets]} files, all distinct
  cold scan (read, decode, chain, judge, SQLite)  ${fig[b.cold_scan_seconds]} s   (without SQLite ${fig[b.cold_scan_without_store_seconds]} s)
  reference parse of every file                   ${fig[b.ref]} s   ratio $(ratio "${fig[b.cold_scan_seconds]}" "${fig[b.ref]}")  target <= 1.3
  peak RSS                                        ${fig[b.peak_rss_mb]} MB
tree (f): ${fig[f.targets]} files, 100 distinct, a warning on each (100,000 findings and events)
  cold scan (read, decode, chain, judge, SQLite)  ${fig[f.cold_scan_seconds]} s   (without SQLite ${fig[f.cold_scan_without_store_seconds]} s)
  warm rescan, nothing changed                    ${fig[f.warm_rescan_seconds]} s   stat walk ${fig[f.stat]} s
  /metrics                                        ${fig[f.metrics_render_ms]} ms (first render ${fig[f.metrics_first_render_ms]} ms)
  peak RSS                                        ${fig[f.peak_rss_mb]} MB (${fig[f.rss_after_cold_scan_mb]} MB after the cold scan)
REPORT
