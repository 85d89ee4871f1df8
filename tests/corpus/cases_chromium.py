# SPDX-License-Identifier: Apache-2.0
"""The `chromium` namespace of the path-validation corpus: cases reproducing the chains of
Chromium's / BoringSSL's path-validation tests (`verify_certificate_chain_unittest`, one
directory per chain, one `.test` file per way of verifying it). Only facts are taken from
them: what each chain looks like (which certificate has which validity, extension, key,
signature) and whether the browser verifier accepts it for the purpose and time given. The
certificates are made here, with this corpus's own helpers (make_corpus.py); case ids are
`chromium::DIRECTORY--TEST`.

Expected result: Chromium's verdict as a browser, which is the verifier's verdict for the
`SERVER_AUTH` / `CLIENT_AUTH` purposes with the trust anchor's own constraints not enforced
(Chromium's default for roots), and SHA-1 refused (`digest_policy: STRONG`). Cases that need a
verifier parameter certvigil cannot take are not reproduced; tests/corpus/README.md lists them.

`add_cases(mc)` is called by make_corpus.py with the make_corpus module itself."""
import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NS = "chromium"
UTC = datetime.timezone.utc
# The default chain of these tests is valid over one year and verified early in it; the
# windows keep that shape with this corpus's dates.
START = datetime.datetime(2025, 1, 1, tzinfo=UTC)
END = datetime.datetime(2030, 1, 1, tzinfo=UTC)
SHORT_START = datetime.datetime(2025, 3, 1, tzinfo=UTC)
SHORT_END = datetime.datetime(2025, 9, 1, tzinfo=UTC)
AFTER_SHORT = datetime.datetime(2025, 11, 2, 12, tzinfo=UTC)
BEFORE_SHORT = datetime.datetime(2025, 2, 1, 12, tzinfo=UTC)
AT = datetime.datetime(2026, 6, 1, tzinfo=UTC)

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
ANY_EKU = x509.ObjectIdentifier("2.5.29.37.0")
NETSCAPE_SGC = x509.ObjectIdentifier("2.16.840.1.113730.4.1")
UNKNOWN_EXT = x509.ObjectIdentifier("1.2.3.4.55738.9")
OK, FAIL = "SUCCESS", "FAILURE"
EVERYONE = ["openssl", "go", "chromium", "rustls"]


def who(accept=(), reject=()):
    return {"accept": list(accept), "reject": list(reject)}


ALL_OK = who(accept=EVERYONE)
ALL_FAIL = who(reject=EVERYONE)


class Builder:
    """Chromium-shaped chains: a root, an intermediate, a target with serverAuth+clientAuth."""

    def __init__(self, mc):
        self.mc = mc

    def root(self, cn="Root", **kw):
        kw.setdefault("not_before", START)
        kw.setdefault("not_after", END)
        return self.mc.root(cn, **kw)

    def inter(self, issuer, cn="Intermediate", **kw):
        kw.setdefault("not_before", START)
        kw.setdefault("not_after", END)
        return self.mc.inter(issuer, cn, **kw)

    def target(self, issuer, cn="Target", **kw):
        kw.setdefault("not_before", START)
        kw.setdefault("not_after", END)
        kw.setdefault("eku", [SERVER_AUTH, CLIENT_AUTH])
        kw.setdefault("san", [x509.DNSName("test.example")])
        kw.setdefault("key_usage", self.mc.ku(digital_signature=True, key_encipherment=True))
        return self.mc.leaf(issuer, cn, **kw)

    def chain(self, root_kw=None, inter_kw=None, target_kw=None):
        r = self.root(**(root_kw or {}))
        i = self.inter(r, **(inter_kw or {}))
        t = self.target(i, **(target_kw or {}))
        return r, i, t


def add_cases(mc):
    b = Builder(mc)

    def add(cid, expected, desc, *, trusted, peer, intermediates=(), kind="SERVER", at=AT,
            clients=None, note=None):
        mc.case(cid, NS, expected, desc, trusted=trusted, peer=peer,
                intermediates=intermediates, kind=kind, at=at, clients=clients, note=note)

    def three(cid, expected, desc, *, root_kw=None, inter_kw=None, target_kw=None,
              kind="SERVER", at=AT, clients=None, note=None):
        r, i, t = b.chain(root_kw, inter_kw, target_kw)
        add(cid, expected, desc, trusted=[r], intermediates=[i], peer=t, kind=kind, at=at,
            clients=clients, note=note)

    # ------------------------------------------------------------ plain chains
    three("target-and-intermediate--main", OK, "Root -> Intermediate -> Target", clients=ALL_OK)
    r, i, t = b.chain()
    add("target-and-intermediate--unspecified-trust-root", FAIL,
        "the chain's root is presented but has no trust; an unrelated root is trusted",
        trusted=[b.root("Other Root")], intermediates=[i, r], peer=t, clients=ALL_FAIL)
    r, i, t = b.chain()
    add("unknown-root--main", FAIL,
        "Root -> Intermediate -> Target; the root is neither trusted nor presented",
        trusted=[b.root("Other Root")], intermediates=[i], peer=t, clients=ALL_FAIL)
    r = b.root(key=mc.rsa_key(2048))
    i = b.inter(r, key=mc.ec_key())
    t = b.target(i, key=mc.rsa_key(2048))
    add("target-signed-using-ecdsa--main", OK,
        "RSA root and target; the intermediate has an EC key and signs the target with ECDSA",
        trusted=[r], intermediates=[i], peer=t, clients=ALL_OK)
    shadow = b.root("ShadowRoot")
    r = b.inter(shadow, "Root")
    i = b.inter(r)
    t = b.target(i)
    add("non-self-signed-root--main", OK,
        "the trusted 'root' is itself issued by an untrusted ShadowRoot (not self-signed)",
        trusted=[r], intermediates=[i], peer=t,
        clients=who(accept=["go", "chromium", "rustls"], reject=["openssl"]),
        note="OpenSSL accepts a non-self-signed anchor only with -partial_chain")

    # ------------------------------------------------------------ validity
    for where in ("intermediate", "target", "root"):
        for which, at in (("not-after", AFTER_SHORT), ("not-before", BEFORE_SHORT)):
            short = {"not_before": SHORT_START, "not_after": SHORT_END}
            kw = {"root_kw": None, "inter_kw": None, "target_kw": None}
            kw[{"intermediate": "inter_kw", "target": "target_kw", "root": "root_kw"}[where]] = short
            desc = (f"the {where} is valid 2025-03-01..2025-09-01, the others 2025..2030; "
                    f"verified {'after its notAfter' if which == 'not-after' else 'before its notBefore'}")
            if where == "root":
                three(f"expired-root--{which}", OK, desc, at=at, **kw,
                      clients=who(accept=["chromium", "rustls"], reject=["openssl", "go"]),
                      note="Chromium does not check a trust anchor's validity (unless the anchor "
                           "is configured with enforced constraints); OpenSSL and Go do")
            else:
                three(f"expired-{where}--{which}", FAIL, desc, at=at, **kw, clients=ALL_FAIL)

    # ------------------------------------------------------------ signatures
    r, i, t = b.chain()
    bogus = b.root("BogusRoot")
    add("incorrect-trust-anchor--main", FAIL,
        "Root -> Intermediate -> Target, but only an unrelated BogusRoot is trusted (and "
        "presented as the last certificate)", trusted=[bogus], intermediates=[i, bogus], peer=t,
        clients=ALL_FAIL)
    r, i, t = b.chain(inter_kw={"aki": False})
    bogus = b.root("Root")
    add("intermediate-wrong-signature-no-authority-key-identifier--main", FAIL,
        "the intermediate (no AKI) was signed by another 'Root' than the trusted one (same name, "
        "other key)", trusted=[bogus], intermediates=[i], peer=t, clients=ALL_FAIL)
    r, i, t = b.chain(target_kw={"aki": False})
    add("target-wrong-signature-no-authority-key-identifier--main", FAIL,
        "the target (no AKI) was signed by another 'Intermediate' key than the one presented",
        trusted=[r], intermediates=[b.inter(r, "Intermediate")], peer=t, clients=ALL_FAIL,
        note="the presented Intermediate has the right name and issuer but another key")
    r, i, t = b.chain()
    t = mc.corrupt_signature(t)
    add("target-wrong-signature--main", FAIL, "the target's signature does not verify",
        trusted=[r], intermediates=[i], peer=t, clients=ALL_FAIL)
    r, i, t = b.chain()
    i = mc.corrupt_signature(i)
    t = mc.corrupt_signature(t)
    add("intermediate-and-target-wrong-signature--main", FAIL,
        "neither the intermediate's nor the target's signature verifies", trusted=[r],
        intermediates=[i], peer=t, clients=ALL_FAIL)
    r, i, t = b.chain(inter_kw={"digest": hashes.SHA1()})
    add("intermediate-signed-with-sha1--main", FAIL, "the intermediate is signed with SHA-1",
        trusted=[r], intermediates=[i], peer=t,
        clients=who(accept=["openssl"], reject=["go", "chromium", "rustls"]),
        note="Chromium's test runs with digest_policy STRONG (the browser's): SHA-1 refused; "
             "bare openssl verify (level 1) accepts")
    r, i, t = b.chain(target_kw={"digest": hashes.SHA1()})
    add("target-signed-with-sha1--main", FAIL, "the target is signed with SHA-1", trusted=[r],
        intermediates=[i], peer=t,
        clients=who(accept=["openssl"], reject=["go", "chromium", "rustls"]),
        note="digest_policy STRONG; bare openssl verify (level 1) accepts")
    r = b.root(key=mc.rsa_key(2048))
    i = b.inter(r, key=mc.rsa_key(2048))
    t = b.target(i, key=mc.rsa_key(2048))
    mc.resign(i, r.key, lambda items: items, sig_alg=mc.MD5_RSA, digest=hashes.MD5())
    add("intermediate-signed-with-md5--main", FAIL, "the intermediate is signed with MD5",
        trusted=[r], intermediates=[i], peer=t, clients=ALL_FAIL)
    r = b.root(key=mc.rsa_key(2048))
    i = b.inter(r, key=mc.rsa_key(2048))
    t = b.target(i, key=mc.rsa_key(2048))
    mc.resign(t, i.key, lambda items: items, sig_alg=mc.MD5_RSA, digest=hashes.MD5())
    add("target-signed-with-md5--main", FAIL, "the target is signed with MD5", trusted=[r],
        intermediates=[i], peer=t, clients=ALL_FAIL)
    r, i, t = b.chain(target_kw={"key": mc.rsa_key(512)})
    add("target-has-512bit-rsa-key--main", FAIL, "the target has a 512-bit RSA key",
        trusted=[r], intermediates=[i], peer=t, clients=ALL_FAIL,
        note="bare openssl verify applies no security level and accepts; OpenSSL in TLS "
             "(level 1 and up) refuses")
    r, i, t = b.chain(inter_kw={"key": mc.rsa_key(512)})
    add("target-signed-by-512bit-rsa--main", FAIL,
        "the intermediate has a 512-bit RSA key and signs the target", trusted=[r],
        intermediates=[i], peer=t, clients=ALL_FAIL,
        note="bare openssl verify applies no security level and accepts")
    r, i, t = b.chain()
    _break_spki(mc, i, r)
    add("intermediate-invalid-spki--main", FAIL,
        "the intermediate's subjectPublicKeyInfo is an RSA key that does not parse", trusted=[r],
        intermediates=[i], peer=t, clients=ALL_FAIL)

    # ------------------------------------------------------------ basic constraints, key usage
    three("intermediate-basic-constraints-ca-false--main", FAIL,
          "the intermediate has basicConstraints CA:FALSE",
          inter_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)}, clients=ALL_FAIL)
    three("intermediate-basic-constraints-not-critical--main", OK,
          "the intermediate's basicConstraints (CA:TRUE) is not critical",
          inter_kw={"bc_critical": False},
          clients=who(accept=EVERYONE, reject=[]),
          note="RFC 5280 says MUST be critical for a CA; only strict OpenSSL (-x509_strict) rejects")
    three("intermediate-lacks-basic-constraints--main", FAIL,
          "the intermediate has no basicConstraints", inter_kw={"bc": None}, clients=ALL_FAIL)
    three("intermediate-lacks-signing-key-usage--main", FAIL,
          "the intermediate's keyUsage lacks keyCertSign (digitalSignature only)",
          inter_kw={"key_usage": mc.ku(digital_signature=True)},
          clients=who(accept=["go"], reject=["openssl", "chromium", "rustls"]),
          note="Go does not check keyUsage on CA certificates")
    three("intermediate-unknown-critical-extension--main", FAIL,
          "the intermediate has an unknown critical extension",
          inter_kw={"extra": [(x509.UnrecognizedExtension(UNKNOWN_EXT, b"\x05\x00"), True)]},
          clients=ALL_FAIL)
    three("intermediate-unknown-non-critical-extension--main", OK,
          "the intermediate has an unknown non-critical extension",
          inter_kw={"extra": [(x509.UnrecognizedExtension(UNKNOWN_EXT, b"\x05\x00"), False)]},
          clients=ALL_OK)
    three("target-unknown-critical-extension--main", FAIL,
          "the target has an unknown critical extension",
          target_kw={"extra": [(x509.UnrecognizedExtension(UNKNOWN_EXT, b"\x05\x00"), True)]},
          clients=ALL_FAIL)
    r = b.root()
    i = b.inter(r)
    t = b.inter(i, "Target")
    add("target-not-end-entity--main", OK,
        "the target is itself a CA (CA:TRUE, keyCertSign, no EKU); Chromium accepts any target",
        trusted=[r], intermediates=[i], peer=t,
        clients=who(accept=["go", "chromium"], reject=["openssl", "rustls"]),
        note="OpenSSL's sslserver purpose wants digitalSignature/keyEncipherment/keyAgreement in "
             "the leaf's keyUsage (a CA's is keyCertSign, cRLSign); rustls-webpki rejects a CA "
             "certificate as end entity (CaUsedAsEndEntity)")
    three("target-has-ca-basic-constraints--main", OK,
          "the target (serverAuth) has basicConstraints CA:TRUE; its keyUsage is "
          "digitalSignature, keyEncipherment (no keyCertSign)",
          target_kw={"bc": x509.BasicConstraints(ca=True, path_length=None)},
          clients=who(accept=["openssl", "go", "chromium"], reject=["rustls"]),
          note="Chromium only warns; its SERVER_AUTH_STRICT purpose (not the browser's) rejects")
    three("target-has-keycertsign-but-not-ca--main", FAIL,
          "the target's keyUsage has keyCertSign; it has no basicConstraints",
          target_kw={"bc": None, "key_usage": mc.ku(digital_signature=True, key_encipherment=True,
                                        key_cert_sign=True)},
          clients=who(accept=["openssl", "go"], reject=["chromium", "rustls"]),
          note="Chromium: 'Target certificate looks like a CA but does not set all CA "
               "properties'")
    r, i, t = b.chain()
    _leaf_pathlen_without_ca(mc, t, i)
    add("target-has-pathlen-but-not-ca--main", FAIL,
        "the target's basicConstraints is CA:FALSE with a pathLenConstraint", trusted=[r],
        intermediates=[i], peer=t,
        clients=who(accept=["openssl", "go"], reject=["chromium"]),
        note="Chromium: 'Target certificate looks like a CA but does not set all CA "
             "properties'; strict OpenSSL also rejects")

    # ------------------------------------------------------------ path length
    r = b.root()
    i1 = b.inter(r, "Intermediate1", pathlen=0)
    i2 = b.inter(i1, "Intermediate2")
    t = b.target(i2)
    add("violates-basic-constraints-pathlen-0--main", FAIL,
        "Root -> Intermediate1 (pathlen:0) -> Intermediate2 -> Target", trusted=[r],
        intermediates=[i1, i2], peer=t, clients=ALL_FAIL)
    r = b.root()
    i1 = b.inter(r, "Intermediate", pathlen=0)
    i2 = b.inter(i1, "Intermediate", pathlen=0)   # self-issued, other key
    t = b.target(i2)
    add("basic-constraints-pathlen-0-self-issued--main", OK,
        "Intermediate (pathlen:0) -> a self-issued Intermediate (same name, new key, "
        "pathlen:0) -> Target: self-issued certificates do not count", trusted=[r],
        intermediates=[i2, i1], peer=t,
        clients=who(accept=["openssl", "chromium"], reject=[]),
        note="RFC 5280 6.1.4 (l)")

    # ------------------------------------------------------------ trust anchor's own fields
    three("root-lacks-basic-constraints--main", OK,
          "the trusted root has no basicConstraints (keyUsage keyCertSign kept)",
          root_kw={"bc": None},
          clients=who(accept=["openssl", "chromium", "rustls"], reject=[]),
          note="Chromium enforces an anchor's constraints only when so configured")
    three("root-basic-constraints-ca-false--main", OK,
          "the trusted root has basicConstraints CA:FALSE",
          root_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)},
          clients=who(accept=["chromium", "rustls"], reject=["openssl"]),
          note="Chromium does not enforce an anchor's basicConstraints by default; OpenSSL "
               "refuses a CA:FALSE issuer even as anchor")
    three("root-lacks-keycertsign-key-usage--main", OK,
          "the trusted root's keyUsage lacks keyCertSign (cRLSign only)",
          root_kw={"key_usage": mc.ku(crl_sign=True)},
          clients=who(accept=["go", "chromium", "rustls"], reject=["openssl"]),
          note="Chromium does not enforce an anchor's keyUsage by default; OpenSSL checks the "
               "issuer's keyCertSign")
    three("root-eku-clientauth--serverauth", OK,
          "the trusted root's EKU is clientAuth only; server validation",
          root_kw={"eku": [CLIENT_AUTH]},
          clients=who(accept=["chromium", "rustls"], reject=["openssl", "go"]),
          note="Chromium ignores an anchor's EKU unless it is configured with enforced "
               "constraints")

    def policies(oid):
        return (x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(oid),
                                                                 None)]), True)
    three("policies-on-root-wrong--main", OK,
          "root asserts policy 1.2.3.5, intermediate (requireExplicitPolicy:0) and target "
          "1.2.3.4, all critical: fails only if the anchor's policies are processed",
          root_kw={"extra": [policies("1.2.3.5")]},
          inter_kw={"extra": [policies("1.2.3.4"), (x509.PolicyConstraints(0, None), True)]},
          target_kw={"extra": [policies("1.2.3.4")]},
          clients=who(accept=["openssl", "chromium", "rustls"], reject=[]),
          note="Chromium processes an anchor's policies only when it enforces the anchor's "
               "constraints; OpenSSL checks policies only with -policy_check")

    # ------------------------------------------------------------ EKU
    for name, eku, server, client, server_who, client_who, note in (
            ("target-eku-none", None, OK, OK, ALL_OK, ALL_OK,
             "no EKU: any purpose (Chromium warns)"),
            ("target-eku-any", [ANY_EKU], OK, OK,
             who(accept=["go", "chromium"], reject=["openssl", "rustls"]),
             who(accept=["go", "chromium"], reject=["openssl", "rustls"]),
             "anyExtendedKeyUsage only: Chromium and Go accept it for either purpose"),
            ("target-eku-clientauth", [CLIENT_AUTH], FAIL, OK, ALL_FAIL, ALL_OK, None),
            ("target-eku-many", [SERVER_AUTH, CLIENT_AUTH, ExtendedKeyUsageOID.CODE_SIGNING,
                                 ExtendedKeyUsageOID.OCSP_SIGNING,
                                 ExtendedKeyUsageOID.TIME_STAMPING], OK, OK, ALL_OK, ALL_OK,
             "serverAuth, clientAuth, codeSigning, OCSPSigning, timeStamping (Chromium warns)")):
        for purpose, kind, expected, clients in (("serverauth", "SERVER", server, server_who),
                                                 ("clientauth", "CLIENT", client, client_who)):
            if (name, purpose) == ("target-eku-clientauth", "clientauth"):
                continue  # Chromium has no such test (only its strict variant)
            three(f"{name}--{purpose}", expected,
                  f"Root -> Intermediate -> Target with EKU {name[len('target-eku-'):]}, "
                  f"{kind.lower()} validation", target_kw={"eku": eku}, kind=kind,
                  clients=clients, note=note)
    for name, eku, server, client, server_who, note in (
            ("intermediate-eku-clientauth", [CLIENT_AUTH], FAIL, OK, ALL_FAIL, None),
            ("intermediate-eku-any-and-clientauth", [ANY_EKU, CLIENT_AUTH], OK, OK,
             who(accept=["go", "chromium"], reject=["openssl", "rustls"]),
             "anyExtendedKeyUsage in an intermediate's EKU permits every purpose for Chromium "
             "and Go; OpenSSL looks for serverAuth itself")):
        for purpose, kind, expected, clients in (("serverauth", "SERVER", server, server_who),
                                                 ("clientauth", "CLIENT", client, ALL_OK)):
            three(f"{name}--{purpose}", expected,
                  f"the intermediate's EKU is {name[len('intermediate-eku-'):]}; "
                  f"{kind.lower()} validation", inter_kw={"eku": eku}, kind=kind,
                  clients=clients, note=note)
    for purpose, kind in (("serverAuth", "SERVER"), ("clientAuth", "CLIENT")):
        three(f"intermediate-eku-server-gated-crypto--sha256-eku-{purpose}", FAIL,
              f"the SHA-256 signed intermediate's EKU is Netscape Server Gated Crypto only; "
              f"{kind.lower()} validation", inter_kw={"eku": [NETSCAPE_SGC]}, kind=kind,
              clients=(who(accept=["openssl", "go"], reject=["chromium", "rustls"])
                       if kind == "SERVER" else ALL_FAIL),
              note=("Chromium accepts SGC in place of serverAuth only on SHA-1 intermediates; "
                    "OpenSSL and Go take SGC as serverAuth" if kind == "SERVER" else None))

    # ------------------------------------------------------------ names, rollover
    _byte_unequal_names(mc, b, add)
    _key_rollover(mc, b, add)
    _many_names(mc, b, add)


def _break_spki(mc, cert, signer):
    """Replaces the subjectPublicKeyInfo with an rsaEncryption key whose BIT STRING does not
    hold an RSAPublicKey, and signs the certificate again."""
    rsa_alg = bytes.fromhex("300d06092a864886f70d0101010500")
    bad = mc.der_wrap(0x30, rsa_alg + mc.der_wrap(0x03, b"\x00" + b"\x30\x03\x02\x01"))

    def edit(items):
        i = 6 if items[0][0] == 0xA0 else 5
        return items[:i] + [bad] + items[i + 1:]
    mc.resign(cert, signer.key, edit)


def _leaf_pathlen_without_ca(mc, cert, signer):
    bc_value = mc.der_wrap(0x30, mc.der_wrap(0x02, b"\x01"))  # cA FALSE (absent), pathLen 1
    new_bc = mc.der_wrap(0x30, mc.OID_BC + mc.der_wrap(0x01, b"\xff") + mc.der_wrap(0x04, bc_value))

    def fn(exts):
        return [new_bc if mc.ext_oid(e) == mc.OID_BC else e for e in exts]
    mc.resign(cert, signer.key, mc.edit_extensions(fn))


def _byte_unequal_names(mc, b, add):
    """The anchor's subject and the issuer name in the next certificate differ in bytes but
    match under RFC 5280 7.1 (string type, case, inner spaces)."""
    subject = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test  Org", x509.name._ASN1Type.PrintableString),
        x509.NameAttribute(NameOID.COMMON_NAME, "Test Root", x509.name._ASN1Type.PrintableString)])
    issuer_seen = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "test org", x509.name._ASN1Type.UTF8String),
        x509.NameAttribute(NameOID.COMMON_NAME, "TEST ROOT", x509.name._ASN1Type.UTF8String)])
    r = b.root(subject)
    t = b.target(r, issuer_name=issuer_seen)
    add("issuer-and-subject-not-byte-for-byte-equal--target", OK,
        "Root -> Target; the target's issuer is UTF8String, other case and spacing, of the "
        "root's PrintableString subject", trusted=[r], peer=t,
        clients=who(accept=["openssl", "chromium"], reject=[]),
        note="RFC 5280 7.1 name comparison (case-insensitive, spaces folded)")
    r = b.root(subject)
    i = b.inter(r, issuer_name=issuer_seen)
    t = b.target(i)
    add("issuer-and-subject-not-byte-for-byte-equal--anchor", OK,
        "Root -> Intermediate -> Target; the intermediate's issuer is a differently encoded "
        "form of the anchor's subject", trusted=[r], intermediates=[i], peer=t,
        clients=who(accept=["openssl", "chromium"], reject=[]))


def _key_rollover(mc, b, add):
    """Two roots named Root (old key, new key), the new key also certified by the old root,
    two Intermediates with one key under each root, a target under that key."""
    day2 = START + datetime.timedelta(days=1)
    old_root = b.root("Root")
    new_root = b.root("Root", not_before=day2)
    rollover = b.inter(old_root, "Root", key=new_root.key, not_before=day2)
    old_int = b.inter(old_root, "Intermediate")
    new_int = b.inter(new_root, "Intermediate", key=old_int.key, not_before=day2)
    t = b.target(old_int)
    for cid, inters, desc, clients, note in (
            ("oldchain", [old_int], "Target <- Intermediate <- old Root", ALL_OK, None),
            ("rolloverchain", [new_int, rollover],
             "Target <- Intermediate (new root) <- new Root key certified by the old Root",
             ALL_OK, None),
            ("longrolloverchain", [new_int, new_root, rollover],
             "Target <- Intermediate <- new Root (self-signed, presented) <- new Root key "
             "certified by the old Root <- old Root",
             who(accept=["go", "chromium"], reject=["openssl"]),
             "OpenSSL takes the presented self-signed new Root as the path's end, finds it "
             "untrusted and does not backtrack to the cross-signed one"),
    ):
        add(f"key-rollover--{cid}", OK, f"{desc}; only the old Root is trusted",
            trusted=[old_root], intermediates=inters, peer=t, clients=clients, note=note)
    add("key-rollover--newchain", OK, "Target <- Intermediate <- new Root (trusted)",
        trusted=[new_root], intermediates=[new_int], peer=t, clients=ALL_OK)


def _many_names(mc, b, add):
    """Name constraints times names over Chromium's limit (and OpenSSL's 2^20 checks)."""

    def nc_dns(prefix, n):
        return [x509.DNSName(f"{prefix}{k}.test") for k in range(n)]

    def nc_ip(first, n):
        return [x509.IPAddress(ipaddress.ip_network(f"{first}.{k // 65536}.{k // 256 % 256}.{k % 256}/32"))
                for k in range(n)]

    def san_ip(n):
        return [x509.IPAddress(ipaddress.ip_address(f"10.{k // 65536}.{k // 256 % 256}.{k % 256}"))
                for k in range(n)]

    r = b.root()
    for cid, permitted, excluded, sans, expected, clients, note in (
            ("toomany-dns-excluded", None, nc_dns("x", 1025), nc_dns("t", 1024), FAIL, ALL_FAIL,
             None),
            ("toomany-dns-permitted", nc_dns("t", 1025), None, nc_dns("t", 1024), FAIL, ALL_FAIL,
             None),
            ("toomany-ips-excluded", None, nc_ip(11, 1025), san_ip(1024), FAIL, ALL_FAIL, None),
            ("toomany-ips-permitted", nc_ip(10, 1025), None, san_ip(1024), FAIL, ALL_FAIL, None),
            ("ok-different-types-dns", nc_ip(10, 1025), nc_ip(11, 1025), nc_dns("t", 1025), OK,
             who(accept=["go", "chromium"], reject=["openssl"]),
             "Chromium counts names against constraints of the same type only; OpenSSL counts "
             "every name against every constraint (over 2^20) and refuses. Chromium's case also "
             "has dirName and URI constraints, left out here"),
            ("ok-different-types-ips", nc_dns("t", 1025), nc_dns("x", 1025), san_ip(1025), OK,
             who(accept=["go", "chromium"], reject=["openssl"]),
             "as ok-different-types-dns with the types swapped: IP names, DNS constraints")):
        i = b.inter(r, name_constraints=x509.NameConstraints(permitted, excluded))
        t = b.target(i, "t0", san=sans)
        add(f"many-names--{cid}", expected,
            f"Intermediate with {len(permitted or [])} permitted and {len(excluded or [])} "
            f"excluded name constraints; Target with {len(sans)} SANs", trusted=[r],
            intermediates=[i], peer=t, clients=clients, note=note)
