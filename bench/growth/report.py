#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/growth/report.py OUT_DIR: the tables of bench/growth/run.sh from its "key value" files
(OUT_DIR/files-N, OUT_DIR/endpoints-N). For each kind, a row per figure, a column per size, and
the exponent of each tenfold step: log10(cost at 10N / cost at N); 1 is linear. Markdown."""
import math
import pathlib
import sys

INTERVAL_S = 3600  # the default `interval` (docs/CONFIGURATION.md)

# (label, key or function of the row's values, format)
FIGURES = [
    ("cold scan, wall (s)", "cold_wall_s", "{:.2f}"),
    ("cold scan, CPU (s)", "cold_cpu_s", "{:.2f}"),
    ("warm sweep, wall (s)", "warm_wall_s", "{:.2f}"),
    ("warm sweep, CPU (s)", "warm_cpu_s", "{:.2f}"),
    ("CPU per hour at `interval: 1h` (s)",
     lambda v: v["warm_cpu_s"] * 3600 / INTERVAL_S + v["idle_cpu_per_hour_s"], "{:.2f}"),
    ("RSS after the warm sweeps (MB)", "rss_mb", "{:.1f}"),
    ("peak RSS, VmHWM (MB)", "hwm_mb", "{:.1f}"),
    ("/metrics scrape, wall (ms)", "metrics_wall_ms", "{:.0f}"),
    ("/metrics scrape, gzip, wall (ms)", "metrics_gzip_wall_ms", "{:.0f}"),
    ("/metrics size (MB)", lambda v: v["metrics_bytes"] / 1e6, "{:.2f}"),
    ("slowest API page, wall (ms)", lambda v: slowest(v)[1], "{:.0f}"),
    ("slowest API page, daemon CPU (ms)", lambda v: v[slowest(v)[0] + "_cpu_ms"], "{:.0f}"),
    ("status page requests, wall (ms)", "status_page_wall_ms", "{:.0f}"),
    ("status page counts, wall (ms)", "status_counts_wall_ms", "{:.0f}"),
    ("database + WAL after the run (MB)",
     lambda v: v["db_mb_after_run"] + v.get("wal_mb_after_run", 0), "{:.1f}"),
    ("database after 30 simulated days (MB)", "db_mb_30_days", "{:.1f}"),
]


def slowest(values):
    """(key prefix, wall ms) of the slowest API page."""
    pages = [(k[: -len("_wall_ms")], v) for k, v in values.items()
             if k.startswith("api_") and k.endswith("_wall_ms")]
    return max(pages, key=lambda p: p[1]) if pages else ("none", float("nan"))


def load(out, kind):
    sizes = {}
    for path in out.glob(kind + "-*"):
        if "." in path.name:  # the table sizes beside each result
            continue
        values = {}
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            try:
                values[key] = float(value)
            except ValueError:
                pass
        sizes[int(path.name.split("-")[1])] = values
    return dict(sorted(sizes.items()))


def figure(values, how):
    try:
        return how(values) if callable(how) else values[how]
    except (KeyError, ZeroDivisionError):
        return float("nan")


def exponent(a, b, steps):
    if not (a > 0 and b > 0) or math.isnan(a) or math.isnan(b):
        return "–"
    return "{:.2f}".format(math.log10(b / a) / steps)


def table(kind, sizes):
    ns = list(sizes)
    pairs = list(zip(ns, ns[1:]))
    head = ["figure"] + ["{:,}".format(n) for n in ns]
    head += ["exp. {:,}→{:,}".format(a, b) for a, b in pairs]
    lines = ["### " + kind, "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for label, how, fmt in FIGURES:
        row = [figure(sizes[n], how) for n in ns]
        cells = [label] + ["–" if math.isnan(x) else fmt.format(x) for x in row]
        cells += [exponent(row[i], row[i + 1], math.log10(b / a))
                  for i, (a, b) in enumerate(pairs)]
        lines.append("| " + " | ".join(cells) + " |")
    loads = ["{:.1f}–{:.1f}".format(sizes[n].get("load_start", 0), sizes[n].get("load_end", 0))
             for n in ns]
    lines.append("| load average (1 min) at start–end | " + " | ".join(loads) +
                 " |" + " |" * len(pairs))
    return lines


def pages(kind, sizes):
    ns = list(sizes)
    keys = sorted({k[: -len("_wall_ms")] for v in sizes.values() for k in v
                   if k.startswith("api_") and k.endswith("_wall_ms")})
    head = ["API page ({}), wall / daemon CPU ms".format(kind)] + ["{:,}".format(n) for n in ns]
    lines = ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key in keys:
        cells = [key[len("api_"):]]
        for n in ns:
            v = sizes[n]
            cells.append("{:.0f} / {:.0f}".format(v[key + "_wall_ms"], v[key + "_cpu_ms"])
                         if key + "_wall_ms" in v else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main():
    out = pathlib.Path(sys.argv[1])
    for kind in ("files", "endpoints"):
        sizes = load(out, kind)
        if sizes:
            print("\n".join(table(kind, sizes) + pages(kind, sizes)) + "\n")
    for path in sorted(out.glob("*.tables")):
        print("largest tables and indexes, " + path.stem + ": " +
              "; ".join(line.replace("|", " ") for line in path.read_text().splitlines()))
    for name in ("uptime_start", "uptime_end"):
        if (out / name).exists():
            print(name + ":" + (out / name).read_text().rstrip())


if __name__ == "__main__":
    main()
