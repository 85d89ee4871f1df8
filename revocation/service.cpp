// SPDX-License-Identifier: Apache-2.0
#include "revocation/service.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace certvigil::revocation {
namespace {

/// Remembered CRL verdicts before the memory is cleared (certificates come and go).
constexpr size_t kMaxChecked = 100000;

bool isFetched(const RevocationFacts& facts) {
  return facts.source == RevocationSource::Crl || facts.source == RevocationSource::Ocsp;
}

bool decided(const RevocationFacts& facts) { return facts.covered || facts.revoked; }

/// A file CRL or a verified staple already gave a verdict on this certificate.
bool hasVerdict(const Observation& obs, const std::string& fingerprint) {
  return std::any_of(obs.revocation.begin(), obs.revocation.end(), [&](const RevocationFacts& r) {
    return r.fingerprint == fingerprint && decided(r);
  });
}

/// The first http(s) OCSP responder of a certificate, "" if none.
std::string ocspUrl(const CertificateFacts& facts) {
  for (const std::string& url : facts.ocsp_urls) {
    if (fetchable(url)) return url;
  }
  return {};
}

RevocationFacts unknown(std::string url, std::string problem) {
  RevocationFacts facts;
  facts.source = RevocationSource::Crl;
  facts.url = std::move(url);
  facts.problem = std::move(problem);
  return facts;
}

/// A verdict from a CRL whose refetch failed: still good before its nextUpdate, and a
/// revocation stays one; a stale CRL says why it was not replaced.
void noteFailedRefetch(RevocationFacts& facts, const CrlEntry& entry, TimePoint now) {
  if (entry.error.empty() || facts.revoked || !facts.next_update || *facts.next_update >= now) {
    return;
  }
  facts.covered = false;
  facts.problem = "its CRL at " + entry.url + " is stale (nextUpdate " +
                  formatRfc3339(*facts.next_update) +
                  ") and fetching it again failed: " + entry.error;
}

/// The leaf of an observation: the first certificate of its path, or the one presented first.
CertificateFactsPtr leafOf(const Observation& obs, int& position) {
  if (!obs.chain.path.empty() && obs.chain.path[0].facts) {
    position = std::max(0, obs.chain.path[0].position);
    return obs.chain.path[0].facts;
  }
  for (const PresentedCertificate& cert : obs.certificates) {
    if (cert.position == 0) {
      position = 0;
      return cert.facts;
    }
  }
  return nullptr;
}

RenewalFacts renewalFrom(const AriEntry& entry) {
  RenewalFacts facts;
  facts.cert_id = entry.cert_id;
  facts.url = entry.url;
  facts.problem = entry.error;
  facts.next_poll = entry.next_poll;
  if (entry.window) {
    facts.window_start = entry.window->start;
    facts.window_end = entry.window->end;
    facts.explanation_url = entry.window->explanation_url;
  }
  return facts;
}

}  // namespace

void RevocationService::setAcme(std::vector<config::AcmeConfig> entries) {
  auto shared = std::make_shared<const std::vector<config::AcmeConfig>>(std::move(entries));
  std::lock_guard lock(acme_mutex_);
  if (acme_ && *acme_ == *shared) return;
  acme_ = std::move(shared);
  ++acme_generation_;
}

// Leaves only: ARI is about end-entity certificates an ACME CA issued. A leaf without
// authorityKeyIdentifier has no ARI identifier and is not asked about.
void RevocationService::annotateRenewal(Observation& obs, Seconds timeout) {
  obs.renewal.clear();
  std::shared_ptr<const std::vector<config::AcmeConfig>> acme;
  {
    std::lock_guard lock(acme_mutex_);
    acme = acme_;
  }
  if (!acme || acme->empty()) return;
  int position = 0;
  const CertificateFactsPtr leaf = leafOf(obs, position);
  if (!leaf || leaf->self_signed || leaf->is_ca || !leaf->has_authority_key_id) return;
  Result<x509::ParsedCertificate> cert = certificates_.get(leaf->der);
  if (!cert) return;
  const std::string aki = authorityKeyIdHex(cert->cert.get());
  const config::AcmeConfig* entry = acmeEntryFor(*acme, {leaf->issuer, aki, obs.target});
  Result<std::string> id = ariCertId(cert->cert.get());
  if (entry == nullptr || !id) return;
  RenewalFacts facts = renewalFrom(*ari_.get(entry->directory, *id, timeout));
  facts.position = position;
  facts.fingerprint = leaf->fingerprint_sha256;
  obs.renewal.push_back(std::move(facts));
}

std::vector<std::string> fetchableCrlUrls(const CertificateFacts& facts) {
  std::vector<std::string> urls;
  if (facts.self_signed) return urls;
  for (const std::string& url : facts.crl_urls) {
    if (fetchable(url)) urls.push_back(url);
  }
  return urls;
}

void RevocationService::annotateAll(const std::vector<Lookup>& lookups) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < lookups.size(); i = next++) {
      annotate(*lookups[i].observation, *lookups[i].options);
    }
  };
  const size_t threads = std::min<size_t>(lookups.size(), CrlCache::kMaxParallelFetches);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

RevocationFacts RevocationService::checkOnce(const CrlEntryPtr& entry, X509* cert, X509* issuer,
                                             const std::string& key, TimePoint now) {
  {
    std::lock_guard lock(checked_mutex_);
    auto found = checked_.find(key);
    if (found != checked_.end() && found->second.entry == entry) return found->second.verdict;
  }
  RevocationFacts verdict = entry->crls->checkCertificate(cert, issuer, now);
  // Only verdicts are kept: a problem (a CRL from the future) may go away with time.
  if (!verdict.covered) return verdict;
  std::lock_guard lock(checked_mutex_);
  if (checked_.size() >= kMaxChecked) checked_.clear();  // certificates come and go
  checked_[key] = {entry, verdict};
  return verdict;
}

std::optional<RevocationFacts> RevocationService::crlVerdict(
    const CertificateFacts& facts, X509* cert, X509* issuer, const std::string& issuer_fingerprint,
    const config::RevocationConfig& options) {
  const std::vector<std::string> urls = fetchableCrlUrls(facts);
  if (urls.empty()) {
    if (facts.crl_urls.empty()) return std::nullopt;
    return unknown(facts.crl_urls.front(),
                   "its CRL distribution point " + facts.crl_urls.front() +
                       " is not fetched (certvigil fetches http and https CRLs only)");
  }
  const TimePoint now = clock_.now();
  std::optional<RevocationFacts> first_problem;
  for (const std::string& url : urls) {
    const CrlEntryPtr entry = crls_.get(url, options);
    RevocationFacts verdict;
    if (entry->crls) {
      verdict =
          issuer == nullptr
              ? entry->crls->checkCertificate(cert, issuer, now)
              : checkOnce(entry, cert, issuer,
                          url + "|" + facts.fingerprint_sha256 + "|" + issuer_fingerprint, now);
      if (!verdict.problem.empty()) verdict.problem = "the CRL at " + url + ": " + verdict.problem;
      noteFailedRefetch(verdict, *entry, now);
    } else {
      verdict.problem = "cannot fetch its CRL from " + url + ": " + entry->error;
    }
    verdict.source = RevocationSource::Crl;
    verdict.url = url;
    if (verdict.covered || verdict.revoked) return verdict;
    if (!first_problem) first_problem = std::move(verdict);
  }
  return first_problem;
}

std::optional<RevocationFacts> RevocationService::ocspVerdict(
    const CertificateFacts& facts, X509* cert, X509* issuer,
    const config::RevocationConfig& options) {
  const std::string url = ocspUrl(facts);
  if (url.empty()) return std::nullopt;
  RevocationFacts verdict;
  if (issuer == nullptr) {
    verdict.problem = "its issuer is not on the path, so OCSP cannot be asked";
  } else {
    verdict = ocsp_.get(facts.fingerprint_sha256, url, cert, issuer, options)->verdict;
    if (!decided(verdict)) verdict.problem = "OCSP responder " + url + ": " + verdict.problem;
  }
  verdict.source = RevocationSource::Ocsp;
  verdict.url = url;
  return verdict;
}

// CRL first (the CA's whole list, shared by every certificate); the leaf's OCSP responder when
// the CRL gives no verdict. Both failing: one revocation_unknown naming both reasons.
std::optional<RevocationFacts> RevocationService::verdictFor(
    const CertificateFacts& facts, X509* cert, X509* issuer, const std::string& issuer_fingerprint,
    bool is_leaf, const config::RevocationConfig& options) {
  std::optional<RevocationFacts> verdict;
  if (options.crl == config::RevocationMode::Auto) {
    verdict = crlVerdict(facts, cert, issuer, issuer_fingerprint, options);
  }
  if ((verdict && decided(*verdict)) || !is_leaf || options.ocsp == config::RevocationMode::Off) {
    return verdict;
  }
  std::optional<RevocationFacts> ocsp = ocspVerdict(facts, cert, issuer, options);
  if (!ocsp) return verdict;
  if (!verdict || decided(*ocsp)) return ocsp;
  verdict->problem += "; and " + ocsp->problem;
  return verdict;
}

std::optional<RevocationFacts> RevocationService::lookUp(const CertificatePath& path, size_t i,
                                                         const config::RevocationConfig& options) {
  const CertificateFacts& facts = *path[i].facts;
  Result<x509::ParsedCertificate> cert = certificates_.get(facts.der);
  if (!cert) return std::nullopt;
  const CertificateFacts* issuer_facts = i + 1 < path.size() ? path[i + 1].facts.get() : nullptr;
  Result<x509::ParsedCertificate> issuer = makeError(ErrorCode::NotFound, "no issuer");
  if (issuer_facts != nullptr) issuer = certificates_.get(issuer_facts->der);
  return verdictFor(facts, cert->cert.get(), issuer ? issuer->cert.get() : nullptr,
                    issuer_facts != nullptr ? issuer_facts->fingerprint_sha256 : std::string(),
                    i == 0, options);
}

void RevocationService::annotate(Observation& obs, const config::RevocationConfig& options) {
  annotateRenewal(obs, options.timeout);
  std::erase_if(obs.revocation, isFetched);
  if (options.crl == config::RevocationMode::Off && options.ocsp == config::RevocationMode::Off) {
    return;
  }
  const CertificatePath& path = obs.chain.path;
  for (size_t i = 0; i < path.size(); ++i) {
    const CertificateFactsPtr& facts = path[i].facts;
    if (!facts || facts->self_signed) continue;
    if (facts->crl_urls.empty() && facts->ocsp_urls.empty()) continue;
    if (hasVerdict(obs, facts->fingerprint_sha256)) continue;
    std::optional<RevocationFacts> verdict = lookUp(path, i, options);
    if (!verdict) continue;
    verdict->position = path[i].position;
    verdict->fingerprint = facts->fingerprint_sha256;
    verdict->hard_fail = !options.soft_fail;
    std::erase_if(obs.revocation, [&](const RevocationFacts& r) {
      return r.fingerprint == facts->fingerprint_sha256 && !r.covered && !r.revoked;
    });
    obs.revocation.push_back(std::move(*verdict));
  }
}

}  // namespace certvigil::revocation
