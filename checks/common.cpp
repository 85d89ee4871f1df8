// checks/common.cpp: shared helpers. The "which certificates matter" rule lives here once so
// that expiry, weak keys, signatures and revocation agree on it.
#include "checks/common.h"

#include <algorithm>
#include <set>

namespace certvigil::checks {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::string plural(int64_t count, const char* unit) {
  return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
}

bool hasValidPath(const Observation& obs) {
  return obs.chain.status == ChainStatus::Valid && !obs.chain.path.empty();
}

bool onPath(const Observation& obs, const std::string& fingerprint) {
  const auto& path = obs.chain.path;
  return std::find(path.begin(), path.end(), fingerprint) != path.end();
}

}  // namespace

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

std::vector<const PresentedCertificate*> judgedCertificates(const Observation& obs) {
  const bool filter = !isBundle(obs) && hasValidPath(obs);
  std::vector<const PresentedCertificate*> judged;
  std::set<std::string> seen;
  for (const auto& cert : obs.certificates) {
    if (!cert.facts) continue;
    if (filter && cert.position != 0 && !onPath(obs, cert.facts->fingerprint_sha256)) continue;
    if (!seen.insert(cert.facts->fingerprint_sha256).second) continue;
    judged.push_back(&cert);
  }
  return judged;
}

bool isSelfSignedLeaf(const Observation& obs) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  return leaf != nullptr && leaf->facts->self_signed && !leaf->facts->is_ca;
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

Finding certificateFinding(FindingCode code, const PresentedCertificate& cert,
                           std::string message) {
  return makeFinding(code, std::move(message), cert.facts->fingerprint_sha256, cert.position);
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
