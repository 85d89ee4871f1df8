// SPDX-License-Identifier: Apache-2.0
// exporters/http/basic_auth.cpp: see the header. crypt_r needs a ~32 KiB work area, so it is
// allocated per check (not on a worker thread's stack) and wiped afterwards.
#include "exporters/http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "config/web_config.h"

namespace certvigil::exporters {
namespace {

constexpr size_t kMaxCachedLogins = 1024;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0)
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0)
    text.remove_suffix(1);
  return text;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with optional padding; nullopt on any other character.
std::optional<std::string> decodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = base64Value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// crypt_r(password, setting) into `out`; false when libxcrypt refuses (it returns "*0"/"*1").
bool runCrypt(const std::string& password, const std::string& setting, std::string& out) {
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* hashed = crypt_r(password.c_str(), setting.c_str(), data.get());
  const bool ok = hashed != nullptr && hashed[0] != '*';
  if (ok) out = hashed;
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

}  // namespace

Result<std::shared_ptr<const BasicAuthUsers>> BasicAuthUsers::make(
    std::map<std::string, std::string> hashes) {
  auto users = std::make_shared<BasicAuthUsers>();
  users->hashes = std::move(hashes);
  if (users->hashes.empty()) return std::shared_ptr<const BasicAuthUsers>(std::move(users));
  int cost = 4;
  for (const auto& [user, hash] : users->hashes) cost = std::max(cost, config::bcryptCost(hash));
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> salt{};
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt.data(),
                       static_cast<int>(salt.size())) == nullptr) {
    return makeError(ErrorCode::Crypto, "libxcrypt cannot make a bcrypt salt", "basic_auth_users");
  }
  std::array<unsigned char, 16> random{};
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  std::string decoy_password;
  for (unsigned char byte : random) decoy_password += static_cast<char>('a' + byte % 26);
  if (!runCrypt(decoy_password, salt.data(), users->decoy)) {
    return makeError(ErrorCode::Crypto, "libxcrypt does not support bcrypt", "basic_auth_users");
  }
  return std::shared_ptr<const BasicAuthUsers>(std::move(users));
}

std::optional<std::pair<std::string, std::string>> basicCredentials(
    std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view kScheme = "basic";
  if (authorization.size() <= kScheme.size() + 1 ||
      !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      std::isspace(static_cast<unsigned char>(authorization[kScheme.size()])) == 0) {
    return std::nullopt;
  }
  const std::optional<std::string> decoded =
      decodeBase64(trim(authorization.substr(kScheme.size())));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

bool BasicAuthenticator::verify(const std::string& password, const std::string& hash) {
  std::string computed;
  bool ok = false;
  {
    std::lock_guard lock(bcrypt_mutex_);
    ok = runCrypt(password, hash, computed);
  }
  return ok && computed.size() == hash.size() &&
         CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

bool BasicAuthenticator::check(const BasicAuthUsers& users, std::string_view authorization) {
  std::optional<std::pair<std::string, std::string>> credentials = basicCredentials(authorization);
  if (!credentials) return false;
  const auto& [user, password] = *credentials;
  const auto it = users.hashes.find(user);
  const bool known = it != users.hashes.end();
  const std::string& hash = known ? it->second : users.decoy;
  // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  std::string key;
  for (const std::string* part : {&user, &hash, &password})
    key += std::to_string(part->size()) + ":" + *part;
  Digest digest{};
  EVP_Digest(key.data(), key.size(), digest.data(), nullptr, EVP_sha256(), nullptr);
  OPENSSL_cleanse(key.data(), key.size());
  {
    std::lock_guard lock(cache_mutex_);
    if (known && verified_.count(digest) != 0) return true;
  }
  const bool ok = verify(password, hash) && known;
  OPENSSL_cleanse(credentials->second.data(), credentials->second.size());
  if (!ok) return false;
  std::lock_guard lock(cache_mutex_);
  if (verified_.size() >= kMaxCachedLogins) verified_.clear();
  verified_.insert(digest);
  return true;
}

}  // namespace certvigil::exporters
