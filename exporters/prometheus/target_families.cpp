// exporters/prometheus/target_families.cpp: per-target series written in place. Each family is
// one pass over the targets (the text format wants a family's series together); each pass
// prefetches the target a few positions ahead, since 10^5 results are scattered on the heap.
#include "exporters/prometheus/target_families.h"

#include <algorithm>
#include <string_view>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

constexpr size_t kPrefetchDistance = 4;

// Calls fn(target) for every target, prefetching ahead.
template <typename Fn>
void forEachTarget(const std::vector<const TargetResult*>& targets, const Fn& fn) {
  for (size_t i = 0; i < targets.size(); ++i) {
    if (i + kPrefetchDistance < targets.size()) __builtin_prefetch(targets[i + kPrefetchDistance]);
    fn(*targets[i]);
  }
}

// Writes a family's HELP and TYPE before its first series only, so an empty family is omitted.
class FamilyWriter {
 public:
  FamilyWriter(std::string& out, const FamilyDescriptor& family) : out_(out), family_(family) {}

  // Appends `name{` (and the header first, once).
  std::string& begin() {
    if (!started_) appendFamilyHeader(out_, family_);
    started_ = true;
    out_.append(family_.name);
    out_ += '{';
    return out_;
  }

 private:
  std::string& out_;
  const FamilyDescriptor& family_;
  bool started_ = false;
};

// `"value"` closing a label that the caller opened with `name=`.
void appendQuoted(std::string& out, std::string_view value) {
  out += '"';
  appendEscapedLabelValue(out, value);
  out += '"';
}

// source="file",target="/etc/ssl/a.pem"
void appendTargetLabels(std::string& out, const TargetResult& result) {
  out += "source=\"";
  out.append(toString(result.observation.kind));
  out += "\",target=";
  appendQuoted(out, result.observation.target);
}

// The target labels plus role and position of certificate `index`.
void appendCertificateLabels(std::string& out, const TargetResult& result, size_t index) {
  appendTargetLabels(out, result);
  const ResolvedRole role = index < result.roles.size() ? result.roles[index] : ResolvedRole::Any;
  out += ",role=\"";
  out.append(toString(role));
  out += "\",position=\"";
  appendValue(out, int64_t{result.observation.certificates[index].position});
  out += '"';
}

// ,key="EC-256" as CertificateFacts::keyText() spells it, without allocating.
void appendKey(std::string& out, const CertificateFacts& facts) {
  out += ",key=\"";
  out.append(toString(facts.key_type));
  if (facts.key_type != KeyType::Ed25519 && facts.key_type != KeyType::Ed448) {
    out += '-';
    appendValue(out, int64_t{facts.key_bits});
  }
  out += '"';
}

// ,eku="serverAuth,clientAuth" as CertificateFacts::ekuText() spells it, without allocating.
void appendEku(std::string& out, const CertificateFacts& facts) {
  out += ",eku=\"";
  const size_t start = out.size();
  for (const auto& [present, name] : {std::pair{facts.eku_server_auth, "serverAuth"},
                                      std::pair{facts.eku_client_auth, "clientAuth"},
                                      std::pair{facts.eku_any, "anyExtendedKeyUsage"}}) {
    if (!present) continue;
    if (out.size() > start) out += ',';
    out += name;
  }
  out += '"';
}

void appendInfoLabels(std::string& out, const CertificateFacts& facts) {
  out += ",subject=";
  appendQuoted(out, facts.subject);
  out += ",issuer=";
  appendQuoted(out, facts.issuer);
  out += ",serial=";
  appendQuoted(out, facts.serial);
  out += ",fingerprint=";
  appendQuoted(out, facts.fingerprint_sha256);
  appendKey(out, facts);
  out += ",signature=";
  appendQuoted(out, facts.signature_algorithm);
  appendEku(out, facts);
}

// Ends a series line: `} value\n`.
template <typename Value>
void endLine(std::string& out, Value value) {
  out += "} ";
  appendValue(out, value);
  out += '\n';
}

void appendProbeFamilies(std::string& out, const std::vector<const TargetResult*>& targets) {
  FamilyWriter success(out, kProbeSuccess);
  forEachTarget(targets, [&](const TargetResult& result) {
    appendTargetLabels(success.begin(), result);
    endLine(out, int64_t{result.observation.success ? 1 : 0});
  });
  FamilyWriter duration(out, kProbeDuration);
  forEachTarget(targets, [&](const TargetResult& result) {
    appendTargetLabels(duration.begin(), result);
    endLine(out, result.observation.duration_seconds);
  });
}

// One family with a line per certificate that has facts; `labels` and `value` fill it in.
template <typename Labels, typename Value>
void appendCertificateFamily(std::string& out, const FamilyDescriptor& family,
                             const std::vector<const TargetResult*>& targets, const Labels& labels,
                             const Value& value) {
  FamilyWriter writer(out, family);
  forEachTarget(targets, [&](const TargetResult& result) {
    const auto& certificates = result.observation.certificates;
    for (size_t i = 0; i < certificates.size(); ++i) {
      if (!certificates[i].facts) continue;
      appendCertificateLabels(writer.begin(), result, i);
      labels(*certificates[i].facts);
      endLine(out, value(*certificates[i].facts));
    }
  });
}

void appendCertificateFamilies(std::string& out, const std::vector<const TargetResult*>& targets) {
  const auto none = [](const CertificateFacts&) {};
  appendCertificateFamily(out, kCertNotAfter, targets, none,
                          [](const CertificateFacts& f) { return toUnix(f.not_after); });
  appendCertificateFamily(out, kCertNotBefore, targets, none,
                          [](const CertificateFacts& f) { return toUnix(f.not_before); });
  appendCertificateFamily(
      out, kCertInfo, targets, [&out](const CertificateFacts& f) { appendInfoLabels(out, f); },
      [](const CertificateFacts&) { return int64_t{1}; });
}

// Findings that differ only in message text would be the same series: the first one counts.
bool repeatsEarlierFinding(const std::vector<Finding>& findings, size_t index) {
  const Finding& f = findings[index];
  return std::any_of(findings.begin(), findings.begin() + static_cast<std::ptrdiff_t>(index),
                     [&f](const Finding& e) {
                       return e.code == f.code && e.severity == f.severity &&
                              e.position == f.position && e.fingerprint == f.fingerprint;
                     });
}

void appendFindingFamily(std::string& out, const std::vector<const TargetResult*>& targets) {
  FamilyWriter writer(out, kFinding);
  forEachTarget(targets, [&](const TargetResult& result) {
    for (size_t i = 0; i < result.findings.size(); ++i) {
      if (repeatsEarlierFinding(result.findings, i)) continue;
      const Finding& finding = result.findings[i];
      appendTargetLabels(writer.begin(), result);
      out += ",code=\"";
      out.append(toString(finding.code));
      out += "\",severity=\"";
      out.append(toString(finding.severity));
      out += "\",fingerprint=";
      appendQuoted(out, finding.fingerprint);
      out += ",position=\"";
      if (finding.position >= 0) appendValue(out, int64_t{finding.position});
      out += '"';
      endLine(out, int64_t{1});
    }
  });
}

}  // namespace

std::vector<const TargetResult*> seriesTargets(const Snapshot& snapshot) {
  std::vector<const TargetResult*> kept;
  kept.reserve(snapshot.targets.size());
  size_t run_start = 0;  // first kept target with the current name
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    const Observation& observation = result->observation;
    if (run_start < kept.size() && kept[run_start]->observation.target != observation.target) {
      run_start = kept.size();
    }
    const bool repeat = std::any_of(
        kept.begin() + static_cast<std::ptrdiff_t>(run_start), kept.end(),
        [&observation](const TargetResult* k) { return k->observation.kind == observation.kind; });
    if (!repeat) kept.push_back(result.get());
  }
  return kept;
}

size_t countCertificates(const std::vector<const TargetResult*>& targets) {
  size_t count = 0;
  for (const TargetResult* result : targets) {
    for (const auto& certificate : result->observation.certificates)
      count += certificate.facts ? 1 : 0;
  }
  return count;
}

void appendTargetFamilies(std::string& out, const std::vector<const TargetResult*>& targets) {
  appendProbeFamilies(out, targets);
  appendCertificateFamilies(out, targets);
  appendFindingFamily(out, targets);
}

}  // namespace certvigil::exporters
