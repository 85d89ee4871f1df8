#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/tls/report.sh WORK COUNT TARPITS CONCURRENCY TIMEOUT_MS ROUNDS REF_THREADS INFLIGHT CHECK:
# prints bench/tls/run.sh's table from the "key value" files in WORK/out (medians over rounds)
# and the ratios issue 3 sets targets for. Can be re-run on a finished run's WORK.
set -euo pipefail
WORK=$1 COUNT=$2 TARPITS=$3 CONCURRENCY=$4 TIMEOUT_MS=$5 ROUNDS=$6 REF_THREADS=$7 INFLIGHT=$8
CHECK=$9

median() { sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]; else print "n/a"}'; }
# fig NAME KEY: the median of KEY over NAME's rounds ("n/a" when it never ran).
fig() {
  if [ -f "$WORK/out/$1" ]; then awk -v k="$2" '$1 == k {print $2}' "$WORK/out/$1" | median; else echo n/a; fi
}
# ratio A B: A / B to two decimals.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a"}'
}
# verdict VALUE >=|<= TARGET
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "n/a") { printf "n/a"; exit }
    ok = op == ">=" ? v + 0 >= t + 0 : v + 0 <= t + 0; printf "%s", ok ? "met" : "MISSED" }'
}
row() {
  printf '  %-44s %10s %8s %9s %6s\n' "$1" "$(fig "$2" eps_per_cpu)" "$(fig "$2" wall_seconds)" \
    "$(fig "$2" peak_rss_mb)" "$(fig "$2" ok)"
}
line() { printf '  %-52s %6s   target %s %-4s %s\n' "$1" "$2" "$3" "$4" "$(verdict "$2" "$3" "$4")"; }

cv_eps=$(fig certvigil eps_per_cpu)
cv_wall=$(fig certvigil wall_seconds)
bb_rss=$(fig blackbox peak_rss_mb)
cv_rss=$(fig certvigil peak_rss_mb)
echo "== certvigil TLS sweep benchmark: $COUNT endpoints on 127.0.0.1, $(nproc) CPUs, median of $ROUNDS"
echo "   (one nginx, ECDSA P-256 leaf + intermediate, no tickets or session cache: full handshakes)"
echo "   load before: $(sed 's/.*load/load/' "$WORK/out/load_before" 2>/dev/null)"
echo "   load after:  $(sed 's/.*load/load/' "$WORK/out/load_after" 2>/dev/null)"
printf '  %-44s %10s %8s %9s %6s\n' prober "EPS/CPU-s" "wall s" "RSS MB" ok
row "reference, verify in handshake ($REF_THREADS thr)" ref_handshake
row "reference, verify once per leaf ($REF_THREADS thr)" ref_once
row "blackbox_exporter /probe ($INFLIGHT in flight)" blackbox
row "certvigil sweep (concurrency $CONCURRENCY)" certvigil
if [ "$CHECK" = 1 ]; then row "certvigil check --json (all endpoints)" check; fi
echo "  (CPU: the prober's own process; blackbox RSS is VmHWM of the exporter process)"
echo "ratios"
line "certvigil / blackbox, EPS per CPU-second" "$(ratio "$cv_eps" "$(fig blackbox eps_per_cpu)")" ">=" 1.3
line "certvigil / reference (verify once), EPS/CPU" "$(ratio "$cv_eps" "$(fig ref_once eps_per_cpu)")" ">=" 0.9
line "certvigil / reference (in handshake), EPS/CPU" \
  "$(ratio "$cv_eps" "$(fig ref_handshake eps_per_cpu)")" ">=" 0.9
line "sweep wall, certvigil / reference (once)" "$(ratio "$cv_wall" "$(fig ref_once wall_seconds)")" "<=" 1.2
line "sweep wall, certvigil / reference (handshake)" \
  "$(ratio "$cv_wall" "$(fig ref_handshake wall_seconds)")" "<=" 1.2
line "peak RSS, certvigil / blackbox ($cv_rss / $bb_rss MB)" "$(ratio "$cv_rss" "$bb_rss")" "<=" 1.0
if [ "$CHECK" = 1 ]; then
  line "check / blackbox, EPS per CPU-second" \
    "$(ratio "$(fig check eps_per_cpu)" "$(fig blackbox eps_per_cpu)")" ">=" 1.3
  line "check wall / reference (once)" \
    "$(ratio "$(fig check wall_seconds)" "$(fig ref_once wall_seconds)")" "<=" 1.2
  line "check peak RSS / blackbox ($(fig check peak_rss_mb) / $bb_rss MB)" \
    "$(ratio "$(fig check peak_rss_mb)" "$bb_rss")" "<=" 1.0
fi

tarpit_wall=$(fig tarpit wall_seconds)
bound=$(awk -v h="$cv_wall" -v t="$TARPITS" -v c="$CONCURRENCY" -v d="$TIMEOUT_MS" \
  'BEGIN {w = int((t + c - 1) / c); if (h == "n/a") print "n/a"; else printf "%.2f", h + w * d / 1000 + 1}')
echo "tarpit run: $((COUNT - TARPITS)) nginx endpoints + $TARPITS tarpits, deadline $((TIMEOUT_MS / 1000)) s, concurrency $CONCURRENCY"
echo "  sweep wall $tarpit_wall s; bound = healthy $cv_wall s + ceil($TARPITS/$CONCURRENCY) x $((TIMEOUT_MS / 1000)) s + 1 s = $bound s: $(verdict "$tarpit_wall" "<=" "$bound")"
echo "  ok $(fig tarpit ok) (expect $((COUNT - TARPITS))), timeouts $(fig tarpit failed_timeout) (expect $TARPITS), slowest probe $(fig tarpit slowest_probe_seconds) s, CPU $(fig tarpit cpu_seconds) s, RSS $(fig tarpit peak_rss_mb) MB"
