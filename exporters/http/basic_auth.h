// SPDX-License-Identifier: Apache-2.0
// exporters/http/basic_auth.h: HTTP basic auth against the web config's `basic_auth_users`
// (bcrypt hashes), checked with the system's libxcrypt (crypt_r). bcrypt is slow by design, so a
// successful check is cached, keyed by the SHA-256 of user, hash and password (the password is
// never kept, and a changed hash never hits an old entry); one bcrypt runs at a time, as in
// exporter-toolkit. An unknown user is checked against a decoy hash of the same cost, so timing
// does not tell which users exist. Passwords and hashes are never logged.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace certvigil::exporters {

/// The users of one web config, and a decoy hash for unknown names.
struct BasicAuthUsers {
  std::map<std::string, std::string> hashes;  ///< user -> bcrypt hash
  std::string decoy;                          ///< a bcrypt hash of a random password

  /// Builds the set; the decoy has the highest cost among the users'. Empty `hashes`: no auth.
  static Result<std::shared_ptr<const BasicAuthUsers>> make(
      std::map<std::string, std::string> hashes);
};

/// User and password of an Authorization header value ("Basic base64(user:password)"), or
/// nullopt when it is not a well-formed basic credential.
std::optional<std::pair<std::string, std::string>> basicCredentials(std::string_view authorization);

/// Checks basic credentials; thread-safe; keeps its cache across web-config reloads.
class BasicAuthenticator {
 public:
  /// Whether `authorization` names a user of `users` with the right password.
  bool check(const BasicAuthUsers& users, std::string_view authorization);

 private:
  using Digest = std::array<unsigned char, 32>;
  bool verify(const std::string& password, const std::string& hash);

  std::mutex cache_mutex_;
  std::set<Digest> verified_;  ///< digests of (user, hash, password) that matched
  std::mutex bcrypt_mutex_;    ///< one bcrypt at a time: it is CPU-bound by design
};

}  // namespace certvigil::exporters
