// exporters/prometheus/metrics_renderer.cpp: assembly of a whole exposition.
// The output buffer is the one large allocation of a scrape (~1 KB per certificate, ~100 MB at
// 10^5). glibc maps an allocation that large afresh every time, and faulting it in 4 KB pages
// cost more than writing it (measured ~90 ms for 84 MB on the project VM, ~13 ms with 2 MB
// pages), so the buffer asks for transparent huge pages. Reserving more than needed is free:
// pages never written are never resident.
#include "exporters/prometheus/metrics_renderer.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>

#include "exporters/prometheus/daemon_collector.h"
#include "exporters/prometheus/target_families.h"

namespace certvigil::exporters {
namespace {

// Generous bytes per series for the first reservation (typical: ~950 per file certificate).
constexpr size_t kBytesPerCertificate = 1536;
constexpr size_t kBytesPerTarget = 512;
constexpr size_t kDaemonFamiliesBytes = 16384;
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
constexpr size_t kHugePagesFrom = 8 * kHugePage;

// Reserves `bytes` and, for a large buffer, advises 2 MB pages on its aligned interior (a
// no-op where transparent huge pages are off).
void reserveOutput(std::string& out, size_t bytes) {
  out.reserve(bytes);
  if (out.capacity() < kHugePagesFrom) return;
  const auto begin = reinterpret_cast<uintptr_t>(out.data());
  const uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t last = (begin + out.capacity()) & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status) {
  return render(snapshot, status, readProcessStats());
}

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status,
                                    const ProcessStats& process) {
  std::lock_guard lock(mutex_);
  TargetSeriesWriter& writer = writer_;
  writer.clear();
  writer.addSnapshot(snapshot, facts_);
  const size_t estimate = kDaemonFamiliesBytes + writer.certificates() * kBytesPerCertificate +
                          snapshot.targets.size() * kBytesPerTarget;
  std::string out;
  reserveOutput(out, std::max(estimate, last_size_ + last_size_ / 4));
  out += serializeFamilies(
      DaemonCollector(snapshot, status, writer.certificates(), process).Collect());
  writer.write(out);
  writer.clear();  // the rows point into the snapshot, which the caller may drop
  facts_.sweep();
  last_size_ = out.size();
  return out;
}

std::string MetricsRenderer::renderTarget(const TargetResult& result) {
  FactsLabelCache facts;
  TargetSeriesWriter writer;
  writer.addTarget(result, facts);
  std::string out;
  writer.write(out);
  return out;
}

TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name) {
  const auto it = std::find_if(snapshot.targets.begin(), snapshot.targets.end(),
                               [name](const TargetResultPtr& result) {
                                 return result && result->observation.target == name;
                               });
  return it == snapshot.targets.end() ? nullptr : *it;
}

}  // namespace certvigil::exporters
