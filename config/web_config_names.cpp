// SPDX-License-Identifier: Apache-2.0
// config/web_config_names.cpp: the spellings of the exporter-toolkit format. Cipher suites and
// curves are Go's names (what exporter configs already contain), mapped here to OpenSSL's once.
// Go accepts only what crypto/tls.CipherSuites() lists (its secure suites), so the insecure
// ones (RC4, 3DES, CBC-SHA256) are unknown here too.
#include <algorithm>
#include <array>
#include <cctype>
#include <span>

#include "config/web_config.h"

namespace certvigil::config {
namespace {

struct NamePair {
  std::string_view go;
  std::string_view openssl;
};

constexpr std::array<NamePair, 17> kCipherSuites{{
    {"TLS_AES_128_GCM_SHA256", ""},  // TLS 1.3: fixed, as in Go
    {"TLS_AES_256_GCM_SHA384", ""},
    {"TLS_CHACHA20_POLY1305_SHA256", ""},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
}};

constexpr std::array<NamePair, 4> kCurves{{
    {"CurveP256", "P-256"},
    {"CurveP384", "P-384"},
    {"CurveP521", "P-521"},
    {"X25519", "X25519"},
}};

std::optional<std::string_view> lookup(std::span<const NamePair> table, std::string_view go) {
  const auto it = std::find_if(table.begin(), table.end(),
                               [go](const NamePair& pair) { return pair.go == go; });
  if (it == table.end()) return std::nullopt;
  return it->openssl;
}

// bcrypt's base64 alphabet: ./A-Za-z0-9.
bool isBcryptChar(char c) {
  return c == '.' || c == '/' || std::isalnum(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::optional<std::string_view> openSslCipherName(std::string_view go_name) {
  return lookup(kCipherSuites, go_name);
}

std::optional<std::string_view> openSslGroupName(std::string_view go_name) {
  return lookup(kCurves, go_name);
}

// "$2b$10$" + 22 characters of salt + 31 of hash = 60 characters.
bool isBcryptHash(std::string_view hash) {
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$')
    return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (std::isdigit(static_cast<unsigned char>(hash[4])) == 0 ||
      std::isdigit(static_cast<unsigned char>(hash[5])) == 0)
    return false;
  const int cost = bcryptCost(hash);
  if (cost < 4 || cost > 31) return false;
  return std::all_of(hash.begin() + 7, hash.end(), isBcryptChar);
}

int bcryptCost(std::string_view hash) { return (hash[4] - '0') * 10 + (hash[5] - '0'); }

std::string_view toString(ClientAuthType type) {
  switch (type) {
    case ClientAuthType::NoClientCert:
      return "NoClientCert";
    case ClientAuthType::RequestClientCert:
      return "RequestClientCert";
    case ClientAuthType::RequireAnyClientCert:
      return "RequireAnyClientCert";
    case ClientAuthType::VerifyClientCertIfGiven:
      return "VerifyClientCertIfGiven";
    case ClientAuthType::RequireAndVerifyClientCert:
      return "RequireAndVerifyClientCert";
  }
  return "NoClientCert";
}

std::string_view toString(TlsVersion version) {
  switch (version) {
    case TlsVersion::Tls10:
      return "TLS10";
    case TlsVersion::Tls11:
      return "TLS11";
    case TlsVersion::Tls12:
      return "TLS12";
    case TlsVersion::Tls13:
      return "TLS13";
  }
  return "TLS12";
}

bool WebTlsConfig::enabled() const {
  return !cert_file.empty() || !cert.empty() || !key_file.empty() || !key.empty() ||
         !client_ca_file.empty() || !client_ca.empty() ||
         client_auth != ClientAuthType::NoClientCert;
}

}  // namespace certvigil::config
