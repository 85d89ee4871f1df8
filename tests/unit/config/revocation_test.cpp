// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/revocation_test.cpp: the `revocation:` block, globally and per entry.
#include <doctest/doctest.h>

#include "tests/unit/config/config_test_util.h"

namespace certvigil::config {
namespace {

using test::expectOneProblem;
using test::loadValid;
using test::name;

TEST_CASE("revocation defaults: ask the CA, 10 s, 20 MB, soft fail") {
  const Config c = loadValid("");
  CHECK(name(c.revocation.crl) == "auto");
  CHECK(name(c.revocation.ocsp) == "auto");
  CHECK(c.revocation.timeout == Seconds{10});
  CHECK(c.revocation.max_crl_bytes == 20 * 1024 * 1024);
  CHECK(c.revocation.soft_fail);
}

TEST_CASE("revocation: the global block and an entry's own over it") {
  const Config c = loadValid(
      "revocation: {crl: off, timeout: 3s, max_crl_bytes: 512KB, soft_fail: false}\n"
      "endpoints:\n"
      "  - address: a.example:443\n"
      "    revocation: {crl: auto}\n"
      "  - address: b.example:443\n"
      "files:\n"
      "  - path: /etc/ssl/x.pem\n"
      "    revocation: {ocsp: off}\n");
  CHECK(name(c.revocation.crl) == "off");
  CHECK(c.revocation.timeout == Seconds{3});
  CHECK(c.revocation.max_crl_bytes == 512 * 1024);
  CHECK_FALSE(c.revocation.soft_fail);
  REQUIRE(c.endpoints[0].revocation.has_value());
  CHECK(name(c.endpoints[0].revocation->crl) == "auto");
  CHECK(c.endpoints[0].revocation->timeout == Seconds{3});  // from the global block
  CHECK_FALSE(c.endpoints[1].revocation.has_value());
  REQUIRE(c.files[0].revocation.has_value());
  CHECK(name(c.files[0].revocation->ocsp) == "off");
  CHECK(name(c.files[0].revocation->crl) == "off");
}

TEST_CASE("revocation: mistakes are reported with their place") {
  expectOneProblem("revocation:\n  crl: maybe\n", "revocation.crl", 2, "auto | off");
  expectOneProblem("revocation:\n  max_crl_bytes: lots\n", "revocation.max_crl_bytes", 2,
                   "not a size");
  expectOneProblem("revocation:\n  colour: red\n", "revocation.colour", 2, "unknown key");
  expectOneProblem("endpoints:\n  - address: a:443\n    revocation: {ocsp: on}\n",
                   "endpoints[0].revocation.ocsp", 3, "auto | off");
}

TEST_CASE("acme: entries by issuer, by key identifier, or for every leaf") {
  CHECK(loadValid("").acme.empty());
  const Config c = loadValid(
      "acme:\n"
      "  - issuer: \"CN=R11,O=Let's Encrypt,C=US\"\n"
      "    directory: https://acme-v02.api.letsencrypt.org/directory\n"
      "  - aki: 69:88:5B:6B:87:46\n"
      "    directory: http://127.0.0.1:8080/directory\n"
      "  - directory: https://ca.internal/acme/directory\n"
      "  - target: /etc/letsencrypt/live/*/cert.pem\n"
      "    directory: https://ca.internal/acme/directory\n");
  REQUIRE(c.acme.size() == 4);
  CHECK(c.acme[0].issuer == "CN=R11,O=Let's Encrypt,C=US");
  CHECK(c.acme[0].directory == "https://acme-v02.api.letsencrypt.org/directory");
  CHECK(c.acme[0].aki.empty());
  CHECK(c.acme[1].aki == "69885b6b8746");  // normalised: lower case, no colons
  CHECK(c.acme[2].issuer.empty());
  CHECK(c.acme[2].aki.empty());
  CHECK(c.acme[3].target == "/etc/letsencrypt/live/*/cert.pem");  // kept as written
}

TEST_CASE("acme: mistakes are reported with their place") {
  expectOneProblem("acme:\n  - issuer: CN=x\n", "acme[0].directory", 2, "directory URL");
  expectOneProblem("acme:\n  - directory: ftp://ca.example/dir\n", "acme[0].directory", 2,
                   "http:// or https://");
  expectOneProblem("acme:\n  - directory: https://ca.example/dir\n    aki: xyz\n", "acme[0].aki", 3,
                   "not a key identifier");
  expectOneProblem("acme:\n  - directory: https://ca.example/dir\n    colour: red\n",
                   "acme[0].colour", 3, "unknown key");
}

TEST_CASE("parseByteSize") {
  CHECK(parseByteSize("20MB") == int64_t{20} << 20);
  CHECK(parseByteSize("512KB") == int64_t{512} << 10);
  CHECK(parseByteSize("1GB") == int64_t{1} << 30);
  CHECK(parseByteSize("1048576") == 1048576);
  CHECK(parseByteSize("100B") == 100);
  for (const char* bad : {"", "MB", "-1MB", "1.5MB", "20 MB", "20mb", "20TB", "99999999999GB"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseByteSize(bad).has_value());
  }
}

}  // namespace
}  // namespace certvigil::config
