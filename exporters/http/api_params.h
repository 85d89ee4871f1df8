// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_params.h: query-string validation for the API. Every route lists the
// parameters it knows; an unknown one, a malformed number or a value outside its set is a 400
// that names the parameter, so a typo never silently widens a filter.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "exporters/http/handler.h"

namespace certvigil::exporters::api {

class Params {
 public:
  Params(const HttpRequest& request, std::initializer_list<std::string_view> allowed);

  /// The value, or "" when absent. Values longer than 1 KiB are an error.
  std::string text(const std::string& name);
  /// A value from `choices`, or "" when absent.
  std::string oneOf(const std::string& name, const std::vector<std::string>& choices);
  /// A decimal integer within [min, max], or `fallback` when absent.
  int64_t integer(const std::string& name, int64_t fallback, int64_t min, int64_t max);
  /// "true" | "false" | "all" (empty optional), or `fallback` when absent.
  std::optional<bool> tristate(const std::string& name, std::optional<bool> fallback);
  /// A finding code of this build, or "" when absent.
  std::string findingCode(const std::string& name);
  /// An RFC 3339 time, or nullopt when absent.
  std::optional<TimePoint> time(const std::string& name);

  /// The first problem found, or "" when every parameter was valid.
  const std::string& error() const { return error_; }

 private:
  void fail(std::string message);

  const HttpRequest& request_;
  std::string error_;
};

}  // namespace certvigil::exporters::api
