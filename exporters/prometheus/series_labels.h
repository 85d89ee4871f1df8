// exporters/prometheus/series_labels.h: the label sets of every per-target series, defined once
// so that the fast renderer, the one-target renderer and the prometheus-cpp reference renderer
// (tests) cannot drift apart. Labels are bounded: names, serials, fingerprints, codes; never a
// free-text message.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::exporters {

/// Label names (contract, see docs/METRICS.md).
inline constexpr std::string_view kLabelSource = "source";
inline constexpr std::string_view kLabelTarget = "target";
inline constexpr std::string_view kLabelRole = "role";
inline constexpr std::string_view kLabelPosition = "position";
inline constexpr std::string_view kLabelUnit = "unit";

/// Ordered (name, raw value) pairs; values are escaped only when formatted.
using LabelSet = std::vector<std::pair<std::string_view, std::string>>;

/// source (file | bundle | endpoint), target.
LabelSet targetLabels(const TargetResult& result);
/// targetLabels + role (resolved per position) + position, of observation.certificates[index].
LabelSet certificateLabels(const TargetResult& result, size_t index);
/// certificateLabels + subject, issuer, serial, fingerprint, key, signature, eku.
LabelSet certificateInfoLabels(const TargetResult& result, size_t index);
/// targetLabels + code, severity, fingerprint, position ("" when the finding concerns no
/// certificate).
LabelSet findingLabels(const TargetResult& result, const Finding& finding);

/// The findings of `result` that make distinct series: the first of several findings with the
/// same code, severity, fingerprint and position (they differ only in message text).
std::vector<const Finding*> distinctFindings(const TargetResult& result);

/// Escaped label text without braces: `a="x",b="y"`.
std::string formatLabels(const LabelSet& labels);

}  // namespace certvigil::exporters
