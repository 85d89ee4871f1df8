// checks/hostname.cpp: the RFC 6125 matcher (see hostname.h) and hostname_mismatch.
#include "checks/hostname.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// 16 bytes for IPv6; IPv4 as its IPv4-mapped IPv6 form, so both compare in one space.
using IpBytes = std::array<unsigned char, 16>;

std::string_view stripBrackets(std::string_view name) {
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    return name.substr(1, name.size() - 2);
  }
  return name;
}

/// inet_pton is a pure parser (no resolver, no I/O): it only ever reads the string it is given.
std::optional<IpBytes> parseIp(std::string_view text) {
  const std::string s(stripBrackets(text));
  IpBytes bytes{};
  if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) return bytes;
  std::array<unsigned char, 4> v4{};
  if (inet_pton(AF_INET, s.c_str(), v4.data()) != 1) return std::nullopt;
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  std::copy(v4.begin(), v4.end(), bytes.begin() + 12);
  return bytes;
}

/// Lower-case ASCII, one trailing dot removed.
std::string normalizeDns(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out.back() == '.') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

/// "*.example.com" against a host: one non-empty left-most label, the rest equal.
bool matchesWildcard(const std::string& pattern, const std::string& host) {
  if (pattern.rfind("*.", 0) != 0) return false;
  const std::string rest = pattern.substr(2);
  if (rest.empty() || rest.find('*') != std::string::npos) return false;
  if (rest.find('.') == std::string::npos || rest.front() == '.') return false;
  const size_t dot = host.find('.');
  if (dot == 0 || dot == std::string::npos) return false;
  return host.substr(dot + 1) == rest;
}

/// Everything the certificate covers, for the message.
std::vector<std::string> coveredNames(const CertificateFacts& facts) {
  std::vector<std::string> names = facts.dns_names;
  names.insert(names.end(), facts.ip_addresses.begin(), facts.ip_addresses.end());
  if (facts.dns_names.empty() && !facts.common_name.empty()) {
    names.push_back("CN=" + facts.common_name);
  }
  return names;
}

Finding mismatch(const PresentedCertificate& leaf, const std::string& name) {
  const std::vector<std::string> covered = coveredNames(*leaf.facts);
  const std::string what = covered.empty() ? "no name at all" : joinNames(covered);
  Finding f = certificateFinding(
      FindingCode::HostnameMismatch, leaf,
      describeCertificate(leaf) + " does not cover " + name + " (it covers " + what + ")");
  const std::string san = (isIpAddress(name) ? "IP:" : "DNS:") + std::string(stripBrackets(name));
  f.remedy = "reissue with subjectAltName=" + san + ", or dial a name the certificate covers";
  return f;
}

}  // namespace

bool isIpAddress(std::string_view name) { return parseIp(name).has_value(); }

// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): symmetric
bool sameIpAddress(std::string_view a, std::string_view b) {
  const auto x = parseIp(a);
  const auto y = parseIp(b);
  return x && y && *x == *y;
}

// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): RFC 6125 order, presented then dialled
bool matchesDnsName(std::string_view pattern, std::string_view host) {
  const std::string p = normalizeDns(pattern);
  const std::string h = normalizeDns(host);
  if (p.empty() || h.empty() || h.find('*') != std::string::npos) return false;
  if (p.find('*') == std::string::npos) return p == h;
  return matchesWildcard(p, h);
}

bool coversName(const CertificateFacts& facts, std::string_view name) {
  if (isIpAddress(name)) {
    return std::any_of(facts.ip_addresses.begin(), facts.ip_addresses.end(),
                       [&](const std::string& ip) { return sameIpAddress(ip, name); });
  }
  if (facts.dns_names.empty()) return matchesDnsName(facts.common_name, name);
  return std::any_of(facts.dns_names.begin(), facts.dns_names.end(),
                     [&](const std::string& dns) { return matchesDnsName(dns, name); });
}

std::vector<Finding> checkHostname(const Observation& obs, const Policy& /*policy*/,
                                   TimePoint /*now*/) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (obs.hostname.empty() || leaf == nullptr || isBundle(obs)) return {};
  if (coversName(*leaf->facts, obs.hostname)) return {};
  return {mismatch(*leaf, obs.hostname)};
}

}  // namespace certvigil::checks
