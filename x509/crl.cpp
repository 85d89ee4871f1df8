// SPDX-License-Identifier: Apache-2.0
#include "x509/crl.h"

#include <climits>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/openssl_util.h"
#include "x509/pem.h"
#include "x509/reader.h"

namespace certvigil::x509 {
namespace {

/// CRLs of big CAs run to tens of megabytes.
constexpr size_t kMaxCrlFileBytes = size_t{64} * 1024 * 1024;

std::shared_ptr<X509_CRL> shareCrl(X509_CRL* crl) {
  return std::shared_ptr<X509_CRL>(crl, X509_CRL_free);
}

Result<std::shared_ptr<X509_CRL>> decodeDerCrl(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  X509_CRL* crl = d2i_X509_CRL(nullptr, &p, size);
  if (crl == nullptr) return makeError(ErrorCode::Parse, withOpensslReason("not a CRL"));
  return shareCrl(crl);
}

using CrlList = std::vector<std::shared_ptr<X509_CRL>>;

/// Every "X509 CRL" block of a PEM file; other blocks are skipped.
Status loadPemCrls(std::string_view bytes, CrlList& out) {
  for (const PemBlock& block : splitPem(bytes)) {
    if (block.label != "X509 CRL") continue;
    if (block.empty || block.truncated) {
      return makeError(ErrorCode::Parse, describeBlock(block, "empty or truncated block"));
    }
    Result<PemData> data = decodePemBlock(block.text);
    if (!data) return makeError(ErrorCode::Parse, describeBlock(block, data.error().message));
    Result<std::shared_ptr<X509_CRL>> crl = decodeDerCrl(data->der);
    if (!crl) return makeError(ErrorCode::Parse, describeBlock(block, crl.error().message));
    out.push_back(std::move(*crl));
  }
  return Ok{};
}

/// A PEM file's bytes (many CRLs) or one DER CRL.
Status loadBytes(std::string_view bytes, CrlList& out) {
  const size_t before = out.size();
  if (looksLikePem(bytes)) {
    if (Status loaded = loadPemCrls(bytes, out); !loaded) return loaded;
  } else {
    Result<std::shared_ptr<X509_CRL>> crl = decodeDerCrl(bytes);
    if (!crl) return crl.error();
    out.push_back(std::move(*crl));
  }
  if (out.size() == before) return makeError(ErrorCode::Parse, "no CRL in file");
  return Ok{};
}

/// A CRL file; the error names the file.
Status loadFile(const std::filesystem::path& path, CrlList& out) {
  Result<std::string> bytes = readFileCapped(path, kMaxCrlFileBytes);
  if (!bytes) return bytes.error();
  Status loaded = loadBytes(*bytes, out);
  if (!loaded) return makeError(ErrorCode::Parse, loaded.error().message, path.string());
  return Ok{};
}

std::string reasonName(long code) {
  static constexpr const char* kNames[] = {
      "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
      "superseded",    "cessationOfOperation", "certificateHold", "",
      "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};
  if (code < 0 || code >= static_cast<long>(std::size(kNames))) return {};
  return kNames[code];
}

std::string entryReason(X509_REVOKED* entry) {
  auto* code = static_cast<ASN1_ENUMERATED*>(
      X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr));
  std::string name = code != nullptr ? reasonName(ASN1_ENUMERATED_get(code)) : "";
  ASN1_ENUMERATED_free(code);
  return name;
}

/// Extensions a CRL may mark critical that OpenSSL (and so we) understand.
bool knownCriticalExtension(int nid) {
  return nid == NID_issuing_distribution_point || nid == NID_authority_key_identifier ||
         nid == NID_delta_crl || nid == NID_crl_number;
}

}  // namespace

std::string crlUnusableBecause(X509_CRL* crl, const std::vector<X509*>& candidates) {
  for (int i = 0; i < X509_CRL_get_ext_count(crl); ++i) {
    X509_EXTENSION* ext = X509_CRL_get_ext(crl, i);
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    if (X509_EXTENSION_get_critical(ext) != 0 && !knownCriticalExtension(nid)) {
      return "it has a critical extension certvigil does not understand";
    }
  }
  std::string why = "its issuer " + nameText(X509_CRL_get_issuer(crl)) + " is not at hand";
  for (X509* issuer : candidates) {
    if (X509_NAME_cmp(X509_get_subject_name(issuer), X509_CRL_get_issuer(crl)) != 0) continue;
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (key == nullptr || X509_CRL_verify(crl, key) != 1) {
      why = "its signature does not verify with the key of " +
            nameText(X509_get_subject_name(issuer));
      continue;
    }
    const bool may_sign = (X509_get_extension_flags(issuer) & EXFLAG_KUSAGE) == 0 ||
                          (X509_get_key_usage(issuer) & KU_CRL_SIGN) != 0;
    ERR_clear_error();
    if (may_sign) return {};
    why = "its issuer's keyUsage lacks cRLSign";
  }
  ERR_clear_error();
  return why;
}

namespace {

/// lastUpdate as seconds, for choosing the newest of several CRLs from one issuer.
int64_t lastUpdate(X509_CRL* crl) {
  return toUnix(toTimePoint(X509_CRL_get0_lastUpdate(crl)).value_or(TimePoint{}));
}

RevocationFacts verdictFrom(X509_CRL* crl, X509* cert, int position) {
  RevocationFacts facts;
  facts.position = position;
  facts.fingerprint = fingerprintOf(cert);
  facts.covered = true;
  facts.next_update = toTimePoint(X509_CRL_get0_nextUpdate(crl));
  X509_REVOKED* entry = nullptr;
  // 1: revoked; 2: listed as removeFromCRL (no longer revoked); 0: not listed.
  if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1 && entry != nullptr) {
    facts.revoked = true;
    facts.revoked_at = toTimePoint(X509_REVOKED_get0_revocationDate(entry));
    facts.reason = entryReason(entry);
  }
  return facts;
}

/// The CRL's authorityKeyIdentifier matches the issuer's subjectKeyIdentifier (or either lacks it).
bool keyIdentifierMatches(X509_CRL* crl, X509* issuer) {
  auto* akid = static_cast<AUTHORITY_KEYID*>(
      X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, nullptr, nullptr));
  const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(issuer);
  const bool matches = akid == nullptr || akid->keyid == nullptr || skid == nullptr ||
                       ASN1_OCTET_STRING_cmp(akid->keyid, skid) == 0;
  AUTHORITY_KEYID_free(akid);
  return matches;
}

/// Why a CRL fetched for `cert` cannot give its verdict, "" when it can.
std::string fetchedUnusableBecause(X509_CRL* crl, X509* cert, X509* issuer, TimePoint now) {
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0) {
    return "the CRL is from " + nameText(X509_CRL_get_issuer(crl)) + ", not from the issuer " +
           nameText(X509_get_issuer_name(cert));
  }
  if (!keyIdentifierMatches(crl, issuer)) {
    return "the CRL's authority key identifier is not the issuer's key";
  }
  if (std::string why = crlUnusableBecause(crl, {issuer}); !why.empty()) return "the CRL " + why;
  const auto this_update = toTimePoint(X509_CRL_get0_lastUpdate(crl));
  if (this_update && *this_update > now) {
    return "the CRL is from the future (thisUpdate " + formatRfc3339(*this_update) + ")";
  }
  return {};
}

}  // namespace

RevocationFacts CrlSet::checkCertificate(X509* cert, X509* issuer, TimePoint now) const {
  RevocationFacts facts;
  facts.fingerprint = fingerprintOf(cert);
  if (issuer == nullptr) {
    facts.problem = "its issuer " + nameText(X509_get_issuer_name(cert)) +
                    " is not on the path, so the CRL cannot be verified";
    return facts;
  }
  X509_CRL* best = nullptr;
  for (const auto& crl : crls_) {
    std::string why = fetchedUnusableBecause(crl.get(), cert, issuer, now);
    if (why.empty() && (best == nullptr || lastUpdate(crl.get()) > lastUpdate(best))) {
      best = crl.get();
    } else if (!why.empty() && facts.problem.empty()) {
      facts.problem = std::move(why);
    }
  }
  ERR_clear_error();
  if (best == nullptr) return facts;
  RevocationFacts verdict = verdictFrom(best, cert, 0);
  ERR_clear_error();
  return verdict;
}

std::optional<TimePoint> CrlSet::nextUpdate() const {
  std::optional<TimePoint> earliest;
  for (const auto& crl : crls_) {
    const auto next = toTimePoint(X509_CRL_get0_nextUpdate(crl.get()));
    if (next && (!earliest || *next < *earliest)) earliest = next;
  }
  return earliest;
}

Result<CrlSet> CrlSet::load(const std::vector<std::filesystem::path>& files) {
  ERR_clear_error();
  CrlSet set;
  for (const auto& path : files) {
    Status loaded = loadFile(path, set.crls_);
    if (!loaded) return loaded.error();
  }
  ERR_clear_error();
  return set;
}

Result<CrlSet> CrlSet::parse(std::string_view bytes) {
  ERR_clear_error();
  CrlSet set;
  Status loaded = loadBytes(bytes, set.crls_);
  ERR_clear_error();
  if (!loaded) return loaded.error();
  return set;
}

std::vector<RevocationFacts> CrlSet::check(const std::vector<X509*>& judged,
                                           const std::vector<X509*>& issuers) const {
  std::vector<X509*> candidates = issuers;
  candidates.insert(candidates.end(), judged.begin(), judged.end());
  std::vector<RevocationFacts> out;
  for (size_t i = 0; i < judged.size(); ++i) {
    X509* cert = judged[i];
    X509_CRL* best = nullptr;
    std::string problem;
    for (const auto& crl : crls_) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(cert)) != 0) continue;
      if (std::string why = crlUnusableBecause(crl.get(), candidates); !why.empty()) {
        if (problem.empty())
          problem =
              "the CRL from " + nameText(X509_CRL_get_issuer(crl.get())) + " is not used: " + why;
        continue;
      }
      if (best == nullptr || lastUpdate(crl.get()) > lastUpdate(best)) best = crl.get();
    }
    if (best != nullptr) {
      out.push_back(verdictFrom(best, cert, static_cast<int>(i)));
    } else if (!problem.empty() || i == 0) {
      RevocationFacts unknown;
      unknown.position = static_cast<int>(i);
      unknown.fingerprint = fingerprintOf(cert);
      unknown.problem = !problem.empty() ? problem
                                         : "none of the configured CRLs is from its issuer " +
                                               nameText(X509_get_issuer_name(cert));
      out.push_back(std::move(unknown));
    }
  }
  ERR_clear_error();
  return out;
}

}  // namespace certvigil::x509
