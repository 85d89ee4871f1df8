// SPDX-License-Identifier: Apache-2.0
#include "core/finding.h"

#include <algorithm>
#include <array>

namespace certvigil {
namespace {

struct CodeEntry {
  FindingCode code;
  std::string_view name;
  Severity severity;
  std::string_view meaning;
  std::string_view remedy;
};

constexpr std::array kCodes = {
#define CERTVIGIL_FINDING(name, code, severity, meaning, remedy) \
  CodeEntry{FindingCode::name, code, Severity::severity, meaning, remedy},
#include "core/finding_codes.def"
#undef CERTVIGIL_FINDING
};

const CodeEntry& entry(FindingCode code) { return kCodes[static_cast<size_t>(code)]; }

}  // namespace

std::string_view toString(FindingCode code) { return entry(code).name; }
Severity defaultSeverity(FindingCode code) { return entry(code).severity; }
std::string_view defaultMeaning(FindingCode code) { return entry(code).meaning; }
std::string_view defaultRemedy(FindingCode code) { return entry(code).remedy; }

std::string_view toString(Severity severity) {
  switch (severity) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Critical:
      return "critical";
  }
  return "critical";
}

std::string_view toString(RejectCause cause) {
  switch (cause) {
    case RejectCause::UnknownCa:
      return "unknown_ca";
    case RejectCause::Expired:
      return "expired";
    case RejectCause::UnsupportedPurpose:
      return "unsupported_purpose";
    case RejectCause::IncompleteChain:
      return "incomplete_chain";
    case RejectCause::Other:
      return "other";
  }
  return "other";
}

std::optional<FindingCode> findingCodeFromString(std::string_view code) {
  for (const auto& e : kCodes) {
    if (e.name == code) return e.code;
  }
  return std::nullopt;
}

std::optional<Severity> severityFromString(std::string_view severity) {
  for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical}) {
    if (toString(s) == severity) return s;
  }
  return std::nullopt;
}

const std::vector<FindingCode>& allFindingCodes() {
  static const std::vector<FindingCode> codes = [] {
    std::vector<FindingCode> v;
    for (const auto& e : kCodes) v.push_back(e.code);
    return v;
  }();
  return codes;
}

std::string Finding::key() const {
  std::string k = std::string(toString(code)) + "|" + fingerprint + "|" + std::to_string(position);
  // Read problems concern no certificate; a file can have several, told apart by their detail
  // (stable from scan to scan, unlike the time left quoted in expiry messages).
  // So can a certificate break several RFC 5280 rules, each its own finding.
  if (code == FindingCode::ParseError || code == FindingCode::PemEmpty ||
      code == FindingCode::Nonconforming) {
    k += "|" + message;
  }
  return k;
}

Finding makeFinding(FindingCode code, std::string message, std::string fingerprint, int position) {
  Finding f;
  f.code = code;
  f.severity = defaultSeverity(code);
  f.fingerprint = std::move(fingerprint);
  f.position = position;
  f.message = std::move(message);
  f.remedy = std::string(defaultRemedy(code));
  return f;
}

void sortWorstFirst(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.code != b.code) return a.code < b.code;
    return a.position < b.position;
  });
}

std::optional<Severity> worstSeverity(const std::vector<Finding>& findings) {
  std::optional<Severity> worst;
  for (const auto& f : findings) {
    if (!worst || f.severity > *worst) worst = f.severity;
  }
  return worst;
}

}  // namespace certvigil
