// SPDX-License-Identifier: Apache-2.0
// Tests for storage/crl_store.h through StateStore: fetched CRLs survive a restart.
#include "storage/crl_store.h"

#include <doctest/doctest.h>

#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::TempDir;

StoredCrl crl(const std::string& url, std::string body) {
  StoredCrl c;
  c.url = url;
  c.body = std::move(body);
  c.etag = "\"v1\"";
  c.last_modified = "Mon, 07 Dec 2026 00:00:00 GMT";
  c.fetched_at = fromUnix(1'800'000'000);
  c.next_update = fromUnix(1'800'086'400);
  return c;
}

TEST_CASE("fetched CRLs are kept by URL, bytes intact, and replaced by a newer fetch") {
  TempDir dir;
  // Built in pieces: in one literal "\x00b..." would read "b" as a hex digit.
  const std::string der =
      std::string("\x30\x82\x00\x00", 4) + "binary" + std::string(1, '\0') + "bytes";
  {
    auto store = testing::openStore(dir / "certvigil.db");
    REQUIRE(store->saveCrls({crl("http://a/ca.crl", der), crl("http://b/ca.crl", "x")}).ok());
    StoredCrl newer = crl("http://b/ca.crl", "y");
    newer.next_update.reset();
    REQUIRE(store->saveCrls({newer}).ok());
  }
  auto store = testing::openStore(dir / "certvigil.db");
  auto stored = store->storedCrls();
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == 2);
  const StoredCrl& a = (*stored)[0].url == "http://a/ca.crl" ? (*stored)[0] : (*stored)[1];
  const StoredCrl& b = (*stored)[0].url == "http://a/ca.crl" ? (*stored)[1] : (*stored)[0];
  CHECK(a.body == der);
  CHECK(a.etag == "\"v1\"");
  CHECK(a.last_modified == "Mon, 07 Dec 2026 00:00:00 GMT");
  CHECK(toUnix(a.fetched_at) == 1'800'000'000);
  REQUIRE(a.next_update.has_value());
  CHECK(toUnix(*a.next_update) == 1'800'086'400);
  CHECK(b.body == "y");
  CHECK_FALSE(b.next_update.has_value());
}

}  // namespace
}  // namespace certvigil::storage
