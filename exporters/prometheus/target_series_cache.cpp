// exporters/prometheus/target_series_cache.cpp: building and caching series label text.
#include "exporters/prometheus/target_series_cache.h"

#include <algorithm>
#include <string_view>

#include "exporters/prometheus/series_labels.h"

namespace certvigil::exporters {
namespace {

// True when `a` and `b` share a control block: the same TargetResult, not merely a new one
// allocated at the address of a freed one.
bool sameOwner(const std::weak_ptr<const TargetResult>& a, const TargetResultPtr& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

// Detects a (kind, name) already resolved. Targets are ordered by name, so repeats are in the
// current run of equal names.
class RepeatFilter {
 public:
  bool repeats(const Observation& observation) {
    if (observation.target != name_) {
      name_ = observation.target;
      kinds_.clear();
    }
    if (std::find(kinds_.begin(), kinds_.end(), observation.kind) != kinds_.end()) return true;
    kinds_.push_back(observation.kind);
    return false;
  }

 private:
  std::string_view name_;
  std::vector<TargetKind> kinds_;
};

}  // namespace

TargetSeries buildTargetSeries(const TargetResult& result) {
  TargetSeries series;
  series.target_labels = formatLabels(targetLabels(result));
  const auto& certificates = result.observation.certificates;
  for (size_t i = 0; i < certificates.size(); ++i) {
    if (!certificates[i].facts) continue;
    series.certificates.push_back(i);
    series.cert_labels.push_back(formatLabels(certificateLabels(result, i)));
    series.info_labels.push_back(formatLabels(certificateInfoLabels(result, i)));
  }
  for (const Finding* finding : distinctFindings(result)) {
    series.finding_labels.push_back(formatLabels(findingLabels(result, *finding)));
  }
  return series;
}

std::vector<ResolvedTarget> TargetSeriesCache::resolve(const Snapshot& snapshot) {
  ++generation_;
  touched_ = 0;
  std::vector<ResolvedTarget> resolved;
  resolved.reserve(snapshot.targets.size());
  RepeatFilter filter;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result || filter.repeats(result->observation)) continue;
    resolved.push_back({result.get(), &lookup(result)});
  }
  evictUnseen();
  return resolved;
}

const TargetSeries& TargetSeriesCache::lookup(const TargetResultPtr& result) {
  auto [it, inserted] = entries_.try_emplace(result.get());
  Entry& entry = it->second;
  if (inserted || !sameOwner(entry.owner, result)) {
    entry.owner = result;
    entry.series = buildTargetSeries(*result);
    ++builds_;
  }
  if (entry.generation != generation_) ++touched_;
  entry.generation = generation_;
  return entry.series;
}

void TargetSeriesCache::evictUnseen() {
  // The common scrape sees every entry: skip the sweep over 10^5 entries then.
  if (entries_.size() == touched_) return;
  std::erase_if(entries_,
                [this](const auto& item) { return item.second.generation != generation_; });
}

}  // namespace certvigil::exporters
