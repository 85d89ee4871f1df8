#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""tests/corpus/run_corpus.py CERTVIGIL CORPUS_DIR [--json OUT] [--min-agreement N]
[--known-divergences FILE] [--jobs N]: judges every path-validation case of the corpus
(tests/corpus/make_corpus.py) with `certvigil check` and with `openssl verify`, and reports how
often each agrees with the case's expected result.

certvigil's verdict is its exit status: 2 (a critical finding) rejects, 0 or 1 accepts, 3 is an
error (counted apart). Report mode always exits 0; --min-agreement N exits 1 when certvigil agrees
in fewer than N cases; --known-divergences FILE (one case id per line, then a reason) exits 1 when a
case outside the list disagrees (listed cases that agree now are only reported, to be deleted)."""
import argparse
import calendar
import concurrent.futures
import datetime
import glob
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile


def load_cases(corpus_dir):
    cases = []
    for path in sorted(glob.glob(os.path.join(corpus_dir, "*.json"))):
        with open(path) as f:
            cases.append(json.load(f))
    return cases


def write_pems(workdir, case):
    """Writes trusted.pem, intermediates.pem (if any), peer.pem; returns their paths."""
    paths = {"trusted": os.path.join(workdir, "trusted.pem"),
             "peer": os.path.join(workdir, "peer.pem"), "chain": None}
    with open(paths["trusted"], "w") as f:
        f.write("".join(case["trusted_certs"]))
    with open(paths["peer"], "w") as f:
        f.write(case["peer_certificate"])
    if case["untrusted_intermediates"]:
        paths["chain"] = os.path.join(workdir, "intermediates.pem")
        with open(paths["chain"], "w") as f:
            f.write("".join(case["untrusted_intermediates"]))
    return paths


def role_of(case):
    return "client" if case["validation_kind"] == "CLIENT" else "server"


def certvigil_args(certvigil, case, paths):
    args = [certvigil, "check", "--json", "--revocation", "off", "--role", role_of(case),
            "--ca", paths["trusted"]]
    if paths["chain"]:
        args += ["--chain", paths["chain"]]
    if case.get("expected_peer_name"):
        args += ["--hostname", case["expected_peer_name"]["value"]]
    if case.get("validation_time"):
        args += ["--at", case["validation_time"]]
    return args + [paths["peer"]]


def findings_of(stdout):
    """(critical findings as 'code@position: message', other findings as 'code(severity)')."""
    try:
        doc = json.loads(stdout)
    except ValueError:
        return [], []
    found = [f for r in doc.get("results", []) for f in r.get("findings", [])]
    critical = [f"{f['code']}@{f.get('position')}: {f.get('message', '')}" for f in found
                if f.get("severity") == "critical"]
    others = [f"{f['code']}@{f.get('position')}({f.get('severity')})" for f in found
              if f.get("severity") != "critical"]
    return critical, others


def run_certvigil(certvigil, case, paths):
    proc = subprocess.run(certvigil_args(certvigil, case, paths), capture_output=True, text=True,
                          timeout=60)
    if proc.returncode == 3 or proc.returncode not in (0, 1, 2):
        verdict = "ERROR"
    else:
        verdict = "FAILURE" if proc.returncode == 2 else "SUCCESS"
    detail, others = findings_of(proc.stdout)
    if verdict == "ERROR":
        detail = [(proc.stdout + proc.stderr).strip().replace("\n", " | ")[:300]]
    return {"verdict": verdict, "exit": proc.returncode, "critical": detail, "other": others}


def epoch_of(rfc3339):
    when = datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")
    return str(calendar.timegm(when.timetuple()))


def openssl_args(case, paths):
    purpose = "sslclient" if case["validation_kind"] == "CLIENT" else "sslserver"
    args = ["openssl", "verify", "-purpose", purpose, "-CAfile", paths["trusted"]]
    if paths["chain"]:
        args += ["-untrusted", paths["chain"]]
    name = case.get("expected_peer_name")
    if name:
        args += ["-verify_ip" if name["kind"] == "IP" else "-verify_hostname", name["value"]]
    if case.get("validation_time"):
        args += ["-attime", epoch_of(case["validation_time"])]
    return args + [paths["peer"]]


def run_openssl(case, paths):
    proc = subprocess.run(openssl_args(case, paths), capture_output=True, text=True, timeout=60)
    ok = proc.returncode == 0 and proc.stdout.strip().endswith(": OK")
    errors = [line.strip() for line in (proc.stdout + proc.stderr).splitlines()
              if line.startswith("error") or "error " in line]
    return {"verdict": "SUCCESS" if ok else "FAILURE", "detail": "; ".join(errors)[:200]}


def judge(certvigil, case):
    workdir = tempfile.mkdtemp(prefix="cv-corpus-")
    try:
        paths = write_pems(workdir, case)
        cv = run_certvigil(certvigil, case, paths)
        ossl = run_openssl(case, paths)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"id": case["id"], "namespace": case.get("namespace", case["id"].split("::")[0]),
            "expected": case["expected_result"], "certvigil": cv, "openssl": ossl,
            "note": case.get("note"), "description": case.get("description", "")}


def agrees(result, who):
    return result[who]["verdict"] == result["expected"]


def print_table(results):
    spaces = sorted({r["namespace"] for r in results})
    print(f"{'namespace':<20} {'cases':>5} {'certvigil':>10} {'openssl':>8}")
    for ns in spaces:
        rs = [r for r in results if r["namespace"] == ns]
        print(f"{ns:<20} {len(rs):>5} {sum(agrees(r, 'certvigil') for r in rs):>10} "
              f"{sum(agrees(r, 'openssl') for r in rs):>8}")
    print(f"{'total':<20} {len(results):>5} {sum(agrees(r, 'certvigil') for r in results):>10} "
          f"{sum(agrees(r, 'openssl') for r in results):>8}")
    errors = [r for r in results if r["certvigil"]["verdict"] == "ERROR"]
    print(f"certvigil errors (exit 3 or other): {len(errors)}")


def print_disagreements(results):
    bad = [r for r in results if not agrees(r, "certvigil")]
    print(f"\ncertvigil disagrees with the expected result in {len(bad)} cases:")
    for r in bad:
        cv, ossl = r["certvigil"], r["openssl"]
        print(f"- {r['id']}: expected {r['expected']}, certvigil {cv['verdict']} "
              f"(exit {cv['exit']}), openssl {ossl['verdict']}"
              + (f" [{ossl['detail']}]" if ossl["detail"] else ""))
        for line in cv["critical"]:
            print(f"    {line}")
        if cv["other"]:
            print(f"    not critical: {', '.join(cv['other'])}")
        if r["note"]:
            print(f"    note: {r['note']}")


def read_known(path):
    known = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            cid, _, reason = line.partition(" ")
            known[cid] = reason.strip()
    return known


def gate_known(results, known):
    """(failures, notices): cases that disagree but are not listed fail the gate; listed cases
    that agree now, or are not in the corpus, are notices."""
    problems, notices = [], []
    ids = {r["id"] for r in results}
    for r in results:
        listed = r["id"] in known
        if not agrees(r, "certvigil") and not listed:
            problems.append(f"{r['id']}: disagrees and is not in the known divergences")
        if agrees(r, "certvigil") and listed:
            notices.append(f"{r['id']}: agrees now; delete its line from the known divergences")
    for cid in known:
        if cid not in ids:
            notices.append(f"{cid}: in the known divergences but not in the corpus")
    return problems, notices


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("certvigil")
    ap.add_argument("corpus_dir")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--min-agreement", type=int)
    ap.add_argument("--known-divergences")
    ap.add_argument("--jobs", type=int, default=2)
    opts = ap.parse_args()
    cases = load_cases(opts.corpus_dir)
    if not cases:
        sys.exit(f"no cases in {opts.corpus_dir}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        results = list(pool.map(lambda c: judge(opts.certvigil, c), cases))
    print_table(results)
    print_disagreements(results)
    if opts.json_out:
        with open(opts.json_out, "w") as f:
            json.dump(results, f, indent=1)
    status = 0
    agreed = sum(agrees(r, "certvigil") for r in results)
    if opts.min_agreement is not None and agreed < opts.min_agreement:
        print(f"\nFAIL: certvigil agrees in {agreed} cases, fewer than {opts.min_agreement}")
        status = 1
    if opts.known_divergences:
        problems, notices = gate_known(results, read_known(opts.known_divergences))
        print()
        for n in notices:
            print(f"NOTE: {n}")
        for p in problems:
            print(f"FAIL: {p}")
        status = 1 if problems else status
    sys.exit(status)


if __name__ == "__main__":
    main()
