// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/text_format.h: the pieces of the Prometheus text exposition format 0.0.4
// that the fast path writes by hand: escaped label values, sample values, and the HELP/TYPE
// header of a family.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "exporters/prometheus/metric_families.h"

namespace certvigil::exporters {

/// Appends `value` escaped for use between the double quotes of a label value: backslash,
/// double quote and line feed are escaped, and every byte that is not part of valid UTF-8 becomes
/// U+FFFD (Prometheus rejects the whole scrape on an invalid label value, and file paths and
/// certificate names are arbitrary bytes).
void appendEscapedLabelValue(std::string& out, std::string_view value);

/// `value` with invalid UTF-8 replaced by U+FFFD, unescaped (for prometheus-cpp, which escapes).
std::string sanitizeUtf8(std::string_view value);

/// Longest text formatValue() writes.
inline constexpr size_t kMaxValueChars = 32;

/// Writes a sample value at `at` (room for kMaxValueChars): shortest round-trip decimal, "NaN",
/// "+Inf" or "-Inf". Returns the end.
char* formatValue(char* at, double value);
char* formatValue(char* at, int64_t value);

/// Appends a sample value as formatValue() writes it.
void appendValue(std::string& out, double value);
void appendValue(std::string& out, int64_t value);

/// Appends "# HELP name help\n# TYPE name type\n".
void appendFamilyHeader(std::string& out, const FamilyDescriptor& family);

}  // namespace certvigil::exporters
