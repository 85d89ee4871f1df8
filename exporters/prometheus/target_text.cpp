// exporters/prometheus/target_text.cpp: building the sample lines of one target. Labels come
// from series_labels.h, the one definition of every label set.
#include "exporters/prometheus/target_text.h"

#include <vector>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/series_labels.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {

TargetText::TargetText(const TargetResult& result) {
  const Observation& observation = result.observation;
  const std::string target = formatLabels(targetLabels(result));
  appendSample(text_, kProbeSuccess.name, target, int64_t{observation.success ? 1 : 0});
  close(TargetFamily::ProbeSuccess);
  appendSample(text_, kProbeDuration.name, target, observation.duration_seconds);
  close(TargetFamily::ProbeDuration);
  appendCertificates(result);
  for (const Finding* finding : distinctFindings(result)) {
    appendSample(text_, kFinding.name, formatLabels(findingLabels(result, *finding)), int64_t{1});
    ++findings_;
  }
  close(TargetFamily::Finding);
  text_.shrink_to_fit();
}

// not_after, not_before and cert_info of every certificate with facts, one family after the
// other; the shared labels are escaped once.
void TargetText::appendCertificates(const TargetResult& result) {
  const auto& certificates = result.observation.certificates;
  std::vector<size_t> present;
  std::vector<std::string> labels;
  for (size_t i = 0; i < certificates.size(); ++i) {
    if (!certificates[i].facts) continue;
    present.push_back(i);
    labels.push_back(formatLabels(certificateLabels(result, i)));
  }
  certificates_ = present.size();
  for (size_t k = 0; k < present.size(); ++k) {
    appendSample(text_, kCertNotAfter.name, labels[k],
                 toUnix(certificates[present[k]].facts->not_after));
  }
  close(TargetFamily::NotAfter);
  for (size_t k = 0; k < present.size(); ++k) {
    appendSample(text_, kCertNotBefore.name, labels[k],
                 toUnix(certificates[present[k]].facts->not_before));
  }
  close(TargetFamily::NotBefore);
  for (const size_t i : present) {
    appendSample(text_, kCertInfo.name, formatLabels(certificateInfoLabels(result, i)), int64_t{1});
  }
  close(TargetFamily::Info);
}

}  // namespace certvigil::exporters
