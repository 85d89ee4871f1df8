// exporters/prometheus/target_families.cpp: gathering and writing per-target series.
#include "exporters/prometheus/target_families.h"

#include <algorithm>

#include "exporters/prometheus/block_appender.h"
#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

// How far ahead gathering prefetches a result, the memory it points to, and the memory that
// points to: a result's strings and vectors live in separate heap blocks.
constexpr size_t kPrefetchResult = 16;
constexpr size_t kPrefetchFields = 8;
constexpr size_t kPrefetchFindings = 4;
// How far ahead writing prefetches cached cert_info labels (distinct per certificate).
constexpr size_t kPrefetchInfo = 8;
// Typical arena bytes per target (labels, duration, one finding), to reserve.
constexpr size_t kArenaBytesPerTarget = 192;
// Buffers this many times larger than the last exposition needed are given back.
constexpr size_t kShrinkFactor = 4;

// "# HELP ...\n# TYPE ...\n" and "name{" of a family.
struct FamilyText {
  std::string header;
  std::string open;

  explicit FamilyText(const FamilyDescriptor& family) : open(std::string(family.name) + "{") {
    appendFamilyHeader(header, family);
  }
};

// ,role="server",position=" for each ResolvedRole, in enum order.
constexpr std::string_view kRolePieces[] = {
    R"(,role="server",position=")",
    R"(,role="client",position=")",
    R"(,role="ca",position=")",
    R"(,role="any",position=")",
};

// Findings that differ only in message text would be the same series: the first one counts.
bool repeatsEarlierFinding(const std::vector<Finding>& findings, size_t index) {
  const Finding& f = findings[index];
  return std::any_of(findings.begin(), findings.begin() + static_cast<std::ptrdiff_t>(index),
                     [&f](const Finding& e) {
                       return e.code == f.code && e.severity == f.severity &&
                              e.position == f.position && e.fingerprint == f.fingerprint;
                     });
}

void prefetchAhead(const std::vector<TargetResultPtr>& all, size_t i) {
  if (i + kPrefetchResult < all.size() && all[i + kPrefetchResult]) {
    __builtin_prefetch(all[i + kPrefetchResult].get());
  }
  if (i + kPrefetchFields < all.size() && all[i + kPrefetchFields]) {
    const TargetResult& r = *all[i + kPrefetchFields];
    __builtin_prefetch(r.observation.target.data());
    __builtin_prefetch(r.observation.certificates.data());
    __builtin_prefetch(r.roles.data());
    __builtin_prefetch(r.findings.data());
  }
  if (i + kPrefetchFindings < all.size() && all[i + kPrefetchFindings]) {
    for (const Finding& f : all[i + kPrefetchFindings]->findings) {
      __builtin_prefetch(f.fingerprint.data());
    }
  }
}

template <typename T>
void clearAndTrim(std::vector<T>& rows) {
  if (rows.capacity() > kShrinkFactor * rows.size() + 1024) std::vector<T>().swap(rows);
  rows.clear();
}

}  // namespace

void TargetSeriesWriter::clear() {
  if (arena_.capacity() > kShrinkFactor * arena_.size() + 65536) std::string().swap(arena_);
  arena_.clear();
  clearAndTrim(targets_);
  clearAndTrim(certificates_);
  clearAndTrim(findings_);
}

void TargetSeriesWriter::addSnapshot(const Snapshot& snapshot, FactsLabelCache& facts) {
  const auto& all = snapshot.targets;
  // Sized up front: growing 10^5 rows and ~20 MB of text by doubling copies them repeatedly.
  targets_.reserve(targets_.size() + all.size());
  certificates_.reserve(certificates_.size() + all.size());
  arena_.reserve(arena_.size() + all.size() * kArenaBytesPerTarget);
  std::string_view run_name;  // the current run of equal names, and the kinds kept in it
  std::vector<TargetKind> run_kinds;
  for (size_t i = 0; i < all.size(); ++i) {
    prefetchAhead(all, i);
    if (!all[i]) continue;
    const Observation& observation = all[i]->observation;
    if (run_kinds.empty() || observation.target != run_name) {
      run_name = observation.target;
      run_kinds.clear();
    } else if (std::find(run_kinds.begin(), run_kinds.end(), observation.kind) != run_kinds.end()) {
      continue;
    }
    run_kinds.push_back(observation.kind);
    addTarget(*all[i], facts);
  }
}

TargetSeriesWriter::Span TargetSeriesWriter::spanFrom(size_t start) const {
  return {static_cast<uint32_t>(start), static_cast<uint32_t>(arena_.size() - start)};
}

void TargetSeriesWriter::addTarget(const TargetResult& result, FactsLabelCache& facts) {
  const Observation& observation = result.observation;
  const auto index = static_cast<uint32_t>(targets_.size());
  TargetRow row;
  row.success = observation.success;
  size_t start = arena_.size();
  arena_ += "source=\"";
  arena_.append(toString(observation.kind));
  arena_ += "\",target=\"";
  appendEscapedLabelValue(arena_, observation.target);
  arena_ += '"';
  row.labels = spanFrom(start);
  start = arena_.size();
  appendValue(arena_, observation.duration_seconds);
  row.duration = spanFrom(start);
  targets_.push_back(row);
  for (size_t i = 0; i < observation.certificates.size(); ++i) {
    const PresentedCertificate& certificate = observation.certificates[i];
    if (!certificate.facts) continue;
    const ResolvedRole role = i < result.roles.size() ? result.roles[i] : ResolvedRole::Any;
    certificates_.push_back(
        {index, certificate.position, role, toUnix(certificate.facts->not_after),
         toUnix(certificate.facts->not_before), facts.labels(certificate.facts)});
  }
  addFindings(result, index);
}

void TargetSeriesWriter::addFindings(const TargetResult& result, uint32_t target) {
  for (size_t i = 0; i < result.findings.size(); ++i) {
    if (repeatsEarlierFinding(result.findings, i)) continue;
    const Finding& finding = result.findings[i];
    const size_t start = arena_.size();
    arena_ += ",code=\"";
    arena_.append(toString(finding.code));
    arena_ += "\",severity=\"";
    arena_.append(toString(finding.severity));
    arena_ += "\",fingerprint=\"";
    appendEscapedLabelValue(arena_, finding.fingerprint);
    arena_ += "\",position=\"";
    if (finding.position >= 0) appendValue(arena_, int64_t{finding.position});
    arena_ += '"';
    findings_.push_back({target, spanFrom(start)});
  }
}

void TargetSeriesWriter::write(std::string& out) const {
  BlockAppender appender(out);
  if (!targets_.empty()) writeProbeFamilies(appender);
  if (!certificates_.empty()) writeCertificateFamilies(appender);
  if (!findings_.empty()) writeFindingFamily(appender);
}

void TargetSeriesWriter::writeProbeFamilies(BlockAppender& out) const {
  const FamilyText success(kProbeSuccess);
  out.put(success.header);
  for (const TargetRow& row : targets_) {
    out.put(success.open);
    out.put(text(row.labels));
    out.put(row.success ? "} 1\n" : "} 0\n");
  }
  const FamilyText duration(kProbeDuration);
  out.put(duration.header);
  for (const TargetRow& row : targets_) {
    out.put(duration.open);
    out.put(text(row.labels));
    out.put("} ");
    out.put(text(row.duration));
    out.put("\n");
  }
}

void TargetSeriesWriter::writeCertificateFamilies(BlockAppender& out) const {
  // name{source="...",target="...",role="...",position="N as every certificate line begins.
  const auto begin = [this, &out](const FamilyText& family, const CertificateRow& row) {
    out.put(family.open);
    out.put(text(targets_[row.target].labels));
    out.put(kRolePieces[static_cast<size_t>(row.role)]);
    out.putValue(int64_t{row.position});
  };
  for (const FamilyDescriptor* descriptor : {&kCertNotAfter, &kCertNotBefore}) {
    const FamilyText family(*descriptor);
    out.put(family.header);
    for (const CertificateRow& row : certificates_) {
      begin(family, row);
      out.put("\"} ");
      out.putValue(descriptor == &kCertNotAfter ? row.not_after : row.not_before);
      out.put("\n");
    }
  }
  const FamilyText info(kCertInfo);
  out.put(info.header);
  for (size_t i = 0; i < certificates_.size(); ++i) {
    if (i + kPrefetchInfo < certificates_.size()) {
      __builtin_prefetch(certificates_[i + kPrefetchInfo].info.data());
    }
    begin(info, certificates_[i]);
    out.put("\"");
    out.put(certificates_[i].info);
    out.put("} 1\n");
  }
}

void TargetSeriesWriter::writeFindingFamily(BlockAppender& out) const {
  const FamilyText finding(kFinding);
  out.put(finding.header);
  for (const FindingRow& row : findings_) {
    out.put(finding.open);
    out.put(text(targets_[row.target].labels));
    out.put(text(row.labels));
    out.put("} 1\n");
  }
}

}  // namespace certvigil::exporters
