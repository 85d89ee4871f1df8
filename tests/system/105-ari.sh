#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ACME renewal information (RFC 9773) end to end, against tests/support/ari_server.py on
# 127.0.0.1: leaves of a test ACME CA whose renewal windows are in the past, in the future, moved
# earlier while the daemon runs, and whose answers are a 500, a tarpit and garbage.
# `certvigil check --json` must say renewal_due exactly for a window that has started, ask with
# the RFC's certificate identifier, and turn every failed request into nothing (no finding, no
# critical) within its --timeout. The daemon must export the windows, see a window moved
# earlier, honour Retry-After (also across a restart, from SQLite) and count the requests. An
# endpoint (nginx serving the leaf whose window has started) is asked about like a file.
source "$(dirname "$0")/lib.sh"
SRC=${CERTVIGIL_SOURCE_DIR:?set by ctest}
ARI="$WORK/ari"
mkdir -p "$ARI"

echo "== a test ACME CA and its leaves (one serial with the high bit set)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$ARI/ca.key" \
  -out "$ARI/ca.pem" -days 3650 -subj "/CN=ARI Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
declare -A SERIAL=([past]=0x87654321 [future]=0x1002 [moved]=0x1003 [err500]=0x1004
  [tarpit]=0x1005 [garbage]=0x1006)
for name in "${!SERIAL[@]}"; do
  cat >"$ARI/$name.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:$name.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EXT
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$ARI/$name.key" \
    -out "$ARI/$name.csr" -subj "/CN=$name.test" 2>/dev/null
  openssl x509 -req -in "$ARI/$name.csr" -CA "$ARI/ca.pem" -CAkey "$ARI/ca.key" \
    -set_serial "${SERIAL[$name]}" -days 365 -extfile "$ARI/$name.ext" -out "$ARI/$name.pem" 2>/dev/null
done
AKI=$(openssl x509 -in "$ARI/ca.pem" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')
# certid NAME: RFC 9773 §4.1, computed here independently of certvigil.
certid() {
  local serial
  serial=$(openssl x509 -in "$ARI/$1.pem" -noout -serial | cut -d= -f2)
  python3 - "$AKI" "$serial" <<'PY'
import base64, sys
aki = bytes.fromhex(sys.argv[1].replace(":", ""))
hexserial = sys.argv[2] if len(sys.argv[2]) % 2 == 0 else "0" + sys.argv[2]
serial = bytes.fromhex(hexserial)
if serial[0] & 0x80:
    serial = b"\0" + serial  # the DER INTEGER's sign octet is part of the identifier
b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
print(b64(aki) + "." + b64(serial))
PY
}
declare -A ID
for name in "${!SERIAL[@]}"; do ID[$name]=$(certid "$name"); done
[[ ${ID[past]} == *.AIdlQyE ]] || fail "the identifier of serial 0x87654321 is ${ID[past]}"

# windows MOVED_START: the server's answers; the moved certificate's window starts then.
windows() {
  cat >"$ARI/windows.json.tmp" <<JSON
{"${ID[past]}": {"start": -86400, "end": 86400, "explanation": "https://ca.test/incident/42"},
 "${ID[future]}": {"start": 172800, "end": 259200, "retry_after": 3600},
 "${ID[moved]}": {"start": $1, "end": 259200, "retry_after": 1},
 "${ID[err500]}": {"status": 500},
 "${ID[tarpit]}": {"start": -86400, "end": 86400, "delay": 20},
 "${ID[garbage]}": {"body": "{\"suggestedWindow\": [1, 2"}}
JSON
  mv "$ARI/windows.json.tmp" "$ARI/windows.json"
}
windows 172800
python3 "$SRC/tests/support/ari_server.py" --windows "$ARI/windows.json" \
  --port-file "$ARI/port" >"$WORK/ari-server.log" 2>&1 &
ARI_PID=$!
stop_all() {
  kill "$ARI_PID" 2>/dev/null || true
  wait "$ARI_PID" 2>/dev/null || true
  stop_nginx
  cleanup
}
trap stop_all EXIT
wait_for test -s "$ARI/port" || fail "the ARI server did not start"
ARI_PORT=$(cat "$ARI/port")
DIRECTORY="http://127.0.0.1:$ARI_PORT/directory"
count() { curl -sf "http://127.0.0.1:$ARI_PORT/count/renewal-info/${ID[$1]}"; }
# An endpoint serving the leaf whose window has started: the probe path asks the CA too.
TLS_PORT=$(free_port)
start_nginx "$TLS_PORT" <<CONF
  server {
    listen 127.0.0.1:$TLS_PORT ssl;
    ssl_certificate $ARI/past.pem;
    ssl_certificate_key $ARI/past.key;
    location / { return 200 "hello\n"; }
  }
CONF

echo "== check --json: due, not due, and failures that raise nothing"
start=$(date +%s)
rc=0
"$CERTVIGIL" check --json --ca "$ARI/ca.pem" --timeout 2 --acme-directory "$DIRECTORY" \
  "$ARI"/{past,future,err500,tarpit,garbage}.pem --servername past.test "127.0.0.1:$TLS_PORT" \
  >"$WORK/check.json" || rc=$?
elapsed=$(( $(date +%s) - start ))
[ "$rc" -eq 1 ] || fail "check exited $rc, want 1 (WARNING: renewal_due only)"
[ "$elapsed" -le 8 ] || fail "check took ${elapsed}s with a tarpit ARI answer and --timeout 2"
python3 - "$WORK/check.json" "$ARI" "${ID[past]}" <<'PY' || fail "check --json"
import json, sys
doc, ari, past_id = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
by = {r["target"].rsplit("/", 1)[-1]: r for r in doc["results"]}
def codes(name): return [f["code"] for f in by[name]["findings"]]
def renewal(name): return by[name]["certificates"][0].get("renewal", {})
assert codes("past.pem") == ["renewal_due"], codes("past.pem")
f = by["past.pem"]["findings"][0]
assert f["severity"] == "warning", f
assert "https://ca.test/incident/42" in f["message"], f["message"]
assert renewal("past.pem")["cert_id"] == past_id, renewal("past.pem")
assert "window_start" in renewal("past.pem")
assert codes("future.pem") == [], codes("future.pem")
assert "window_start" in renewal("future.pem")
for name in ("err500.pem", "tarpit.pem", "garbage.pem"):
    assert codes(name) == [], (name, codes(name))
    assert renewal(name).get("problem"), (name, renewal(name))
    assert "window_start" not in renewal(name), (name, renewal(name))
assert "HTTP status 500" in renewal("err500.pem")["problem"]
assert "suggestedWindow" in renewal("garbage.pem")["problem"] or \
    "not a JSON" in renewal("garbage.pem")["problem"], renewal("garbage.pem")
endpoint = [r for r in doc["results"] if r["kind"] == "endpoint"]
assert len(endpoint) == 1 and [f["code"] for f in endpoint[0]["findings"]] == ["renewal_due"], \
    endpoint
crit = [f for r in doc["results"] for f in r["findings"] if f["severity"] == "critical"]
assert not crit, crit
PY

echo "== daemon: windows in /metrics, a window moved earlier, Retry-After, SQLite"
future_before=$(count future)  # asked by check already
moved_before=$(count moved)
mkdir -p "$WORK/leaves"
cp "$ARI"/{past,future,moved,err500}.pem "$WORK/leaves/"
LISTEN_PORT=$(free_port)
cat >"$WORK/certvigil.yaml" <<YAML
listen: 127.0.0.1:$LISTEN_PORT
state_dir: $WORK/state
interval: 1s
trust: {system: false, ca_files: [$ARI/ca.pem]}
revocation: {timeout: 2s}
acme:
  - aki: "$AKI"
    directory: $DIRECTORY
files:
  - path: $WORK/leaves
endpoints:
  - address: 127.0.0.1:$TLS_PORT
    servername: past.test
YAML
"$CERTVIGIL" config check "$WORK/certvigil.yaml" >/dev/null || fail "config check"
start_daemon "$WORK/certvigil.yaml"
metrics() { curl -sf "http://127.0.0.1:$LISTEN_PORT/metrics"; }
has_series() { metrics | grep -q "$1"; }
wait_for has_series "certvigil_ari_window_start_timestamp_seconds{[^}]*moved.pem" ||
  fail "no window for moved.pem in /metrics"
wait_for has_series "certvigil_ari_window_start_timestamp_seconds{source=\"endpoint\",target=\"127.0.0.1:$TLS_PORT" ||
  fail "no window for the endpoint: $(metrics | grep ari_window)"
body=$(metrics)
grep -q 'certvigil_finding{[^}]*code="renewal_due"[^}]*past.pem' <<<"$body" ||
  grep -q 'certvigil_finding{[^}]*past.pem[^}]*code="renewal_due"' <<<"$body" ||
  fail "no renewal_due for past.pem"
due=$(grep -c 'certvigil_finding{[^}]*renewal_due' <<<"$body" || true)
[ "$due" -eq 2 ] || fail "want 2 renewal_due series (past.pem, the endpoint) before the move, got $due"
grep -q "certvigil_ari_window_end_timestamp_seconds{[^}]*future.pem" <<<"$body" ||
  fail "no window end for future.pem"
! grep -q 'severity="critical"' <<<"$body" || fail "a critical finding: $(grep critical <<<"$body")"
grep -Eq 'certvigil_revocation_fetch_total\{kind="ari",result="error"\} [1-9]' <<<"$body" ||
  fail "the failing ARI answer is not counted"
grep -Eq 'certvigil_revocation_fetch_total\{kind="ari",result="ok"\} [1-9]' <<<"$body" ||
  fail "the ARI answers are not counted"

windows -3600  # the CA moves the window into the past (a revocation event)
moved_due() { metrics | grep 'renewal_due' | grep -q 'moved.pem'; }
wait_for moved_due || fail "the window moved earlier did not become renewal_due"
sleep 2  # a few more scans: the future window (Retry-After 3600) is not asked again
future_asked=$(( $(count future) - future_before ))
[ "$future_asked" -eq 1 ] || fail "the daemon asked about future.pem $future_asked times, Retry-After is 3600"
moved_asked=$(( $(count moved) - moved_before ))
[ "$moved_asked" -ge 2 ] || fail "the daemon asked about moved.pem $moved_asked times, Retry-After is 1"
kept=$(sql "$WORK/state/certvigil.db" "SELECT count(*) FROM ari_cache WHERE window_start IS NOT NULL")
[ "$kept" -eq 3 ] || fail "want 3 windows kept in SQLite, got $kept"

echo "== a restart honours the kept Retry-After"
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=""
start_daemon "$WORK/certvigil.yaml"
wait_for has_series "certvigil_ari_window_start_timestamp_seconds{[^}]*future.pem" ||
  fail "the restarted daemon shows no window for future.pem"
wait_for moved_due || fail "after the restart: moved.pem is not renewal_due"
future_asked=$(( $(count future) - future_before ))
[ "$future_asked" -eq 1 ] || fail "after a restart future.pem was asked again (Retry-After 3600)"
echo "ok"
