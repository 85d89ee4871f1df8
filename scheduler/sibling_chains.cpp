// SPDX-License-Identifier: Apache-2.0
// A leaf file whose issuing intermediate sits in another file of the same unit — certbot's
// cert.pem beside chain.pem, or a directory holding leaf.crt and intermediate.crt — is complete
// on this host: whoever serves it has the intermediate at hand. For units of role auto only:
// with an explicit client or server role the file is what a peer receives, so it must hold the
// chain itself and stays chain_incomplete.
#include <algorithm>
#include <unordered_set>

#include "scheduler/unit_scanner.h"
#include "x509/chain.h"

namespace certvigil::scheduler {
namespace {

// Intermediates (CA, not self-signed) seen anywhere in the unit, decoded once each.
std::vector<x509::X509Shared> intermediatePool(const std::vector<const TargetResult*>& results,
                                               x509::CertificateCache& cache) {
  std::vector<x509::X509Shared> pool;
  std::unordered_set<std::string> seen;
  for (const TargetResult* r : results) {
    for (const auto& c : r->observation.certificates) {
      const CertificateFacts& f = *c.facts;
      if (!f.is_ca || f.self_signed || !seen.insert(f.fingerprint_sha256).second) continue;
      if (auto parsed = cache.get(f.der)) pool.push_back(parsed->cert);
    }
  }
  return pool;
}

}  // namespace

void UnitScanner::completeFromSiblings(std::vector<Work>& work,
                                       const std::vector<TargetResultPtr>& unchanged,
                                       const ScanContext& context) const {
  if (unit_.role != Role::Auto || unit_.kind != TargetKind::File) return;
  auto incomplete = [](const Work& w, size_t i) {
    return w.previous.empty() && w.results[i]->observation.chain.status == ChainStatus::Incomplete;
  };
  auto any_incomplete = [&](const Work& w) {
    for (size_t i = 0; i < w.results.size(); ++i) {
      if (incomplete(w, i)) return true;
    }
    return false;
  };
  // Whether completed now or not, such a leaf's verdict depends on the other files: the
  // scanner reads it again when they change (an intermediate added, removed or replaced).
  for (auto& w : work) w.sibling_dependent = w.sibling_dependent || any_incomplete(w);
  if (std::none_of(work.begin(), work.end(), any_incomplete)) return;
  std::vector<const TargetResult*> all;
  for (const auto& w : work) {
    for (size_t i = 0; i < w.results.size(); ++i) all.push_back(w.results[i].get());
  }
  for (const auto& r : unchanged) all.push_back(r.get());
  const std::vector<x509::X509Shared> pool = intermediatePool(all, context.certificates);
  if (pool.empty()) return;
  std::vector<X509*> extra;
  for (const auto& c : pool) extra.push_back(c.get());
  for (auto& w : work) {
    for (size_t i = 0; i < w.results.size(); ++i) {
      if (incomplete(w, i)) completeOne(w, i, extra, context);
    }
  }
}

void UnitScanner::completeOne(Work& w, size_t index, const std::vector<X509*>& extra,
                              const ScanContext& context) const {
  TargetResultPtr& result = w.results[index];
  std::vector<x509::X509Shared> keep;
  std::vector<X509*> presented;
  for (const auto& c : result->observation.certificates) {
    if (auto parsed = context.certificates.get(c.facts->der)) {
      keep.push_back(parsed->cert);
      presented.push_back(parsed->cert.get());
    }
  }
  ChainVerdict verdict = x509::buildChain(presented, extra, context.trust,
                                          {context.clock.now(), &context.certificates});
  if (verdict.status != ChainStatus::Valid) return;
  verdict.editWords().detail = "issuer found in another file of the same entry";
  Observation obs = result->observation;
  obs.chain = std::move(verdict);
  Validity validity;
  result = judge(std::move(obs), context, validity);
  w.validity.horizon = std::min(w.validity.horizon, validity.horizon);
}

}  // namespace certvigil::scheduler
