// SPDX-License-Identifier: Apache-2.0
// Tests for the API bearer token: parsing the header, reading the file (failing closed), and
// comparing.
#include "exporters/http/bearer_token.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "tests/support/test_support.h"

namespace certvigil::exporters {
namespace {

constexpr const char* kToken = "s3cr3t-t0ken-0123456789";

TEST_CASE("bearerCredential takes the token of a Bearer credential only") {
  CHECK(bearerCredential("Bearer abc") == std::optional<std::string_view>("abc"));
  CHECK(bearerCredential("  bearer \t abc  ") == std::optional<std::string_view>("abc"));
  CHECK(bearerCredential("BEARER abc") == std::optional<std::string_view>("abc"));
  CHECK_FALSE(bearerCredential("Basic YWJj").has_value());
  CHECK_FALSE(bearerCredential("Bearer").has_value());
  CHECK_FALSE(bearerCredential("Bearer   ").has_value());
  CHECK_FALSE(bearerCredential("Bearerabc").has_value());
  CHECK_FALSE(bearerCredential("").has_value());
}

TEST_CASE("a loaded token allows exactly itself") {
  testing::TempDir dir;
  const auto file = testing::writeFile(dir / "token", std::string(kToken) + "\n");
  ::chmod(file.c_str(), 0600);
  BearerToken token;
  CHECK_FALSE(token.enabled());
  CHECK(token.check("Bearer x") == AuthOutcome::Disabled);
  std::string warning;
  REQUIRE(token.load(file, &warning).ok());
  CHECK(warning.empty());
  CHECK(token.enabled());
  CHECK(token.check(std::string("Bearer ") + kToken) == AuthOutcome::Allowed);
  CHECK(token.check(std::string("bearer ") + kToken + " ") == AuthOutcome::Allowed);
  CHECK(token.check(std::string("Bearer ") + kToken + "x") == AuthOutcome::WrongToken);
  CHECK(token.check("Bearer s3cr3t-t0ken-012345678") == AuthOutcome::WrongToken);
  CHECK(token.check("Bearer S3CR3T-T0KEN-0123456789") == AuthOutcome::WrongToken);
  CHECK(token.check("") == AuthOutcome::Missing);
  CHECK(token.check(std::string("Basic ") + kToken) == AuthOutcome::Missing);
}

TEST_CASE("a token that cannot be used disables the routes, and errors never show it") {
  testing::TempDir dir;
  BearerToken token;
  token.set(kToken);
  REQUIRE(token.enabled());

  const auto short_file = testing::writeFile(dir / "short", "tiny-secret\n");
  auto st = token.load(short_file);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().describe().find("tiny-secret") == std::string::npos);
  CHECK_FALSE(token.enabled());  // fails closed, also after a good token

  token.set(kToken);
  CHECK_FALSE(token.load(dir / "missing").ok());
  CHECK_FALSE(token.enabled());

  token.set(kToken);
  const auto spaced = testing::writeFile(dir / "spaced", "two words in a token file\n");
  CHECK_FALSE(token.load(spaced).ok());
  CHECK_FALSE(token.enabled());

  const auto big = testing::writeFile(dir / "big", std::string(kMaxTokenFileSize + 1, 'a'));
  CHECK_FALSE(token.load(big).ok());

  token.set(kToken);
  REQUIRE(token.load({}).ok());  // no token_file: disabled, not an error
  CHECK_FALSE(token.enabled());
}

TEST_CASE("a token file readable by group or other is used, with a warning") {
  testing::TempDir dir;
  const auto file = testing::writeFile(dir / "token", kToken);
  ::chmod(file.c_str(), 0644);
  BearerToken token;
  std::string warning;
  REQUIRE(token.load(file, &warning).ok());
  CHECK(warning.find("chmod 600") != std::string::npos);
  CHECK(warning.find(kToken) == std::string::npos);
  CHECK(token.check(std::string("Bearer ") + kToken) == AuthOutcome::Allowed);
}

}  // namespace
}  // namespace certvigil::exporters
