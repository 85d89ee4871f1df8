#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""tests/corpus/make_corpus.py OUT_DIR: writes certvigil's own corpus of path-validation cases,
one JSON file per case, in the shape of x509-limbo's limbo.json entries (trust anchors, untrusted
intermediates, peer certificate, validation time, expected peer name, validation kind, expected
result). Which cases exist and what they should give are facts taken from the x509-limbo test
definitions (https://github.com/C2SP/x509-limbo); the certificates are made here, with Debian's
python3-cryptography (38) and, where it cannot express a malformation, by editing the DER and
signing it again. Run it with /usr/bin/python3."""
import datetime
import ipaddress
import json
import os
import sys
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.timezone.utc
NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime.datetime(2030, 1, 1, tzinfo=UTC)
AT = datetime.datetime(2026, 6, 1, tzinfo=UTC)
PAST_BEFORE = datetime.datetime(2020, 1, 1, tzinfo=UTC)
PAST_AFTER = datetime.datetime(2024, 1, 1, tzinfo=UTC)
FUTURE_BEFORE = datetime.datetime(2027, 1, 1, tzinfo=UTC)
UNKNOWN_OID = x509.ObjectIdentifier("1.3.6.1.4.1.55738.666.1")
PRECERT_OID = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.4")
SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
ANY_EKU = x509.ObjectIdentifier("2.5.29.37.0")

CASES = []
warnings.filterwarnings("ignore", message="SHA1 signatures are deprecated")


# ---------------------------------------------------------------- certificates


class Issued:
    """A certificate with its key (DER kept so edited certificates stay as made)."""

    def __init__(self, der, key, subject):
        self.der, self.key, self.subject = der, key, subject

    @property
    def pem(self):
        return der_to_pem(self.der)


def der_to_pem(der):
    import base64

    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def rsa_key(bits):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]) if cn is not None else x509.Name([])


def ku(**bits):
    fields = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
              "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    return x509.KeyUsage(**{f: bits.get(f, False) for f in fields})


CA_KU = ku(key_cert_sign=True, crl_sign=True)
LEAF_KU = ku(digital_signature=True)
DEFAULT = object()


def make_cert(subject, key=None, issuer=None, *, ca, pathlen=None, bc=DEFAULT, bc_critical=True,
              key_usage=DEFAULT, ku_critical=True, eku=DEFAULT, eku_critical=False, san=DEFAULT,
              san_critical=False, ski=True, ski_critical=False, aki=True, aki_critical=False,
              aki_key=None, name_constraints=None, extra=(), not_before=NOT_BEFORE,
              not_after=NOT_AFTER, digest=DEFAULT, serial=None, issuer_name=None):
    """One certificate. issuer None: self-signed. Extensions default to a sane CA or leaf."""
    key = key or ec_key()
    sign_key = issuer.key if issuer else key
    subj = subject if isinstance(subject, x509.Name) else name(subject)
    iss = issuer_name or (issuer.subject if issuer else subj)
    b = (x509.CertificateBuilder().subject_name(subj).issuer_name(iss).public_key(key.public_key())
         .serial_number(serial or x509.random_serial_number())
         .not_valid_before(not_before).not_valid_after(not_after))
    if bc is DEFAULT:
        bc = x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None)
    if bc is not None:
        b = b.add_extension(bc, critical=bc_critical)
    if key_usage is DEFAULT:
        key_usage = CA_KU if ca else LEAF_KU
    if key_usage is not None:
        b = b.add_extension(key_usage, critical=ku_critical)
    if eku is DEFAULT:
        eku = None if ca else [SERVER_AUTH]
    if eku is not None:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    if san is DEFAULT:
        san = None if ca else [x509.DNSName("example.com")]
    if san is not None:
        b = b.add_extension(x509.SubjectAlternativeName(san), critical=san_critical)
    if ski:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=ski_critical)
    if aki:
        akey = aki_key or sign_key
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(akey.public_key()),
                            critical=aki_critical)
    if name_constraints is not None:
        b = b.add_extension(name_constraints, critical=True)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    if digest is DEFAULT:
        digest = hashes.SHA256()
    cert = b.sign(sign_key, digest)
    return Issued(cert.public_bytes(serialization.Encoding.DER), key, iss if issuer is None else subj)


def root(cn="corpus root", **kw):
    kw.setdefault("ca", True)
    c = make_cert(cn, **kw)
    c.subject = name(cn) if not isinstance(cn, x509.Name) else cn
    return c


def inter(issuer, cn="corpus intermediate", **kw):
    kw.setdefault("ca", True)
    c = make_cert(cn, issuer=issuer, **kw)
    c.subject = name(cn) if not isinstance(cn, x509.Name) else cn
    return c


def leaf(issuer, cn="corpus leaf", **kw):
    kw.setdefault("ca", False)
    c = make_cert(cn, issuer=issuer, **kw)
    c.subject = name(cn) if not isinstance(cn, x509.Name) else cn
    return c


def dns(*names):
    return [x509.DNSName(n) for n in names]


def ips(*addrs):
    return [x509.IPAddress(ipaddress.ip_address(a)) for a in addrs]


# ---------------------------------------------------------------- DER editing


def der_element(buf, off):
    """(tag, content start, end) of the element at off."""
    tag, length = buf[off], buf[off + 1]
    start = off + 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(buf[start:start + n], "big")
        start += n
    return tag, start, start + length


def der_children(content):
    out, off = [], 0
    while off < len(content):
        _, _, end = der_element(content, off)
        out.append(content[off:end])
        off = end
    return out


def der_wrap(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def der_content(elem):
    _, start, end = der_element(elem, 0)
    return elem[start:end]


def resign(cert, signer_key, edit_tbs, sig_alg=None, digest=None):
    """Edits the TBSCertificate's elements (edit_tbs(list) -> list) and signs it again."""
    outer = der_children(der_content(cert.der))
    tbs_items = edit_tbs(der_children(der_content(outer[0])))
    alg = outer[1]
    if sig_alg is not None:
        alg = sig_alg
        tbs_items = [alg if i == tbs_signature_index(tbs_items) else x for i, x in enumerate(tbs_items)]
    tbs = der_wrap(0x30, b"".join(tbs_items))
    digest = digest or hashes.SHA256()
    if isinstance(signer_key, rsa.RSAPrivateKey):
        sig = signer_key.sign(tbs, padding.PKCS1v15(), digest)
    else:
        sig = signer_key.sign(tbs, ec.ECDSA(digest))
    cert.der = der_wrap(0x30, tbs + alg + der_wrap(0x03, b"\x00" + sig))
    return cert


def tbs_signature_index(items):
    return 2 if items[0][0] == 0xA0 else 1


def serial_index(items):
    return 1 if items[0][0] == 0xA0 else 0


def set_serial(value_bytes):
    def edit(items):
        i = serial_index(items)
        return items[:i] + [der_wrap(0x02, value_bytes)] + items[i + 1:]
    return edit


def edit_extensions(fn):
    def edit(items):
        last = items[-1]
        assert last[0] == 0xA3
        exts = der_children(der_content(der_content(last)))
        new = der_wrap(0xA3, der_wrap(0x30, b"".join(fn(exts))))
        return items[:-1] + [new]
    return edit


def ext_oid(ext_der):
    return der_children(der_content(ext_der))[0]


def duplicate_extension(oid_der):
    def fn(exts):
        dup = [e for e in exts if ext_oid(e) == oid_der]
        return exts + dup
    return fn


def make_v1(items):
    """Drops version (v1 is the default) and the extensions."""
    items = [x for x in items if x[0] not in (0xA0, 0xA3)]
    return items


def corrupt_signature(cert):
    raw = bytearray(cert.der)
    raw[-5] ^= 0x01
    cert.der = bytes(raw)
    return cert


OID_SAN = bytes.fromhex("0603551d11")
OID_BC = bytes.fromhex("0603551d13")
OID_KU = bytes.fromhex("0603551d0f")
MD5_RSA = bytes.fromhex("300d06092a864886f70d0101040500")


# ---------------------------------------------------------------- cases


def case(cid, namespace, expected, description, *, trusted, peer, intermediates=(), kind="SERVER",
         peer_name=None, at=AT, clients=None, note=None):
    CASES.append({
        "id": f"{namespace}::{cid}",
        "namespace": namespace,
        "description": description,
        "validation_kind": kind,
        "trusted_certs": [c.pem for c in trusted],
        "untrusted_intermediates": [c.pem for c in intermediates],
        "peer_certificate": peer.pem,
        "validation_time": at.strftime("%Y-%m-%dT%H:%M:%SZ") if at else None,
        "expected_peer_name": peer_name,
        "expected_result": expected,
        "clients": clients or {},
        "note": note,
    })


def DNS(v):
    return {"kind": "DNS", "value": v}


def IP(v):
    return {"kind": "IP", "value": v}


OK, FAIL = "SUCCESS", "FAILURE"
ALL_ACCEPT = {"accept": ["openssl", "go", "chromium", "rustls"], "reject": []}
ALL_REJECT = {"accept": [], "reject": ["openssl", "go", "chromium", "rustls"]}


def simple(cid, ns, expected, desc, leaf_kw=None, root_kw=None, clients=None, note=None,
           peer_name=None, kind="SERVER"):
    r = root(**(root_kw or {}))
    lf = leaf(r, **(leaf_kw or {}))
    case(cid, ns, expected, desc, trusted=[r], peer=lf, peer_name=peer_name, kind=kind,
         clients=clients, note=note)


def simple_inter(cid, ns, expected, desc, inter_kw=None, leaf_kw=None, clients=None, note=None,
                 peer_name=None, kind="SERVER", root_kw=None):
    r = root(**(root_kw or {}))
    i = inter(r, **(inter_kw or {}))
    lf = leaf(i, **(leaf_kw or {}))
    case(cid, ns, expected, desc, trusted=[r], intermediates=[i], peer=lf, peer_name=peer_name,
         kind=kind, clients=clients, note=note)


def basic_cases():
    simple("root-leaf", "basic", OK, "root -> EE, everything in order", clients=ALL_ACCEPT,
           peer_name=DNS("example.com"))
    simple_inter("root-intermediate-leaf", "basic", OK, "root -> ICA -> EE", clients=ALL_ACCEPT,
                 peer_name=DNS("example.com"))
    r = root()
    i1 = inter(r, "ica one")
    i2 = inter(i1, "ica two")
    lf = leaf(i2)
    case("two-intermediates", "basic", OK, "root -> ICA -> ICA -> EE", trusted=[r],
         intermediates=[i1, i2], peer=lf, clients=ALL_ACCEPT)
    r = root()
    i1 = inter(r, "ica one")
    i2 = inter(i1, "ica two")
    lf = leaf(i2)
    case("intermediates-out-of-order", "basic", OK,
         "intermediates presented in reverse order; clients sort them", trusted=[r],
         intermediates=[i2, i1], peer=lf, clients=ALL_ACCEPT)
    r = root()
    i = inter(r)
    lf = leaf(i)
    unrelated = inter(root("other root"), "unrelated ica")
    case("extra-unrelated-intermediate", "basic", OK,
         "an unrelated intermediate is presented beside the right one", trusted=[r],
         intermediates=[unrelated, i], peer=lf, clients=ALL_ACCEPT)
    r = root()
    i = inter(r)
    lf = leaf(i)
    case("root-also-presented", "basic", OK, "the root is presented as well as trusted",
         trusted=[r], intermediates=[i, r], peer=lf, clients=ALL_ACCEPT)
    r = root()
    i = inter(r)
    lf = leaf(i)
    case("missing-intermediate", "basic", FAIL, "the issuing intermediate is not presented",
         trusted=[r], peer=lf, clients=ALL_REJECT)
    r = root()
    i = inter(r)
    lf = leaf(i)
    other = root("unrelated root")
    case("chain-untrusted-root", "basic", FAIL,
         "root (untrusted, presented) -> ICA -> EE; only an unrelated root is trusted",
         trusted=[other], intermediates=[r, i], peer=lf, clients=ALL_REJECT)
    r = root()
    lf = leaf(r)
    case("no-trusted-issuer", "basic", FAIL, "EE issued by a root that is not trusted",
         trusted=[root("unrelated root")], peer=lf, clients=ALL_REJECT)
    r = root()
    lf = corrupt_signature(leaf(r))
    case("bad-signature-leaf", "basic", FAIL, "EE signature does not verify", trusted=[r],
         peer=lf, clients=ALL_REJECT)
    r = root()
    i = corrupt_signature(inter(r))
    lf = leaf(i)
    case("bad-signature-intermediate", "basic", FAIL, "ICA signature does not verify",
         trusted=[r], intermediates=[i], peer=lf, clients=ALL_REJECT)
    r = root()
    lf = leaf(r, issuer_name=name("someone else"))
    case("issuer-name-mismatch", "basic", FAIL,
         "EE signed by the root's key but names another issuer", trusted=[r], peer=lf,
         clients=ALL_REJECT)
    r = root()
    imposter = root("corpus root")  # same name, other key
    lf = leaf(imposter)
    case("same-name-other-key", "basic", FAIL,
         "EE issued by a root with the trusted root's name but another key", trusted=[r],
         peer=lf, clients=ALL_REJECT)
    ss = make_cert("example.com", ca=False)
    ss.subject = name("example.com")
    case("self-signed-leaf-untrusted", "basic", FAIL, "self-signed EE, not trusted",
         trusted=[root()], peer=ss, clients=ALL_REJECT)
    r = root()
    i = inter(r)
    lf = leaf(i)
    case("intermediate-as-trust-anchor", "basic", OK,
         "only the ICA is trusted; RFC 5280 anchors need not be self-signed", trusted=[i],
         peer=lf, clients={"accept": ["go", "chromium", "rustls"], "reject": ["openssl"]},
         note="OpenSSL accepts only with -partial_chain (X509_V_FLAG_PARTIAL_CHAIN)")
    r = root()
    i = inter(r)
    lf = leaf(i)
    case("trusted-root-and-intermediate", "basic", OK, "root and ICA both trusted",
         trusted=[r, i], peer=lf, clients=ALL_ACCEPT)


def pathlen_cases():
    ns = "pathlen"
    for n in (0, 1, 2):
        simple_inter(f"ee-with-intermediate-pathlen-{n}", ns, OK,
                     f"root -> ICA (pathlen:{n}) -> EE", inter_kw={"pathlen": n}, clients=ALL_ACCEPT)
    r = root()
    i1 = inter(r, "ica one", pathlen=0)
    i2 = inter(i1, "ica two", pathlen=0)
    case("validation-ignores-pathlen-in-leaf", ns, OK,
         "root -> ICA (pathlen:0) -> ICA (pathlen:0) as the peer: the last certificate does not count",
         trusted=[r], intermediates=[i1], peer=i2,
         note="the peer is a CA; rustls rejects CA certificates as end entities")
    r = root()
    i1 = inter(r, "ica one", pathlen=0)
    i2 = inter(i1, "ica two", pathlen=0)
    lf = leaf(i2)
    case("intermediate-violates-pathlen-0", ns, FAIL, "root -> ICA (pathlen:0) -> ICA -> EE",
         trusted=[r], intermediates=[i1, i2], peer=lf, clients=ALL_REJECT)
    r = root()
    i1 = inter(r, "ica one", pathlen=1)
    i2 = inter(i1, "ica two", pathlen=2)
    lf = leaf(i2)
    case("intermediate-pathlen-may-increase", ns, OK,
         "root -> ICA (pathlen:1) -> ICA (pathlen:2) -> EE", trusted=[r], intermediates=[i1, i2],
         peer=lf, clients=ALL_ACCEPT)
    r = root()
    i1 = inter(r, "ica one", pathlen=1)
    i2 = inter(i1, "ica two", pathlen=0)
    i3 = inter(i2, "ica three", pathlen=0)
    lf = leaf(i3)
    case("intermediate-pathlen-too-long", ns, FAIL,
         "root -> ICA (pathlen:1) -> ICA (pathlen:0) -> ICA (pathlen:0) -> EE", trusted=[r],
         intermediates=[i1, i2, i3], peer=lf, clients=ALL_REJECT)
    r = root()
    i1 = inter(r, "ica prime", pathlen=1)
    i2 = inter(i1, "ica prime", pathlen=1)
    i3 = inter(i2, "ica double prime", pathlen=0)
    lf = leaf(i3)
    case("self-issued-certs-pathlen", ns, OK,
         "root -> ICA' (pathlen:1) -> ICA' self-issued (pathlen:1) -> ICA'' (pathlen:0) -> EE",
         trusted=[r], intermediates=[i1, i2, i3], peer=lf,
         note="self-issued certificates do not count towards pathlen (RFC 5280 6.1.4 (l))")
    r = root(pathlen=0)
    i = inter(r)
    lf = leaf(i)
    case("root-pathlen-0-with-intermediate", ns, FAIL, "root (pathlen:0) -> ICA -> EE",
         trusted=[r], intermediates=[i], peer=lf,
         clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
         note="clients that ignore trust anchor constraints accept")
    r = root(pathlen=1)
    i = inter(r)
    lf = leaf(i)
    case("root-pathlen-1-with-intermediate", ns, OK, "root (pathlen:1) -> ICA -> EE",
         trusted=[r], intermediates=[i], peer=lf, clients=ALL_ACCEPT)
    r = root(pathlen=0)
    lf = leaf(r)
    case("root-pathlen-0-direct-leaf", ns, OK, "root (pathlen:0) -> EE", trusted=[r], peer=lf,
         clients=ALL_ACCEPT)
    for n in (0, 1, 2):
        simple_inter(f"ee-with-intermediate-pathlen-{n}", "ee-pathlen", OK,
                     f"client validation: root -> ICA (pathlen:{n}) -> EE",
                     inter_kw={"pathlen": n}, leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT",
                     clients=ALL_ACCEPT)
    simple("ee-pathlen-0", "basic-constraints", FAIL,
           "EE with basicConstraints cA=FALSE and pathLenConstraint 0 (forbidden unless cA)",
           leaf_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)},
           note="made with pathlen via DER edit below")
    # cryptography refuses pathlen on a non-CA: edit the BC extension of the last case's leaf
    _patch_last_leaf_pathlen()
    simple("ee-basicconstraints-not-critical", "basic-constraints", OK,
           "EE with basicConstraints cA=FALSE, not critical (allowed for an EE)",
           leaf_kw={"bc_critical": False}, clients=ALL_ACCEPT)
    simple("ee-without-basicconstraints", "basic-constraints", OK, "EE without basicConstraints",
           leaf_kw={"bc": None}, clients=ALL_ACCEPT)


def _patch_last_leaf_pathlen():
    """Rebuilds the last case's leaf with BasicConstraints {cA FALSE, pathLen 0}."""
    c = CASES.pop()
    r = root()
    lf = leaf(r)
    bc_value = der_wrap(0x30, der_wrap(0x02, b"\x00"))  # cA omitted (FALSE), pathLen 0
    new_bc = der_wrap(0x30, OID_BC + der_wrap(0x01, b"\xff") + der_wrap(0x04, bc_value))

    def fn(exts):
        return [new_bc if ext_oid(e) == OID_BC else e for e in exts]
    resign(lf, r.key, edit_extensions(fn))
    case("ee-pathlen-0", "basic-constraints", FAIL, c["description"], trusted=[r], peer=lf,
         note="RFC 5280 4.2.1.9: pathLenConstraint only with cA TRUE")


def validity_cases():
    ns = "validity"
    simple("expired-leaf", ns, FAIL, "EE notAfter before the validation time",
           leaf_kw={"not_before": PAST_BEFORE, "not_after": PAST_AFTER}, clients=ALL_REJECT)
    simple("not-yet-valid-leaf", ns, FAIL, "EE notBefore after the validation time",
           leaf_kw={"not_before": FUTURE_BEFORE}, clients=ALL_REJECT)
    simple_inter("expired-intermediate", ns, FAIL, "ICA notAfter before the validation time",
                 inter_kw={"not_before": PAST_BEFORE, "not_after": PAST_AFTER}, clients=ALL_REJECT)
    simple_inter("not-yet-valid-intermediate", ns, FAIL, "ICA notBefore after the validation time",
                 inter_kw={"not_before": FUTURE_BEFORE}, clients=ALL_REJECT)
    simple("expired-root", ns, FAIL, "trusted root notAfter before the validation time",
           root_kw={"not_before": PAST_BEFORE, "not_after": PAST_AFTER},
           clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
           note="limbo expects FAILURE; Chromium and rustls ignore anchor dates")
    simple("not-yet-valid-root", ns, FAIL, "trusted root notBefore after the validation time",
           root_kw={"not_before": FUTURE_BEFORE},
           clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
           note="limbo expects FAILURE; Chromium and rustls ignore anchor dates")
    for label, when, expected in (
            ("at-not-after", AT, OK),
            ("one-second-after-not-after", AT + datetime.timedelta(seconds=1), FAIL)):
        r = root()
        lf = leaf(r, not_before=PAST_BEFORE, not_after=AT)
        case(f"leaf-{label}", ns, expected,
             "validation time relative to the EE notAfter (RFC 5280: inclusive)", trusted=[r],
             peer=lf, at=when)
    for label, when, expected in (
            ("at-not-before", AT, OK),
            ("one-second-before-not-before", AT - datetime.timedelta(seconds=1), FAIL)):
        r = root()
        lf = leaf(r, not_before=AT)
        case(f"leaf-{label}", ns, expected,
             "validation time relative to the EE notBefore (RFC 5280: inclusive)", trusted=[r],
             peer=lf, at=when)
    r = root()
    i = inter(r, not_before=PAST_BEFORE, not_after=AT)
    lf = leaf(i)
    case("intermediate-at-not-after", ns, OK, "ICA expires exactly at the validation time",
         trusted=[r], intermediates=[i], peer=lf)
    # leaf outlives its issuer: fine in RFC 5280
    r = root(not_after=datetime.datetime(2027, 1, 1, tzinfo=UTC))
    lf = leaf(r, not_after=datetime.datetime(2029, 1, 1, tzinfo=UTC))
    case("leaf-outlives-root", ns, OK, "EE notAfter beyond the root's; both valid now",
         trusted=[r], peer=lf, clients=ALL_ACCEPT)
    # chain of pain: trusted root + expired cross-sign of the same key by another root
    k = ec_key()
    r = root("corpus root", key=k)
    r2 = root("corpus root 2")
    xs = inter(r2, "corpus root", key=k, pathlen=1, not_before=PAST_BEFORE, not_after=PAST_AFTER)
    lf = leaf(r)
    case("multiple-chains-expired-intermediate", ns, OK,
         "EE under a trusted root; an expired cross-sign of that root by another trusted root "
         "is also presented", trusted=[r, r2], intermediates=[xs], peer=lf, clients=ALL_ACCEPT)
    # an expired root and its renewal (same key) are both trusted
    k = ec_key()
    old = root("corpus root", key=k, not_before=PAST_BEFORE, not_after=PAST_AFTER)
    new = root("corpus root", key=k)
    lf = leaf(new)
    case("expired-root-with-renewed-twin", ns, OK,
         "the trust store holds an expired root and its renewal with the same name and key",
         trusted=[old, new], peer=lf, clients=ALL_ACCEPT)
    # DST Root CA X3: ICA cross-signed by an expired old root, and issued by a valid new root
    old_root = root("old root", not_before=PAST_BEFORE, not_after=PAST_AFTER)
    new_root = root("new root")
    ik = ec_key()
    ica_new = inter(new_root, "corpus intermediate", key=ik)
    new_root_x = inter(old_root, "new root", key=new_root.key, pathlen=None)
    lf = leaf(ica_new)
    case("cross-signed-by-expired-root-valid-alternative", ns, OK,
         "EE -> ICA -> new root (trusted) and new root cross-signed by an expired old root "
         "(also trusted, cross-sign presented)", trusted=[old_root, new_root],
         intermediates=[ica_new, new_root_x], peer=lf, clients=ALL_ACCEPT)
    case("cross-signed-only-expired-root-trusted", ns, FAIL,
         "as above, but only the expired old root is trusted", trusted=[old_root],
         intermediates=[ica_new, new_root_x], peer=lf,
         clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
         note="Chromium and rustls ignore anchor dates; limbo-style expectation FAILURE")
    r = root()
    i_old = inter(r, "corpus intermediate", not_before=PAST_BEFORE, not_after=PAST_AFTER)
    k = i_old.key
    i_new = inter(r, "corpus intermediate", key=k)
    lf = leaf(i_new)
    case("expired-and-valid-intermediate-twins", ns, OK,
         "the chain carries an expired ICA and its valid renewal (same name and key)",
         trusted=[r], intermediates=[i_old, i_new], peer=lf, clients=ALL_ACCEPT)


def eku_cases():
    ns = "eku"
    simple("ee-serverauth-server", ns, OK, "EE EKU serverAuth, server validation",
           clients=ALL_ACCEPT)
    simple("ee-clientauth-client", ns, OK, "EE EKU clientAuth, client validation",
           leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT", clients=ALL_ACCEPT)
    simple("ee-clientauth-only-server", ns, FAIL, "EE EKU clientAuth only, server validation",
           leaf_kw={"eku": [CLIENT_AUTH]}, clients=ALL_REJECT, peer_name=DNS("example.com"))
    simple("ee-serverauth-only-client", ns, FAIL, "EE EKU serverAuth only, client validation",
           kind="CLIENT", clients=ALL_REJECT)
    simple("ee-both-server", ns, OK, "EE EKU serverAuth+clientAuth, server validation",
           leaf_kw={"eku": [SERVER_AUTH, CLIENT_AUTH]}, clients=ALL_ACCEPT,
           peer_name=DNS("example.com"))
    simple("ee-both-client", ns, OK, "EE EKU serverAuth+clientAuth, client validation",
           leaf_kw={"eku": [SERVER_AUTH, CLIENT_AUTH]}, kind="CLIENT", clients=ALL_ACCEPT)
    simple("ee-without-eku", ns, OK, "EE without EKU (RFC 5280 4.2.1.12: no restriction)",
           leaf_kw={"eku": None}, clients=ALL_ACCEPT,
           note="limbo rfc5280::eku::ee-without-eku SUCCESS; it conflicts with the pedantic "
                "webpki::eku::ee-without-eku (FAILURE), which this corpus leaves out")
    simple("ee-without-eku-client", ns, OK, "EE without EKU, client validation (RFC 5280: any)",
           leaf_kw={"eku": None}, kind="CLIENT",
           clients={"accept": ["openssl", "go", "rustls"], "reject": []})
    simple("ee-anyeku-only", ns, FAIL, "EE EKU anyExtendedKeyUsage only",
           leaf_kw={"eku": [ANY_EKU]},
           clients={"accept": ["go", "chromium"], "reject": ["openssl", "rustls"]})
    simple("ee-anyeku-and-serverauth", ns, FAIL,
           "EE EKU serverAuth + anyExtendedKeyUsage (forbidden by CABF 7.1.2.7.10)",
           leaf_kw={"eku": [SERVER_AUTH, ANY_EKU]}, peer_name=DNS("example.com"),
           clients={"accept": ["openssl", "go", "chromium", "rustls"], "reject": []},
           note="limbo marks this pedantic: most implementations accept")
    simple("ee-critical-eku", ns, FAIL, "EE EKU marked critical (forbidden by CABF)",
           leaf_kw={"eku_critical": True},
           clients={"accept": ["openssl", "go", "chromium", "rustls"], "reject": []},
           note="limbo pedantic webpki case; clients accept")
    simple("ee-precertificate-only", ns, FAIL, "EE EKU only the CT precertificate OID",
           leaf_kw={"eku": [PRECERT_OID]}, clients=ALL_REJECT, peer_name=DNS("example.com"))
    simple("ee-precertificate-with-serverauth", ns, FAIL,
           "EE EKU serverAuth + CT precertificate OID", peer_name=DNS("example.com"),
           leaf_kw={"eku": [SERVER_AUTH, PRECERT_OID]},
           note="limbo pedantic webpki case")
    for label, oid in (("codesigning", ExtendedKeyUsageOID.CODE_SIGNING),
                       ("emailprotection", ExtendedKeyUsageOID.EMAIL_PROTECTION),
                       ("timestamping", ExtendedKeyUsageOID.TIME_STAMPING),
                       ("ocspsigning", ExtendedKeyUsageOID.OCSP_SIGNING)):
        simple(f"ee-{label}-with-serverauth", ns, FAIL,
               f"EE EKU serverAuth + {label} (forbidden in TLS subscriber certificates)",
               leaf_kw={"eku": [SERVER_AUTH, oid]}, peer_name=DNS("example.com"),
               note="limbo pedantic webpki case: clients accept")
    simple("ee-codesigning-only", ns, FAIL, "EE EKU codeSigning only, server validation",
           leaf_kw={"eku": [ExtendedKeyUsageOID.CODE_SIGNING]}, clients=ALL_REJECT)
    simple_inter("intermediate-eku-clientauth-only-server", ns, FAIL,
                 "ICA EKU clientAuth only; EE serverAuth; server validation",
                 inter_kw={"eku": [CLIENT_AUTH]}, clients=ALL_REJECT)
    simple_inter("intermediate-eku-serverauth-only-client", ns, FAIL,
                 "ICA EKU serverAuth only; EE clientAuth; client validation",
                 inter_kw={"eku": [SERVER_AUTH]}, leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT",
                 clients=ALL_REJECT)
    simple_inter("intermediate-eku-serverauth", ns, OK, "ICA EKU serverAuth; server validation",
                 inter_kw={"eku": [SERVER_AUTH]}, clients=ALL_ACCEPT)
    simple_inter("intermediate-eku-anyeku", ns, OK, "ICA EKU anyExtendedKeyUsage",
                 inter_kw={"eku": [ANY_EKU]},
                 clients={"accept": ["openssl", "go", "chromium"], "reject": []})
    simple("root-has-eku-serverauth", ns, FAIL,
           "trusted root carries EKU serverAuth (forbidden by CABF for roots)",
           root_kw={"eku": [SERVER_AUTH]},
           clients={"accept": ["openssl", "go", "chromium", "rustls"], "reject": []},
           note="limbo pedantic webpki case; the EKU does include the purpose")
    simple("root-eku-clientauth-only-server", ns, FAIL,
           "trusted root EKU clientAuth only; server validation", root_kw={"eku": [CLIENT_AUTH]},
           clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
           note="limbo-style expectation; Chromium and rustls ignore anchor EKU")


def ku_cases():
    ns = "ku"
    simple("root-inconsistent-ca-extensions", ns, FAIL,
           "root cA=TRUE with KeyUsage lacking keyCertSign",
           root_kw={"key_usage": ku(), "ku_critical": False},
           note="OpenSSL checks KU of the anchor? see runner output")
    simple_inter("ica-ku-no-keycertsign", ns, FAIL,
                 "ICA (pathlen:0) with KeyUsage lacking keyCertSign",
                 inter_kw={"pathlen": 0, "key_usage": ku(), "ku_critical": False},
                 clients=ALL_REJECT)
    simple_inter("ica-ku-digitalsignature-only", ns, FAIL,
                 "ICA KeyUsage digitalSignature only",
                 inter_kw={"key_usage": ku(digital_signature=True)}, clients=ALL_REJECT)
    simple_inter("ica-ku-crlsign-only", ns, FAIL, "ICA KeyUsage cRLSign only",
                 inter_kw={"key_usage": ku(crl_sign=True)}, clients=ALL_REJECT)
    simple_inter("ica-without-ku", ns, OK, "ICA without KeyUsage (RFC 5280: no restriction)",
                 inter_kw={"key_usage": None},
                 clients={"accept": ["openssl", "go", "chromium"], "reject": []})
    simple("leaf-ku-keycertsign", ns, FAIL, "EE cA=FALSE with KeyUsage keyCertSign",
           leaf_kw={"key_usage": ku(digital_signature=True, key_cert_sign=True),
                    "ku_critical": False},
           clients={"accept": ["openssl", "go"], "reject": ["chromium", "rustls"]},
           note="limbo rfc5280::leaf-ku-keycertsign; OpenSSL accepts; Chromium rejects (as in "
                "chromium::target-has-keycertsign-but-not-ca--main)")
    simple("leaf-ku-crlsign", ns, FAIL, "EE KeyUsage cRLSign only (webpki rejects)",
           leaf_kw={"key_usage": ku(crl_sign=True)},
           note="not a limbo case; OpenSSL's sslserver purpose needs a KU fit for TLS")
    simple("leaf-ku-digitalsignature", ns, OK, "EE KeyUsage digitalSignature",
           clients=ALL_ACCEPT)
    simple("leaf-ku-keyencipherment", ns, OK, "EE KeyUsage keyEncipherment (RSA-style)",
           leaf_kw={"key_usage": ku(key_encipherment=True)})
    simple("leaf-without-ku", ns, OK, "EE without KeyUsage", leaf_kw={"key_usage": None},
           clients=ALL_ACCEPT)
    simple("leaf-ku-not-critical", ns, OK, "EE KeyUsage digitalSignature, not critical",
           leaf_kw={"ku_critical": False}, clients=ALL_ACCEPT)


def bc_cases():
    ns = "basic-constraints"
    simple_inter("intermediate-ca-without-ca-bit", ns, FAIL, "ICA basicConstraints cA=FALSE",
                 inter_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)},
                 clients=ALL_REJECT)
    simple_inter("intermediate-ca-missing-basic-constraints", ns, FAIL,
                 "ICA without basicConstraints", inter_kw={"bc": None}, clients=ALL_REJECT)
    simple_inter("intermediate-non-critical-basic-constraints", ns, OK,
                 "ICA basicConstraints not critical",
                 inter_kw={"bc_critical": False},
                 clients={"accept": ["openssl", "go", "chromium", "rustls"], "reject": []},
                 note="limbo rfc5280 marks non-critical BC on CAs as FAILURE only for roots; "
                      "strict OpenSSL rejects")
    simple("root-missing-basic-constraints", ns, FAIL, "trusted root without basicConstraints",
           root_kw={"bc": None},
           clients={"accept": ["rustls"], "reject": ["openssl", "go", "chromium"]},
           note="limbo rfc5280 FAILURE; OpenSSL accepts a self-signed anchor without BC whose "
                "KeyUsage asserts keyCertSign (X509_check_ca returns 4)")
    simple("root-non-critical-basic-constraints", ns, FAIL,
           "trusted root basicConstraints not critical",
           root_kw={"bc_critical": False},
           clients={"accept": ["openssl", "go", "chromium", "rustls"], "reject": []},
           note="limbo rfc5280 expects FAILURE; strict OpenSSL rejects; ordinary clients accept")
    simple("root-ca-false", ns, FAIL, "trusted root with basicConstraints cA=FALSE",
           root_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)})
    simple("leaf-is-ca", ns, OK, "EE with cA=TRUE used as end entity (RFC 5280 allows)",
           leaf_kw={"bc": x509.BasicConstraints(ca=True, path_length=None),
                    "key_usage": ku(digital_signature=True, key_cert_sign=True)},
           clients={"accept": ["openssl", "go", "chromium"], "reject": ["rustls"]},
           note="webpki (rustls) rejects CaUsedAsEndEntity")


def nc_cases():
    ns = "name-constraints"

    def nc(permitted=None, excluded=None):
        return x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded)

    def on_root(cid, expected, desc, constraints, san, peer_name=None, cn="corpus leaf", clients=None,
                note=None):
        r = root(name_constraints=constraints)
        lf = leaf(r, cn, san=san)
        case(cid, ns, expected, desc, trusted=[r], peer=lf, peer_name=peer_name, clients=clients,
             note=note)

    def on_inter(cid, expected, desc, constraints, san, peer_name=None, cn="corpus leaf",
                 clients=None):
        r = root()
        i = inter(r, name_constraints=constraints)
        lf = leaf(i, cn, san=san)
        case(cid, ns, expected, desc, trusted=[r], intermediates=[i], peer=lf,
             peer_name=peer_name, clients=clients)

    net = ipaddress.ip_network
    for where, fn in (("root", on_root), ("intermediate", on_inter)):
        fn(f"{where}-permitted-dns-mismatch", FAIL, f"{where} permits example.com; EE SAN not-example.com",
           nc(permitted=dns("example.com")), dns("not-example.com"), clients=ALL_REJECT)
        fn(f"{where}-permitted-dns-match", OK, f"{where} permits example.com; EE SAN example.com",
           nc(permitted=dns("example.com")), dns("example.com"), DNS("example.com"), clients=ALL_ACCEPT)
        fn(f"{where}-permitted-dns-match-more", OK,
           f"{where} permits example.com; EE SAN foo.bar.example.com",
           nc(permitted=dns("example.com")), dns("foo.bar.example.com"), DNS("foo.bar.example.com"),
           clients=ALL_ACCEPT)
        fn(f"{where}-permitted-dns-suffix-not-label", FAIL,
           f"{where} permits example.com; EE SAN notexample.com (not a label boundary)",
           nc(permitted=dns("example.com")), dns("notexample.com"), clients=ALL_REJECT)
        fn(f"{where}-excluded-dns-match", FAIL, f"{where} excludes example.com; EE SAN example.com",
           nc(excluded=dns("example.com")), dns("example.com"), DNS("example.com"), clients=ALL_REJECT)
        fn(f"{where}-excluded-dns-match-second", FAIL,
           f"{where} excludes not-allowed.example.com; EE's second SAN matches it",
           nc(excluded=dns("not-allowed.example.com")),
           dns("example.com", "not-allowed.example.com"), DNS("example.com"), clients=ALL_REJECT)
        fn(f"{where}-excluded-dns-subdomain", FAIL,
           f"{where} excludes example.com; EE SAN www.example.com",
           nc(excluded=dns("example.com")), dns("www.example.com"), DNS("www.example.com"),
           clients=ALL_REJECT)
        fn(f"{where}-excluded-dns-other", OK,
           f"{where} excludes evil.com; EE SAN example.com",
           nc(excluded=dns("evil.com")), dns("example.com"), DNS("example.com"), clients=ALL_ACCEPT)
        fn(f"{where}-permitted-ip-mismatch", FAIL, f"{where} permits 192.0.2.0/24; EE SAN 192.0.3.1",
           nc(permitted=[x509.IPAddress(net("192.0.2.0/24"))]), ips("192.0.3.1"), IP("192.0.3.1"),
           clients=ALL_REJECT)
        fn(f"{where}-permitted-ip-match", OK, f"{where} permits 192.0.2.0/24; EE SAN 192.0.2.1",
           nc(permitted=[x509.IPAddress(net("192.0.2.0/24"))]), ips("192.0.2.1"), IP("192.0.2.1"),
           clients=ALL_ACCEPT)
        fn(f"{where}-excluded-ip-match", FAIL, f"{where} excludes 192.0.2.0/24; EE SAN 192.0.2.1",
           nc(excluded=[x509.IPAddress(net("192.0.2.0/24"))]), ips("192.0.2.1"), IP("192.0.2.1"),
           clients=ALL_REJECT)
        fn(f"{where}-permitted-dns-leaf-ip-only", OK,
           f"{where} permits only DNS example.com; EE has only IP SAN 192.0.2.1 (IP not constrained)",
           nc(permitted=dns("example.com")), ips("192.0.2.1"), IP("192.0.2.1"))
    on_root("root-permitted-dns-cn-outside", FAIL,
            "root permits example.com; EE has no SAN and CN evil.com (CN treated as a name)",
            nc(permitted=dns("example.com")), None, cn="evil.com",
            note="OpenSSL applies DNS constraints to a hostname-like CN when no SAN; webpki "
                 "rejects for the missing SAN anyway")
    r = root(name_constraints=nc(permitted=dns("example.com")))
    i = inter(r, name_constraints=nc(permitted=dns("sub.example.com")))
    lf = leaf(i, san=dns("www.example.com"))
    case("nested-constraints-narrowing", ns, FAIL,
         "root permits example.com, ICA narrows to sub.example.com; EE SAN www.example.com",
         trusted=[r], intermediates=[i], peer=lf, clients=ALL_REJECT)
    r = root(name_constraints=nc(permitted=dns("example.com")))
    i = inter(r, name_constraints=nc(permitted=dns("other.com")))
    lf = leaf(i, san=dns("www.other.com"))
    case("intermediate-widens-constraints", ns, FAIL,
         "root permits example.com; ICA permits other.com; EE SAN www.other.com (root's applies)",
         trusted=[r], intermediates=[i], peer=lf, clients=ALL_REJECT)
    r = root(name_constraints=nc(permitted=dns("example.com")))
    i = inter(r, san=dns("evil.com"))
    lf = leaf(i, san=dns("example.com"))
    case("intermediate-san-outside-root-constraints", ns, FAIL,
         "root permits example.com; the ICA beneath it has SAN evil.com", trusted=[r],
         intermediates=[i], peer=lf,
         note="RFC 5280 6.1.3 (b)/(c) applies the constraints to every later certificate, "
              "the ICA too")


def san_cases():
    ns = "san"

    def host(cid, expected, desc, san, peer_name, cn="corpus leaf", clients=None, note=None,
             san_critical=False, subject=None):
        r = root()
        lf = leaf(r, subject if subject is not None else cn, san=san, san_critical=san_critical)
        case(cid, ns, expected, desc, trusted=[r], peer=lf, peer_name=peer_name, clients=clients,
             note=note)

    host("exact-dns-san", OK, "SAN example.com, name example.com", dns("example.com"),
         DNS("example.com"), clients=ALL_ACCEPT)
    host("exact-localhost-ip-san", OK, "SAN IP 127.0.0.1, IP 127.0.0.1", ips("127.0.0.1"),
         IP("127.0.0.1"), clients=ALL_ACCEPT)
    host("exact-ipv6-san", OK, "SAN IP ::1, IP ::1", ips("::1"), IP("::1"), clients=ALL_ACCEPT)
    host("mismatch-domain-san", FAIL, "SAN example.com, name example2.com", dns("example.com"),
         DNS("example2.com"), clients=ALL_REJECT)
    host("mismatch-subdomain-san", FAIL, "SAN abc.example.com, name def.example.com",
         dns("abc.example.com"), DNS("def.example.com"), clients=ALL_REJECT)
    host("mismatch-subdomain-apex-san", FAIL, "SAN example.com, name abc.example.com",
         dns("example.com"), DNS("abc.example.com"), clients=ALL_REJECT)
    host("mismatch-apex-subdomain-san", FAIL, "SAN abc.example.com, name example.com",
         dns("abc.example.com"), DNS("example.com"), clients=ALL_REJECT)
    host("public-suffix-wildcard-san", FAIL, "SAN *.com, name example.com", dns("*.com"),
         DNS("example.com"), clients={"accept": ["openssl"], "reject": ["go", "chromium"]},
         note="limbo: pedantic public-suffix case; OpenSSL rejects a wildcard over a single label "
              "only for *.tld? see runner")
    host("leftmost-wildcard-san", OK, "SAN *.example.com, name foo.example.com",
         dns("*.example.com"), DNS("foo.example.com"), clients=ALL_ACCEPT)
    host("wildcard-embedded-leftmost-san", FAIL, "SAN ba*.example.com, name baz.example.com",
         dns("ba*.example.com"), DNS("baz.example.com"),
         clients={"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]},
         note="OpenSSL X509_check_host allows partial wildcards by default")
    host("wildcard-suffix-in-label-san", FAIL, "SAN *z.example.com, name baz.example.com",
         dns("*z.example.com"), DNS("baz.example.com"),
         clients={"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]})
    host("wildcard-not-in-leftmost-san", FAIL, "SAN foo.*.example.com, name foo.bar.example.com",
         dns("foo.*.example.com"), DNS("foo.bar.example.com"), clients=ALL_REJECT)
    host("wildcard-match-across-labels-san", FAIL, "SAN *.example.com, name foo.bar.example.com",
         dns("*.example.com"), DNS("foo.bar.example.com"), clients=ALL_REJECT)
    host("wildcard-does-not-match-apex", FAIL, "SAN *.example.com, name example.com",
         dns("*.example.com"), DNS("example.com"), clients=ALL_REJECT)
    host("wildcard-embedded-ulabel-san", FAIL,
         "SAN xn--*-1b3c148a.example.com, name xn--bliss-1b3c148a.example.com",
         dns("xn--*-1b3c148a.example.com"), DNS("xn--bliss-1b3c148a.example.com"),
         clients=ALL_REJECT)
    host("wildcard-double-star", FAIL, "SAN **.example.com, name foo.example.com",
         dns("**.example.com"), DNS("foo.example.com"))
    host("wildcard-only-star", FAIL, "SAN *, name example", dns("*"), DNS("example"),
         clients=ALL_REJECT)
    host("idna-alabel-exact", OK, "SAN xn--bcher-kva.example, name xn--bcher-kva.example",
         dns("xn--bcher-kva.example"), DNS("xn--bcher-kva.example"), clients=ALL_ACCEPT)
    host("idna-wildcard-over-alabel", OK, "SAN *.example.com, name xn--bcher-kva.example.com",
         dns("*.example.com"), DNS("xn--bcher-kva.example.com"), clients=ALL_ACCEPT)
    host("case-insensitive-san", OK, "SAN EXAMPLE.com, name example.COM", dns("EXAMPLE.com"),
         DNS("example.COM"), clients=ALL_ACCEPT)
    host("case-insensitive-wildcard", OK, "SAN *.EXAMPLE.COM, name foo.example.com",
         dns("*.EXAMPLE.COM"), DNS("foo.example.com"), clients=ALL_ACCEPT)
    host("trailing-dot-in-san", FAIL, "SAN example.com. (absolute), name example.com",
         dns("example.com."), DNS("example.com"),
         note="CABF forbids trailing dots in SANs; Go and rustls reject the presented name")
    host("ip-as-dns-san", FAIL, "SAN dNSName 127.0.0.1, IP 127.0.0.1", dns("127.0.0.1"),
         IP("127.0.0.1"), clients=ALL_REJECT)
    host("ip-mismatch", FAIL, "SAN IP 127.0.0.1, IP 127.0.0.2", ips("127.0.0.1"),
         IP("127.0.0.2"), clients=ALL_REJECT)
    host("ip-san-dns-name", FAIL, "SAN IP 127.0.0.1 only, name localhost", ips("127.0.0.1"),
         DNS("localhost"), clients=ALL_REJECT)
    host("ipv4-mapped-ipv6", FAIL, "SAN IP ::ffff:127.0.0.1, IP 127.0.0.1",
         ips("::ffff:127.0.0.1"), IP("127.0.0.1"),
         clients={"accept": ["go"], "reject": ["openssl", "rustls"]},
         note="not a limbo case: a 16-byte iPAddress is not the 4-byte address (Go's "
              "net.IP.Equal treats them as equal)")
    host("no-san-cn-only", FAIL, "no SAN, CN example.com, name example.com", None,
         DNS("example.com"), cn="example.com",
         clients={"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]},
         note="OpenSSL falls back to the CN when no DNS SAN exists")
    host("no-san-cn-ip", FAIL, "no SAN, CN 127.0.0.1, IP 127.0.0.1", None, IP("127.0.0.1"),
         cn="127.0.0.1", clients=ALL_REJECT)
    host("cn-with-other-dns-san", FAIL, "SAN other.com, CN example.com, name example.com",
         dns("other.com"), DNS("example.com"), cn="example.com", clients=ALL_REJECT)
    host("san-critical-with-nonempty-subject", FAIL,
         "SAN marked critical while the subject is not empty (CABF)", dns("example.com"),
         DNS("example.com"), cn="something-else", san_critical=True,
         clients={"accept": ["openssl", "go", "chromium"], "reject": []},
         note="limbo webpki expectation; most clients accept")
    host("critical-san-empty-subject", OK, "empty subject and critical SAN (as RFC 5280 requires)",
         dns("example.com"), DNS("example.com"), subject=x509.Name([]), san_critical=True,
         clients=ALL_ACCEPT)
    host("noncritical-san-empty-subject", FAIL,
         "empty subject with a non-critical SAN (RFC 5280 4.2.1.6 requires critical)",
         dns("example.com"), DNS("example.com"), subject=x509.Name([]),
         note="limbo rfc5280 expectation; most clients accept")
    host("empty-san", FAIL, "SAN extension present but without names", [], DNS("example.com"),
         clients=ALL_REJECT, note="an empty SAN is malformed (RFC 5280: at least one name)")
    host("multiple-san-second-matches", OK, "SAN a.example.com, example.com; name example.com",
         dns("a.example.com", "example.com"), DNS("example.com"), clients=ALL_ACCEPT)
    host("dns-and-ip-san-ip", OK, "SAN example.com + IP 192.0.2.1; IP 192.0.2.1",
         dns("example.com") + ips("192.0.2.1"), IP("192.0.2.1"), clients=ALL_ACCEPT)
    host("email-san-only", FAIL, "SAN rfc822Name only, name example.com",
         [x509.RFC822Name("a@example.com")], DNS("example.com"), clients=ALL_REJECT)
    host("uri-san-only", FAIL, "SAN URI https://example.com only, name example.com",
         [x509.UniformResourceIdentifier("https://example.com")], DNS("example.com"),
         clients=ALL_REJECT)
    host("long-subdomain", OK, "SAN a.b.c.d.example.com, same name",
         dns("a.b.c.d.example.com"), DNS("a.b.c.d.example.com"), clients=ALL_ACCEPT)
    # client validation ignores names
    r = root()
    lf = leaf(r, san=dns("client.example.com"), eku=[CLIENT_AUTH])
    case("client-cert-dns-san", ns, OK, "client certificate; names are not checked", trusted=[r],
         peer=lf, kind="CLIENT", clients=ALL_ACCEPT)
    r = root()
    lf = leaf(r, "client", san=None, eku=[CLIENT_AUTH])
    case("client-cert-without-san", ns, OK, "client certificate without SAN", trusted=[r], peer=lf,
         kind="CLIENT", clients={"accept": ["openssl", "go", "chromium"], "reject": []},
         note="rustls's client-certificate verifier needs no SAN either")


def extension_cases():
    ns = "extensions"
    unknown = (x509.UnrecognizedExtension(UNKNOWN_OID, b""), True)
    unknown_nc = (x509.UnrecognizedExtension(UNKNOWN_OID, b"\x05\x00"), False)
    simple("unknown-critical-extension-ee", ns, FAIL, "EE with an unknown critical extension",
           leaf_kw={"extra": [unknown]}, clients=ALL_REJECT)
    simple_inter("unknown-critical-extension-intermediate", ns, FAIL,
                 "ICA with an unknown critical extension",
                 inter_kw={"pathlen": 0, "extra": [unknown]}, clients=ALL_REJECT)
    simple("unknown-critical-extension-root", ns, FAIL,
           "trusted root with an unknown critical extension", root_kw={"extra": [unknown]},
           clients={"accept": ["chromium", "rustls"], "reject": ["openssl", "go"]},
           note="limbo expects FAILURE; clients that treat anchors as name+key accept")
    simple("unknown-noncritical-extension-ee", ns, OK, "EE with an unknown non-critical extension",
           leaf_kw={"extra": [unknown_nc]}, clients=ALL_ACCEPT)
    simple_inter("unknown-noncritical-extension-intermediate", ns, OK,
                 "ICA with an unknown non-critical extension", inter_kw={"extra": [unknown_nc]},
                 clients=ALL_ACCEPT)
    # duplicate extensions by DER edit
    for where, oid, label in (("ee", OID_SAN, "subjectAltName"), ("ee", OID_KU, "keyUsage"),
                              ("intermediate", OID_BC, "basicConstraints")):
        r = root()
        if where == "ee":
            lf = resign(leaf(r), r.key, edit_extensions(duplicate_extension(oid)))
            case(f"duplicate-{label}-ee", ns, FAIL, f"EE with {label} twice (RFC 5280 4.2)",
                 trusted=[r], peer=lf, clients=ALL_REJECT)
        else:
            i = resign(inter(r), r.key, edit_extensions(duplicate_extension(oid)))
            lf = leaf(i)
            case(f"duplicate-{label}-intermediate", ns, FAIL, f"ICA with {label} twice",
                 trusted=[r], intermediates=[i], peer=lf, clients=ALL_REJECT)
    r = root()
    lf = leaf(r, extra=[(x509.InhibitAnyPolicy(0), True)])
    case("ee-critical-known-extension", ns, OK, "EE with a known critical extension (inhibitAnyPolicy)",
         trusted=[r], peer=lf, note="known critical extensions are processed, not refused")
    CASES.pop()  # inhibitAnyPolicy on an EE is odd; keep the corpus to what limbo has


def aki_ski_cases():
    ns = "aki-ski"
    simple("critical-aki", ns, FAIL, "root AKI marked critical", root_kw={"aki_critical": True},
           clients={"accept": ["openssl", "go", "chromium"], "reject": []},
           note="limbo rfc5280 expectation; clients accept")
    simple("self-signed-root-missing-aki", ns, OK, "self-signed root without AKI",
           root_kw={"aki": False}, clients=ALL_ACCEPT)
    r0 = root("cross signer")
    r = inter(r0, "corpus root", pathlen=0, aki=False)
    lf = leaf(r)
    case("cross-signed-root-missing-aki", ns, FAIL,
         "trust anchor issued by another root and missing AKI", trusted=[r], peer=lf,
         note="limbo rfc5280 expectation; OpenSSL rejects a non-self-signed anchor without "
              "-partial_chain")
    simple_inter("intermediate-missing-aki", ns, FAIL, "ICA without AKI",
                 inter_kw={"pathlen": 0, "aki": False},
                 clients={"accept": ["openssl", "go", "chromium"], "reject": []},
                 note="limbo rfc5280 expectation; strict OpenSSL rejects, ordinary clients accept")
    simple("leaf-missing-aki", ns, FAIL, "EE without AKI", leaf_kw={"aki": False},
           clients={"accept": ["openssl", "go", "chromium"], "reject": []},
           note="limbo rfc5280 expectation; strict OpenSSL rejects")
    simple("critical-ski", ns, FAIL, "root SKI marked critical", root_kw={"ski_critical": True},
           note="limbo rfc5280 expectation")
    simple("missing-ski", ns, FAIL, "root without SKI", root_kw={"ski": False},
           note="limbo rfc5280 expectation; clients accept")
    simple_inter("intermediate-missing-ski", ns, FAIL, "ICA without SKI",
                 inter_kw={"ski": False},
                 note="RFC 5280 4.2.1.2 requires SKI in CA certificates; strict OpenSSL rejects")
    simple("leaf-missing-ski", ns, OK, "EE without SKI (only SHOULD for EEs)",
           leaf_kw={"ski": False}, clients=ALL_ACCEPT)
    other = ec_key()
    simple("leaf-aki-mismatch", ns, FAIL,
           "EE AKI keyIdentifier does not match the issuer's SKI (the signature does)",
           leaf_kw={"aki_key": other},
           clients={"accept": ["go", "chromium"], "reject": ["openssl"]},
           note="OpenSSL uses AKI to select issuers: 'authority and subject key identifier mismatch'")


def crypto_cases():
    ns = "crypto"
    r = root()
    lf = leaf(r, digest=hashes.SHA1())
    case("ee-sha1-signature", ns, FAIL, "EE signed with ECDSA-SHA1", trusted=[r], peer=lf,
         clients={"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]},
         note="OpenSSL 3 at security level 1 accepts SHA-1 signatures")
    r = root()
    i = inter(r, digest=hashes.SHA1())
    lf = leaf(i)
    case("intermediate-sha1-signature", ns, FAIL, "ICA signed with ECDSA-SHA1", trusted=[r],
         intermediates=[i], peer=lf,
         clients={"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]})
    r = root(digest=hashes.SHA1())
    lf = leaf(r)
    case("root-sha1-self-signature", ns, OK,
         "trusted root self-signed with SHA-1 (anchor signatures are not checked)", trusted=[r],
         peer=lf, clients=ALL_ACCEPT)
    r = root(key=rsa_key(2048))
    lf = leaf(r, key=rsa_key(2048))
    resign(lf, r.key, lambda items: items, sig_alg=MD5_RSA, digest=hashes.MD5())
    case("ee-md5-signature", ns, FAIL, "EE signed with md5WithRSAEncryption", trusted=[r],
         peer=lf, clients=ALL_REJECT)
    r = root(key=rsa_key(2048))
    lf = leaf(r, key=rsa_key(1024))
    case("ee-rsa-1024", ns, FAIL, "EE RSA-1024 key", trusted=[r], peer=lf,
         clients={"accept": ["openssl", "go"], "reject": ["chromium", "rustls"]},
         note="rustls/webpki require RSA >= 2048; OpenSSL level 1 accepts >= 1024")
    r = root(key=rsa_key(2048))
    lf = leaf(r, key=rsa_key(512))
    case("ee-rsa-512", ns, FAIL, "EE RSA-512 key", trusted=[r], peer=lf, clients=ALL_REJECT)
    r = root(key=rsa_key(1024))
    i = inter(r, key=rsa_key(2048))
    lf = leaf(i)
    case("root-rsa-1024-signs-intermediate", ns, FAIL,
         "trusted root with RSA-1024 key signing an ICA", trusted=[r], intermediates=[i], peer=lf,
         clients={"accept": ["openssl"], "reject": ["chromium", "rustls"]})
    r = root(key=rsa_key(2048))
    lf = leaf(r, key=rsa_key(2048))
    case("rsa-2048-chain", ns, OK, "RSA-2048 root and EE", trusted=[r], peer=lf,
         clients=ALL_ACCEPT)
    r = root(key=ec.generate_private_key(ec.SECP384R1()))
    lf = leaf(r, digest=hashes.SHA384())
    case("ecdsa-p384-sha384", ns, OK, "P-384 root, ECDSA-SHA384 signatures", trusted=[r], peer=lf,
         clients=ALL_ACCEPT)
    r = root()
    lf = leaf(r, key=ec.generate_private_key(ec.SECP521R1()))
    case("ee-p521-key", ns, OK, "EE with a P-521 key",
         trusted=[r], peer=lf, clients={"accept": ["openssl", "go"], "reject": ["rustls"]},
         note="webpki rejects P-521 keys in some versions; RFC 5280 accepts")


def serial_cases():
    ns = "serial"
    for cid, value, expected, note, clients in (
            ("ee-serial-zero", b"\x00", FAIL, "RFC 5280 4.1.2.2: positive integer",
             {"accept": ["openssl", "go", "chromium"], "reject": []}),
            ("ee-serial-negative", b"\xff", FAIL, "negative serial",
             {"accept": ["openssl", "chromium"], "reject": ["go"]}),
            ("ee-serial-too-long", b"\x01" + b"\x5a" * 20, FAIL, "21-octet serial",
             {"accept": ["openssl", "go", "chromium"], "reject": ["rustls"]}),
            ("ee-serial-20-octets", b"\x01" + b"\x5a" * 19, OK, "exactly 20 octets",
             ALL_ACCEPT)):
        r = root()
        lf = resign(leaf(r), r.key, set_serial(value))
        case(cid, ns, expected, f"EE serial: {note}", trusted=[r], peer=lf, clients=clients,
             note="limbo rfc5280::serial expectation")
    r = root()
    i = resign(inter(r), r.key, set_serial(b"\xff\x00"))
    lf = leaf(i)
    case("intermediate-serial-negative", ns, FAIL, "ICA with a negative serial", trusted=[r],
         intermediates=[i], peer=lf, clients={"accept": ["openssl", "chromium"], "reject": ["go"]})


def version_cases():
    ns = "version"
    r = root()
    lf = resign(leaf(r), r.key, make_v1)
    case("ee-v1", ns, FAIL, "v1 EE (no extensions)", trusted=[r], peer=lf,
         clients={"accept": ["openssl", "go"], "reject": ["rustls"]},
         note="limbo webpki expectation (v3 required); OpenSSL accepts")
    r = root()
    i = resign(inter(r), r.key, make_v1)
    lf = leaf(i)
    case("intermediate-v1", ns, FAIL, "v1 ICA (cannot assert cA)", trusted=[r],
         intermediates=[i], peer=lf, clients=ALL_REJECT)
    r = root()
    resign(r, r.key, make_v1)
    lf = leaf(r)
    case("root-v1-trust-anchor", ns, OK,
         "v1 self-signed root as trust anchor (RFC 5280 6.1: an anchor is a name and a key)",
         trusted=[r], peer=lf, clients={"accept": ["openssl", "go"], "reject": []},
         note="OpenSSL treats a self-signed v1 certificate as a CA; not a limbo case")


def depth_cases():
    ns = "depth"
    for count, expected in ((5, OK), (10, OK), (40, OK)):
        r = root()
        chain, issuer = [], r
        for n in range(count):
            issuer = inter(issuer, f"ica {n}")
            chain.append(issuer)
        lf = leaf(issuer)
        case(f"chain-{count}-intermediates", ns, expected,
             f"root -> {count} ICAs -> EE", trusted=[r], intermediates=chain, peer=lf,
             clients={"accept": ["openssl", "go"], "reject": [] if count <= 6 else ["rustls"]},
             note="RFC 5280 sets no depth limit; OpenSSL's default is 100; rustls-webpki allows "
                  "at most 6 intermediates. limbo's depth cases set an explicit max depth, "
                  "which certvigil has no option for")


def policy_cases():
    ns = "policy"
    oid = x509.ObjectIdentifier("1.3.6.1.4.1.55738.1")
    simple_inter("intermediate-require-explicit-policy-leaf-without", ns, FAIL,
                 "ICA policyConstraints requireExplicitPolicy=0; EE has no certificatePolicies",
                 inter_kw={"extra": [(x509.PolicyConstraints(0, None), True)]},
                 clients={"accept": ["openssl", "rustls"], "reject": ["go", "chromium"]},
                 note="RFC 5280 6.1: explicit policy required and none is present; OpenSSL "
                      "checks policies only with -policy_check / X509_V_FLAG_POLICY_CHECK")
    pol = (x509.CertificatePolicies([x509.PolicyInformation(oid, None)]), False)
    simple_inter("intermediate-require-explicit-policy-leaf-with", ns, OK,
                 "ICA requireExplicitPolicy=0 and certificatePolicies; EE asserts the policy",
                 inter_kw={"extra": [(x509.PolicyConstraints(0, None), True), pol]},
                 leaf_kw={"extra": [pol]}, clients=ALL_ACCEPT)


def cve_cases():
    ns = "cve"
    # a trusted root and an untrusted self-signed imposter with the same name
    r = root()
    imposter = root("corpus root")
    i = inter(imposter)
    lf = leaf(i)
    case("imposter-root-same-name", ns, FAIL,
         "ICA issued by an untrusted root that shares the trusted root's name", trusted=[r],
         intermediates=[imposter, i], peer=lf, clients=ALL_REJECT)
    # a leaf that claims to be its own issuer (loop)
    r = root()
    a = inter(r, "loop a")
    b = inter(a, "loop b")
    a2 = inter(b, "loop a", key=a.key)
    lf = leaf(b)
    case("issuer-loop-with-valid-path", ns, OK,
         "ICAs that cross-certify each other in a loop; a valid path exists", trusted=[r],
         intermediates=[a2, b, a], peer=lf,
         clients={"accept": ["go", "chromium", "rustls"], "reject": ["openssl"]},
         note="OpenSSL takes the first matching issuer (the looping ICA) and does not backtrack; "
              "with the chain file reordered it accepts")
    r = root()
    a = inter(root("unrelated"), "loop a")
    b = inter(a, "loop b")
    a2 = inter(b, "loop a", key=a.key)
    lf = leaf(b)
    case("issuer-loop-without-path", ns, FAIL,
         "ICAs cross-certify each other in a loop and reach no trusted root", trusted=[r],
         intermediates=[a2, b, a], peer=lf, clients=ALL_REJECT)


def kind_matrix():
    """A few chain faults repeated for client validation, where mTLS servers judge them."""
    ns = "client"
    simple("expired-client-leaf", ns, FAIL, "client certificate expired",
           leaf_kw={"eku": [CLIENT_AUTH], "not_before": PAST_BEFORE, "not_after": PAST_AFTER},
           kind="CLIENT", clients=ALL_REJECT)
    simple("client-leaf-untrusted", ns, FAIL, "client certificate from an untrusted CA",
           leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT", clients=ALL_REJECT)
    CASES[-1]["trusted_certs"] = [root("someone else").pem]
    r = root()
    i = inter(r)
    lf = leaf(i, eku=[CLIENT_AUTH])
    case("client-missing-intermediate", ns, FAIL, "client sends only its leaf", trusted=[r],
         peer=lf, kind="CLIENT", clients=ALL_REJECT)
    simple_inter("client-chain-ok", ns, OK, "client leaf + ICA, root trusted",
                 leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT", clients=ALL_ACCEPT)
    simple("client-anyeku", ns, FAIL, "client certificate with anyExtendedKeyUsage only",
           leaf_kw={"eku": [ANY_EKU]}, kind="CLIENT",
           clients={"accept": ["go"], "reject": ["openssl", "rustls"]})
    simple("client-unknown-critical-extension", ns, FAIL,
           "client certificate with an unknown critical extension",
           leaf_kw={"eku": [CLIENT_AUTH],
                    "extra": [(x509.UnrecognizedExtension(UNKNOWN_OID, b""), True)]},
           kind="CLIENT", clients=ALL_REJECT)
    simple("client-sha1", ns, FAIL, "client certificate signed with SHA-1",
           leaf_kw={"eku": [CLIENT_AUTH], "digest": hashes.SHA1()}, kind="CLIENT",
           clients={"accept": ["openssl"], "reject": ["go", "rustls"]})
    simple_inter("client-intermediate-not-ca", ns, FAIL, "client chain through a CA:FALSE ICA",
                 inter_kw={"bc": x509.BasicConstraints(ca=False, path_length=None)},
                 leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT", clients=ALL_REJECT)
    simple_inter("client-pathlen-violation", ns, FAIL, "client chain violating root pathlen:0",
                 root_kw={"pathlen": 0}, leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT",
                 clients={"accept": ["rustls"], "reject": ["openssl", "go"]})
    simple("client-name-constraints-excluded", ns, FAIL,
           "client certificate whose DNS SAN the root excludes",
           root_kw={"name_constraints": x509.NameConstraints(None, dns("example.com"))},
           leaf_kw={"eku": [CLIENT_AUTH]}, kind="CLIENT", clients=ALL_REJECT)


def dt(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def limbo_validity_cases():
    """Three-level chains with limbo's windows (rfc5280::validity)."""
    ns = "validity"
    windows = {
        "expired-root-3level": (("2016-01-01T00:00:00Z", "2020-01-01T00:00:00Z"),
                                ("2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                                ("2018-01-01T00:00:00Z", "2023-01-01T00:00:00Z")),
        "expired-intermediate-3level": (("2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                                        ("2016-01-01T00:00:00Z", "2020-01-01T00:00:00Z"),
                                        ("2018-01-01T00:00:00Z", "2023-01-01T00:00:00Z")),
        "expired-leaf-3level": (("2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                                ("2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                                ("2018-01-01T00:00:00Z", "2021-01-01T00:00:00Z")),
    }
    for cid, (rw, iw, lw) in windows.items():
        r = root(not_before=dt(rw[0]), not_after=dt(rw[1]))
        i = inter(r, not_before=dt(iw[0]), not_after=dt(iw[1]))
        lf = leaf(i, not_before=dt(lw[0]), not_after=dt(lw[1]))
        clients = ALL_REJECT if "root" not in cid else {
            "accept": ["chromium", "rustls"], "reject": ["openssl", "go"]}
        case(cid, ns, FAIL, f"root -> ICA -> EE validated in 2022: {cid.rsplit('-', 1)[0]}",
             trusted=[r], intermediates=[i], peer=lf, at=dt("2022-01-01T00:00:00Z"),
             clients=clients)
    nb, na = dt("2024-03-01T00:00:00Z"), dt("2024-04-01T00:00:00Z")
    for cid, when, desc, clients in (
            ("notbefore-exact", nb, "all three valid from the validation time on (inclusive)",
             {"accept": ["go", "rustls"], "reject": []}),
            ("notafter-exact", na, "all three expire at the validation time (inclusive: valid)",
             {"accept": ["go", "rustls"], "reject": ["openssl"]})):
        r = root(not_before=nb, not_after=na)
        i = inter(r, not_before=nb, not_after=na)
        lf = leaf(i, not_before=nb, not_after=na)
        case(cid, ns, OK, desc, trusted=[r], intermediates=[i], peer=lf, at=when,
             clients=clients,
             note="OpenSSL's X509_cmp_time counts notAfter == now as expired" if "after" in cid
             else None)


def rfc5280_name_cases():
    ns = "names"
    r = root("empty-issuer", issuer_name=x509.Name([]))
    lf = leaf(r)
    case("ee-empty-issuer", ns, FAIL, "root (and so the EE's issuer) has an empty issuer name",
         trusted=[r], peer=lf)
    r = root(x509.Name([]))
    lf = leaf(r)
    case("ca-empty-subject", ns, FAIL, "root CA with an empty subject", trusted=[r], peer=lf,
         peer_name=DNS("example.com"))

    def dn_nc(permitted=None, excluded=None):
        return x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded)

    foo = [x509.DirectoryName(name("foo"))]
    for cid, expected, constraints, subject, san_dn in (
            ("nameconstraints-permitted-dn-mismatch", FAIL, dn_nc(permitted=foo), "not-foo",
             "not-foo"),
            ("nameconstraints-excluded-dn-match", FAIL, dn_nc(excluded=foo), "foo", "foo"),
            ("nameconstraints-permitted-dn-match", OK, dn_nc(permitted=foo), "foo", "foo"),
            ("nameconstraints-permitted-dn-match-subject-san-mismatch", FAIL,
             dn_nc(permitted=foo), "not-foo", "foo")):
        r = root(name_constraints=constraints)
        lf = leaf(r, subject, san=[x509.DirectoryName(name(san_dn))])
        case(cid, "name-constraints", expected,
             f"root directoryName constraint CN=foo; EE subject CN={subject}, SAN DN CN={san_dn}",
             trusted=[r], peer=lf, note="limbo feature name_constraint_dn")


def more_limbo_cases():
    r = root()
    lf = resign(leaf(r), r.key, set_serial(b"\x01" + b"\x5a" * 21))
    case("ee-serial-22-octets", "serial", FAIL, "EE serial of 22 octets", trusted=[r], peer=lf,
         peer_name=DNS("example.com"),
         clients={"accept": ["openssl", "go", "chromium"], "reject": ["rustls"]},
         note="limbo rfc5280::serial-number-too-long (pedantic)")
    r = root()
    lf = leaf(r, key=rsa_key(2048), key_usage=ku())
    case("ee-rsa-without-any-usages", "ku", FAIL,
         "EE RSA key with a critical KeyUsage asserting no bit (CABF 7.1.2.7.11)", trusted=[r],
         peer=lf, note="limbo webpki::ku case")
    # cycles (limbo pathological)
    for cid, same in (("intermediate-cycle-distinct-cas", False),
                      ("intermediate-cycle-same-logical-ca", True)):
        r = root()
        k1, k2 = ec_key(), ec_key()
        n1 = "cycle ca" if same else "cycle ca1"
        n2 = "cycle ca" if same else "cycle ca2"
        fake2 = Issued(None, k2, name(n2))
        fake1 = Issued(None, k1, name(n1))
        ica1 = inter(fake2, n1, key=k1)
        ica2 = inter(fake1, n2, key=k2)
        lf = leaf(ica1)
        case(cid, "pathological", FAIL,
             "two ICAs sign each other and neither reaches the trusted root", trusted=[r],
             intermediates=[ica1, ica2], peer=lf, clients=ALL_REJECT)


def webpki_key_cases():
    """limbo webpki::forbidden-* key cases and a few structural ones."""
    from cryptography.hazmat.primitives.asymmetric import dsa

    ns = "webpki"
    pedantic = "limbo marks it pedantic (webpki subscriber key)"
    for cid, make_key, where, clients, note in (
            ("forbidden-p192-leaf", lambda: ec.generate_private_key(ec.SECP192R1()), "leaf",
             {"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]}, pedantic),
            ("forbidden-p192-root", lambda: ec.generate_private_key(ec.SECP192R1()), "root",
             {"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]}, None),
            ("forbidden-dsa-leaf", lambda: dsa.generate_private_key(3072), "leaf",
             {"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]}, pedantic),
            ("forbidden-dsa-root", lambda: dsa.generate_private_key(3072), "root",
             {"accept": ["openssl"], "reject": ["go", "chromium", "rustls"]}, None),
            ("forbidden-weak-rsa-key-in-root", lambda: rsa_key(1024), "root",
             {"accept": ["openssl", "go"], "reject": ["chromium", "rustls"]}, None),
            ("forbidden-rsa-not-divisable-by-8-in-root", lambda: rsa_key(2052), "root",
             {"accept": ["openssl", "go", "chromium"], "reject": []}, "CABF 6.1.5"),
            ("forbidden-rsa-key-not-divisable-by-8-in-leaf", lambda: rsa_key(2052), "leaf",
             {"accept": ["openssl", "go", "chromium"], "reject": []}, pedantic)):
        key = make_key()
        if where == "root":
            r = root(key=key, digest=hashes.SHA256())
            lf = leaf(r)
        else:
            r = root()
            lf = leaf(r, key=key)
        case(cid, ns, FAIL, f"{where} key: {cid}", trusted=[r], peer=lf,
             peer_name=DNS("example.com"), clients=clients, note=note)
    r = root()
    lf = leaf(r, bc=x509.BasicConstraints(ca=True, path_length=None))
    case("ee-basicconstraints-ca", ns, FAIL,
         "EE with cA=TRUE but KeyUsage without keyCertSign (CABF 7.1.2.7.8)", trusted=[r],
         peer=lf, peer_name=DNS("example.com"),
         clients={"accept": ["openssl", "go", "chromium"], "reject": ["rustls"]})
    r = root()
    lf = leaf(r, extra=[(x509.UnrecognizedExtension(
        x509.oid.ExtensionOID.AUTHORITY_INFORMATION_ACCESS, b"malformed"), False)])
    case("malformed-aia", ns, FAIL, "EE with a malformed (non-critical) authorityInfoAccess",
         trusted=[r], peer=lf, peer_name=DNS("example.com"),
         note="limbo webpki::malformed-aia")


def all_cases():
    for fn in (basic_cases, pathlen_cases, validity_cases, eku_cases, ku_cases, bc_cases,
               nc_cases, san_cases, extension_cases, aki_ski_cases, crypto_cases, serial_cases,
               version_cases, depth_cases, policy_cases, cve_cases, kind_matrix,
               limbo_validity_cases, rfc5280_name_cases, more_limbo_cases, webpki_key_cases):
        fn()
    import cases_chromium  # the chromium namespace (tests/corpus/cases_chromium.py)

    cases_chromium.add_cases(sys.modules[__name__])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for stale in os.listdir(out):
        if stale.endswith(".json"):
            os.remove(os.path.join(out, stale))
    all_cases()
    ids = set()
    for c in CASES:
        assert c["id"] not in ids, c["id"]
        ids.add(c["id"])
        path = os.path.join(out, c["id"].replace("::", "__") + ".json")
        with open(path, "w") as f:
            json.dump(c, f, indent=1)
    print(f"{len(CASES)} cases written to {out}")


if __name__ == "__main__":
    main()
