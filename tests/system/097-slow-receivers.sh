#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Slow receivers: a tarpit (accepts, reads the request, never answers) beside a good webhook
# receiver. New certificate files appear one by one, each a new event for both notifiers. The
# good receiver gets each event within a second of it being written (measured against a watcher
# that polls the outbox every 50 ms) while the tarpit's notifier times out, backs off and
# retries, and shows as failing in /metrics. SIGTERM with a tarpit request in flight ends the
# daemon well within the delivery timeout. After a restart with a normal receiver in place of
# the tarpit, both have every event of the outbox: none lost, none duplicated for the good one.
source "$(dirname "$0")/lib.sh"

GOOD_PID="" SLOW_PID="" WATCH_PID=""
cleanup_receivers() {
  for pid in "$GOOD_PID" "$SLOW_PID" "$WATCH_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
  cleanup
}
trap cleanup_receivers EXIT

PORT=$(free_port)
GOOD_PORT=$(free_port)
SLOW_PORT=$(free_port)
SECRET="whsec_$(head -c 24 /dev/urandom | base64)"
TIMEOUT=4     # the tarpit notifier's per-attempt timeout, seconds
EVENTS=8      # new files, one event each per notifier
RECEIVER="$(dirname "$0")/alerts_receiver.py"
DB="$WORK/state/certvigil.db"
mkdir -p "$WORK/certs" "$WORK/state"
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1s
trust: {system: false, ca_files: [$PKI/ec-root.crt]}
files:
  - path: $WORK/certs
notifiers:
  - {type: webhook, name: slow, url: "http://127.0.0.1:$SLOW_PORT/webhook", timeout: ${TIMEOUT}s}
  - {type: webhook, name: good, url: "http://127.0.0.1:$GOOD_PORT/webhook", timeout: ${TIMEOUT}s}
YAML

start_receiver() {  # start_receiver PORT LOG [--tarpit]: prints the PID
  python3 "$RECEIVER" --port "$1" --secret "$SECRET" --log "$2" "${@:3}" >"$2.out" 2>&1 &
  echo $!
}
GOOD_PID=$(start_receiver "$GOOD_PORT" "$WORK/good.jsonl")
SLOW_PID=$(start_receiver "$SLOW_PORT" "$WORK/tarpit.jsonl" --tarpit)
wait_for grep -q ready "$WORK/good.jsonl.out" || fail "good receiver did not start"
wait_for grep -q ready "$WORK/tarpit.jsonl.out" || fail "tarpit did not start"

start_daemon "$WORK/certvigil.yaml"
wait_for bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -qx ok" || fail "never healthy"
# When each event became visible in the outbox (the watcher's clock and the receivers' agree).
python3 - "$DB" "$WORK/seen.tsv" <<'PY' &
import sqlite3, sys, time
db, out = sys.argv[1], open(sys.argv[2], "a", buffering=1)
seen = set()
for _ in range(20 * 120):  # 2 minutes at most
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        for (uid,) in con.execute("SELECT uid FROM events WHERE notifier IS NULL"):
            if uid not in seen:
                seen.add(uid)
                out.write(f"{uid}\t{time.time()}\n")
        con.close()
    except sqlite3.Error:
        pass
    time.sleep(0.05)
PY
WATCH_PID=$!

for i in $(seq 1 $EVENTS); do
  cp "$PKI/leaf-20d-fullchain.pem" "$WORK/certs/service-$i.pem"  # expires_soon: one new event
  sleep 1.5
done
count_events() { sql "$DB" "SELECT count(*) FROM events WHERE notifier IS NULL"; }
ids_of() { python3 -c "import json,sys; [print(r['id']) for r in map(json.loads, open(sys.argv[1]))]" "$1"; }
all_good() { [ "$(ids_of "$WORK/good.jsonl" | sort -u | wc -l)" -ge "$(count_events)" ]; }
wait_for all_good || fail "the good receiver lacks events while the tarpit holds the other"
total=$(count_events)
[ "$total" -ge "$EVENTS" ] || fail "expected at least $EVENTS events, have $total"

# Latency of the good receiver: arrival - first seen in the outbox, per event.
latency=$(python3 - "$WORK/seen.tsv" "$WORK/good.jsonl" <<'PY'
import json, sys
seen = dict(l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l)
got = {}
for r in map(json.loads, open(sys.argv[2])):
    got.setdefault(r["id"], r["t"])
# Below the watcher's 50 ms resolution an event can arrive before the watcher sees it: 0.
lat = sorted(max(0.0, got[u] - float(t)) for u, t in seen.items() if u in got)
print(f"{len(lat)} {lat[len(lat) // 2]:.3f} {lat[-1]:.3f}")
PY
)
read -r measured median worst <<<"$latency"
echo "good receiver beside a tarpit: $measured events, latency median ${median}s, worst ${worst}s" \
  "(from the outbox, polled every 50 ms)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1.0 else 1)" "$worst" ||
  fail "the good receiver waited ${worst}s for an event (bound: 1 s)"

# The tarpit's notifier: several attempts, spaced by more than the timeout (backoff), failing.
attempts=$(wc -l <"$WORK/tarpit.jsonl")
[ "$attempts" -ge 2 ] || fail "the tarpit saw $attempts attempts; expected retries"
metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
grep -q 'certvigil_notifications_total{notifier="slow",result="retried"} [1-9]' <<<"$metrics" ||
  fail "retries of the slow notifier not counted"
grep -q 'certvigil_notifications_total{notifier="slow",result="delivered"} 0' <<<"$metrics" ||
  fail "the slow notifier cannot have delivered"
# The pending count is taken at scrape time, not by the slow notifier's thread between its
# attempts: the very scrape above already shows every event as pending.
grep -q "certvigil_outbox_pending{notifier=\"slow\"} $total\$" <<<"$metrics" ||
  fail "the slow notifier's events must all be pending: $(grep -E 'outbox|notifier="slow"' <<<"$metrics")"
grep -q 'certvigil_outbox_oldest_pending_age_seconds{notifier="slow"} [1-9]' <<<"$metrics" ||
  fail "no pending age for the slow notifier"
[ "$(grep -c 'notifier slow: delivery failed' "$WORK/daemon.log")" -eq 1 ] ||
  fail "the failing notifier must be logged once"
echo "tarpit: $attempts attempts of ${TIMEOUT}s each, all retried"

# SIGTERM while the tarpit holds a request: the daemon does not wait for the timeout.
wait_for bash -c "[ \$(wc -l <$WORK/tarpit.jsonl) -gt $attempts ]" || fail "no new tarpit attempt"
start=$(date +%s.%N)
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "SIGTERM exit code $?"
DAEMON_PID=""
stop_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)")
echo "SIGTERM with a tarpit request in flight: stopped in ${stop_s}s (timeout ${TIMEOUT}s)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$stop_s" "$TIMEOUT" ||
  fail "shutdown waited ${stop_s}s for the tarpit"

# The slow receiver comes back: after a restart, both have every event.
kill "$SLOW_PID"
wait "$SLOW_PID" 2>/dev/null || true
SLOW_PID=$(start_receiver "$SLOW_PORT" "$WORK/slow.jsonl")
wait_for grep -q ready "$WORK/slow.jsonl.out" || fail "slow receiver did not restart"
start_daemon "$WORK/certvigil.yaml"
delivered_to() {  # delivered_to NAME LOG: every event meant for NAME arrived
  sql "$DB" "SELECT uid FROM events WHERE notifier IS NULL OR notifier='$1'" | sort -u >"$WORK/$1.db"
  [ -f "$2" ] && ids_of "$2" | sort -u >"$WORK/$1.got" && [ -z "$(comm -23 "$WORK/$1.db" "$WORK/$1.got")" ]
}
wait_for delivered_to slow "$WORK/slow.jsonl" || fail "events lost for the slow notifier"
wait_for delivered_to good "$WORK/good.jsonl" || fail "events lost for the good notifier"
dups_good=$(ids_of "$WORK/good.jsonl" | sort | uniq -d | wc -l)
dups_slow=$(ids_of "$WORK/slow.jsonl" | sort | uniq -d | wc -l)
echo "after restart: good $(sort -u "$WORK/good.got" | wc -l) events ($dups_good duplicates)," \
  "slow $(sort -u "$WORK/slow.got" | wc -l) events ($dups_slow duplicates)"
[ "$dups_good" -eq 0 ] || fail "the good receiver got $dups_good events twice"
[ "$dups_slow" -eq 0 ] || fail "the slow receiver got $dups_slow events twice"
echo "097-slow-receivers: OK"
