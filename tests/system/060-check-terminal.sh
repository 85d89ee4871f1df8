#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `certvigil check` on a terminal and off it: in a pseudo-terminal (script(1)) many targets
# show a progress line on stderr and the report is coloured; in a pipe neither appears; NO_COLOR
# turns colour off on a terminal too.
source "$(dirname "$0")/lib.sh"

targets=()
for i in $(seq 1 12); do
  cp "$PKI/leaf-expired.crt" "$WORK/expired-$i.pem"
  targets+=("$WORK/expired-$i.pem")
done
sgr=$'\033\\[[0-9;]*m'  # a colour escape (SGR)

# on_terminal OUT CMD...: runs CMD with stdin, stdout and stderr on a pseudo-terminal.
on_terminal() {
  local out=$1
  shift
  local cmd
  printf -v cmd '%q ' "$@"
  script -qec "$cmd" /dev/null </dev/null >"$out" 2>&1 || true
}

on_terminal "$WORK/tty.txt" "$CERTVIGIL" check "${targets[@]}"
grep -q 'certvigil: checked [0-9]* of 12 targets' "$WORK/tty.txt" ||
  fail "no progress line on a terminal: $(head -c 300 "$WORK/tty.txt")"
grep -qE "$sgr" "$WORK/tty.txt" || fail "no colour on a terminal"
grep -q '12 targets: 12 critical' "$WORK/tty.txt" || fail "the report is missing on a terminal"

rc=0
"$CERTVIGIL" check "${targets[@]}" >"$WORK/out.txt" 2>"$WORK/err.txt" || rc=$?
[ "$rc" = 2 ] || fail "exit code $rc, expected 2 (CRITICAL)"
grep -q 'checked' "$WORK/err.txt" && fail "progress written to a pipe"
grep -qE "$sgr" "$WORK/out.txt" && fail "colour written to a pipe"
grep -q '12 targets: 12 critical' "$WORK/out.txt" || fail "the report is missing in a pipe"
head -1 "$WORK/out.txt" | grep -q '^CERTVIGIL CRITICAL - 12 critical, 0 warning, 0 ok | ' ||
  fail "no plugin status line first: $(head -c 300 "$WORK/out.txt")"

on_terminal "$WORK/nocolor.txt" env NO_COLOR=1 "$CERTVIGIL" check "${targets[@]}"
grep -qE "$sgr" "$WORK/nocolor.txt" && fail "colour despite NO_COLOR"
grep -q 'checked [0-9]* of 12 targets' "$WORK/nocolor.txt" || fail "NO_COLOR hid the progress"

on_terminal "$WORK/few.txt" "$CERTVIGIL" check "${targets[0]}"
grep -q 'checked' "$WORK/few.txt" && fail "a progress line for one quick target"
echo "ok: progress and colour only on a terminal"
