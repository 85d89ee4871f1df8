// tests/unit/exporters/serializer_reference.cpp: the prometheus-cpp reference renderer.
#include "tests/unit/exporters/serializer_reference.h"

#include <prometheus/metric_family.h>

#include "exporters/prometheus/daemon_collector.h"
#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/series_labels.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::testing {
namespace {

using exporters::FamilyDescriptor;
using exporters::LabelSet;
using prometheus::ClientMetric;
using prometheus::MetricFamily;

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
    metric.label.push_back({std::string(name), exporters::sanitizeUtf8(text)});
  }
  metric.gauge.value = value;
  out.metric.push_back(std::move(metric));
}

void addTarget(const TargetResult& result, std::vector<MetricFamily>& families) {
  const LabelSet target = exporters::targetLabels(result);
  add(families[0], target, result.observation.success ? 1 : 0);
  add(families[1], target, result.observation.duration_seconds);
  const auto& certificates = result.observation.certificates;
  for (size_t i = 0; i < certificates.size(); ++i) {
    if (!certificates[i].facts) continue;
    const LabelSet labels = exporters::certificateLabels(result, i);
    add(families[2], labels, static_cast<double>(toUnix(certificates[i].facts->not_after)));
    add(families[3], labels, static_cast<double>(toUnix(certificates[i].facts->not_before)));
    add(families[4], exporters::certificateInfoLabels(result, i), 1);
  }
  for (const Finding* finding : exporters::distinctFindings(result)) {
    add(families[5], exporters::findingLabels(result, *finding), 1);
  }
}

}  // namespace

std::string renderWithSerializer(const Snapshot& snapshot, const exporters::DaemonStatus& status,
                                 const exporters::ProcessStats& process) {
  std::vector<MetricFamily> families = {
      family(exporters::kProbeSuccess), family(exporters::kProbeDuration),
      family(exporters::kCertNotAfter), family(exporters::kCertNotBefore),
      family(exporters::kCertInfo),     family(exporters::kFinding)};
  size_t certificates = 0;
  for (const TargetResultPtr& result : snapshot.targets) {
    addTarget(*result, families);
  }
  certificates = families[2].metric.size();
  std::vector<MetricFamily> all =
      exporters::DaemonCollector(snapshot, status, certificates, process).Collect();
  for (MetricFamily& f : families) {
    if (!f.metric.empty()) all.push_back(std::move(f));
  }
  return exporters::serializeFamilies(all);
}

}  // namespace certvigil::testing
