// SPDX-License-Identifier: Apache-2.0
// config/load_acme.cpp: the `acme:` list, which names the ACME directory to ask for renewal
// information (RFC 9773) per issuer. The key identifier is kept as lower-case hex without
// separators, however the user wrote it (openssl prints "69:88:5B:..."), so that matching is a
// plain string comparison.
#include <algorithm>
#include <cctype>

#include "config/sections.h"

namespace certvigil::config {
namespace {

/// "69:88:5B" or "69885b" -> "69885b"; "" when it is not hex octets.
std::string normalisedKeyId(const std::string& text) {
  std::string hex;
  for (const char c : text) {
    if (c == ':' || c == ' ') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return {};
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex.size() % 2 == 0 ? hex : std::string();
}

bool httpUrl(const std::string& url) {
  return url.size() > 8 && (url.starts_with("http://") || url.starts_with("https://"));
}

}  // namespace

AcmeConfig readAcme(Reader& reader, const YAML::Node& node, const std::string& path) {
  AcmeConfig acme;
  MapReader m(reader, node, path, {"directory", "issuer", "aki", "target"});
  if (!m.ok()) return acme;
  m.readString("directory", acme.directory);
  m.readString("issuer", acme.issuer);
  m.readString("target", acme.target);
  std::string aki;
  m.readString("aki", aki);
  if (!httpUrl(acme.directory)) {
    reader.fail(m.has("directory") ? m.child("directory").Mark() : node.Mark(),
                joinPath(path, "directory"),
                "an ACME directory URL (http:// or https://) is required");
  }
  if (!aki.empty()) {
    acme.aki = normalisedKeyId(aki);
    if (acme.aki.empty()) {
      reader.fail(m.child("aki").Mark(), joinPath(path, "aki"),
                  "'" + aki + "' is not a key identifier in hex (such as 69:88:5B:6B...)");
    }
  }
  return acme;
}

}  // namespace certvigil::config
