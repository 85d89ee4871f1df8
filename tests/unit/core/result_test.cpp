// SPDX-License-Identifier: Apache-2.0
// core/result.h: Result holds a value or an Error, Status is Result<Ok>, and an Error describes
// itself with its context.
#include "core/result.h"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

namespace certvigil {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return makeError(ErrorCode::Invalid, "odd number", std::to_string(n));
  return n / 2;
}

Status requireEven(int n) {
  if (Result<int> r = half(n); !r) return r.error();
  return Ok{};
}

TEST_CASE("Result holds a value") {
  Result<int> r = half(10);
  REQUIRE(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(r.value() == 5);
  CHECK(*r == 5);
  r.value() = 7;
  CHECK(*r == 7);

  Result<std::string> text = std::string("abc");
  CHECK(text->size() == 3);
}

TEST_CASE("Result holds an error") {
  const Result<int> r = half(3);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(r.error().code == ErrorCode::Invalid);
  CHECK(r.error().message == "odd number");
  CHECK(r.error().context == "3");
}

TEST_CASE("Result of a move-only type gives its value away") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  REQUIRE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  REQUIRE(p != nullptr);
  CHECK(*p == 42);
}

TEST_CASE("Status is ok or carries the error") {
  CHECK(requireEven(4).ok());
  const Status bad = requireEven(5);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().describe() == "5: odd number");
}

TEST_CASE("Error::describe puts the context first when there is one") {
  CHECK(makeError(ErrorCode::Io, "permission denied", "/etc/ssl/a.pem").describe() ==
        "/etc/ssl/a.pem: permission denied");
  CHECK(makeError(ErrorCode::Config, "no targets").describe() == "no targets");
  const Error e{};
  CHECK(e.code == ErrorCode::Invalid);
  CHECK(e.describe().empty());
}

}  // namespace
}  // namespace certvigil
