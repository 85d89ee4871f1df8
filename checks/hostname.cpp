// SPDX-License-Identifier: Apache-2.0
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

/// 16 bytes for IPv6; IPv4 as its IPv4-mapped IPv6 form, so both compare in one space, with
/// the family kept: an iPAddress SAN of 16 bytes is not the 4-byte address to OpenSSL,
/// Chromium or rustls, even when it is ::ffff:a.b.c.d (Go's net.IP.Equal alone says it is).
struct IpBytes {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
  bool operator==(const IpBytes&) const = default;
};

std::string_view stripBrackets(std::string_view name) {
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    return name.substr(1, name.size() - 2);
  }
  return name;
}

/// inet_pton is a pure parser (no resolver, no I/O): it only ever reads the string it is given.
std::optional<IpBytes> parseIp(std::string_view text) {
  const std::string s(stripBrackets(text));
  IpBytes ip;
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) return ip;
  std::array<unsigned char, 4> v4{};
  if (inet_pton(AF_INET, s.c_str(), v4.data()) != 1) return std::nullopt;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  std::copy(v4.begin(), v4.end(), ip.bytes.begin() + 12);
  ip.v4 = true;
  return ip;
}

/// The same address across families: "::ffff:10.0.0.1" and "10.0.0.1".
bool sameAddressAnyFamily(std::string_view a, std::string_view b) {
  const auto x = parseIp(a);
  const auto y = parseIp(b);
  return x && y && x->bytes == y->bytes;
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

/// OpenSSL's looser wildcard (X509_check_host, default flags): one '*' in the left-most label,
/// with a literal prefix and/or suffix, at least two labels after it, never in an A-label.
bool matchesPartialWildcard(const std::string& pattern, const std::string& host) {
  const size_t star = pattern.find('*');
  const size_t dot = pattern.find('.');
  if (star == std::string::npos || dot == std::string::npos || star > dot) return false;
  if (pattern.find('*', star + 1) != std::string::npos) return false;
  const std::string rest = pattern.substr(dot);  // ".example.com"
  if (rest.find('.', 1) == std::string::npos || pattern.rfind("xn--", 0) == 0) return false;
  const size_t host_dot = host.find('.');
  if (host_dot == std::string::npos || host.substr(host_dot) != rest) return false;
  const std::string label = host.substr(0, host_dot);
  const std::string prefix = pattern.substr(0, star);
  const std::string suffix = pattern.substr(star + 1, dot - star - 1);
  if (label.rfind("xn--", 0) == 0 || label.size() <= prefix.size() + suffix.size()) return false;
  return label.compare(0, prefix.size(), prefix) == 0 &&
         label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool anyIpMatches(const std::vector<std::string>& ips, std::string_view name) {
  return std::any_of(ips.begin(), ips.end(),
                     [&](const std::string& ip) { return sameIpAddress(ip, name); });
}

NameMatch matchIp(const CertificateFacts& facts, std::string_view name) {
  if (anyIpMatches(facts.ip_addresses, name)) return NameMatch::SubjectAltName;
  const bool no_san = facts.dns_names.empty() && facts.ip_addresses.empty();
  if (no_san && sameIpAddress(facts.common_name, name)) return NameMatch::CommonNameOnly;
  const bool mapped =
      std::any_of(facts.ip_addresses.begin(), facts.ip_addresses.end(),
                  [&](const std::string& ip) { return sameAddressAnyFamily(ip, name); });
  return mapped ? NameMatch::MappedIpOnly : NameMatch::None;
}

NameMatch matchDns(const CertificateFacts& facts, std::string_view name) {
  const std::string host = normalizeDns(name);
  bool partial = false;
  for (const std::string& dns : facts.dns_names) {
    if (matchesDnsName(dns, host)) return NameMatch::SubjectAltName;
    partial = partial || matchesPartialWildcard(normalizeDns(dns), host);
  }
  if (partial) return NameMatch::PartialWildcard;
  const std::string cn = normalizeDns(facts.common_name);
  const bool cn_covers = matchesDnsName(cn, host) || matchesPartialWildcard(cn, host);
  if (facts.dns_names.empty() && cn_covers) return NameMatch::CommonNameOnly;
  return NameMatch::None;
}

/// Everything the certificate's subjectAltName covers, for the message.
std::vector<std::string> sanNames(const CertificateFacts& facts) {
  std::vector<std::string> names = facts.dns_names;
  names.insert(names.end(), facts.ip_addresses.begin(), facts.ip_addresses.end());
  return names;
}

/// Clients that reject a certificate for a name, by how it covers it. An IP address only in the
/// CN: OpenSSL's IP check (X509_check_ip, as Python and `openssl verify -verify_ip` use it)
/// never reads the CN either; only clients that compare an IP as a DNS name (curl) take it.
ClientSet rejectingClients(NameMatch match, bool ip) {
  if (ip && match == NameMatch::CommonNameOnly) return ClientSet::all();
  constexpr ClientSet kModern{Client::Go, Client::Chromium, Client::Rustls};
  switch (match) {
    case NameMatch::SubjectAltName:
      return {};
    case NameMatch::PartialWildcard:
      return kModern | ClientSet{Client::OpenSslStrict};  // Python: NO_PARTIAL_WILDCARDS
    case NameMatch::CommonNameOnly:
      return kModern;
    case NameMatch::MappedIpOnly:
      return ClientSet{Client::Go}.complement();
    case NameMatch::None:
      break;
  }
  return ClientSet::all();
}

std::string mismatchMessage(const PresentedCertificate& leaf, const std::string& name,
                            NameMatch match) {
  const std::vector<std::string> san = sanNames(*leaf.facts);
  const std::string covers =
      san.empty() ? "it has no subjectAltName" : "it covers " + joinNames(san);
  std::string message = describeCertificate(leaf) + " does not cover " + name;
  switch (match) {
    case NameMatch::CommonNameOnly:
      return message + " in its subjectAltName (" + covers +
             "): the name is only in its subject CN";
    case NameMatch::PartialWildcard:
      return message + " with a whole-label wildcard (" + covers +
             "): only a partial wildcard matches it";
    case NameMatch::MappedIpOnly:
      return message + " as an IPv4 address (" + covers +
             "): only its IPv4-mapped IPv6 form is there";
    default:
      break;
  }
  const std::string cn =
      leaf.facts->common_name.empty() ? "" : ", CN=" + leaf.facts->common_name + " is not used";
  return message + " (" + covers + cn + ")";
}

Finding mismatch(const PresentedCertificate& leaf, const std::string& name, NameMatch match,
                 const Policy& policy) {
  const ClientSet rejecting = rejectingClients(match, isIpAddress(name));
  Finding f = certificateFinding(FindingCode::HostnameMismatch, leaf,
                                 mismatchMessage(leaf, name, match) + ": " + whoRejects(rejecting));
  f.severity = severityFor(rejecting, policy);
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
  // A dialled name may end in a dot (the root); a subjectAltName may not: no client matches
  // "example.com." in a certificate (RFC 5280 4.2.1.6: preferred name syntax).
  if (!pattern.empty() && pattern.back() == '.') return false;
  const std::string p = normalizeDns(pattern);
  const std::string h = normalizeDns(host);
  if (p.empty() || h.empty() || h.find('*') != std::string::npos) return false;
  if (p.find('*') == std::string::npos) return p == h;
  return matchesWildcard(p, h);
}

NameMatch matchName(const CertificateFacts& facts, std::string_view name) {
  return isIpAddress(name) ? matchIp(facts, name) : matchDns(facts, name);
}

bool coversName(const CertificateFacts& facts, std::string_view name) {
  return matchName(facts, name) == NameMatch::SubjectAltName;
}

std::vector<Finding> checkHostname(const Observation& obs, const Policy& policy,
                                   TimePoint /*now*/) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (obs.hostname.empty() || leaf == nullptr || isBundle(obs)) return {};
  const NameMatch match = matchName(*leaf->facts, obs.hostname);
  if (match == NameMatch::SubjectAltName) return {};
  return {mismatch(*leaf, obs.hostname, match, policy)};
}

}  // namespace certvigil::checks
