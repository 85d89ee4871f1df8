// SPDX-License-Identifier: Apache-2.0
// exporters/http/status_page.cpp: the page's Content-Security-Policy, computed once from the
// embedded page itself so that editing status_page.html can never leave a stale hash behind.
#include "exporters/http/status_page.h"

#include <openssl/evp.h>

#include <array>
#include <vector>

namespace certvigil::exporters {
namespace {

// The contents of every <tag>...</tag> element of `html` (the page has no attributes on them).
std::vector<std::string_view> elementContents(std::string_view html, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  std::vector<std::string_view> contents;
  size_t from = 0;
  while (true) {
    const size_t start = html.find(open, from);
    if (start == std::string_view::npos) break;
    const size_t begin = start + open.size();
    const size_t end = html.find(close, begin);
    if (end == std::string_view::npos) break;
    contents.push_back(html.substr(begin, end - begin));
    from = end + close.size();
  }
  return contents;
}

std::string hashSources(std::string_view html, std::string_view tag) {
  std::string sources;
  for (std::string_view content : elementContents(html, tag)) {
    sources += ' ';
    sources += cspHashSource(content);
  }
  return sources.empty() ? std::string(" 'none'") : sources;
}

}  // namespace

std::string cspHashSource(std::string_view inline_content) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(inline_content.data(), inline_content.size(), digest.data(), &size, EVP_sha256(),
             nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> base64{};
  const int length = EVP_EncodeBlock(base64.data(), digest.data(), static_cast<int>(size));
  return "'sha256-" +
         std::string(reinterpret_cast<const char*>(base64.data()), static_cast<size_t>(length)) +
         "'";
}

const std::string& statusPageSecurityPolicy() {
  static const std::string policy = [] {
    const std::string_view html = statusPageHtml();
    return "default-src 'none'; script-src" + hashSources(html, "script") + "; style-src" +
           hashSources(html, "style") +
           "; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none';"
           " frame-ancestors 'none'";
  }();
  return policy;
}

}  // namespace certvigil::exporters
