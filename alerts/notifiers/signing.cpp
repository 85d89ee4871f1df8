// SPDX-License-Identifier: Apache-2.0
#include "alerts/notifiers/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

namespace certvigil::alerts {
namespace {

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

std::string base64Encode(std::string_view bytes) {
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(n));
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> out(3 * (text.size() / 4) + 1);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes: take them off again.
  size_t size = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) --size;
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::optional<std::string> webhookKeyFromSecret(std::string_view text) {
  const std::string_view secret = trimmed(text);
  if (secret.empty()) return std::nullopt;
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) != kPrefix) return std::string(secret);
  auto key = base64Decode(secret.substr(kPrefix.size()));
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string signWebhook(std::string_view secret, std::string_view id, long timestamp,
                        std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &size);
  return "v1," + base64Encode(std::string_view(reinterpret_cast<const char*>(mac), size));
}

}  // namespace certvigil::alerts
