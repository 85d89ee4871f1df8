// exporters/prometheus/target_series_cache.cpp: resolving a snapshot against the cache.
// The list is rewritten in place, index by index: a result that sits where the same result sat
// last time keeps its slot and its spans untouched; only the others are looked up (or built)
// and written. Slots overwritten or cut off become eviction candidates, and a candidate is
// evicted unless this resolve placed its entry elsewhere (its generation says so).
#include "exporters/prometheus/target_series_cache.h"

#include <algorithm>
#include <functional>
#include <string>

namespace certvigil::exporters {
namespace {

// True when `a` and `b` share a control block: the same TargetResult, not merely a new one
// allocated at the address of a freed one.
bool sameOwner(const std::weak_ptr<const TargetResult>& a, const TargetResultPtr& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

uint64_t nameHash(const Observation& observation) {
  return std::hash<std::string_view>{}(observation.target);
}

// Detects a (kind, name) already kept. Targets are ordered by name, so repeats are in the
// current run of equal names; names are compared by hash and only confirmed by text when the
// hashes match, so a scrape does not read 10^5 names.
class RepeatFilter {
 public:
  bool repeats(uint64_t hash, TargetKind kind, const TargetResult& result) {
    if (!first_ || hash != hash_ || first_->observation.target != result.observation.target) {
      hash_ = hash;
      first_ = &result;
      kinds_.clear();
    }
    if (std::find(kinds_.begin(), kinds_.end(), kind) != kinds_.end()) return true;
    kinds_.push_back(kind);
    return false;
  }

 private:
  uint64_t hash_ = 0;
  const TargetResult* first_ = nullptr;
  std::vector<TargetKind> kinds_;
};

}  // namespace

ResolvedTargets ResolvedTargets::of(const TargetText& text) {
  ResolvedTargets resolved;
  for (size_t f = 0; f < kTargetFamilyCount; ++f) {
    resolved.spans[f].push_back(text.lines(static_cast<TargetFamily>(f)));
  }
  resolved.counts = {text.certificates(), text.findings()};
  return resolved;
}

const ResolvedTargets& TargetSeriesCache::resolve(const Snapshot& snapshot) {
  // Between scans every scrape sees the same results in the same order: then nothing can have
  // been added, repeated or removed, and the previous answer stands.
  if (!resolved_once_ || !sameAsResolved(snapshot)) resolveAll(snapshot);
  resolved_once_ = true;
  return resolved_;
}

bool TargetSeriesCache::sameAsResolved(const Snapshot& snapshot) const {
  if (snapshot.targets.size() != slots_.size()) return false;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!holds(i, snapshot.targets[i])) return false;
  }
  return true;
}

bool TargetSeriesCache::holds(size_t index, const TargetResultPtr& result) const {
  return index < slots_.size() && slots_[index].key == result.get() &&
         sameOwner(slots_[index].owner, result);
}

void TargetSeriesCache::resolveAll(const Snapshot& snapshot) {
  ++generation_;
  candidates_.clear();
  RepeatFilter filter;
  size_t n = 0;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    if (holds(n, result)) {
      Slot& slot = slots_[n];
      // An entry placed twice would be a duplicate series (an unsorted snapshot repeating a
      // result); generation_ marks entries already placed by this resolve.
      if (filter.repeats(slot.name_hash, slot.kind, *result) ||
          slot.entry->generation == generation_) {
        continue;
      }
      slot.entry->generation = generation_;
      ++n;
      continue;
    }
    const uint64_t hash = nameHash(result->observation);
    if (filter.repeats(hash, result->observation.kind, *result)) continue;
    Entry* entry = findOrBuild(result);
    if (!entry) continue;
    if (n < slots_.size()) candidates_.push_back(slots_[n].key);
    place(n++, result, *entry, hash);
  }
  truncate(n);
  evictCandidates();
  recount();
}

TargetSeriesCache::Entry* TargetSeriesCache::findOrBuild(const TargetResultPtr& result) {
  auto [it, inserted] = entries_.try_emplace(result.get());
  Entry& entry = it->second;
  if (!inserted && sameOwner(entry.owner, result)) {
    return entry.generation == generation_ ? nullptr : &entry;  // placed already: a repeat
  }
  entry.owner = result;
  entry.text = std::make_unique<const TargetText>(*result);
  ++builds_;
  return &entry;
}

void TargetSeriesCache::place(size_t index, const TargetResultPtr& result, Entry& entry,
                              uint64_t name_hash) {
  entry.generation = generation_;
  const TargetText& text = *entry.text;
  Slot slot{result.get(),
            result,
            &entry,
            name_hash,
            result->observation.kind,
            static_cast<uint32_t>(text.certificates()),
            static_cast<uint32_t>(text.findings())};
  if (index < slots_.size()) {
    slots_[index] = std::move(slot);
  } else {
    slots_.push_back(std::move(slot));
  }
  for (size_t f = 0; f < kTargetFamilyCount; ++f) {
    auto& spans = resolved_.spans[f];
    const std::string_view lines = text.lines(static_cast<TargetFamily>(f));
    if (index < spans.size()) {
      spans[index] = lines;
    } else {
      spans.push_back(lines);
    }
  }
}

void TargetSeriesCache::truncate(size_t size) {
  for (size_t i = size; i < slots_.size(); ++i) candidates_.push_back(slots_[i].key);
  slots_.resize(size);
  for (auto& spans : resolved_.spans) spans.resize(size);
}

void TargetSeriesCache::evictCandidates() {
  for (const TargetResult* key : candidates_) {
    const auto it = entries_.find(key);
    if (it != entries_.end() && it->second.generation != generation_) entries_.erase(it);
  }
  candidates_.clear();
}

void TargetSeriesCache::recount() {
  SeriesCounts counts;
  for (const Slot& slot : slots_) {
    counts.certificates += slot.certificates;
    counts.findings += slot.findings;
  }
  resolved_.counts = counts;
}

}  // namespace certvigil::exporters
