// SPDX-License-Identifier: Apache-2.0
// exporters/http/bearer_token.h: the token that guards the API's state-changing routes
// (POST /api/v1/scan, POST /api/v1/reload). It is read from `api.token_file` at startup and at
// every reload, kept only in memory, and never logged or shown. Requests are compared in
// constant time: both sides are hashed with SHA-256 and the digests compared with
// CRYPTO_memcmp, so neither the token's content nor its length leaks through timing.
// Without a token file the guarded routes are disabled (every request is refused).
#pragma once

#include <array>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace certvigil::exporters {

/// Shortest token accepted: shorter ones are guessable.
inline constexpr size_t kMinTokenLength = 16;
/// Longest token file read.
inline constexpr size_t kMaxTokenFileSize = 4096;

/// The outcome of checking a request.
enum class AuthOutcome {
  Allowed,
  Disabled,    ///< no token configured: the guarded routes are off
  Missing,     ///< no "Authorization: Bearer ..." header
  WrongToken,  ///< a bearer token that is not ours
};

class BearerToken {
 public:
  /// Reads the token from `path` (surrounding whitespace, such as the final newline, is
  /// dropped). An empty path disables the guarded routes. On error the guarded routes are
  /// disabled as well (fail closed) and the error says why, without the token. A file that
  /// group or other may read is accepted with `warning` set.
  Status load(const std::filesystem::path& path, std::string* warning = nullptr);
  /// Sets the token directly (tests); an empty token disables.
  void set(std::string_view token);
  /// Whether a token is configured.
  bool enabled() const;
  /// Checks an Authorization header value ("Bearer <token>", scheme case-insensitive).
  AuthOutcome check(std::string_view authorization) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  static Digest digestOf(std::string_view text);

  mutable std::mutex mutex_;
  std::optional<Digest> digest_;  ///< only the digest is kept, never the token itself
};

/// token.load(path), logging the outcome (never the token): the daemon calls it at start and at
/// every reload. A token that cannot be read disables the guarded routes and logs an error.
void loadTokenLogged(BearerToken& token, const std::filesystem::path& path);

/// The token part of an Authorization header value, or nullopt if it is not a bearer
/// credential.
std::optional<std::string_view> bearerCredential(std::string_view authorization);

}  // namespace certvigil::exporters
