// SPDX-License-Identifier: Apache-2.0
// checks/common.cpp: shared helpers. The "which certificates matter" rule lives here once so
// that expiry, weak keys, signatures and revocation agree on it.
#include "checks/common.h"

#include <algorithm>
#include <string_view>

namespace certvigil::checks {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::string plural(int64_t count, const char* unit) {
  return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
}

/// Strict OpenSSL rejects whatever OpenSSL rejects.
ClientSet withStrict(ClientSet clients) {
  return clients.contains(Client::OpenSsl) ? clients | ClientSet{Client::OpenSslStrict} : clients;
}

int countOf(ClientSet clients) {
  int n = 0;
  for (Client c : allClients()) n += clients.contains(c) ? 1 : 0;
  return n;
}

/// Naming strict OpenSSL beside OpenSSL says nothing more.
ClientSet displayed(ClientSet clients) {
  if (clients.contains(Client::OpenSsl)) return clients & ClientSet::defaults();
  return clients;
}

/// Fingerprints already judged. Paths hold a handful of certificates: a linear search over
/// views beats a set of copied strings (every check asks, for every target of every scan).
class Seen {
 public:
  /// True the first time `fingerprint` is offered.
  bool insert(std::string_view fingerprint) {
    if (std::find(seen_.begin(), seen_.end(), fingerprint) != seen_.end()) return false;
    seen_.push_back(fingerprint);
    return true;
  }

 private:
  std::vector<std::string_view> seen_;
};

/// The certificates the path took from the chain file or the trust store (not presented).
void addPathOnly(const Observation& obs, std::vector<JudgedCertificate>& judged, Seen& seen) {
  const CertificatePath& path = obs.chain.path;
  const bool complete = hasValidPath(obs);
  for (size_t i = 0; i < path.size(); ++i) {
    const PathCertificate& c = path[i];
    if (!c.facts || c.source == CertSource::Presented) continue;
    const bool anchor = complete && i + 1 == path.size();
    if (c.source == CertSource::TrustStore && !anchor) continue;
    if (!seen.insert(c.facts->fingerprint_sha256)) continue;
    judged.push_back({c.facts, static_cast<int>(i), c.source, anchor});
  }
}

/// The index on the path of a presented certificate, -1 when it is not on it.
int pathIndex(const Observation& obs, const std::string& fingerprint) {
  const CertificatePath& path = obs.chain.path;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path.fingerprint(i) == fingerprint) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

bool hasValidPath(const Observation& obs) {
  return obs.chain.status == ChainStatus::Valid && !obs.chain.path.empty();
}

bool isBundle(const Observation& obs) {
  return obs.kind == TargetKind::Bundle || obs.role == Role::CaBundle;
}

Role leafRole(const Observation& obs) {
  if (obs.role == Role::Auto && obs.kind == TargetKind::Endpoint) return Role::Server;
  return obs.role;
}

const PresentedCertificate* findPosition(const Observation& obs, int position) {
  for (const auto& cert : obs.certificates) {
    if (cert.position == position && cert.facts) return &cert;
  }
  return nullptr;
}

std::vector<JudgedCertificate> judgedCertificates(const Observation& obs) {
  const bool filter = !isBundle(obs) && hasValidPath(obs);
  const size_t path_size = obs.chain.path.size();
  std::vector<JudgedCertificate> judged;
  Seen seen;
  for (const auto& cert : obs.certificates) {
    if (!cert.facts) continue;
    const int index = filter ? pathIndex(obs, cert.facts->fingerprint_sha256) : -1;
    if (filter && cert.position != 0 && index < 0) continue;
    if (!seen.insert(cert.facts->fingerprint_sha256)) continue;
    // A presented certificate can be the anchor too (a sent root that is in the store).
    const bool anchor = filter && index > 0 && static_cast<size_t>(index) + 1 == path_size;
    judged.push_back({cert.facts, cert.position, CertSource::Presented, anchor});
  }
  if (!isBundle(obs)) addPathOnly(obs, judged, seen);
  return judged;
}

bool isSelfSignedLeaf(const Observation& obs) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (leaf == nullptr || !leaf->facts->self_signed) return false;
  return !leaf->facts->is_ca || selfSignedLeafMustBeTrusted(obs);
}

bool selfSignedLeafMustBeTrusted(const Observation& obs) {
  return obs.kind == TargetKind::Endpoint || obs.role == Role::Client || obs.role == Role::Server;
}

std::string certificateName(const CertificateFacts& facts) {
  if (!facts.common_name.empty()) return "CN=" + facts.common_name;
  if (!facts.subject.empty()) return facts.subject;
  return "sha256:" + facts.fingerprint_sha256.substr(0, 16);
}

std::string describeCertificate(const PresentedCertificate& cert) {
  const CertificateFacts& f = *cert.facts;
  std::string what;
  if (f.self_signed && f.is_ca) {
    what = "root";
  } else if (cert.position == 0) {
    what = f.is_ca ? "CA" : "leaf";
  } else {
    what = f.is_ca ? "intermediate" : "certificate #" + std::to_string(cert.position);
  }
  return what + " " + certificateName(f);
}

std::string describeCertificate(const JudgedCertificate& cert) {
  std::string text = describeCertificate(PresentedCertificate{cert.facts, cert.position});
  if (cert.source == CertSource::ChainFile) return text + " (chain file)";
  if (cert.source == CertSource::TrustStore) return text + " (trust store)";
  return text;
}

Finding certificateFinding(FindingCode code, const PresentedCertificate& cert,
                           std::string message) {
  return makeFinding(code, std::move(message), cert.facts->fingerprint_sha256, cert.position);
}

Finding certificateFinding(FindingCode code, const JudgedCertificate& cert, std::string message) {
  return makeFinding(code, std::move(message), cert.facts->fingerprint_sha256, cert.position);
}

Severity severityFor(ClientSet rejecting, const Policy& policy, Severity listed) {
  return withStrict(rejecting).intersects(policy.clients) ? listed : Severity::Warning;
}

std::string whoRejects(ClientSet rejecting) {
  const ClientSet shown = displayed(withStrict(rejecting));
  const ClientSet accepting = withStrict(rejecting).complement();
  std::string out = describeClients(shown) + (countOf(shown) == 1 ? " rejects it" : " reject it");
  if (!accepting.empty()) {
    out += "; " + describeClients(accepting) +
           (countOf(accepting) == 1 ? " accepts it" : " accept it");
  }
  return out;
}

std::string formatDuration(Seconds duration) {
  const int64_t s = std::max<int64_t>(duration.count(), 0);
  if (s >= kDay) return plural(s / kDay, "day");
  if (s >= kHour) return plural(s / kHour, "hour");
  if (s >= kMinute) return plural(s / kMinute, "minute");
  return plural(s, "second");
}

std::string joinNames(const std::vector<std::string>& names, size_t limit) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > limit) out += " and " + std::to_string(names.size() - limit) + " more";
  return out;
}

}  // namespace certvigil::checks
