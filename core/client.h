// SPDX-License-Identifier: Apache-2.0
// core/client.h: the TLS client families whose verdicts certvigil models. Where clients differ
// (an expired trust anchor, a name only in the CN, anyExtendedKeyUsage, RFC 5280 rules only some
// enforce), a finding names who rejects, and is critical only when a client the user listed in
// `clients:` rejects; a warning when only unlisted ones would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certvigil {

/// One client family (docs/FINDINGS.md, "Client profiles").
enum class Client : uint8_t {
  OpenSsl = 1,        ///< OpenSSL's default verifier: curl, nginx, HAProxy, Python < 3.13, Ruby
  Go = 2,             ///< Go's crypto/x509
  Chromium = 4,       ///< Chromium / Chrome's verifier (and NSS's view of trust anchors)
  Rustls = 8,         ///< rustls / webpki
  OpenSslStrict = 16  ///< OpenSSL with X509_V_FLAG_X509_STRICT, as Python 3.13+ sets it
};

/// A set of client families.
class ClientSet {
 public:
  constexpr ClientSet() = default;
  constexpr ClientSet(std::initializer_list<Client> clients) {
    for (Client c : clients) bits_ |= static_cast<uint8_t>(c);
  }
  /// The default `clients:` list: openssl, go, chromium, rustls.
  static constexpr ClientSet defaults() {
    return {Client::OpenSsl, Client::Go, Client::Chromium, Client::Rustls};
  }
  /// Every family certvigil knows.
  static constexpr ClientSet all() { return defaults() | ClientSet{Client::OpenSslStrict}; }

  constexpr bool contains(Client c) const { return (bits_ & static_cast<uint8_t>(c)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool intersects(ClientSet other) const { return (bits_ & other.bits_) != 0; }
  constexpr ClientSet operator|(ClientSet other) const { return fromBits(bits_ | other.bits_); }
  constexpr ClientSet operator&(ClientSet other) const { return fromBits(bits_ & other.bits_); }
  /// The families of `all()` not in this set.
  constexpr ClientSet complement() const { return fromBits(all().bits_ & ~bits_); }
  constexpr bool operator==(const ClientSet&) const = default;
  constexpr uint8_t bits() const { return bits_; }

 private:
  static constexpr ClientSet fromBits(unsigned bits) {
    ClientSet s;
    s.bits_ = static_cast<uint8_t>(bits);
    return s;
  }
  uint8_t bits_ = 0;
};

/// Every family, in display order.
const std::vector<Client>& allClients();
/// "openssl" | "go" | "chromium" | "rustls" | "openssl-strict" (the config spelling).
std::string_view toString(Client client);
/// "OpenSSL", "Go", "Chromium", "rustls", "strict OpenSSL (Python 3.13+)" (for messages).
std::string_view displayName(Client client);
/// The inverse of toString; nullopt for an unknown name.
std::optional<Client> clientFromString(std::string_view name);
/// "OpenSSL and Go", "Go, Chromium and rustls"; "" for an empty set.
std::string describeClients(ClientSet clients);
/// "openssl,go" (config spelling, for signatures and JSON).
std::string clientListText(ClientSet clients);

}  // namespace certvigil
