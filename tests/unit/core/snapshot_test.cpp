// SPDX-License-Identifier: Apache-2.0
// core/snapshot.h: findTarget looks a target up by its observation's name.
#include "core/snapshot.h"

#include <doctest/doctest.h>

namespace certvigil {
namespace {

TargetResultPtr named(const std::string& name, const std::string& unit = "unit") {
  auto r = std::make_shared<TargetResult>();
  r->unit = unit;
  r->observation.target = name;
  return r;
}

TEST_CASE("findTarget finds by observation.target, not by unit") {
  Snapshot snapshot;
  snapshot.targets = {named("/etc/ssl/a.pem", "/etc/ssl/*.pem"),
                      named("/etc/ssl/b.pem", "/etc/ssl/*.pem"),
                      named("api.internal:443", "api.internal:443")};
  const TargetResultPtr b = findTarget(snapshot, "/etc/ssl/b.pem");
  REQUIRE(b != nullptr);
  CHECK(b == snapshot.targets[1]);
  CHECK(findTarget(snapshot, "api.internal:443") == snapshot.targets[2]);
  CHECK(findTarget(snapshot, "/etc/ssl/*.pem") == nullptr);
  CHECK(findTarget(snapshot, "/etc/ssl/c.pem") == nullptr);
  CHECK(findTarget(snapshot, "") == nullptr);
}

TEST_CASE("findTarget returns the first of duplicates and skips null entries") {
  Snapshot snapshot;
  snapshot.targets = {nullptr, named("dup", "first"), named("dup", "second")};
  const TargetResultPtr found = findTarget(snapshot, "dup");
  REQUIRE(found != nullptr);
  CHECK(found->unit == "first");
  CHECK(findTarget(Snapshot{}, "dup") == nullptr);
}

}  // namespace
}  // namespace certvigil
