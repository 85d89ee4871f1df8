// exporters/prometheus/target_families.cpp: gathering and writing per-target series.
// Writing walks the rows twice with the same code (emit): once with a sink that only adds up
// sizes, once with a sink that copies. The two therefore cannot disagree, and the output is
// sized exactly once.
#include "exporters/prometheus/target_families.h"

#include <algorithm>
#include <cstring>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

// How far ahead gathering prefetches a result, and then the memory it points to.
constexpr size_t kPrefetchResult = 8;
constexpr size_t kPrefetchFields = 4;
// How far ahead the cert_info pass prefetches cached labels.
constexpr size_t kPrefetchInfo = 8;
// Buffers this many times larger than the last exposition needed are given back.
constexpr size_t kShrinkFactor = 4;

// Counts the bytes the pieces of a line would take.
class SizeSink {
 public:
  void text(std::string_view piece) { size_ += piece.size(); }
  void number(int64_t value) {
    char buf[kMaxValueChars];
    size_ += static_cast<size_t>(formatValue(buf, value) - buf);
  }
  size_t size() const { return size_; }

 private:
  size_t size_ = 0;
};

// Copies the pieces of a line to memory sized by SizeSink.
class CopySink {
 public:
  explicit CopySink(char* at) : at_(at) {}
  void text(std::string_view piece) {
    std::memcpy(at_, piece.data(), piece.size());
    at_ += piece.size();
  }
  void number(int64_t value) { at_ = formatValue(at_, value); }
  char* end() const { return at_; }

 private:
  char* at_;
};

// "# HELP ...\n# TYPE ...\n" and "name{" of each per-target family, built once.
struct FamilyText {
  std::string header;
  std::string open;

  explicit FamilyText(const FamilyDescriptor& family) : open(std::string(family.name) + "{") {
    appendFamilyHeader(header, family);
  }
};

const FamilyText& familyText(const FamilyDescriptor& family) {
  static const FamilyText probe_success(kProbeSuccess);
  static const FamilyText probe_duration(kProbeDuration);
  static const FamilyText not_after(kCertNotAfter);
  static const FamilyText not_before(kCertNotBefore);
  static const FamilyText info(kCertInfo);
  static const FamilyText finding(kFinding);
  for (const FamilyText* text :
       {&probe_success, &probe_duration, &not_after, &not_before, &info, &finding}) {
    if (text->open.compare(0, family.name.size(), family.name) == 0 &&
        text->open.size() == family.name.size() + 1) {
      return *text;
    }
  }
  return finding;  // unreachable: every caller passes one of the six
}

// ,role="server",position=" for each ResolvedRole, in enum order.
constexpr std::string_view kRolePieces[] = {
    ",role=\"server\",position=\"",
    ",role=\"client\",position=\"",
    ",role=\"ca\",position=\"",
    ",role=\"any\",position=\"",
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

void prefetchResult(const TargetResultPtr& result) {
  if (result) __builtin_prefetch(result.get());
}

void prefetchFields(const TargetResultPtr& result) {
  if (!result) return;
  __builtin_prefetch(result->observation.target.data());
  __builtin_prefetch(result->observation.certificates.data());
  __builtin_prefetch(result->roles.data());
}

template <typename T>
void clearAndTrim(std::vector<T>& rows) {
  if (rows.capacity() > kShrinkFactor * rows.size() + 1024) {
    std::vector<T>().swap(rows);
  } else {
    rows.clear();
  }
}

}  // namespace

void TargetSeriesWriter::clear() {
  if (arena_.capacity() > kShrinkFactor * arena_.size() + 65536) {
    std::string().swap(arena_);
  } else {
    arena_.clear();
  }
  clearAndTrim(targets_);
  clearAndTrim(certificates_);
  clearAndTrim(findings_);
}

void TargetSeriesWriter::addSnapshot(const Snapshot& snapshot, FactsLabelCache& facts) {
  const auto& all = snapshot.targets;
  std::string_view run_name;  // the current run of equal names, and the kinds kept in it
  std::vector<TargetKind> run_kinds;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i + kPrefetchResult < all.size()) prefetchResult(all[i + kPrefetchResult]);
    if (i + kPrefetchFields < all.size()) prefetchFields(all[i + kPrefetchFields]);
    if (!all[i]) continue;
    const Observation& observation = all[i]->observation;
    if (run_kinds.empty() || observation.target != run_name) {
      run_name = observation.target;
      run_kinds.clear();
    } else if (std::find(run_kinds.begin(), run_kinds.end(), observation.kind) !=
               run_kinds.end()) {
      continue;
    }
    run_kinds.push_back(observation.kind);
    addTarget(*all[i], facts);
  }
}

TargetSeriesWriter::Span TargetSeriesWriter::addText(size_t start) const {
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
  row.labels = addText(start);
  start = arena_.size();
  appendValue(arena_, observation.duration_seconds);
  row.duration = addText(start);
  targets_.push_back(row);
  for (size_t i = 0; i < observation.certificates.size(); ++i) {
    const PresentedCertificate& certificate = observation.certificates[i];
    if (!certificate.facts) continue;
    const ResolvedRole role = i < result.roles.size() ? result.roles[i] : ResolvedRole::Any;
    certificates_.push_back({index, certificate.position, role,
                             toUnix(certificate.facts->not_after),
                             toUnix(certificate.facts->not_before),
                             facts.labels(certificate.facts)});
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
    findings_.push_back({target, addText(start)});
  }
}

// Walks every line of every non-empty family, in exposition order, as pieces for `sink`.
template <typename Sink>
void emit(Sink& sink, const TargetSeriesWriter& writer, const auto& targets,
          const auto& certificates, const auto& findings) {
  const auto labels = [&](uint32_t target) { return writer.textOf(targets[target].labels); };
  if (!targets.empty()) {
    for (const FamilyDescriptor* family : {&kProbeSuccess, &kProbeDuration}) {
      const FamilyText& f = familyText(*family);
      sink.text(f.header);
      for (const auto& row : targets) {
        sink.text(f.open);
        sink.text(writer.textOf(row.labels));
        if (family == &kProbeSuccess) {
          sink.text(row.success ? "} 1\n" : "} 0\n");
        } else {
          sink.text("} ");
          sink.text(writer.textOf(row.duration));
          sink.text("\n");
        }
      }
    }
  }
  if (!certificates.empty()) {
    for (const FamilyDescriptor* family : {&kCertNotAfter, &kCertNotBefore, &kCertInfo}) {
      const FamilyText& f = familyText(*family);
      sink.text(f.header);
      for (size_t i = 0; i < certificates.size(); ++i) {
        const auto& row = certificates[i];
        sink.text(f.open);
        sink.text(labels(row.target));
        sink.text(kRolePieces[static_cast<size_t>(row.role)]);
        sink.number(row.position);
        if (family == &kCertInfo) {
          if (i + kPrefetchInfo < certificates.size()) {
            __builtin_prefetch(certificates[i + kPrefetchInfo].info.data());
          }
          sink.text("\"");
          sink.text(row.info);
          sink.text("} 1\n");
        } else {
          sink.text("\"} ");
          sink.number(family == &kCertNotAfter ? row.not_after : row.not_before);
          sink.text("\n");
        }
      }
    }
  }
  if (!findings.empty()) {
    const FamilyText& f = familyText(kFinding);
    sink.text(f.header);
    for (const auto& row : findings) {
      sink.text(f.open);
      sink.text(labels(row.target));
      sink.text(writer.textOf(row.labels));
      sink.text("} 1\n");
    }
  }
}

void TargetSeriesWriter::write(std::string& out) const {
  SizeSink size;
  emit(size, *this, targets_, certificates_, findings_);
  const size_t start = out.size();
  out.resize(start + size.size());
  CopySink copy(out.data() + start);
  emit(copy, *this, targets_, certificates_, findings_);
}

}  // namespace certvigil::exporters
