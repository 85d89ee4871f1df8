// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_discovery.cpp: the web server configuration readers (discovery/): the nginx lexer
// and block parser, Apache's line and section reader, HAProxy's word splitting and sections, on
// arbitrary text. The first byte picks the syntax. Pure: no include is followed, no file read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "discovery/apache_syntax.h"
#include "discovery/haproxy_syntax.h"
#include "discovery/nginx_syntax.h"
#include "fuzz/fuzz_input.h"

namespace discovery = certvigil::discovery;

namespace {

/// Touches every directive so that a bad string or line number is read.
size_t walk(const std::vector<discovery::Directive>& tree) {
  size_t n = 0;
  for (const discovery::Directive& d : tree) {
    n += d.name.size() + static_cast<size_t>(d.origin.line) + walk(d.children);
    for (const std::string& a : d.args) n += a.size();
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = certvigil::fuzz::asText(data, size);
  const unsigned char selector = certvigil::fuzz::takeSelector(input);
  std::vector<std::string> problems;
  switch (selector % 3) {
    case 0:
      (void)walk(discovery::parseNginxText(input, "/fuzz/nginx.conf", problems));
      break;
    case 1:
      (void)walk(discovery::parseApacheText(input, "/fuzz/apache2.conf", problems));
      break;
    default:
      (void)walk(discovery::parseHaproxyText(input, "/fuzz/haproxy.cfg"));
      break;
  }
  return 0;
}
