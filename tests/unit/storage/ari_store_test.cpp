// SPDX-License-Identifier: Apache-2.0
// Tests for storage/ari_store.h through StateStore: ACME renewal information survives a restart
// (its window and the Retry-After it must honour), one row per directory and identifier.
#include "storage/ari_store.h"

#include <doctest/doctest.h>

#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::TempDir;

StoredAri answer(const std::string& directory, const std::string& cert_id) {
  StoredAri a;
  a.directory = directory;
  a.cert_id = cert_id;
  a.url = "http://ca.example/renewal-info/" + cert_id;
  a.window_start = fromUnix(1'800'000'000);
  a.window_end = fromUnix(1'800'086'400);
  a.explanation_url = "https://ca.example/why";
  a.fetched_at = fromUnix(1'799'990'000);
  a.attempted_at = fromUnix(1'799'990'000);
  a.next_poll = fromUnix(1'799'993'600);
  return a;
}

TEST_CASE("renewal information is kept by directory and identifier, replaced by a newer answer") {
  TempDir dir;
  {
    auto store = testing::openStore(dir / "certvigil.db");
    REQUIRE(store
                ->saveAri({answer("http://ca.example/dir", "aYhb.AIdlQyE"),
                           answer("http://other.example/dir", "aYhb.AIdlQyE")})
                .ok());
    StoredAri failed = answer("http://other.example/dir", "aYhb.AIdlQyE");
    failed.window_start.reset();
    failed.window_end.reset();
    failed.error = "HTTP status 500";
    REQUIRE(store->saveAri({failed}).ok());
  }
  auto store = testing::openStore(dir / "certvigil.db");
  auto stored = store->storedAri();
  REQUIRE(stored.ok());
  REQUIRE(stored->size() == 2);
  const bool first_is_ca = (*stored)[0].directory == "http://ca.example/dir";
  const StoredAri& ca = first_is_ca ? (*stored)[0] : (*stored)[1];
  const StoredAri& other = first_is_ca ? (*stored)[1] : (*stored)[0];
  CHECK(ca.cert_id == "aYhb.AIdlQyE");
  CHECK(ca.url == "http://ca.example/renewal-info/aYhb.AIdlQyE");
  REQUIRE(ca.window_start.has_value());
  CHECK(toUnix(*ca.window_start) == 1'800'000'000);
  REQUIRE(ca.window_end.has_value());
  CHECK(toUnix(*ca.window_end) == 1'800'086'400);
  CHECK(ca.explanation_url == "https://ca.example/why");
  CHECK(toUnix(ca.next_poll) == 1'799'993'600);
  CHECK(ca.error.empty());
  CHECK_FALSE(other.window_start.has_value());
  CHECK(other.error == "HTTP status 500");

  // Answers not asked for since the cutoff are pruned; the others stay.
  StoredAri recent = answer("http://ca.example/dir", "recent.AQ");
  recent.attempted_at = fromUnix(1'800'000'100);
  REQUIRE(store->saveAri({recent}).ok());
  Result<size_t> pruned = store->pruneAri(fromUnix(1'800'000'000));
  REQUIRE(pruned.ok());
  CHECK(*pruned == 2);
  auto left = store->storedAri();
  REQUIRE(left.ok());
  REQUIRE(left->size() == 1);
  CHECK((*left)[0].cert_id == "recent.AQ");
}

}  // namespace
}  // namespace certvigil::storage
