// SPDX-License-Identifier: Apache-2.0
#include "core/certificate.h"

namespace certvigil {

std::string_view toString(KeyType type) {
  switch (type) {
    case KeyType::Rsa:
      return "RSA";
    case KeyType::Ec:
      return "EC";
    case KeyType::Ed25519:
      return "Ed25519";
    case KeyType::Ed448:
      return "Ed448";
    case KeyType::Dsa:
      return "DSA";
    case KeyType::Other:
      return "other";
    case KeyType::Unknown:
      break;
  }
  return "unknown";
}

std::string CertificateFacts::ekuText() const {
  std::string out;
  auto add = [&out](const char* name) {
    if (!out.empty()) out += ',';
    out += name;
  };
  if (eku_server_auth) add("serverAuth");
  if (eku_client_auth) add("clientAuth");
  if (eku_any) add("anyExtendedKeyUsage");
  if (eku_sgc) add("serverGatedCrypto");
  return out;
}

std::string CertificateFacts::keyText() const {
  if (key_type == KeyType::Ed25519 || key_type == KeyType::Ed448) {
    return std::string(toString(key_type));
  }
  return std::string(toString(key_type)) + "-" + std::to_string(key_bits);
}

}  // namespace certvigil
