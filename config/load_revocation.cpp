// SPDX-License-Identifier: Apache-2.0
// config/load_revocation.cpp: the `revocation:` block, globally and per entry. An entry's block
// starts from the global one, so `revocation: {crl: off}` on one endpoint keeps the global
// timeout and size cap.
#include <array>
#include <charconv>
#include <limits>

#include "config/sections.h"

namespace certvigil::config {
namespace {

constexpr std::array<std::string_view, 2> kModeChoices{"auto", "off"};

struct SizeUnit {
  std::string_view suffix;
  int64_t factor;
};
constexpr SizeUnit kSizeUnits[] = {{"GB", int64_t{1} << 30},
                                   {"MB", int64_t{1} << 20},
                                   {"KB", int64_t{1} << 10},
                                   {"B", 1},
                                   {"", 1}};

}  // namespace

std::optional<int64_t> parseByteSize(const std::string& text) {
  for (const SizeUnit& unit : kSizeUnits) {
    if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
    const std::string_view digits(text.data(), text.size() - unit.suffix.size());
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value < 0) return std::nullopt;
    if (value > std::numeric_limits<int64_t>::max() / unit.factor) return std::nullopt;
    return value * unit.factor;
  }
  return std::nullopt;
}

std::string_view toString(RevocationMode mode) {
  return mode == RevocationMode::Off ? "off" : "auto";
}

std::optional<RevocationMode> revocationModeFromString(std::string_view text) {
  if (text == "auto") return RevocationMode::Auto;
  if (text == "off") return RevocationMode::Off;
  return std::nullopt;
}

void readRevocation(Reader& reader, const YAML::Node& node, const std::string& path,
                    RevocationConfig& out) {
  MapReader m(reader, node, path, {"crl", "ocsp", "timeout", "max_crl_bytes", "soft_fail"});
  m.readChoice("crl", out.crl, &revocationModeFromString, kModeChoices);
  m.readChoice("ocsp", out.ocsp, &revocationModeFromString, kModeChoices);
  m.readDuration("timeout", out.timeout);
  m.readBool("soft_fail", out.soft_fail);
  std::string size;
  m.readString("max_crl_bytes", size);
  if (size.empty()) return;
  if (const std::optional<int64_t> bytes = parseByteSize(size); bytes && *bytes > 0) {
    out.max_crl_bytes = *bytes;
  } else {
    reader.fail(m.child("max_crl_bytes").Mark(), joinPath(path, "max_crl_bytes"),
                "'" + size + "' is not a size such as 20MB, 512KB or 1048576");
  }
}

std::optional<RevocationConfig> readEntryRevocation(Reader& reader, const YAML::Node& entry,
                                                    const std::string& path,
                                                    const RevocationConfig& global) {
  if (!entry.IsMap() || !entry["revocation"]) return std::nullopt;
  RevocationConfig own = global;
  readRevocation(reader, entry["revocation"], joinPath(path, "revocation"), own);
  return own;
}

}  // namespace certvigil::config
