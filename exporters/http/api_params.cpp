// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_params.cpp: parameter checks. Messages quote the parameter's name, never
// its value (it could be anything, and it ends up in JSON only).
#include "exporters/http/api_params.h"

#include <algorithm>
#include <charconv>

#include "core/finding.h"

namespace certvigil::exporters::api {
namespace {

constexpr size_t kMaxValueLength = 1024;

}  // namespace

Params::Params(const HttpRequest& request, std::initializer_list<std::string_view> allowed)
    : request_(request) {
  for (const auto& [name, value] : request.params) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      fail("unknown query parameter '" + name + "'");
      return;
    }
    if (request.params.count(name) > 1) {
      fail("query parameter '" + name + "' given more than once");
      return;
    }
  }
}

void Params::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

std::string Params::text(const std::string& name) {
  std::string value = request_.param(name);
  if (value.size() > kMaxValueLength) {
    fail("query parameter '" + name + "' is longer than 1024 bytes");
    return {};
  }
  return value;
}

std::string Params::oneOf(const std::string& name, const std::vector<std::string>& choices) {
  std::string value = text(name);
  if (value.empty() || std::find(choices.begin(), choices.end(), value) != choices.end()) {
    return value;
  }
  std::string list;
  for (const std::string& choice : choices) list += (list.empty() ? "" : ", ") + choice;
  fail("query parameter '" + name + "' must be one of: " + list);
  return {};
}

int64_t Params::integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) {
  const std::string value = text(name);
  if (value.empty()) return fallback;
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size() || number < min || number > max) {
    fail("query parameter '" + name + "' must be an integer from " + std::to_string(min) + " to " +
         std::to_string(max));
    return fallback;
  }
  return number;
}

std::optional<bool> Params::tristate(const std::string& name, std::optional<bool> fallback) {
  const std::string value = oneOf(name, {"true", "false", "all"});
  if (value.empty()) return fallback;
  if (value == "all") return std::nullopt;
  return value == "true";
}

std::string Params::findingCode(const std::string& name) {
  std::string value = text(name);
  if (value.empty() || findingCodeFromString(value)) return value;
  fail("query parameter '" + name + "' is not a finding code (see docs/FINDINGS.md)");
  return {};
}

std::optional<TimePoint> Params::time(const std::string& name) {
  const std::string value = text(name);
  if (value.empty()) return std::nullopt;
  std::optional<TimePoint> parsed = parseRfc3339(value);
  if (!parsed) fail("query parameter '" + name + "' must be an RFC 3339 time");
  return parsed;
}

}  // namespace certvigil::exporters::api
