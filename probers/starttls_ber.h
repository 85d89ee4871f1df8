// SPDX-License-Identifier: Apache-2.0
// probers/starttls_ber.h (internal to the TLS prober): the few BER bytes LDAP's StartTLS needs
// (RFC 4511 4.14): the ExtendedRequest we send and the ExtendedResponse we read. Pure, so it is
// tested without a server.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certvigil::probers {

/// LDAPMessage { messageID 1, ExtendedRequest { requestName 1.3.6.1.4.1.1466.20037 } }.
std::string ldapStartTlsRequest();

/// The size of the BER element starting `bytes` (tag + length + contents) once its header is
/// complete; 0 while the header is incomplete or malformed (lengths over 4 bytes, indefinite).
std::size_t berMessageSize(std::string_view bytes);

struct LdapResult {
  bool parsed = false;  ///< an LDAPMessage holding an ExtendedResponse
  int code = -1;        ///< resultCode: 0 success, 2 protocolError, 52 unavailable, ...
  std::string message;  ///< diagnosticMessage
};
/// Reads an LDAPMessage holding an ExtendedResponse (or a Notice of Disconnection).
LdapResult parseLdapExtendedResponse(std::string_view message);

}  // namespace certvigil::probers
