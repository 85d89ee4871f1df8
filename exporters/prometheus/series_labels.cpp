// exporters/prometheus/series_labels.cpp: label sets of certificate, finding and target series.
#include "exporters/prometheus/series_labels.h"

#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

std::string_view roleAt(const TargetResult& result, size_t index) {
  const ResolvedRole role = index < result.roles.size() ? result.roles[index] : ResolvedRole::Any;
  return toString(role);
}

bool sameSeries(const Finding& a, const Finding& b) {
  return a.code == b.code && a.severity == b.severity && a.position == b.position &&
         a.fingerprint == b.fingerprint;
}

}  // namespace

LabelSet targetLabels(const TargetResult& result) {
  LabelSet labels;
  labels.reserve(4);
  labels.emplace_back(kLabelSource, toString(result.observation.kind));
  labels.emplace_back(kLabelTarget, result.observation.target);
  return labels;
}

LabelSet certificateLabels(const TargetResult& result, size_t index) {
  LabelSet labels = targetLabels(result);
  labels.emplace_back(kLabelRole, roleAt(result, index));
  labels.emplace_back(kLabelPosition,
                      std::to_string(result.observation.certificates[index].position));
  return labels;
}

LabelSet certificateInfoLabels(const TargetResult& result, size_t index) {
  LabelSet labels = certificateLabels(result, index);
  const CertificateFacts& facts = *result.observation.certificates[index].facts;
  labels.reserve(labels.size() + 7);
  labels.emplace_back("subject", facts.subject);
  labels.emplace_back("issuer", facts.issuer);
  labels.emplace_back("serial", facts.serial);
  labels.emplace_back("fingerprint", facts.fingerprint_sha256);
  labels.emplace_back("key", facts.keyText());
  labels.emplace_back("signature", facts.signature_algorithm);
  labels.emplace_back("eku", facts.ekuText());
  return labels;
}

LabelSet findingLabels(const TargetResult& result, const Finding& finding) {
  LabelSet labels = targetLabels(result);
  labels.emplace_back("code", toString(finding.code));
  labels.emplace_back("severity", toString(finding.severity));
  labels.emplace_back("fingerprint", finding.fingerprint);
  labels.emplace_back(kLabelPosition,
                      finding.position < 0 ? std::string() : std::to_string(finding.position));
  return labels;
}

std::vector<const Finding*> distinctFindings(const TargetResult& result) {
  std::vector<const Finding*> out;
  out.reserve(result.findings.size());
  for (const Finding& finding : result.findings) {
    bool seen = false;
    for (const Finding* kept : out) seen = seen || sameSeries(*kept, finding);
    if (!seen) out.push_back(&finding);
  }
  return out;
}

std::string formatLabels(const LabelSet& labels) {
  std::string out;
  size_t size = 0;
  for (const auto& [name, value] : labels) size += name.size() + value.size() + 4;
  out.reserve(size);
  for (const auto& [name, value] : labels) appendLabel(out, name, value);
  return out;
}

}  // namespace certvigil::exporters
