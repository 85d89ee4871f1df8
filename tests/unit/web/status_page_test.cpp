// SPDX-License-Identifier: Apache-2.0
// Tests for the status page document and its Content-Security-Policy.
#include "exporters/http/status_page.h"

#include <doctest/doctest.h>

#include <regex>

namespace certvigil::exporters {
namespace {

std::string between(std::string_view html, std::string_view open, std::string_view close) {
  const size_t start = html.find(open);
  REQUIRE(start != std::string_view::npos);
  const size_t begin = start + open.size();
  const size_t end = html.find(close, begin);
  REQUIRE(end != std::string_view::npos);
  return std::string(html.substr(begin, end - begin));
}

TEST_CASE("the page is self-contained: nothing is loaded from anywhere else") {
  const std::string html(statusPageHtml());
  REQUIRE(html.find("<table id=\"certs\">") != std::string::npos);
  // No remote URL, protocol-relative URL, external script, stylesheet, font or image.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("//cdn") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("@font-face") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  // Data reaches the DOM as text only.
  CHECK(html.find("innerHTML") == std::string::npos);
  CHECK(html.find("outerHTML") == std::string::npos);
  CHECK(html.find("insertAdjacentHTML") == std::string::npos);
  CHECK(html.find("document.write") == std::string::npos);
  CHECK(html.find("eval(") == std::string::npos);
  // Inline event handlers would be blocked by the policy (and are not used).
  CHECK_FALSE(std::regex_search(html, std::regex(R"(\son[a-z]+=)")));
}

TEST_CASE("the policy allows exactly the page's own inline script and style") {
  const std::string html(statusPageHtml());
  const std::string& policy = statusPageSecurityPolicy();
  CHECK(policy.find("default-src 'none'") != std::string::npos);
  CHECK(policy.find("connect-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("unsafe-inline") == std::string::npos);
  CHECK(policy.find("unsafe-eval") == std::string::npos);
  const std::string script = between(html, "<script>", "</script>");
  const std::string style = between(html, "<style>", "</style>");
  CHECK(policy.find("script-src " + cspHashSource(script) + ";") != std::string::npos);
  CHECK(policy.find("style-src " + cspHashSource(style) + ";") != std::string::npos);
}

TEST_CASE("cspHashSource is base64 of SHA-256") {
  // printf '' | openssl dgst -sha256 -binary | base64
  CHECK(cspHashSource("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  CHECK(cspHashSource("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
}

}  // namespace
}  // namespace certvigil::exporters
