// checks/hostname.h: does a certificate cover the name that was dialled (RFC 6125)? Pure string
// work, shared by the hostname check and by endpoint diagnosis.
//
// Rules: DNS names compare case-insensitively, a trailing dot ignored. A wildcard counts only as
// the whole left-most label ("*.example.com") with at least two labels after it; it covers
// exactly one label (not "example.com", not "a.b.example.com"); partial wildcards ("f*o",
// "*foo") and wildcards elsewhere never match. An IP address matches subjectAltName IP entries
// only, never a DNS entry or the CN. The CN is consulted only when there is no DNS entry.
#pragma once

#include <string_view>

#include "core/certificate.h"

namespace certvigil::checks {

/// True when `name` is an IPv4 or IPv6 address literal ("10.0.0.1", "::1", "[::1]").
bool isIpAddress(std::string_view name);

/// Whether two IP address texts denote the same address ("::1" == "0:0:0:0:0:0:0:1").
bool sameIpAddress(std::string_view a, std::string_view b);

/// Whether one presented DNS identifier (maybe a wildcard) covers a dialled DNS name.
bool matchesDnsName(std::string_view pattern, std::string_view host);

/// Whether the certificate covers `name` (a DNS name or an IP address, brackets allowed).
bool coversName(const CertificateFacts& facts, std::string_view name);

}  // namespace certvigil::checks
