#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs clang-tidy 14 (Debian 12) with .clang-tidy over certvigil's .cpp files, using
# BUILD_DIR/compile_commands.json (a configured build tree is enough; generated sources are not
# checked). bugprone-* and cert-* findings are errors and fail the script; the other checks are
# printed as warnings.
#
# Usage: scripts/clang-tidy.sh [--all | --changed | --dirs "DIR..."] [BUILD_DIR]
#   (default: --changed, build)
#   --dirs     every .cpp file under the named directories (CI: the pure modules, every run)
#   --changed  the .cpp files changed since the merge-base with main or origin/main (or
#              CLANG_TIDY_BASE), uncommitted changes included, and the .cpp files that include
#              a changed header directly. What scripts/test.sh runs: the whole tree costs about
#              6.5 s of CPU per file, some 25 CPU-minutes.
#   --all      every .cpp file of the tree (modules, tests, bench)
# JOBS (default: nproc) files are checked in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=changed
DIRS=""
case "${1:-}" in
  --all) MODE=all; shift ;;
  --changed) shift ;;
  --dirs) MODE=dirs; DIRS=$2; shift 2 ;;
esac
BUILD_DIR=${1:-build}
JOBS=${JOBS:-$(nproc)}
CLANG_TIDY=${CLANG_TIDY:-clang-tidy-14}
command -v "$CLANG_TIDY" >/dev/null || CLANG_TIDY=clang-tidy
[ -f "$BUILD_DIR/compile_commands.json" ] ||
  { echo "clang-tidy: no $BUILD_DIR/compile_commands.json (configure first)" >&2; exit 1; }

# The tree's .cpp files that the build compiles (a file not in the database has no flags).
compiled=$(python3 - "$BUILD_DIR/compile_commands.json" "$PWD" <<'PY'
import json, os, sys
root = sys.argv[2] + "/"
for entry in json.load(open(sys.argv[1])):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    if path.startswith(root):
        print(path[len(root):])
PY
)
files=$(git ls-files '*.cpp' | grep -Fxf <(printf '%s\n' "$compiled") || true)

if [ "$MODE" = dirs ]; then
  # --dirs "checks core": every compiled .cpp file under these directories.
  pattern=$(printf '^(%s)/' "$(printf '%s' "$DIRS" | tr ' ' '|')")
  files=$(printf '%s\n' "$files" | grep -E "$pattern" || true)
fi
if [ "$MODE" = changed ]; then
  base=""
  for ref in ${CLANG_TIDY_BASE:-main origin/main}; do
    base=$(git merge-base HEAD "$ref" 2>/dev/null) && break
  done
  if [ -z "$base" ]; then
    echo "clang-tidy: no merge-base with ${CLANG_TIDY_BASE:-main or origin/main}; every file"
  else
    changed=$(git diff --name-only --diff-filter=d "$base" -- '*.cpp' '*.h' '*.def'; \
              git diff --name-only --diff-filter=d -- '*.cpp' '*.h' '*.def')
    selected=$(printf '%s\n' "$changed" | grep '\.cpp$' || true)
    # A changed header (or .def) brings in every .cpp file that includes it by path.
    for header in $(printf '%s\n' "$changed" | grep -v '\.cpp$' | sort -u); do
      selected+=$'\n'$(git grep -l -F "\"$header\"" -- '*.cpp' '*.h' || true)
    done
    files=$(printf '%s\n' "$selected" | sort -u | grep -Fxf <(printf '%s\n' "$files") || true)
  fi
fi
if [ -z "$files" ]; then
  echo "clang-tidy: no file to check ($MODE)"
  exit 0
fi
count=$(printf '%s\n' "$files" | wc -l)
echo "clang-tidy: $count file(s), $JOBS at a time ($MODE)"
LOG=$(mktemp -d /tmp/certvigil-tidy-XXXXXX)
trap 'rm -rf "$LOG"' EXIT

# One log per file, printed whole, so parallel runs do not interleave.
export CLANG_TIDY BUILD_DIR LOG
rc=0
printf '%s\n' "$files" | xargs -r -P "$JOBS" -I{} bash -c '
  log="$LOG/$(printf %s "$1" | tr / _).log"
  "$CLANG_TIDY" -p "$BUILD_DIR" --quiet "$1" >"$log" 2>&1 || echo "$1" >>"$log.failed"
  grep -v "warnings\? generated\.$" "$log" || true' _ {} || rc=$?

errors=$(cat "$LOG"/*.log | grep -c ': error: ' || true)
warnings=$(cat "$LOG"/*.log | grep -c ': warning: ' || true)
failed=$(cat "$LOG"/*.failed 2>/dev/null | sort || true)
echo "clang-tidy: $errors error(s), $warnings warning(s) in $count file(s)"
if [ -n "$failed" ] || [ "$rc" != 0 ]; then
  echo "clang-tidy: failed on:" $failed >&2
  exit 1
fi
