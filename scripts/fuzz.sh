#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]: builds the libFuzzer targets (fuzz/, clang-14,
# ASan + UBSan) in build-fuzz/ (or $FUZZ_BUILD_DIR), replays every regression input in
# fuzz/regressions/<target>/, then fuzzes each target for SECONDS_PER_TARGET (default 20) from
# its seed corpus fuzz/corpus/<target>/, and prints executions and coverage (libFuzzer's cov:
# edges, ft: features) per target. New inputs go to a scratch corpus in the build dir, never
# into the repository. Exits non-zero on the first crash, leak or timeout; the input that did
# it is in $FUZZ_BUILD_DIR/fuzz-artifacts/<target>/ (add it to fuzz/regressions/<target>/ with
# the fix). FUZZ_NO_BUILD=1 skips configuring and building (the ctest `fuzz` test).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
all=(material keystore pem crl config starttls server_answer receiver discovery ari)
targets=("${all[@]}")
if [ $# -gt 0 ]; then targets=("$@"); fi

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCERTVIGIL_FUZZ=ON >/dev/null
  cmake --build "$build" --parallel "${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
printf '%-14s %12s %10s %8s %8s %7s\n' target executions exec/s cov ft corpus
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  work="$build/fuzz-work/$t"
  artifacts="$build/fuzz-artifacts/$t/"
  log="$build/fuzz-logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  regressions=(fuzz/regressions/"$t"/*)
  if [ -e "${regressions[0]}" ]; then
    if ! "$bin" "${regressions[@]}" >"$log.replay" 2>&1; then
      tail -n 30 "$log.replay"
      echo "fuzz: $t: a regression input crashes again (fuzz/regressions/$t/)" >&2
      exit 1
    fi
  fi
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $t crashed; the input is in $artifacts" >&2
    exit 1
  fi
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
  cov=$(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$last")
  ft=$(sed -E 's/.*ft: ([0-9]+).*/\1/' <<<"$last")
  corp=$(sed -E 's/.*corp: ([0-9]+).*/\1/' <<<"$last")
  printf '%-14s %12s %10s %8s %8s %7s\n' "$t" "$execs" "$rate" "$cov" "$ft" "$corp"
done
