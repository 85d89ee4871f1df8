// SPDX-License-Identifier: Apache-2.0
#include "x509/crl_file.h"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "x509/crl.h"
#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

/// The certificates of `issuers` whose subject is the CRL's issuer name.
std::vector<X509*> namesakes(X509_CRL* crl, const std::vector<X509*>& issuers) {
  std::vector<X509*> out;
  for (X509* cert : issuers) {
    if (X509_NAME_cmp(X509_get_subject_name(cert), X509_CRL_get_issuer(crl)) == 0) {
      out.push_back(cert);
    }
  }
  return out;
}

CrlFacts factsOf(X509_CRL* crl, const CrlIssuers& issuers) {
  CrlFacts facts;
  facts.issuer = nameText(X509_CRL_get_issuer(crl));
  facts.this_update = toTimePoint(X509_CRL_get0_lastUpdate(crl)).value_or(TimePoint{});
  facts.next_update = toTimePoint(X509_CRL_get0_nextUpdate(crl));
  const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  facts.entries = revoked != nullptr ? sk_X509_REVOKED_num(revoked) : 0;
  if (!issuers.given) return facts;
  const std::vector<X509*> candidates = namesakes(crl, issuers.certificates);
  facts.foreign = candidates.empty();
  if (!facts.foreign) facts.problem = crlUnusableBecause(crl, candidates);
  return facts;
}

/// Whether the server prefers CRL `b` over `a` of the same CA: OpenSSL takes one that is
/// current over a stale one, then the newer; so the later nextUpdate (none: never stale) wins.
bool preferred(const CrlFacts& a, const CrlFacts& b) {
  if (a.next_update != b.next_update) {
    return !b.next_update || (a.next_update && *b.next_update > *a.next_update);
  }
  return b.this_update > a.this_update;
}

/// Marks every usable CRL that another usable CRL of the same CA outranks.
void markSuperseded(std::vector<CrlFacts>& crls) {
  for (CrlFacts& a : crls) {
    if (a.foreign || !a.problem.empty()) continue;
    for (const CrlFacts& b : crls) {
      if (&a == &b || b.foreign || !b.problem.empty() || b.issuer != a.issuer) continue;
      if (preferred(a, b)) a.superseded = true;
    }
  }
}

/// The CAs among the issuers with no CRL of their name in the file.
std::vector<CrlGap> gapsOf(const CrlSet& set, const std::vector<X509*>& issuers) {
  std::vector<CrlGap> gaps;
  for (X509* ca : issuers) {
    if (X509_check_ca(ca) == 0) continue;  // not a CA: on no path as an issuer
    const bool covered = std::any_of(set.crls().begin(), set.crls().end(), [&](const auto& crl) {
      return X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(crl.get())) == 0;
    });
    CrlGap gap{nameText(X509_get_subject_name(ca)), fingerprintOf(ca)};
    const bool listed = std::any_of(gaps.begin(), gaps.end(), [&](const CrlGap& g) {
      return g.fingerprint == gap.fingerprint;
    });
    if (!covered && !listed) gaps.push_back(std::move(gap));
  }
  return gaps;
}

}  // namespace

Result<CrlFileFacts> describeCrlFile(std::string_view bytes, const CrlIssuers& issuers) {
  Result<CrlSet> set = CrlSet::parse(bytes);
  if (!set) return set.error();
  CrlFileFacts facts;
  facts.issuers_given = issuers.given;
  for (const auto& crl : set->crls()) facts.crls.push_back(factsOf(crl.get(), issuers));
  markSuperseded(facts.crls);
  if (issuers.given) facts.gaps = gapsOf(*set, issuers.certificates);
  ERR_clear_error();
  return facts;
}

}  // namespace certvigil::x509
