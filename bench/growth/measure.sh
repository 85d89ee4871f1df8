# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# bench/growth/measure.sh: sourced by bench/growth/run.sh. Measures one running daemon
# ($PID, listening on $PORT, database $DB, $UNITS configured entries, API token $TOKEN) and
# appends "key value" lines to $RESULT. Every wait is bounded by $SWEEP_LIMIT seconds.

now() { date +%s.%N; }
# CPU seconds of the whole process so far (utime + stime of every thread, the ended ones too).
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$PID/stat"; }
# CPU nanoseconds of the threads alive now (schedstat): fine enough for one HTTP request.
# (%.0f: mawk's %d stops at 2^31, 2.1 s.)
cpu_ns() { cat /proc/"$PID"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$PID/status"; }
put() { echo "$1 $2" >>"$RESULT"; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }

# Scans recorded so far (a run of unchanged scans counts each of them).
scans_recorded() {
  sqlite3 -readonly "$DB" 'SELECT coalesce(sum(scan_count), 0) FROM scans' 2>/dev/null || echo 0
}
wait_until() {  # wait_until CMD...: polls every 0.05 s, at most $SWEEP_LIMIT s
  local i
  for ((i = 0; i < SWEEP_LIMIT * 20; i++)); do
    if "$@"; then return 0; fi
    kill -0 "$PID" 2>/dev/null || { echo "growth: the daemon died" >&2; return 1; }
    sleep 0.05
  done
  echo "growth: gave up after $SWEEP_LIMIT s waiting for: $*" >&2
  return 1
}
healthy() { curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; }
grown_by() { [ "$(scans_recorded)" -ge "$1" ]; }

# The first sweep: from the process start until /healthz says every entry was scanned once.
measure_cold() {
  local start=$1
  wait_until healthy
  put cold_wall_s "$(elapsed "$start" "$(now)")"
  put cold_cpu_s "$(cpu_s)"
  put cold_rss_mb "$(awk -v k="$(status_kb VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')"
  wait_until grown_by "$UNITS"  # /healthz may answer before the last batch is committed
}

# WARM sweeps triggered by POST /api/v1/scan, one after the other; the medians are kept.
measure_warm() {
  local i before cpu0 t0 walls=() cpus=()
  for ((i = 0; i < WARM; i++)); do
    before=$(scans_recorded)
    cpu0=$(cpu_s) t0=$(now)
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$PORT/api/v1/scan"
    wait_until grown_by $((before + UNITS))
    walls+=("$(elapsed "$t0" "$(now)")")
    # What a sweep leaves to do after its record (publishing, trimming the heap) is its cost too.
    sleep "$SETTLE_S"
    cpus+=("$(elapsed "$cpu0" "$(cpu_s)")")
  done
  put warm_wall_s "$(printf '%s\n' "${walls[@]}" | median)"
  put warm_cpu_s "$(printf '%s\n' "${cpus[@]}" | median)"
  # Between sweeps: what the daemon costs while it waits (timers, nothing else should run).
  # Thread clocks in ns: the process's clock ticks (10 ms) are too coarse for a few seconds.
  cpu0=$(cpu_ns)
  sleep "$IDLE_S"
  put idle_cpu_per_hour_s "$(awk -v a="$cpu0" -v b="$(cpu_ns)" -v s="$IDLE_S" \
    'BEGIN {printf "%.3f", (b - a) / 1e9 * 3600 / s}')"
  put rss_mb "$(awk -v k="$(status_kb VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')"
  put hwm_mb "$(awk -v k="$(status_kb VmHWM)" 'BEGIN {printf "%.1f", k / 1024}')"
}

# timed URL [CURL_ARGS...]: "wall_ms cpu_ms" of one GET (cpu: the daemon's threads).
timed() {
  local url=$1 c0 wall c1
  shift
  c0=$(cpu_ns)
  wall=$(curl -sf -o "$WORK/body" -w '%{time_total}' "$@" "http://127.0.0.1:$PORT$url")
  c1=$(cpu_ns)
  awk -v w="$wall" -v a="$c0" -v b="$c1" 'BEGIN {printf "%.1f %.1f\n", w * 1000, (b - a) / 1e6}'
}
# page NAME URL [CURL_ARGS...]: the median of ROUNDS requests (by wall time).
page() {
  local name=$1 url=$2 i rows
  shift 2
  rows=$(for ((i = 0; i < ROUNDS; i++)); do timed "$url" "$@"; done | sort -g | awk '
    {w[NR] = $1; c[NR] = $2} END {m = int((NR + 1) / 2); print w[m], c[m]}')
  put "${name}_wall_ms" "${rows% *}"
  put "${name}_cpu_ms" "${rows#* }"
}

measure_metrics() {
  page metrics /metrics
  put metrics_bytes "$(stat -c %s "$WORK/body")"
  page metrics_gzip /metrics -H 'Accept-Encoding: gzip'
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or "")' "$WORK/body" "$1"; }
# "ROWS NEXT" of the page in $WORK/body (the list under key $1).
rows_next() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d[sys.argv[2]]), d.get("next") or "")' \
    "$WORK/body" "$1"
}

# The cursor of LIST's deepest page that has rows, walking 10,000 rows a request (bounded);
# "" when the list fits in one page.
deep_cursor() {
  local list=$1 cursor="" deep="" rows next i
  for ((i = 0; i < 200; i++)); do
    curl -sf -o "$WORK/body" -G "http://127.0.0.1:$PORT/api/v1/$list" --data-urlencode "limit=10000" \
      ${cursor:+--data-urlencode "after=$cursor"}
    read -r rows next < <(rows_next "$list")
    [ "$rows" -gt 0 ] || break
    deep=$cursor
    [ -n "$next" ] || break
    cursor=$next
  done
  echo "$deep"
}

# Each list: the first page, the deepest page by offset, the same depth by cursor (1,000 rows).
measure_api() {
  local list total cursor
  for list in targets certificates findings scans; do
    page "api_${list}_first" "/api/v1/$list?limit=1000"
    total=$(json_field total)
    put "api_${list}_total" "${total:-0}"
    page "api_${list}_offset" "/api/v1/$list?limit=1000&offset=$(((${total:-0} > 1000) ? total - 1000 : 0))"
    cursor=$(deep_cursor "$list")
    if [ -n "$cursor" ]; then
      page "api_${list}_cursor" "/api/v1/$list?limit=1000&after=$cursor"
    fi
  done
}

# What the status page asks for when it loads or refreshes (exporters/http/status_page.html:
# refresh()), one after the other: the browser sends them together, but the API's one database
# connection answers them in turn. The counts are the summary's requests of the page.
measure_status_page() {
  local counts=('/api/v1/certificates?severity=critical&limit=1'
    '/api/v1/certificates?severity=warning&limit=1' '/api/v1/certificates?limit=1')
  local extra=("${counts[@]}")
  curl -sf -o "$WORK/body" "http://127.0.0.1:$PORT/api/v1/status"
  if python3 -c 'import json,sys; sys.exit("summary" not in json.load(open(sys.argv[1])))' \
    "$WORK/body"; then
    counts=('/api/v1/status') extra=()  # the counts come with the status, from the snapshot
  fi
  local all=('/' '/api/v1/status' '/api/v1/certificates?limit=500' '/api/v1/timeline'
    "${extra[@]}" '/api/v1/findings?limit=1000') url i
  for ((i = 0; i < ROUNDS; i++)); do
    local sum_w=0 sum_c=0 cw=0 cc=0 w c
    for url in "${all[@]}"; do
      read -r w c < <(timed "$url")
      sum_w=$(awk -v a="$sum_w" -v b="$w" 'BEGIN {print a + b}')
      sum_c=$(awk -v a="$sum_c" -v b="$c" 'BEGIN {print a + b}')
    done
    for url in "${counts[@]}"; do
      read -r w c < <(timed "$url")
      cw=$(awk -v a="$cw" -v b="$w" 'BEGIN {print a + b}')
      cc=$(awk -v a="$cc" -v b="$c" 'BEGIN {print a + b}')
    done
    echo "$sum_w $sum_c $cw $cc"
  done | sort -g | awk '{r[NR] = $0} END {print r[int((NR + 1) / 2)]}' >"$WORK/status_page"
  read -r w c cw cc <"$WORK/status_page"
  put status_page_wall_ms "$w"
  put status_page_cpu_ms "$c"
  put status_counts_wall_ms "$cw"
  put status_counts_cpu_ms "$cc"
  page api_timeline /api/v1/timeline
}

# measure_db: the files' sizes, and the largest tables and indexes (dbstat) beside $RESULT.
measure_db() {
  sqlite3 -readonly "$DB" "SELECT name, printf('%.1f MB', sum(pgsize) / 1e6) FROM dbstat
    GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 8" >"$RESULT.tables" 2>/dev/null || true
  put db_mb_after_run "$(stat -c %s "$DB" | awk '{printf "%.1f", $1 / 1e6}')"
  put wal_mb_after_run "$(stat -c %s "$DB-wal" 2>/dev/null | awk '{printf "%.1f", $1 / 1e6}')"
}
