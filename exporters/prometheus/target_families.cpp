// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/target_families.cpp: gathering and writing per-target series.
#include "exporters/prometheus/target_families.h"

#include <algorithm>
#include <array>
#include <cstdint>

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

// The families in the order they are written, and the index of each.
constexpr std::array<const FamilyDescriptor*, 6> kFamilies = {
    &kProbeSuccess, &kProbeDuration, &kCertNotAfter, &kCertNotBefore, &kCertInfo, &kFinding};
constexpr size_t kSuccessFamily = 0;
constexpr size_t kDurationFamily = 1;
constexpr size_t kNotAfterFamily = 2;
constexpr size_t kNotBeforeFamily = 3;
constexpr size_t kInfoFamily = 4;
constexpr size_t kFindingFamily = 5;

// Built once: every piece of every scrape writes them.
const FamilyText& familyText(size_t family) {
  static const std::array<FamilyText, kFamilies.size()> texts = {
      FamilyText(*kFamilies[0]), FamilyText(*kFamilies[1]), FamilyText(*kFamilies[2]),
      FamilyText(*kFamilies[3]), FamilyText(*kFamilies[4]), FamilyText(*kFamilies[5])};
  return texts[family];
}

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
  info_owners_.clear();
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
  appendEscapedLabelValue(arena_, result.sourceLabel());
  arena_ += "\",target=\"";
  appendEscapedLabelValue(arena_, observation.target);
  arena_ += '"';
  row.labels = spanFrom(start);
  start = arena_.size();
  appendValue(arena_, observation.duration_seconds.get());
  row.duration = spanFrom(start);
  targets_.push_back(row);
  for (size_t i = 0; i < observation.certificates.size(); ++i) {
    const PresentedCertificate& certificate = observation.certificates[i];
    if (!certificate.facts) continue;
    const ResolvedRole role = i < result.roles.size() ? result.roles[i] : ResolvedRole::Any;
    certificates_.push_back(
        {index, certificate.position, role, toUnix(certificate.facts->not_after),
         toUnix(certificate.facts->not_before), facts.labels(certificate.facts, info_owners_)});
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
  Cursor cursor;
  (void)writeSome(cursor, out, SIZE_MAX);
}

bool TargetSeriesWriter::writeSome(Cursor& cursor, std::string& out, size_t limit) const {
  BlockAppender appender(out);
  bool wrote = false;
  for (; cursor.family < kFamilies.size(); ++cursor.family, cursor.row = 0, cursor.begun = false) {
    const size_t rows = rowsOf(cursor.family);
    if (rows == 0) continue;  // a family without series has no HELP/TYPE either
    if (appender.size() >= limit) break;
    if (!cursor.begun) {
      appender.put(familyText(cursor.family).header);
      cursor.begun = true;
    }
    cursor.row = writeRows(cursor.family, cursor.row, appender, limit);
    wrote = true;
    if (cursor.row < rows) break;  // the piece is full
  }
  return wrote;
}

size_t TargetSeriesWriter::rowsOf(size_t family) const {
  switch (family) {
    case kSuccessFamily:
    case kDurationFamily:
      return targets_.size();
    case kNotAfterFamily:
    case kNotBeforeFamily:
    case kInfoFamily:
      return certificates_.size();
    default:
      return findings_.size();
  }
}

size_t TargetSeriesWriter::writeRows(size_t family, size_t row, BlockAppender& out,
                                     size_t limit) const {
  switch (family) {
    case kSuccessFamily:
      return writeProbeSuccess(row, out, limit);
    case kDurationFamily:
      return writeProbeDuration(row, out, limit);
    case kNotAfterFamily:
    case kNotBeforeFamily:
      return writeCertificateTimes(family, row, out, limit);
    case kInfoFamily:
      return writeCertificateInfo(row, out, limit);
    default:
      return writeFindings(row, out, limit);
  }
}

size_t TargetSeriesWriter::writeProbeSuccess(size_t row, BlockAppender& out, size_t limit) const {
  const FamilyText& family = familyText(kSuccessFamily);
  for (; row < targets_.size() && out.size() < limit; ++row) {
    out.put(family.open);
    out.put(text(targets_[row].labels));
    out.put(targets_[row].success ? "} 1\n" : "} 0\n");
  }
  return row;
}

size_t TargetSeriesWriter::writeProbeDuration(size_t row, BlockAppender& out, size_t limit) const {
  const FamilyText& family = familyText(kDurationFamily);
  for (; row < targets_.size() && out.size() < limit; ++row) {
    out.put(family.open);
    out.put(text(targets_[row].labels));
    out.put("} ");
    out.put(text(targets_[row].duration));
    out.put("\n");
  }
  return row;
}

// name{source="...",target="...",role="...",position="N as every certificate line begins.
void TargetSeriesWriter::beginCertificateLine(const std::string& open, const CertificateRow& row,
                                              BlockAppender& out) const {
  out.put(open);
  out.put(text(targets_[row.target].labels));
  out.put(kRolePieces[static_cast<size_t>(row.role)]);
  out.putValue(int64_t{row.position});
}

size_t TargetSeriesWriter::writeCertificateTimes(size_t family, size_t row, BlockAppender& out,
                                                 size_t limit) const {
  const FamilyText& text = familyText(family);
  const bool not_after = family == kNotAfterFamily;
  for (; row < certificates_.size() && out.size() < limit; ++row) {
    const CertificateRow& certificate = certificates_[row];
    beginCertificateLine(text.open, certificate, out);
    out.put("\"} ");
    out.putValue(not_after ? certificate.not_after : certificate.not_before);
    out.put("\n");
  }
  return row;
}

size_t TargetSeriesWriter::writeCertificateInfo(size_t row, BlockAppender& out,
                                                size_t limit) const {
  const FamilyText& family = familyText(kInfoFamily);
  for (; row < certificates_.size() && out.size() < limit; ++row) {
    if (row + kPrefetchInfo < certificates_.size()) {
      __builtin_prefetch(certificates_[row + kPrefetchInfo].info.data());
    }
    beginCertificateLine(family.open, certificates_[row], out);
    out.put("\"");
    out.put(certificates_[row].info);
    out.put("} 1\n");
  }
  return row;
}

size_t TargetSeriesWriter::writeFindings(size_t row, BlockAppender& out, size_t limit) const {
  const FamilyText& family = familyText(kFindingFamily);
  for (; row < findings_.size() && out.size() < limit; ++row) {
    out.put(family.open);
    out.put(text(targets_[findings_[row].target].labels));
    out.put(text(findings_[row].labels));
    out.put("} 1\n");
  }
  return row;
}

}  // namespace certvigil::exporters
