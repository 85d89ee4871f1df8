// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/facts_label_cache.cpp: building and caching cert_info labels.
#include "exporters/prometheus/facts_label_cache.h"

#include <utility>

#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

// True when `a` and `b` share a control block: the same facts, not merely new facts allocated
// at the address of freed ones.
bool sameOwner(const std::weak_ptr<const CertificateFacts>& a, const CertificateFactsPtr& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace

std::string formatInfoLabels(const CertificateFacts& facts) {
  std::string out;
  const std::pair<std::string_view, std::string> labels[] = {
      {"subject", facts.subject}, {"issuer", facts.issuer},
      {"serial", facts.serial},   {"fingerprint", facts.fingerprint_sha256},
      {"key", facts.keyText()},   {"signature", facts.signature_algorithm},
      {"eku", facts.ekuText()}};
  for (const auto& [name, value] : labels) {
    out += ',';
    out.append(name);
    out += "=\"";
    appendEscapedLabelValue(out, value);
    out += '"';
  }
  return out;
}

std::string_view FactsLabelCache::labels(const CertificateFactsPtr& facts) {
  std::vector<TextPtr> unused;
  return labels(facts, unused);
}

std::string_view FactsLabelCache::labels(const CertificateFactsPtr& facts,
                                         std::vector<TextPtr>& keep) {
  auto [it, inserted] = entries_.try_emplace(facts.get());
  Entry& entry = it->second;
  bool fresh = entry.generation != generation_;
  if (inserted || !sameOwner(entry.owner, facts)) {
    entry.owner = facts;
    entry.text = std::make_shared<const std::string>(formatInfoLabels(*facts));
    fresh = true;
  }
  if (entry.generation != generation_) {
    entry.generation = generation_;
    ++touched_;
  }
  if (fresh) keep.push_back(entry.text);
  return *entry.text;
}

void FactsLabelCache::sweep() {
  // A scrape that asked for every cached certificate has nothing to forget: skip the pass.
  if (entries_.size() != touched_) {
    std::erase_if(entries_,
                  [this](const auto& item) { return item.second.generation != generation_; });
  }
  ++generation_;
  touched_ = 0;
}

}  // namespace certvigil::exporters
