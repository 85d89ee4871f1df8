#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/tls/run.sh: the TLS sweep benchmark of issue 3. Sets up a loopback farm of $COUNT TLS
# endpoints (one nginx, ECDSA P-256 leaf + intermediate, every probe a full handshake) and
# measures, alternately in the same run ($ROUNDS rounds, medians):
#   A  reference_probe (plain OpenSSL, threads): verification in the handshake, and once per leaf
#   B  blackbox_exporter's /probe, 16 requests in flight (its process's CPU and RSS)
#   C  certvigil_sweep (TlsProber::probeAll + facts and chain once per fingerprint)
#   D  `certvigil check --json` over every endpoint (CHECK=0 skips it)
# then the tarpit run: 25% of the endpoints replaced by servers that accept and never speak.
# Every server it starts is killed by PID on exit, also on error. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
COUNT=${COUNT:-2000}
TARPITS=$((COUNT / 4))
CONCURRENCY=${CONCURRENCY:-64}
SWEEP_THREADS=${SWEEP_THREADS:-1}  # >1: the sweep split over that many event loops (an experiment)
REF_THREADS=${REF_THREADS:-16}
INFLIGHT=16
TIMEOUT_MS=3000
BASE_PORT=${BASE_PORT:-20000}
BUILD_DIR=${BUILD_DIR:-build}
WORK=${BENCH_DIR:-/tmp/certvigil-tls-bench}
CHECK=${CHECK:-1}
BLACKBOX=${BLACKBOX:-/usr/bin/prometheus-blackbox-exporter}
SNI=localhost

ulimit -n "$(ulimit -Hn)"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
mkdir -p "$WORK/out"
rm -f "$WORK"/out/*
nice -n 5 cmake --build "$BUILD_DIR" --target reference_probe blackbox_driver >/dev/null
HAVE_CERTVIGIL=1
if ! nice -n 5 cmake --build "$BUILD_DIR" --target certvigil_sweep >"$WORK/build.log" 2>&1; then
  echo "run.sh: certvigil_sweep did not build (see $WORK/build.log): peers only" >&2
  HAVE_CERTVIGIL=0 CHECK=0
fi
if [ "$CHECK" = 1 ] && ! nice -n 5 cmake --build "$BUILD_DIR" --target certvigil >>"$WORK/build.log" 2>&1; then
  echo "run.sh: certvigil did not build (see $WORK/build.log): no \`check\` figure" >&2
  CHECK=0
fi
B=$BUILD_DIR/bench/tls

source bench/lib.sh
pick_ports $((COUNT + TARPITS + 1))
TARPIT_BASE=$((BASE_PORT + COUNT))
BLACKBOX_PORT=$((TARPIT_BASE + TARPITS))
FARM=$WORK/farm
rm -rf "$FARM"
bench/tls/make_farm.sh "$FARM" "$BASE_PORT" "$COUNT"

# healthy: every nginx port. tarpit: every fourth one replaced by a tarpit port.
seq "$BASE_PORT" $((BASE_PORT + COUNT - 1)) | sed 's/^/127.0.0.1:/' >"$WORK/healthy.txt"
awk -v t="$TARPIT_BASE" 'NR % 4 == 0 {print "127.0.0.1:" t + (NR / 4) - 1; next} {print}' \
  "$WORK/healthy.txt" >"$WORK/tarpit.txt"
cat >"$WORK/blackbox.yml" <<CONF
modules:
  tls_connect:
    prober: tcp
    timeout: 3s
    tcp:
      preferred_ip_protocol: ip4
      tls: true
      tls_config:
        ca_file: $FARM/root.pem
        server_name: $SNI
CONF

nginx -p "$FARM" -e "$FARM/error.log" -c "$FARM/nginx.conf" -g 'daemon off;' &
pids+=($!)
await_port $((BASE_PORT + COUNT - 1)) nginx

# Each run appends its "key value" lines to $WORK/out/NAME (one block per round).
run_reference() {
  "$B/reference_probe" "$WORK/healthy.txt" "$FARM/root.pem" "$1" "$REF_THREADS" "$SNI" \
    >>"$WORK/out/ref_$1"
}
run_blackbox() {
  "$BLACKBOX" --config.file="$WORK/blackbox.yml" --web.listen-address="127.0.0.1:$BLACKBOX_PORT" \
    >"$WORK/blackbox.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  await_port "$BLACKBOX_PORT" blackbox_exporter
  "$B/blackbox_driver" "$WORK/healthy.txt" "$BLACKBOX_PORT" "$pid" tls_connect "$INFLIGHT" \
    >>"$WORK/out/blackbox"
  stop "$pid"
}
run_certvigil() {
  "$B/certvigil_sweep" "$1" "$FARM/root.pem" "$SNI" "$CONCURRENCY" "$TIMEOUT_MS" "$SWEEP_THREADS" \
    >>"$WORK/out/$2"
}
# `certvigil check --json` over every endpoint: the whole CLI, startup and JSON output included.
run_check() {
  # shellcheck disable=SC2046  # one argument per endpoint
  /usr/bin/time -f "wall_seconds %e\nuser_seconds %U\nsystem_seconds %S\npeak_rss_kb %M" \
    -o "$WORK/check.time" "$BUILD_DIR/certvigil" check --json --ca "$FARM/root.pem" \
    --servername "$SNI" --timeout $((TIMEOUT_MS / 1000)) $(cat "$WORK/healthy.txt") \
    >"$WORK/check.json" || true
  awk -v n="$COUNT" -v ok="$(grep -c '"findings": \[\]' "$WORK/check.json")" '
    {v[$1] = $2} END {c = v["user_seconds"] + v["system_seconds"]
      printf "endpoints %d\nok %d\nwall_seconds %s\ncpu_seconds %.3f\n", n, ok, v["wall_seconds"], c
      printf "eps_per_cpu %.1f\npeak_rss_mb %.1f\n", n / c, v["peak_rss_kb"] / 1024}' \
    "$WORK/check.time" >>"$WORK/out/check"
}

uptime >"$WORK/out/load_before"
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  run_reference handshake
  run_reference once
  run_blackbox
  if [ "$HAVE_CERTVIGIL" = 1 ]; then run_certvigil "$WORK/healthy.txt" certvigil; fi
  if [ "$CHECK" = 1 ]; then run_check; fi
done

if [ "$HAVE_CERTVIGIL" = 1 ]; then
  echo "tarpit run" >&2
  bench/tls/tarpit.py "$TARPIT_BASE" "$TARPITS" 300 >/dev/null &  # lives 300 s at most
  pids+=($!)
  await_port $((TARPIT_BASE + TARPITS - 1)) tarpit.py
  run_certvigil "$WORK/tarpit.txt" tarpit || true  # fails by design: 25% time out
  stop "${pids[-1]}"
fi

uptime >"$WORK/out/load_after"
bench/tls/report.sh "$WORK" "$COUNT" "$TARPITS" "$CONCURRENCY" "$TIMEOUT_MS" "$ROUNDS" \
  "$REF_THREADS" "$INFLIGHT" "$CHECK"
