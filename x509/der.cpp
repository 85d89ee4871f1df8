// SPDX-License-Identifier: Apache-2.0
#include "x509/der.h"

#include <climits>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509/handles.h"
#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

/// One DER element as ASN1_get_object sees it.
struct Element {
  int tag = 0;
  int cls = 0;
  bool constructed = false;
  const unsigned char* content = nullptr;
  long length = 0;
  const unsigned char* next = nullptr;  ///< first byte after the element
};

/// Reads the element at `p` that must end by `end`; false on a bad or overlong header.
bool readElement(const unsigned char* p, const unsigned char* end, Element& out) {
  if (p >= end || end - p > LONG_MAX) return false;
  const unsigned char* cursor = p;
  const int flags = ASN1_get_object(&cursor, &out.length, &out.tag, &out.cls, end - p);
  // 0x80: bad header or length past `end`; 0x01: indefinite length (not DER).
  if ((flags & 0x80) != 0 || (flags & 0x01) != 0) {
    ERR_clear_error();
    return false;
  }
  out.constructed = (flags & V_ASN1_CONSTRUCTED) != 0;
  out.content = cursor;
  out.next = cursor + out.length;
  return true;
}

bool isUniversal(const Element& e, int tag) { return e.cls == V_ASN1_UNIVERSAL && e.tag == tag; }

/// tbsCertificate: [0] version OPTIONAL, serial INTEGER, then signature, issuer, validity,
/// subject and subjectPublicKeyInfo, all SEQUENCEs. Later optional fields are not looked at.
bool looksLikeTbs(const Element& tbs) {
  const unsigned char* p = tbs.content;
  const unsigned char* end = tbs.next;
  Element e;
  if (!readElement(p, end, e)) return false;
  if (e.cls == V_ASN1_CONTEXT_SPECIFIC && e.tag == 0) {
    p = e.next;
    if (!readElement(p, end, e)) return false;
  }
  if (!isUniversal(e, V_ASN1_INTEGER)) return false;
  p = e.next;
  for (int i = 0; i < 5; ++i) {
    if (!readElement(p, end, e) || !isUniversal(e, V_ASN1_SEQUENCE)) return false;
    p = e.next;
  }
  return true;
}

}  // namespace

std::string_view firstDerElement(std::string_view bytes) {
  const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
  Element e;
  if (!readElement(begin, begin + bytes.size(), e)) return {};
  return bytes.substr(0, static_cast<size_t>(e.next - begin));
}

bool looksLikeCertificate(std::string_view der) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* end = begin + der.size();
  Element outer;
  if (!readElement(begin, end, outer) || !isUniversal(outer, V_ASN1_SEQUENCE) ||
      outer.next != end) {
    return false;
  }
  Element tbs, algorithm, signature;
  return readElement(outer.content, end, tbs) && isUniversal(tbs, V_ASN1_SEQUENCE) &&
         looksLikeTbs(tbs) && readElement(tbs.next, end, algorithm) &&
         isUniversal(algorithm, V_ASN1_SEQUENCE) && readElement(algorithm.next, end, signature) &&
         isUniversal(signature, V_ASN1_BIT_STRING) && signature.next == end;
}

std::optional<std::string> whyNotCertificate(std::string_view der) {
  if (looksLikeCertificate(der)) return std::nullopt;
  ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  X509Ptr cert(d2i_X509(nullptr, &p, size));
  if (cert && p == reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return std::nullopt;
  }
  std::string reason = takeOpensslErrors();
  if (cert) reason = "trailing data after the certificate";
  return reason.empty() ? std::string("not an X.509 certificate") : reason;
}

}  // namespace certvigil::x509
