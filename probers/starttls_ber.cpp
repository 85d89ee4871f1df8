// SPDX-License-Identifier: Apache-2.0
#include "probers/starttls_ber.h"

#include <optional>

namespace certvigil::probers {
namespace {

constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kInteger = 0x02;
constexpr unsigned char kEnumerated = 0x0a;
constexpr unsigned char kOctetString = 0x04;
constexpr unsigned char kExtendedRequest = 0x77;   // [APPLICATION 23], constructed
constexpr unsigned char kExtendedResponse = 0x78;  // [APPLICATION 24], constructed
constexpr unsigned char kRequestName = 0x80;       // [0], primitive
constexpr std::string_view kStartTlsOid = "1.3.6.1.4.1.1466.20037";

struct Tlv {
  unsigned char tag = 0;
  std::string_view value;
};

// Header length and content length of the element at the start of `bytes`.
std::optional<std::pair<std::size_t, std::size_t>> header(std::string_view bytes) {
  if (bytes.size() < 2) return std::nullopt;
  const auto first = static_cast<unsigned char>(bytes[1]);
  if (first < 0x80) return std::pair<std::size_t, std::size_t>{2, first};
  const std::size_t count = first & 0x7f;
  if (count == 0 || count > 4 || bytes.size() < 2 + count) return std::nullopt;
  std::size_t length = 0;
  for (std::size_t i = 0; i < count; ++i) {
    length = (length << 8) | static_cast<unsigned char>(bytes[2 + i]);
  }
  return std::pair<std::size_t, std::size_t>{2 + count, length};
}

// Takes one element off the front of `in`.
std::optional<Tlv> take(std::string_view& in) {
  const auto h = header(in);
  if (!h || in.size() < h->first + h->second) return std::nullopt;
  Tlv tlv{static_cast<unsigned char>(in[0]), in.substr(h->first, h->second)};
  in.remove_prefix(h->first + h->second);
  return tlv;
}

std::string element(unsigned char tag, std::string_view contents) {
  std::string out(1, static_cast<char>(tag));
  out += static_cast<char>(contents.size());  // every element here is shorter than 128 bytes
  out += contents;
  return out;
}

}  // namespace

std::string ldapStartTlsRequest() {
  const std::string message_id = element(kInteger, std::string_view("\x01", 1));
  const std::string request = element(kExtendedRequest, element(kRequestName, kStartTlsOid));
  return element(kSequence, message_id + request);
}

std::size_t berMessageSize(std::string_view bytes) {
  const auto h = header(bytes);
  return h ? h->first + h->second : 0;
}

LdapResult parseLdapExtendedResponse(std::string_view message) {
  LdapResult result;
  const auto outer = take(message);
  if (!outer || outer->tag != kSequence) return result;
  std::string_view body = outer->value;
  const auto id = take(body);
  const auto response = take(body);
  if (!id || id->tag != kInteger || !response || response->tag != kExtendedResponse) {
    return result;
  }
  std::string_view fields = response->value;
  const auto code = take(fields);
  const auto matched_dn = take(fields);
  const auto diagnostic = take(fields);
  if (!code || code->tag != kEnumerated || code->value.empty() || code->value.size() > 2) {
    return result;
  }
  result.parsed = true;
  result.code = 0;
  for (const char byte : code->value)
    result.code = (result.code << 8) | static_cast<unsigned char>(byte);
  if (matched_dn && diagnostic && diagnostic->tag == kOctetString) {
    result.message = std::string(diagnostic->value);
  }
  return result;
}

}  // namespace certvigil::probers
