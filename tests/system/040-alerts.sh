#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Alerts end to end with three notifiers: a signed webhook and a Slack-style receiver (python,
# verifying every signature and Slack's message shape) and a real Alertmanager (Debian's
# prometheus-alertmanager). A certificate crosses the warning threshold, then the critical one,
# then is renewed: each receiver gets exactly those transitions. The webhook receiver is down at
# first and the daemon is killed with SIGKILL after the event is written and before it is
# delivered: it is delivered after the restart, with the same id. Secrets never show up in the
# log, the metrics or the database.
# The daemon's test build, whose alert delivery CERTVIGIL_TEST_TIME_SCALE scales down (below;
# tests/system/time_scale_overrides.cpp). The certvigil binary reads no such variable.
CERTVIGIL=${CERTVIGIL_TIME_SCALED:?set by ctest}
source "$(dirname "$0")/lib.sh"

AM_PID=""
RECEIVER_PID=""
cleanup_alerts() {
  for pid in "$RECEIVER_PID" "$AM_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  cleanup
}
trap cleanup_alerts EXIT

command -v prometheus-alertmanager >/dev/null || fail "prometheus-alertmanager is not installed"
PORT=$(free_port)
AM_PORT=$(free_port)
HOOK_PORT=$(free_port)
SECRET="whsec_$(head -c 24 /dev/urandom | base64)"
SLACK_TOKEN="XOXB-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo -n "$SECRET" >"$WORK/webhook.secret"
echo "http://127.0.0.1:$HOOK_PORT/slack/T000/B000/$SLACK_TOKEN" >"$WORK/slack.url"
chmod 600 "$WORK/webhook.secret" "$WORK/slack.url"

# --- Alertmanager ------------------------------------------------------------------------
cat >"$WORK/am.yml" <<YAML
route:
  receiver: blackhole
  group_wait: 1s
receivers:
  - name: blackhole
YAML
prometheus-alertmanager --config.file="$WORK/am.yml" --storage.path="$WORK/am" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
  >"$WORK/am.log" 2>&1 &
AM_PID=$!
wait_for curl -sf "http://127.0.0.1:$AM_PORT/-/ready" || fail "alertmanager did not start"

# --- certvigil ---------------------------------------------------------------------------
mkdir -p "$WORK/certs"
cp "$PKI/leaf-20d-fullchain.pem" "$WORK/certs/service.pem"
write_config() {  # write_config CRITICAL_DAYS
  cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$PORT
state_dir: $WORK/state
interval: 1s
thresholds:
  warning: 28d
  critical: $1
trust:
  system: false
  ca_files: [$PKI/ec-root.crt]
files:
  - path: $WORK/certs
notifiers:
  - type: webhook
    name: hook
    url: http://127.0.0.1:$HOOK_PORT/webhook
    secret_file: $WORK/webhook.secret
    timeout: 2s
  - type: slack
    name: chat
    url_file: $WORK/slack.url
    timeout: 2s
  - type: alertmanager
    name: am
    url: http://127.0.0.1:$AM_PORT
YAML
}
write_config 7d
"$CERTVIGIL" config check "$WORK/certvigil.yaml" || fail "config check rejected the config"
# certvigil_time_scaled only: delivery intervals x0.02 (backoff cap 6 s, Alertmanager resend
# 1.2 s).
export CERTVIGIL_TEST_TIME_SCALE=0.02
DB="$WORK/state/certvigil.db"

start_daemon "$WORK/certvigil.yaml"
events_written() { [ "$(sql "$DB" "SELECT count(*) FROM events WHERE code='expires_soon'")" -ge 1 ]; }
wait_for events_written || fail "no event written for the expiring certificate"
FIRING_ID=$(sql "$DB" "SELECT uid FROM events WHERE code='expires_soon' AND kind='firing'")
[ -n "$FIRING_ID" ] || fail "no firing event"

# Alertmanager has the alert, with the documented labels.
am_alerts() { curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$WORK/am.json"; }
am_has() {  # am_has SEVERITY: an active CertificateExpiringSoon alert with that severity
  am_alerts && python3 - "$WORK/am.json" "$1" "$WORK/certs/service.pem" <<'PY'
import json, sys
alerts, severity, target = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
ok = [a for a in alerts if a["labels"].get("alertname") == "CertificateExpiringSoon"
      and a["labels"].get("severity") == severity and a["labels"].get("code") == "expires_soon"
      and a["labels"].get("target") == target and len(a["labels"].get("fingerprint", "")) == 64
      and a["annotations"].get("remedy") and a["annotations"].get("summary")
      and a["status"]["state"] == "active"]
sys.exit(0 if ok else 1)
PY
}
wait_for am_has warning || fail "Alertmanager never showed the warning alert with its labels"

# The webhook receiver is down: the event waits in the outbox. Kill -9 now.
cursor=$(sql "$DB" "SELECT coalesce((SELECT last_event_id FROM notifier_cursors WHERE notifier='hook'), 0)")
first_id=$(sql "$DB" "SELECT id FROM events WHERE uid='$FIRING_ID'")
[ "$cursor" -lt "$first_id" ] || fail "the webhook event was handled while its receiver was down"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""

python3 "$(dirname "$0")/alerts_receiver.py" --port "$HOOK_PORT" --secret "$SECRET" \
  --log "$WORK/received.jsonl" >"$WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
wait_for grep -q ready "$WORK/receiver.out" || fail "receiver did not start"
start_daemon "$WORK/certvigil.yaml"
received() {  # received PATH_PREFIX PYTHON_CONDITION_ON_r
  [ -f "$WORK/received.jsonl" ] && python3 - "$WORK/received.jsonl" "$1" "$2" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
r_ok = [r for r in records if r["path"].startswith(sys.argv[2]) and eval(sys.argv[3], {}, {"r": r})]
sys.exit(0 if r_ok else 1)
PY
}
wait_for received /webhook "r['id'] == '$FIRING_ID' and r['body']['status'] == 'firing'" ||
  fail "the event written before the kill -9 was not delivered after the restart"
wait_for received /slack "r['shape_ok'] and 'expires_soon' in r['body']['text']" ||
  fail "no Slack message of the documented shape"

# The certificate crosses the critical threshold (21 days now counts as critical).
write_config 21d
kill -HUP "$DAEMON_PID"
wait_for grep -q "configuration reloaded" "$WORK/daemon.log" || fail "reload not applied"
# An unchanged file keeps its judgement across a reload until its next horizon: touch it so
# it is judged again under the new thresholds now.
touch "$WORK/certs/service.pem"
wait_for received /webhook "r['body']['transition'] == 'severity_changed' and r['body']['severity'] == 'critical' and r['body']['previous_severity'] == 'warning'" ||
  fail "no severity_changed event"
wait_for am_has critical || fail "Alertmanager did not get the critical alert"

# Renewed: the finding resolves, the target presents another certificate.
cp "$PKI/leaf-server-fullchain.pem" "$WORK/certs/service.pem"
wait_for received /webhook "r['body']['status'] == 'resolved' and r['body']['code'] == 'expires_soon'" ||
  fail "no resolved event"
wait_for received /webhook "r['body']['transition'] == 'certificate_changed'" ||
  fail "no certificate_changed event"
am_resolved() { am_alerts && ! grep -q CertificateExpiringSoon "$WORK/am.json"; }
wait_for am_resolved || fail "the alert did not resolve in Alertmanager"

# Every webhook signature verified; every event of the database delivered at least once.
python3 - "$WORK/received.jsonl" <<'PY' || fail "a webhook request had a bad signature"
import json, sys
sys.exit(0 if all(r["valid"] for r in map(json.loads, open(sys.argv[1])) if r["path"] == "/webhook") else 1)
PY
delivered_all() {
  sql "$DB" "SELECT uid FROM events WHERE notifier IS NULL OR notifier='hook'" | sort -u >"$WORK/db.ids"
  python3 -c "import json,sys; [print(r['id']) for r in map(json.loads, open(sys.argv[1])) if r['path']=='/webhook']" \
    "$WORK/received.jsonl" | sort -u >"$WORK/got.ids"
  [ -z "$(comm -23 "$WORK/db.ids" "$WORK/got.ids")" ]
}
wait_for delivered_all || fail "events missing at the receiver: $(comm -23 "$WORK/db.ids" "$WORK/got.ids")"

# Visibility: counters, the outbox gauges, `certvigil events`.
curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt" || fail "no metrics"
grep -q 'certvigil_notifications_total{notifier="hook",result="delivered"} [1-9]' "$WORK/metrics.txt" ||
  fail "no delivered counter for the webhook"
grep -q 'certvigil_outbox_pending{notifier="am"}' "$WORK/metrics.txt" || fail "no outbox gauge"
promtool check metrics <"$WORK/metrics.txt" || fail "promtool check metrics failed"
"$CERTVIGIL" events --database "$DB" --json >"$WORK/events.json" || fail "certvigil events"
grep -q "$FIRING_ID" "$WORK/events.json" || fail "certvigil events lacks the firing event"

# Secrets: not in the log, the metrics, the events listing or the database.
key_hex=$(printf '%s' "${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')
for secret in "$SECRET" "$SLACK_TOKEN"; do
  for f in "$WORK/daemon.log" "$WORK/metrics.txt" "$WORK/events.json"; do
    ! grep -qF "$secret" "$f" || fail "a secret appears in $f"
  done
  ! sqlite3 "$DB" .dump | grep -qF "$secret" || fail "a secret appears in the database"
done
! sqlite3 "$DB" .dump | grep -qiF "$key_hex" || fail "the signing key appears in the database"

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"; rc=$?
DAEMON_PID=""
[ "$rc" -eq 0 ] || fail "SIGTERM exit code $rc"
echo "PASS"
