#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/system/judgement_cases.py CERTVIGIL PKI_DIR: the judgement cases of issue "judge the
whole path" through `certvigil check --json`, each beside the real `openssl verify` where
OpenSSL has a verdict. For every case it checks the exact (code, severity, position) set, a
phrase of the message where it matters, the OpenSSL verdict, and the differential: judged
for `--clients openssl` (or openssl-strict), certvigil is critical exactly when OpenSSL
rejects."""
import json
import os
import subprocess
import sys

CERTVIGIL, PKI = sys.argv[1], sys.argv[2]
FAILURES = []


def pki(name):
    return os.path.join(PKI, name)


def run_check(args):
    proc = subprocess.run([CERTVIGIL, "check", "--json", *args], capture_output=True, text=True)
    if proc.returncode == 3:
        raise RuntimeError(f"exit 3: {proc.stdout}{proc.stderr}")
    doc = json.loads(proc.stdout)
    findings = [f for r in doc["results"] for f in r["findings"]]
    return proc.returncode, findings, doc


def openssl_ok(args):
    proc = subprocess.run(["openssl", "verify", *args], capture_output=True, text=True)
    return proc.returncode == 0 and proc.stdout.strip().endswith(": OK")


def case(name, args, expect, phrase=None, openssl=None, openssl_expect=None, split=None):
    """expect: set of (code, severity, position or None). openssl: verify arguments.
    split: (clients, expected exit) for another client list."""
    try:
        rc, findings, _ = run_check(args)
        got = {(f["code"], f["severity"], f["position"]) for f in findings}
        want = {(c, s, p) for (c, s, p) in expect}
        loose = {(c, s) for (c, s, p) in expect if p is None}
        got_cmp = {g for g in got if (g[0], g[1]) not in loose} | {(c, s, None) for (c, s, p) in got if (c, s) in loose}
        if got_cmp != want:
            FAILURES.append(f"{name}: findings {sorted(got)} != {sorted(want)}")
        if phrase and not any(phrase in f["message"] for f in findings):
            FAILURES.append(f"{name}: no message says {phrase!r}: {[f['message'] for f in findings]}")
        if openssl is not None:
            ok = openssl_ok(openssl)
            if ok != openssl_expect:
                FAILURES.append(f"{name}: openssl verify {'accepts' if ok else 'rejects'}, expected otherwise")
            strict = "-x509_strict" in openssl
            clients = "openssl-strict" if strict else "openssl"
            crc, _, _ = run_check([*args, "--clients", clients])
            if (crc == 2) == ok:
                FAILURES.append(f"{name}: judged for {clients} exits {crc}, but openssl verify says {'OK' if ok else 'no'}")
        if split:
            clients, want_rc = split
            src, _, _ = run_check([*args, "--clients", clients])
            if src != want_rc:
                FAILURES.append(f"{name}: with --clients {clients} exit {src}, expected {want_rc}")
    except Exception as e:  # noqa: BLE001 - report and go on with the other cases
        FAILURES.append(f"{name}: {e}")


def verify(*extra, ca, chain, target, purpose="sslserver"):
    return ["-purpose", purpose, "-CAfile", pki(ca), "-untrusted", pki(chain), *extra, pki(target)]


SERVER = ["--role", "server"]

# 1-3: trust anchors. The path ends at an expired root unless the store holds the new one.
case("anchor expired", [*SERVER, "--ca", pki("j-old-root.crt"), "--hostname", "leaf.test",
                        pki("j-leaf-cross.pem")],
     {("expired", "critical", 3)}, "OpenSSL and Go reject it; Chromium and rustls accept it",
     verify("-verify_hostname", "leaf.test", ca="j-old-root.crt", chain="j-leaf-cross.pem",
            target="j-leaf-cross.pem"), False, split=("chromium,rustls", 1))
case("anchor expired, a current root also trusted", [*SERVER, "--ca", pki("j-both-roots.pem"),
                                                     pki("j-leaf-cross.pem")],
     set(), None, verify(ca="j-both-roots.pem", chain="j-leaf-cross.pem",
                         target="j-leaf-cross.pem"), True)
case("anchor not yet valid", [*SERVER, "--ca", pki("j-future-root.crt"),
                              pki("j-future-leaf-fullchain.pem")],
     {("not_yet_valid", "critical", 2)}, "(trust store)",
     verify(ca="j-future-root.crt", chain="j-future-leaf-fullchain.pem",
            target="j-future-leaf-fullchain.pem"), False)
# 4-6: intermediates from the chain file are judged like those in the file.
case("expired intermediate from --chain", [*SERVER, "--ca", pki("ec-root.crt"), "--chain",
                                           pki("j-int-expired.crt"), pki("j-leaf-under-expired.crt")],
     {("expired", "critical", 1)}, "(chain file)",
     verify(ca="ec-root.crt", chain="j-int-expired.crt", target="j-leaf-under-expired.crt"), False)
case("expired intermediate in a fullchain", [*SERVER, "--ca", pki("ec-root.crt"),
                                             pki("j-leaf-under-expired-fullchain.pem")],
     {("expired", "critical", 1)}, "intermediate CN=j-int-expired expired",
     verify(ca="ec-root.crt", chain="j-leaf-under-expired-fullchain.pem",
            target="j-leaf-under-expired-fullchain.pem"), False)
case("SHA-1 intermediate from --chain", [*SERVER, "--ca", pki("ec-root.crt"), "--chain",
                                         pki("j-int-sha1.crt"), pki("j-leaf-under-sha1.crt")],
     {("weak_signature", "critical", 1)}, "(chain file) is signed with SHA-1",
     # OpenSSL refuses it at security level 2 (Debian's default for TLS clients), which a bare
     # `openssl verify` does not apply: -auth_level 2 does.
     verify("-auth_level", "2", ca="ec-root.crt", chain="j-int-sha1.crt",
            target="j-leaf-under-sha1.crt"), False)
# 7-12: names as modern clients check them.
case("DNS name only in the CN", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", "cn.test",
                                 pki("j-cn-only-fullchain.pem")],
     {("hostname_mismatch", "critical", 0)}, "the name is only in its subject CN",
     verify("-verify_hostname", "cn.test", ca="ec-root.crt", chain="j-cn-only-fullchain.pem",
            target="j-cn-only-fullchain.pem"), True)
case("IP only in the CN", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", "127.0.0.1",
                           pki("j-cn-ip-fullchain.pem")],
     {("hostname_mismatch", "critical", 0)}, "only in its subject CN",
     verify("-verify_ip", "127.0.0.1", ca="ec-root.crt", chain="j-cn-ip-fullchain.pem",
            target="j-cn-ip-fullchain.pem"), False)
for host, covered in (("x.wild.test", True), ("a.b.wild.test", False), ("wild.test", False)):
    case(f"wildcard for {host}", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", host,
                                  pki("j-wild-fullchain.pem")],
         set() if covered else {("hostname_mismatch", "critical", 0)}, None,
         verify("-verify_hostname", host, ca="ec-root.crt", chain="j-wild-fullchain.pem",
                target="j-wild-fullchain.pem"), covered)
case("partial wildcard", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", "www.part.test",
                          pki("j-partial-fullchain.pem")],
     {("hostname_mismatch", "critical", 0)}, "only a partial wildcard matches it",
     verify("-verify_hostname", "www.part.test", ca="ec-root.crt",
            chain="j-partial-fullchain.pem", target="j-partial-fullchain.pem"), True)
for host in ("bücher.example", "BÜCHER.example", "XN--BCHER-KVA.example"):
    case(f"IDN {host}", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", host,
                         pki("j-idn-fullchain.pem")], set(), None,
         verify("-verify_hostname", "xn--bcher-kva.example", ca="ec-root.crt",
                chain="j-idn-fullchain.pem", target="j-idn-fullchain.pem"), True)
# 13-17: EKU down the path, CA leaves, conformance.
case("leaf that is a CA", [*SERVER, "--ca", pki("ec-root.crt"), "--hostname", "leaf.test",
                           pki("j-ca-leaf-fullchain.pem")],
     {("leaf_is_ca", "warning", 0)}, "rustls rejects it",
     verify("-verify_hostname", "leaf.test", ca="ec-root.crt", chain="j-ca-leaf-fullchain.pem",
            target="j-ca-leaf-fullchain.pem"), True)
case("leaf with anyExtendedKeyUsage only", [*SERVER, "--ca", pki("ec-root.crt"),
                                            pki("j-anyeku-fullchain.pem")],
     {("eku_server_auth_missing", "critical", 0)}, "OpenSSL and rustls reject it",
     verify(ca="ec-root.crt", chain="j-anyeku-fullchain.pem", target="j-anyeku-fullchain.pem"),
     False, split=("go,chromium", 1))
case("intermediate with clientAuth only", [*SERVER, "--ca", pki("ec-root.crt"),
                                           pki("j-leaf-under-clientonly-fullchain.pem")],
     {("eku_server_auth_missing", "critical", 1)}, "intermediate CN=j-int-clientonly",
     verify(ca="ec-root.crt", chain="j-leaf-under-clientonly-fullchain.pem",
            target="j-leaf-under-clientonly-fullchain.pem"), False)
case("trust anchor with clientAuth only", [*SERVER, "--ca", pki("j-root-clientonly.crt"),
                                           pki("j-leaf-under-clientonly-root-fullchain.pem")],
     {("eku_server_auth_missing", "critical", 2)}, "OpenSSL and Go reject it",
     verify(ca="j-root-clientonly.crt", chain="j-leaf-under-clientonly-root-fullchain.pem",
            target="j-leaf-under-clientonly-root-fullchain.pem"), False,
     split=("chromium,rustls", 1))
case("CA with non-critical basicConstraints", [*SERVER, "--ca", pki("ec-root.crt"),
                                               pki("j-leaf-under-noncritical-fullchain.pem")],
     {("nonconforming", "warning", 1)}, "basicConstraints is not marked critical",
     verify("-x509_strict", ca="ec-root.crt", chain="j-leaf-under-noncritical-fullchain.pem",
            target="j-leaf-under-noncritical-fullchain.pem"), False)
case("leaf without authorityKeyIdentifier", [*SERVER, "--ca", pki("ec-root.crt"),
                                             pki("j-noaki-fullchain.pem")],
     {("nonconforming", "warning", 0)}, "has no authorityKeyIdentifier",
     verify("-x509_strict", ca="ec-root.crt", chain="j-noaki-fullchain.pem",
            target="j-noaki-fullchain.pem"), False)
case("self-signed leaf in the server role", [*SERVER, "--ca", pki("ec-root.crt"),
                                             pki("leaf-selfsigned.crt")],
     {("untrusted_root", "critical", 0), ("self_signed", "info", 0)}, "is self-signed",
     verify(ca="ec-root.crt", chain="leaf-selfsigned.crt", target="leaf-selfsigned.crt"), False)
# 18-20: CRLs that cannot be trusted are not used: revocation_unknown, never revoked.
case("CRL signed by an issuer without cRLSign", [*SERVER, "--ca", pki("ec-root.crt"), "--crl",
                                                 pki("j-int-nocrlsign.crl"),
                                                 pki("j-leaf-under-nocrlsign-fullchain.pem")],
     {("revocation_unknown", "warning", 0)}, "lacks cRLSign")
case("CRL with an unknown critical extension", [*SERVER, "--ca", pki("ec-root.crt"), "--crl",
                                                pki("j-ec-int-critical.crl"),
                                                pki("leaf-server-fullchain.pem")],
     {("revocation_unknown", "warning", 0)}, "critical extension")
case("CRL from another issuer only", [*SERVER, "--ca", pki("ec-root.crt"), "--crl",
                                      pki("j-int-nocrlsign.crl"), pki("leaf-server-fullchain.pem")],
     {("revocation_unknown", "warning", 0)}, "none of the configured CRLs is from its issuer")
case("a good CRL still revokes", [*SERVER, "--ca", pki("ec-root.crt"), "--crl",
                                  pki("ec-int.crl"), pki("leaf-revoked-fullchain.pem")],
     {("revoked", "critical", 0)}, "keyCompromise")
# 21: --at judges as of another instant.
case("expires in 20 days, now", [*SERVER, "--ca", pki("ec-root.crt"), pki("j-20d-fullchain.pem")],
     {("expires_soon", "warning", 0)})
case("expires in 20 days, judged at +30d", [*SERVER, "--ca", pki("ec-root.crt"), "--at", "+30d",
                                            pki("j-20d-fullchain.pem")],
     {("expired", "critical", 0)}, "expired 10 days ago")

if FAILURES:
    print("\n".join(FAILURES))
    sys.exit(1)
print("judgement cases: all agree")
