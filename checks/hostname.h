// SPDX-License-Identifier: Apache-2.0
// checks/hostname.h: does a certificate cover the name that was dialled, as modern clients check
// it (RFC 6125, CA/Browser Forum)? Pure string work, shared by the hostname check and by
// endpoint diagnosis.
//
// Rules: subjectAltName only. DNS names compare case-insensitively as A-labels (the dialled
// name is converted to its A-label form before it gets here: config/, cli/), a trailing dot
// ignored. A wildcard counts only as the whole left-most label ("*.example.com") with at least
// two labels after it; it covers exactly one label (not "example.com", not "a.b.example.com").
// An IP address matches subjectAltName iPAddress entries only.
//
// Where OpenSSL's own matcher (X509_check_host with default flags, as nginx, HAProxy and curl
// call it) is looser, matchName says so, and the check names who rejects: it falls back to the
// subject CN when the certificate has no DNS subjectAltName, and it takes partial wildcards
// ("f*.example.com") in the left-most label. Go (1.15+), Chromium (58+) and rustls do neither;
// Python (strict OpenSSL) refuses partial wildcards but keeps the CN. An IP address only in the
// CN is refused by every IP check (X509_check_ip too); matchName reports it for the message.
#pragma once

#include <string_view>

#include "core/certificate.h"

namespace certvigil::checks {

/// True when `name` is an IPv4 or IPv6 address literal ("10.0.0.1", "::1", "[::1]").
bool isIpAddress(std::string_view name);

/// Whether two IP address texts denote the same address ("::1" == "0:0:0:0:0:0:0:1").
bool sameIpAddress(std::string_view a, std::string_view b);

/// Whether one presented DNS identifier (maybe a whole-label wildcard) covers a dialled name.
bool matchesDnsName(std::string_view pattern, std::string_view host);

/// How a certificate covers a name.
enum class NameMatch {
  SubjectAltName,   ///< a subjectAltName entry covers it: every client accepts
  PartialWildcard,  ///< only a partial wildcard SAN ("f*.example.com"): default OpenSSL accepts
  CommonNameOnly,   ///< only the subject CN, and no SAN of that kind: OpenSSL accepts
  MappedIpOnly,     ///< an IPv4 address only as an IPv4-mapped IPv6 SAN: only Go accepts
  None,             ///< nothing covers it: every client rejects
};

/// How the certificate covers `name` (a DNS name or an IP address, brackets allowed).
NameMatch matchName(const CertificateFacts& facts, std::string_view name);

/// Whether every client accepts the certificate for `name` (matchName == SubjectAltName).
bool coversName(const CertificateFacts& facts, std::string_view name);

}  // namespace certvigil::checks
