// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/metrics_renderer.cpp: assembly of an exposition, streamed or whole.
// /metrics streams (MetricsStream): the whole text of 10^5 certificates is ~70 MB, which
// doubled the daemon's peak memory when it was built as one string. render() still builds one
// string (tests, tools); its buffer is then the one large allocation. glibc maps an allocation
// that large afresh every time, and faulting it in 4 KB pages cost more than writing it
// (measured ~90 ms for 84 MB on the project VM, ~13 ms with 2 MB pages), so the buffer asks for
// transparent huge pages. Reserving more than needed is free: pages never written are never
// resident.
#include "exporters/prometheus/metrics_renderer.h"

#include "exporters/prometheus/endpoint_families.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <utility>

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
  if (last > first) {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): madvise needs the page-aligned address
    madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
}

/// A result's probe duration (0 for a null entry).
double durationOf(const TargetResultPtr& result) {
  return result ? result->observation.duration_seconds.get() : 0;
}

}  // namespace

bool MetricsStream::next(std::string& out, size_t piece_bytes) {
  const size_t before = out.size();
  const size_t limit = before + piece_bytes;
  if (!head_written_) {
    out += head_;
    head_written_ = true;
    std::string().swap(head_);
  }
  if (out.size() < limit) (void)series_->writeSome(cursor_, out, limit);
  return out.size() > before;
}

std::unique_ptr<MetricsStream> MetricsRenderer::stream(const Snapshot& snapshot,
                                                       const DaemonStatus& status) {
  return stream(snapshot, status, readProcessStats());
}

std::unique_ptr<MetricsStream> MetricsRenderer::stream(const Snapshot& snapshot,
                                                       const DaemonStatus& status,
                                                       const ProcessStats& process) {
  std::lock_guard lock(mutex_);
  if (gathers_ == 0 || !sameAsGathered(snapshot)) gather(snapshot);
  std::string head = serializeFamilies(
      DaemonCollector(snapshot, status, writer_->certificates(), process).Collect());
  appendEndpointFamilies(head, snapshot.targets);
  return std::make_unique<MetricsStream>(std::move(head), writer_);
}

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status) {
  return render(snapshot, status, readProcessStats());
}

std::string MetricsRenderer::render(const Snapshot& snapshot, const DaemonStatus& status,
                                    const ProcessStats& process) {
  const std::unique_ptr<MetricsStream> source = stream(snapshot, status, process);
  std::string out;
  {
    std::lock_guard lock(mutex_);
    const size_t estimate = kDaemonFamiliesBytes + writer_->certificates() * kBytesPerCertificate +
                            gathered_.size() * kBytesPerTarget;
    reserveOutput(out, std::max(estimate, last_size_ + last_size_ / 4));
  }
  while (source->next(out, SIZE_MAX)) {
  }
  std::lock_guard lock(mutex_);
  last_size_ = out.size();
  return out;
}

// True when `snapshot` lists exactly the results writer_ was gathered from, in the same order:
// the same pointers with the same owners (not new results at the addresses of freed ones), and
// the same probe durations (refreshed in a kept result).
bool MetricsRenderer::sameAsGathered(const Snapshot& snapshot) const {
  if (snapshot.targets.size() != gathered_.size()) return false;
  for (size_t i = 0; i < gathered_.size(); ++i) {
    const TargetResultPtr& result = snapshot.targets[i];
    const Gathered& g = gathered_[i];
    if (result.get() != g.key || g.owner.owner_before(result) || result.owner_before(g.owner) ||
        durationOf(result) != g.duration_seconds) {
      return false;
    }
  }
  return true;
}

void MetricsRenderer::gather(const Snapshot& snapshot) {
  // The durations are noted before the writer reads them: one refreshed in between is then
  // noted older than written, and the next scrape gathers again (never the reverse, which would
  // keep a stale duration).
  gathered_.clear();
  for (const TargetResultPtr& result : snapshot.targets) {
    gathered_.push_back({result.get(), result, durationOf(result)});
  }
  // A stream still writing the previous exposition keeps its writer; gather into a new one.
  if (writer_.use_count() > 1) writer_ = std::make_shared<TargetSeriesWriter>();
  writer_->clear();
  writer_->addSnapshot(snapshot, facts_);
  facts_.sweep();  // after gathering: what this snapshot asked for stays valid
  ++gathers_;
}

std::string MetricsRenderer::renderTargets(const std::vector<TargetResultPtr>& results) {
  FactsLabelCache facts;
  TargetSeriesWriter writer;
  for (const auto& result : results) {
    if (result) writer.addTarget(*result, facts);
  }
  std::string out;
  appendEndpointFamilies(out, results);
  writer.write(out);
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

uint64_t MetricsRenderer::gathers() const {
  std::lock_guard lock(mutex_);
  return gathers_;
}

size_t MetricsRenderer::cachedCertificates() const {
  std::lock_guard lock(mutex_);
  return facts_.size();
}

}  // namespace certvigil::exporters
