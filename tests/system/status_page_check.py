#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/system/status_page_check.py URL DB SCREENSHOT EVIL_NAME WORKDIR NEW_CERT CERT_DIR:
loads the status page in headless Chromium and checks it against the daemon's database: every
certificate row (order, target, fingerprint, subject, severity colour, days left), a finding-code
filter and a typed target filter, the expiry timeline (bars against the database, a click on a
bar filters the list), the detail view of two targets, that attacker-controlled text
stays text, that the page refreshes by itself (NEW_CERT is copied into CERT_DIR and a scan
requested with $CERTVIGIL_API_TOKEN), and that it raises no CSP violation or script error.
Saves screenshots (the page, a selected timeline bar, a phone-width dark one). Exit status 0 =
pass.
"""
import json
import os
import shutil
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402

ROWS_JS = """Array.from(document.querySelectorAll('#certs tbody tr')).map(tr => ({
  target_id: Number(tr.dataset.targetId), fingerprint: tr.dataset.fingerprint,
  severity: tr.dataset.severity, days: Number(tr.cells[0].textContent),
  subject: tr.cells[2].textContent, target: tr.cells[3].textContent,
  expired: tr.classList.contains('expired'),
  colour: getComputedStyle(tr.cells[0]).borderLeftColor}))"""

# Current observations as the API orders them (soonest notAfter, then by certificate, target id
# and position), with the worst active finding per certificate.
DB_ROWS = """
SELECT o.target_id, c.fingerprint, c.subject, t.name, c.not_after,
  (SELECT max(CASE f.severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END)
     FROM findings f WHERE f.target_id = o.target_id AND f.fingerprint = c.fingerprint
     AND f.resolved_at IS NULL) AS worst
FROM observations o JOIN certificates c ON c.id = o.certificate_id
JOIN targets t ON t.id = o.target_id
WHERE o.ended_at IS NULL {where}
ORDER BY c.not_after, c.id, o.target_id, o.position"""

SEVERITY = {None: "ok", 0: "info", 1: "warning", 2: "critical"}


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def db_rows(db, where="", args=()):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(DB_ROWS.format(where=where), args).fetchall()


def compare(page_rows, expected, what):
    got = [(r["target_id"], r["fingerprint"], r["subject"], r["target"]) for r in page_rows]
    want = [(r[0], r[1], r[2], r[3]) for r in expected]
    if got != want:
        fail(f"{what}: page rows differ from the database\n page: {json.dumps(got)}\n"
             f" db:   {json.dumps(want)}")
    now = time.time()
    for row, db in zip(page_rows, expected):
        if row["severity"] != SEVERITY[db[5]]:
            fail(f"{what}: {row['target']}: severity {row['severity']}, db says {SEVERITY[db[5]]}")
        days = (db[4] - now) // 86400
        if abs(row["days"] - days) > 1:
            fail(f"{what}: {row['target']}: {row['days']} days left, expected {days}")
        if row["expired"] != (db[4] < now):
            fail(f"{what}: {row['target']}: expired class is {row['expired']}")


def wait_filtered(browser, change_js):
    browser.evaluate("document.body.dataset.filtered = ''")
    browser.evaluate(change_js)
    browser.wait_for("document.body.dataset.filtered")
    return browser.evaluate(ROWS_JS)


def check_rows_and_filters(browser, db):
    rows = browser.evaluate(ROWS_JS)
    expected = db_rows(db)
    if len(expected) < 3:
        fail(f"the database holds only {len(expected)} certificates; the test needs more")
    compare(rows, expected, "all certificates")
    colours = {r["severity"]: r["colour"] for r in rows}
    if colours.get("critical") == colours.get("ok"):
        fail(f"critical and ok rows have the same colour: {colours}")
    print(f"page lists {len(rows)} certificates, as the database does")

    code_filter = ("(() => { const s = document.getElementById('f-code');"
                   " s.value = 'expired'; s.dispatchEvent(new Event('change')); })()")
    expired_rows = wait_filtered(browser, code_filter)
    expected = db_rows(db, "AND EXISTS (SELECT 1 FROM findings f WHERE f.target_id = o.target_id"
                           " AND f.fingerprint = c.fingerprint AND f.resolved_at IS NULL"
                           " AND f.code = 'expired')")
    compare(expired_rows, expected, "filter code=expired")
    if not expected:
        fail("the expired filter matches nothing; the test needs an expired certificate")
    print(f"finding filter: {len(expired_rows)} rows with 'expired'")

    browser.evaluate("document.getElementById('f-code').value = ''")
    browser.evaluate("document.getElementById('f-target').focus()")
    browser.evaluate("document.body.dataset.filtered = ''")
    browser.call("Input.insertText", text="fullchain")  # typed, as a person would
    browser.wait_for("document.body.dataset.filtered")
    typed_rows = browser.evaluate(ROWS_JS)
    compare(typed_rows, db_rows(db, "AND instr(t.name, ?) > 0", ("fullchain",)),
            "filter target~fullchain")
    if 'fullchain' not in browser.evaluate("location.hash"):
        fail("the filter is not kept in the URL fragment")
    print(f"target filter: {len(typed_rows)} rows")
    wait_filtered(browser, "document.getElementById('filters').reset()")


BARS_JS = """Array.from(document.querySelectorAll('#timeline rect.tl-bar')).map(r => ({
  bucket: Number(r.dataset.bucket), severity: r.dataset.severity, count: Number(r.dataset.count),
  x: Number(r.getAttribute('x')), height: Number(r.getAttribute('height')),
  fill: getComputedStyle(r).fill}))"""
WEEK = 7 * 86400


def expected_bars(db):
    """(bucket, severity) -> count from the database: 0 = expired, 1..13 = weeks from now."""
    now = time.time()
    counts = {}
    for row in db_rows(db):
        left = row[4] - now
        bucket = 0 if left < 0 else 1 + int(left // WEEK)
        if bucket <= 13:
            key = (bucket, SEVERITY[row[5]])
            counts[key] = counts.get(key, 0) + 1
    return counts


def check_timeline(browser, db, screenshot):
    """The SVG timeline: its bars match the database, sit in bucket order with heights
    proportional to their counts, and a click on a bar lists exactly that bucket's rows."""
    bars = browser.evaluate(BARS_JS)
    got = {(b["bucket"], b["severity"]): b["count"] for b in bars}
    want = expected_bars(db)
    if got != want:
        fail(f"timeline bars {sorted(got.items())} differ from the database {sorted(want.items())}")
    by_bucket = sorted(bars, key=lambda b: b["bucket"])
    if [b["x"] for b in by_bucket] != sorted(b["x"] for b in by_bucket):
        fail(f"bars are not in bucket order: {by_bucket}")
    unit = {round(b["height"] / b["count"], 3) for b in bars}
    if len(unit) != 1:
        fail(f"bar heights are not proportional to their counts: {bars}")
    fills = {b["severity"]: b["fill"] for b in bars}
    if len(set(fills.values())) != len(fills):
        fail(f"two severities share a colour: {fills}")
    print(f"timeline: {len(bars)} bars, {sum(got.values())} certificates, as the database says")

    totals = {}
    for (b, _), count in got.items():
        totals[b] = totals.get(b, 0) + count
    bucket = max(totals, key=lambda b: (totals[b], -b))
    click = ("document.querySelector('#timeline rect.tl-hit[data-bucket=\"%d\"]')"
             ".dispatchEvent(new MouseEvent('click', {bubbles: true}))" % bucket)
    rows = wait_filtered(browser, click)
    fragment = dict(kv.split("=", 1) for kv in
                    browser.evaluate("location.hash.slice(1)").split("&") if "=" in kv)
    before = urllib.parse.unquote(fragment.get("not_after_before", ""))
    start = urllib.parse.unquote(fragment.get("not_after_from", ""))
    if not before:
        fail(f"a click on bucket {bucket} set no window: {fragment}")
    where = "AND c.not_after < unixepoch(?)" + (" AND c.not_after >= unixepoch(?)" if start else "")
    args = (before, start) if start else (before,)
    compare(rows, db_rows(db, where, args), f"timeline bucket {bucket}")
    if len(rows) != totals[bucket]:
        fail(f"bucket {bucket}: {len(rows)} rows listed, the bar says otherwise")
    print(f"a click on bucket {bucket} lists its {len(rows)} certificates")
    browser.screenshot(screenshot.replace(".png", "-timeline-selected.png"))
    wait_filtered(browser, "document.getElementById('window-clear').click()")
    if "not_after" in browser.evaluate("location.hash"):
        fail("'show all' left the window in the URL fragment")


def open_detail(browser, target_id):
    """Clicks the first row of `target_id` and returns what the detail view shows."""
    browser.evaluate("document.getElementById('detail').dataset.targetId = ''")
    browser.evaluate(f"document.querySelector('#certs tbody tr[data-target-id=\"{target_id}\"]')"
                     ".click()")
    browser.wait_for("!document.getElementById('detail').hidden && "
                     f"document.getElementById('detail').dataset.targetId === '{target_id}'")
    return browser.evaluate("""(() => { const d = document.getElementById('detail');
      return {title: d.querySelector('h2').textContent,
              tables: d.querySelectorAll('table').length,
              chain: d.querySelectorAll('table')[0].tBodies[0].rows.length,
              history: d.querySelectorAll('table')[1].tBodies[0].rows.length,
              remedies: d.querySelectorAll('.remedy').length,
              acas: !!document.getElementById('detail-acas')}; })()""")


def check_detail(browser, db, target_id):
    detail = open_detail(browser, target_id)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        name, chain, findings = conn.execute(
            "SELECT t.name, (SELECT count(*) FROM observations o WHERE o.target_id = t.id"
            " AND o.ended_at IS NULL), (SELECT count(*) FROM findings f WHERE"
            " f.target_id = t.id AND f.resolved_at IS NULL) FROM targets t WHERE t.id = ?",
            (target_id,)).fetchone()
    if detail["title"] != name or detail["chain"] != chain or detail["remedies"] != findings:
        fail(f"detail view {detail} does not match the database ({name}, {chain}, {findings})")
    if detail["history"] < 1 or detail["acas"]:
        fail(f"detail view: history or client CA section wrong: {detail}")
    print(f"detail view of {name}: chain of {chain}, {findings} findings with remedies, history")
    return findings


def check_details_and_escaping(browser, db, evil_name):
    rows = browser.evaluate(ROWS_JS)
    expired = [r for r in rows if r["expired"]]
    if not expired or check_detail(browser, db, expired[0]["target_id"]) < 1:
        fail("no expired certificate with a finding to show in the detail view")
    evil = [r for r in rows if r["target"].endswith(evil_name)]
    if not evil:
        fail(f"no row for the file named {evil_name!r}: {[r['target'] for r in rows]}")
    check_detail(browser, db, evil[0]["target_id"])

    xss = browser.evaluate("[typeof window.__xss, document.images.length,"
                           " document.querySelectorAll('[onerror],[onmouseover]').length]")
    if xss != ["undefined", 0, 0]:
        fail(f"attacker-controlled text became markup: {xss}")
    print("names and subjects with markup stay text")


def check_refresh(browser, db, new_cert, cert_dir, scan_url):
    """A certificate added on disk shows up without reloading the page (30 s refresh)."""
    before = len(browser.evaluate(ROWS_JS))
    shutil.copy(new_cert, cert_dir)
    request = urllib.request.Request(scan_url, data=b"", method="POST", headers={
        "Authorization": "Bearer " + os.environ["CERTVIGIL_API_TOKEN"]})
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.status != 202:
            fail(f"POST /api/v1/scan answered {answer.status}")
    browser.wait_for(f"document.querySelectorAll('#certs tbody tr').length > {before}", timeout=45)
    compare(browser.evaluate(ROWS_JS), db_rows(db), "after the page refreshed itself")
    print(f"the page refreshed by itself: {before} -> {len(browser.evaluate(ROWS_JS))} rows")


def csp_violations(browser):
    browser.call("Runtime.evaluate", expression="1")  # collect pending events
    texts = []
    for event in browser.events:
        if event["method"] == "Log.entryAdded":
            texts.append(event["params"]["entry"].get("text", ""))
        elif event["method"] == "Runtime.consoleAPICalled":
            texts.extend(str(a.get("value", "")) for a in event["params"].get("args", []))
        elif event["method"] == "Runtime.exceptionThrown":
            texts.append(json.dumps(event["params"]["exceptionDetails"]))
    return [t for t in texts if "Content Security Policy" in t or "Uncaught" in t
            or "Refused" in t]


def main():
    url, db, screenshot, evil_name, workdir, new_cert, cert_dir = sys.argv[1:8]
    scan_url = url.rstrip("/") + "/api/v1/scan"
    browser = Browser(workdir)
    try:
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable")
        browser.call("Page.navigate", url=url)
        browser.wait_for("document.body && document.body.dataset.loaded")
        check_rows_and_filters(browser, db)
        check_timeline(browser, db, screenshot)
        check_details_and_escaping(browser, db, evil_name)
        check_refresh(browser, db, new_cert, cert_dir, scan_url)
        problems = csp_violations(browser)
        if problems:
            fail("the page logged errors or CSP violations: " + "; ".join(problems))
        browser.screenshot(screenshot)
        print(f"screenshot: {screenshot}")
        # A phone-width window, in the dark colour scheme.
        browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844,
                     deviceScaleFactor=2, mobile=True)
        browser.call("Emulation.setEmulatedMedia",
                     features=[{"name": "prefers-color-scheme", "value": "dark"}])
        browser.evaluate("document.getElementById('detail').hidden = true; window.scrollTo(0, 0);"
                         " window.dispatchEvent(new Event('resize'))")
        width = browser.evaluate("document.getElementById('timeline').getBoundingClientRect().width")
        if not 300 <= width <= 390:
            fail(f"the timeline is {width} px wide in a 390 px window")
        phone = screenshot.replace(".png", "-phone-dark.png")
        browser.screenshot(phone, viewport_only=True)
        print(f"screenshot: {phone}")
    finally:
        browser.stop()


if __name__ == "__main__":
    main()
