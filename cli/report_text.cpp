// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

#include "cli/report.h"

namespace certvigil::cli {
namespace {

struct Palette {
  bool on;
  std::string_view paint(Severity s) const {
    if (!on) return "";
    switch (s) {
      case Severity::Critical:
        return "\033[1;31m";
      case Severity::Warning:
        return "\033[1;33m";
      case Severity::Info:
        return "\033[36m";
    }
    return "";
  }
  std::string_view ok() const { return on ? "\033[32m" : ""; }
  std::string_view dim() const { return on ? "\033[2m" : ""; }
  std::string_view reset() const { return on ? "\033[0m" : ""; }
};

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// "in 12 days" / "3 days ago", whole days rounded towards zero.
std::string relativeDays(TimePoint when, TimePoint now) {
  const auto days = static_cast<long>((when - now).count() / 86400);
  if (when >= now) return "in " + std::to_string(days) + (days == 1 ? " day" : " days");
  return std::to_string(-days) + (days == -1 ? " day ago" : " days ago");
}

int rank(const TargetResult& r) {
  auto worst = worstSeverity(r.findings);
  return worst ? static_cast<int>(*worst) + 1 : 0;
}

// The CRLs of a CRL file, like certificates: "[crl 0] CN=X  next update T (in 5 days)".
void printCrls(std::ostream& out, const CrlFileFacts& file, const Palette& p, TimePoint now) {
  for (size_t i = 0; i < file.crls.size(); ++i) {
    const CrlFacts& crl = file.crls[i];
    out << "    [crl " << i << "] " << crl.issuer << p.dim();
    if (crl.next_update) {
      out << "  next update " << formatRfc3339(*crl.next_update) << " ("
          << relativeDays(*crl.next_update, now) << ")";
    }
    if (crl.foreign) out << ", from no CA of the issuers: not consulted";
    if (crl.superseded) out << ", superseded by a newer CRL of its CA";
    out << p.reset() << "\n";
  }
}

void printTarget(std::ostream& out, const TargetResult& r, const Palette& p, TimePoint now) {
  const auto worst = worstSeverity(r.findings);
  const bool ok = !worst || *worst == Severity::Info;
  out << (ok ? p.ok() : p.paint(*worst)) << (ok ? "OK" : upper(toString(*worst))) << p.reset()
      << "  " << r.observation.target << p.dim() << " (" << toString(r.observation.kind) << ")"
      << p.reset() << "\n";
  const auto line = [&](const std::string& index, const CertificateFacts& facts,
                        const std::string& from) {
    out << "    [" << index << "] " << facts.subject << p.dim() << "  expires "
        << formatRfc3339(facts.not_after) << " (" << relativeDays(facts.not_after, now) << ")"
        << from << p.reset() << "\n";
  };
  for (const auto& c : r.observation.certificates) line(std::to_string(c.position), *c.facts, "");
  // The rest of the path clients build: from the chain file, and the trust anchor.
  const CertificatePath& path = r.observation.chain.path;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].source == CertSource::Presented || !path[i].facts) continue;
    line(std::to_string(i), *path[i].facts,
         ", " + std::string(toString(path[i].source, r.observation.kind)));
  }
  if (r.observation.crl_file) printCrls(out, *r.observation.crl_file, p, now);
  if (r.observation.endpoint && !r.observation.endpoint->trust_not_judged.empty()) {
    out << "    " << p.dim() << "trust not judged: " << r.observation.endpoint->trust_not_judged
        << p.reset() << "\n";
  }
  for (const auto& f : r.findings) {
    out << "    " << p.paint(f.severity) << toString(f.severity) << " " << toString(f.code)
        << p.reset() << ": " << f.message;
    if (f.cause) out << " (cause: " << toString(*f.cause) << ")";
    out << "\n      fix: " << f.remedy << "\n";
  }
}

}  // namespace

void printReport(std::ostream& out, const std::vector<TargetResultPtr>& results, bool color,
                 TimePoint now) {
  const Palette palette{color};
  std::vector<TargetResultPtr> sorted = results;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return rank(*a) > rank(*b); });
  size_t counts[4] = {0, 0, 0, 0};
  for (const auto& r : sorted) {
    printTarget(out, *r, palette, now);
    ++counts[rank(*r)];
  }
  out << sorted.size() << (sorted.size() == 1 ? " target: " : " targets: ") << counts[3]
      << " critical, " << counts[2] << " warning, " << counts[0] + counts[1] << " ok\n";
}

}  // namespace certvigil::cli
