// SPDX-License-Identifier: Apache-2.0
// exporters/http/bearer_token.cpp: reading and checking the API token. Error messages name the
// file and the problem, never its content.
#include "exporters/http/bearer_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "core/log.h"

namespace certvigil::exporters {
namespace {

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Result<std::string> readSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, "cannot read the token file", path.string());
  std::string content;
  content.resize(kMaxTokenFileSize + 1);
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > kMaxTokenFileSize) {
    return makeError(ErrorCode::Invalid, "the token file is larger than 4 KiB", path.string());
  }
  return content;
}

}  // namespace

std::optional<std::string_view> bearerCredential(std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      !isSpace(authorization[kScheme.size()])) {
    return std::nullopt;
  }
  std::string_view token = trim(authorization.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

void loadTokenLogged(BearerToken& token, const std::filesystem::path& path) {
  std::string warning;
  if (Status status = token.load(path, &warning); !status) {
    log::error("api: " + status.error().describe() + "; POST /api/v1/scan and /reload disabled");
    return;
  }
  if (!warning.empty()) log::warning("api: " + warning);
  log::info(path.empty() ? "api: no api.token_file: POST /api/v1/scan and /reload disabled"
                         : "api: bearer token loaded from " + path.string());
}

BearerToken::Digest BearerToken::digestOf(std::string_view text) {
  Digest digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

Status BearerToken::load(const std::filesystem::path& path, std::string* warning) {
  set({});
  if (path.empty()) return Ok{};
  auto content = readSmallFile(path);
  if (!content) return content.error();
  const std::string_view token = trim(*content);
  const bool printable = std::all_of(token.begin(), token.end(), [](char c) {
    return std::isgraph(static_cast<unsigned char>(c)) != 0;
  });
  if (token.size() < kMinTokenLength || !printable) {
    OPENSSL_cleanse(content->data(), content->size());
    return makeError(ErrorCode::Invalid,
                     "the token must be at least 16 printable characters without spaces",
                     path.string());
  }
  set(token);
  OPENSSL_cleanse(content->data(), content->size());
  struct stat st {};
  if (warning != nullptr && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 0077) != 0) {
    *warning = path.string() + ": the token file is readable by group or other (chmod 600 it)";
  }
  return Ok{};
}

void BearerToken::set(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (token.empty()) {
    digest_.reset();
  } else {
    digest_ = digestOf(token);
  }
}

bool BearerToken::enabled() const {
  std::lock_guard lock(mutex_);
  return digest_.has_value();
}

AuthOutcome BearerToken::check(std::string_view authorization) const {
  std::optional<Digest> expected;
  {
    std::lock_guard lock(mutex_);
    expected = digest_;
  }
  if (!expected) return AuthOutcome::Disabled;
  const std::optional<std::string_view> token = bearerCredential(authorization);
  if (!token) return AuthOutcome::Missing;
  const Digest presented = digestOf(*token);
  return CRYPTO_memcmp(presented.data(), expected->data(), presented.size()) == 0
             ? AuthOutcome::Allowed
             : AuthOutcome::WrongToken;
}

}  // namespace certvigil::exporters
