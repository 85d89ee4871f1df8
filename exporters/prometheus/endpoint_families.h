// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/endpoint_families.h: the families only endpoints have, built from the
// snapshot at scrape time like the rest: the negotiated TLS parameters
// (certvigil_tls_info{version,cipher}), whether the server asked for a client certificate
// (certvigil_mtls_client_certificate_requested), and the client CA names it accepts
// (certvigil_mtls_acceptable_ca_info{ca}, at most kMaxAcceptableCaSeries per endpoint so a
// server listing hundreds of CAs cannot blow up cardinality; certvigil_mtls_acceptable_ca_names
// counts them all). Endpoints are few next to files, so plain string building is enough.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::exporters {

inline constexpr size_t kMaxAcceptableCaSeries = 16;

/// Appends the endpoint families (HELP/TYPE and series) for the endpoint targets among
/// `targets`; nothing when there is none.
void appendEndpointFamilies(std::string& out, const std::vector<TargetResultPtr>& targets);

}  // namespace certvigil::exporters
