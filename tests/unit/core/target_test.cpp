// SPDX-License-Identifier: Apache-2.0
// core/target.h: the names of target kinds and roles, and their inverses.
#include "core/target.h"

#include <doctest/doctest.h>

namespace certvigil {
namespace {

TEST_CASE("TargetKind names round trip") {
  for (TargetKind k : {TargetKind::Endpoint, TargetKind::File, TargetKind::Bundle}) {
    CAPTURE(toString(k));
    CHECK(targetKindFromString(toString(k)) == k);
  }
  CHECK(toString(TargetKind::Endpoint) == "endpoint");
  CHECK(toString(TargetKind::File) == "file");
  CHECK(toString(TargetKind::Bundle) == "bundle");
  CHECK_FALSE(targetKindFromString("").has_value());
  CHECK_FALSE(targetKindFromString("File").has_value());
  CHECK_FALSE(targetKindFromString("files").has_value());
}

TEST_CASE("Role names round trip") {
  for (Role r : {Role::Auto, Role::Client, Role::Server, Role::CaBundle}) {
    CAPTURE(toString(r));
    CHECK(roleFromString(toString(r)) == r);
  }
  CHECK(toString(Role::CaBundle) == "ca-bundle");
  CHECK(toString(Role::Auto) == "auto");
  CHECK_FALSE(roleFromString("ca_bundle").has_value());
  CHECK_FALSE(roleFromString("ca").has_value());
  CHECK_FALSE(roleFromString("").has_value());
}

TEST_CASE("ResolvedRole names") {
  CHECK(toString(ResolvedRole::Server) == "server");
  CHECK(toString(ResolvedRole::Client) == "client");
  CHECK(toString(ResolvedRole::Ca) == "ca");
  CHECK(toString(ResolvedRole::Any) == "any");
}

}  // namespace
}  // namespace certvigil
