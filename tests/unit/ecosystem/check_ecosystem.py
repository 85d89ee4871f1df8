#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the files certvigil ships for the Prometheus ecosystem against the code and the docs,
so that none of them can drift:

  metric-names  every metric named in the alerting rules and the Grafana dashboard is listed in
                docs/METRICS.md and defined in exporters/prometheus/metric_families.h; every
                label they match, group or print is a label of those metrics
  dashboard     the dashboard is valid JSON with the panels it promises, and every query parses
                as PromQL (promtool check rules on the queries as recording rules)
  rules         promtool check rules + promtool test rules
  scaling       the prometheus.yml and alertmanager.yml in docs/SCALING.md pass
                promtool check config / amtool check-config

Usage: check_ecosystem.py SOURCE_DIR CHECK...   (exit 0 when every check passes)
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

RULES = "etc/prometheus/certvigil-rules.yml"
RULES_TEST = "tests/unit/ecosystem/certvigil-rules.test.yml"
DASHBOARD = "etc/grafana/certvigil-dashboard.json"
METRICS_DOC = "docs/METRICS.md"
FAMILIES_H = "exporters/prometheus/metric_families.h"
SCALING = "docs/SCALING.md"

# Labels Prometheus adds on every scrape, and the one docs/SCALING.md adds to /probe scrapes.
SCRAPE_LABELS = {"instance", "job", "prober"}
# Series Prometheus itself makes.
PROMETHEUS_METRICS = {"up": set()}
PROMQL_WORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "bool", "offset", "sum", "min", "max", "avg", "count", "topk", "bottomk", "count_values",
    "quantile", "stddev", "stdvar", "group", "time", "vector", "sort", "sort_desc", "rate",
    "irate", "increase", "delta", "abs", "absent", "clamp_min", "clamp_max", "label_replace",
    "histogram_quantile", "scalar", "timestamp", "changes", "resets", "max_over_time",
    "min_over_time", "avg_over_time", "last_over_time",
}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def documented_metrics(src):
    """{name: set(labels)} from the families table of docs/METRICS.md."""
    out = {}
    for line in (src / METRICS_DOC).read_text().splitlines():
        m = re.match(r"^\| `([a-z_:][a-z0-9_:]*)` \| (gauge|counter) \|([^|]*)\|", line)
        if m:
            out[m.group(1)] = {l.strip() for l in m.group(3).split(",") if l.strip()}
    if len(out) < 10:
        fail(f"{METRICS_DOC}: found only {len(out)} families in its table")
    return out


def coded_metrics(src):
    """Names of the families the exporter defines."""
    text = (src / FAMILIES_H).read_text()
    names = set(re.findall(r'FamilyDescriptor \w+\{\s*"([a-z_:][a-z0-9_:]*)"', text))
    if len(names) < 10:
        fail(f"{FAMILIES_H}: found only {len(names)} families")
    return names


def parse_expr(expr):
    """(metric names, {metric: matcher labels}, grouping labels) of a PromQL expression."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings cannot hide names
    text = re.sub(r"\$\w+", "x", text)  # Grafana variables
    matchers = {}
    for name, body in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}", text):
        labels = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", body))
        matchers.setdefault(name, set()).update(labels)
    grouping = set()
    for body in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)",
                           text):
        grouping.update(l.strip() for l in body.split(",") if l.strip())
    bare = re.sub(r"\{[^}]*\}", " ", text)
    bare = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", bare)
    bare = re.sub(r"\[[^\]]*\]", " ", bare)
    names = set()
    for token in re.findall(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)", bare):
        if token not in PROMQL_WORDS and token != "x" and not re.fullmatch(r"\d+[smhdwy]", token):
            names.add(token)
    return names, matchers, grouping


def check_expr(where, expr, documented, coded, extra_labels=()):
    names, matchers, grouping = parse_expr(expr)
    known = dict(documented, **PROMETHEUS_METRICS)
    allowed = set(SCRAPE_LABELS) | set(extra_labels)
    for name in names:
        if name not in known:
            fail(f"{where}: metric {name} is not in {METRICS_DOC}")
        elif name not in PROMETHEUS_METRICS and name not in coded:
            fail(f"{where}: metric {name} is documented but not defined in {FAMILIES_H}")
        else:
            allowed |= known[name]
    for name, labels in matchers.items():
        for label in labels - SCRAPE_LABELS - known.get(name, set()):
            fail(f"{where}: {name} has no label {label}")
    for label in grouping - allowed:
        fail(f"{where}: groups or joins on {label}, which none of its metrics has")
    return names, allowed


def load_rules(src):
    return yaml.safe_load((src / RULES).read_text())


def dashboard_targets(dashboard):
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            yield panel, target


def check_metric_names(src):
    documented, coded = documented_metrics(src), coded_metrics(src)
    seen = set()
    for group in load_rules(src)["groups"]:
        for rule in group["rules"]:
            where = f"{RULES}: {rule.get('alert', rule.get('record'))}"
            names, allowed = check_expr(where, rule["expr"], documented, coded)
            seen |= names
            allowed |= set(rule.get("labels", {}))
            for text in rule.get("annotations", {}).values():
                for label in set(re.findall(r"\$labels\.(\w+)", text)) - allowed:
                    fail(f"{where}: an annotation prints {label}, which its series lack")
    dashboard = json.loads((src / DASHBOARD).read_text())
    for panel, target in dashboard_targets(dashboard):
        names, _ = check_expr(f"{DASHBOARD}: panel {panel['title']!r}", target["expr"],
                              documented, coded)
        seen |= names
    for var in dashboard["templating"]["list"]:
        if var.get("type") == "query":
            query = re.sub(r"^label_values\((.*),\s*\w+\)$", r"\1", var["definition"])
            seen |= check_expr(f"{DASHBOARD}: variable {var['name']}", query, documented,
                               coded)[0]
    print(f"metric-names: {len(seen)} metrics named by the rules and the dashboard, "
          f"all documented and exported: {', '.join(sorted(seen))}")
    return seen


def run(cmd, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        fail(f"{' '.join(cmd)} exited {proc.returncode}:\n{out}")
    else:
        print(out)
    return proc.returncode == 0


def check_dashboard(src):
    dashboard = json.loads((src / DASHBOARD).read_text())  # raises on invalid JSON
    panels = dashboard.get("panels", [])
    ids = [p["id"] for p in panels]
    if len(ids) != len(set(ids)):
        fail(f"{DASHBOARD}: duplicate panel ids")
    if dashboard.get("uid") != "certvigil-overview":
        fail(f"{DASHBOARD}: uid changed (links to the dashboard would break)")
    exprs = {p["title"]: " ".join(t["expr"] for t in p["targets"]) for p in panels}
    promised = {  # what the issue promises, by the metric each panel must show
        "an expiry table": ("table", "certvigil_cert_not_after_timestamp_seconds"),
        "findings by code": (None, "certvigil_finding"),
        "probe success": (None, "certvigil_probe_success"),
        "scan durations": (None, "certvigil_scan_duration_seconds"),
    }
    for what, (panel_type, metric) in promised.items():
        if not any(metric in exprs[p["title"]] and (panel_type is None or p["type"] == panel_type)
                   for p in panels):
            fail(f"{DASHBOARD}: no panel shows {what} ({metric})")
    if not any("by (code" in e for e in exprs.values()):
        fail(f"{DASHBOARD}: findings are not broken down by code")
    # Every query must parse: promtool checks them as recording rules, variables replaced.
    rules = []
    for i, (panel, target) in enumerate(dashboard_targets(dashboard)):
        expr = target["expr"].replace("$job", ".+").replace("$instance", ".+")
        rules.append({"record": f"dashboard:query_{i}:check", "expr": expr})
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "queries.yml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
        run(["promtool", "check", "rules", str(path)])
    print(f"dashboard: {len(panels)} panels, {len(rules)} queries parse")


def check_rules(src):
    run(["promtool", "check", "rules", str(src / RULES)])
    run(["promtool", "test", "rules", RULES_TEST], cwd=src)
    alerts = [r for g in load_rules(src)["groups"] for r in g["rules"] if "alert" in r]
    for rule in alerts:
        annotations = rule.get("annotations", {})
        for key in ("summary", "description", "runbook"):
            if not annotations.get(key):
                fail(f"{RULES}: {rule['alert']} has no {key} annotation")
        if rule.get("labels", {}).get("severity") not in ("warning", "critical"):
            fail(f"{RULES}: {rule['alert']} has no severity label")
    tested = set(re.findall(r"alertname:\s*(\w+)", (src / RULES_TEST).read_text()))
    for rule in alerts:
        if rule["alert"] not in tested:
            fail(f"{RULES_TEST}: no test for {rule['alert']}")


def fenced_block(text, first_line):
    """The body of the ``` block whose first line is `first_line`."""
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        if block.startswith(first_line + "\n"):
            return block
    fail(f"{SCALING}: no code block starting with {first_line!r}")
    return None


def check_scaling(src):
    text = (src / SCALING).read_text()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        prometheus = fenced_block(text, "# prometheus.yml")
        if prometheus is not None:
            (tmp / "prometheus.yml").write_text(prometheus)
            shutil.copy(src / RULES, tmp / "certvigil-rules.yml")  # as the page says
            run(["promtool", "check", "config", str(tmp / "prometheus.yml")])
            config = yaml.safe_load(prometheus)
            probe = [j for j in config["scrape_configs"] if j.get("metrics_path") == "/probe"]
            if not probe or not any(r.get("action") == "hashmod"
                                    for r in probe[0].get("relabel_configs", [])):
                fail(f"{SCALING}: the prometheus.yml has no /probe job with hashmod relabeling")
        alertmanager = fenced_block(text, "# alertmanager.yml")
        if alertmanager is not None:
            (tmp / "alertmanager.yml").write_text(alertmanager)
            run(["amtool", "check-config", str(tmp / "alertmanager.yml")])
            rule_names = {r.get("alert") for g in load_rules(src)["groups"] for r in g["rules"]}
            for op, pattern in re.findall(r'alertname(=~|=)"([^"]+)"', alertmanager):
                regex = pattern if op == "=~" else re.escape(pattern)
                if not any(re.fullmatch(regex, name or "") for name in rule_names):
                    fail(f"{SCALING}: alertmanager.yml matches alert {pattern}, no rule's name")


CHECKS = {
    "metric-names": check_metric_names,
    "dashboard": check_dashboard,
    "rules": check_rules,
    "scaling": check_scaling,
}


def main(argv):
    if len(argv) < 3 or any(c not in CHECKS for c in argv[2:]):
        print(__doc__)
        return 2
    src = pathlib.Path(argv[1])
    for check in argv[2:]:
        CHECKS[check](src)
    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("ok: " + ", ".join(argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
