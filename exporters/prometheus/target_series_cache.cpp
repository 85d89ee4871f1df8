// exporters/prometheus/target_series_cache.cpp: building and caching per-target sample lines.
#include "exporters/prometheus/target_series_cache.h"

#include <algorithm>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/series_labels.h"
#include "exporters/prometheus/text_format.h"

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

TargetText::TargetText(const TargetResult& result) {
  const Observation& observation = result.observation;
  const std::string target = formatLabels(targetLabels(result));
  appendSample(text_, kProbeSuccess.name, target, int64_t{observation.success ? 1 : 0});
  close(TargetFamily::ProbeSuccess);
  appendSample(text_, kProbeDuration.name, target, observation.duration_seconds);
  close(TargetFamily::ProbeDuration);
  std::vector<std::string> labels;
  for (size_t i = 0; i < observation.certificates.size(); ++i) {
    labels.push_back(observation.certificates[i].facts ? formatLabels(certificateLabels(result, i))
                                                       : std::string());
  }
  const auto each = [&](TargetFamily family, const auto& append) {
    for (size_t i = 0; i < observation.certificates.size(); ++i) {
      if (observation.certificates[i].facts) append(i, *observation.certificates[i].facts);
    }
    close(family);
  };
  each(TargetFamily::NotAfter, [&](size_t i, const CertificateFacts& facts) {
    appendSample(text_, kCertNotAfter.name, labels[i], toUnix(facts.not_after));
    ++certificates_;
  });
  each(TargetFamily::NotBefore, [&](size_t i, const CertificateFacts& facts) {
    appendSample(text_, kCertNotBefore.name, labels[i], toUnix(facts.not_before));
  });
  each(TargetFamily::Info, [&](size_t i, const CertificateFacts&) {
    appendSample(text_, kCertInfo.name, formatLabels(certificateInfoLabels(result, i)), int64_t{1});
  });
  for (const Finding* finding : distinctFindings(result)) {
    appendSample(text_, kFinding.name, formatLabels(findingLabels(result, *finding)), int64_t{1});
    ++findings_;
  }
  close(TargetFamily::Finding);
  text_.shrink_to_fit();
}

const std::vector<const TargetText*>& TargetSeriesCache::resolve(const Snapshot& snapshot) {
  // Between scans every scrape sees the same results in the same order: then nothing can have
  // been added, repeated or removed, and the previous answer stands.
  if (version_ > 0 && sameAsResolved(snapshot)) return texts_;
  resolveAll(snapshot);
  return texts_;
}

bool TargetSeriesCache::sameAsResolved(const Snapshot& snapshot) const {
  if (snapshot.targets.size() != resolved_.size()) return false;
  for (size_t i = 0; i < resolved_.size(); ++i) {
    const TargetResultPtr& result = snapshot.targets[i];
    if (result.get() != resolved_[i].key || !sameOwner(resolved_[i].owner, result)) return false;
  }
  return true;
}

void TargetSeriesCache::resolveAll(const Snapshot& snapshot) {
  ++version_;
  ++generation_;
  touched_ = 0;
  scratch_.clear();
  scratch_.reserve(snapshot.targets.size());
  RepeatFilter filter;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result || filter.repeats(result->observation)) continue;
    Entry& entry = lookup(result, scratch_.size());
    scratch_.push_back({result.get(), result, &entry});
  }
  evictUnseen();
  resolved_.swap(scratch_);
  scratch_.clear();
  texts_.clear();
  for (const Slot& slot : resolved_) texts_.push_back(slot.entry->text.get());
}

TargetSeriesCache::Entry& TargetSeriesCache::lookup(const TargetResultPtr& result, size_t index) {
  // Consecutive snapshots share most results at the same index: compare before hashing.
  if (index < resolved_.size()) {
    const Slot& aligned = resolved_[index];
    if (aligned.key == result.get() && sameOwner(aligned.owner, result)) {
      touch(*aligned.entry);
      return *aligned.entry;
    }
  }
  auto [it, inserted] = entries_.try_emplace(result.get());
  Entry& entry = it->second;
  if (inserted || !sameOwner(entry.owner, result)) {
    entry.owner = result;
    entry.text = std::make_unique<const TargetText>(*result);
    ++builds_;
  }
  touch(entry);
  return entry;
}

void TargetSeriesCache::touch(Entry& entry) {
  if (entry.generation != generation_) ++touched_;
  entry.generation = generation_;
}

void TargetSeriesCache::evictUnseen() {
  // The common scrape sees every entry: skip the sweep over 10^5 entries then.
  if (entries_.size() == touched_) return;
  std::erase_if(entries_,
                [this](const auto& item) { return item.second.generation != generation_; });
}

}  // namespace certvigil::exporters
