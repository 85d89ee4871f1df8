// exporters/prometheus/target_text.h: the finished sample lines of one TargetResult. A
// TargetResult is immutable, so its lines — labels escaped, values formatted — never change and
// can be built once and copied into every exposition while the result stays in the snapshot.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/snapshot.h"

namespace certvigil::exporters {

/// The per-target families, in the order an exposition writes them.
enum class TargetFamily { ProbeSuccess, ProbeDuration, NotAfter, NotBefore, Info, Finding };
inline constexpr size_t kTargetFamilyCount = 6;

/// Every sample line of one TargetResult, grouped by family in one contiguous string (one
/// allocation per target keeps a 10^5-target scrape cache-friendly).
class TargetText {
 public:
  /// Builds the lines of `result`.
  explicit TargetText(const TargetResult& result);

  /// The lines of one family, each ending in '\n'; empty when the target has none.
  std::string_view lines(TargetFamily family) const {
    const auto f = static_cast<size_t>(family);
    return std::string_view(text_).substr(offsets_[f], offsets_[f + 1] - offsets_[f]);
  }
  /// Certificate series (certificates with facts) and distinct finding series.
  size_t certificates() const { return certificates_; }
  size_t findings() const { return findings_; }

 private:
  void close(TargetFamily family) { offsets_[static_cast<size_t>(family) + 1] = text_.size(); }
  void appendCertificates(const TargetResult& result);

  std::string text_;
  std::array<size_t, kTargetFamilyCount + 1> offsets_{};
  size_t certificates_ = 0;
  size_t findings_ = 0;
};

}  // namespace certvigil::exporters
