// SPDX-License-Identifier: Apache-2.0
// tests/unit/probers_tls/probe_helpers.h: short ways to build probe requests against local
// servers and to read the test PKI in the forms the prober's outcome uses.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "probers/tls_probe.h"

namespace certvigil::probers::test {

/// A request for 127.0.0.1:port with SNI "localhost" and a short deadline.
TlsProbeRequest localRequest(int port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Probes one request alone and returns its single outcome (fails the test if there are more).
TlsProbeOutcome probeOne(const TlsProbeRequest& request);

/// Client credentials from test-PKI files: `cert_file` may hold the leaf and its chain.
std::shared_ptr<const ClientCredentials> credentials(const std::string& cert_file,
                                                     const std::string& key_file);

/// The DER of the first certificate in a test-PKI PEM file.
std::string derOfPki(const std::string& name);

/// The RFC 2253 subject of the first certificate in a test-PKI PEM file.
std::string subjectOfPki(const std::string& name);

}  // namespace certvigil::probers::test
