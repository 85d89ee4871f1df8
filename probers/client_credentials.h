// SPDX-License-Identifier: Apache-2.0
// probers/client_credentials.h: loads the client certificate an endpoint presents (PEM pair,
// fullchain, PKCS#12) into what the TLS prober sends and what the checks judge. Secrets (the
// key, the password) stay in memory and are never logged.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "probers/tls_probe.h"
#include "x509/chain.h"
#include "x509/facts.h"

namespace certvigil::probers {

/// Where the client credentials come from (EndpointConfig's keys).
struct ClientCredentialFiles {
  std::filesystem::path certificate;  ///< client_cert: PEM/DER leaf, or a fullchain
  std::filesystem::path key;          ///< client_key; empty: the key sits in `certificate`
  std::filesystem::path pkcs12;       ///< client_pkcs12 (instead of certificate + key)
  std::filesystem::path password_file;
  /// The certificate (chain) and key as PEM held in memory (a kubeconfig user's, decoded from
  /// its inline data or read from its files); `certificate` then only names where they came
  /// from. A secret: never logged.
  std::string inline_pem;

  bool configured() const { return !certificate.empty() || !pkcs12.empty(); }
  /// The file that holds the certificate.
  const std::filesystem::path& source() const { return pkcs12.empty() ? certificate : pkcs12; }
  friend bool operator==(const ClientCredentialFiles&, const ClientCredentialFiles&) = default;
};

struct LoadedClient {
  std::shared_ptr<const ClientCredentials> credentials;  ///< null when it could not be loaded
  std::vector<CertificateFactsPtr> chain;                ///< what we send, leaf first
  std::string root;     ///< the trust-store root the chain leads to, "" if none
  std::string problem;  ///< why it could not be loaded
};

/// Loads and checks that the key belongs to the leaf. Never throws.
LoadedClient loadClientCredentials(const ClientCredentialFiles& files,
                                   x509::CertificateCache& certificates,
                                   const x509::TrustStore& trust);

}  // namespace certvigil::probers
