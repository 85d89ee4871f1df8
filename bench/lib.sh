# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# bench/lib.sh: what the bench scripts share, sourced after `set -euo pipefail`: the processes a
# script starts (in `pids`, killed by PID on exit), waiting for a port, finding a free range of
# ports. Messages name the script ($BENCH_NAME, default: the script's file name).
BENCH_NAME=${BENCH_NAME:-$(basename "$0")}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop PID: kills one server we started and forgets it.
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=()
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

listening() { ss -Hltn "sport = :$1" | grep -q .; }

# await_port PORT NAME [TENTHS]: polls (at most TENTHS x 0.1 s, default 300) until PORT
# listens; NAME names the server in the error.
await_port() {
  for _ in $(seq "${3:-300}"); do listening "$1" && return 0; sleep 0.1; done
  echo "$BENCH_NAME: $2 did not listen on $1" >&2
  exit 1
}

# pick_ports N: moves BASE_PORT (below the ephemeral range) to N free ports, trying 10 offsets.
pick_ports() {
  for _ in $(seq 10); do
    [ -z "$(ss -Hltn "( sport >= :$BASE_PORT and sport < :$((BASE_PORT + $1)) )")" ] && return 0
    BASE_PORT=$((BASE_PORT + $1))
  done
  echo "$BENCH_NAME: no free range of $1 ports" >&2
  exit 1
}
