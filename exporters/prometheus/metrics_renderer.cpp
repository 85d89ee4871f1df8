// exporters/prometheus/metrics_renderer.cpp: the fast path for per-target families and the
// assembly of a whole exposition. See docs/METRICS.md for the families and their labels.
#include "exporters/prometheus/metrics_renderer.h"

#include <algorithm>

#include "exporters/prometheus/daemon_collector.h"
#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

// Rough bytes per series, to reserve the first exposition (later ones reuse the last size).
constexpr size_t kBytesPerCertificate = 700;
constexpr size_t kBytesPerTarget = 250;
constexpr size_t kDaemonFamiliesBytes = 4096;

struct Counts {
  size_t certificates = 0;
  size_t findings = 0;
};

Counts countSeries(const std::vector<ResolvedTarget>& targets) {
  Counts counts;
  for (const ResolvedTarget& target : targets) {
    counts.certificates += target.series->certificates.size();
    counts.findings += target.series->finding_labels.size();
  }
  return counts;
}

// Calls fn(labels, facts) for every certificate series, in snapshot and position order.
template <typename Fn>
void forEachCertificate(const std::vector<ResolvedTarget>& targets, const Fn& fn) {
  for (const ResolvedTarget& target : targets) {
    const TargetSeries& series = *target.series;
    const auto& certificates = target.result->observation.certificates;
    for (size_t i = 0; i < series.certificates.size(); ++i) {
      fn(series, i, *certificates[series.certificates[i]].facts);
    }
  }
}

void appendProbeFamilies(std::string& out, const std::vector<ResolvedTarget>& targets) {
  appendFamilyHeader(out, kProbeSuccess);
  for (const ResolvedTarget& target : targets) {
    appendSample(out, kProbeSuccess.name, target.series->target_labels,
                 int64_t{target.result->observation.success ? 1 : 0});
  }
  appendFamilyHeader(out, kProbeDuration);
  for (const ResolvedTarget& target : targets) {
    appendSample(out, kProbeDuration.name, target.series->target_labels,
                 target.result->observation.duration_seconds);
  }
}

void appendCertificateFamilies(std::string& out, const std::vector<ResolvedTarget>& targets) {
  appendFamilyHeader(out, kCertNotAfter);
  forEachCertificate(targets, [&out](const TargetSeries& s, size_t i, const CertificateFacts& f) {
    appendSample(out, kCertNotAfter.name, s.cert_labels[i], toUnix(f.not_after));
  });
  appendFamilyHeader(out, kCertNotBefore);
  forEachCertificate(targets, [&out](const TargetSeries& s, size_t i, const CertificateFacts& f) {
    appendSample(out, kCertNotBefore.name, s.cert_labels[i], toUnix(f.not_before));
  });
  appendFamilyHeader(out, kCertInfo);
  forEachCertificate(targets, [&out](const TargetSeries& s, size_t i, const CertificateFacts&) {
    appendSample(out, kCertInfo.name, s.info_labels[i], int64_t{1});
  });
}

void appendFindingFamily(std::string& out, const std::vector<ResolvedTarget>& targets) {
  appendFamilyHeader(out, kFinding);
  for (const ResolvedTarget& target : targets) {
    for (const std::string& labels : target.series->finding_labels) {
      appendSample(out, kFinding.name, labels, int64_t{1});
    }
  }
}

// Every per-target family; a family with no series is left out entirely.
void appendTargetFamilies(std::string& out, const std::vector<ResolvedTarget>& targets,
                          const Counts& counts) {
  if (targets.empty()) return;
  appendProbeFamilies(out, targets);
  if (counts.certificates > 0) appendCertificateFamilies(out, targets);
  if (counts.findings > 0) appendFindingFamily(out, targets);
}

}  // namespace

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status) {
  return render(snapshot, status, readProcessStats());
}

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status,
                                    const ProcessStats& process) {
  std::lock_guard lock(mutex_);
  const std::vector<ResolvedTarget> targets = cache_.resolve(snapshot);
  const Counts counts = countSeries(targets);
  std::string out;
  const size_t estimate = kDaemonFamiliesBytes + counts.certificates * kBytesPerCertificate +
                          targets.size() * kBytesPerTarget;
  out.reserve(std::max(estimate, last_size_ + last_size_ / 8));
  out +=
      serializeFamilies(DaemonCollector(snapshot, status, counts.certificates, process).Collect());
  appendTargetFamilies(out, targets, counts);
  last_size_ = out.size();
  return out;
}

std::string MetricsRenderer::renderTarget(const TargetResult& result) {
  const TargetSeries series = buildTargetSeries(result);
  const std::vector<ResolvedTarget> targets = {{&result, &series}};
  std::string out;
  appendTargetFamilies(out, targets, countSeries(targets));
  return out;
}

size_t MetricsRenderer::cachedTargets() const {
  std::lock_guard lock(mutex_);
  return cache_.size();
}

uint64_t MetricsRenderer::cacheBuilds() const {
  std::lock_guard lock(mutex_);
  return cache_.builds();
}

TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name) {
  const auto it = std::find_if(snapshot.targets.begin(), snapshot.targets.end(),
                               [name](const TargetResultPtr& result) {
                                 return result && result->observation.target == name;
                               });
  return it == snapshot.targets.end() ? nullptr : *it;
}

}  // namespace certvigil::exporters
