#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A packager's build: -DBUILD_TESTING=OFF configures without doctest (its CMake package is
# hidden here with CMAKE_DISABLE_FIND_PACKAGE_doctest) and defines no test or benchmark target.
# Building the whole daemon from nothing takes longer than CI should spend on this (see the
# report of issue 10), so the check configures, makes sure no test target exists, and builds one
# small library (certvigil_core); FULL=1 builds the certvigil binary as well.
# Usage: scripts/check-build-without-tests.sh [BUILD_DIR]   (default: build-notests)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-notests}
rm -rf "$BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DBUILD_TESTING=OFF -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON \
  -DCERTVIGIL_WERROR=ON >"$BUILD_DIR.configure.log" 2>&1 ||
  { cat "$BUILD_DIR.configure.log"; echo "FAIL: BUILD_TESTING=OFF does not configure without doctest"; exit 1; }
rm -f "$BUILD_DIR.configure.log"
targets=$(ninja -C "$BUILD_DIR" -t targets all)
for target in docs_test certvigil_test_support make_tree scan_bench certvigil_time_scaled; do
  if grep -qE "(^|/)$target: " <<<"$targets"; then
    echo "FAIL: BUILD_TESTING=OFF still defines $target"
    exit 1
  fi
done
grep -qE '(^|/)certvigil: ' <<<"$targets" || { echo "FAIL: no certvigil target"; exit 1; }
if [ -n "$(ctest --test-dir "$BUILD_DIR" -N | grep 'Test *#' || true)" ]; then
  echo "FAIL: BUILD_TESTING=OFF still registers tests"
  exit 1
fi
if [ "${FULL:-0}" = 1 ]; then
  cmake --build "$BUILD_DIR" --parallel "${JOBS:-$(nproc)}" --target certvigil
else
  cmake --build "$BUILD_DIR" --parallel "${JOBS:-$(nproc)}" --target certvigil_core
fi
echo "build without tests OK (no doctest, no test targets)"
