// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/serializer_reference.cpp: the prometheus-cpp reference renderer. It
// builds its label sets independently of exporters/prometheus/target_families.cpp, from the
// label tables in docs/METRICS.md, so that the two can check each other.
#include "tests/unit/exporters/serializer_reference.h"

#include <prometheus/metric_family.h>

#include <algorithm>
#include <set>
#include <utility>

#include "exporters/prometheus/daemon_collector.h"
#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::testing {
namespace {

using exporters::FamilyDescriptor;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using LabelSet = std::vector<std::pair<std::string, std::string>>;

LabelSet targetLabels(const TargetResult& result) {
  return {{"source", std::string(toString(result.observation.kind))},
          {"target", result.observation.target}};
}

LabelSet certificateLabels(const TargetResult& result, size_t index) {
  LabelSet labels = targetLabels(result);
  const ResolvedRole role = index < result.roles.size() ? result.roles[index] : ResolvedRole::Any;
  labels.emplace_back("role", std::string(toString(role)));
  labels.emplace_back("position", std::to_string(result.observation.certificates[index].position));
  return labels;
}

LabelSet infoLabels(const TargetResult& result, size_t index) {
  LabelSet labels = certificateLabels(result, index);
  const CertificateFacts& facts = *result.observation.certificates[index].facts;
  for (auto& label : LabelSet{{"subject", facts.subject},
                              {"issuer", facts.issuer},
                              {"serial", facts.serial},
                              {"fingerprint", facts.fingerprint_sha256},
                              {"key", facts.keyText()},
                              {"signature", facts.signature_algorithm},
                              {"eku", facts.ekuText()}}) {
    labels.push_back(std::move(label));
  }
  return labels;
}

LabelSet findingLabels(const TargetResult& result, const Finding& finding) {
  LabelSet labels = targetLabels(result);
  labels.emplace_back("code", std::string(toString(finding.code)));
  labels.emplace_back("severity", std::string(toString(finding.severity)));
  labels.emplace_back("fingerprint", finding.fingerprint);
  labels.emplace_back("position",
                      finding.position < 0 ? std::string() : std::to_string(finding.position));
  return labels;
}

MetricFamily family(const FamilyDescriptor& descriptor) {
  MetricFamily out;
  out.name = std::string(descriptor.name);
  out.help = std::string(descriptor.help);
  out.type = prometheus::MetricType::Gauge;
  return out;
}

void add(MetricFamily& out, const LabelSet& labels, double value) {
  ClientMetric metric;
  for (const auto& [name, text] : labels) {
    metric.label.push_back({name, exporters::sanitizeUtf8(text)});
  }
  metric.gauge.value = value;
  out.metric.push_back(std::move(metric));
}

void addTarget(const TargetResult& result, std::vector<MetricFamily>& families) {
  add(families[0], targetLabels(result), result.observation.success ? 1 : 0);
  add(families[1], targetLabels(result), result.observation.duration_seconds);
  const auto& certificates = result.observation.certificates;
  for (size_t i = 0; i < certificates.size(); ++i) {
    if (!certificates[i].facts) continue;
    const LabelSet labels = certificateLabels(result, i);
    add(families[2], labels, static_cast<double>(toUnix(certificates[i].facts->not_after)));
    add(families[3], labels, static_cast<double>(toUnix(certificates[i].facts->not_before)));
    add(families[4], infoLabels(result, i), 1);
  }
  std::vector<LabelSet> findings;  // findings differing only in message are one series
  for (const Finding& finding : result.findings) {
    LabelSet labels = findingLabels(result, finding);
    if (std::find(findings.begin(), findings.end(), labels) != findings.end()) continue;
    add(families[5], labels, 1);
    findings.push_back(std::move(labels));
  }
}

}  // namespace

std::string renderWithSerializer(const Snapshot& snapshot, const exporters::DaemonStatus& status,
                                 const exporters::ProcessStats& process) {
  std::vector<MetricFamily> families = {
      family(exporters::kProbeSuccess), family(exporters::kProbeDuration),
      family(exporters::kCertNotAfter), family(exporters::kCertNotBefore),
      family(exporters::kCertInfo),     family(exporters::kFinding)};
  std::set<std::pair<TargetKind, std::string>> seen;  // the first of a repeated target counts
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result || !seen.emplace(result->observation.kind, result->observation.target).second) {
      continue;
    }
    addTarget(*result, families);
  }
  const size_t certificates = families[2].metric.size();
  std::vector<MetricFamily> all =
      exporters::DaemonCollector(snapshot, status, certificates, process).Collect();
  for (MetricFamily& f : families) {
    if (!f.metric.empty()) all.push_back(std::move(f));
  }
  return exporters::serializeFamilies(all);
}

}  // namespace certvigil::testing
