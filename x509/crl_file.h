// SPDX-License-Identifier: Apache-2.0
// x509/crl_file.h: reads a CRL file that a server checks its peers against (nginx `ssl_crl`)
// into facts the checks judge: each CRL's dates, whether the server can use it, and which CAs the
// server verifies peers with have no CRL in the file. Mirrors what OpenSSL's CRL check looks up
// (X509_V_FLAG_CRL_CHECK_ALL, as nginx and HAProxy set it): for every CA of a peer's path, a CRL
// of that CA's name, signed by its key.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/crl_facts.h"
#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// The CAs a server verifies peers with (its client-CA bundle); `given` false: not known, and
/// only the CRLs' dates are judged.
struct CrlIssuers {
  std::vector<X509*> certificates;
  bool given = false;
};

/// The facts of a CRL file (PEM with one or more CRLs, or one DER CRL); an error when the bytes
/// hold no CRL (the error says why).
Result<CrlFileFacts> describeCrlFile(std::string_view bytes, const CrlIssuers& issuers);

}  // namespace certvigil::x509
