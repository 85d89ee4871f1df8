// SPDX-License-Identifier: Apache-2.0
#include "core/observation.h"

namespace certvigil {

std::string_view toString(CertSource source, TargetKind kind) {
  switch (source) {
    case CertSource::Presented:
      return kind == TargetKind::Endpoint ? "sent" : "file";
    case CertSource::ChainFile:
      return "chain";
    case CertSource::TrustStore:
      return "trust store";
  }
  return "file";
}

std::string_view statusText(const RevocationFacts& facts) {
  if (facts.revoked) return "revoked";
  return facts.covered ? "good" : "unknown";
}

std::string_view toString(RevocationSource source) {
  switch (source) {
    case RevocationSource::File:
      return "CRL file";
    case RevocationSource::Staple:
      return "stapled OCSP";
    case RevocationSource::Crl:
      return "CRL";
    case RevocationSource::Ocsp:
      return "OCSP";
  }
  return "CRL file";
}

}  // namespace certvigil
