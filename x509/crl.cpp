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

/// The CRL's signature is checked against every candidate issuer named like the CRL's issuer.
/// None at hand: the CRL is taken on trust (the operator configured it). Candidates at hand but
/// none verifies: the CRL is not this issuer's and is ignored.
bool signatureAcceptable(X509_CRL* crl, const std::vector<X509*>& candidates) {
  bool any_candidate = false;
  for (X509* issuer : candidates) {
    if (X509_NAME_cmp(X509_get_subject_name(issuer), X509_CRL_get_issuer(crl)) != 0) continue;
    any_candidate = true;
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (key != nullptr && X509_CRL_verify(crl, key) == 1) return true;
  }
  ERR_clear_error();
  return !any_candidate;
}

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

}  // namespace

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

std::vector<RevocationFacts> CrlSet::check(const std::vector<X509*>& presented,
                                           const std::vector<X509*>& issuers) const {
  std::vector<X509*> candidates = issuers;
  candidates.insert(candidates.end(), presented.begin(), presented.end());
  std::vector<RevocationFacts> out;
  for (size_t i = 0; i < presented.size(); ++i) {
    X509* cert = presented[i];
    X509_CRL* best = nullptr;
    for (const auto& crl : crls_) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(cert)) != 0) continue;
      if (!signatureAcceptable(crl.get(), candidates)) continue;
      if (best == nullptr || lastUpdate(crl.get()) > lastUpdate(best)) best = crl.get();
    }
    if (best != nullptr) out.push_back(verdictFrom(best, cert, static_cast<int>(i)));
  }
  ERR_clear_error();
  return out;
}

}  // namespace certvigil::x509
