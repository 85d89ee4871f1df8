// SPDX-License-Identifier: Apache-2.0
// revocation/ari.cpp: ARI identifiers, the directory and RenewalInfo JSON, entry matching.
// The JSON comes from the network: it is parsed without exceptions, its nesting is bounded
// before nlohmann sees it (a deeply nested answer must not exhaust the stack), and the one
// free-text field that reaches messages (explanationURL) is kept only when it is a short,
// printable http(s) URL.
#include "revocation/ari.h"

#include <fnmatch.h>
#include <openssl/asn1.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace certvigil::revocation {
namespace {

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Deeper nesting than this is not a directory or RenewalInfo object.
constexpr int kMaxDepth = 16;
/// A longer explanationURL is not shown (it goes into a one-line message).
constexpr size_t kMaxUrl = 2048;

/// The deepest nesting of objects and arrays outside strings; stops counting past the limit.
int nestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size() && deepest <= kMaxDepth; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parseObject(std::string_view text, std::string_view what) {
  if (nestingDepth(text) > kMaxDepth) {
    return makeError(ErrorCode::Parse, "the " + std::string(what) + " is nested too deeply");
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return makeError(ErrorCode::Parse, "the answer is not a JSON " + std::string(what));
  }
  return doc;
}

bool printableHttpUrl(const std::string& url) {
  if (url.size() > kMaxUrl || !(url.starts_with("http://") || url.starts_with("https://"))) {
    return false;
  }
  return std::all_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

Result<TimePoint> timeField(const nlohmann::json& window, const char* key) {
  const auto it = window.find(key);
  if (it == window.end() || !it->is_string()) {
    return makeError(ErrorCode::Parse, std::string("suggestedWindow has no ") + key + " time");
  }
  const std::optional<TimePoint> t = parseRfc3339(it->get_ref<const std::string&>());
  if (!t) {
    return makeError(ErrorCode::Parse,
                     std::string("suggestedWindow.") + key + " is not an RFC 3339 time");
  }
  return *t;
}

/// "CN=R11, O=Let's Encrypt,C=US" and "cn=r11,o=let's encrypt,c=us" compare equal.
std::string normalisedName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool after_separator = !out.empty() && (out.back() == ',' || out.back() == '=');
    if (c == ' ' &&
        (after_separator || (i + 1 < name.size() && (name[i + 1] == ',' || name[i + 1] == '=')))) {
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string hex(const unsigned char* data, size_t size) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

/// The content octets of the serial's DER INTEGER (the tag and length stripped).
std::string serialContent(X509* cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  unsigned char* der = nullptr;
  const int size = i2d_ASN1_INTEGER(serial, &der);
  if (size < 2) {
    OPENSSL_free(der);
    return {};
  }
  // Short form length (< 128 content octets, always the case for a conforming serial) or
  // long form 0x8N followed by N length octets.
  size_t header = 2;
  if ((der[1] & 0x80) != 0) header += der[1] & 0x7f;
  std::string content;
  if (header < static_cast<size_t>(size)) {
    content.assign(reinterpret_cast<const char*>(der) + header, static_cast<size_t>(size) - header);
  }
  OPENSSL_free(der);
  return content;
}

/// The keyIdentifier of the authorityKeyIdentifier extension, "" when there is none (or the
/// extension appears twice). Decoded from the extension itself rather than from OpenSSL's cached
/// extension flags, which a certificate that fails other checks never gets.
std::string keyIdentifier(X509* cert) {
  auto* akid = static_cast<AUTHORITY_KEYID*>(
      X509_get_ext_d2i(cert, NID_authority_key_identifier, nullptr, nullptr));
  if (akid == nullptr) return {};
  std::string id;
  if (akid->keyid != nullptr) {
    id.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(akid->keyid)),
              static_cast<size_t>(ASN1_STRING_length(akid->keyid)));
  }
  AUTHORITY_KEYID_free(akid);
  return id;
}

}  // namespace

std::string base64Url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t v = 0;
    for (size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    }
    for (size_t k = 0; k <= n; ++k) out += kBase64Url[(v >> (18 - 6 * k)) & 0x3f];
  }
  return out;
}

std::string ariCertId(std::string_view key_identifier, std::string_view serial_content) {
  return base64Url(key_identifier) + "." + base64Url(serial_content);
}

Result<std::string> ariCertId(X509* cert) {
  const std::string key_id = keyIdentifier(cert);
  if (key_id.empty()) {
    return makeError(ErrorCode::NotFound, "the certificate has no authorityKeyIdentifier");
  }
  const std::string serial = serialContent(cert);
  if (serial.empty()) return makeError(ErrorCode::Invalid, "the serial number cannot be encoded");
  return ariCertId(key_id, serial);
}

std::string authorityKeyIdHex(X509* cert) {
  const std::string key_id = keyIdentifier(cert);
  return hex(reinterpret_cast<const unsigned char*>(key_id.data()), key_id.size());
}

Result<RenewalInfo> parseRenewalInfo(std::string_view json) {
  Result<nlohmann::json> doc = parseObject(json, "RenewalInfo object");
  if (!doc) return doc.error();
  const auto window = doc->find("suggestedWindow");
  if (window == doc->end() || !window->is_object()) {
    return makeError(ErrorCode::Parse, "the answer has no suggestedWindow object");
  }
  Result<TimePoint> start = timeField(*window, "start");
  if (!start) return start.error();
  Result<TimePoint> end = timeField(*window, "end");
  if (!end) return end.error();
  if (*end <= *start) {
    return makeError(ErrorCode::Parse, "suggestedWindow ends before it starts");
  }
  RenewalInfo info{*start, *end, {}};
  const auto explanation = doc->find("explanationURL");
  if (explanation != doc->end() && explanation->is_string() &&
      printableHttpUrl(explanation->get_ref<const std::string&>())) {
    info.explanation_url = explanation->get<std::string>();
  }
  return info;
}

Result<std::string> parseDirectoryRenewalInfo(std::string_view json) {
  Result<nlohmann::json> doc = parseObject(json, "ACME directory");
  if (!doc) return doc.error();
  const auto url = doc->find("renewalInfo");
  if (url == doc->end() || !url->is_string()) {
    return makeError(ErrorCode::Parse, "the ACME directory names no renewalInfo URL");
  }
  const std::string& text = url->get_ref<const std::string&>();
  if (!printableHttpUrl(text)) {
    return makeError(ErrorCode::Parse, "the directory's renewalInfo is not an http(s) URL");
  }
  return text;
}

const config::AcmeConfig* acmeEntryFor(const std::vector<config::AcmeConfig>& entries,
                                       const LeafIdentity& leaf) {
  const std::string name = normalisedName(leaf.issuer);
  const std::string target(leaf.target);
  for (const config::AcmeConfig& entry : entries) {
    if (!entry.issuer.empty() && normalisedName(entry.issuer) != name) continue;
    if (!entry.aki.empty() && entry.aki != leaf.aki_hex) continue;
    if (!entry.target.empty() && fnmatch(entry.target.c_str(), target.c_str(), FNM_PATHNAME) != 0) {
      continue;
    }
    return &entry;
  }
  return nullptr;
}

}  // namespace certvigil::revocation
