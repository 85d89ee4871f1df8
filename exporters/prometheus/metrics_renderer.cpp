// exporters/prometheus/metrics_renderer.cpp: the fast path for per-target families and the
// assembly of a whole exposition. See docs/METRICS.md for the families and their labels.
#include "exporters/prometheus/metrics_renderer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "exporters/prometheus/daemon_collector.h"
#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

// Rough bytes per series, to reserve the first exposition (later ones reuse the last size).
constexpr size_t kBytesPerCertificate = 700;
constexpr size_t kBytesPerTarget = 250;
constexpr size_t kDaemonFamiliesBytes = 4096;

constexpr std::array<std::pair<TargetFamily, const FamilyDescriptor*>, kTargetFamilyCount>
    kTargetFamilies = {{{TargetFamily::ProbeSuccess, &kProbeSuccess},
                        {TargetFamily::ProbeDuration, &kProbeDuration},
                        {TargetFamily::NotAfter, &kCertNotAfter},
                        {TargetFamily::NotBefore, &kCertNotBefore},
                        {TargetFamily::Info, &kCertInfo},
                        {TargetFamily::Finding, &kFinding}}};

bool hasSeries(TargetFamily family, size_t targets, const SeriesCounts& counts) {
  switch (family) {
    case TargetFamily::ProbeSuccess:
    case TargetFamily::ProbeDuration:
      return targets > 0;
    case TargetFamily::Finding:
      return counts.findings > 0;
    default:
      return counts.certificates > 0;
  }
}

// Appends the spans in order. The loop is bound by cache misses on 10^5 scattered texts, so
// it prefetches the text a few spans ahead.
void appendSpans(std::string& out, const std::vector<std::string_view>& spans) {
  constexpr size_t kPrefetchDistance = 8;
  for (size_t i = 0; i < spans.size(); ++i) {
    if (i + kPrefetchDistance < spans.size())
      __builtin_prefetch(spans[i + kPrefetchDistance].data());
    out.append(spans[i]);
  }
}

// Every per-target family: a header, then each target's cached lines. A family with no series
// is left out entirely.
void appendTargetFamilies(std::string& out, const ResolvedTargets& resolved) {
  for (const auto& [family, descriptor] : kTargetFamilies) {
    if (!hasSeries(family, resolved.targets(), resolved.counts)) continue;
    appendFamilyHeader(out, *descriptor);
    appendSpans(out, resolved.spans[static_cast<size_t>(family)]);
  }
}

}  // namespace

Exposition MetricsRenderer::renderExposition(const Snapshot& snapshot, const DaemonStatus& status) {
  return renderExposition(snapshot, status, readProcessStats());
}

Exposition MetricsRenderer::renderExposition(const Snapshot& snapshot, const DaemonStatus& status,
                                             const ProcessStats& process) {
  const std::shared_ptr<std::string> buffer = buffers_->acquire();
  std::string& out = *buffer;
  std::lock_guard lock(mutex_);
  const ResolvedTargets& resolved = cache_.resolve(snapshot);
  const SeriesCounts& counts = resolved.counts;
  const size_t estimate = kDaemonFamiliesBytes + counts.certificates * kBytesPerCertificate +
                          resolved.targets() * kBytesPerTarget;
  out.reserve(std::max(estimate, last_size_ + last_size_ / 8));
  out +=
      serializeFamilies(DaemonCollector(snapshot, status, counts.certificates, process).Collect());
  appendTargetFamilies(out, resolved);
  last_size_ = out.size();
  return buffer;
}

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status,
                                    const ProcessStats& process) {
  return *renderExposition(snapshot, status, process);
}

std::string MetricsRenderer::renderTarget(const TargetResult& result) {
  const TargetText text(result);
  std::string out;
  appendTargetFamilies(out, ResolvedTargets::of(text));
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
