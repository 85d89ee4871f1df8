#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shipped documentation keeps up with the binary and the config reference: the man pages
# render without groff warnings, certvigil(1) documents every option the binary's --help lists,
# certvigil.yaml(5) names every key of docs/CONFIGURATION.md, and the packaged config and the
# example config pass `certvigil config check`.
set -euo pipefail
SRC=${1:?usage: docs_files_test.sh SOURCE_DIR CERTVIGIL}
CERTVIGIL=${2:?usage: docs_files_test.sh SOURCE_DIR CERTVIGIL}
MAN1="$SRC/docs/man/certvigil.1"
MAN5="$SRC/docs/man/certvigil.yaml.5"
fail() { echo "FAIL: $*" >&2; exit 1; }

for page in "$MAN1" "$MAN5"; do
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || fail "groff warns about $page: $warnings"
done
echo "ok: both man pages render without warnings"

# The subcommands a --help lists (CLI11: a "Subcommands:" section, two-space indented names).
subcommands() {
  "$CERTVIGIL" "$@" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}'
}
# Every subcommand (one level of nesting: `config check`) and each of its long options, as the
# binary itself lists them, must be in the man page.
rendered=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$MAN1" 2>/dev/null)
commands=()
for cmd in $(subcommands); do
  nested=$(subcommands "$cmd")
  if [ -z "$nested" ]; then commands+=("$cmd"); fi
  for sub in $nested; do commands+=("$cmd $sub"); done
done
[ "${#commands[@]}" -ge 4 ] || fail "found only ${#commands[@]} subcommands in --help"
missing=0
for cmd in "${commands[@]}"; do
  grep -qF "certvigil $cmd" <<<"$rendered" || { echo "certvigil.1 lacks '$cmd'" >&2; missing=1; }
  # shellcheck disable=SC2086 # "config check" is two words on purpose
  for option in $("$CERTVIGIL" $cmd --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
    [ "$option" = "--help" ] && continue
    if ! grep -qF -- "$option" <<<"$rendered"; then
      echo "certvigil.1 does not document 'certvigil $cmd $option'" >&2
      missing=1
    fi
  done
done
[ "$missing" = 0 ] || fail "certvigil(1) misses commands or options"
echo "ok: certvigil(1) documents every option of: ${commands[*]}"

rendered5=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$MAN5" 2>/dev/null)
keys=$(grep -oE '^\| `[a-z_]+`' "$SRC/docs/CONFIGURATION.md" | tr -d '|` ' | sort -u)
[ "$(wc -w <<<"$keys")" -gt 30 ] || fail "found too few keys in CONFIGURATION.md"
for key in $keys; do
  grep -qw -- "$key" <<<"$rendered5" || { echo "certvigil.yaml(5) lacks key $key" >&2; missing=1; }
done
[ "$missing" = 0 ] || fail "certvigil.yaml(5) misses keys"
echo "ok: certvigil.yaml(5) names all $(wc -w <<<"$keys") keys of CONFIGURATION.md"

for config in etc/certvigil.packaged.yaml etc/certvigil.example.yaml; do
  "$CERTVIGIL" config check "$SRC/$config" || fail "$config does not pass config check"
done
