// SPDX-License-Identifier: Apache-2.0
#include "x509/facts.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <climits>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "x509/openssl_util.h"
#include "x509/thread_library.h"

namespace certvigil::x509 {
namespace {

std::string commonName(X509* cert) {
  const X509_NAME* name = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) {
    ERR_clear_error();
    return {};
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

std::string serialHex(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = bn != nullptr ? BN_bn2hex(bn) : nullptr;  // upper case, whole bytes
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

void readValidity(X509* cert, CertificateFacts& facts) {
  facts.not_before = toTimePoint(X509_get0_notBefore(cert)).value_or(TimePoint{});
  facts.not_after = toTimePoint(X509_get0_notAfter(cert)).value_or(TimePoint{});
}

void readFlags(X509* cert, CertificateFacts& facts) {
  const uint32_t flags = X509_get_extension_flags(cert);
  facts.is_ca = (flags & EXFLAG_CA) != 0;
  // Name comparison, not X509_check_issued: that also applies keyUsage, and a self-signed leaf
  // without keyCertSign is still self-issued.
  facts.self_issued = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  facts.self_signed = facts.self_issued && key != nullptr && X509_verify(cert, key) == 1;
  facts.has_eku = (flags & EXFLAG_XKUSAGE) != 0;
  const uint32_t eku = X509_get_extended_key_usage(cert);
  facts.eku_server_auth = facts.has_eku && (eku & XKU_SSL_SERVER) != 0;
  facts.eku_client_auth = facts.has_eku && (eku & XKU_SSL_CLIENT) != 0;
  facts.eku_any = facts.has_eku && (eku & XKU_ANYEKU) != 0;
  facts.eku_sgc = facts.has_eku && (eku & XKU_SGC) != 0;
}

bool hasExtension(X509* cert, int nid, bool* critical = nullptr) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  if (index < 0) return false;
  if (critical != nullptr) *critical = X509_EXTENSION_get_critical(X509_get_ext(cert, index)) != 0;
  return true;
}

/// Extensions that clients decode, found twice or not decodable. OpenSSL refuses a certificate
/// whose basicConstraints, keyUsage, EKU, key identifiers or name constraints are broken
/// (EXFLAG_INVALID); Go and Chromium refuse any extension they parse that does not decode, such
/// as authorityInfoAccess, which OpenSSL never reads while verifying.
void readMalformedExtensions(X509* cert, CertificateFacts& facts) {
  constexpr std::array kDecoded = {NID_basic_constraints,
                                   NID_key_usage,
                                   NID_ext_key_usage,
                                   NID_subject_key_identifier,
                                   NID_authority_key_identifier,
                                   NID_subject_alt_name,
                                   NID_name_constraints,
                                   NID_info_access,
                                   NID_crl_distribution_points,
                                   NID_certificate_policies,
                                   NID_policy_constraints};
  for (int nid : kDecoded) {
    const int first = X509_get_ext_by_NID(cert, nid, -1);
    if (first < 0) continue;
    const bool twice = X509_get_ext_by_NID(cert, nid, first) >= 0;
    void* decoded = X509V3_EXT_d2i(X509_get_ext(cert, first));
    const X509V3_EXT_METHOD* method = X509V3_EXT_get_nid(nid);
    if (decoded != nullptr && method != nullptr && method->it != nullptr) {
      ASN1_item_free(static_cast<ASN1_VALUE*>(decoded), ASN1_ITEM_ptr(method->it));
    }
    if (twice || decoded == nullptr) {
      facts.malformed_extensions.push_back(std::string(OBJ_nid2sn(nid)) +
                                           (twice ? " (twice)" : ""));
    }
  }
  ERR_clear_error();
}

/// The RFC 5280 details strict clients enforce (checks/conformance.cpp judges them).
void readConformance(X509* cert, CertificateFacts& facts) {
  facts.version = static_cast<int>(X509_get_version(cert)) + 1;
  facts.has_basic_constraints =
      hasExtension(cert, NID_basic_constraints, &facts.basic_constraints_critical);
  facts.has_key_usage = (X509_get_extension_flags(cert) & EXFLAG_KUSAGE) != 0;
  const uint32_t usage = X509_get_key_usage(cert);
  facts.key_usage_cert_sign = facts.has_key_usage && (usage & KU_KEY_CERT_SIGN) != 0;
  facts.key_usage_crl_sign = facts.has_key_usage && (usage & KU_CRL_SIGN) != 0;
  facts.key_usage_tls =
      facts.has_key_usage &&
      (usage & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)) != 0;
  facts.has_path_len = X509_get_pathlen(cert) >= 0;
  facts.subject_empty = X509_NAME_entry_count(X509_get_subject_name(cert)) == 0;
  facts.issuer_empty = X509_NAME_entry_count(X509_get_issuer_name(cert)) == 0;
  facts.has_subject_key_id = hasExtension(cert, NID_subject_key_identifier);
  facts.has_authority_key_id = hasExtension(cert, NID_authority_key_identifier);
  facts.has_subject_alt_name =
      hasExtension(cert, NID_subject_alt_name, &facts.subject_alt_name_critical);
  readMalformedExtensions(cert, facts);
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  facts.serial_bytes = ASN1_STRING_length(serial);
  const bool zero =
      std::all_of(ASN1_STRING_get0_data(serial), ASN1_STRING_get0_data(serial) + facts.serial_bytes,
                  [](unsigned char b) { return b == 0; });
  facts.serial_sign = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? -1 : zero ? 0 : 1;
  // The DER content octets: a positive serial with its high bit set carries a leading zero.
  const unsigned char* data = ASN1_STRING_get0_data(serial);
  if (facts.serial_sign > 0 && facts.serial_bytes > 0 && (data[0] & 0x80) != 0) {
    facts.serial_bytes += 1;
  }
}

KeyType keyTypeOf(int base_id) {
  switch (base_id) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return KeyType::Rsa;
    case EVP_PKEY_EC:
      return KeyType::Ec;
    case EVP_PKEY_ED25519:
      return KeyType::Ed25519;
    case EVP_PKEY_ED448:
      return KeyType::Ed448;
    case EVP_PKEY_DSA:
      return KeyType::Dsa;
    default:
      return KeyType::Other;
  }
}

void readKey(X509* cert, CertificateFacts& facts) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return;
  facts.key_type = keyTypeOf(EVP_PKEY_get_base_id(key));
  facts.key_bits = EVP_PKEY_get_bits(key);
  // OpenSSL reports the group order size (253/456); the model says 255/448 (the curve names).
  if (facts.key_type == KeyType::Ed25519) facts.key_bits = 255;
  if (facts.key_type == KeyType::Ed448) facts.key_bits = 448;
  if (facts.key_type == KeyType::Ec) {
    char group[80] = {};
    size_t size = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &size) == 1) {
      facts.key_curve.assign(group, size);
    }
  }
}

void readSignature(X509* cert, CertificateFacts& facts) {
  const int nid = X509_get_signature_nid(cert);
  if (nid != NID_undef) {
    facts.signature_algorithm = OBJ_nid2ln(nid);
  } else {
    const X509_ALGOR* algorithm = nullptr;
    X509_get0_signature(nullptr, &algorithm, cert);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
    char text[128] = {};
    OBJ_obj2txt(text, sizeof text, oid, 1);
    facts.signature_algorithm = text;
  }
  int digest = NID_undef;
  if (OBJ_find_sigid_algs(nid, &digest, nullptr) == 1 && digest != NID_undef) {
    facts.signature_digest = OBJ_nid2ln(digest);  // long names are "sha256", "sha1", "md5"
  }
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  char text[INET6_ADDRSTRLEN] = {};
  const int size = ASN1_STRING_length(ip);
  const int family = size == 4 ? AF_INET : size == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text) == nullptr) {
    return {};
  }
  return text;
}

void readSubjectAltNames(X509* cert, CertificateFacts& facts) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      facts.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                   static_cast<size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      std::string ip = ipText(name->d.iPAddress);
      if (!ip.empty()) facts.ip_addresses.push_back(std::move(ip));
    }
  }
  GENERAL_NAMES_free(names);
}

/// The URI of each fullName of each distribution point (a CRL issuer's relative name is ignored).
void readCrlUrls(X509* cert, CertificateFacts& facts) {
  auto* points = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
  for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points, i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      facts.crl_urls.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                                  static_cast<size_t>(ASN1_STRING_length(uri)));
    }
  }
  CRL_DIST_POINTS_free(points);
}

/// The OCSP responder URIs of authorityInfoAccess.
void readOcspUrls(X509* cert, CertificateFacts& facts) {
  STACK_OF(OPENSSL_STRING)* uris = X509_get1_ocsp(cert);
  for (int i = 0; i < sk_OPENSSL_STRING_num(uris); ++i) {
    facts.ocsp_urls.emplace_back(sk_OPENSSL_STRING_value(uris, i));
  }
  X509_email_free(uris);
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

CertificateFacts extractFacts(X509* cert) {
  CertificateFacts facts;
  facts.der = derOf(cert);
  facts.fingerprint_sha256 = sha256Hex(facts.der);
  facts.subject = nameText(X509_get_subject_name(cert));
  facts.issuer = nameText(X509_get_issuer_name(cert));
  facts.common_name = commonName(cert);
  facts.serial = serialHex(cert);
  readValidity(cert, facts);
  readFlags(cert, facts);
  readKey(cert, facts);
  readSignature(cert, facts);
  readSubjectAltNames(cert, facts);
  readConformance(cert, facts);
  readCrlUrls(cert, facts);
  readOcspUrls(cert, facts);
  ERR_clear_error();
  return facts;
}

Result<ParsedCertificate> parseCertificate(std::string_view der) {
  ERR_clear_error();
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = begin;
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  X509* blank = X509_new_ex(threadLibrary(), nullptr);
  if (blank == nullptr) return makeError(ErrorCode::Parse, withOpensslReason("not a certificate"));
  X509Ptr cert(d2i_X509(&blank, &p, size));  // frees `blank` on failure
  if (!cert) return makeError(ErrorCode::Parse, withOpensslReason("not a certificate"));
  if (p != begin + der.size()) {
    return makeError(ErrorCode::Parse, "not a certificate: trailing data after the certificate");
  }
  auto facts = std::make_shared<const CertificateFacts>(extractFacts(cert.get()));
  return ParsedCertificate{share(std::move(cert)), std::move(facts)};
}

Result<ParsedCertificate> CertificateCache::get(std::string_view der) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_der_.find(der); it != by_der_.end()) return it->second.parsed;
  }
  // Decode outside the lock: two threads may decode the same new certificate once each, which
  // is cheaper than serialising every decode.
  Result<ParsedCertificate> parsed = parseCertificate(der);
  if (!parsed) return parsed;
  Entry entry{std::move(*parsed), nullptr};
  if (entry.parsed.facts->der != der) entry.read_as = std::make_unique<const std::string>(der);
  const std::string_view key = entry.read_as ? *entry.read_as : entry.parsed.facts->der;
  std::lock_guard lock(mutex_);
  return by_der_.try_emplace(key, std::move(entry)).first->second.parsed;
}

size_t CertificateCache::size() const {
  std::lock_guard lock(mutex_);
  return by_der_.size();
}

void CertificateCache::prune() {
  std::lock_guard lock(mutex_);
  // use_count() == 1: only this map holds it. New references are only made through get(),
  // under the same lock, so the count cannot rise while we look.
  std::erase_if(by_der_, [](const auto& entry) {
    const ParsedCertificate& parsed = entry.second.parsed;
    return parsed.cert.use_count() == 1 && parsed.facts.use_count() == 1;
  });
}

}  // namespace certvigil::x509
