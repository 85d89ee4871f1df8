// SPDX-License-Identifier: Apache-2.0
// Tests for basic auth: parsing the header, bcrypt through libxcrypt, unknown users, the cache.
#include "exporters/http/basic_auth.h"

#include <doctest/doctest.h>

namespace certvigil::exporters {
namespace {

// htpasswd -nbBC 5 "" pw
constexpr const char* kHash = "$2y$05$Wnscd3y3NnRscUud4FHR2OtVDt.PH/xtkjQtZc6g.Kvoz49KUsnTy";

std::string basic(const std::string& user_password) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char c : user_password) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  while (out.size() % 4 != 0) out += '=';
  return "Basic " + out;
}

TEST_CASE("basicCredentials splits user and password at the first colon") {
  const auto both = basicCredentials(basic("alice:pa:ss"));
  REQUIRE(both.has_value());
  CHECK(both->first == "alice");
  CHECK(both->second == "pa:ss");
  CHECK(basicCredentials("  basic  " + basic("a:b").substr(6))->first == "a");
  CHECK_FALSE(basicCredentials(basic("no-colon")).has_value());
  CHECK_FALSE(basicCredentials("Bearer abc").has_value());
  CHECK_FALSE(basicCredentials("Basic !!!").has_value());
  CHECK_FALSE(basicCredentials("Basic").has_value());
}

TEST_CASE("a bcrypt user is allowed with the right password only") {
  auto users = BasicAuthUsers::make({{"alice", kHash}});
  REQUIRE(users.ok());
  CHECK((*users)->decoy.substr(0, 7) == "$2b$05$");
  BasicAuthenticator auth;
  CHECK(auth.check(**users, basic("alice:pw")));
  CHECK(auth.check(**users, basic("alice:pw")));  // from the cache
  CHECK_FALSE(auth.check(**users, basic("alice:pw2")));
  CHECK_FALSE(auth.check(**users, basic("alice:")));
  CHECK_FALSE(auth.check(**users, basic("bob:pw")));
  CHECK_FALSE(auth.check(**users, ""));
}

TEST_CASE("a cached login does not survive a changed hash") {
  BasicAuthenticator auth;
  auto before = BasicAuthUsers::make({{"alice", kHash}});
  REQUIRE(before.ok());
  REQUIRE(auth.check(**before, basic("alice:pw")));
  std::string other = kHash;
  other[20] = other[20] == 'a' ? 'b' : 'a';  // another hash: the password no longer matches
  auto after = BasicAuthUsers::make({{"alice", other}});
  REQUIRE(after.ok());
  CHECK_FALSE(auth.check(**after, basic("alice:pw")));
}

}  // namespace
}  // namespace certvigil::exporters
