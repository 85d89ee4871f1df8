#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One command from a fresh Debian 12 checkout to a passing test suite: installs the
# dependencies, builds with warnings as errors, checks the format and clang-tidy (checks/ and
# core/, and the files changed since main), configures a build without tests (no doctest), runs
# every test (unit, integration, system, ecosystem), checks the systemd unit's hardening, builds,
# installs and purges the Debian package (root), then builds again with AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the unit tests, and last fuzzes every parser for a short
# while (clang-14 libFuzzer, fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (warnings are errors)"
BUILD_DIR=build scripts/build.sh -DCERTVIGIL_WERROR=ON
echo "== format"
scripts/check-format.sh
echo "== clang-tidy (bugprone-* and cert-* are errors; --all for the whole tree)"
# Every run: the modules that decide verdicts and hold the model (a clean checkout has no
# changed files to check); a branch also checks what it changed.
scripts/clang-tidy.sh --dirs "checks core" build
scripts/clang-tidy.sh --changed build
echo "== BUILD_TESTING=OFF without doctest (configure, one library)"
scripts/check-build-without-tests.sh build-notests
echo "== tests"
ctest --test-dir build --output-on-failure --timeout 600 -j "$(nproc)"

echo "== systemd unit hardening (systemd-analyze security, exposure <= 2.0)"
scripts/check-unit.sh
echo "== Debian package: cpack, dpkg -i, run, reinstall, dpkg --purge (needs root)"
scripts/package-test.sh build

echo "== unit tests and the TLS prober tests under ASan + UBSan"
# Only the unit-test executables and those labelled `sanitize` (the TLS prober against real
# servers: leaks, use after free) are built here; the rest is covered by the plain build above.
cmake -S . -B build-asan -G Ninja -DCERTVIGIL_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCERTVIGIL_SANITIZE=address,undefined >/dev/null
unit_targets=$(ctest --test-dir build-asan -N -L 'unit|sanitize' | awk '/Test +#/ && $3 !~ /_setup$/ {print $3}')
cmake --build build-asan --parallel "$(nproc)" --target $unit_targets
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L 'unit|sanitize' --output-on-failure --timeout 600 -j "$(nproc)"

echo "== fuzz: every libFuzzer target for 20 s under ASan + UBSan, regressions replayed first"
# Built with clang-14 in build-fuzz/ (CERTVIGIL_FUZZ=ON); the same run is the ctest test
# fuzz_short (label fuzz) in that build dir.
scripts/fuzz.sh 20
